"""The visit flow: five steps beside the live billing pane.

``VisitScreen`` owns the visit's state: the ``VisitDraft`` (plain data), the
stored record once signed, and ``status``, a reactive whose watcher redraws the
pane's subtitle, the step bar and the locks. Steps edit the draft and post
messages (``Step.Changed``, ``Step.SignRequested``, ``Step.VoidRequested``,
``Step.AddendumRequested``); the screen handles them.

A change redraws the billing pane (pure domain code, no database) and schedules
the autosave, debounced to half a second after the last change, so SIGKILL loses
at most that half second, even while another process holds the database's write
lock (a save waiting on it never holds back the local copy of a newer edit). The
database is never touched on the UI thread: each
save writes a private local copy and then the database from a thread, one save
at a time; a busy or unreachable database leaves typing responsive and the
draft in the local copy. Sign, void and addendum run in an exclusive worker
that awaits its dialogs (PIN, reason) and does its database work in a thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import dataclasses
import json
import threading
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Header, Static

from dntui.dialogs.addendum import AddendumScreen
from dntui.dialogs.adverse_event import AdverseEventScreen
from dntui.dialogs.pin import PinScreen
from dntui.dialogs.reason import ReasonScreen
from dntui.domain import billing, safety, screening, visit_billing
from dntui.domain.errors import DntuiError
from dntui.domain.record import BillingRecord, blockers_for, evaluate_screening, sign_visit
from dntui.domain.text import terminal_safe
from dntui.domain.visit import PractitionerInfo, VisitDraft
from dntui.ui.app_access import AppAccess
from dntui.ui.closing import dismiss_when_on_top
from dntui.widgets.billing_pane import BillingPane
from dntui.widgets.save_banner import SaveBanner
from dntui.widgets.step_base import Step
from dntui.widgets.step_instructions import InstructionsStep
from dntui.widgets.step_muscles import MusclesStep
from dntui.widgets.step_patient import PatientStep
from dntui.widgets.step_review import ReviewStep
from dntui.widgets.step_screening import ScreeningStep

if TYPE_CHECKING:
    from dntui.app import DntuiApp
    from dntui.domain.fees import FeeSchedule
    from dntui.store.models import Practitioner
    from dntui.store.repo import VisitRecord

T = TypeVar("T")

STEPS = (
    ("patient", "1 Patient"),
    ("screening", "2 Screen"),
    ("muscles", "3 Muscles"),
    ("instructions", "4 Care"),
    ("review", "5 Sign"),
)
AUTOSAVE_DELAY = 0.5  # seconds after the last change (issue: under one second)
RETRY_DELAY = 5.0
HANGUP_DB_WAIT = 0.6  # seconds a hangup waits for the database before leaving it to the backup


class Status(StrEnum):
    NEW = "new visit"
    SAVING = "saving…"
    SAVED = "draft saved"
    NOT_SAVED = "kept locally, not yet in the database"
    SIGNED = "signed, read-only"
    ENTERED_IN_ERROR = "entered in error"


LOCKED = (Status.SIGNED, Status.ENTERED_IN_ERROR)


def _status_of(record: VisitRecord | None) -> Status:
    if record is None or record.visit.status == "draft":
        return Status.SAVED if record is not None else Status.NEW
    if record.visit.status == "entered-in-error":
        return Status.ENTERED_IN_ERROR
    return Status.SIGNED


def backup_path(draft: VisitDraft) -> Path:
    from dntui.config import data_dir

    who = draft.practitioner.id or 0
    which = draft.visit_id if draft.visit_id is not None else f"new-{draft.local_id}"
    return data_dir() / "drafts" / f"practitioner-{who}-visit-{which}.json"


def pending_backups(practitioner_id: int) -> list[tuple[Path, VisitDraft]]:
    """Local draft backups of this practitioner that the database never received."""
    from dntui.config import data_dir

    folder = data_dir() / "drafts"
    found: list[tuple[Path, VisitDraft]] = []
    for path in sorted(folder.glob(f"practitioner-{practitioner_id}-visit-*.json")):
        try:
            found.append((path, VisitDraft.from_dict(json.loads(path.read_text("utf-8")))))
        except (OSError, ValueError, KeyError, TypeError):
            continue  # unreadable: left for a person to look at, never deleted
    return found


def write_backup(draft: VisitDraft) -> None:
    """The private local copy of a draft (raises OSError)."""
    from dntui.config import ensure_private_dir
    from dntui.private_files import write_private_text

    path = backup_path(draft)
    ensure_private_dir(path.parent)
    write_private_text(path, json.dumps(draft.to_dict()))


def _content(draft: VisitDraft) -> dict[str, Any]:
    """What a save must keep: the draft without the step the practitioner is on."""
    body = draft.to_dict()
    body.pop("step", None)
    return body


def practitioner_info(p: Practitioner) -> PractitionerInfo:
    return PractitionerInfo(
        p.id,
        p.name,
        p.credentials,
        p.acupuncture_licensed,
        p.acupuncture_degree,
        dn_training_hours=p.dn_cert_hours,
    )


class VisitScreen(Screen[None], AppAccess):
    HELP = """\
