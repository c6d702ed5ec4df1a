"""The base of dntui's dialogs: Escape cancels (None), each shows its own error line."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from dntui.ui.app_access import AppAccess
from dntui.ui.form_focus import FormScreen

ResultT = TypeVar("ResultT")


class Dialog(FormScreen[ResultT | None], AppAccess, Generic[ResultT]):
    """Escape cancels (dismiss None); each dialog shows its own error line."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    def __init__(self, title: str = "") -> None:
        super().__init__()
        self._title = title  # the first line of a dialog that is asked with a title

    def action_cancel(self) -> None:
        self.dismiss(None)

    def error(self, message: str) -> None:
        self.query_one(".error", Static).update(message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.submit()
        else:
            self.action_cancel()

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def buttons(self, ok: str = "Save") -> Horizontal:
        return Horizontal(
            Button(ok, variant="primary", id="ok"), Button("Cancel", id="cancel"), classes="buttons"
        )
