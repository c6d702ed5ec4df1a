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
    #: Keys typed as the lock appears were meant for the screen it covers: dropped,
    #: never counted as PIN attempts.
    DISCARD_TYPEAHEAD = True
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", id="lock.quit"),
        Binding("up", "move(-1)", "Previous", id="lock.up", show=False),
        Binding("down", "move(1)", "Next", id="lock.down", show=False),
    ]

    def __init__(self, minutes: int, *, sign_in: bool = False) -> None:
        super().__init__()
        self._minutes = minutes
        self._sign_in = sign_in  # a browser session's start: nothing was locked yet

    def compose(self) -> ComposeResult:
        title = (
            "Sign in to dntui"
            if self._sign_in
            else f"Locked after {self._minutes} idle minute(s)"
            if self._minutes
            else "Locked"
        )
        with Vertical(classes="dialog", id="lock"):
            yield Plain(title, classes="dialog-title")
            yield Label("Who is here?")
            yield OptionList(*self._options(), id="lock-who")
            yield Label("PIN")
            yield Input(password=True, id="lock-pin", max_length=64)
            yield Plain("", classes="error")

    def _options(self) -> list[Option]:
        """Who can unlock, read while composing so nothing depends on the mount order."""
        store = self.dntui.db
        self._people = store.practitioners()
        return [
            Option(plain_cell(f"{p.name}, {p.credentials}"), id=str(p.id)) for p in self._people
        ]

    def on_mount(self) -> None:
        # A lock pushed as the app quits is torn down before its widgets are mounted:
        # then there is nothing to set up (and no traceback on the way out).
        whos, pins = self.query(OptionList), self.query("#lock-pin")
        if not whos or not pins:
            return
        who = whos.first(OptionList)
        current = self.dntui.practitioner
        ids = [p.id for p in self._people]
        who.highlighted = ids.index(current.id) if current is not None and current.id in ids else 0
        pins.first(Input).focus()

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