Log a visit in five steps; the billing pane on the right follows every change.
F2-F6 jump to a step (without F-keys: alt+p patient, alt+s screening, alt+m muscles,
alt+c aftercare, alt+r review), ctrl+n goes to the next one. F10 or alt+e records an
adverse event. alt+down and alt+up scroll the billing pane. Everything is saved as a draft as you type; Esc goes
back to the start screen (the draft stays open there).
"""
    BINDINGS = [
        # The footer at 80 columns shows only next, back, help and quit; each step's
        # own keys are in the step's hint line. Each F-key has an alt+letter twin
        # (priority: a focused text field must not type the letter).
        Binding("ctrl+n", "next_step", "Next step", id="visit.next"),
        Binding("escape", "leave", "Back", id="visit.back"),
        Binding(
            "f2,alt+p",
            "step('patient')",
            "Patient",
            id="visit.step.patient",
            show=False,
            priority=True,
        ),
        Binding(
            "f3,alt+s",
            "step('screening')",
            "Screening",
            id="visit.step.screening",
            show=False,
            priority=True,
        ),
        Binding(
            "f4,alt+m",
            "step('muscles')",
            "Muscles",
            id="visit.step.muscles",
            show=False,
            priority=True,
        ),
        Binding(
            "f5,alt+c",
            "step('instructions')",
            "Aftercare",
            id="visit.step.instructions",
            show=False,
            priority=True,
        ),
        Binding(
            "f6,alt+r",
            "step('review')",
            "Review",
            id="visit.step.review",
            show=False,
            priority=True,
        ),
        Binding(
            "f10,alt+e",
            "adverse_event",
            "Adverse event",
            id="visit.adverse",
            show=False,
            priority=True,
        ),
        Binding(
            "alt+down",
            "scroll_billing(3)",
            "Billing down",
            id="visit.billing-down",
            show=False,
            priority=True,
        ),
        Binding(
            "alt+up",
            "scroll_billing(-3)",
            "Billing up",
            id="visit.billing-up",
            show=False,
            priority=True,
        ),
    ]

    status: reactive[Status] = reactive(Status.NEW, init=False)
    #: Escape was pressed: the draft is being saved and the screen will close.
    leaving = False

    def __init__(
        self, draft: VisitDraft, *, record: VisitRecord | None = None, restored: bool = False
    ) -> None:
        super().__init__()
        self._draft = draft
        self._record = record
        self._authors: dict[int, str] = {}
        #: The draft as the database last took it (None: never, or restored from a backup).
        self._saved: dict[str, Any] | None = None if restored else _content(draft)
        self._save_lock = asyncio.Lock()
        self._backup_lock = asyncio.Lock()
        #: Copies of the draft taken so far (on this thread, in order), and the one whose
        #: local backup is on disk: an older copy, written by a save's thread that ends
        #: last, never replaces a newer one.
        self._snapshots = 0
        self._backup_snapshot = -1
        self._backup_guard = threading.Lock()
        self._timer: Timer | None = None
        self._last_error = ""
        #: False while the latest changes are neither in the database nor in the
        #: local backup file: only in this window (disk full, database gone).
        self.kept_somewhere = True
        self.set_reactive(VisitScreen.status, _status_of(record))
        #: The patient's coverage for the visit's payer, loaded in a thread worker
        #: for (patient id, payer, visit id); None until asked for.
        self._coverage_key: tuple[int, str, int | None] | None = None
        self._coverage: visit_billing.CoverageContext | None = None

    @classmethod
    def new(cls, app: DntuiApp) -> VisitScreen:
        return cls(VisitDraft(visit_date=app.today(), practitioner=practitioner_info(app.signer)))

    # ------------------------------------------------------------- state
    @property
    def draft(self) -> VisitDraft:
        return self._draft

    @property
    def record(self) -> VisitRecord | None:
        return self._record

    @property
    def dirty(self) -> bool:
        """Changes the database does not have yet, judged from the draft itself.

        A step changes the draft before it posts ``Step.Changed``, so a quit or a
        hangup that arrives before that message is handled still sees the change.
        """
        return not self.locked and _content(self.draft) != self._saved

    @property
    def locked(self) -> bool:
        return self.status in LOCKED

    @property
    def fee_schedule(self) -> FeeSchedule:
        schedule = self.dntui.fee_schedule
        if schedule is None:
            from dntui.clinic_files import load_fee_schedule

            schedule = load_fee_schedule(None)
        return schedule

    def summary(self) -> billing.BillingSummary:
        if self.locked and self._record is not None:
            # A signed visit keeps the billing it was signed with: never recomputed.
            v = self._record.visit
            stored = BillingRecord.from_json(v.billing_json, code=v.code, payer_key=v.payer)
            return billing.signed_summary(stored.to_dict())
        return visit_billing.summarize(
            self.draft,
            self.fee_schedule,
            self._prior_visits(),
            self._coverage_for_pane(),
            clinic_state=self.dntui.settings.clinic_state,
        )

    def _coverage_for_pane(self) -> visit_billing.CoverageContext | None:
        """The coverage as last loaded; a new patient or payer starts a load in a thread
        (no coverage warning until it answers, then the pane is redrawn)."""
        d = self.draft
        if self.dntui.store is None or d.patient.id is None or self.locked:
            return None
        key = (d.patient.id, d.payer, d.visit_id)
        if key != self._coverage_key:
            self._coverage_key = key
            self._coverage = visit_billing.CoverageContext(None, loaded=False)
            self._load_coverage(key)
        return self._coverage

    @work(thread=True, exclusive=True, group="visit-coverage", exit_on_error=False)
    def _load_coverage(self, key: tuple[int, str, int | None]) -> None:
        from dntui.store.queries import coverage_context

        store = self.dntui.store
        if store is None:
            return
        try:
            ctx = coverage_context(store, key[0], key[1], exclude_visit_id=key[2])
        except DntuiError:
            return  # the pane simply shows no coverage lines
        self.app.call_from_thread(self._coverage_loaded, key, ctx)

    def _coverage_loaded(
        self, key: tuple[int, str, int | None], ctx: visit_billing.CoverageContext
    ) -> None:
        if key == self._coverage_key:
            self._coverage = ctx
            if self.is_mounted:
                self.refresh_billing()

    def reload_coverage(self) -> None:
        """Forget the loaded coverage (it was just changed): the next redraw reloads it."""
        self._coverage_key = None
        self.refresh_billing()

    def action_coverage(self) -> None:
        """The coverage form for this visit's patient and payer (from the palette)."""
        from dntui.dialogs.coverage import CoverageForm, CoverageScreen
        from dntui.domain.coverage import Coverage

        d = self.draft
        if d.patient.id is None:
            self.notify("Choose the patient first (step 1).")
            return
        current = {}
        if self._coverage is not None and self._coverage.coverage is not None:
            current[d.payer] = self._coverage.coverage
        schedule = self.fee_schedule
        form = CoverageForm(
            patient_name=d.patient.name,
            payers={k: p.name for k, p in schedule.payers.items()},
            payer=d.payer,
            current=current,
            today=self.dntui.today(),
            verified_by=self.dntui.signer.name,
        )
        patient_id = d.patient.id

        async def save(result: Coverage | None) -> None:
            if result is None:
                return
            try:
                await self._db(
                    self.dntui.db.record_coverage, patient_id, result, actor=self.dntui.signer
                )
            except (DntuiError, ValueError) as exc:
                self.notify(str(exc), severity="error")
                return
            self.notify("Coverage recorded.")
            self.reload_coverage()

        self.app.push_screen(CoverageScreen(form), save)

    def screening_result(self) -> screening.ScreeningResult:
        return evaluate_screening(self.draft)

    def author_name(self, practitioner_id: int) -> str:
        return self._authors.get(practitioner_id, f"practitioner {practitioner_id}")

    # ------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield SaveBanner(id="save-banner")
        with Horizontal(id="visit-main"):
            with Vertical(id="visit-left"):
                yield Static(id="step-bar")
                with ContentSwitcher(initial="review" if self.locked else "patient", id="steps"):
                    yield PatientStep(id="patient")
                    yield ScreeningStep(id="screening")
                    yield MusclesStep(id="muscles")
                    yield InstructionsStep(id="instructions")
                    yield ReviewStep(id="review")
            yield BillingPane(id="billing")
        yield Footer()

    def on_mount(self) -> None:
        step = "review" if self.locked else (self.draft.step or "patient")
        self.action_step(step)
        self.refresh_billing()
        self.watch_status(self.status)
        if self._record is not None and self._record.addenda:
            self._load_authors(self._record)
        if self.dirty:  # restored from a local backup: to the database at once
            self.call_after_refresh(self._autosave)

    def watch_status(self, status: Status) -> None:
        """Pane subtitle, step bar and locks follow the status."""
        state = str(status)
        if self.draft.visit_id is not None:
            state = f"visit {self.draft.visit_id} · {state}"
        self.query_one(BillingPane).border_subtitle = state
        self.set_class(status in LOCKED, "-locked")
        self.query_one("#step-bar", Static).update(self._step_bar())
        self._refresh_review()

    def _prior_visits(self) -> list[date]:
        """The patient's signed visits that number this visit's session: under any
        Medicare payer for Medicare (NCD 30.3.3 limits), under this plan for a payer
        that asks for KX after some sessions (Medicare Advantage [12]).

        Read once per patient, payer and date, not on every keystroke."""
        d, schedule = self.draft, self.fee_schedule
        store = self.dntui.store
        payer = schedule.payer(d.payer)
        counts_sessions = payer.medicare or payer.kx_after_sessions is not None
        if store is None or d.patient.id is None or not counts_sessions or self.locked:
            return []
        key = (d.patient.id, d.payer, d.visit_date, d.visit_id)
        cached = getattr(self, "_prior_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        from dntui.store.queries import prior_signed_dates

        keys = (
            [k for k, p in schedule.payers.items() if p.medicare] if payer.medicare else [d.payer]
        )
        try:
            dates = prior_signed_dates(
                store, d.patient.id, before=d.visit_date, payers=keys, exclude_visit_id=d.visit_id
            )
        except DntuiError:
            dates = []
        self._prior_cache = (key, dates)
        return dates

    def _show_saved_state(self) -> None:
        if self.locked:
            return
        if self.dirty:
            self.status = Status.SAVING
        elif self.draft.visit_id is None:
            self.status = Status.NEW
        else:
            self.status = Status.SAVED
        # The subtitle names the visit once it has an id, even if the status is unchanged.
        self.watch_status(self.status)

    def refresh_billing(self) -> None:
        self.query_one(BillingPane).show(self.summary(), safety.safety_warnings(self.draft))

    # ----------------------------------------------------------- messages
    def on_step_changed(self, event: Step.Changed) -> None:
        event.stop()
        self.changed()

    def on_step_next_requested(self, event: Step.NextRequested) -> None:
        event.stop()
        self.action_next_step()

    def on_step_sign_requested(self, event: Step.SignRequested) -> None:
        event.stop()
        self.sign_flow()

    def on_step_void_requested(self, event: Step.VoidRequested) -> None:
        event.stop()
        self.void_flow()

    def on_step_addendum_requested(self, event: Step.AddendumRequested) -> None:
        event.stop()
        self.addendum_flow()

    def changed(self) -> None:
        """The draft changed: redraw the pane now, save half a second after the last change."""
        if self.locked:
            return
        self.refresh_billing()
        self.status = Status.SAVING
        self._schedule_save(AUTOSAVE_DELAY)

    # -------------------------------------------------------------- saving
    def _schedule_save(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self._autosave)

    def _autosave(self) -> None:
        self.run_worker(partial(self.flush, "autosave"), group="autosave", exit_on_error=False)

    async def flush(self, reason: str = "") -> bool:
        """Save until the database has every change; False when it cannot now."""
        while self.dirty and not self.locked:
            if not await self._save_once(reason):
                return False
        return True

    async def _save_once(self, reason: str) -> bool:
        """One save of the draft as it is now, in a thread; one save at a time."""
        if self._save_lock.locked():
            # A save is waiting on the database (another process may hold its write
            # lock): this edit's local copy must not wait behind it (SIGKILL).
            await self._backup_now()
        async with self._save_lock:
            if not self.dirty:
                return True
            number, snapshot = self._snapshot()
            old_backup = backup_path(snapshot)
            store, who = self.dntui.store, self.dntui.practitioner
            if store is None or who is None:
                return False
            backup_error, db_error = await asyncio.to_thread(
                self._store_draft, store, who, snapshot, partial(self._backup_in_order, number)
            )
            if db_error is not None:
                self.status = Status.NOT_SAVED
                self.kept_somewhere = not backup_error
                if backup_error:
                    # Never "kept locally" when it is not: the typed visit exists only here.
                    self._banner(
                        f"NOT SAVED: the database refused the draft ({db_error}) and the local "
                        f"backup failed too ({backup_error}). The visit is only in this "
                        f"window: keep it open; saving is retried every {RETRY_DELAY:.0f} s."
                    )
                else:
                    self._banner("")
                    self._report(f"Draft kept locally, not yet in the database: {db_error}")
                if reason != "hangup":
                    self._schedule_save(RETRY_DELAY)
                return False
            self.kept_somewhere = True
            self._banner("")
            if backup_error:
                self._report(f"Cannot write the local draft backup: {backup_error}")
            # The database's id and version hold even when newer edits wait to be saved.
            self.draft.visit_id, self.draft.version = snapshot.visit_id, snapshot.version
            self._saved = _content(snapshot)
            if not self.dirty:
                self._last_error = ""
                # A copy written while the first save waited is named by the local id.
                unsaved = dataclasses.replace(snapshot, visit_id=None)
                for path in {old_backup, backup_path(snapshot), backup_path(unsaved)}:
                    path.unlink(missing_ok=True)
            self._show_saved_state()
            return True

    async def _backup_now(self) -> None:
        """The local copy of the draft as it is now, in a thread, one copy at a time and
        in order (the newest last); a failure is left to the save that follows."""
        async with self._backup_lock:
            if not self.dirty:
                return
            number, snapshot = self._snapshot()
            with contextlib.suppress(OSError):
                await asyncio.to_thread(self._backup_in_order, number, snapshot)

    def _snapshot(self) -> tuple[int, VisitDraft]:
        """A copy of the draft as it is now, numbered in the order copies are taken."""
        self._snapshots += 1
        return self._snapshots, copy.deepcopy(self.draft)

    def _backup_in_order(self, number: int, snapshot: VisitDraft) -> None:
        """The local copy of ``snapshot`` (copy ``number``), unless a later copy is on
        disk already (raises OSError). Any thread."""
        with self._backup_guard:
            if number < self._backup_snapshot:
                return
            write_backup(snapshot)
            self._backup_snapshot = number

    @staticmethod
    def _store_draft(
        store: Any, who: Practitioner, snapshot: VisitDraft, backup: Callable[[VisitDraft], None]
    ) -> tuple[str, DntuiError | None]:
        """Thread side of a save: the local copy first (``backup``), then the database.

        Returns why the backup could not be written ("" when it was) and the
        database's refusal (None when it took the draft)."""
        backup_error = ""
        try:
            backup(snapshot)
        except OSError as exc:
            backup_error = exc.strerror or str(exc)
        try:
            store.save_draft(snapshot, actor=who)
        except DntuiError as exc:
            return backup_error, exc
        return backup_error, None

    def save_on_hangup(self) -> None:
        """The terminal is gone: keep the draft locally now, try the database briefly.

        Runs on the UI thread from the signal handler and returns within about
        ``HANGUP_DB_WAIT`` seconds even when another process holds the database's
        write lock; the local copy is offered at the next start if the database
        did not take the draft.
        """
        if not self.dirty:
            return
        number, snapshot = self._snapshot()
        with contextlib.suppress(OSError):
            self._backup_in_order(number, snapshot)
        store, who = self.dntui.store, self.dntui.practitioner
        if store is None or who is None:
            return
        done = threading.Event()

        def save() -> None:
            try:
                store.save_draft(snapshot, actor=who)
            except DntuiError:
                return
            backup_path(snapshot).unlink(missing_ok=True)
            if self.draft.visit_id is None:
                backup_path(self.draft).unlink(missing_ok=True)
            done.set()

        threading.Thread(target=save, name="dntui-hangup-save", daemon=True).start()
        if done.wait(HANGUP_DB_WAIT):
            self._saved = _content(snapshot)

    def _banner(self, text: str) -> None:
        banner = self.query_one(SaveBanner)
        if text:
            banner.warn(text)
            self._report(text)
        elif banner.shown:
            banner.clear()
            self.notify("Draft saved: the visit is safe again.")

    def _report(self, message: str) -> None:
        if message != self._last_error:
            self._last_error = message
            self.notify(message, severity="error", timeout=8)

    # ------------------------------------------------------------ steps
    def _step_bar(self) -> str:
        current = self.query_one(ContentSwitcher).current
        parts = []
        for key, label in STEPS:
            parts.append(f"[reverse]{label}[/]" if key == current else label)
        return " ".join(parts)

    def action_step(self, step: str) -> None:
        if self.locked and step != "review":
            self.notify("This visit is signed: it can only be read; add an addendum (a).")
            step = "review"
        switcher = self.query_one(ContentSwitcher)
        switcher.current = step
        self.draft.step = step
        self.query_one("#step-bar", Static).update(self._step_bar())
        self.query_one(f"#{step}", Step).enter()

    def action_scroll_billing(self, lines: int) -> None:
        """Scroll the billing pane from any step; the focus stays where it is."""
        self.query_one(BillingPane).scroll_by_lines(lines)

    def action_next_step(self) -> None:
        keys = [k for k, _ in STEPS]
        current = self.query_one(ContentSwitcher).current or "patient"
        idx = keys.index(current)
        if idx < len(keys) - 1:
            self.action_step(keys[idx + 1])

    def action_leave(self) -> None:
        self._leave()

    @work(exclusive=True, group="visit-leave", exit_on_error=False)
    async def _leave(self) -> None:
        # Keys typed behind Escape wait for the next screen (DntuiApp holds them while
        # ``leaving``): "v" or "s" must not open a dialog on a visit being closed.
        self.leaving = True
        if not await self.flush("leave"):
            self.notify("The draft is kept on this machine and will be offered next time.")
        dismiss_when_on_top(self, None)

    def _refresh_review(self) -> None:
        if self.query_one(ContentSwitcher).current == "review":
            self.query_one(ReviewStep).refresh_view()

    # -------------------------------------------------- sign, void, addendum
    async def _db(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a store call in a thread: the UI keeps drawing and reading keys."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def _ask_pin(self, title: str, visit_id: int | None, *, wrong: str) -> bool:
        """Ask for the signer's PIN and check it; False when cancelled or wrong."""
        pin = await self.app.push_screen_wait(PinScreen(title))
        if pin is None:
            return False
        who = self.dntui.signer
        if not await self._db(self.dntui.db.check_signer, who.id, pin, visit_id=visit_id):
            self.notify(wrong, severity="error")
            return False
        return True

    async def _reload(self) -> None:
        assert self.draft.visit_id is not None
        record = await self._db(self.dntui.db.load, self.draft.visit_id)
        self._record = record
        self._draft = record.draft
        self._saved = _content(record.draft)
        await self._fetch_authors(record)
        self.status = _status_of(record)
        self._refresh_review()

    def _load_authors(self, record: VisitRecord) -> None:
        self.run_worker(self._fetch_authors(record), group="authors", exit_on_error=False)

    async def _fetch_authors(self, record: VisitRecord) -> None:
        ids = {a.author_id for a in record.addenda} - set(self._authors)
        for pid in ids:
            try:
                p = await self._db(self.dntui.db.practitioner, pid)
            except DntuiError:
                continue
            self._authors[pid] = f"{p.name}, {p.credentials}"
        self._refresh_review()

    @work(exclusive=True, group="visit-action", exit_on_error=False)
    async def sign_flow(self) -> None:
        if self.locked:
            self.notify("Already signed: add an addendum (a) to correct it.")
            return
        who = self.dntui.signer
        store = self.dntui.db
        blockers = blockers_for(self.draft, practitioner_info(who))
        if blockers:
            await self.flush("sign-refused")
            try:
                await self._db(
                    store.record_refused_sign, self.draft.visit_id, actor=who, reasons=blockers
                )
            except DntuiError as exc:
                self.notify(str(exc), severity="error")
            self.notify("Cannot sign yet:\n" + "\n".join(blockers), severity="error", timeout=8)
            self._refresh_review()
            return
        if not await self._ask_pin(
            f"Sign as {who.name}, {who.credentials}",
            self.draft.visit_id,
            wrong="Wrong PIN: not signed.",
        ):
            return
        try:
            if not await self.flush("sign"):
                self.notify(
                    "Not signed: the latest changes are not in the database yet.",
                    severity="error",
                )
                return
            coverage = None
            if self.draft.patient.id is not None:
                from dntui.store.queries import coverage_context

                coverage = await self._db(
                    coverage_context,
                    store,
                    self.draft.patient.id,
                    self.draft.payer,
                    exclude_visit_id=self.draft.visit_id,
                )
            record = sign_visit(
                self.draft,
                self.fee_schedule,
                practitioner_info(who),
                self.dntui.clock,
                clinic_name=self.dntui.settings.clinic_name,
                prior_visits=self._prior_visits(),
                clinic_state=self.dntui.settings.clinic_state,
                coverage=coverage,
            )
            await self._db(store.sign, record, signer=who)
            backup_path(self.draft).unlink(missing_ok=True)
            await self._reload()
        except DntuiError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.action_step("review")
        self.notify(f"Visit signed: {record.code or 'no code'}. It is now locked.")

    @work(exclusive=True, group="visit-action", exit_on_error=False)
    async def void_flow(self) -> None:
        if self.draft.visit_id is None:
            return
        reason = await self.app.push_screen_wait(ReasonScreen("Mark this visit entered in error"))
        if reason is None:
            return
        if not await self.flush("void"):
            self.notify("Not marked: the draft is not in the database yet.", severity="error")
            return
        if not await self._ask_pin(
            "Sign: mark this visit entered in error",
            self.draft.visit_id,
            wrong="Wrong PIN: not marked.",
        ):
            return
        try:
            await self._db(
                self.dntui.db.void, self.draft.visit_id, actor=self.dntui.signer, reason=reason
            )
            await self._reload()
        except (DntuiError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify("Marked entered in error. The content stays readable.")

    @work(exclusive=True, group="visit-action", exit_on_error=False)
    async def addendum_flow(self) -> None:
        if not self.locked:
            self.notify("This visit is a draft: edit it directly.")
            return
        result = await self.app.push_screen_wait(AddendumScreen())
        if result is None:
            return
        reason, text = result
        if await self._signed_addendum(
            "Sign the addendum", text=text, reason=reason, wrong="Wrong PIN: addendum not saved."
        ):
            self.notify("Addendum saved.")

    async def _signed_addendum(
        self, title: str, *, text: str, reason: str, kind: str = "correction", wrong: str
    ) -> bool:
        visit_id = self.draft.visit_id
        assert visit_id is not None
        if not await self._ask_pin(title, visit_id, wrong=wrong):
            return False
        try:
            await self._db(
                self.dntui.db.add_addendum,
                visit_id,
                author=self.dntui.signer,
                text=text,
                reason=reason,
                kind=kind,
            )
            await self._reload()
        except (DntuiError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return False
        return True

    def action_adverse_event(self) -> None:
        self.adverse_event_flow()

    @work(exclusive=True, group="visit-action", exit_on_error=False)
    async def adverse_event_flow(self) -> None:
        """Record an adverse event: in the draft, or as a signed addendum once signed."""
        from dntui.domain import muscles
        from dntui.domain.adverse import describe

        names = []
        for m in self.draft.muscles:
            muscle = muscles.BY_ID.get(m.muscle_id)
            names.append(
                f"{muscle.name if muscle else terminal_safe(m.muscle_id)} ({m.side.value})"
            )
        now = self.dntui.clock().astimezone().strftime("%H:%M")
        event = await self.app.push_screen_wait(AdverseEventScreen(names, now))
        if event is None:
            return
        if not self.locked:
            self.draft.adverse_events.append(event)
            self.changed()
            self.notify(f"Adverse event recorded: {describe(event)}")
            self._refresh_review()
            return
        if await self._signed_addendum(
            "Sign the adverse-event addendum",
            text=describe(event),
            reason=f"adverse event ({event['severity']})",
            kind="adverse-event",
            wrong="Wrong PIN: the event was not recorded.",
        ):
            self.notify("Adverse event added to the signed note as an addendum.")
