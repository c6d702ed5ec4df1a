"""The OutcomeScreen dialog: pain after needling and the PSFS item re-measured."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from dntui.dialogs.assessment import DIALOG_CSS
from dntui.dialogs.base import Dialog
from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.text import terminal_safe
from dntui.domain.validation import parse_score
from dntui.ui.fields import score_input
from dntui.ui.plain import Plain


def _before(value: int | None) -> str:
    return "not recorded" if value is None else f"{value}/10"


class OutcomeScreen(Dialog[Outcome]):
    """After needling; returns the new ``Outcome`` (None when cancelled)."""

    AUTO_FOCUS = "#oc-nprs"  # as it is built: tests/test_first_focus.py
    SUBMIT_ON_ENTER = "oc-psfs"

    DEFAULT_CSS = DIALOG_CSS
    HELP = "Outcome after needling: pain now 0-10 (NPRS), and the PSFS activity re-scored 0-10."

    def __init__(self, current: Outcome, assessment: Assessment) -> None:
        super().__init__()
        self._current = current
        self._assessment = assessment

    def compose(self) -> ComposeResult:
        a, o = self._assessment, self._current
        activity = terminal_safe(a.psfs_activity, one_line=True) or "(no activity named)"
        with Vertical(classes="dialog", id="outcome-dialog"):
            yield Plain("Outcome after needling (optional)", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Pain now 0-10")
                yield score_input(o.nprs_after, id="oc-nprs")
                yield Label(f"before needling: {_before(a.nprs_before)}", classes="mid-label hint")
            with Horizontal(classes="form-row"):
                yield Label("PSFS now 0-10")
                yield score_input(o.psfs_after, id="oc-psfs")
                yield Label(f"{activity}: {_before(a.psfs_before)}", classes="mid-label hint")
            yield Plain("Leave a score empty when it was not measured.", classes="hint")
            yield Plain("", classes="error", id="oc-error")
            yield self.buttons("Save")

    def read(self) -> Outcome:
        return Outcome(
            nprs_after=parse_score(
                self.query_one("#oc-nprs", Input).value, "Pain after needling (NPRS)"
            ),
            psfs_after=parse_score(self.query_one("#oc-psfs", Input).value, "The PSFS score"),
        )
