"""Benchmark the practice dashboard on 100,000 visits.

Run: ``.venv/bin/python bench/bench_dashboard.py [--visits N] [--dir FOLDER]``.

Uses the database of ``bench_history.py`` (same builder, same seed: 12
practitioners, N/5 patients, N visits over three years ending 16 Mar 2026, 8 %
drafts, a quarter of them Medicare); ``--dir`` shares the file with that bench.
With ``DNTUI_BENCH_PG_URL`` naming an empty PostgreSQL database the same runs
there.

Times, median and p95 of repeated runs:

- ``dashboard()`` for the week, the month and the quarter around a busy day
  (every figure of the screen: weeks, code mix, payers, adverse events, the
  oldest 200 drafts, the Medicare watch list);
- the start screen's late-draft counts (clinic and one practitioner);
- the dashboard screen itself, headless at 80x24: the action of key ``b`` on the start
  screen until the figures are drawn and the app is idle (query in a thread worker),
  against the day sheet screen pushed to idle in the same run.

Prints a table, then one JSON line with the medians in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_history import TODAY, _ms, _time, build, visit_total
from sqlalchemy import text

from dntui.domain.periods import Period
from dntui.store.dashboard import dashboard, draft_counts
from dntui.store.repo import Store

DAY = TODAY - timedelta(days=10)


async def _screen(store: Store, runs: int) -> dict[str, list[float]]:
    """Headless app at 80x24: open the dashboard (what key b does); time until its
    figures are on the screen, and until the app is idle again (frame composed)."""
    from dntui.app import DntuiApp
    from dntui.config import Settings
    from dntui.screens.dashboard import DashboardScreen
    from dntui.screens.daysheet import DaySheetScreen

    with store.engine.connect() as conn:
        name = conn.execute(text("SELECT name FROM practitioner WHERE id = 1")).scalar_one()
    app = DntuiApp(store=store, settings=Settings(), practitioner_name=name, today=lambda: TODAY)
    out: dict[str, list[float]] = {"shown": [], "idle": [], "daysheet": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.clear_notifications()
        for i in range(runs + 1):
            t0 = time.perf_counter()
            app.action_dashboard()  # what key b on the start screen does
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            while screen.data is None:
                await asyncio.sleep(0.0005)
            t1 = time.perf_counter()
            await pilot.pause()
            t2 = time.perf_counter()
            app.pop_screen()
            await pilot.pause()
            t3 = time.perf_counter()
            app.push_screen(DaySheetScreen(DAY))  # an existing screen, for comparison
            await pilot.pause()
            t4 = time.perf_counter()
            app.pop_screen()
            await pilot.pause()
            if i:  # the first run warms imports and caches
                out["shown"].append(t1 - t0)
                out["idle"].append(t2 - t0)
                out["daysheet"].append(t4 - t3)
    return out


def run(store: Store, runs: int, label: str) -> dict[str, float]:
    results: dict[str, list[float]] = {}
    for kind in ("week", "month", "quarter"):
        period = Period.containing(kind, DAY)  # type: ignore[arg-type]
        results[f"dashboard(), {kind}"] = _time(
            lambda p=period: dashboard(store, p, today=TODAY, late_days=2), runs
        )
    results["late-draft counts, clinic"] = _time(
        lambda: draft_counts(store, today=TODAY, late_days=2), runs
    )
    results["late-draft counts, one practitioner"] = _time(
        lambda: draft_counts(store, today=TODAY, late_days=2, practitioner_id=3), runs
    )
    screen = asyncio.run(_screen(store, max(5, runs // 3)))
    results["dashboard screen: open to figures shown"] = screen["shown"]
    results["dashboard screen: open to idle"] = screen["idle"]
    results["(baseline) day sheet screen: to idle"] = screen["daysheet"]
    table = {name: _ms(samples) for name, samples in results.items()}
    d = dashboard(store, Period.containing("quarter", DAY), today=TODAY, late_days=2)
    print(f"\n{label}")
    print(
        f"(quarter: {d.signed} signed visits, {d.drafts_total} open drafts, "
        f"{d.drafts_late} late, {len(d.medicare)} Medicare patients near a limit)"
    )
    print(f"{'operation':<38} {'median ms':>10} {'p95 ms':>9} {'runs':>5}")
    for name, t in table.items():
        print(f"{name:<38} {t['median']:>10.2f} {t['p95']:>9.2f} {t['n']:>5}")
    return {name: t["median"] for name, t in table.items()}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--visits", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=20)
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
