"""Seeded random keystrokes into the real app: it never crashes and the data stays sound.

Textual's ``run_test`` re-raises any exception the app raised, so a crash fails
the test; the seed and the last keys are attached to the error to replay it.
At the end the app must still be running, the audit chain must verify and every
saved visit's draft must load again. Run with ``-s`` to see the key count; set
``DNTUI_FUZZ_SEEDS`` (e.g. ``4-40``) to hunt with more seeds.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import traceback
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from app_support import wait_for
from sqlmodel import Session, select
from textual.pilot import Pilot
from textual.widgets import Input

from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.domain.visit import VisitDraft
from dntui.screens.start import StartScreen
from dntui.store.demo import DEMO_PIN, seed_demo
from dntui.store.models import Visit
from dntui.store.repo import Store

TODAY = date(2026, 3, 16)


def _seeds(spec: str) -> tuple[int, ...]:
    """``DNTUI_FUZZ_SEEDS="4-40"`` or ``"7,9"`` hunts with other seeds (default 1, 2, 3)."""
    seeds: list[int] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        lo, _, hi = part.partition("-")
        seeds += range(int(lo), int(hi or lo) + 1)
    return tuple(seeds)


SEEDS = _seeds(os.environ.get("DNTUI_FUZZ_SEEDS", "1-3"))
KEYS_PER_SEED = 800
PAUSE_EVERY = 5  # let modal screens, timers and the autosave run

# What a practitioner's fingers hit, weighted: typing is the bulk, navigation keys
# and the step/edit keys come often enough to reach every screen. Never ctrl+q.
LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]
DIGITS = [str(d) for d in range(10)]
NAVIGATION = ["space", "enter", "escape", "tab", "up", "down", "backspace"]
FUNCTION_KEYS = [f"f{i}" for i in range(1, 10)] + ["ctrl+n"]
EDIT_KEYS = [
    "plus",
    "minus",
    "equals_sign",
    "slash",
    "left_square_bracket",
    "right_square_bracket",
]
ALPHABET: tuple[tuple[Sequence[str], float], ...] = (
    (LETTERS, 0.40),
    (DIGITS, 0.10),
    (NAVIGATION, 0.25),
    (FUNCTION_KEYS, 0.15),
    (EDIT_KEYS, 0.10),
)
FORBIDDEN = frozenset({"ctrl+q", "ctrl+c"})


def key_stream(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    groups = [g for g, _ in ALPHABET]
    weights = [w for _, w in ALPHABET]
    keys = [rng.choice(rng.choices(groups, weights)[0]) for _ in range(count)]
    assert not FORBIDDEN & set(keys)
    return keys


async def _yield_once(*_args: float) -> None:
    await asyncio.sleep(0)


def _crash(app: DntuiApp) -> str:
    """The exception that stopped the app (Textual keeps it until ``run_test`` ends)."""
    exc = getattr(app, "_exception", None)
    if exc is None:
        return "no exception recorded"
    return "".join(traceback.format_exception(exc))


def _locked(app: DntuiApp) -> bool:
    return type(app.screen).__name__ == "LockScreen"


async def unlock(pilot: Pilot[int], app: DntuiApp) -> bool:
    """Back at the keyboard after the lock ("l"): the PIN, as each demo practitioner in turn."""
    await pilot.pause()  # the lock screen is pushed, not yet mounted (Python 3.12+ ordering)
    for _ in range(2):
        await pilot.pause()  # the lock screen composes on its next turn
        app.screen.query_one("#lock-pin", Input).value = ""
        await pilot.press(*DEMO_PIN, "enter")
        await pilot.pause()
        if not _locked(app):
            return True
        await pilot.press("down")  # locked out after random PINs? try the other person
    return False


@pytest.fixture
def fast_press(monkeypatch: pytest.MonkeyPatch) -> None:
    """``Pilot.press`` without its two 20 ms idle sleeps per key (textual.app.wait_for_idle).

    ``press`` still waits until the screen has handled every queued message, and
    ``pilot.pause()`` (every few keys) still waits for real idleness, so timers,
    modal screens and the autosave run. Without this, 2,400 keys take ~3 minutes.
    """
    import textual.app

    monkeypatch.setattr(textual.app, "wait_for_idle", _yield_once)


@pytest.fixture
def demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    monkeypatch.setenv("DNTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)  # a fuzzed export path like "ab" lands here, not in the repo
    store = Store.open(f"sqlite:///{tmp_path / 'data' / 'dntui.db'}")
    assert seed_demo(store, today=TODAY)
    return store


@pytest.mark.parametrize("seed", SEEDS)
async def test_random_keys_never_crash_the_app(
    demo_store: Store,
    fast_press: None,
    seed: int,
    report_line: Callable[[str], None],
) -> None:
    store = demo_store
    app = DntuiApp(
        store=store, settings=Settings(), practitioner_name="Dana Reyes", today=lambda: TODAY
    )
    keys = key_stream(seed, KEYS_PER_SEED)
    exits: list[str] = []  # where App.exit was called from: the app must never leave
    real_exit = app.exit

    def traced_exit(*args: Any, **kwargs: Any) -> None:
        exits.append("".join(traceback.format_stack(limit=12)[:-1]))
        real_exit(*args, **kwargs)

    app.exit = traced_exit  # type: ignore[method-assign]
    pressed: list[str] = []
    back_to_start = 0
    screens_seen: set[str] = set()
    unlocks = 0
    try:
        async with app.run_test(size=(100, 32)) as pilot:
            await wait_for(pilot, lambda: app.practitioner is not None, what="Dana Reyes")
            assert app.practitioner is not None and app.practitioner.name == "Dana Reyes"
            for i, key in enumerate(keys, 1):
                await pilot.press(key)
                pressed.append(key)
                if i % PAUSE_EVERY == 0:
                    await pilot.pause()
                screens_seen.add(type(app.screen).__name__)
                if _locked(app) and await unlock(pilot, app):
                    unlocks += 1
                if isinstance(app.screen, StartScreen):
                    back_to_start += 1  # dropped to the start screen: keep going
                assert app.is_running, (
                    f"the app left after key {i} ({key!r}) on {type(app.screen).__name__}, "
                    f"screens {screens_seen}; exit called from:\n"
                    f"{''.join(exits) or '(not App.exit)'}\n{_crash(app)}"
                )
            await pilot.pause()
            assert app.is_running and app.return_code is None
    except BaseException as exc:
        exc.add_note(f"fuzz seed {seed}; last keys: {pressed[-40:]}")
        raise

    report_line(
        f"fuzz: keys fuzzed: {len(pressed)} (seed {seed}, "
        f"{back_to_start} keys pressed on the start screen, {unlocks} unlocks; "
        f"screens: {', '.join(sorted(screens_seen))})"
    )
    assert len(pressed) == KEYS_PER_SEED
    check = store.verify_audit()
    assert check.ok, check.message()
    with Session(store.engine) as s:
        drafts = s.exec(select(Visit.id, Visit.draft_json)).all()
    assert drafts, "the demo visits are gone"
    for visit_id, draft_json in drafts:
        draft = VisitDraft.from_dict(json.loads(draft_json))
        assert draft.visit_id in (None, visit_id)
    store.close()
