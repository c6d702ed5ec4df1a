"""The AddendumScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, TextArea

from dntui.dialogs.base import Dialog
from dntui.domain.validation import (
    ValidationError,
    clean_text,
)
from dntui.ui.plain import Plain


class AddendumScreen(Dialog[tuple[str, str]]):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain("Addendum to a signed visit", classes="dialog-title")
            yield Label("Reason (correction, late entry, adverse event…)")
            yield Input(id="reason", max_length=200)
            yield Label("Text")
            yield TextArea(id="text")
            yield Plain("Tab to the buttons; Save asks for your PIN.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def submit(self) -> None:
        try:
            reason = clean_text(self.query_one("#reason", Input).value, limit=200).strip()
            text = clean_text(self.query_one("#text", TextArea).text, what="addendum").strip()
        except ValidationError as exc:
            self.error(str(exc))
            return
        if not reason or not text:
            self.error("An addendum needs a reason and text.")
            return
        self.dismiss((reason, text))
