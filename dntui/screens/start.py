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
Drafts older than the setting late_draft_days (default 2) are LATE: your own come first,
oldest first, and the status line counts yours and the clinic's. b opens the dashboard.
"""
    BINDINGS = [
        Binding("n", "app.new_visit", "New visit", id="start.new"),
        Binding("enter", "open", "Open", id="start.open", show=True),
        Binding("f", "app.find_patient", "Find patient", id="start.find"),
        Binding("h", "app.history", "History", id="start.history"),
        Binding("d", "app.day_sheet", "Day sheet", id="start.daysheet"),
        Binding("b", "app.dashboard", "Dashboard", id="start.dashboard"),
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

    def _draft_codes(self, visit_ids: list[int]) -> dict[int, tuple[str, str]]:
        """(code, muscle count) of each draft, from its muscles and the fee schedule."""
        from dntui.clinic_files import load_fee_schedule
        from dntui.domain.billing import summarize
        from dntui.domain.errors import DntuiError

        app = self.dntui
        if app.store is None or not visit_ids:
            return {}
        schedule = app.fee_schedule or load_fee_schedule(None)
        try:
            drafts = app.store.drafts_of(visit_ids)
        except DntuiError:
            return {}
        out: dict[int, tuple[str, str]] = {}
        for visit_id, draft in drafts.items():
            try:
                summary = summarize(draft, schedule, [])
            except (DntuiError, KeyError, ValueError):
                continue
            out[visit_id] = (summary.code or "-", str(summary.muscle_count))
        return out

    def reload(self) -> None:
        app = self.dntui
        store, practitioner = app.store, app.practitioner
        if store is None or practitioner is None or not self.is_mounted:
            return
        from dntui.store.dashboard import draft_counts, drafts_by_age

        today = app.today()
        late_days = app.settings.late_draft_days
        rows = {r.id: r for r in store.visit_rows(day=today, practitioner_id=practitioner.id)}
        for r in store.visit_rows(status="draft", practitioner_id=practitioner.id, limit=50):
            rows.setdefault(r.id, r)
        # The practitioner's own late drafts come first, oldest first.
        late = [
            d
            for d in drafts_by_age(
                store, today=today, late_days=late_days, practitioner_id=practitioner.id, limit=50
            )
            if d.late
        ]
        table = self.query_one(DataTable)
        table.clear()
        # A draft's code and muscle count as the billing pane would show them now.
        codes = self._draft_codes(
            [d.visit_id for d in late] + [r.id for r in rows.values() if r.status == "draft"]
        )
        for d in late:
            code, count = codes.get(d.visit_id, ("-", ""))
            table.add_row(
                str(d.visit_id),
                d.visit_date.isoformat(),
                d.patient_name,
                d.chart_no,
                f"draft LATE {d.age_days} d",
                code,
                count,
                key=str(d.visit_id),
            )
        late_ids = {d.visit_id for d in late}
        for r in sorted(rows.values(), key=lambda r: (r.visit_date, r.id), reverse=True):
            if r.id in late_ids:
                continue
            table.add_row(
                str(r.id),
                r.visit_date.isoformat(),
                r.patient_name,
                r.chart_no,
                STATUS_TEXT.get(r.status, r.status) + (f" +{r.addenda}" if r.addenda else ""),
                codes.get(r.id, ("-", ""))[0] if r.status == "draft" else r.code or "-",
                codes.get(r.id, ("-", ""))[1] if r.status == "draft" else str(r.muscle_count),
                key=str(r.id),
            )
        drafts, own_late = draft_counts(
            store, today=today, late_days=late_days, practitioner_id=practitioner.id
        )
        _, clinic_late = draft_counts(store, today=today, late_days=late_days)
        visits = sum(1 for r in rows.values() if r.status != "draft")
        status = self.query_one("#start-status", Plain)
        status.update(
            f"{practitioner.name}, {practitioner.credentials} · {today:%a %d %b %Y} · "
            f"{visits} visit(s) today · {drafts} open draft(s)\n"
            + (
                f"LATE drafts (older than {late_days} day(s)): {own_late} yours, "
                f"{clinic_late} in the clinic · b: dashboard"
                if clinic_late
                else f"No late drafts (older than {late_days} day(s))"
            )
        )
        status.set_class(own_late > 0, "late")

    def show_migration(self, done: int, total: int, revision: str) -> None:
        """Progress of the schema upgrade run before the first screen can fill in."""
        step = f", schema {revision} done" if revision else ""
        text = f"Upgrading the database: {done} of {total} step(s){step}…"
        # Progress can come before the screen has finished mounting (a busy machine):
        # shown as soon as the status line exists, never dropped.
        for status in self.query("#start-status").results(Plain):
            status.update(text)

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
