"""The ToleranceScreen dialog: the patient's tolerance of and response to needling."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from dntui.dialogs.base import Dialog
from dntui.domain.text import terminal_safe
from dntui.domain.validation import clean_text
from dntui.ui.plain import Plain


class ToleranceScreen(Dialog[str]):
    """The patient's tolerance of and response to needling, for the note."""

    SUBMIT_ON_ENTER = "*"

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Tolerance and response to needling", classes="dialog-title")
            yield Plain(
                "e.g. tolerated well, local twitch in 2 muscles, pain eased from 6/10 to 3/10",
                classes="hint",
            )
            yield Input(
                value=terminal_safe(self._current, one_line=True), id="tolerance", max_length=300
            )
            yield Plain("Enter saves it in the note.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Save")

    def read(self) -> str:
        return " ".join(clean_text(self.query_one("#tolerance", Input).value, limit=300).split())
