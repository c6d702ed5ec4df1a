"""Issue 16: the first screen before the store is open, and the start screen's reload.

On a current SQLite database the picker (or today's list) is read with sqlite3
and shown before SQLAlchemy is imported (tests/test_import_hygiene.py checks the
imports); here: what a person does in that window still goes through the store
(a PIN entered before it opens is checked once it is, never skipped), and the
start screen reads its rows in a thread worker and draws nothing when they have
not changed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from app_support import NOW, PIN, TODAY, make_app, type_text, wait_for
from builders import plain_draft

from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.dialogs.pin import PinScreen
from dntui.screens.practitioner import PickPractitionerScreen
from dntui.screens.start import StartScreen
from dntui.screens.visit import VisitScreen
from dntui.store.models import Practitioner
from dntui.store.repo import Store

SAM_PIN = "975318"


class HeldOpen(DntuiApp):
    """The app with its store opening held until the test calls ``release``."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.open_asked = False

    def open_database(self) -> None:  # type: ignore[override]
        self.open_asked = True

    def release(self) -> None:
        DntuiApp.open_database(self)


def _two(app_dirs: Path) -> str:
    url = f"sqlite:///{app_dirs / 'data' / 'dntui.db'}"
    store = Store.open(url)
    store.add_practitioner("Dana Reyes", "PT", pin=PIN, min_pin_length=4)
    store.add_practitioner("Sam Okafor", "DC", pin=SAM_PIN)
    store.close()
    return url


def _app(url: str, **kwargs: Any) -> HeldOpen:
    return HeldOpen(
        db_url=url,
        settings=Settings(min_pin_length=4),
        today=lambda: TODAY,
        clock=lambda: NOW,
        **kwargs,
    )


async def _pin_for_sam(pilot: Any, pin: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
    assert app.store is None  # shown from the quick read, the store not open yet
    await pilot.press("down", "enter")  # Dana Reyes, then Sam Okafor
    await wait_for(pilot, lambda: isinstance(app.screen, PinScreen))
    await type_text(pilot, pin)
    await pilot.press("enter")


async def test_a_pin_entered_before_the_store_opens_is_checked_when_it_does(
    app_dirs: Path,
) -> None:
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await _pin_for_sam(pilot, SAM_PIN)
        await wait_for(pilot, lambda: not isinstance(app.screen, PinScreen))
        assert app.practitioner is None  # nobody is logged in without the store's check
        assert any("Opening the database" in n.message for n in app._notifications)
        assert app.open_asked
        app.release()
        await wait_for(pilot, lambda: app.practitioner is not None)
        assert isinstance(app.practitioner, Practitioner)  # the store's row, not the quick one
        assert app.practitioner.name == "Sam Okafor"
        assert isinstance(app.screen, StartScreen)
        # The attempt went through the store: audited like any PIN check.
        assert app.store is not None
        with app.store.reading() as s:
            actions = [
                r[0] for r in s.connection().exec_driver_sql("SELECT action FROM audit").all()
            ]
        assert any("pin" in a for a in actions), actions


async def test_a_wrong_pin_entered_early_logs_nobody_in(app_dirs: Path) -> None:
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await _pin_for_sam(pilot, PIN)  # Dana's PIN is not Sam's
        app.release()
        await wait_for(pilot, lambda: any("Wrong PIN" in n.message for n in app._notifications))
        assert app.practitioner is None
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))


async def test_cancelling_the_early_pin_asks_again_and_adding_waits_for_the_store(
    app_dirs: Path,
) -> None:
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        await pilot.press("a")  # adding someone writes: not before the store is open
        await wait_for(pilot, lambda: any("Opening" in n.message for n in app._notifications))
        assert isinstance(app.screen, PickPractitionerScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PinScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        app.release()
        await wait_for(pilot, lambda: app.store is not None)
        await pilot.press("enter")  # Dana Reyes, now with the store open
        await wait_for(pilot, lambda: isinstance(app.screen, PinScreen))
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.practitioner is not None)
        assert app.practitioner is not None and app.practitioner.name == "Dana Reyes"


async def test_todays_list_shows_before_the_store_and_stays_when_it_opens(
    app_dirs: Path,
) -> None:
    url = _two(app_dirs)
    store = Store.open(url)
    dana = store.find_practitioner("Dana Reyes")
    store.save_draft(plain_draft(dana, None, day=TODAY), actor=dana)
    store.close()
    app = _app(url, practitioner_name="Dana Reyes")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        table = screen.query_one("#start-visits")
        await wait_for(pilot, lambda: table.row_count == 1)  # type: ignore[attr-defined]
        assert app.store is None and app.practitioner is None
        await pilot.press("n")  # a new visit needs the store: said, and kept for then
        await wait_for(pilot, lambda: any("Opening" in n.message for n in app._notifications))
        assert app.screen is screen
        clears: list[int] = []
        real_clear = table.clear  # type: ignore[attr-defined]
        table.clear = lambda *a, **k: clears.append(1) or real_clear(*a, **k)  # type: ignore[attr-defined]
        app.release()
        await wait_for(pilot, lambda: app.practitioner is not None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert clears == []  # the store's rows are the same: the table is not rebuilt
        assert table.row_count == 1  # type: ignore[attr-defined]
        # The "n" pressed before the store opened is done now that it is.
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))


async def test_start_screen_reads_in_a_worker_and_redraws_only_what_changed(
    clinic_store: Store,
) -> None:
    dana = clinic_store.find_practitioner("Dana Reyes")
    threads: list[bool] = []
    real_rows = clinic_store.visit_rows

    def visit_rows(**kwargs: Any) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return real_rows(**kwargs)

    clinic_store.visit_rows = visit_rows  # type: ignore[method-assign]
    clinic_store.save_draft(plain_draft(dana, None, day=TODAY), actor=dana)
    app = make_app(clinic_store)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, StartScreen)
        table = screen.query_one("#start-visits")
        await wait_for(pilot, lambda: table.row_count == 1)  # type: ignore[attr-defined]
        assert threads and not any(threads)  # never on the UI thread
        clears: list[int] = []
        real_clear = table.clear  # type: ignore[attr-defined]
        table.clear = lambda *a, **k: clears.append(1) or real_clear(*a, **k)  # type: ignore[attr-defined]
        calls = len(threads)
        screen.reload()
        await wait_for(pilot, lambda: len(threads) > calls + 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert clears == []
        clinic_store.save_draft(plain_draft(dana, None, day=TODAY), actor=dana)
        screen.reload()
        await wait_for(pilot, lambda: table.row_count == 2)  # type: ignore[attr-defined]
        assert clears == [1]
