"""The practice dashboard: a picture of a week, a month or a quarter.

Signed visits per week as bars, the 20560/20561 mix, charges by payer, adverse
events, every open draft by age (oldest first, late ones marked LATE) and the
Medicare patients at or past 10 of 12 visits in 90 days or 18 of 20 in the year
(NCD 30.3.3 [11]). The figures come from ``dntui.store.dashboard`` in a thread
worker, so the screen never waits on the database; bars are block characters,
so they read the same in monochrome (NO_COLOR) as in colour.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from dntui.domain.periods import Period, PeriodKind
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, PlainTable
from dntui.ui.workers import answer_from_thread
from dntui.widgets.bars import bar_lines

if TYPE_CHECKING:
    from dntui.store.dashboard import Dashboard

CODE_LABELS = {"20560": "20560 (1-2)", "20561": "20561 (3+)", "none": "no code", "other": "other"}


def money(value: Decimal) -> str:
    return f"${value:,.2f}"


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class DashboardScreen(Screen[None], AppAccess):
    AUTO_FOCUS = "#dash-drafts"  # as it is built: tests/test_first_focus.py
    HELP = """\
The practice at a glance for a week, a month or a quarter: signed visits per
week, the 20560/20561 mix, charges by payer and adverse events of the period.
Open drafts are listed by age, oldest first, whatever the period: a draft older
than the setting late_draft_days (config.toml, default 2) is marked LATE.
Medicare patients at or past 10 of 12 visits in 90 days or 18 of 20 in the year
(NCD 30.3.3), counted up to the period's end, are listed last.
[ and ] move to the previous and next period; w, m and q show a week, a month or
a quarter; t goes back to the current period; Enter on a draft opens it."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="dashboard.back"),
        Binding("left_square_bracket", "shift(-1)", "Prev", id="dashboard.prev"),
        Binding("right_square_bracket", "shift(1)", "Next", id="dashboard.next"),
        Binding("w", "kind('week')", "Week", id="dashboard.week"),
        Binding("m", "kind('month')", "Month", id="dashboard.month"),
        Binding("q", "kind('quarter')", "Quarter", id="dashboard.quarter"),
        Binding("t", "current", "Now", id="dashboard.current"),
    ]
    DEFAULT_CSS = """
    DashboardScreen #dash-bar { height: 1; margin: 0 1; text-style: bold; }
    DashboardScreen #dash-body { height: 1fr; padding: 0 1; }
    DashboardScreen #dash-top { height: auto; }
    DashboardScreen .dash-col { width: 1fr; height: auto; }
    DashboardScreen #dash-left { margin-right: 2; }
    DashboardScreen .dash-text { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    DashboardScreen #dash-drafts { height: auto; max-height: 12; }
    DashboardScreen #dash-medicare { height: auto; max-height: 10; }
    """

    def __init__(self, kind: PeriodKind = "month", day: date | None = None) -> None:
        super().__init__()
        self.kind: PeriodKind = kind
        self.day = day
        self.period: Period | None = None
        self.data: Dashboard | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain("Loading…", id="dash-bar")
        with VerticalScroll(id="dash-body"):
            with Horizontal(id="dash-top"):
                with Vertical(id="dash-left", classes="dash-col"):
                    yield Plain("Signed visits per week", classes="section-title")
                    yield Plain("", id="dash-weeks", classes="dash-text")
                with Vertical(id="dash-right", classes="dash-col"):
                    yield Plain("Code mix", classes="section-title")
                    yield Plain("", id="dash-codes", classes="dash-text")
                    yield Plain("Charges by payer", classes="section-title")
                    yield Plain("", id="dash-payers", classes="dash-text")
                    yield Plain("Adverse events", classes="section-title")
                    yield Plain("", id="dash-adverse", classes="dash-text")
            yield Plain("Open drafts", id="dash-drafts-title", classes="section-title")
            yield PlainTable(id="dash-drafts", cursor_type="row")
            yield Plain(
                "Medicare patients near the limits",
                id="dash-medicare-title",
                classes="section-title",
            )
            yield PlainTable(id="dash-medicare", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        app = self.dntui
        if self.day is None:
            self.day = app.today()
        assert self.day is not None
        self.period = Period.containing(self.kind, self.day)
        self.query_one("#dash-drafts", DataTable).add_columns(
            "Visit", "Date", "Age", "", "Patient", "Chart", "Practitioner"
        )
        self.query_one("#dash-medicare", DataTable).add_columns(
            "Patient", "Chart", "90 days", "This year", ""
        )
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:  # back from a visit: a draft may have been signed
            self.reload()

    # --------------------------------------------------------------- actions
    def action_shift(self, steps: int) -> None:
        if self.period is not None:
            self.period = self.period.shift(steps)
            self.reload()

    def action_kind(self, kind: PeriodKind) -> None:
        if self.period is not None and kind != self.period.kind:
            anchor = self.period.start
            app = self.dntui
            today = app.today()
            if self.period.start <= today <= self.period.end:
                anchor = today
            self.period = Period.containing(kind, anchor)
            self.reload()

    def action_current(self) -> None:
        app = self.dntui
        if self.period is not None:
            self.period = Period.containing(self.period.kind, app.today())
            self.reload()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "dash-drafts" and event.row_key.value is not None:
            self.dntui.open_visit(int(event.row_key.value))

    # --------------------------------------------------------------- loading
    def reload(self) -> None:
        if self.period is None:
            return
        self.query_one("#dash-bar", Plain).update(f"{self.period.label} · loading…")
        self.load(self.period)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load(self, period: Period) -> None:
        from dntui.store.dashboard import dashboard

        app = self.dntui
        schedule = app.fee_schedule
        keys: list[str] = ["medicare"]
        limit_90: int | None = 12
        limit_year: int | None = 20
        if schedule is not None:
            rules = [p for p in schedule.payers.values() if p.medicare]
            keys = [p.key for p in rules]
            if rules:
                limit_90, limit_year = rules[0].visits_per_90_days, rules[0].visits_per_year
        answer_from_thread(
            self,
            lambda: dashboard(
                app.db,
                period,
                today=app.today(),
                late_days=app.settings.late_draft_days,
                medicare_payers=keys,
                limit_90_days=limit_90,
                limit_year=limit_year,
            ),
            self.show,
            self._failed,
        )

    def _failed(self, message: str) -> None:
        self.query_one("#dash-bar", Plain).update(f"The dashboard could not be loaded: {message}")
        self.notify(message, severity="error")

    def on_resize(self) -> None:
        if self.data is not None:
            self.show(self.data)

    # --------------------------------------------------------------- drawing
    def _payer_name(self, key: str) -> str:
        schedule = getattr(self.app, "fee_schedule", None)
        if not key:
            return "no payer"
        if schedule is not None and key in schedule.payers:
            return str(schedule.payers[key].name)
        return key

    def show(self, d: Dashboard) -> None:
        if d.period != self.period:
            return  # an older answer; the current one is on its way
        self.data = d
        # The columns' own width (minus room for the scroll bar); lines never wrap.
        col = max(24, self.query_one("#dash-right").size.width - 2)
        self.query_one("#dash-bar", Plain).update(
            f"{d.period.label} · {d.signed} signed visit(s) · {money(d.total_charge)} charged · "
            f"{d.drafts_late} late draft(s)"
        )
        weeks = bar_lines([(f"{w.week:%d %b}", w.visits, str(w.visits)) for w in d.weeks], col)
        self.query_one("#dash-weeks", Plain).update("\n".join(weeks))
        total = sum(d.codes.values())
        codes = [
            (CODE_LABELS[k], n, f"{n} ({round(100 * n / total) if total else 0}%)")
            for k, n in d.codes.items()
            if n or k != "other"
        ]
        self.query_one("#dash-codes", Plain).update("\n".join(bar_lines(codes, col)))
        payers = [
            (cut(self._payer_name(p.payer), 18), float(p.charge), f"{p.visits} · {money(p.charge)}")
            for p in d.payers
        ]
        self.query_one("#dash-payers", Plain).update(
            "\n".join(bar_lines(payers, col)) if payers else "no signed visits"
        )
        a = d.adverse
        adverse = (
            f"{a.total} event(s) on {a.visits} visit(s): "
            + " · ".join(f"{k} {n}" for k, n in a.by_severity.items())
            if a.total
            else "none recorded"
        )
        if a.serious_visits:
            adverse += "\nSERIOUS (hospital admission): " + ", ".join(
                f"visit {vid} ({day:%d %b})" for vid, day in a.serious_visits
            )
        adverse_widget = self.query_one("#dash-adverse", Plain)
        adverse_widget.update(adverse)
        adverse_widget.set_class(bool(a.serious_visits), "error")
        shown = f", the oldest {len(d.drafts)} listed" if len(d.drafts) < d.drafts_total else ""
        self.query_one("#dash-drafts-title", Plain).update(
            f"Open drafts: {d.drafts_total}, {d.drafts_late} LATE (older than {d.late_days} "
            f"day(s)), oldest first{shown}"
        )
        table = self.query_one("#dash-drafts", DataTable)
        table.clear()
        for x in d.drafts:
            table.add_row(
                str(x.visit_id),
                x.visit_date.isoformat(),
                f"{x.age_days} d",
                "LATE" if x.late else "",
                cut(x.patient_name, 24),
                x.chart_no,
                cut(x.practitioner_name, 20),
                key=str(x.visit_id),
            )
        self.query_one("#dash-medicare-title", Plain).update(
            f"Medicare patients near the limits (NCD 30.3.3), as of {d.medicare_as_of:%d %b %Y}: "
            f"{len(d.medicare)}"
        )
        med = self.query_one("#dash-medicare", DataTable)
        med.clear()
        for w in d.medicare:
            med.add_row(
                cut(w.patient_name, 24),
                w.chart_no,
                f"{w.last_90_days} of {w.limit_90_days}"
                if w.limit_90_days
                else str(w.last_90_days),
                f"{w.this_year} of {w.limit_year}" if w.limit_year else str(w.this_year),
                "LIMIT REACHED" if w.reached else "near",
                key=str(w.patient_id),
            )
