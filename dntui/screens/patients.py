"""Find a patient and see their visits over time.

The patient view lists every visit of the patient, newest first: muscles
needled, codes, adverse events; and the count of signed visits this year. When
the patient's payer is Medicare it shows the NCD 30.3.3 limits (12 visits in 90
days, 20 a year; the numbers come from the fee schedule's payer settings).
The SQL layer is imported inside the methods that query (startup stays light).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from dntui.domain.errors import DntuiError
from dntui.store_rows import STATUS_TEXT
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.workers import answer_from_thread
from dntui.widgets.outcome_picture import OutcomePicture

if TYPE_CHECKING:
    from dntui.domain.coverage import Coverage
    from dntui.domain.fees import FeeSchedule
    from dntui.store.models import Patient
    from dntui.store.queries import CoverageLine, PatientVisit

VISIT_LIMIT = 500


def muscles_text(visit: PatientVisit) -> str:
    return ", ".join(m.text for m in visit.muscles) or "-"


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def medicare_line(
    schedule: FeeSchedule | None, payers_seen: list[str], counts: Any
) -> tuple[str, bool]:
    """The Medicare limit line and whether a limit is reached; ("", False) when not Medicare.

    ``payers_seen`` are the payer keys of the patient's visits, newest first;
    ``counts`` is a callable taking the Medicare payer keys and returning
    ``VisitCounts``.
    """
    if schedule is None or not payers_seen:
        return "", False
    rule = schedule.payer(payers_seen[0])
    if not rule.medicare:
        return "", False
    keys = [k for k, p in schedule.payers.items() if p.medicare]
    c = counts(keys)
    parts = []
    reached = False
    if rule.visits_per_90_days:
        parts.append(f"{c.last_90_days} of {rule.visits_per_90_days} visits in 90 days")
        reached |= c.last_90_days >= rule.visits_per_90_days
    if rule.visits_per_year:
        parts.append(f"{c.this_year} of {rule.visits_per_year} this year")
        reached |= c.this_year >= rule.visits_per_year
    if not parts:
        return "", False
    line = f"{rule.name} limits (NCD 30.3.3): " + ", ".join(parts)
    if reached:
        line = "LIMIT REACHED. " + line
    return line, reached


def coverage_text(screen: Any, lines: Sequence[CoverageLine]) -> str:
    """One line per payer with a coverage check: verified when, authorized visits left."""
    schedule = getattr(screen.app, "fee_schedule", None)
    if not lines:
        insured = any(
            schedule is None or not schedule.payer(v.payer).self_pay
            for v in getattr(screen, "visits", [])
        )
        return "Coverage: no check on file · c to record one" if insured else ""
    out = []
    for line in lines:
        c = line.coverage
        name = schedule.payer(c.payer).name if schedule is not None else c.payer
        parts = []  # the most telling first: the line is cut at the screen's edge
        if line.remaining:
            parts.append(line.remaining)
        elif c.starts or c.ends:
            parts.append(f"authorized {c.dates_text()}")
        parts.append(f"verified {c.verified_on.isoformat()}" if c.verified_on else "not verified")
        if c.authorization_no:
            parts.append(f"auth {c.authorization_no}")
        out.append(f"{name}: " + " · ".join(parts))
    return "\n".join(out)


class PatientsScreen(Screen[None], AppAccess):
    AUTO_FOCUS = "#find"  # as it is built: tests/test_first_focus.py
    HELP = """\
