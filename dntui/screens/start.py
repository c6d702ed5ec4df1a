"""The start screen: today's visits and open drafts for the practitioner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from dntui.store_rows import STATUS_TEXT
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, PlainTable


class StartScreen(Screen[None], AppAccess):
    HELP = """\
The start screen lists today's visits and every open draft of the current practitioner.
Drafts are saved continuously: a visit left by a dropped connection is here to resume.
"""
    BINDINGS = [
        Binding("n", "app.new_visit", "New visit", id="start.new"),
        Binding("enter", "open", "Open", id="start.open", show=True),
        Binding("f", "app.find_patient", "Find patient", id="start.find"),
        Binding("h", "app.history", "History", id="start.history"),
        Binding("d", "app.day_sheet", "Day sheet", id="start.daysheet"),
        Binding("p", "app.switch_practitioner", "Practitioner", id="start.practitioner"),
        Binding("l", "app.lock", "Lock", id="start.lock"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-body"):
            yield Plain("Opening the database…", id="start-status")
            yield Static("Today's visits and open drafts", classes="section-title")
            yield PlainTable(id="start-visits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Visit", "Date", "Patient", "Chart", "Status", "Code", "Muscles")
        table.focus()
        self.reload()

    def reload(self) -> None:
        app = self.dntui
        store, practitioner = app.store, app.practitioner
        if store is None or practitioner is None or not self.is_mounted:
            return
        today = app.today()
        rows = {r.id: r for r in store.visit_rows(day=today, practitioner_id=practitioner.id)}
        for r in store.visit_rows(status="draft", practitioner_id=practitioner.id, limit=50):
            rows.setdefault(r.id, r)
        table = self.query_one(DataTable)
        table.clear()
        for r in sorted(rows.values(), key=lambda r: (r.visit_date, r.id), reverse=True):
            table.add_row(
                str(r.id),
                r.visit_date.isoformat(),
                r.patient_name,
                r.chart_no,
                STATUS_TEXT.get(r.status, r.status) + (f" +{r.addenda}" if r.addenda else ""),
                r.code or "-",
                str(r.muscle_count) if r.status != "draft" else "",
                key=str(r.id),
            )
        drafts = sum(1 for r in rows.values() if r.status == "draft")
        status = self.query_one("#start-status", Plain)
        status.update(
            f"{practitioner.name}, {practitioner.credentials} · {today:%a %d %b %Y} · "
            f"{len(rows) - drafts} visit(s) today · {drafts} open draft(s)"
        )

    def on_screen_resume(self) -> None:
        self.reload()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            self.dntui.action_new_visit()
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if key is not None:
            self.dntui.open_visit(int(key))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.dntui.open_visit(int(event.row_key.value))
