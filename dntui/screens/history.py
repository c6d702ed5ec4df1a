"""History: every visit, newest first, filtered as you type; a visit read-only.

The table is paged: 100 rows are loaded, and the next 100 when the cursor comes
near the end, so opening history costs the same on 100 or 100,000 visits.
The SQL layer is imported inside the methods that query (startup stays light).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select

from dntui.domain.errors import DntuiError
from dntui.store_rows import STATUS_TEXT
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.workers import answer_from_thread

if TYPE_CHECKING:
    from dntui.store.queries import HistoryFilter, HistoryPage
    from dntui.store.views import VisitRow

PAGE = 100
#: Load the next page when the cursor is this close to the last loaded row.
PREFETCH = 10
COUNT_CAP = 1000

STATUS_OPTIONS: list[tuple[str, str]] = [
    ("Any status", ""),
    ("Draft", "draft"),
    ("Signed", "signed"),
    ("Entered in error", "entered-in-error"),
    ("Has addenda", "has-addenda"),
]


def status_text(row: VisitRow) -> str:
    return STATUS_TEXT.get(row.status, row.status) + (f" +{row.addenda}" if row.addenda else "")


class HistoryScreen(Screen[None], AppAccess):
    AUTO_FOCUS = "#hf-patient"  # as it is built: tests/test_first_focus.py
    HELP = """\
