"""The idle lock: after a quiet spell the next person must say who they are (with a PIN).

On a shared treatment-room machine this stops the next person from signing as
the last one (HIPAA unique user identification; shared/reliability.md).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from dntui.domain.errors import DntuiError
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, plain_cell


class LockScreen(ModalScreen["object"], AppAccess):
    """Dismisses with the practitioner who unlocked; cannot be escaped."""

    HELP = "dntui locked itself after a quiet spell. Choose who you are and enter your PIN."
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", id="lock.quit"),
        Binding("up", "move(-1)", "Previous", id="lock.up", show=False),
        Binding("down", "move(1)", "Next", id="lock.down", show=False),
    ]

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self._minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="lock"):
            yield Plain(f"Locked after {self._minutes} idle minute(s)", classes="dialog-title")
            yield Label("Who is here?")
            yield OptionList(id="lock-who")
            yield Label("PIN")
            yield Input(password=True, id="lock-pin", max_length=64)
            yield Plain("", classes="error")

    def on_mount(self) -> None:
        store = self.dntui.db
        self._people = store.practitioners()
        who = self.query_one(OptionList)
        for p in self._people:
            who.add_option(Option(plain_cell(f"{p.name}, {p.credentials}"), id=str(p.id)))
        current = self.dntui.practitioner
        ids = [p.id for p in self._people]
        who.highlighted = ids.index(current.id) if current is not None and current.id in ids else 0
        self.query_one("#lock-pin", Input).focus()

    def action_move(self, delta: int) -> None:
        """Up/down choose the person while typing the PIN."""
        who = self.query_one(OptionList)
        if who.option_count:
            current = who.highlighted or 0
            who.highlighted = max(0, min(who.option_count - 1, current + delta))

    def on_option_list_option_selected(self, _: OptionList.OptionSelected) -> None:
        self.query_one("#lock-pin", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        who = self.query_one(OptionList)
        if who.highlighted is None:
            return
        person = self._people[who.highlighted]
        store = self.dntui.db
        try:
            ok = store.check_signer(person.id, event.value)
        except DntuiError as exc:
            self.query_one(".error", Plain).update(str(exc))
            return
        event.input.value = ""
        if not ok:
            self.query_one(".error", Plain).update("Wrong PIN.")
            return
        self.dismiss(person)
