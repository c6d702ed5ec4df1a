"""Every visit, newest first, filtered as you type; Enter opens the note read-only."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from dntui.store_rows import STATUS_TEXT

PAGE = 200


class HistoryScreen(Screen[None]):
    HELP = "Every visit, newest first. Type to filter by patient name or chart number."
    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="history.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield Input(placeholder="Filter: patient name or chart number", id="history-filter")
            yield DataTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "Visit", "Date", "Patient", "Chart", "Practitioner", "Status", "Code", "Muscles"
        )
        self._load("")
        self.query_one(Input).focus()

    def _load(self, q: str) -> None:
        store = self.app.store  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        table.clear()
        for r in store.visit_rows(patient_query=q or None, limit=PAGE):
            status = STATUS_TEXT.get(r.status, r.status) + (f" +{r.addenda}" if r.addenda else "")
            table.add_row(
                str(r.id),
                r.visit_date.isoformat(),
                r.patient_name,
                r.chart_no,
                r.practitioner_name,
                status,
                r.code or "-",
                str(r.muscle_count),
                key=str(r.id),
            )

    def on_input_changed(self, event: Input.Changed) -> None:
        self._load(event.value)

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.open_visit(int(event.row_key.value))  # type: ignore[attr-defined]
