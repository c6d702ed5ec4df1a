"""The LevelScreen dialog: the spinal level needled (multifidus, rotatores)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from dntui.dialogs.base import Dialog
from dntui.ui.plain import Plain


class LevelScreen(Dialog[str]):
    """Spinal level needled; empty clears it. Returns the level, "" or None (cancel)."""

    SUBMIT_ON_ENTER = "*"

    def __init__(self, muscle: str, level: str) -> None:
        super().__init__()
        self._muscle = muscle
        self._level = level

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"{self._muscle}: spinal level", classes="dialog-title")
            yield Input(value=self._level, id="level", max_length=12, placeholder="e.g. L4-L5")
            yield Plain("A level (L4) or a range (L4-L5). Empty clears it.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def read(self) -> str:
        from dntui.domain.muscles import parse_spinal_level

        return parse_spinal_level(self.query_one("#level", Input).value)
