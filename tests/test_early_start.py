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
from datetime import date
from pathlib import Path
from typing import Any

from app_support import NOW, PIN, TODAY, make_app, type_text, wait_for
from builders import plain_draft
from textual import events
from textual.geometry import Size
from textual.screen import Screen

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
        #: Every notification, kept: a toast lasts 2 s, which a busy machine can spend
        #: between a key and the test's first look.
        self.said: list[str] = []

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        self.said.append(str(message))
        super().notify(message, *args, **kwargs)

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


def _value_on(app: DntuiApp, kind: type[Screen[Any]], selector: str) -> str | None:
    """The value of the field ``selector`` once a ``kind`` screen on top has it mounted."""
    screen = app.screen
    fields = screen.query(selector) if isinstance(screen, kind) else []
    return fields[0].value if fields else None  # type: ignore[attr-defined]


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
        assert any("Opening the database" in m for m in app.said)
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


def _burst(app: Any, *keys: str) -> None:
    """Queue the keys at once, as the driver does for one terminal read (a fast typist)."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_the_early_picker_is_the_first_screen_and_a_fast_pin_still_logs_in(
    app_dirs: Path,
) -> None:
    """Issue 16 (bytes): the picker is the first screen, with nothing composed behind it
    (laid out under the modal picker, the start screen made Textual redraw the whole
    terminal, three times at startup); the start screen follows the choice. Keys typed in
    one go (choose, PIN, Enter and a key right behind it) land where they should: the PIN
    is checked once the store opens, and an "n" typed on the start screen meanwhile opens
    a visit then."""
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        assert [type(s) for s in app.screen_stack] == [Screen, PickPractitionerScreen]
        assert app.store is None
        # Alone on the screen, the picker says which app it is.
        title = app.screen.query_one(".dialog-title").render()
        assert "dntui: who is logging visits?" in str(title)
        # "x" (no key of the start screen) typed right behind the PIN's Enter.
        _burst(app, "down", "enter", *SAM_PIN, "enter", "x")
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen))
        assert app.practitioner is None  # the PIN waits for the store's check
        start = app.screen
        assert [type(s) for s in app.screen_stack] == [Screen, StartScreen]
        await pilot.press("n")
        await wait_for(pilot, lambda: any("Opening" in m for m in app.said))
        app.release()
        await wait_for(pilot, lambda: app.practitioner is not None)
        assert app.practitioner is not None and app.practitioner.name == "Sam Okafor"
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))  # the "n"
        assert app.screen_stack[1] is start  # one start screen, below the visit
        await wait_for(pilot, lambda: app.screen.is_mounted and app.focused is not None)


async def test_the_start_screen_is_built_below_the_pin_dialog_once_someone_is_chosen(
    app_dirs: Path,
) -> None:
    """Built after the PIN, the start screen cost 0.3-0.7 s between the PIN and the list
    (bench: PIN to the list filled); it is built while the PIN is typed instead."""
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PinScreen))
        assert [type(s) for s in app.screen_stack] == [Screen, StartScreen, PinScreen]


async def test_the_pin_is_what_the_field_held_when_enter_was_pressed(app_dirs: Path) -> None:
    """A key typed right behind the PIN's Enter (one terminal read) can reach the field
    before the dialog handles the Enter: the PIN checked is the one Enter submitted
    ("975318", not "975318x": a wrong PIN for a fast typist)."""
    from textual.widgets import Input

    app = _app(_two(app_dirs))
    answers: list[str | None] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        app.push_screen(PinScreen("Log in"), answers.append)
        await wait_for(pilot, lambda: isinstance(app.screen, PinScreen) and app.screen.is_mounted)
        field = app.screen.query_one("#pin", Input)
        field.value = SAM_PIN
        submitted = Input.Submitted(field, field.value)
        field.value = SAM_PIN + "x"  # the next key, in before the Enter is handled
        field.post_message(submitted)
        await wait_for(pilot, lambda: bool(answers))
        assert answers == [SAM_PIN]


async def test_a_resize_to_the_size_already_shown_reaches_no_screen(app_dirs: Path) -> None:
    """The driver reports the terminal's size again just after startup: Textual handed it
    to every screen, and each laid out again (under the picker, a whole-terminal redraw
    per screen). A Resize to the size already shown is dropped; a real one still goes."""
    app = _app(_two(app_dirs))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PickPractitionerScreen))
        await pilot.pause()
        seen: list[Size] = []
        for screen in app.screen_stack:
            real_post = screen.post_message

            def post(message: Any, real_post: Any = real_post) -> bool:
                if isinstance(message, events.Resize):
                    seen.append(message.size)
                return bool(real_post(message))

            screen.post_message = post  # type: ignore[method-assign]
        same = Size(100, 30)
        app.post_message(events.Resize(same, same))
        await pilot.pause()
        bigger = Size(110, 32)
        app.post_message(events.Resize(bigger, bigger))
        await wait_for(pilot, lambda: bigger in seen, what="the new size reached the screens")
        await pilot.pause()
        assert same not in seen
        assert app.size == bigger


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
        await wait_for(pilot, lambda: any("Opening" in m for m in app.said))
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
        await wait_for(pilot, lambda: any("Opening" in m for m in app.said))
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


async def test_keys_typed_behind_an_action_kept_for_the_store_reach_the_screen_it_opens(
    app_dirs: Path,
) -> None:
    """ "n" then a patient's name, typed before the store opened: the new visit opens
    when it does, with the name in its search field (the name used to reach the start
    screen and be lost)."""
    url = _two(app_dirs)
    app = _app(url, practitioner_name="Dana Reyes")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.open_asked)
        assert app.store is None
        await pilot.press("n")
        await type_text(pilot, "Ada")
        await wait_for(pilot, lambda: any("Opening" in m for m in app.said))
        app.release()

        await wait_for(
            pilot,
            lambda: _value_on(app, VisitScreen, "#patient-search") == "Ada",
            what="Ada in the new visit's search",
        )


async def test_the_quit_key_is_never_held_behind_keys_waiting_for_the_store(
    app_dirs: Path,
) -> None:
    """Keys typed behind "n" wait for the store (a slow server: seconds); ctrl+q among
    them still quits at once."""
    url = _two(app_dirs)
    app = _app(url, practitioner_name="Dana Reyes")
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.open_asked)
        await pilot.press("n")
        await type_text(pilot, "Ad")
        await wait_for(pilot, lambda: bool(app._typeahead), what="keys held for the store")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: app.return_code == 0, what="the app quitting")
    assert app.store is None  # it quit while the store was still opening


async def test_a_name_typed_while_a_new_database_is_made_reaches_the_welcome_form(
    app_dirs: Path,
) -> None:
    """The first run: nothing to read before the store opens (no file yet), so the start
    screen says "Opening the database…" and nobody is logged in. A name typed then waits
    for the welcome form (it reached the start screen and was lost)."""
    from dntui.screens.practitioner import NewPractitionerScreen

    url = f"sqlite:///{app_dirs / 'data' / 'new.db'}"
    app = _app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.open_asked)
        await type_text(pilot, "Nia Brooks")
        app.release()

        await wait_for(
            pilot,
            lambda: _value_on(app, NewPractitionerScreen, "#p-name") == "Nia Brooks",
            what="the name in the form",
        )


async def test_a_picker_the_store_brings_takes_keys_while_an_action_is_kept(
    app_dirs: Path,
) -> None:
    """The quick read saw one practitioner and "n" was kept for the store; the store
    finds two (one was added meanwhile) and asks who is logging: the picker takes the
    keys typed from then on (they do not wait for the start screen's action), and not
    those typed before it appeared ("Ada", meant for the new visit: "a" is the picker's
    "add a practitioner")."""
    url = f"sqlite:///{app_dirs / 'data' / 'dntui.db'}"
    store = Store.open(url)
    store.add_practitioner("Dana Reyes", "PT", pin=PIN, min_pin_length=4)
    store.close()
    app = _app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.open_asked)
        await pilot.press("n")
        await wait_for(pilot, lambda: app._after_open is not None, what="n kept for the store")
        await type_text(pilot, "Ada")  # meant for the new visit: "a" adds in the picker
        store = Store.open(url)
        store.add_practitioner("Sam Okafor", "DC", pin=SAM_PIN)
        store.close()
        app.release()
        from textual.widgets import OptionList

        def options() -> OptionList | None:
            screen = app.screen
            if not isinstance(screen, PickPractitionerScreen):
                return None
            found = screen.query(OptionList)
            return found.first(OptionList) if found else None

        await wait_for(
            pilot,
            lambda: (ol := options()) is not None and ol.highlighted == 0,
            what="the picker with its list filled",
        )
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: (ol := options()) is not None and ol.highlighted == 1,
            what="down reaching the picker",
        )
        assert isinstance(app.screen, PickPractitionerScreen)  # "a" added no one


async def test_keys_kept_for_a_new_visit_do_not_answer_the_backup_offer(
    app_dirs: Path,
) -> None:
    """ "n" and "Amy" typed while the store opens; the store brings the offer to restore
    a visit kept on this machine ("Restore it now?" y/n). The "y" of "Amy" is no answer:
    the question waits for one typed after it appeared."""
    import json

    from dntui.dialogs.confirm import ConfirmScreen
    from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, VisitDraft
    from dntui.screens.visit import backup_path

    url = f"sqlite:///{app_dirs / 'data' / 'dntui.db'}"
    store = Store.open(url)
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN, min_pin_length=4)
    cleo = store.add_patient("Cleo Dunn", date(1990, 5, 5), actor=dana)
    store.close()
    kept = VisitDraft(
        visit_date=TODAY,
        practitioner=PractitionerInfo(dana.id, dana.name, dana.credentials),
        patient=PatientInfo(cleo.id, cleo.name, cleo.date_of_birth, cleo.chart_no),
        muscles=[MuscleEntry("gastrocnemius")],
    )
    path = backup_path(kept)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(kept.to_dict()))
    app = _app(url)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, StartScreen) and app.open_asked)
        await pilot.press("n")
        await type_text(pilot, "Amy")
        app.release()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), what="the offer")
        await wait_for(pilot, lambda: not app._typeahead, what="the held keys delivered")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # still asking
        await pilot.press("y")  # typed now: the answer
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen), what="restored")
        assert app.screen.draft.patient.name == "Cleo Dunn"  # type: ignore[attr-defined]