Every visit, newest first. Type in the filters: patient (name, chart number or
birth date), practitioner (start of a name), from/to dates (YYYY-MM-DD, or YYYY-MM,
YYYY), CPT code, and the status (draft, signed, entered in error, has addenda).
Tab moves between the filters and the table; Enter opens a visit read-only with
its addenda and audit trail. e exports the signed visits of the date range."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="history.back"),
        Binding("slash", "focus_filter", "Filter", id="history.filter"),
        Binding("down", "to_table", "To the list", id="history.to-table", show=False),
        Binding("e", "export", "Export", id="history.export"),
    ]
    DEFAULT_CSS = """
    HistoryScreen #history-filters { height: 1; margin: 1 1 0 1; }
    HistoryScreen #history-filters Input { margin-right: 1; }
    HistoryScreen #hf-patient { width: 1fr; min-width: 12; }
    HistoryScreen #hf-practitioner { width: 14; }
    HistoryScreen #hf-from, HistoryScreen #hf-to { width: 11; }
    HistoryScreen #hf-code { width: 6; }
    HistoryScreen #hf-status { width: 18; }
    HistoryScreen #history-status { height: 1; margin: 0 1; color: $text-muted; }
    HistoryScreen #history { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._filter: HistoryFilter | None = None
        self._after: tuple[date, int] | None = None
        self._more = False
        self._count = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history-filters"):
            yield Input(placeholder="Patient", id="hf-patient", compact=True, max_length=60)
            yield Input(placeholder="Practitioner", id="hf-practitioner", compact=True)
            yield Input(placeholder="From date", id="hf-from", compact=True, max_length=10)
            yield Input(placeholder="To date", id="hf-to", compact=True, max_length=10)
            yield Input(placeholder="Code", id="hf-code", compact=True, max_length=5)
            yield Select(STATUS_OPTIONS, value="", allow_blank=False, id="hf-status", compact=True)
        yield Plain("", id="history-status")
        yield PlainTable(id="history", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(
            "Visit", "Date", "Patient", "Chart", "Practitioner", "Status", "Code", "Muscles"
        )
        self.refilter()

    # ------------------------------------------------------------ filtering
    def read_filter(self) -> tuple[HistoryFilter, list[str]]:
        """The filter from the fields, and the problems of fields not yet valid."""
        from dntui.domain.validation import ValidationError, parse_day
        from dntui.store.queries import HistoryFilter

        problems: list[str] = []
        bounds: dict[str, date | None] = {"from": None, "to": None}
        for key in ("from", "to"):
            text = self.query_one(f"#hf-{key}", Input).value.strip()
            if text:
                try:
                    bounds[key] = parse_day(text, end=key == "to", what=key.title())
                except ValidationError:
                    problems.append(f"{key.title()}: type a date as YYYY-MM-DD")
        if bounds["from"] and bounds["to"] and bounds["from"] > bounds["to"]:
            problems.append("From is after To")
        status = self.query_one("#hf-status", Select).value
        return (
            HistoryFilter(
                patient=self.query_one("#hf-patient", Input).value,
                practitioner=self.query_one("#hf-practitioner", Input).value,
                date_from=bounds["from"],
                date_to=bounds["to"],
                code=self.query_one("#hf-code", Input).value,
                status=status if isinstance(status, str) else "",
            ),
            problems,
        )

    def refilter(self) -> None:
        f, problems = self.read_filter()
        if f == self._filter and not problems:
            return
        self._filter = f
        self._query_worker(f, problems)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _query_worker(self, f: HistoryFilter, problems: list[str]) -> None:
        """Count and first page in a thread; a newer filter cancels this one's result."""
        from dntui.store.queries import history_count, history_page

        db = self.dntui.db
        answer_from_thread(
            self,
            lambda: (history_count(db, f, cap=COUNT_CAP), history_page(db, f, limit=PAGE)),
            lambda got: self._show_first_page(f, problems, *got),
        )

    def _show_first_page(
        self, f: HistoryFilter, problems: list[str], count: int, page: HistoryPage
    ) -> None:
        if f != self._filter:
            return  # stale: the filter changed while this ran
        self.query_one(DataTable).clear()
        self._after, self._more = None, False
        self._count = count
        self._add_rows(page)
        self._show_status(problems)

    def _load_page(self) -> None:
        if self._filter is not None and self._more:
            self._more = False  # one next page at a time
            self._next_page_worker(self._filter, self._after)

    @work(thread=True, exclusive=True, group="history-more", exit_on_error=False)
    def _next_page_worker(self, f: HistoryFilter, after: tuple[date, int] | None) -> None:
        from dntui.store.queries import history_page

        try:
            page = history_page(self.dntui.db, f, after=after, limit=PAGE)
        except DntuiError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error")
            return
        self.app.call_from_thread(self._add_next_page, f, after, page)

    def _add_next_page(
        self, f: HistoryFilter, after: tuple[date, int] | None, page: HistoryPage
    ) -> None:
        if f == self._filter and after == self._after:
            self._add_rows(page)

    def _add_rows(self, page: HistoryPage) -> None:
        table = self.query_one(DataTable)
        for r in page.rows:
            table.add_row(
                str(r.id),
                r.visit_date.isoformat(),
                r.patient_name,
                r.chart_no,
                r.practitioner_name,
                status_text(r),
                r.code or "-",
                str(r.muscle_count) if r.status != "draft" else "",
                key=str(r.id),
            )
        self._after = page.next_after or self._after
        self._more = page.more

    def _show_status(self, problems: list[str]) -> None:
        n = self._count
        if n == 0:
            text = "No visits match these filters."
        else:
            many = f"{COUNT_CAP:,}+" if n >= COUNT_CAP else f"{n:,}"
            text = f"{many} visit{'s' if n != 1 else ''} · newest first · Enter opens · e exports"
        if problems:
            text = " · ".join(problems) + " · " + text
        self.query_one("#history-status", Plain).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("hf-"):
            self.refilter()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "hf-status":
            self.refilter()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = event.data_table
        if self._more and event.cursor_row >= table.row_count - PREFETCH:
            self._load_page()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            from dntui.screens.visit_detail import VisitDetailScreen

            self.app.push_screen(VisitDetailScreen(int(event.row_key.value)))

    # -------------------------------------------------------------- actions
    def action_to_table(self) -> None:
        table = self.query_one(DataTable)
        if not table.has_focus:
            table.focus()

    def action_focus_filter(self) -> None:
        self.query_one("#hf-patient", Input).focus()

    def action_export(self) -> None:
        from dntui.dialogs.export import ExportScreen

        f, _ = self.read_filter()
        self.app.push_screen(ExportScreen(date_from=f.date_from, date_to=f.date_to))
