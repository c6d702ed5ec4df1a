"""The live billing summary: visible on every step, redrawn on every change.

Warnings carry a text tag ([STOP], [WARN], [info]) as well as a colour, so the
pane reads the same in 16 colours, 256 colours and with NO_COLOR.
"""

from __future__ import annotations

from rich.text import Text
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


class BillingPane(Static):
    """Shows a BillingSummary. ``show()`` is called by the visit screen after each change."""

    DEFAULT_CSS = """
    BillingPane {
        width: 32;
        height: 1fr;
        border: round $accent;
        border-title-align: left;
        border-subtitle-align: right;
        padding: 0 1;
        overflow-y: auto;
    }
    """

    def on_mount(self) -> None:
        self.border_title = "Billing"

    plain: str = ""  # the pane's text without styles (what tests and screen readers read)

    def show(self, summary: BillingSummary, safety: tuple[SafetyWarning, ...] = ()) -> None:
        text = safe_renderable(render_billing(summary, safety))
        self.plain = text.plain
        self.update(text)
