"""The ConsentScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, RadioSet

from dntui.dialogs.base import Dialog
from dntui.ui.marks import MarkRadioButton
from dntui.ui.plain import Plain


class ConsentScreen(Dialog[str]):
    AUTO_FOCUS = "#consent-method"  # as it is built: tests/test_first_focus.py

    def __init__(self, consent_text: str, version: str) -> None:
        super().__init__()
        self._text = consent_text
        self._version = version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Informed consent (text version {self._version})", classes="dialog-title")
            # The whole text, scrolled by keyboard (Tab to it, then arrows) at 80x24.
            with VerticalScroll(id="consent-scroll", can_focus=True):
                yield Plain(self._text, id="consent-text")
            yield Label("How was consent given?")
            with RadioSet(id="consent-method"):
                yield MarkRadioButton("Written (signed form)", value=True, id="written")
                yield MarkRadioButton("Verbal", id="verbal")
            yield Plain("↑/↓ choose · Enter records consent · Esc cancels", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Record consent")

    def key_enter(self) -> None:
        self.submit()

    def submit(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        self.dismiss("verbal" if pressed is not None and pressed.id == "verbal" else "written")
