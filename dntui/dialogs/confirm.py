"""The ConfirmScreen dialog: a yes/no question answered by one key."""

from __future__ import annotations

from textual import events
from textual._time import get_time  # the clock of every event's ``time``
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from dntui.ui.plain import Plain


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with the answer. Keys typed before the question appeared are dropped
    unread (the app holds keys typed while a screen is built, and they keep their time):
    "n" and a name typed while the database opened must not answer "Restore it now?",
    nor keys typed before ctrl+q "Quit anyway?"."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question
        self._asked_at = float("inf")  # nothing is taken until the question is shown

    def on_mount(self) -> None:
        self._asked_at = get_time()

    def on_key(self, event: events.Key) -> None:
        if event.time < self._asked_at:
            event.prevent_default()
            event.stop()  # not an answer: its binding does not run

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._question)
            yield Plain("y: yes · n: no", classes="hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
