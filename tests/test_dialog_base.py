"""Enter in a dialog's fields, held once by the Dialog base (SUBMIT_ON_ENTER)."""

from __future__ import annotations

from typing import Any

import pytest
from app_support import wait_for
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from dntui.dialogs.base import Dialog


class _Form(Dialog[str]):
    def __init__(self, submit_on_enter: str | None) -> None:
        super().__init__()
        self.SUBMIT_ON_ENTER = submit_on_enter
        self.submitted = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(id="first")
            yield Input(id="last")
            yield Static("", classes="error")

    def on_mount(self) -> None:
        self.query_one("#first", Input).focus()

    def submit(self) -> None:
        self.submitted += 1


class _Host(App[None]):
    pass


@pytest.mark.parametrize(
    ("policy", "after_first", "after_last"),
    [
        ("last", (0, "last"), 1),  # Enter moves on, then submits from the named field
        ("*", (1, "first"), 2),  # any field submits
        (None, (0, "first"), 0),  # Enter is left to the fields
    ],
)
async def test_enter_moves_on_or_submits_as_the_dialog_says(
    policy: str | None, after_first: tuple[int, str], after_last: int
) -> None:
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        form = _Form(policy)
        app.push_screen(form)
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "first")
        await pilot.press("enter")
        await pilot.pause()
        focused: Any = app.focused
        assert (form.submitted, focused.id) == after_first
        form.query_one("#last", Input).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert form.submitted == after_last


async def test_enter_in_the_pin_dialog_dismisses_it_and_nothing_below() -> None:
    """The PIN dialog answers Enter with the PIN as typed, and the base's Enter handling
    must not run as well: twice dismissed, it took the screen below with it."""
    from textual.screen import Screen

    from dntui.dialogs.pin import PinScreen

    answers: list[str | None] = []
    app = _Host()
    async with app.run_test(size=(80, 24)) as pilot:
        below = Screen()
        app.push_screen(below)
        app.push_screen(PinScreen("Sign"), answers.append)
        await wait_for(pilot, lambda: isinstance(app.focused, Input))
        await pilot.press(*"246810", "enter")
        await wait_for(pilot, lambda: answers == ["246810"])
        await pilot.pause()
        assert app.screen is below and answers == ["246810"]
