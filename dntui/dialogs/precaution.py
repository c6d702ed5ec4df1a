"""The PrecautionScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.domain.text import terminal_safe
from dntui.domain.validation import (
    ValidationError,
    clean_text,
)
from dntui.ui.plain import Plain


class PrecautionScreen(Dialog[str]):
    """A relative contraindication answered yes: acknowledge it and write why needling goes ahead."""

    SUBMIT_ON_ENTER = "*"

    def __init__(self, question: str, help_text: str, note: str = "") -> None:
        super().__init__()
        self._question = question
        self._help = help_text
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"Precaution: {self._question}", classes="dialog-title")
            if self._help:
                yield Plain(self._help, classes="hint")
            yield Label("Note (what was considered, what was adapted)")
            yield Input(value=terminal_safe(self._note, one_line=True), id="note", max_length=500)
            yield Plain("Enter acknowledges the precaution with this note.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Acknowledge")

    def read(self) -> str:
        note = clean_text(self.query_one("#note", Input).value, limit=500).strip()
        if not note:
            raise ValidationError("A precaution needs a note before it can be acknowledged.")
        return note
