"""Issue 17, item 9: switching practitioner asks for the PIN of the one switched to;
two practitioners cannot share a name (the exports could not tell them apart)."""

from __future__ import annotations

from typing import Any

import app_support
import pytest
from app_support import PIN, make_app, practitioner_form, type_text

from dntui.dialogs.pin import PinScreen
from dntui.screens.practitioner import NewPractitionerScreen, PickPractitionerScreen
from dntui.screens.start import StartScreen
from dntui.store.repo import Store

SAM_PIN = "975318"


@pytest.fixture
def two(clinic_store: Store) -> Store:
    clinic_store.add_practitioner("Sam Okafor", "DC", pin=SAM_PIN)
    return clinic_store


async def _until(pilot: Any, condition: Any) -> None:
    await app_support.wait_for(pilot, condition)


async def _choose_sam(pilot: Any) -> None:
    app = pilot.app
    await _until(pilot, lambda: isinstance(app.screen, StartScreen) and app.practitioner)
    await pilot.press("p")
    await _until(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
    await pilot.press("down", "enter")  # Dana Reyes, then Sam Okafor
    await _until(pilot, lambda: isinstance(app.screen, PinScreen))
    assert isinstance(app.screen, PinScreen)


async def test_switching_needs_the_pin_of_the_one_switched_to(two: Store) -> None:
    app = make_app(two)
    async with app.run_test(size=(100, 30)) as pilot:
        await _choose_sam(pilot)
        await type_text(pilot, PIN)  # Dana's PIN is not Sam's
        await pilot.press("enter")
        await _until(pilot, lambda: not isinstance(app.screen, PinScreen))
        assert app.practitioner.name == "Dana Reyes"
        assert any("Wrong PIN" in n.message for n in app._notifications)

        await _choose_sam(pilot)
        await pilot.press("escape")  # cancelled: nothing changes
        await _until(pilot, lambda: not isinstance(app.screen, PinScreen))
        assert app.practitioner.name == "Dana Reyes"

        await _choose_sam(pilot)
        await type_text(pilot, SAM_PIN)
        await pilot.press("enter")
        await _until(pilot, lambda: app.practitioner.name == "Sam Okafor")
        assert app.practitioner.name == "Sam Okafor"
        assert "Sam Okafor" in app.sub_title
    sam = two.find_practitioner("Sam Okafor")
    actions = [(e.action, e.actor) for e in two.audit_trail() if e.actor == "Sam Okafor"]
    assert ("pin.fail", "Sam Okafor") in actions and ("pin.ok", "Sam Okafor") in actions
    assert sam is not None


async def test_choosing_who_you_are_at_start_needs_the_pin(two: Store) -> None:
    app = make_app(two, practitioner=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        await pilot.press("enter")  # Dana Reyes
        await _until(pilot, lambda: isinstance(app.screen, PinScreen))
        await type_text(pilot, "000000")
        await pilot.press("enter")
        # Wrong: nobody is logged in, the choice is offered again.
        await _until(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        assert app.practitioner is None
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, PinScreen))
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await _until(pilot, lambda: app.practitioner is not None)
        assert app.practitioner.name == "Dana Reyes"


async def test_a_second_practitioner_with_the_same_name_is_refused(two: Store) -> None:
    app = make_app(two)
    async with app.run_test(size=(100, 40)) as pilot:
        await _until(pilot, lambda: app.practitioner is not None)
        app.push_screen(NewPractitionerScreen())
        dialog = await practitioner_form(pilot)
        for field, value in {
            "#p-name": "  dana   REYES ",
            "#p-pin": "123456",
            "#p-pin2": "123456",
        }.items():
            dialog.query_one(field).value = value
        dialog._save()
        await pilot.pause()
        assert app.screen is dialog  # still open, with the reason
        assert "already" in str(dialog.query_one("#p-error").content)
    names = [p.name.lower() for p in two.practitioners()]
    assert names.count("dana reyes") == 1
