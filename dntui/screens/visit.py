"""The visit flow: five steps beside the live billing pane.

``VisitScreen`` owns the ``VisitDraft`` (plain data). Steps edit it and call
``changed()``, which redraws the billing pane in the same frame and schedules
the autosave, debounced to half a second after the last change, so SIGKILL
loses at most that half second. Each autosave writes a private local copy and
then the database; the copy is removed once the database has the draft.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, Footer, Header, Static

from dntui.domain import billing, safety, screening
from dntui.domain.errors import DntuiError
from dntui.domain.text import terminal_safe
from dntui.domain.visit import PractitionerInfo, VisitDraft
from dntui.widgets.billing_pane import BillingPane
from dntui.widgets.save_banner import SaveBanner
from dntui.widgets.step_instructions import InstructionsStep
from dntui.widgets.step_muscles import MusclesStep
from dntui.widgets.step_patient import PatientStep
from dntui.widgets.step_review import ReviewStep
from dntui.widgets.step_screening import ScreeningStep

if TYPE_CHECKING:
    from dntui.app import DntuiApp
    from dntui.store.repo import VisitRecord

STEPS = (
    ("patient", "1 Patient"),
    ("screening", "2 Screen"),
    ("muscles", "3 Muscles"),
    ("instructions", "4 Care"),
    ("review", "5 Sign"),
)
AUTOSAVE_DELAY = 0.5  # seconds after the last change (issue: under one second)
RETRY_DELAY = 5.0


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


class VisitScreen(Screen[None]):
    HELP = """\
