"""Keys typed in one go across a focus change land where the previous key sent the
focus (issue 13, found by bench/bench_keystrokes.py).

A terminal read can hold "F8 b" or "/lev scap⏎" (a fast typist, a slow SSH link).
Textual forwards every key of the read to the widget focused when it arrives,
before the first key's binding has moved the focus: "b" went into the muscle
search instead of setting both sides, and the letters after "/" edited the chosen
list ("l": left side, "v": spinal level dialog). The app now sends a key only once
the one before it was handled (DntuiApp.on_event, typeahead); these keep it so.
"""

from __future__ import annotations

from typing import Any

import app_support
from textual import events

from dntui.domain.visit import Side


def burst(app: Any, *keys: tuple[str, str | None]) -> None:
    """Queue the keys at once, as the driver does for one terminal read."""
    for key, char in keys:
        app.post_message(events.Key(key, char))


def typed(text: str) -> list[tuple[str, str | None]]:
    names = {" ": "space", "\r": "enter", "/": "slash"}
    return [(names.get(ch, ch), ch) for ch in text]


async def _until(pilot: Any, condition: Any) -> None:
    await app_support.wait_for(pilot, condition)


async def test_f8_then_a_side_key_in_one_read_sets_the_side(clinic_store: Any) -> None:
    app = app_support.make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await app_support.start_visit(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await app_support.type_text(pilot, "ut")
        await pilot.press("enter")
        await _until(pilot, lambda: len(screen.draft.muscles) == 1)
        burst(app, ("f8", None), ("b", "b"))
        await _until(pilot, lambda: app.focused.id == "chosen")
        await pilot.pause()
        assert screen.draft.muscles[0].side == Side.BILATERAL
        assert screen.query_one("#muscle-search").value == "ut"  # no "b" typed into it


async def test_slash_then_a_muscle_in_one_read_searches(clinic_store: Any) -> None:
    app = app_support.make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await app_support.start_visit(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await app_support.type_text(pilot, "ut")
        await pilot.press("enter", "f8", "b")
        await _until(pilot, lambda: screen.draft.muscles[0].side == Side.BILATERAL)
        burst(app, *typed("/lev scap\r"))
        await _until(pilot, lambda: len(screen.draft.muscles) == 2)
        await pilot.pause()
        assert [m.muscle_id for m in screen.draft.muscles] == [
            "upper-trapezius",
            "levator-scapulae",
        ]
        assert screen.draft.muscles[0].side == Side.BILATERAL  # "l" did not set it Left
        assert type(app.screen).__name__ == "VisitScreen"  # "v" opened no spinal-level dialog
