"""Find a patient and see their visits."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from dntui.widgets.plain import Plain


class PatientsScreen(Screen[None]):
    HELP = "Type a name, chart number or birth date (YYYY-MM-DD); Enter shows the patient's visits."
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="patients.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(placeholder="Find patient: name, chart no. or birth date", id="find")
            yield DataTable(id="found", cursor_type="row")
            yield Plain("", id="patient-visits-title", classes="section-title")
            yield DataTable(id="patient-visits", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#found", DataTable).add_columns("Name", "Born", "Chart")
        self.query_one("#patient-visits", DataTable).add_columns(
            "Visit", "Date", "Status", "Code", "Muscles", "Practitioner"
        )
        self._search("")
        self.query_one("#find", Input).focus()

    def _search(self, q: str) -> None:
        table = self.query_one("#found", DataTable)
        table.clear()
        for p in self.app.store.search_patients(q, limit=50):  # type: ignore[attr-defined]
            born = p.date_of_birth.isoformat() if p.date_of_birth else "-"
            table.add_row(p.name, born, p.chart_no, key=str(p.id))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one("#found", DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "found" and event.row_key.value:
            self._show_visits(int(event.row_key.value))
        elif event.data_table.id == "patient-visits" and event.row_key.value:
            self.app.open_visit(int(event.row_key.value))  # type: ignore[attr-defined]

    def _show_visits(self, patient_id: int) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        patient = store.patient(patient_id)
        rows = store.visit_rows(patient_id=patient_id, limit=500)
        self.query_one("#patient-visits-title", Static).update(
            f"Visits of {patient.name}: {len(rows)}"
        )
        table = self.query_one("#patient-visits", DataTable)
        table.clear()
        for r in rows:
            table.add_row(
                str(r.id),
                r.visit_date.isoformat(),
                r.status,
                r.code or "-",
                str(r.muscle_count),
                r.practitioner_name,
                key=str(r.id),
            )
        table.focus()
