"""The live billing summary: visible on every step, redrawn on every change.

Warnings carry a text tag ([STOP], [WARN], [info]) as well as a colour, so the
pane reads the same in 16 colours, 256 colours and with NO_COLOR.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from dntui.domain.billing import BillingSummary
from dntui.domain.safety import SafetyWarning
from dntui.ui.plain import safe_renderable

_TAGS = {
    "stop": ("STOP", "bold red"),
    "warn": ("WARN", "bold yellow"),
    "info": ("info", "dim"),
}


def render_billing(summary: BillingSummary, safety: tuple[SafetyWarning, ...] = ()) -> Text:
    t = Text()
    code = summary.code or "no code"
    t.append("CPT ", style="bold")
    t.append(code, style="bold reverse" if summary.code else "dim")
    t.append(f"  units {summary.units}\n")
    t.append(f"{summary.label}\n", style="italic")
    t.append(f"Muscles counted: {summary.muscle_count}\n", style="bold")
    if summary.counted:
        for item in summary.counted:
            t.append(f"  · {item}\n")
    t.append(f"{summary.counting}\n", style="dim")
    mods = " ".join(summary.modifiers) if summary.modifiers else "none"
    t.append("Modifiers: ", style="bold")
    t.append(f"{mods}\n")
    t.append("Payer: ", style="bold")
    t.append(f"{summary.payer_name}\n")
    t.append("Charge: ", style="bold")
    if summary.code is None:
        t.append("-\n")
    else:
        t.append(f"${summary.charge:.2f}\n" if summary.charge is not None else "no fee set\n")
    for line in summary.cash_lines:  # self-pay: what the patient pays, packages
        t.append(f"{line}\n", style="bold" if not line.startswith(" ") else "")
    # Within a level, the patient's safety comes before billing and coverage.
    items: list[tuple[str, str, int]] = [(w.level, w.text, 0) for w in safety]
    items += [(w.level, w.text, 1) for w in summary.warnings]
    if items:
        t.append("\n")
    order = {"stop": 0, "warn": 1, "info": 2}
    for level, text, _ in sorted(items, key=lambda i: (order.get(i[0], 3), i[2])):
        tag, style = _TAGS.get(level, ("info", "dim"))
        t.append(f"[{tag}] ", style=style)
        t.append(f"{text}\n")
    return t


class _PaneBody(VerticalScroll, can_focus=True):
    """The pane's scrolling part: Tab reaches it, arrows and PgUp/PgDn scroll it."""

    # The scrollbar's column is kept when there is nothing to scroll: the text wraps at
    # one width, so how many lines it takes never depends on whether it overflowed.
    DEFAULT_CSS = """
    _PaneBody { height: 1fr; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    _PaneBody:focus { background-tint: $foreground 5%; }
    """


class BillingPane(Vertical):
    """Shows a BillingSummary. ``show()`` is called by the visit screen after each change.

    Nothing is cut off silently: when the text is longer than the pane, its last line
    says how many lines are below (or above), and alt+down / alt+up scroll it from
    any step without moving the focus (the visit screen's keys); Tab also reaches it.
    """

    DEFAULT_CSS = """
    BillingPane {
        width: 32;
        height: 1fr;
        border: round $accent;
        border-title-align: left;
        border-subtitle-align: right;
        padding: 0 1;
    }
    BillingPane > #billing-more {
        height: 1;
        display: none;
        text-style: bold;
    }
    BillingPane.-overflow > #billing-more { display: block; }
    """

    plain: str = ""  # the pane's text without styles (what tests and screen readers read)

    def compose(self) -> ComposeResult:
        with _PaneBody(id="billing-body"):
            yield Static(id="billing-text")
        yield Static("", id="billing-more", markup=False)

    def on_mount(self) -> None:
        self.border_title = "Billing"
        body = self.query_one(_PaneBody)
        self.watch(body, "scroll_y", self._show_more, init=False)
        self.watch(body, "max_scroll_y", self._show_more, init=False)

    def show(self, summary: BillingSummary, safety: tuple[SafetyWarning, ...] = ()) -> None:
        text = safe_renderable(render_billing(summary, safety))
        self.plain = text.plain
        self.query_one("#billing-text", Static).update(text)
        self.call_after_refresh(self._show_more)

    def scroll_by_lines(self, lines: int) -> None:
        body = self.query_one(_PaneBody)
        body.scroll_to(y=body.scroll_y + lines, animate=False)

    def _show_more(self, *_: object) -> None:
        """The marker line, from the text's height and the room the pane has with the
        marker hidden: judged from the marker's own state, a text that fits once the
        marker goes would keep it (and its scrollbar), depending on what came before."""
        body = self.query_one(_PaneBody)
        marker_rows = 1 if self.has_class("-overflow") else 0
        room = body.scrollable_content_region.height + marker_rows
        if body.virtual_size.height <= room and round(body.scroll_y) == 0:
            below = above = 0
        else:
            below = max(0, round(body.max_scroll_y - body.scroll_y))
            above = max(0, round(body.scroll_y))
        self.set_class(bool(below or above), "-overflow")
        if below:
            marker = f"▼ {below} more line{'s' if below != 1 else ''} (alt+↓)"
        elif above:
            marker = f"▲ {above} line{'s' if above != 1 else ''} above (alt+↑)"
        else:
            marker = ""
        self.query_one("#billing-more", Static).update(marker)
