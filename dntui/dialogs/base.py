"""The base of dntui's dialogs: Escape cancels (None), each shows its own error line,
Enter in a field submits or moves on as the dialog says (``SUBMIT_ON_ENTER``)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.binding import Binding
from textual.widgets import Button, Input, Static

from dntui.ui.app_access import AppAccess
from dntui.ui.form_focus import Buttons, FormScreen

ResultT = TypeVar("ResultT")


class Dialog(FormScreen[ResultT | None], AppAccess, Generic[ResultT]):
    """Escape cancels (dismiss None); each dialog shows its own error line."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

    #: Enter in an input field: ``"*"`` submits from any field (one-field dialogs); a
    #: field's id submits from that field (the last) and moves to the next field from
    #: the others; None leaves Enter to the fields.
    SUBMIT_ON_ENTER: str | None = None

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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.SUBMIT_ON_ENTER is None:
            return
        if self.SUBMIT_ON_ENTER in ("*", event.input.id):
            self.submit()
        else:
            self.focus_next()

    def action_save(self) -> None:
        """For a dialog that binds a key (ctrl+s) to ``save``."""
        self.submit()

    def read(self) -> ResultT:  # pragma: no cover - overridden where submit is not
        """The dialog's result from its fields; ``ValueError`` (``ValidationError``) says
        what is wrong in one line."""
        raise NotImplementedError

    def submit(self) -> None:
        """Dismiss with what ``read`` makes of the fields, or show its one-line error."""
        try:
            result = self.read()
        except ValueError as exc:
            self.error(str(exc))
            return
        self.dismiss(result)

    def buttons(self, ok: str = "Save") -> Buttons:
        return Buttons(
            Button(ok, variant="primary", id="ok"), Button("Cancel", id="cancel"), classes="buttons"
        )
