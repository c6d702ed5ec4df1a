"""The day sheet (what to bill for a day) and the export and save-file dialogs.

Day sheet: for a date (today by default) and optionally one practitioner, every
signed visit with its codes, modifiers, units, charge, diagnosis codes and
warnings, with totals; unsigned drafts are listed apart as not billable.
The SQL layer is imported inside the methods that query (startup stays light).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input

from dntui.dialogs.export import ExportScreen
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.times import local_time
from dntui.ui.workers import answer_from_thread

if TYPE_CHECKING:
    from dntui.store.queries import DaySheet, DaySheetLine


def money(value: Decimal | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def short(items: tuple[str, ...], width: int = 40) -> str:
    """The first item, cut to ``width``, and how many more: for one table cell."""
    if not items:
        return ""
    first = items[0] if len(items[0]) <= width else items[0][: width - 1] + "…"
    return first + (f" (+{len(items) - 1})" if len(items) > 1 else "")


class DaySheetScreen(Screen[None], AppAccess):
    AUTO_FOCUS = "#ds-visits"  # as it is built: tests/test_first_focus.py
    HELP = """\
The day sheet: every signed visit of the day with its CPT code, modifiers, units,
charge, diagnosis codes and warnings, and the totals. Drafts are listed apart:
they are not billable until signed. Visits entered in error are not billed.
[ and ] go to the previous and next day, t to today, g to the date field (type
YYYY-MM-DD, Enter); p changes the practitioner (all, then each); e exports the
day's signed visits; Enter opens a visit read-only."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="daysheet.back"),
        Binding("left_square_bracket", "shift_day(-1)", "Prev day", id="daysheet.prev"),
        Binding("right_square_bracket", "shift_day(1)", "Next day", id="daysheet.next"),
        Binding("t", "today", "Today", id="daysheet.today"),
        Binding("g", "go_to_date", "Date", id="daysheet.date"),
        Binding("p", "next_practitioner", "Practitioner", id="daysheet.practitioner"),
        Binding("e", "export", "Export", id="daysheet.export"),
    ]
    DEFAULT_CSS = """
    DaySheetScreen #ds-bar { height: 1; margin: 1 1 0 1; }
    DaySheetScreen #ds-date { width: 14; margin-right: 2; }
    DaySheetScreen #ds-practitioner { width: 1fr; }
    DaySheetScreen .ds-text { height: auto; margin: 0 1; }
    DaySheetScreen .section-title { margin: 1 1 0 1; }
    DaySheetScreen #ds-visits { height: 1fr; min-height: 4; margin: 0 1; }
    DaySheetScreen #ds-warnings { color: $text-warning; max-height: 3; }
    DaySheetScreen #ds-drafts { height: auto; max-height: 6; margin: 0 1; }
    """

    def __init__(self, day: date | None = None, practitioner_id: int | None = None) -> None:
        super().__init__()
        self.day = day
        self.practitioner_id = practitioner_id
        self.sheet: DaySheet | None = None
        self._people: dict[int, str] = {}  # practitioners by id, as of the last load

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="ds-bar"):
            yield Input(id="ds-date", compact=True, max_length=10, placeholder="YYYY-MM-DD")
            yield Plain("", id="ds-practitioner")
        yield Plain("", id="ds-summary", classes="ds-text")
        yield Plain("Signed visits (billable)", classes="section-title")
        yield PlainTable(id="ds-visits", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="ds-warnings", classes="ds-text")
        yield Plain("", id="ds-totals", classes="ds-text")
        yield Plain("", id="ds-drafts-title", classes="section-title")
        yield PlainTable(id="ds-drafts", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        if self.day is None:
            self.day = self.dntui.today()
        self.query_one("#ds-visits", DataTable).add_columns(
            "Visit",
            "Patient",
            "Chart",
            "Practitioner",
            "Code",
            "Mod",
            "Units",
            "Charge",
            "Diagnosis",
            "Warnings",
            "Auth left",
        )
        self.query_one("#ds-drafts", DataTable).add_columns(
            "Visit", "Patient", "Chart", "Practitioner", "Last saved"
        )
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    # --------------------------------------------------------------- loading
    def reload(self) -> None:
        """Load the day in a thread; a newer day or practitioner drops an older answer."""
        assert self.day is not None
        date_input = self.query_one("#ds-date", Input)
        if date_input.value != self.day.isoformat():
            date_input.value = self.day.isoformat()
        self._load_worker(self.day, self.practitioner_id)

    @work(thread=True, exclusive=True, group="day-sheet", exit_on_error=False)
    def _load_worker(self, day: date, practitioner_id: int | None) -> None:
        from dntui.store.queries import day_sheet

        store = self.dntui.db

        def fetch() -> tuple[str, DaySheet, dict[int, str]]:
            people = {p.id: p for p in store.practitioners() if p.id is not None}
            who = "all practitioners"
            if practitioner_id is not None:
                p = people.get(practitioner_id) or store.practitioner(practitioner_id)
                who = f"{p.name}, {p.credentials}"
            sheet = day_sheet(store, day, practitioner_id=practitioner_id)
            return who, sheet, {pid: p.name for pid, p in people.items()}

        answer_from_thread(self, fetch, lambda got: self._show_sheet(day, practitioner_id, *got))

    def _show_sheet(
        self,
        day: date,
        practitioner_id: int | None,
        who: str,
        sheet: DaySheet,
        people: dict[int, str],
    ) -> None:
        if (day, practitioner_id) != (self.day, self.practitioner_id):
            return  # stale: another day or practitioner was chosen meanwhile
        self.sheet = sheet
        self._people = people
        self.query_one("#ds-practitioner", Plain).update(f"{day:%A %d %B %Y} · {who} (p changes)")
        visits = self.query_one("#ds-visits", DataTable)
        visits.clear()
        for line in sheet.lines:
            visits.add_row(
                str(line.visit_id),
                line.patient_name,
                line.chart_no,
                line.practitioner_name,
                line.code or "none",
                " ".join(line.modifiers) or "-",
                str(line.units),
                money(line.charge),
                " ".join(line.diagnosis_codes) or "-",
                ("SERIOUS ADVERSE EVENT · " if line.serious else "")
                + (short(line.warnings) or "-"),
                line.authorization.short if line.authorization is not None else "-",
                key=str(line.visit_id),
            )
        n = len(sheet.lines)
        summary = (
            f"{n} signed visit{'s' if n != 1 else ''} · {sheet.total_units} unit"
            f"{'s' if sheet.total_units != 1 else ''} · {money(sheet.total_charge)}"
        )
        if sheet.entered_in_error:
            summary += f" · {sheet.entered_in_error} entered in error (not billed)"
        if not n:
            summary = "No signed visits on this day. " + summary
        serious = [line.visit_id for line in sheet.lines if line.serious]
        if serious:
            summary = (
                "SERIOUS ADVERSE EVENT on visit "
                + ", ".join(str(v) for v in serious)
                + " (hospital admission): review before billing. "
                + summary
            )
        self.query_one("#ds-summary", Plain).update(summary)
        self.query_one("#ds-totals", Plain).update(
            "Totals by code: "
            + (
                " · ".join(
                    f"{t.code or 'no code'} × {t.visits}: {t.units} unit"
                    f"{'s' if t.units != 1 else ''}, {money(t.charge)}"
                    for t in sheet.by_code
                )
                or "none"
            )
            + f" · Total {money(sheet.total_charge)}"
        )
        self._show_warnings(sheet.lines[0] if sheet.lines else None)
        drafts = self.query_one("#ds-drafts", DataTable)
        drafts.clear()
        for r in sheet.drafts:
            drafts.add_row(
                str(r.id),
                r.patient_name,
                r.chart_no,
                r.practitioner_name,
                _local(r.updated_at),
                key=str(r.id),
            )
        self.query_one("#ds-drafts-title", Plain).update(
            f"Unsigned drafts, not billable ({len(sheet.drafts)})"
        )

    def _show_warnings(self, line: DaySheetLine | None) -> None:
        text = ""
        if line is not None and line.warnings:
            text = f"Visit {line.visit_id} warnings: " + " | ".join(line.warnings)
        if line is not None and line.authorized_left:
            text = (text + " · " if text else f"Visit {line.visit_id}: ") + line.authorized_left
        self.query_one("#ds-warnings", Plain).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id != "ds-visits" or self.sheet is None:
            return
        key = event.row_key.value if event.row_key is not None else None
        line = next((x for x in self.sheet.lines if str(x.visit_id) == key), None)
        self._show_warnings(line)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            from dntui.screens.visit_detail import VisitDetailScreen

            self.app.push_screen(VisitDetailScreen(int(event.row_key.value)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "ds-date":
            return
        from dntui.domain.validation import ValidationError, parse_day

        try:
            self.day = parse_day(event.value, what="date")
        except ValidationError as exc:
            self.notify(str(exc), severity="error")
            return
        self.reload()
        self.query_one("#ds-visits", DataTable).focus()

    # -------------------------------------------------------------- actions
    def action_shift_day(self, days: int) -> None:
        assert self.day is not None
        self.day += timedelta(days=days)
        self.reload()

    def action_today(self) -> None:
        self.day = self.dntui.today()
        self.reload()

    def action_go_to_date(self) -> None:
        self.query_one("#ds-date", Input).focus()

    def action_next_practitioner(self) -> None:
        cycle: list[int | None] = [None, *self._people]
        i = cycle.index(self.practitioner_id) if self.practitioner_id in cycle else 0
        self.practitioner_id = cycle[(i + 1) % len(cycle)]
        self.reload()

    def action_export(self) -> None:
        name = self._people.get(self.practitioner_id, "") if self.practitioner_id else ""
        self.app.push_screen(ExportScreen(date_from=self.day, date_to=self.day, practitioner=name))


def _local(at: Any) -> str:
    return local_time(at, "%H:%M")
