"""The idle lock hides every patient, drops keys typed before it appeared, keeps the PIN
field focused (issue 13, item 6)."""

from __future__ import annotations

from datetime import date

import pytest
from app_support import TODAY, make_app, wait_for
from builders import plain_draft
from textual import events
from textual.widgets import Input

from dntui.gallery import svg_text
from dntui.screens.lock import LockScreen
from dntui.screens.visit import VisitScreen
from dntui.store.repo import Store

PIN = "Zq9-unique-pin"
KEY = {"-": "minus"}


@pytest.fixture
def store(empty_store: Store) -> Store:
    return empty_store


def pin_failures(store: Store) -> int:
    return sum(1 for e in store.audit_trail() if e.action == "pin.fail")


async def locked(pilot, app) -> LockScreen:  # type: ignore[no-untyped-def]
    app.lock_now()
    await wait_for(pilot, lambda: isinstance(app.screen, LockScreen) and app.screen.is_mounted)
    await wait_for(pilot, lambda: app.screen.focused is app.screen.query_one("#lock-pin"))
    screen = app.screen
    assert isinstance(screen, LockScreen)
    return screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_lock_hides_the_open_visit_and_its_patient(
    store: Store, size: tuple[int, int]
) -> None:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    ada = store.add_patient("Ada Parkinson", date(1980, 1, 2), actor=dana)
    draft = store.save_draft(plain_draft(dana, ada, day=TODAY), actor=dana)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_visit(draft.visit_id)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))
        app.notify("A note naming Ada Parkinson")
        await pilot.pause()
        # The test can fail: the name is on the screen before the lock.
        assert "Parkinson" in svg_text(app.export_screenshot())
        await locked(pilot, app)
        text = svg_text(app.export_screenshot())
        assert "Locked after 1 idle minute" in text
        assert "Parkinson" not in text and "1980" not in text
        assert not app._notifications  # a toast naming a patient is gone too


async def test_keys_typed_before_the_lock_appeared_are_dropped(store: Store) -> None:
    """Keys typed as the lock appears (delivered late: a slow link, keys held while the
    screen changes) never reach the PIN field nor count as wrong PINs."""
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        typed_before = [events.Key("enter" if k == "\r" else k, k) for k in "4242\r" * 2]
        screen = await locked(pilot, app)
        for key in typed_before:
            app.post_message(key)
        await pilot.pause()
        await pilot.pause()
        assert screen.query_one("#lock-pin", Input).value == ""
        assert pin_failures(store) == 0
        assert "Wrong PIN" not in svg_text(app.export_screenshot())
        # Keys typed once the lock is there are taken as usual.
        await pilot.press(*[KEY.get(ch, ch) for ch in PIN], "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, LockScreen))


async def test_enter_on_an_empty_pin_is_not_a_wrong_pin(store: Store) -> None:
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await locked(pilot, app)
        await pilot.press("enter", "enter")
        assert "Type your PIN" in svg_text(app.export_screenshot())
        assert pin_failures(store) == 0


async def test_tab_keeps_the_focus_in_the_pin_field(store: Store) -> None:
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await locked(pilot, app)
        pin = screen.query_one("#lock-pin", Input)
        for key in ("tab", "tab", "shift+tab", "tab"):
            await pilot.press(key)
            assert screen.focused is pin, key
        await pilot.press(*[KEY.get(ch, ch) for ch in PIN], "enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, LockScreen))
        assert app.practitioner is not None and app.practitioner.name == "Dana Reyes"


async def test_quitting_as_the_practitioner_picker_appears_does_not_crash(store: Store) -> None:
    """The app quitting (ctrl+q) just as the picker is pushed: the picker is torn down
    before its widgets are mounted; the exit must stay clean (as for the lock)."""
    from dntui.screens.practitioner import PickPractitionerScreen

    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    store.add_practitioner("Sam Okafor", "DC", pin="555555")
    app = make_app(store, practitioner=None)
    choose = app._choose_practitioner
    pushed: list[object] = []

    def choose_then_quit() -> None:
        choose()
        pushed.append(app.screen)
        app.exit(0)  # ctrl+q on the same turn

    app._choose_practitioner = choose_then_quit  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(pushed))
    assert isinstance(pushed[0], PickPractitionerScreen)
    assert app.return_code == 0


async def test_a_pin_typed_in_one_read_unlocks(store: Store) -> None:
    """Keys typed once the lock is on screen count, even all in one terminal read
    (a fast typist, a password manager, a slow SSH link): none is dropped as typeahead."""
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await locked(pilot, app)
        for ch in PIN + "\r":
            key = {"\r": "enter", "-": "minus"}.get(ch, ch)
            app.post_message(events.Key(key, ch))
        await wait_for(pilot, lambda: not isinstance(app.screen, LockScreen))
        assert pin_failures(store) == 0