Type a name, chart number or birth date (YYYY-MM-DD); Enter goes to the results and
Enter again shows the patient's visits: muscles needled, codes, adverse events, the
count of signed visits this year and, for Medicare, the visit limits of NCD 30.3.3.
Enter on a visit opens it read-only; / goes back to the search.
Pain (0-10) before and after needling and the PSFS score are drawn over the visits,
with the change since the first visit in numbers. c records a coverage check or an
authorization for the patient (the remaining authorized visits are shown)."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="patients.back"),
        Binding("slash", "focus_search", "Search", id="patients.search"),
        Binding("c", "coverage", "Coverage", id="patients.coverage"),
    ]
    DEFAULT_CSS = """
    PatientsScreen #patients-body { padding: 0 1; }
    PatientsScreen #found { height: 6; }
    PatientsScreen #patient-counts { height: auto; }
    PatientsScreen #patient-medicare { height: auto; color: $text-warning; }
    PatientsScreen #patient-coverage { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    PatientsScreen #patient-visits { height: 1fr; min-height: 4; }
    PatientsScreen #patient-visit-detail { height: auto; max-height: 3; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.patient_id: int | None = None
        self.visits: list[PatientVisit] = []
        self._query = ""
        self._shown: str | None = None
        self._enters = 0
        self.patient_name = ""
        self.coverage_lines: list[CoverageLine] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="patients-body"):
            yield Input(placeholder="Find patient: name, chart no. or birth date", id="find")
            yield PlainTable(id="found", cursor_type="row")
            yield Plain("", id="patient-visits-title", classes="section-title")
            yield Plain("", id="patient-counts")
            yield Plain("", id="patient-medicare")
            yield Plain("", id="patient-coverage")
            yield OutcomePicture(id="patient-outcomes")
            yield PlainTable(id="patient-visits", cursor_type="row", zebra_stripes=True)
            yield Plain("", id="patient-visit-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#found", DataTable).add_columns("Name", "Born", "Chart")
        self.query_one("#patient-visits", DataTable).add_columns(
            "Visit", "Date", "Status", "Code", "#", "Muscles needled", "Adverse events", "By"
        )
        self.query_one("#patient-outcomes", OutcomePicture).display = False
        self._search("")

    def _search(self, q: str) -> None:
        """Look patients up in a thread; a newer query cancels an older one."""
        self._query = q
        self._enters = 0  # typing again cancels Enters still waiting for results
        self._search_worker(q)

    @work(thread=True, exclusive=True, group="find-patient", exit_on_error=False)
    def _search_worker(self, q: str) -> None:
        db = self.dntui.db
        answer_from_thread(
            self, lambda: db.search_patients(q, limit=50), partial(self._show_found, q)
        )

    def _show_found(self, q: str, found: list[Patient]) -> None:
        if q != self._query:
            return  # a stale answer: a newer query is on its way
        table = self.query_one("#found", DataTable)
        table.clear()
        for p in found:
            born = p.date_of_birth.isoformat() if p.date_of_birth else "-"
            table.add_row(p.name, born, p.chart_no, key=str(p.id))
        self._shown = q
        # Enters typed before the answer came act now, in order: the first goes to
        # the list, the second opens the highlighted patient.
        enters, self._enters = self._enters, 0
        if enters:
            table.focus()
        if enters > 1 and table.row_count:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            if key:
                self._open_patient(int(key))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._shown != event.value:
            self._enters += 1  # the list on screen is for an earlier query: wait for it
            return
        self.query_one("#found", DataTable).focus()

    def _open_patient(self, patient_id: int) -> None:
        self.show_visits(patient_id)
        self.query_one("#patient-visits", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "found" and event.row_key.value:
            if self._shown != self._query:
                return  # rows of an earlier query: its answer is on its way
            self._open_patient(int(event.row_key.value))
        elif event.data_table.id == "patient-visits" and event.row_key.value:
            from dntui.screens.visit_detail import VisitDetailScreen

            self.app.push_screen(VisitDetailScreen(int(event.row_key.value)))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "patient-visits":
            return
        key = event.row_key.value if event.row_key is not None else None
        visit = next((v for v in self.visits if str(v.id) == key), None)
        self._show_detail(visit)

    def on_screen_resume(self) -> None:
        if self.patient_id is not None:
            self.show_visits(self.patient_id)

    def action_focus_search(self) -> None:
        self.query_one("#find", Input).focus()

    def _show_detail(self, visit: PatientVisit | None) -> None:
        text = ""
        if visit is not None:
            text = f"Visit {visit.id}: {muscles_text(visit)}"
            if visit.adverse_events:
                text += " · adverse events: " + "; ".join(visit.adverse_events)
        self.query_one("#patient-visit-detail", Plain).update(text)

    def show_visits(self, patient_id: int) -> None:
        from dntui.store.queries import patient_visits, visit_counts

        app: Any = self.app
        store, today = app.store, app.today()
        try:
            patient = store.patient(patient_id)
            self.visits = visits = patient_visits(store, patient_id, limit=VISIT_LIMIT)
            year = visit_counts(store, patient_id, today=today)
            medicare, reached = medicare_line(
                app.fee_schedule,
                [v.payer for v in visits if v.status != "entered-in-error"],
                lambda keys: visit_counts(store, patient_id, today=today, payers=keys),
            )
        except DntuiError as exc:
            self.notify(str(exc), severity="error")
            return
        if patient_id != self.patient_id:
            self.coverage_lines = []
            self.query_one("#patient-coverage", Plain).update("")
        self.patient_id = patient_id
        self.patient_name = patient.name
        shown = f" (the latest {VISIT_LIMIT})" if len(visits) >= VISIT_LIMIT else ""
        self.query_one("#patient-visits-title", Plain).update(
            f"Visits of {patient.name}: {len(visits)}{shown}"
        )
        events = sum(len(v.adverse_events) for v in visits)
        serious = [v for v in visits if v.serious]
        counts = self.query_one("#patient-counts", Plain)
        counts.update(
            (
                "SERIOUS ADVERSE EVENT (hospital admission) on visit "
                + ", ".join(f"{v.id} ({v.visit_date})" for v in serious)
                + " · "
                if serious
                else ""
            )
            + f"Signed visits this year: {year.this_year} · last 90 days: "
            f"{year.last_90_days} · adverse events: {events}"
        )
        counts.set_class(bool(serious), "error")
        medicare_widget = self.query_one("#patient-medicare", Plain)
        medicare_widget.update(medicare)
        medicare_widget.set_class(reached, "error")
        table = self.query_one("#patient-visits", DataTable)
        table.clear()
        for v in visits:
            table.add_row(
                str(v.id),
                v.visit_date.isoformat(),
                STATUS_TEXT.get(v.status, v.status) + (f" +{v.addenda}" if v.addenda else ""),
                v.code or "-",
                str(v.muscle_count) if v.status != "draft" else "",
                cut(muscles_text(v), 44),
                ("SERIOUS: " if v.serious else "") + (cut("; ".join(v.adverse_events), 30) or "-"),
                v.practitioner_name,
                key=str(v.id),
            )
        self._show_detail(visits[0] if visits else None)
        picture = self.query_one("#patient-outcomes", OutcomePicture)
        points = [v.outcome for v in visits if v.status == "signed" and v.outcome is not None]
        picture.display = True
        picture.show(points)
        self._load_coverage(patient_id)

    # -------------------------------------------------------------- coverage
    @work(thread=True, exclusive=True, group="patient-coverage", exit_on_error=False)
    def _load_coverage(self, patient_id: int) -> None:
        from dntui.store.queries import patient_coverage

        db = self.dntui.db
        answer_from_thread(
            self, lambda: patient_coverage(db, patient_id), partial(self._show_coverage, patient_id)
        )

    def _show_coverage(self, patient_id: int, lines: list[CoverageLine]) -> None:
        if patient_id != self.patient_id:
            return
        self.coverage_lines = lines
        self.query_one("#patient-coverage", Plain).update(coverage_text(self, lines))

    def action_coverage(self) -> None:
        """Record a coverage check or an authorization for the patient shown."""
        from dntui.dialogs.coverage import CoverageForm, CoverageScreen

        if self.patient_id is None:
            self.notify("Choose a patient first: type a name, then Enter twice.")
            return
        app: Any = self.app
        schedule = app.fee_schedule
        payers = {k: p.name for k, p in schedule.payers.items()} if schedule else {}
        current = {line.coverage.payer: line.coverage for line in self.coverage_lines}
        insured = [k for k, p in schedule.payers.items() if not p.self_pay] if schedule else []
        seen = [v.payer for v in self.visits if v.payer in insured]
        # The payer to verify: one on file, else the latest insured payer of the visits,
        # else the first insured payer of the fee schedule.
        first = (
            next(iter(current), "")
            or (seen[0] if seen else "")
            or next(iter(insured), next(iter(payers), ""))
        )
        form = CoverageForm(
            patient_name=self.patient_name,
            payers=payers,
            payer=first,
            current=current,
            today=app.today(),
            verified_by=self.dntui.signer.name,
        )
        patient_id = self.patient_id

        def done(result: Coverage | None) -> None:
            if result is not None:
                self._record_coverage(patient_id, result)

        self.app.push_screen(CoverageScreen(form), done)

    @work(thread=True, exclusive=True, group="patient-coverage-save", exit_on_error=False)
    def _record_coverage(self, patient_id: int, coverage: Coverage) -> None:
        try:
            self.dntui.db.record_coverage(patient_id, coverage, actor=self.dntui.signer)
        except (DntuiError, ValueError) as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self.notify, "Coverage recorded.")
        self._load_coverage(patient_id)
