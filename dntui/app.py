"""The dntui Textual application.

Startup is kept light: the first screen is composed from Textual and the pure
domain package only; the database (SQLModel, SQLAlchemy, maybe Alembic) is
opened in a thread worker after the first frame, and the screens fill in when it
is ready. A SIGHUP or SIGTERM (dropped SSH link, closed terminal) saves the
visit in progress before the app exits (shared/reliability.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.geometry import Size

if TYPE_CHECKING:
    from collections.abc import Iterable

    from textual.app import SystemCommand
    from textual.screen import Screen

from dntui.config import Settings
from dntui.domain.errors import DntuiError

if TYPE_CHECKING:
    from dntui.domain.fees import FeeSchedule
    from dntui.domain.visit import VisitDraft
    from dntui.store.firstscreen import Person, StartView
    from dntui.store.models import Practitioner
    from dntui.store.repo import Store


HANGUP_EXIT_AFTER = 1.2  # seconds from SIGHUP/SIGTERM to the end of the process, at most
TYPEAHEAD_WAIT = 5.0  # seconds keys wait for a screen being built, at most


def _utc_now() -> datetime:
    return datetime.now(UTC)


class DntuiCommands(Provider):
    """The app's own commands in the ctrl+p palette."""

    def _commands(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.app
        assert isinstance(app, DntuiApp)
        return [
            ("New visit", "Start logging a new dry-needling visit", app.action_new_visit),
            (
                "Find patient",
                "Search patients by name, chart number or birth date",
                app.action_find_patient,
            ),
            ("History", "Every visit, newest first", app.action_history),
            (
                "Day sheet",
                "Today's signed visits with codes, units and charges; drafts apart",
                app.action_day_sheet,
            ),
            (
                "Dashboard",
                "The practice at a glance: visits, code mix, charges, late drafts, Medicare limits",
                app.action_dashboard,
            ),
            ("Export", "Export signed visits as CSV or JSON", app.action_export),
            (
                "Coverage and authorization",
                "Record a payer's coverage check or authorization for the patient shown",
                app.action_coverage,
            ),
            ("Switch practitioner", "Log visits as someone else", app.action_switch_practitioner),
            ("Lock now", "Lock dntui until someone enters their PIN", app.action_lock),
            ("Help", "Keys for the current screen", app.action_help),
        ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield Hit(1.0, name, callback, help=help_text)


#: Palette titles for bindings whose footer word alone says too little.
PALETTE_TITLES = {
    "visit.step.patient": "Step 1: Patient",
    "visit.step.screening": "Step 2: Screening",
    "visit.step.muscles": "Step 3: Muscles",
    "visit.step.instructions": "Step 4: Aftercare",
    "visit.step.review": "Step 5: Review and sign",
    "visit.adverse": "Record an adverse event",
    "visit.back": "Back to the start screen (the draft stays open)",
    "visit.billing-down": "Scroll the billing pane down",
    "visit.billing-up": "Scroll the billing pane up",
}


def _run(app: App[Any], action: str, node: Any) -> Callable[[], Any]:
    def run() -> Any:
        return app.run_action(action, node)

    return run


def known_binding_ids() -> set[str]:
    """Every binding id of dntui's screens, steps, dialogs and widgets (for [keymap])."""
    import importlib
    import pkgutil

    ids: set[str] = set()
    for package in ("screens", "widgets", "dialogs"):
        pkg = importlib.import_module(f"dntui.{package}")
        for info in pkgutil.iter_modules(pkg.__path__):
            module = importlib.import_module(f"dntui.{package}.{info.name}")
            for value in vars(module).values():
                for binding in getattr(value, "BINDINGS", None) or ():
                    if isinstance(binding, Binding) and binding.id:
                        ids.add(binding.id)
    ids.update(b.id for b in DntuiApp.BINDINGS if isinstance(b, Binding) and b.id)
    return ids


class DntuiApp(App[int]):
    CSS_PATH = Path(__file__).with_name("dntui.tcss")
    TITLE = "dntui"
    SUB_TITLE = "dry-needling visit log"
    COMMANDS = App.COMMANDS | {DntuiCommands}
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        # alt+letter is the twin of each F-key (terminals without F-keys); priority, so a
        # focused text field does not type the letter (a terminal sends ESC + letter).
        Binding("f1,alt+h", "help", "Help", id="app.help", priority=True),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        *,
        db_url: str = "",
        settings: Settings | None = None,
        demo: bool = False,
        practitioner_name: str | None = None,
        store: Store | None = None,
        today: Callable[[], date] = date.today,
        require_pin: bool = False,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        #: A browser session (dntui serve): who and PIN before anything is shown, and
        #: again to switch practitioner; no practitioner is added from here.
        self.require_pin = require_pin
        self.db_url = db_url
        self.settings = settings or Settings()
        self.demo = demo
        self.practitioner_name = practitioner_name
        self.store: Store | None = store
        self.practitioner: Practitioner | None = None
        self.fee_schedule: FeeSchedule | None = None
        from dntui.domain.consent import CONSENT_TEXT, CONSENT_VERSION

        self.consent: tuple[str, str] = (CONSENT_TEXT, CONSENT_VERSION)
        self.today = today
        #: The clock of every timestamp the screens make (signing, consent, events):
        #: tests and the gallery pass a fixed one instead of patching modules.
        self.clock: Callable[[], datetime] = clock or _utc_now
        self.fatal_error: str | None = None
        #: Seconds after SIGHUP/SIGTERM at which the process ends even if a database
        #: thread still waits. Set by the command line (its own process); None in
        #: tests, which run the app inside the test process.
        self.hard_exit_after: float | None = None
        self._last_input = time.monotonic()
        self._idle_timer: Any = None
        self._typeahead: list[events.Key] = []
        #: The size of the last Resize let through to Textual (on_resize).
        self._last_resize: Size | None = None
        self._releasing = False
        self._release_task: asyncio.Task[None] | None = None
        self._key_in_flight: events.Key | None = None
        self._key_came_back = False
        #: Practitioners read before the store opened (dntui.store.firstscreen): the
        #: picker shown from them is in the person's hands; the store must not push another.
        self._early_people: list[Person] = []
        self._early_picker = False
        #: The first screen was drawn from that quick read (the picker, or today's list
        #: of the one practitioner): it takes keys before the store is open.
        self._early_view = False
        #: A PIN entered in that picker before the store was open: checked once it is.
        self._pending_pin: Callable[[], None] | None = None
        #: An action asked for before the store was open (a key on the early start
        #: screen): done once it is open and someone is logged in.
        self._after_open: Callable[[], None] | None = None
        #: Between the store opening and that action having run: keys typed behind the
        #: action still wait for the screen it opens (``_screen_built``).
        self._acting_after_open = False
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        if demo:
            self.sub_title = "DEMO database: fictional patients"

    # ------------------------------------------------ palette and keymap
    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette (ctrl+p) offers what the current screen can do, from its live
        bindings: every action is reachable without F-keys (issue 13). Textual's own
        Screenshot is replaced by one written owner-only into the data folder."""
        from textual.app import SystemCommand

        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":
                yield command
        seen: set[str] = set()
        for node, binding, enabled, _tooltip in screen.active_bindings.values():
            if not enabled or node is self or not binding.id or binding.id in seen:
                continue
            if binding.action.startswith("app."):  # New visit, History…: listed already
                continue
            seen.add(binding.id)
            keys = [
                k for k, (_n, b, _e, _t) in screen.active_bindings.items() if b.id == binding.id
            ]
            shown = " or ".join(dict.fromkeys(self.get_key_display(Binding(k, "")) for k in keys))
            title = PALETTE_TITLES.get(binding.id, binding.description)
            yield SystemCommand(
                title,
                f"{binding.description} (key {shown})",
                _run(self, binding.action, node),
            )
        yield SystemCommand(
            "Screenshot",
            "Save a picture (SVG) of this screen, private to you, in the data folder",
            self.action_private_screenshot,
        )

    def action_private_screenshot(self) -> None:
        from dntui.config import data_dir, ensure_private_dir
        from dntui.private_files import write_private_text

        folder = data_dir() / "screenshots"
        name = f"dntui-{self.clock().astimezone().strftime('%Y-%m-%d-%H%M%S')}.svg"
        try:
            ensure_private_dir(folder)
            write_private_text(folder / name, self.export_screenshot())
        except OSError as exc:
            self.notify(f"Screenshot not saved: {exc.strerror or exc}", severity="error")
            return
        self.notify(f"Screenshot saved (private to you): {folder / name}", timeout=6)

    def keymap_warnings(self) -> list[str]:
        """One line per [keymap] id of config.toml that names no binding (a typo)."""
        if not self.settings.keymap:
            return []  # nothing to check: the screens' modules load when first used
        known = known_binding_ids()
        return [
            f"config.toml [keymap]: unknown binding id {binding_id!r} (F1 lists the ids); ignored"
            for binding_id in self.settings.keymap
            if binding_id not in known
        ]

    # ------------------------------------------------------ window size
    def on_resize(self, event: events.Resize) -> None:
        # The terminal's size is reported twice at startup (Textual's own first Resize,
        # then the driver's): Textual hands the second, though the size is the same, to
        # every screen, and each lays out again. Under a modal screen (the picker) each
        # such layout below is a redraw of the whole terminal (issue 16: startup bytes).
        # A Resize to the size last seen changes nothing: Textual never sees it.
        if event.size == self._last_resize:
            event.prevent_default()
            return
        self._last_resize = event.size
        self.call_after_refresh(self._size_notice)

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        self.call_after_refresh(self._size_notice)
        return super().push_screen(*args, **kwargs)

    def pop_screen(self) -> Any:
        self.call_after_refresh(self._size_notice)
        return super().pop_screen()

    def switch_screen(self, screen: Any) -> Any:
        self.call_after_refresh(self._size_notice)
        return super().switch_screen(screen)

    def _size_notice(self) -> None:
        """Below 80x24, one notice over the current screen instead of a broken layout."""
        from dntui.widgets.size_notice import SizeNotice, too_small

        if not self.is_running or not self.screen_stack:
            return
        width, height = self.size
        small = too_small(width, height)
        for screen in self.screen_stack:
            screen.set_class(small and screen is self.screen, "-too-small")
            for notice in screen.query(SizeNotice):
                if small and screen is self.screen:
                    notice.resized(width, height)
                else:
                    notice.remove()
        if small and not self.screen.query(SizeNotice):
            self.screen.mount(SizeNotice(width, height))

    # ------------------------------------------------------- typed access
    @property
    def db(self) -> Store:
        """The open store (screens are only reachable once it is open)."""
        if self.store is None:
            from dntui.store.errors import StoreError

            raise StoreError("The database is not open yet.")
        return self.store

    @property
    def signer(self) -> Practitioner:
        """Who is working now (chosen before any screen can use it)."""
        if self.practitioner is None:
            raise DntuiError("Choose who you are first.")
        return self.practitioner

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications show text as typed (messages carry source keys like [22c]), never a
        control character: a message may quote a stored name (dntui.domain.text)."""
        from dntui.domain.text import terminal_safe

        super().notify(
            terminal_safe(message),
            title=terminal_safe(title, one_line=True),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    # --------------------------------------------------------------- startup
    def on_mount(self) -> None:
        self._install_signal_handlers()
        if self.store is not None:
            self._ensure_start()
            self.call_after_refresh(self._database_ready, self.store)
        elif self.require_pin:
            self._ensure_start()
            self.open_database()
        else:
            self._peeked(*self._peek_database())

    def _ensure_start(self) -> None:
        """The start screen at the bottom of the stack, pushed if it is not there yet
        (the early picker comes first: the start screen follows the choice)."""
        from dntui.screens.start import StartScreen

        if not any(isinstance(screen, StartScreen) for screen in self.screen_stack):
            self.push_screen(StartScreen())

    # The first screen, before SQLAlchemy is even imported: a current SQLite database is
    # read with the standard library (read-only, a few milliseconds, a lock waited for at
    # most firstscreen.PEEK_TIMEOUT) before the first frame, so that frame already shows
    # the picker or today's list; only then does the worker import and open the store
    # (every write goes there). No key can be waiting yet: nothing is drawn.
    def _peek_database(self) -> tuple[list[Person] | None, Person | None, StartView | None]:
        people: list[Person] | None = None
        person: Person | None = None
        view: StartView | None = None
        try:
            from dntui.store.firstscreen import find, peek, peek_start

            people = peek(self.db_url)
            if people:
                if self.practitioner_name:
                    person = find(people, self.practitioner_name)
                elif len(people) == 1:
                    person = people[0]
            if person is not None:
                view = peek_start(
                    self.db_url,
                    person.id,
                    today=self.today(),
                    late_days=self.settings.late_draft_days,
                )
        except Exception:  # the quick path is only ever a shortcut: the store decides
            people, person, view = None, None, None
        return people, person, view

    def _peeked(
        self, people: list[Person] | None, person: Person | None, view: StartView | None
    ) -> None:
        try:
            if self.store is None and self.practitioner is None:
                self._show_early(people or [], person, view)
        finally:
            if not self._early_picker:
                self._ensure_start()
            self.call_after_refresh(self.open_database)

    # With two or more practitioners and nobody named, the picker is the first screen,
    # alone: the start screen is composed once someone is chosen. Under a modal screen,
    # every layout of the screen below (mounting, its footer, its rows) makes Textual
    # redraw the whole terminal: the start screen mounting behind the picker tripled
    # the bytes written at startup (issue 16).
    def _show_early(
        self, people: list[Person], person: Person | None, view: StartView | None
    ) -> None:
        from dntui.screens.start import StartScreen

        if person is None and not self.practitioner_name and len(people) >= 2:
            from dntui.screens.practitioner import PickPractitionerScreen

            self._early_people = people
            self._early_picker = self._early_view = True
            self.push_screen(PickPractitionerScreen(people=people), self._picked)
            return
        self._ensure_start()
        if person is not None and view is not None:
            self._early_view = True
            self.sub_title = self._who_title(person.name, person.credentials)
            for screen in self.screen_stack:
                if isinstance(screen, StartScreen):
                    screen.show_view(
                        view,
                        who=f"{person.name}, {person.credentials}",
                        today=self.today(),
                        late_days=self.settings.late_draft_days,
                        early=True,
                    )

    def _who_title(self, name: str, credentials: str) -> str:
        from dntui.domain.text import terminal_safe

        return terminal_safe(f"{name}, {credentials}", one_line=True) + (
            " · DEMO" if self.demo else ""
        )

    @work(thread=True, exclusive=True, group="db", exit_on_error=False)
    def open_database(self) -> None:
        try:
            from dntui.store.repo import Store

            store = Store.open(
                self.db_url,
                on_migrate=lambda done, total, rev: self.call_from_thread(
                    self._migrating, done, total, rev
                ),
            )
            store.min_pin_length = self.settings.min_pin_length
            if self.demo:
                from dntui.store.demo import seed_demo

                seed_demo(store, today=self.today())
            # Parsed here, off the UI thread; a bad file still ends the start in one line.
            fees, consent = self._load_fees(), self._load_consent()
        except DntuiError as exc:
            self.call_from_thread(self._fatal, str(exc))
            return
        self.call_from_thread(self._database_ready, store, fees, consent)

    def _migrating(self, done: int, total: int, revision: str) -> None:
        """A schema upgrade at startup: say so on the start screen, step by step."""
        from dntui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.show_migration(done, total, revision)

    def _fatal(self, message: str) -> None:
        self.fatal_error = message
        self.exit(1)

    def _database_ready(
        self,
        store: Store,
        fees: FeeSchedule | None = None,
        consent: tuple[str, str] | None = None,
    ) -> None:
        self.store = store
        for line in self.keymap_warnings():
            self.notify(line, severity="warning", timeout=10)
        try:
            self.fee_schedule = fees if fees is not None else self._load_fees()
            self.consent = consent if consent is not None else self._load_consent()
        except DntuiError as exc:
            self._fatal(str(exc))
            return
        self._choose_practitioner()

    def _load_fees(self) -> FeeSchedule:
        from dntui.clinic_files import ensure_default_file, load_fee_schedule
        from dntui.config import config_dir

        if self.demo or self.settings.path is None:
            return load_fee_schedule(None)
        return load_fee_schedule(ensure_default_file(config_dir()))

    def _load_consent(self) -> tuple[str, str]:
        from dntui.clinic_files import load_consent
        from dntui.config import config_dir

        if self.demo or self.settings.path is None:
            return load_consent(None)
        return load_consent(config_dir())

    def _choose_practitioner(self) -> None:
        assert self.store is not None
        people = self.store.practitioners()
        if self.require_pin:
            if not people:
                self._fatal("no practitioners yet: start dntui in a terminal to add one")
                return
            from dntui.screens.lock import LockScreen

            self._typeahead.clear()  # typed before the sign-in appeared: not meant for it
            self.push_screen(LockScreen(0, sign_in=True), self._signed_in)
            return
        if self.practitioner_name:
            found = self.store.find_practitioner(self.practitioner_name)
            if found is None:
                self._fatal(
                    f"no practitioner named {self.practitioner_name!r}: start dntui without "
                    "--practitioner to add one"
                )
                return
            self.set_practitioner(found)
        elif self._early_picker:
            # The picker read before the store opened is up (or its PIN dialog is):
            # a PIN already entered is checked now.
            self._early_picker = False
            pending, self._pending_pin = self._pending_pin, None
            if pending is not None:
                pending()
        elif not people:
            from dntui.screens.practitioner import NewPractitionerScreen

            self.push_screen(NewPractitionerScreen(first_run=True), self._new_practitioner_done)
        elif len(people) == 1:
            self.set_practitioner(people[0])
        else:
            # Keys held while the store opened were typed for the start screen or a
            # kept action ("n" and a name): in the picker "a" would add a practitioner
            # and Enter choose one. They are dropped; the kept action runs once chosen.
            self._typeahead.clear()
            self.action_switch_practitioner()

    def _signed_in(self, person: object) -> None:
        if person is None:
            return
        with contextlib.suppress(DntuiError):
            self.store.log_event("session.login", actor=person, detail="web")  # type: ignore[union-attr, arg-type]
        self.set_practitioner(person)  # type: ignore[arg-type]

    def _new_practitioner_done(self, practitioner: Practitioner | None) -> None:
        if practitioner is None:
            if self.practitioner is None:
                self.exit(0)
            return
        self.set_practitioner(practitioner)

    def set_practitioner(self, practitioner: Practitioner) -> None:
        self.practitioner = practitioner
        self.sub_title = self._who_title(practitioner.name, practitioner.credentials)
        self._ensure_start()
        self.refresh_start()
        self._warn_late_drafts()
        self._start_idle_lock()
        self.call_after_refresh(self._offer_backups)
        then, self._after_open = self._after_open, None
        if then is not None:
            self._acting_after_open = True
            self.call_after_refresh(self._act_after_open, then)

    def _act_after_open(self, then: Callable[[], None]) -> None:
        from dntui.screens.start import StartScreen

        try:
            if isinstance(self.screen, StartScreen):  # not over a dialog (a backup offer...)
                then()
        finally:
            self._acting_after_open = False

    def _warn_late_drafts(self) -> None:
        """After choosing who they are, tell practitioners of their own late drafts."""
        from dntui.store.dashboard import draft_counts

        if self.store is None or self.practitioner is None:
            return
        days = self.settings.late_draft_days
        try:
            _, late = draft_counts(
                self.store, today=self.today(), late_days=days, practitioner_id=self.practitioner.id
            )
        except DntuiError:
            return
        if late:
            self.notify(
                f"You have {late} draft(s) older than {days} day(s): they are listed first. "
                "Sign them promptly.",
                title="Late drafts",
                severity="warning",
            )

    def _offer_backups(self) -> None:
        """Offer visits that reached only the local backup file (database was unreachable)."""
        from dntui.config import data_dir

        if self.practitioner is None or self.practitioner.id is None:
            return
        # Usually there is none: the visit screen (catalogs, ICD-10...) is only imported
        # when there is one to offer or a visit opens (issue 16, memory and start-up).
        pattern = f"practitioner-{self.practitioner.id}-visit-*.json"
        if not any((data_dir() / "drafts").glob(pattern)):
            return
        from dntui.screens.visit import pending_backups

        for path, draft in pending_backups(self.practitioner.id):
            from dntui.dialogs.confirm import ConfirmScreen
            from dntui.screens.visit import VisitScreen

            who = draft.patient.name or "a new patient"

            def answer(ok: bool | None, draft: VisitDraft = draft) -> None:
                if ok:
                    self.push_screen(VisitScreen(draft, restored=True))

            self.push_screen(
                ConfirmScreen(
                    f"A visit for {who} on {draft.visit_date} was kept on this machine but "
                    f"not saved to the database ({path.name}). Restore it now?"
                ),
                answer,
            )
            return  # one at a time: the next is offered on the next start

    def refresh_start(self) -> None:
        from dntui.screens.start import StartScreen

        for screen in self.screen_stack:
            if isinstance(screen, StartScreen):
                screen.reload()

    # ------------------------------------------------- input: typeahead, idle lock
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._last_input = time.monotonic()
        if isinstance(event, events.Paste) and not event.is_forwarded:
            if self._hidden_by_size_notice():
                self.bell()
                return
            self._clean_paste(event)
        if isinstance(event, events.Key):
            if event.is_forwarded:  # came back up: the app's and screens' bindings run now
                await super().on_event(event)
                if event is self._key_in_flight:
                    self._key_in_flight = None
                    self._key_came_back = True
                return
            if self._is_quit_key(event.key):  # never held: quitting works while keys wait
                await self._send_key(event)
                return
            if self._typeahead or self._releasing or not self._idle_for_keys():
                self._typeahead.append(event)
                self._start_release()
                return
            await self._send_key(event)
            return
        await super().on_event(event)

    async def _send_key(self, event: events.Key) -> None:
        if self._hidden_by_size_notice() and not self._is_quit_key(event.key):
            self.bell()  # nothing underneath is edited blind; the quit key still works
            return
        self._key_in_flight = event
        await super().on_event(event)
        if not event.is_forwarded:  # a priority binding took it here and now
            self._key_in_flight = None
            self._key_came_back = True

    def _hidden_by_size_notice(self) -> bool:
        try:
            return self.screen.has_class("-too-small")
        except Exception:  # no screen yet
            return False

    def _is_quit_key(self, key: str) -> bool:
        active = self.active_bindings.get(key)
        return active is not None and active.binding.action == "quit"

    def _idle_for_keys(self) -> bool:
        """Nothing is left of the previous key and the screen on top is built.

        Textual hands a key to the focused widget's queue and goes on to the next;
        a screen's binding ("n": new visit) runs only when the key comes back up to
        the app, and the focus it moves is set by a callback after that. Keys typed
        behind it would reach the old screen, or a new one with nothing focused:
        lost. So a key goes out once the one before was taken by a widget or came
        back up and what its binding queued has run, and the screen is mounted."""
        return self._key_in_flight is None and not self._key_came_back and self._screen_built()

    def _screen_built(self) -> bool:
        """The screen on top can take keys: mounted, and not closing (a visit saving
        its draft on Escape): keys typed behind Escape belong to the next screen.
        Likewise on the start screen while the store opens (``_start_waits_for_store``)."""
        try:
            screen = self.screen
            if self._start_waits_for_store(screen):
                return False
            return screen.is_mounted and not getattr(screen, "leaving", False)
        except Exception:  # no screen yet: Textual's own handling applies
            return True

    def _start_waits_for_store(self, screen: Screen[Any]) -> bool:
        """The start screen is on top and keys typed now belong to what the open store
        brings: behind an action kept for then, the screen it opens; with nobody logged
        in and no early view (a new database, a server: no key has a use there yet), the
        welcome form (a name typed on the first run), the picker, or this screen with
        someone logged in. Any other screen on top (a picker, the lock) takes its keys."""
        from dntui.screens.start import StartScreen

        if not isinstance(screen, StartScreen) or self.fatal_error is not None:
            return False
        if self._after_open is not None or self._acting_after_open:
            return True
        return self.practitioner is None and not self._early_view

    def _start_release(self) -> None:
        if not self._releasing:
            self._releasing = True
            self._release_task = asyncio.create_task(self._wait_then_release())

    async def _wait_then_release(self) -> None:
        deadline = time.monotonic() + TYPEAHEAD_WAIT
        while time.monotonic() < deadline:
            flight = self._key_in_flight
            # Message.stop() is set by a widget that took the key, and by the screen
            # as it hands the key back up to the app (checked again in _release_keys).
            done = flight is None or getattr(flight, "_stop_propagation", True)
            if done and self._screen_built():
                break
            await asyncio.sleep(0.002)
        # Behind anything already queued: a key on its way back up, the focus a new
        # screen set while mounting.
        self.call_later(self._release_keys)

    async def _release_keys(self) -> None:
        """Held keys go out one at a time, in the order typed, with the time they were
        typed (the lock drops those typed before it appeared)."""
        if self._key_came_back:  # let what its binding queued (a focus) run first
            self._key_came_back = False
            self.call_later(self._release_keys)
            return
        self._key_in_flight = None  # taken by a widget (or lost: not waited for again)
        while self._typeahead:
            if not self._idle_for_keys():
                self._release_task = asyncio.create_task(self._wait_then_release())
                return
            await self._send_key(self._typeahead.pop(0))
        self._releasing = False

    def _clean_paste(self, event: events.Paste) -> None:
        """Pasted text is the one way control characters reach an input (typed control
        keys are never inserted): they are removed, and the person is told."""
        from dntui.domain.text import has_control, terminal_safe

        if has_control(event.text):
            event.text = terminal_safe(event.text)
            self.notify(
                "Control characters (escape codes, bidi overrides) were removed from the "
                "pasted text.",
                severity="warning",
                timeout=4,
            )

    def _start_idle_lock(self) -> None:
        minutes = self.settings.idle_lock_minutes
        if minutes > 0 and self._idle_timer is None:
            self._last_input = time.monotonic()
            self._idle_timer = self.set_interval(min(15.0, minutes * 60 / 4), self.check_idle_lock)

    def check_idle_lock(self) -> None:
        from dntui.screens.lock import LockScreen

        minutes = self.settings.idle_lock_minutes
        if minutes <= 0 or self.practitioner is None:
            return
        if any(isinstance(s, LockScreen) for s in self.screen_stack):
            return
        if time.monotonic() - self._last_input >= minutes * 60:
            self.lock_now()

    def lock_now(self) -> None:
        """Save what is open and ask who is here before anything else can happen."""
        from dntui.screens.lock import LockScreen
        from dntui.screens.visit import VisitScreen

        assert self.store is not None
        for screen in self.screen_stack:
            if isinstance(screen, VisitScreen) and screen.dirty:
                screen.run_worker(
                    partial(screen.flush, "lock"), group="autosave", exit_on_error=False
                )
        self._log_in_background("session.lock", self.practitioner)
        self.push_screen(LockScreen(self.settings.idle_lock_minutes), self._unlocked)

    @work(thread=True, group="audit", exit_on_error=False)
    def _log_in_background(self, action: str, actor: Practitioner | None) -> None:
        """An audit row that must not hold up the screen (lock, unlock)."""
        if self.store is not None:
            with contextlib.suppress(DntuiError):  # the lock matters more than its audit row
                self.store.log_event(action, actor=actor)

    def _unlocked(self, person: Practitioner | None) -> None:
        from dntui.screens.start import StartScreen

        if person is None:
            return
        previous = self.practitioner
        self._log_in_background("session.unlock", person)
        self._last_input = time.monotonic()
        if previous is not None and person.id != previous.id:
            # Someone else: their work starts from the start screen; the last
            # person's visit stays a saved draft for them.
            while len(self.screen_stack) > 1 and not isinstance(self.screen, StartScreen):
                self.pop_screen()
        self.set_practitioner(person)

    # ----------------------------------------------------------- signals
    def _install_signal_handlers(self) -> None:
        """Save the visit in progress on SIGHUP/SIGTERM, then exit (Textual issue #5140)."""
        try:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_hangup)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
            pass

    def _on_hangup(self) -> None:
        """Keep every open draft (local copy at once, database if it answers), then exit.

        A database write stuck behind another process's lock must not keep a hung-up
        process alive: with ``hard_exit_after`` set (the command line sets
        ``HANGUP_EXIT_AFTER``), the process ends then even if such a thread still
        waits (its transaction never committed; the local copy is offered at the
        next start).
        """
        from dntui.screens.visit import VisitScreen

        if self.hard_exit_after is not None:
            timer = threading.Timer(self.hard_exit_after, os._exit, (0,))
            timer.daemon = True
            timer.start()
        for screen in self.screen_stack:
            if isinstance(screen, VisitScreen):
                screen.save_on_hangup()
        self.exit(0)

    # ----------------------------------------------------------- actions
    def _can_act(self, then: Callable[[], None] | None = None) -> bool:
        """True once the store is open and someone is logged in. Before that (the first
        screen is drawn from a quick read while the store opens), the action ``then``
        asked for is kept and done as soon as it is: the key is not lost."""
        if self.store is None or self.practitioner is None:
            self.notify("Opening the database…", timeout=2)
            if then is not None and self._after_open is None and self.fatal_error is None:
                self._after_open = then  # the first asked for: later keys do not replace it
            return False
        return True

    def action_new_visit(self) -> None:
        if self._can_act(self.action_new_visit):
            from dntui.screens.visit import VisitScreen

            self.push_screen(VisitScreen.new(self))

    def open_visit(self, visit_id: int) -> None:
        if not self._can_act(lambda: self.open_visit(visit_id)):
            return
        from dntui.screens.visit import VisitScreen

        assert self.store is not None
        try:
            record = self.store.load(visit_id)
        except DntuiError as exc:
            self.notify(str(exc), severity="error")
            return
        self.push_screen(VisitScreen(record.draft, record=record))

    def action_find_patient(self) -> None:
        if self._can_act(self.action_find_patient):
            from dntui.screens.patients import PatientsScreen

            self.push_screen(PatientsScreen())

    def action_coverage(self) -> None:
        """The coverage form of the patient on screen (patient view or visit)."""
        handler = getattr(self.screen, "action_coverage", None)
        if callable(handler):
            handler()
            return
        self.notify(
            "Coverage is per patient: open the patient (ctrl+p, Find patient), then press c."
        )

    def action_history(self) -> None:
        if self._can_act(self.action_history):
            from dntui.screens.history import HistoryScreen

            self.push_screen(HistoryScreen())

    def action_day_sheet(self) -> None:
        if self._can_act(self.action_day_sheet):
            from dntui.screens.daysheet import DaySheetScreen

            self.push_screen(DaySheetScreen(self.today()))

    def action_dashboard(self) -> None:
        if self._can_act(self.action_dashboard):
            from dntui.screens.dashboard import DashboardScreen

            self.push_screen(DashboardScreen())

    def action_export(self) -> None:
        if self._can_act(self.action_export):
            from dntui.dialogs.export import ExportScreen

            today = self.today()
            self.push_screen(ExportScreen(date_from=today.replace(day=1), date_to=today))

    def action_switch_practitioner(self) -> None:
        if self.store is None:
            if self._early_picker and self.practitioner is None:  # its PIN was cancelled
                from dntui.screens.practitioner import PickPractitionerScreen

                self.push_screen(PickPractitionerScreen(people=self._early_people), self._picked)
            return
        if self.require_pin:  # a browser session: switching is the lock (who and PIN)
            if self._can_act():
                self.lock_now()
            return
        from dntui.screens.practitioner import PickPractitionerScreen

        self.push_screen(PickPractitionerScreen(), self._picked)

    def _picked(self, practitioner: Practitioner | Person | None) -> None:
        """Someone chose who they are: they prove it with their PIN (unique user
        identification on a shared machine), unless they are already the one logged in."""
        from dntui.dialogs.pin import PinScreen

        if practitioner is None:
            if self.practitioner is None:
                self.exit(0)
            return
        if self.practitioner is not None and practitioner.id == self.practitioner.id:
            return
        # Chosen in the early picker: the start screen is built now, below the PIN
        # dialog, while the PIN is typed (built after it, it cost 0.3-0.7 s there).
        self._ensure_start()
        current = self.practitioner

        def with_pin(pin: str | None) -> None:
            if pin is None:
                if self.practitioner is None:
                    self.action_switch_practitioner()  # nobody is logged in yet: ask again
                return
            if self.store is None:  # chosen in the early picker: checked once the store opens
                self._ensure_start()  # keys typed meanwhile ("n") are kept by it
                self._pending_pin = lambda: with_pin(pin)
                self.notify("Opening the database…", timeout=2)
                return
            assert practitioner.id is not None
            chosen: Practitioner | None = None
            try:
                ok = self.store.check_signer(practitioner.id, pin)
                if ok:
                    from dntui.store.firstscreen import Person

                    chosen = (
                        self.store.practitioner(practitioner.id)
                        if isinstance(practitioner, Person)
                        else practitioner
                    )
            except DntuiError as exc:
                self.notify(str(exc), severity="error", timeout=8)
                ok = False
            else:
                if not ok:
                    still = f"still {current.name}" if current is not None else "nobody chosen"
                    self.notify(f"Wrong PIN: {still}.", severity="error")
            if ok and chosen is not None:
                self.set_practitioner(chosen)
            elif self.practitioner is None:
                self.action_switch_practitioner()

        self.push_screen(
            PinScreen(
                f"Log visits as {practitioner.name}, {practitioner.credentials}", ok="Log in"
            ),
            with_pin,
        )

    def is_locked(self) -> bool:
        from dntui.screens.lock import LockScreen

        return any(isinstance(s, LockScreen) for s in self.screen_stack)

    def action_command_palette(self) -> None:
        """No palette while locked: its commands would open screens above the lock."""
        if not self.is_locked():
            super().action_command_palette()

    def action_lock(self) -> None:
        if self._can_act(self.action_lock):
            self.lock_now()

    def action_help(self) -> None:
        from dntui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        from dntui.screens.visit import VisitScreen

        if not any(isinstance(s, VisitScreen) and s.dirty for s in self.screen_stack):
            self.exit(0)
            return
        self._quit_flow()

    @work(exclusive=True, group="quit", exit_on_error=False)
    async def _quit_flow(self) -> None:
        """Save open drafts (in threads: the screen stays live), ask if one cannot be saved."""
        from dntui.dialogs.confirm import ConfirmScreen
        from dntui.screens.visit import VisitScreen

        unsaved = [s for s in self.screen_stack if isinstance(s, VisitScreen) and s.dirty]
        for s in unsaved:
            await s.flush("quit")
        if not any(s.dirty for s in unsaved):
            self.exit(0)
            return
        still = [s for s in unsaved if s.dirty]
        if all(s.kept_somewhere for s in still):
            question = (
                "The visit could not be saved to the database. It is kept in a local "
                "backup file and will be offered next time. Quit anyway?"
            )
        else:
            question = (
                "The visit is saved NOWHERE: the database and the local backup file both "
                "failed (disk full?). Quitting now loses what was typed. Quit anyway?"
            )
        if await self.push_screen_wait(ConfirmScreen(question)):
            self.exit(0)
