"""The DepthScreen dialog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from dntui.dialogs.base import Dialog
from dntui.ui.plain import Plain


class DepthScreen(Dialog[int | str]):
    """Needle depth in millimetres; empty clears it. Returns int, "" or None (cancel)."""

    SUBMIT_ON_ENTER = "*"

    MAX_DEPTH_MM = 150

    def __init__(self, depth: int | None) -> None:
        super().__init__()
        self._depth = depth

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Needle depth (mm)", classes="dialog-title")
            yield Input(
                value="" if self._depth is None else str(self._depth), id="depth", max_length=3
            )
            yield Plain("Empty clears the depth.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def submit(self) -> None:
        text = self.query_one("#depth", Input).value.strip()
        if not text:
            self.dismiss("")
            return
        if not text.isdigit() or not 1 <= int(text) <= self.MAX_DEPTH_MM:
            self.error(f"Depth: a whole number of millimetres from 1 to {self.MAX_DEPTH_MM}.")
            return
        self.dismiss(int(text))
