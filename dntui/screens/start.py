"""The start screen: today's visits and open drafts for the practitioner."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import ColumnKey

from dntui.domain.errors import DntuiError
from dntui.store.firstscreen import StartView
from dntui.ui.app_access import AppAccess
from dntui.ui.footer import SteadyFooter
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.workers import answer_from_thread

if TYPE_CHECKING:
    from dntui.store.repo import Store


class StartScreen(Screen[None], AppAccess):
    AUTO_FOCUS = "#start-visits"  # as it is built: tests/test_first_focus.py
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

    def __init__(self) -> None:
        super().__init__()
        self._shown_rows: tuple[tuple[str, tuple[str, ...]], ...] | None = None
        self._shown_status = ""
        self._early: tuple[StartView, str, date, int, bool] | None = None
        self._columns = False
        self._column_keys: list[ColumnKey] = []
        #: True once the store's rows are shown (not only the quick early read).
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="start-body"):
            yield Plain("Opening the database…", id="start-status")
            yield Static("Today's visits and open drafts", classes="section-title")
            yield PlainTable(id="start-visits", cursor_type="row", zebra_stripes=True)
        yield SteadyFooter()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        self._column_keys = table.add_columns(
            "Visit", "Date", "Patient", "Chart", "Status", "Code", "Muscles"
        )
        self._columns = True
        if self._early is not None:
            view, who, today, late_days, early = self._early
            self.show_view(view, who=who, today=today, late_days=late_days, early=early)
        self.reload()

    def reload(self) -> None:
        """Read the rows again in a thread worker; the screen changes only if they did."""
        app = self.dntui
        store, practitioner = app.store, app.practitioner
        # Not before on_mount has set the columns up (it reloads itself then): Textual's
        # is_mounted is still False for a moment after on_mount ran.
        if store is None or practitioner is None or practitioner.id is None or not self._columns:
            return
        self._load(store, practitioner.id, app.today(), app.settings.late_draft_days)

    @work(thread=True, exclusive=True, group="start-load", exit_on_error=False)
    def _load(self, store: Store, practitioner_id: int, today: date, late_days: int) -> None:
        from dntui.store.firstscreen import start_view

        answer_from_thread(
            self,
            lambda: self._with_draft_codes(
                store, start_view(store, practitioner_id, today=today, late_days=late_days)
            ),
            partial(self._loaded, practitioner_id, today, late_days),
            self._failed,
        )

    def _with_draft_codes(self, store: Store, view: StartView) -> StartView:
        """Drafts show their code and muscle count as the billing pane would now (read
        in the worker: the drafts, the fee schedule, the billing rules)."""
        ids = [int(key) for key, cells in view.rows if cells[4].startswith("draft")]
        if not ids:
            return view
        from dntui.clinic_files import load_fee_schedule
        from dntui.domain.billing import summarize

        schedule = self.dntui.fee_schedule or load_fee_schedule(None)
        codes: dict[str, tuple[str, str]] = {}
        for visit_id, draft in store.drafts_of(ids).items():
            try:
                summary = summarize(draft, schedule, [])
            except (DntuiError, KeyError, ValueError):
                continue
            codes[str(visit_id)] = (summary.code or "-", str(summary.muscle_count))
        rows = tuple(
            (key, (*cells[:5], *codes[key])) if key in codes else (key, cells)
            for key, cells in view.rows
        )
        return replace(view, rows=rows)

    def _failed(self, message: str) -> None:
        if self.is_mounted:
            self.query_one("#start-status", Plain).update(f"Could not read the visits: {message}")

    def _loaded(self, practitioner_id: int, today: date, late_days: int, view: StartView) -> None:
        practitioner = self.dntui.practitioner
        if practitioner is None or practitioner.id != practitioner_id:
            return  # someone else logged in meanwhile: their own load follows
        self.show_view(
            view,
            who=f"{practitioner.name}, {practitioner.credentials}",
            today=today,
            late_days=late_days,
        )

    def show_view(
        self, view: StartView, *, who: str, today: date, late_days: int, early: bool = False
    ) -> None:
        """Fill the table and status line; what is already shown is not drawn again.

        ``early``: read before the store was open (dntui.store.firstscreen); the rows
        show, the status line says the database is still opening (its counts, and
        "open draft(s)", appear once it is: scripts wait for that to type).
        """
        if not self._columns:  # read before the screen was up: shown when it is
            self._early = (view, who, today, late_days, early)
            return
        table = self.query_one(DataTable)
        shown = self._shown_rows or ()
        if view.rows != shown and [k for k, _ in view.rows] == [k for k, _ in shown]:
            # The same visits (the early read, then the store's with drafts' codes):
            # only the cells that changed are drawn again.
            for (key, cells), (_, before) in zip(view.rows, shown, strict=True):
                for column, new, old in zip(self._column_keys, cells, before, strict=True):
                    if new != old:
                        table.update_cell(key, column, new)
            self._shown_rows = view.rows
        if view.rows != self._shown_rows:
            keep = table.cursor_row
            table.clear()
            for key, cells in view.rows:
                table.add_row(*cells, key=key)
            if view.rows and keep:
                table.move_cursor(row=min(keep, len(view.rows) - 1))
            self._shown_rows = view.rows
        text = (
            f"{who} · {today:%a %d %b %Y}\nOpening the database…"
            if early
            else f"{who} · {today:%a %d %b %Y} · "
            f"{view.visits_today} visit(s) today · {view.drafts} open draft(s)\n"
            + (
                f"LATE drafts (older than {late_days} day(s)): {view.own_late} yours, "
                f"{view.clinic_late} in the clinic · b: dashboard"
                if view.clinic_late
                else f"No late drafts (older than {late_days} day(s))"
            )
        )
        status = self.query_one("#start-status", Plain)
        if text != self._shown_status:
            status.update(text)
            self._shown_status = text
        status.set_class(view.own_late > 0 and not early, "late")
        self.loaded = self.loaded or not early

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
