"""Benchmark the store's write path: save_draft and sign of a visit with 5 muscles.

Run: ``.venv/bin/python bench/bench_sign.py [--visits N]``. On a fresh SQLite file
(dntui's engine settings: WAL, synchronous FULL) it creates N visits; for each it
times the first save (insert), a second save (update, as the autosave does) and
``Store.sign``. With ``DNTUI_BENCH_PG_URL`` set (a URL of an empty database the
benchmark may fill, e.g. ``postgresql+psycopg://me@/dntui_bench``) the same runs
on PostgreSQL. Prints a table, then a JSON line with the medians in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dntui.clinic_files import load_fee_schedule
from dntui.domain import instructions, screening
from dntui.domain.record import sign_visit
from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    Twitch,
    VisitDraft,
)
from dntui.store.repo import Store

TODAY = date(2026, 3, 16)
MUSCLES = (
    ("upper-trapezius", "B", 2),
    ("levator-scapulae", "L", 1),
    ("infraspinatus", "L", 2),
    ("gluteus-medius", "R", 3),
    ("piriformis", "R", 1),
)


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered) * 1000, 2),
        "p95": round(p95 * 1000, 2),
        "max": round(ordered[-1] * 1000, 2),
    }


def run(url: str, visits: int) -> dict[str, dict[str, float]]:
    store = Store.open(url)
    pr = store.add_practitioner("Bench Person", "PT", pin="2468", min_pin_length=4)
    schedule = load_fee_schedule(None)
    who = PractitionerInfo(pr.id, pr.name, pr.credentials, pr.acupuncture_licensed)
    inserts: list[float] = []
    updates: list[float] = []
    signs: list[float] = []
    for i in range(visits):
        pa = store.add_patient(f"Bench Patient {i}", date(1970, 1, 1) + timedelta(days=i), actor=pr)
        draft = VisitDraft(
            visit_date=TODAY,
            practitioner=who,
            patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
            payer="commercial",
            diagnosis_codes=["M79.12"],
            screening={item.id: ScreeningAnswer(Answer.NO) for item in screening.ITEMS},
            consent=Consent(True, "written", "dntui-default-1", f"{TODAY}T09:00:00Z"),
            muscles=[MuscleEntry(m, Side(s), n, n, twitch=Twitch.YES) for m, s, n in MUSCLES],
        )
        t0 = time.perf_counter()
        draft = store.save_draft(draft, actor=pr)
        inserts.append(time.perf_counter() - t0)

        draft.instructions = instructions.render_text(draft)
        t0 = time.perf_counter()
        draft = store.save_draft(draft, actor=pr)
        updates.append(time.perf_counter() - t0)

        record = sign_visit(draft, schedule, who)
        t0 = time.perf_counter()
        store.sign(record, signer=pr)
        signs.append(time.perf_counter() - t0)
    assert store.verify_audit().ok
    store.close()
    return {
        "save_draft_insert": _ms(inserts),
        "save_draft_update": _ms(updates),
        "sign": _ms(signs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=50)
    parser.add_argument(
        "--dir", type=Path, default=None, help="folder for the SQLite file (default: a temp folder)"
    )
    args = parser.parse_args()

    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="dntui-bench-", dir=args.dir) as tmp:
        sqlite_dir = tmp
        results["sqlite"] = run(f"sqlite:///{Path(tmp) / 'bench.db'}", args.visits)
    pg_url = os.environ.get("DNTUI_BENCH_PG_URL")
    if pg_url:
        results["postgresql"] = run(pg_url, args.visits)

    print(
        f"{args.visits} visits, {len(MUSCLES)} muscles each; SQLite in {sqlite_dir}; "
        f"load average {os.getloadavg()}"
    )
    print(f"{'engine':<11} {'operation':<18} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for engine, ops in results.items():
        for op, s in ops.items():
            print(f"{engine:<11} {op:<18} {s['median']:>10.2f} {s['p95']:>8.2f} {s['max']:>8.2f}")
    print(
        json.dumps(
            {
                "visits": args.visits,
                "muscles": len(MUSCLES),
                "median_ms": {
                    engine: {op: s["median"] for op, s in ops.items()}
                    for engine, ops in results.items()
                },
                "p95_ms": {
                    engine: {op: s["p95"] for op, s in ops.items()}
                    for engine, ops in results.items()
                },
            }
        )
    )


if __name__ == "__main__":
    main()
