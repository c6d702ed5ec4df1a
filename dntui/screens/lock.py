"""The idle lock: after a quiet spell the next person must say who they are (with a PIN).

On a shared treatment-room machine this stops the next person from signing as
the last one (HIPAA unique user identification; shared/reliability.md).

The lock is a full screen: nothing of the visit or list below it shows, and the
notifications on screen when it locks are cleared. Keys typed before it appeared
(the person was typing into the visit, or the keys reached the app late) are
dropped: they were never meant as a PIN and must not count toward the PIN lockout.
The PIN field keeps the focus (up/down choose the person).
"""

from __future__ import annotations

from textual import events
from textual._time import get_time  # the clock of every event's ``time``
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, OptionList
from textual.widgets.option_list import Option

from dntui.domain.errors import DntuiError
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain, plain_cell


class PinField(Input):
    """The lock's PIN input: keys typed before ``accept_after`` are dropped unread."""

    accept_after = float("inf")  # nothing is taken until the lock is on screen

    def on_key(self, event: events.Key) -> None:
        if event.time < self.accept_after:
            event.prevent_default()  # not inserted (Input's own key handler does not run)
            event.stop()  # and Enter does not reach the submit binding


class LockScreen(Screen["object"], AppAccess):
    """Dismisses with the practitioner who unlocked; cannot be escaped."""

    HELP = "dntui locked itself after a quiet spell. Choose who you are and enter your PIN."
    # The PIN field drops keys typed before the lock was mounted (keys the app held
    # while it was built keep their time), and only those: a PIN typed in one read
    # after it appeared unlocks.
    BINDINGS = [
        Binding("ctrl+q", "app.quit", "Quit", id="lock.quit"),
        Binding("up", "move(-1)", "Previous", id="lock.up", show=False),
        Binding("down", "move(1)", "Next", id="lock.down", show=False),
        # The PIN field keeps the focus: a PIN typed after Tab still unlocks.
        Binding("tab,shift+tab", "keep_focus", show=False, id="lock.tab"),
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
        yield Header()
        with Vertical(classes="dialog", id="lock"):
            yield Plain(title, classes="dialog-title")
            yield Label("Who is here? (up/down)")
            who = OptionList(*self._options(), id="lock-who")
            who.can_focus = False  # up/down choose while the PIN field keeps the focus
            yield who
            yield Label("PIN")
            yield PinField(password=True, id="lock-pin", max_length=64)
            yield Plain("", classes="error")
        yield Footer(show_command_palette=False)  # no palette while locked

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
        whos, pins = self.query(OptionList), self.query(PinField)
        if not whos or not pins:
            return
        self.app.clear_notifications()  # a toast may name a patient
        who = whos.first(OptionList)
        current = self.dntui.practitioner
        ids = [p.id for p in self._people]
        who.highlighted = ids.index(current.id) if current is not None and current.id in ids else 0
        pin = pins.first(PinField)
        pin.accept_after = get_time()  # keys typed before now were not meant for the lock
        pin.focus()

    def action_keep_focus(self) -> None:
        self.query_one(PinField).focus()

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
        if not event.value:  # a stray Enter is not a wrong PIN (the lockout counts those)
            self.query_one(".error", Plain).update("Type your PIN, then Enter.")
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
