"""The AdverseEventScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.domain.validation import (
    ValidationError,
    clean_text,
)
from dntui.ui.plain import Plain


class AdverseEventScreen(Dialog[dict[str, str]]):
    """Record an adverse event (Physiotherapy Alberta scale); returns a dict or None."""

    SUBMIT_ON_ENTER = "ae-action"

    HELP = "Severity: mild (no care needed), significant (needed medical care), serious (hospital admission)."

    def __init__(self, muscles: list[str], now: str) -> None:
        super().__init__()
        self._muscles = muscles
        self._now = now

    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        from dntui.domain.adverse import KIND_NAMES, SEVERITY_TEXT

        with Vertical(classes="dialog wide"):
            yield Plain("Adverse event", classes="dialog-title")
            yield Label("Severity (Physiotherapy Alberta scale)")
            yield Select(
                [(text, sev.value) for sev, text in SEVERITY_TEXT.items()],
                value="mild",
                allow_blank=False,
                id="ae-severity",
            )
            yield Label("What happened")
            yield Select(
                [(k, k) for k in KIND_NAMES], value=KIND_NAMES[0], allow_blank=False, id="ae-kind"
            )
            yield Label("Muscle (optional)")
            yield Select(
                [("(not tied to a muscle)", "")] + [(m, m) for m in self._muscles],
                value="",
                allow_blank=False,
                id="ae-muscle",
            )
            yield Label("Time (HH:MM)")
            yield Input(value=self._now, id="ae-time", max_length=5)
            yield Label("Action taken / details")
            yield Input(id="ae-action", max_length=300)
            yield Plain("", classes="error")
            yield self.buttons("Record")

    def on_mount(self) -> None:
        # The first field is at the top: the form opens scrolled to its top (a scroll
        # decided before the layout settled left it a line down on some machines).
        self.query_one("#ae-severity").focus(scroll_visible=False)
        self.call_after_refresh(self._to_top)

    def _to_top(self) -> None:
        for form in self.query(".dialog"):
            form.scroll_home(animate=False)

    def submit(self) -> None:
        import re

        from textual.widgets import Select

        time = self.query_one("#ae-time", Input).value.strip()
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time):
            self.error("Time as HH:MM, e.g. 14:05.")
            return
        try:
            action = " ".join(
                clean_text(self.query_one("#ae-action", Input).value, limit=300).split()
            )
        except ValidationError as exc:
            self.error(str(exc))
            return
        kind = str(self.query_one("#ae-kind", Select).value)
        if kind == "other" and not action:
            self.error("Describe the event under 'Action taken / details'.")
            return
        self.dismiss(
            {
                "time": time,
                "severity": str(self.query_one("#ae-severity", Select).value),
                "kind": kind,
                "muscle": str(self.query_one("#ae-muscle", Select).value),
                "action": action,
            }
        )
