"""Keys and time for a typical visit, driven from the keyboard with Textual's Pilot.

Run: ``.venv/bin/python bench/bench_keystrokes.py [--rounds 5] [--size 80x24]``.

The visit (issue 13): a known patient, screening all No, consent, three muscles with
one on both sides, all needles out, sign. Each round starts from the start screen
of a seeded demo database (SQLite, a temporary folder) and logs one visit for a
different demo patient, pressing only keys (no widget is set directly). Keys are
counted in three kinds: **keys** (the figure with a target of at most 40), **text**
(patient search and muscle names typed) and **PIN**. Every step waits until its
result is in the draft (the patient chosen, consent given, the visit signed and
read-only), so a key that did nothing would fail the run, not pass it.

Time per step: from the step's first key to its result, median over the rounds.
By default keys go out as fast as Pilot can post them (its two 20 ms idle sleeps
per key are switched off, as in ``bench_keys.py``): each key is one a person might
type ahead, and the app takes them in order (DntuiApp sends a key once the one
before it was handled), so the figure is the app's own work, including the signing
PIN's scrypt and the database writes in threads. ``--pace idle`` presses each key
only once the app is idle after the last (Pilot's default), a slower upper bound.
Prints a table, then one JSON line.
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import textual.app
from textual.pilot import Pilot

TODAY = date(2026, 3, 16)
TARGET_KEYS = 40
#: Demo patients without a draft of today, searched by last name (text typed).
PATIENTS = ("Tanaka", "Mbeki", "Brandt", "Walsh", "Romano", "Herrera", "Natarajan")
#: The three muscles, as typed in the muscle search; the last one goes on both sides.
MUSCLES = ("lev scap", "infra", "ut")
KEY_NAMES = {" ": "space", "-": "minus"}


async def _yield_once(*_args: float) -> None:
    await asyncio.sleep(0)


@dataclass
class Step:
    name: str
    keys: list[str] = field(default_factory=list)
    text: int = 0
    pin: int = 0
    seconds: float = 0.0


class Driver:
    """Presses keys for one step at a time and counts them by kind."""

    def __init__(self, pilot: Pilot[int]) -> None:
        self.pilot = pilot
        self.steps: list[Step] = []

    def step(self, name: str) -> Step:
        self.steps.append(Step(name))
        self._t0 = time.perf_counter()
        return self.steps[-1]

    async def keys(self, *keys: str) -> None:
        self.steps[-1].keys.extend(keys)
        await self.pilot.press(*keys)

    async def text(self, text: str, *, pin: bool = False) -> None:
        if pin:
            self.steps[-1].pin += len(text)
        else:
            self.steps[-1].text += len(text)
        await self.pilot.press(*[KEY_NAMES.get(ch, ch) for ch in text])

    async def until(self, what: str, condition: Callable[[], bool], timeout: float = 10) -> None:
        end = time.perf_counter() + timeout
        while not condition():
            if time.perf_counter() > end:
                raise AssertionError(
                    f"{self.steps[-1].name}: {what} never happened "
                    f"(screen {type(self.pilot.app.screen).__name__}, "
                    f"focus {self.pilot.app.focused!r}, keys {self.steps[-1].keys})"
                )
            await asyncio.sleep(0.001)
        self.steps[-1].seconds = time.perf_counter() - self._t0


def step_of(screen: Any) -> str:
    from textual.widgets import ContentSwitcher

    return str(screen.query_one(ContentSwitcher).current)


async def one_visit(pilot: Pilot[int], patient: str, pin: str) -> list[Step]:
    from textual.widgets import Input

    from dntui.dialogs.consent import ConsentScreen
    from dntui.dialogs.pin import PinScreen
    from dntui.domain.visit import Side
    from dntui.screens.start import StartScreen
    from dntui.screens.visit import VisitScreen

    app = pilot.app
    d = Driver(pilot)

    d.step("open a new visit")
    await d.keys("n")
    await d.until(
        "the visit screen",
        lambda: (
            isinstance(app.screen, VisitScreen)
            and isinstance(app.focused, Input)
            and app.focused.id == "patient-search"
        ),
    )
    vs = app.screen
    assert isinstance(vs, VisitScreen)
    draft = vs.draft

    d.step("known patient")
    await d.text(patient)
    await d.keys("enter")  # the first match (Enter waits for the results of what was typed)
    await d.until("the patient chosen", lambda: draft.patient.id is not None)
    assert patient in draft.patient.name

    d.step("screening all No + consent")
    await d.keys("ctrl+n")
    await d.until("the screening step", lambda: step_of(vs) == "screening")
    await d.keys("0")  # every question not yet answered: No
    await d.keys("c")
    await d.until("the consent dialog", lambda: isinstance(app.screen, ConsentScreen))
    await d.keys("enter")  # written consent (the default)
    await d.until(
        "consent given",
        lambda: draft.consent.given and vs.screening_result().can_sign,
    )

    d.step("3 muscles, one both sides, needles out")
    await d.keys("ctrl+n")
    await d.until("the muscles step", lambda: step_of(vs) == "muscles")
    for query in MUSCLES:
        await d.text(query)
        await d.keys("enter")
    await d.until("three muscles", lambda: len(draft.muscles) == 3)
    await d.keys("f8", "b")  # the chosen list's cursor is on the last added (ut): both sides
    await d.keys("f9")  # all needles out
    await d.until(
        "ut on both sides, all needles out",
        lambda: (
            draft.muscles[-1].side == Side.BILATERAL
            and all(m.needles_out == m.needles_in > 0 for m in draft.muscles)
        ),
    )

    d.step("aftercare (generated)")
    await d.keys("ctrl+n")
    await d.until("the aftercare step", lambda: step_of(vs) == "instructions")

    d.step("review + sign with PIN")
    await d.keys("ctrl+n")
    await d.until("the review step", lambda: step_of(vs) == "review")
    await d.keys("s")
    await d.until("the PIN dialog", lambda: isinstance(app.screen, PinScreen))
    await d.text(pin, pin=True)
    await d.keys("enter")
    await d.until("signed", lambda: vs.locked, timeout=20)

    # Back to the start screen for the next round (not part of the visit).
    await pilot.press("escape")
    end = time.perf_counter() + 10
    while not isinstance(app.screen, StartScreen):
        if time.perf_counter() > end:
            raise AssertionError("did not return to the start screen")
        await asyncio.sleep(0.005)
    return d.steps


async def bench(rounds: int, size: tuple[int, int], folder: Path) -> list[list[Step]]:
    from dntui.app import DntuiApp
    from dntui.config import Settings
    from dntui.store.demo import DEMO_PIN, seed_demo
    from dntui.store.repo import Store

    store = Store.open(f"sqlite:///{folder / 'demo.db'}")
    seed_demo(store, today=TODAY)
    app = DntuiApp(
        store=store,
        settings=Settings(),
        practitioner_name="Dana Reyes",
        today=lambda: TODAY,
        demo=True,
    )
    results: list[list[Step]] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for i in range(rounds):
            results.append(await one_visit(pilot, PATIENTS[i % len(PATIENTS)], DEMO_PIN))
    store.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size", default="80x24", help="terminal size, WxH (80x24)")
    parser.add_argument(
        "--pace",
        choices=("fast", "idle"),
        default="fast",
        help="fast: keys as fast as they can be posted; idle: each once the app is idle",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.rounds <= len(PATIENTS):
        parser.error(f"--rounds: 1 to {len(PATIENTS)} (one demo patient per round)")
    width, height = (int(n) for n in args.size.lower().split("x"))
    if args.pace == "fast":
        textual.app.wait_for_idle = _yield_once  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["DNTUI_DATA_DIR"] = str(folder / "data")
        os.environ["DNTUI_CONFIG_DIR"] = str(folder / "config")
        results = asyncio.run(bench(args.rounds, (width, height), folder))
    first = results[0]
    assert all([s.keys for s in r] == [s.keys for s in first] for r in results), "keys differ"
    rows: list[dict[str, Any]] = []
    for i, step in enumerate(first):
        times = [r[i].seconds * 1000 for r in results]
        rows.append(
            {
                "step": step.name,
                "keys": len(step.keys),
                "text": step.text,
                "pin": step.pin,
                "ms_median": round(statistics.median(times), 1),
                "ms_max": round(max(times), 1),
                "key_list": " ".join(step.keys),
            }
        )
    total_keys = sum(r["keys"] for r in rows)
    total_ms = [sum(s.seconds for s in r) * 1000 for r in results]
    print(
        f"Keystrokes for a typical visit, {width}x{height}, {args.rounds} round(s), "
        f"pace {args.pace}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"{'step':<40} {'keys':>4} {'text':>4} {'PIN':>3} {'ms med':>7} {'ms max':>7}  keys")
    for r in rows:
        print(
            f"{r['step']:<40} {r['keys']:>4} {r['text']:>4} {r['pin']:>3} "
            f"{r['ms_median']:>7} {r['ms_max']:>7}  {r['key_list']}"
        )
    print(
        f"{'total':<40} {total_keys:>4} {sum(r['text'] for r in rows):>4} "
        f"{sum(r['pin'] for r in rows):>3} {statistics.median(total_ms):>7.1f} "
        f"{max(total_ms):>7.1f}"
    )
    verdict = "within" if total_keys <= TARGET_KEYS else "OVER"
    print(f"{total_keys} keys (not counting typed text and the PIN): {verdict} the target of "
          f"{TARGET_KEYS}")  # fmt: skip
    print(
        json.dumps(
            {
                "size": f"{width}x{height}",
                "pace": args.pace,
                "rounds": args.rounds,
                "keys": total_keys,
                "target": TARGET_KEYS,
                "total_ms_median": round(statistics.median(total_ms), 1),
                "steps": [{k: v for k, v in r.items() if k != "key_list"} for r in rows],
            }
        )
    )
    return 0 if total_keys <= TARGET_KEYS else 1


if __name__ == "__main__":
    sys.exit(main())
