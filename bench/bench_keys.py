"""Benchmark keystroke latency in the visit screen, headless with Textual's Pilot.

Run: ``.venv/bin/python bench/bench_keys.py [--keys 200] [--toggles 40]``.

Two measurements, both from the moment the key is sent (``time.perf_counter``):

* muscle search: typing then deleting queries one character at a time (``--keys``
  keys) until the frame showing the new results is composited;
* patient search (step 1): typing names, from the key to the frame showing it in
  the search box (each key also starts a database search in a thread);
* muscle toggle: Enter adds a third muscle (20560 -> 20561), ``x`` removes it
  (20561 -> 20560), until the frame with the billing pane's new code is composited.

"frame" is the first screen update Textual hands to its driver (``App._display``)
once the state is right; "pilot" is when ``await pilot.pause()`` returns after the
key, which adds Pilot's idle detection (it sleeps in 20 ms steps). Pilot's own
2 x 20 ms idle sleeps inside ``press`` are switched off so they do not swamp the
figures. ``--db-delay-ms 50`` slows every database statement by 50 ms (an
SQLAlchemy ``before_cursor_execute`` hook): the keys must not get slower.
Prints a table, then a JSON line with median/p95 in milliseconds.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import textual.app
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.domain import muscles
from dntui.screens.visit import VisitScreen
from dntui.store.repo import Store
from dntui.widgets.billing_pane import BillingPane
from dntui.widgets.step_muscles import RESULTS_LIMIT, MuscleSearch

TODAY = date(2026, 3, 16)
QUERIES = ("upper trap", "lev scap", "glut med", "piriformis", "scm", "infra", "ql", "gastroc")
KEY_NAMES = {" ": "space"}


async def _yield_once(*_args: float) -> None:
    await asyncio.sleep(0)


def _stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "median": round(statistics.median(ordered) * 1000, 2),
        "p95": round(p95 * 1000, 2),
        "max": round(ordered[-1] * 1000, 2),
    }


class FrameClock:
    """Records when the first frame is displayed after ``arm()`` while ``ready()`` holds."""

    def __init__(self, app: DntuiApp) -> None:
        self.ready: Callable[[], bool] = lambda: False
        self.at: float | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is not None and self.at is None and self.ready():
                self.at = time.perf_counter()

        app._display = display  # type: ignore[method-assign]

    def arm(self, ready: Callable[[], bool]) -> None:
        self.at, self.ready = None, ready

    async def wait(self, timeout: float = 5.0) -> float:
        end = time.perf_counter() + timeout
        while self.at is None:
            if time.perf_counter() > end:
                raise TimeoutError("no frame with the expected state")
            await asyncio.sleep(0.001)
        return self.at


async def timed_key(pilot: Pilot[int], clock: FrameClock, key: str, ready: Callable[[], bool]):  # type: ignore[no-untyped-def]
    clock.arm(ready)
    t0 = time.perf_counter()
    await pilot.press(key)
    frame = await clock.wait()
    await pilot.pause()
    return frame - t0, time.perf_counter() - t0


def slow_down(store: Store, delay_ms: float) -> None:
    """Make every statement the store runs take ``delay_ms`` longer (a slow database)."""
    from sqlalchemy import event

    @event.listens_for(store.engine, "before_cursor_execute")
    def _sleep(*_args: Any) -> None:
        time.sleep(delay_ms / 1000)


async def bench(
    keys: int, toggles: int, db: Path, delay_ms: float = 0
) -> dict[str, dict[str, float]]:
    store = Store.open(f"sqlite:///{db}")
    pr = store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
    for i in range(40):
        store.add_patient(f"Ada Park {i}", date(1980, 1, 2), actor=pr)
    if delay_ms:
        slow_down(store, delay_ms)
    app = DntuiApp(
        store=store, settings=Settings(), practitioner_name="Dana Reyes", today=lambda: TODAY
    )
    search_frame: list[float] = []
    search_pilot: list[float] = []
    toggle_frame: list[float] = []
    toggle_pilot: list[float] = []
    patient_frame: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        clock = FrameClock(app)
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, VisitScreen)

        # 0. Patient search (step 1): every key queries the database; the key must
        #    show in the box without waiting for the answer.
        search = screen.query_one("#patient-search", Input)
        search.focus()
        for _ in range(max(1, keys // 20)):
            for text in ("ada", "ada p", "ada park 1"):
                search.value = ""
                await pilot.pause()
                for i in range(1, len(text) + 1):
                    want = text[:i]
                    key = KEY_NAMES.get(want[-1], want[-1])
                    frame, _settled = await timed_key(
                        pilot, clock, key, lambda want=want: search.value == want
                    )
                    patient_frame.append(frame)
        search.value = ""
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        box = screen.query_one(MuscleSearch)
        results = screen.query_one("#muscle-results", OptionList)

        def shows(query: str) -> Callable[[], bool]:
            expected = [m.id for m in muscles.search(query, limit=RESULTS_LIMIT)]

            def ok() -> bool:
                if box.value != query or results.option_count != len(expected):
                    return False
                return not expected or results.get_option_at_index(0).id == expected[0]

            return ok

        # 1. Search: type a query, then delete it, one key at a time.
        done = 0
        while done < keys:
            for query in QUERIES:
                steps = [query[:i] for i in range(1, len(query) + 1)]
                steps += [query[:i] for i in range(len(query) - 1, -1, -1)]
                for i, after in enumerate(steps):
                    typing = i < len(query)
                    key = KEY_NAMES.get(after[-1], after[-1]) if typing else "backspace"
                    frame, settled = await timed_key(pilot, clock, key, shows(after))
                    search_frame.append(frame)
                    search_pilot.append(settled)
                    done += 1
                    if done >= keys:
                        break
                if done >= keys:
                    break
            if done < keys and box.value:
                box.value = ""
                await pilot.pause()

        # 2. Toggle: two muscles (20560), Enter adds a third (20561), x removes it.
        box.value = ""
        await pilot.pause()
        for query in ("ut", "lev scap"):
            await pilot.press(*[KEY_NAMES.get(c, c) for c in query], "enter")
            await pilot.pause()
        pane = screen.query_one(BillingPane)
        assert "CPT 20560" in pane.plain and len(screen.draft.muscles) == 2, pane.plain

        def code(c: str) -> Callable[[], bool]:
            return lambda: f"CPT {c}" in pane.plain

        for _ in range(toggles):
            box.focus()
            await pilot.press("s", "c", "m")
            await pilot.pause()
            frame, settled = await timed_key(pilot, clock, "enter", code("20561"))
            toggle_frame.append(frame)
            toggle_pilot.append(settled)
            await pilot.press("f8")  # the chosen list, cursor on the muscle just added
            await pilot.pause()
            frame, settled = await timed_key(pilot, clock, "x", code("20560"))
            toggle_frame.append(frame)
            toggle_pilot.append(settled)
        assert len(screen.draft.muscles) == 2
    store.close()
    return {
        "patient_search_key_to_frame": _stats(patient_frame),
        "search_key_to_frame": _stats(search_frame),
        "search_key_to_pilot_idle": _stats(search_pilot),
        "toggle_key_to_frame": _stats(toggle_frame),
        "toggle_key_to_pilot_idle": _stats(toggle_pilot),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=200, help="search keystrokes")
    parser.add_argument("--toggles", type=int, default=40, help="add+remove pairs")
    parser.add_argument(
        "--db-delay-ms",
        type=float,
        default=0,
        help="slow every database statement by this much (e.g. 50: a slow or busy server)",
    )
    args = parser.parse_args()
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with tempfile.TemporaryDirectory(prefix="dntui-bench-") as tmp:
        os.environ["DNTUI_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["DNTUI_CONFIG_DIR"] = str(Path(tmp) / "config")
        textual.app.wait_for_idle = _yield_once  # type: ignore[assignment]
        results = asyncio.run(
            bench(args.keys, args.toggles, Path(tmp) / "data" / "bench.db", args.db_delay_ms)
        )

    print(
        f"headless 120x40; database delay {args.db_delay_ms:g} ms per statement; "
        f"load average {os.getloadavg()}"
    )
    print(f"{'measure':<26} {'n':>4} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    for name, s in results.items():
        print(f"{name:<26} {s['n']:>4} {s['median']:>10.2f} {s['p95']:>8.2f} {s['max']:>8.2f}")
    print(
        json.dumps(
            {
                "median_ms": {k: v["median"] for k, v in results.items()},
                "p95_ms": {k: v["p95"] for k, v in results.items()},
                "n": {k: v["n"] for k, v in results.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
