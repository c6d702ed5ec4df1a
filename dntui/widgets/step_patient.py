"""Step 1: find or add the patient; visit date, payer, diagnosis codes, ABN."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.suggester import Suggester
from textual.widgets import Checkbox, DataTable, Input, Label, Select, Static
from textual.worker import get_current_worker

from dntui.domain import icd10
from dntui.domain.errors import DntuiError
from dntui.domain.text import terminal_safe
from dntui.domain.validation import ValidationError, parse_visit_date
from dntui.ui.marks import MarkCheckbox
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.workers import answer_from_thread
from dntui.widgets.step_base import Step

#: Fifty years: anything longer is a typing slip.
MAX_PAIN_WEEKS = 2600

if TYPE_CHECKING:
    from dntui.domain.assessment import Assessment
    from dntui.domain.visit import VisitDraft
    from dntui.store.models import Patient


class DiagnosisSuggester(Suggester):
    """Completes the last code typed from the built-in ICD-10 list (right arrow accepts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=False)

    async def get_suggestion(self, value: str) -> str | None:
        if not value or value.endswith((" ", ",")):
            return None
        head, _, token = value.rpartition(" ")
        compact = token.replace(".", "")
        for d in icd10.CODES:
            if d.code.lower().replace(".", "").startswith(compact) and len(d.code) > len(token):
                return (f"{head} " if head else "") + d.code
        return None


