"""Benchmark history, the patient filter and the day sheet on 100,000 visits.

Run: ``.venv/bin/python bench/bench_history.py [--visits N] [--dir FOLDER]``.

Builds a SQLite database through dntui's migrations (so with its indexes and
triggers) and fills it with bulk inserts: 12 practitioners, N/5 fictional
patients, N visits over three years ending ``TODAY`` (about 90 a day), 90 %
signed with 1-5 muscle rows, 2 % entered in error, the rest drafts, addenda on
3 % (a third of them adverse events). Building takes a while; ``--dir`` keeps
the database for the next run (it is reused when it already has N visits).
With ``DNTUI_BENCH_PG_URL`` naming an empty PostgreSQL database the same runs
there.

Then it times, median and p95 of repeated runs:

- open history: the first page (100 rows, newest first) and the match count;
- the history screen itself, headless: pushed to its rows loaded, and to the
  app idle again (against an empty screen with a table, Textual's own cost);
- filter by patient prefix as typed ("l", "li", "lin", ...), page + count;
- the day sheet of a busy day, all practitioners and one practitioner;
- a patient's visits (patient view) and a one-month CSV export.

Prints a table, then one JSON line with the medians in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text

from dntui.domain.record import BillingRecord, RecordedWarning
from dntui.store.audit import db_path
from dntui.store.queries import (
    HistoryFilter,
    day_sheet,
    export_records,
    history_count,
    history_page,
    patient_visits,
)
from dntui.store.repo import Store, name_key

TODAY = date(2026, 3, 16)
DAYS = 3 * 365
FIRST = [
    "Maria",
    "Tomas",
    "Aiko",
    "Grace",
    "Oliver",
    "Priya",
    "Connor",
    "Lucia",
    "Ahmed",
    "Elena",
    "Jonas",
    "Fatima",
    "Kenji",
    "Sofia",
    "Liam",
    "Amara",
    "Mateo",
    "Ingrid",
    "Ravi",
    "Chloe",
    "Diego",
    "Hana",
    "Omar",
    "Leila",
    "Nils",
    "Zara",
    "Pablo",
    "Mei",
    "Tariq",
    "Ada",
]
LAST = [
    "Lindqvist",
    "Herrera",
    "Tanaka",
    "Mbeki",
    "Brandt",
    "Natarajan",
    "Walsh",
    "Romano",
    "Haddad",
    "Petrova",
    "Berg",
    "Okoro",
    "Sato",
    "Rossi",
    "Murphy",
    "Diallo",
    "Garcia",
    "Larsen",
    "Iyer",
    "Dubois",
    "Silva",
    "Kim",
    "Nasser",
    "Farah",
    "Holm",
    "Novak",
    "Ortega",
    "Chen",
    "Aziz",
    "Lovelace",
    "Keller",
    "Moreau",
    "Costa",
    "Ivanova",
    "Brennan",
    "Yilmaz",
    "Nakamura",
    "Fischer",
]
MUSCLES = (
    "upper-trapezius",
    "levator-scapulae",
    "infraspinatus",
    "gluteus-medius",
    "piriformis",
    "quadratus-lumborum",
    "gastrocnemius",
    "lumbar-multifidus",
    "sternocleidomastoid",
)
PAYERS = ("commercial", "self-pay", "medicare", "medicare-advantage")


def _ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "median": round(statistics.median(ordered) * 1000, 2),
        "p95": round(p95 * 1000, 2),
        "n": len(ordered),
    }


def _time(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm the page cache and the statement cache
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


# ------------------------------------------------------------------ building
def build(store: Store, visits: int, seed: int = 6) -> float:
    """Fill an empty store with ``visits`` visits; returns the seconds it took."""
    rng = random.Random(seed)
    t0 = time.perf_counter()
    now = datetime(2026, 3, 16, 12, tzinfo=UTC)
    n_patients = max(10, visits // 5)
    # A bulk load is dntui's own code: open the SQLite gate the guard triggers ask for.
    with store.engine.begin() as conn, db_path(conn):
        conn.execute(
            text(
                "INSERT INTO practitioner (id, name, credentials, licence_no, licence_state, "
                "acupuncture_licensed, active, created_at, db_role) VALUES "
                "(:id, :name, :cred, '', '', false, true, :at, '')"
            ),
            [
                {"id": i + 1, "name": f"{FIRST[i]} {LAST[-i - 1]}", "cred": "PT", "at": now}
                for i in range(12)
            ],
        )
        patients = []
        for i in range(n_patients):
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            patients.append(
                {
                    "id": i + 1,
                    "chart": f"C{i + 1:06d}",
                    "name": name,
                    "key": name_key(name),
                    "dob": date(1940, 1, 1) + timedelta(days=rng.randrange(60 * 365)),
                    "at": now,
                }
            )
        conn.execute(
            text(
                "INSERT INTO patient (id, chart_no, name, name_key, date_of_birth, created_at) "
                "VALUES (:id, :chart, :name, :key, :dob, :at)"
            ),
            patients,
        )
        rows, muscles, addenda, signed, voided = [], [], [], [], []
        for vid in range(1, visits + 1):
            day = TODAY - timedelta(days=rng.randrange(DAYS))
            roll = rng.random()
            status = "draft" if roll < 0.08 else "signed"
            chosen = rng.sample(MUSCLES, rng.randint(1, 5))
            count = len(chosen)
            code = "" if status == "draft" else ("20560" if count <= 2 else "20561")
            payer = rng.choice(PAYERS)
            medicare = payer == "medicare"
            billing = BillingRecord(
                code=code or None,
                muscle_count=count if code else 0,
                counting=f"{count} muscles",
                units=1 if code else 0,
                modifiers=("GP", "GX") if medicare else (),
                payer_key=payer,
                payer_name=payer.capitalize(),
                warnings=(RecordedWarning("warn", "Medicare: PT dry needling not covered"),)
                if medicare
                else (),
            )
            rows.append(
                {
                    "id": vid,
                    "pid": rng.randint(1, n_patients),
                    "prid": rng.randint(1, 12),
                    "day": day,
                    "payer": payer,
                    "dx": "M79.12 M62.838",
                    "code": code,
                    "count": count if code else 0,
                    "charge": ("25.74" if code == "20560" else "38.32") if code else "",
                    "draft": json.dumps(
                        {
                            "visit_date": day.isoformat(),
                            "muscles": [
                                {"muscle_id": m, "side": "L", "needles_in": 2} for m in chosen
                            ],
                        }
                    ),
                    "billing": billing.to_json() if code else "{}",
                    "at": now,
                }
            )
            if status == "signed":
                signed.append(vid)
                if roll > 0.98:
                    voided.append(vid)
                muscles.extend(
                    {"vid": vid, "pos": i, "mid": m, "side": rng.choice("LRB"), "n": 2}
                    for i, m in enumerate(chosen)
                )
                if rng.random() < 0.03:
                    addenda.append(
                        {
                            "vid": vid,
                            "kind": "adverse-event" if rng.random() < 0.33 else "correction",
                            "text": "Bruising at the site, resolved.",
                            "at": now,
                        }
                    )
        conn.execute(
            text(
                "INSERT INTO visit (id, patient_id, practitioner_id, visit_date, status, payer, "
                "diagnosis_codes, abn_on_file, code, muscle_count, charge, draft_json, "
                "billing_json, note_text, version, created_at, updated_at, void_reason) VALUES "
                "(:id, :pid, :prid, :day, 'draft', :payer, :dx, false, :code, :count, :charge, "
                ":draft, :billing, 'note', 1, :at, :at, '')"
            ),
            rows,
        )
        conn.execute(
            text(
                "INSERT INTO visit_muscle (visit_id, position, muscle_id, side, needles_in, "
                "needles_out, technique, twitch, needle, estim) VALUES "
                "(:vid, :pos, :mid, :side, :n, :n, 'pistoning', 'yes', '', false)"
            ),
            muscles,
        )
        if addenda:
            conn.execute(
                text(
                    "INSERT INTO addendum (visit_id, author_id, created_at, kind, reason, text) "
                    "VALUES (:vid, 1, :at, :kind, '', :text)"
                ),
                addenda,
            )
        for chunk in range(0, len(signed), 5000):
            ids = ",".join(map(str, signed[chunk : chunk + 5000]))
            conn.execute(
                text(f"UPDATE visit SET status = 'signed', signed_at = :at WHERE id IN ({ids})"),
                {"at": now},
            )
        if voided:
            ids = ",".join(map(str, voided))
            conn.execute(text(f"UPDATE visit SET status = 'entered-in-error' WHERE id IN ({ids})"))
        if store.engine.dialect.name == "postgresql":
            for table in ("practitioner", "patient", "visit", "visit_muscle", "addendum"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
                )
    with store.engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return time.perf_counter() - t0


def visit_total(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM visit")).scalar_one())


# ------------------------------------------------------------------ timings
async def _screen_open(store: Store, runs: int) -> dict[str, list[float]]:
    """Headless app: push the history screen; time to its first page of rows, and
    until the app is idle again (frame composed); the same idle time for an empty
    screen is the baseline of Textual itself."""
    from textual.css.query import NoMatches
    from textual.screen import Screen
    from textual.widgets import DataTable, Footer, Header

    from dntui.app import DntuiApp
    from dntui.config import Settings
    from dntui.screens.history import HistoryScreen

    class Empty(Screen[None]):
        def compose(self):  # type: ignore[no-untyped-def]
            yield Header()
            yield DataTable()
            yield Footer()

    with store.engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM practitioner WHERE id = 1")).scalar_one()
    app = DntuiApp(store=store, settings=Settings(), practitioner_name=name, today=lambda: TODAY)

    def rows_shown() -> bool:
        try:
            screen = app.screen
            return (
                isinstance(screen, HistoryScreen)
                and screen.query_one("#history", DataTable).row_count > 0
            )
        except NoMatches:
            return False

    out: dict[str, list[float]] = {"rows": [], "idle": [], "empty": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for i in range(runs + 1):
            t0 = time.perf_counter()
            app.push_screen(HistoryScreen())
            while not rows_shown():
                await asyncio.sleep(0.0005)
            t1 = time.perf_counter()
            await pilot.pause()
            t2 = time.perf_counter()
            app.pop_screen()
            await pilot.pause()
            t3 = time.perf_counter()
            app.push_screen(Empty())
            await pilot.pause()
            t4 = time.perf_counter()
            app.pop_screen()
            await pilot.pause()
            if i:  # the first run warms imports and caches
                out["rows"].append(t1 - t0)
                out["idle"].append(t2 - t0)
                out["empty"].append(t4 - t3)
    return out


def run(store: Store, runs: int, label: str) -> dict[str, Any]:
    results: dict[str, list[float]] = {}

    def open_history() -> None:
        history_page(store, HistoryFilter(), limit=100)
        history_count(store, HistoryFilter())

    results["open history (page + count)"] = _time(open_history, runs)

    prefixes = ["l", "li", "lin", "lind", "t", "ta", "tan", "c0001", "ada l"]
    typed: list[float] = []
    for prefix in prefixes:
        f = HistoryFilter(patient=prefix)
        typed += _time(lambda f=f: (history_page(store, f), history_count(store, f)), runs // 3 + 1)
    results["filter by patient prefix, per key"] = typed

    busy = TODAY - timedelta(days=10)
    results["day sheet, all practitioners"] = _time(lambda: day_sheet(store, busy), runs)
    results["day sheet, one practitioner"] = _time(
        lambda: day_sheet(store, busy, practitioner_id=3), runs
    )
    with store.engine.connect() as conn:
        pid = conn.execute(
            text("SELECT patient_id FROM visit GROUP BY patient_id ORDER BY count(*) DESC LIMIT 1")
        ).scalar_one()
    results["patient view (most visits)"] = _time(lambda: patient_visits(store, pid), runs)

    def month_csv() -> None:
        from dntui.exports.export import write_csv

        write_csv(
            export_records(store, date_from=TODAY - timedelta(days=30), date_to=TODAY),
            io.StringIO(),
        )

    results["CSV export, one month"] = _time(month_csv, max(3, runs // 5))
    screen = asyncio.run(_screen_open(store, max(5, runs // 3)))
    results["history screen: push to 100 rows"] = screen["rows"]
    results["history screen: push to idle"] = screen["idle"]
    results["(baseline) empty screen: push to idle"] = screen["empty"]

    table = {name: _ms(samples) for name, samples in results.items()}
    print(f"\n{label}")
    print(f"{'operation':<38} {'median ms':>10} {'p95 ms':>9} {'runs':>5}")
    for name, t in table.items():
        print(f"{name:<38} {t['median']:>10.2f} {t['p95']:>9.2f} {t['n']:>5}")
    return {name: t["median"] for name, t in table.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--dir", type=Path, help="keep the SQLite database here (reused)")
    args = ap.parse_args()

    out: dict[str, Any] = {"visits": args.visits}
    with tempfile.TemporaryDirectory(prefix="dntui-bench-") as tmp:
        folder = args.dir or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("DNTUI_DATA_DIR", str(Path(tmp) / "data"))
        os.environ.setdefault("DNTUI_CONFIG_DIR", str(Path(tmp) / "config"))
        db = folder / f"history-{args.visits}.db"
        store = Store.open(f"sqlite:///{db}")
        try:
            have = visit_total(store)
            if have == 0:
                print(f"building {args.visits} visits in {db} ...", flush=True)
                out["sqlite_build_s"] = round(build(store, args.visits), 1)
            elif have != args.visits:
                print(f"{db} holds {have} visits, not {args.visits}: remove it", file=sys.stderr)
                return 1
            out["sqlite"] = run(store, args.runs, f"SQLite, {args.visits} visits")
        finally:
            store.close()
        pg = os.environ.get("DNTUI_BENCH_PG_URL")
        if pg:
            store = Store.open(pg)
            try:
                if visit_total(store) == 0:
                    print("building on PostgreSQL ...", flush=True)
                    out["pg_build_s"] = round(build(store, args.visits), 1)
                out["postgresql"] = run(store, args.runs, f"PostgreSQL, {args.visits} visits")
            finally:
                store.close()
    load = os.getloadavg()
    out["load"] = [round(x, 2) for x in load]
    print(f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
