"""The AssessmentScreen dialog: what the practitioner finds before needling.

Chief complaint, where it hurts, local or referred, how long (with the onset),
pain now 0-10 (NPRS) and one PSFS activity with its 0-10 score. Every field is
optional. A bad value (a score of 11, an onset after the visit) gets one line
under the fields and the dialog stays open with everything typed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from dntui.dialogs.base import Dialog
from dntui.domain.assessment import REGIONS, Assessment, Duration, PainPattern
from dntui.domain.text import terminal_safe
from dntui.domain.validation import clean_name, parse_onset, parse_score
from dntui.ui.fields import score_input
from dntui.ui.plain import Plain

_PATTERNS = [("local", PainPattern.LOCAL.value), ("referred", PainPattern.REFERRED.value)]
_DURATIONS = [(d.value, d.value) for d in Duration if d.value]

DIALOG_CSS = """
.form-row { height: 1; margin-bottom: 1; }
.form-row Label { width: 15; }
.form-row .mid-label { width: auto; padding: 0 1; }
.form-row Input { width: 1fr; }
.form-row Input.score { width: 6; }
.form-row Input.date { width: 12; }
.form-row Select { width: 22; }
"""


def _text(value: str) -> str:
    return terminal_safe(value, one_line=True)


def _optional_text(value: str, what: str) -> str:
    """Typed text, single-spaced; "" stays "" (an optional field)."""
    return clean_name(value, what) if value.strip() else ""


class AssessmentScreen(Dialog[Assessment]):
    """Before needling; returns the new ``Assessment`` (None when cancelled)."""

    AUTO_FOCUS = "#as-complaint"  # as it is built: tests/test_first_focus.py
    SUBMIT_ON_ENTER = "as-psfs"

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="assessment.save")]
    HELP = (
        "Assessment before needling: every field is optional. Pain is the NPRS, 0 no pain to "
        "10 worst; the PSFS activity is scored 0 (unable) to 10 (as before the problem)."
    )

    def __init__(self, current: Assessment, visit_date: date) -> None:
        super().__init__()
        self._current = current
        self._visit_date = visit_date

    def compose(self) -> ComposeResult:
        a = self._current
        with Vertical(classes="dialog wide", id="assessment-dialog"):
            yield Plain("Assessment before needling (all optional)", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Complaint")
                yield Input(
                    _text(a.chief_complaint),
                    id="as-complaint",
                    compact=True,
                    max_length=120,
                    placeholder="in the patient's words",
                )
            with Horizontal(classes="form-row"):
                yield Label("Location")
                yield Select(
                    [(r, r) for r in REGIONS],
                    value=a.region if a.region in REGIONS else Select.NULL,
                    prompt="body region",
                    id="as-region",
                    compact=True,
                )
            with Horizontal(classes="form-row"):
                yield Label("Pattern")
                yield Select(
                    _PATTERNS,
                    value=a.pattern.value or Select.NULL,
                    prompt="local/referred",
                    id="as-pattern",
                    compact=True,
                )
                yield Label("to", classes="mid-label")
                yield Input(
                    _text(a.referred_to),
                    id="as-referred",
                    compact=True,
                    max_length=120,
                    placeholder="where it refers",
                )
            with Horizontal(classes="form-row"):
                yield Label("Duration")
                yield Select(
                    _DURATIONS,
                    value=a.duration.value or Select.NULL,
                    prompt="how long",
                    id="as-duration",
                    compact=True,
                )
                yield Label("onset", classes="mid-label")
                yield Input(
                    a.onset.isoformat() if a.onset else "",
                    id="as-onset",
                    compact=True,
                    max_length=10,
                    placeholder="YYYY-MM-DD",
                    classes="date",
                )
            with Horizontal(classes="form-row"):
                yield Label("Pain now 0-10")
                yield score_input(a.nprs_before, id="as-nprs")
                yield Label("NPRS: 0 no pain, 10 worst imaginable", classes="mid-label hint")
            with Horizontal(classes="form-row"):
                yield Label("PSFS activity")
                yield Input(
                    _text(a.psfs_activity),
                    id="as-psfs-activity",
                    compact=True,
                    max_length=60,
                    placeholder="e.g. lift child",
                )
                yield Label("score", classes="mid-label")
                yield score_input(a.psfs_before, id="as-psfs")
            yield Plain("PSFS: 0 unable to do it, 10 as before the problem", classes="hint")
            yield Plain("", classes="error", id="as-error")
            yield self.buttons("Save")

    def _value(self, selector: str) -> str:
        return self.query_one(selector, Input).value

    def _choice(self, selector: str) -> str:
        value = self.query_one(selector, Select).value
        return value if isinstance(value, str) else ""

    def read(self) -> Assessment:
        """The typed assessment; raises ValidationError (one line) on what cannot be."""
        pattern = PainPattern(self._choice("#as-pattern"))
        referred = _optional_text(self._value("#as-referred"), "referred-to place")
        return replace(
            self._current,
            chief_complaint=_optional_text(self._value("#as-complaint"), "chief complaint"),
            region=self._choice("#as-region"),
            pattern=pattern,
            referred_to=referred if pattern == PainPattern.REFERRED else "",
            duration=Duration(self._choice("#as-duration")),
            onset=parse_onset(self._value("#as-onset"), self._visit_date),
            nprs_before=parse_score(self._value("#as-nprs"), "Pain now (NPRS)"),
            psfs_activity=_optional_text(self._value("#as-psfs-activity"), "PSFS activity"),
            psfs_before=parse_score(self._value("#as-psfs"), "The PSFS score"),
        )