class PatientStep(Step):
    DEFAULT_CSS = """
    PatientStep { overflow-y: auto; }
    """
    BINDINGS = [
        Binding(
            "f7,alt+n", "add_patient", "Add patient", id="patient.add", show=False, priority=True
        ),
        Binding(
            "f8,alt+i",
            "assessment",
            "Assessment",
            id="patient.assessment",
            show=False,
            priority=True,
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Find patient: name, chart no. or birth date (YYYY-MM-DD)",
            id="patient-search",
            max_length=80,
        )
        yield PlainTable(id="patient-results", cursor_type="row")
        yield Static(
            "No patient chosen. Type to search; F7 (alt+n) adds a patient.", id="patient-chosen"
        )
        with Vertical(id="visit-fields"):
            with Horizontal(classes="field-row"):
                yield Label("Date", classes="field-label")
                yield Input(id="visit-date", max_length=10, classes="short")
                yield Label("Payer", classes="field-label")
                schedule = self.host.fee_schedule
                yield Select(
                    [(rule.name, key) for key, rule in schedule.payers.items()],
                    allow_blank=False,
                    id="payer",
                    classes="payer",
                )
            with Horizontal(classes="field-row"):
                yield Label("Dx", classes="field-label")
                yield Input(
                    placeholder="ICD-10, e.g. M79.12 M62.838",
                    id="dx",
                    max_length=80,
                    suggester=DiagnosisSuggester(),
                )
                yield MarkCheckbox("ABN on file", id="abn")
            yield Plain("", id="dx-hint", classes="hint")
            with Horizontal(classes="field-row"):
                yield Label("Pain", classes="field-label")
                yield Input(
                    placeholder="wks",
                    id="pain-weeks",
                    max_length=4,
                    classes="short",
                    tooltip="How many weeks the low back pain has lasted (Medicare: 12 or more)",
                )
                yield Label("weeks of low back pain", classes="hint")
            yield Plain("", id="assessment-summary", classes="hint")
            with Horizontal(classes="field-row"):
                yield Label("Also", classes="field-label")
                yield Input(
                    placeholder="other CPT codes billed today, e.g. 97140 97810",
                    id="other-codes",
                    max_length=60,
                )
            yield Plain("", id="patient-error", classes="error")

    def on_mount(self) -> None:
        table = self.query_one("#patient-results", DataTable)
        table.add_columns("Name", "Born", "Chart")
        self._loading = True
        self._query = ""  # the latest query sent
        self._shown: str | None = None  # the query whose results the table shows
        self._choose_when_shown = False  # Enter came before the results of the latest query
        self._found: dict[str, Patient] = {}
        d = self.draft
        self.query_one("#visit-date", Input).value = d.visit_date.isoformat()
        schedule = self.host.fee_schedule
        select = self.query_one("#payer", Select)
        if d.payer in schedule.payers:
            select.value = d.payer
        else:
            d.payer = str(select.value)
        self.query_one("#dx", Input).value = terminal_safe(
            " ".join(d.diagnosis_codes), one_line=True
        )
        self.query_one("#abn", Checkbox).value = d.abn_on_file
        self.query_one("#other-codes", Input).value = terminal_safe(
            " ".join(d.other_codes), one_line=True
        )
        weeks = d.pain_weeks
        self.query_one("#pain-weeks", Input).value = "" if weeks is None else str(weeks)
        self._show_chosen()
        self._show_assessment()
        self.query_one("#dx-hint", Plain).display = False
        self._search("")
        self.call_after_refresh(self._done_loading)

    def _done_loading(self) -> None:
        self._loading = False

    def enter(self) -> None:
        target = "#patient-search" if self.draft.patient.id is None else "#visit-date"
        self.query_one(target, Input).focus()

    # -------------------------------------------------------------- search
    def _search(self, query: str) -> None:
        """Look patients up in a thread; a newer query cancels an older one."""
        if self.dntui.store is None:
            return
        self._query = query
        self._choose_when_shown = False  # typing again cancels an Enter still waiting
        self._search_worker(query)

    @work(thread=True, exclusive=True, group="patient-search", exit_on_error=False)
    def _search_worker(self, query: str) -> None:
        db = self.dntui.db
        answer_from_thread(
            self,
            lambda: db.search_patients(query, limit=8),
            partial(self._show_results, query),
            self._error,
        )

    def _show_results(self, query: str, found: list[Patient]) -> None:
        if query != self._query:
            return  # a stale answer: a newer query is on its way
        table = self.query_one("#patient-results", DataTable)
        table.clear()
        self._found = {str(p.id): p for p in found}
        for p in found:
            born = p.date_of_birth.isoformat() if p.date_of_birth else "-"
            table.add_row(p.name, born, p.chart_no, key=str(p.id))
        self._shown = query
        if self._choose_when_shown:
            self._choose_when_shown = False
            self._submit_search()

    def _submit_search(self) -> None:
        table = self.query_one("#patient-results", DataTable)
        if table.row_count:
            self._choose(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        else:
            self.action_add_patient()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "patient-search":
            self._search(event.value)
        elif event.input.id == "visit-date" and not self._loading:
            self._set_date(event.value, final=False)
        elif event.input.id == "dx" and not self._loading:
            self._set_dx(event.value, final=False)
        elif event.input.id == "other-codes" and not self._loading:
            self._set_other_codes(event.value, final=False)
        elif event.input.id == "pain-weeks" and not self._loading:
            self._set_pain_weeks(event.value, final=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "patient-search":
            if self._shown != event.value:
                # The results on screen are for an earlier query: choose when the
                # answer for what was typed arrives, never a stale row.
                self._choose_when_shown = True
                return
            self._submit_search()
        elif event.input.id == "visit-date":
            if self._set_date(event.value, final=True):
                self.query_one("#payer", Select).focus()
        elif event.input.id == "dx" and self._set_dx(event.value, final=True):
            self.query_one("#pain-weeks", Input).focus()
        elif event.input.id == "pain-weeks" and self._set_pain_weeks(event.value, final=True):
            self.query_one("#other-codes", Input).focus()
        elif event.input.id == "other-codes" and self._set_other_codes(event.value, final=True):
            self.post_message(self.NextRequested())

    def on_key(self, event: events.Key) -> None:
        # Down from the search box moves into the results.
        if event.key == "down" and self.app.focused is self.query_one("#patient-search"):
            self.query_one("#patient-results", DataTable).focus()
            event.stop()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._choose(event.row_key.value)

    def _choose(self, key: str | None) -> None:
        if key is None:
            return
        p = self._found.get(key)
        if p is not None:
            self.set_patient(p)

    def set_patient(self, p: Patient) -> None:
        d = self.draft
        if p.date_of_birth and p.date_of_birth > d.visit_date:
            self._error(f"{p.name} was born after the visit date: check the date.")
            return
        d.patient.id, d.patient.name = p.id, p.name
        d.patient.date_of_birth, d.patient.chart_no = p.date_of_birth, p.chart_no
        if d.assessment.empty and p.id is not None:
            self._carry_assessment(p.id, d.visit_date, d.visit_id)
        self._show_chosen()
        self._error("")
        self.changed()
        self.query_one("#visit-date", Input).focus()

    def _show_chosen(self) -> None:
        p = self.draft.patient
        if p.id is None:
            return
        born = p.date_of_birth.isoformat() if p.date_of_birth else "-"
        line = Text("Patient: ", style="bold")
        line.append(terminal_safe(f"{p.name} · born {born} · chart {p.chart_no}", one_line=True))
        self.query_one("#patient-chosen", Static).update(line)

    # -------------------------------------------------------------- fields
    def _set_date(self, text: str, *, final: bool) -> bool:
        today = self.dntui.today()
        try:
            day = parse_visit_date(text, today=today)
        except ValidationError as exc:
            if final or len(text) >= 10:
                self._error(str(exc))
            return False
        dob = self.draft.patient.date_of_birth
        if dob and dob > day:
            self._error("The visit date is before the patient's date of birth.")
            return False
        self._error("")
        if day != self.draft.visit_date:
            self.draft.visit_date = day
            self.changed()
        return True

    def _show_dx_hint(self, text: str) -> None:
        """Matches from the built-in list for the code being typed (→ completes it)."""
        tokens = text.replace(",", " ").split()
        token = tokens[-1] if tokens and not text.endswith((" ", ",")) else ""
        hint = self.query_one("#dx-hint", Plain)
        hint.display = bool(token)
        if not token:
            return
        matches = icd10.search_codes(token)[:3]
        hint.update(
            " · ".join(f"{d.code} {d.label}" for d in matches)
            + ("  (→ completes)" if token.upper() not in {d.code for d in matches} else "")
            if matches
            else "Not in the built-in list: a typed code is checked for its shape."
        )

    def _set_other_codes(self, text: str, *, final: bool) -> bool:
        """Other CPT codes billed the same day: the billing pane warns about conflicts."""
        codes = [c.upper() for c in text.replace(",", " ").split()]
        bad = [c for c in codes if not (len(c) == 5 and c[:4].isdigit() and c[4].isalnum())]
        if bad:
            if final:
                self._error(f"{bad[0]} is not a CPT code: five characters, e.g. 97140.")
            return False
        self._error("")
        if codes != self.draft.other_codes:
            self.draft.other_codes = codes
            self.changed()
        return True

    def _set_pain_weeks(self, text: str, *, final: bool) -> bool:
        """How long the low back pain has lasted: Medicare's chronic is 12 weeks or more."""
        text = text.strip()
        if text and not (text.isdigit() and int(text) <= MAX_PAIN_WEEKS):
            if final:
                self._error(f"Pain weeks: a whole number from 0 to {MAX_PAIN_WEEKS}, e.g. 16.")
            return False
        self._error("")
        weeks = int(text) if text else None
        if weeks != self.draft.pain_weeks:
            self.draft.pain_weeks = weeks
            self.changed()
        return True

    def _set_dx(self, text: str, *, final: bool) -> bool:
        self._show_dx_hint(text)
        codes: list[str] = []
        for raw in text.replace(",", " ").split():
            try:
                codes.append(icd10.validate_code(raw))
            except (DntuiError, ValueError) as exc:
                if final:
                    self._error(f"{raw}: {exc}")
                return False
        self._error("")
        if codes != self.draft.diagnosis_codes:
            self.draft.diagnosis_codes = codes
            self.changed()
        return True

    def on_select_changed(self, event: Select.Changed) -> None:
        if (
            event.select.id == "payer"
            and not self._loading
            and event.value != Select.BLANK
            and self.draft.payer != event.value
        ):
            self.draft.payer = str(event.value)
            self.changed()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "abn" and not self._loading:
            self.draft.abn_on_file = event.value
            self.changed()

    def _error(self, message: str) -> None:
        self.query_one("#patient-error", Plain).update(message)

    # ------------------------------------------------------------- adding
    def action_add_patient(self) -> None:
        from dntui.dialogs.add_patient import AddPatientScreen

        query = self.query_one("#patient-search", Input).value.strip()
        guess = "" if any(ch.isdigit() for ch in query) else query

        def added(p: Patient | None) -> None:
            if p is not None:
                self._search(p.name)
                self.set_patient(p)
                # The date is filled in already (today): on to the payer, once the
                # dialog has gone and the screen has put its focus back.
                self.call_after_refresh(self.query_one("#payer", Select).focus)

        self.app.push_screen(AddPatientScreen(name=guess, today=self.draft.visit_date), added)

    # ---------------------------------------------------------- assessment
    def _show_assessment(self) -> None:
        self.query_one("#assessment-summary", Plain).update(assessment_summary(self.draft))

    @work(thread=True, exclusive=True, group="patient-assessment", exit_on_error=False)
    def _carry_assessment(self, patient_id: int, day: date, visit_id: int | None) -> None:
        """A follow-up starts from the patient's last assessment (its scores left empty)."""
        from dntui.store.queries import last_assessment

        store = self.dntui.store
        if store is None:
            return
        try:
            found = last_assessment(store, patient_id, before=day, exclude_visit_id=visit_id)
        except DntuiError:
            return  # nothing carried over: the practitioner types it
        if found is not None and not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._carried, patient_id, found)

    def _carried(self, patient_id: int, found: Assessment) -> None:
        d = self.draft
        if d.patient.id != patient_id or not d.assessment.empty:
            return  # another patient was chosen, or the practitioner already typed one
        d.assessment = replace(found, nprs_before=None, psfs_before=None)
        self._show_assessment()
        self.changed()

    def action_assessment(self) -> None:
        """Chief complaint, pain location/pattern/duration, NPRS and PSFS before needling."""
        from dntui.dialogs.assessment import AssessmentScreen

        if self.host.locked:
            self.notify("Signed and locked: add an addendum instead.")
            return

        def done(result: Assessment | None) -> None:
            if result is not None and result != self.draft.assessment:
                self.draft.assessment = result
                self._show_assessment()
                self.changed()

        self.app.push_screen(AssessmentScreen(self.draft.assessment, self.draft.visit_date), done)


def assessment_summary(draft: VisitDraft) -> str:
    """One line for step 1: what the assessment holds, and the key that edits it."""
    a = draft.assessment
    if a.empty:
        return "Assessment (F8 or alt+i): not recorded"
    parts = [a.chief_complaint or a.region] if a.chief_complaint or a.region else []
    if a.duration.value:
        parts.append(a.duration.value)
    parts.append("pain " + ("not scored" if a.nprs_before is None else f"{a.nprs_before}/10"))
    if a.psfs_activity or a.psfs_before is not None:
        score = "not scored" if a.psfs_before is None else f"{a.psfs_before}/10"
        parts.append(f"PSFS {a.psfs_activity} {score}".replace("  ", " "))
    return "Assessment (F8 or alt+i): " + " · ".join(parts)
