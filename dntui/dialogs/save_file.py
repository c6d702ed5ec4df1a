"""The save-file dialog: where to write a handout."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.domain.errors import DntuiError
from dntui.ui.plain import Plain

if TYPE_CHECKING:
    pass


class SaveFileScreen(Dialog[str]):
    """Ask where to save a file (a default is filled in); ``save(path)`` returns the message."""

    AUTO_FOCUS = "#save-path"  # as it is built: tests/test_first_focus.py
    SUBMIT_ON_ENTER = "*"

    def __init__(
        self,
        title: str,
        default: Path,
        save: Callable[[Path], str],
        errors: type[Exception] = DntuiError,
    ) -> None:
        super().__init__()
        self._title = title
        self._default = default
        self._save = save
        self._errors = errors

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(self._title, classes="dialog-title")
            yield Label("File (written private, 0600)")
            yield Input(value=str(self._default), id="save-path")
            yield Plain("Enter saves.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Save")

    def submit(self) -> None:
        text = self.query_one("#save-path", Input).value.strip()
        if not text:
            self.error("Give the file to write.")
            return
        try:
            message = self._save(Path(text))
        except (DntuiError, self._errors) as exc:
            self.error(str(exc))
            return
        self.app.notify(message, timeout=8)
        self.dismiss(message)
