"""Screens that close themselves after slow work close themselves, never the screen above.

Escape starts leaving: the draft is saved first (in a thread), then the screen
closes. Under load that save can take a while, and a key typed behind Escape
("v": entered in error) used to open its dialog on the visit being closed. The
close then took the dialog off instead (Textual pops the top screen), the app's
screens no longer matched its state, and a CI fuzz run saw the app stop.
"""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

from app_support import PIN, make_app, wait_for
from builders import ready_draft

from dntui.screens.lock import LockScreen
from dntui.screens.start import StartScreen
from dntui.screens.visit import VisitScreen

TOLERANCE = "tolerated well, worse on waking"


def saved_draft(store: Any) -> int:
    dana = store.find_practitioner("Dana Reyes")
    ada = store.add_patient("Ada Park", date(1980, 1, 2), actor=dana)
    draft = store.save_draft(ready_draft(dana, ada), actor=dana)
    assert draft.visit_id is not None
    return draft.visit_id


async def review_with_a_slow_save(pilot: Any, store: Any, visit_id: int) -> threading.Event:
    """The visit open on its review step with an unsaved change whose save waits for
    the returned event: leaving must save first, and that save is slow."""
    app = pilot.app
    app.open_visit(visit_id)
    await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen), what="the visit")
    vs = app.screen
    await pilot.press("f6")  # review: "v" marks the visit entered in error
    await wait_for(pilot, lambda: vs.query_one("#review-scroll").has_focus, what="review")
    release = threading.Event()
    real_save = store.save_draft

    def slow_save(*args: Any, **kwargs: Any) -> Any:
        release.wait(30)
        return real_save(*args, **kwargs)

    store.save_draft = slow_save
    vs.draft.tolerance = TOLERANCE
    vs.changed()
    return release


async def test_a_key_behind_escape_while_the_save_is_slow_opens_nothing(clinic_store: Any) -> None:
    visit_id = saved_draft(clinic_store)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        release = await review_with_a_slow_save(pilot, clinic_store, visit_id)
        shown: list[str] = []
        app.screen_change_signal.subscribe(app, lambda s: shown.append(type(s).__name__), True)
        await pilot.press("escape", "v", "t")
        await pilot.pause()
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen), what="back at start")
        assert shown == ["StartScreen"], "a key typed behind Escape reached the closing visit"
        await pilot.press("down", "escape", "t")
        await pilot.pause()
        assert app.is_running, getattr(app, "_exception", None)
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["StartScreen"]
    saved = clinic_store.load(visit_id)
    assert saved.visit.status == "draft"
    assert saved.draft.tolerance == TOLERANCE


async def test_the_idle_lock_over_a_closing_visit_stays_until_the_pin(clinic_store: Any) -> None:
    """The visit finishing its save under the idle lock closes itself, never the lock."""
    visit_id = saved_draft(clinic_store)
    app = make_app(clinic_store, idle_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        release = await review_with_a_slow_save(pilot, clinic_store, visit_id)
        await pilot.press("escape")
        app.lock_now()
        await wait_for(pilot, lambda: isinstance(app.screen, LockScreen), what="the lock")
        release.set()
        await wait_for(
            pilot,
            lambda: clinic_store.load(visit_id).draft.tolerance == TOLERANCE,
            what="the draft saved",
        )
        await pilot.pause()
        assert isinstance(app.screen, LockScreen), "the closing visit took the lock off"
        app.screen.query_one("#lock-pin").focus()
        await pilot.press(*PIN, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen), what="back at start")
        assert [type(s).__name__ for s in app.screen_stack][1:] == ["StartScreen"]


async def test_a_screen_closes_itself_only_when_it_is_back_on_top() -> None:
    """The export finishing under the idle lock closes the export, not the lock."""
    from textual.app import App
    from textual.screen import Screen

    from dntui.ui.closing import dismiss_when_on_top

    results: list[object] = []
    closing, above = Screen[int](), Screen[int]()
    async with App[None]().run_test() as pilot:
        app = pilot.app
        app.push_screen(closing, results.append)
        app.push_screen(above)
        await pilot.pause()
        dismiss_when_on_top(closing, 7)
        await pilot.pause()
        assert app.screen is above and results == []
        app.pop_screen()
        await wait_for(pilot, lambda: results == [7], what="the screen closed with its result")
        assert closing not in app.screen_stack and above not in app.screen_stack
        top = Screen[int]()
        app.push_screen(top, results.append)
        await pilot.pause()
        dismiss_when_on_top(top, 8)  # already on top: closed at once
        await wait_for(pilot, lambda: results == [7, 8], what="the top screen closed")
        assert top not in app.screen_stack
