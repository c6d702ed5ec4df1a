"""The PinScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.ui.plain import Plain


class PinScreen(Dialog[str]):
    """Asks for a practitioner's PIN; ``ok`` names what it does (sign, log in, unlock)."""

    SUBMIT_ON_ENTER = "*"

    def __init__(self, title: str = "", *, ok: str = "Sign") -> None:
        super().__init__(title)
        self._ok = ok

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._title, classes="dialog-title")
            yield Label("Your signing PIN")
            yield Input(password=True, id="pin", max_length=64)
            yield Plain("", classes="error")
            yield self.buttons(self._ok)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # The PIN as it was when Enter was pressed: a key typed right behind the Enter
        # (one terminal read: PIN, Enter, "n") can reach the field before this runs.
        event.prevent_default()  # not Dialog.on_input_submitted too: it would dismiss twice
        self.dismiss(event.value)

    def submit(self) -> None:
        self.dismiss(self.query_one("#pin", Input).value)
