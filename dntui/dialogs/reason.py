"""The ReasonScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.ui.plain import Plain


class ReasonScreen(Dialog[str]):
    SUBMIT_ON_ENTER = "*"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._title, classes="dialog-title")
            yield Label("Reason")
            yield Input(id="reason", max_length=200)
            yield Plain("", classes="error")
            yield self.buttons("Confirm")

    def submit(self) -> None:
        reason = " ".join(self.query_one("#reason", Input).value.split())
        if not reason:
            self.error("Say why.")
            return
        self.dismiss(reason)