Log a visit in five steps; the billing pane on the right follows every change.
F2-F6 jump to a step, ctrl+n goes to the next one. Everything is saved as a draft
as you type; Esc goes back to the start screen (the draft stays open there).
"""
    BINDINGS = [
        Binding("f2", "step('patient')", "Patient", id="visit.step.patient"),
        Binding("f3", "step('screening')", "Screening", id="visit.step.screening"),
        Binding("f4", "step('muscles')", "Muscles", id="visit.step.muscles"),
        Binding("f5", "step('instructions')", "Aftercare", id="visit.step.instructions"),
        Binding("f6", "step('review')", "Review", id="visit.step.review"),
        Binding("ctrl+n", "next_step", "Next step", id="visit.next"),
        Binding("f10", "adverse_event", "Adverse event", id="visit.adverse"),
        Binding("escape", "leave", "Back", id="visit.back"),
    ]

    def __init__(self, draft: VisitDraft, *, record: VisitRecord | None = None) -> None:
        super().__init__()
        self.draft = draft
        self.record = record
        self.locked = record is not None and record.visit.status != "draft"
        self.dirty = False
        self._timer: Timer | None = None
        self._last_error = ""
        #: False while the latest changes are neither in the database nor in the
        #: local backup file: only in this window (disk full, database gone).
        self.kept_somewhere = True

    @classmethod
    def new(cls, app: DntuiApp) -> VisitScreen:
        p = app.practitioner
        assert p is not None
        info = PractitionerInfo(
            id=p.id,
            name=p.name,
            credentials=p.credentials,
            acupuncture_licensed=p.acupuncture_licensed,
            acupuncture_degree=p.acupuncture_degree,
        )
        return cls(VisitDraft(visit_date=app.today(), practitioner=info))

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
        self._show_state()

    # ------------------------------------------------------------ changes
    @property
    def fee_schedule(self):  # type: ignore[no-untyped-def]
        schedule = self.app.fee_schedule  # type: ignore[attr-defined]
        if schedule is None:
            from dntui.domain.fees import load_fee_schedule

            schedule = load_fee_schedule(None)
        return schedule

    def summary(self) -> billing.BillingSummary:
        if self.locked and self.record is not None:
            # A signed visit keeps the billing it was signed with: never recomputed.
            try:
                stored = json.loads(self.record.visit.billing_json or "{}")
            except ValueError:
                stored = {}
            if isinstance(stored, dict) and "code" in stored:
                return billing.signed_summary(stored)
        return billing.summarize(self.draft, self.fee_schedule, self._prior_visits())

    def _prior_visits(self) -> list[date]:
        """The patient's signed visits under this payer's kind (Medicare session numbers).

        Read once per patient, payer and date, not on every keystroke."""
        d, schedule = self.draft, self.fee_schedule
        store = getattr(self.app, "store", None)
        payer = schedule.payer(d.payer)
        if store is None or d.patient.id is None or not payer.medicare or self.locked:
            return []
        key = (d.patient.id, d.payer, d.visit_date, d.visit_id)
        cached = getattr(self, "_prior_cache", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        from dntui.store.queries import prior_signed_dates

        keys = [k for k, p in schedule.payers.items() if p.medicare]
        try:
            dates = prior_signed_dates(
                store, d.patient.id, before=d.visit_date, payers=keys, exclude_visit_id=d.visit_id
            )
        except DntuiError:
            dates = []
        self._prior_cache = (key, dates)
        return dates

    def screening_result(self) -> screening.ScreeningResult:
        d = self.draft
        return screening.evaluate(
            d.screening,
            d.consent,
            [m.muscle_id for m in d.muscles],
            trimester=d.pregnancy_trimester,
            estim=any(m.estim for m in d.muscles),
        )

    def refresh_billing(self) -> None:
        self.query_one(BillingPane).show(self.summary(), safety.safety_warnings(self.draft))

    def changed(self) -> None:
        """Called by a step after it changed the draft."""
        if self.locked:
            return
        self.refresh_billing()
        self.dirty = True
        self._show_state()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)

    def _autosave(self) -> None:
        self.save_now(reason="autosave")

    def _write_backup(self) -> str:
        """Write the private local copy; returns "" or why it could not be written."""
        from dntui.config import ensure_private_dir, write_private_text

        try:
            path = backup_path(self.draft)
            ensure_private_dir(path.parent)
            write_private_text(path, json.dumps(self.draft.to_dict()))
        except OSError as exc:
            return exc.strerror or str(exc)
        return ""

    def save_now(self, *, reason: str = "") -> bool:
        """Save the draft to the database now (also from the hangup handler)."""
        if not self.dirty or self.locked:
            return True
        store = self.app.store  # type: ignore[attr-defined]
        practitioner = self.app.practitioner  # type: ignore[attr-defined]
        if store is None or practitioner is None:
            return False
        # The private local copy first (cheap insurance if the database is gone),
        # written here rather than on every keystroke: the save is debounced.
        backup_error = self._write_backup()
        old_backup = backup_path(self.draft)
        try:
            store.save_draft(self.draft, actor=practitioner)
        except DntuiError as exc:
            self.kept_somewhere = not backup_error
            if backup_error:
                # Never "kept locally" when it is not: the typed visit exists only here.
                self._banner(
                    f"NOT SAVED: the database refused the draft ({exc}) and the local "
                    f"backup failed too ({backup_error}). The visit is only in this "
                    f"window: keep it open; saving is retried every {RETRY_DELAY:.0f} s."
                )
            else:
                self._banner("")
                self._report(f"Draft kept locally, not yet in the database: {exc}")
            if reason != "hangup":
                self._timer = self.set_timer(RETRY_DELAY, self._autosave)
            return False
        self.dirty = False
        self.kept_somewhere = True
        self._last_error = ""
        self._banner("")
        for path in {old_backup, backup_path(self.draft)}:
            path.unlink(missing_ok=True)
        self._show_state()
        return True

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

    def _show_state(self) -> None:
        if self.locked:
            state = "signed, read-only"
        elif self.dirty:
            state = "saving…"
        elif self.draft.visit_id is None:
            state = "new visit"
        else:
            state = "draft saved"
        if self.draft.visit_id is not None:
            state = f"visit {self.draft.visit_id} · {state}"
        self.query_one(BillingPane).border_subtitle = state

    def action_step(self, step: str) -> None:
        if self.locked and step != "review":
            self.notify("This visit is signed: it can only be read; add an addendum (a).")
            step = "review"
        switcher = self.query_one(ContentSwitcher)
        switcher.current = step
        self.draft.step = step
        self.query_one("#step-bar", Static).update(self._step_bar())
        widget = self.query_one(f"#{step}")
        enter = getattr(widget, "enter", None)
        if enter is not None:
            enter()

    def action_next_step(self) -> None:
        keys = [k for k, _ in STEPS]
        current = self.query_one(ContentSwitcher).current or "patient"
        idx = keys.index(current)
        if idx < len(keys) - 1:
            self.action_step(keys[idx + 1])

    def action_leave(self) -> None:
        self.save_now(reason="leave")
        self.dismiss(None)

    def after_sign(self) -> None:
        """The visit was signed: reload it read-only."""
        self.dirty = False
        self.locked = True
        assert self.draft.visit_id is not None
        store = self.app.store  # type: ignore[attr-defined]
        self.record = store.load(self.draft.visit_id)
        self.draft = self.record.draft
        backup_path(self.draft).unlink(missing_ok=True)
        self._show_state()
        self.action_step("review")

    def action_adverse_event(self) -> None:
        """Record an adverse event: in the draft, or as a signed addendum once signed."""
        from dntui.domain import muscles
        from dntui.domain.adverse import describe
        from dntui.screens.modals import AdverseEventScreen, PinScreen

        names = []
        for m in self.draft.muscles:
            muscle = muscles.BY_ID.get(m.muscle_id)
            names.append(
                f"{muscle.name if muscle else terminal_safe(m.muscle_id)} ({m.side.value})"
            )
        now = datetime.now().strftime("%H:%M")

        def recorded(event: object) -> None:
            if not isinstance(event, dict):
                return
            if not self.locked:
                self.draft.adverse_events.append(event)
                self.changed()
                self.notify(f"Adverse event recorded: {describe(event)}")
                self._refresh_review()
                return
            store, who = self.app.store, self.app.practitioner  # type: ignore[attr-defined]

            def with_pin(pin: object) -> None:
                if not isinstance(pin, str):
                    return
                try:
                    if not store.check_signer(who.id, pin, visit_id=self.draft.visit_id):
                        self.notify("Wrong PIN: the event was not recorded.", severity="error")
                        return
                    store.add_addendum(
                        self.draft.visit_id,
                        author=who,
                        text=describe(event),
                        reason=f"adverse event ({event['severity']})",
                        kind="adverse-event",
                    )
                except (DntuiError, ValueError) as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.record = store.load(self.draft.visit_id)
                self._refresh_review()
                self.notify("Adverse event added to the signed note as an addendum.")

            self.app.push_screen(PinScreen("Sign the adverse-event addendum"), with_pin)

        self.app.push_screen(AdverseEventScreen(names, now), recorded)

    def _refresh_review(self) -> None:
        review = self.query_one("#review")
        if self.query_one(ContentSwitcher).current == "review":
            review.show()  # type: ignore[attr-defined]

    def now_iso(self) -> str:
        return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
