"""The CoverageScreen dialog: what the payer said when the clinic called.

"Contact the insurance company directly. They can provide you with specific
information about the patient's coverage and any necessary prior authorization
requirements" [seed]. One form per patient and payer: when it was verified and
by whom, the payer's reference number, the authorization (number, visits, from
and to), and notes. Saving records a new row (the newest is in force); a bad
value (an authorization ending before it starts) gets one line and the dialog
keeps everything typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select

from dntui.dialogs.assessment import DIALOG_CSS
from dntui.dialogs.base import Dialog
from dntui.domain.coverage import Coverage, check_coverage, parse_visits
from dntui.domain.text import terminal_safe
from dntui.domain.validation import ValidationError, clean_text, parse_date
from dntui.ui.plain import Plain


@dataclass(frozen=True)
class CoverageForm:
    """What the dialog starts from."""

    patient_name: str
    payers: Mapping[str, str]  # key -> name, in the fee schedule's order
    payer: str  # the payer shown first
    current: Mapping[str, Coverage]  # the coverage in force, per payer
    today: date
    verified_by: str = ""  # who is filling it in (a new check)


def _text(value: str) -> str:
    return terminal_safe(value, one_line=True)


class CoverageScreen(Dialog[Coverage]):
    """Returns the checked ``Coverage`` to record (None when cancelled)."""

    AUTO_FOCUS = "#cv-verified-on"  # as it is built: tests/test_first_focus.py
    SUBMIT_ON_ENTER = "cv-notes"

    DEFAULT_CSS = (
        DIALOG_CSS
        + """
    #coverage-dialog .form-row { margin-bottom: 0; }
    #coverage-dialog .form-row Label { width: 19; }
    #coverage-dialog .error { margin-top: 1; }
    #coverage-dialog #cv-payer { width: 1fr; }
    """
    )
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="coverage.save")]
    HELP = (
        "Coverage and authorization: record what the payer said when you called. "
        "Dates are YYYY-MM-DD; leave what the payer did not give empty."
    )

    def __init__(self, form: CoverageForm) -> None:
        super().__init__()
        self._form = form
        self._payer = form.payer if form.payer in form.payers else next(iter(form.payers), "")

    def compose(self) -> ComposeResult:
        f = self._form
        with Vertical(classes="dialog wide", id="coverage-dialog"):
            yield Plain(
                f"Coverage and authorization: {_text(f.patient_name)}", classes="dialog-title"
            )
            with Horizontal(classes="form-row"):
                yield Label("Payer")
                yield Select(
                    [(name, key) for key, name in f.payers.items()],
                    value=self._payer if self._payer else Select.NULL,
                    allow_blank=False,
                    id="cv-payer",
                    compact=True,
                )
            for label, wid, width, hint in (
                ("Verified on", "cv-verified-on", 10, "YYYY-MM-DD"),
                ("Verified by", "cv-verified-by", 60, "who called the payer"),
                ("Reference no.", "cv-reference", 60, "the call's reference"),
                ("Authorization no.", "cv-auth", 60, ""),
                ("Visits authorized", "cv-visits", 3, "e.g. 6"),
                ("From", "cv-starts", 10, "YYYY-MM-DD"),
                ("To", "cv-ends", 10, "YYYY-MM-DD"),
                ("Notes", "cv-notes", 500, ""),
            ):
                with Horizontal(classes="form-row"):
                    yield Label(label)
                    yield Input(id=wid, compact=True, max_length=width, placeholder=hint)
            yield Plain("", classes="error", id="cv-error")
            yield self.buttons("Save")

    def on_mount(self) -> None:
        self._fill(self._payer)
        # Focused before it was filled: selected now, so typing replaces it.
        self.query_one("#cv-verified-on", Input).select_all()

    def _fill(self, payer: str) -> None:
        """The fields from the coverage in force for ``payer``, or a new check."""
        c = self._form.current.get(payer)

        def put(wid: str, value: str) -> None:
            self.query_one(f"#{wid}", Input).value = value

        if c is None:
            put("cv-verified-on", self._form.today.isoformat())
            put("cv-verified-by", _text(self._form.verified_by))
            for wid in ("cv-reference", "cv-auth", "cv-visits", "cv-starts", "cv-ends", "cv-notes"):
                put(wid, "")
            return
        put("cv-verified-on", c.verified_on.isoformat() if c.verified_on else "")
        put("cv-verified-by", _text(c.verified_by))
        put("cv-reference", _text(c.reference_no))
        put("cv-auth", _text(c.authorization_no))
        put("cv-visits", "" if c.visits_authorized is None else str(c.visits_authorized))
        put("cv-starts", c.starts.isoformat() if c.starts else "")
        put("cv-ends", c.ends.isoformat() if c.ends else "")
        put("cv-notes", _text(c.notes))

    def on_select_changed(self, event: Select.Changed) -> None:
        if (
            event.select.id == "cv-payer"
            and isinstance(event.value, str)
            and event.value != self._payer
        ):
            self._payer = event.value
            self._fill(event.value)
            self.error("")

    def _value(self, wid: str) -> str:
        return self.query_one(f"#{wid}", Input).value

    def _day(self, wid: str, what: str) -> date | None:
        text = self._value(wid)
        return parse_date(text, what) if text.strip() else None

    def read(self) -> Coverage:
        """The typed coverage, checked; raises ValidationError (one line)."""
        verified_on = self._day("cv-verified-on", "verification date")
        if verified_on is not None and verified_on > self._form.today:
            raise ValidationError(f"The verification date {verified_on} is in the future")
        return check_coverage(
            Coverage(
                payer=self._payer,
                verified_on=verified_on,
                verified_by=clean_text(self._value("cv-verified-by"), limit=60, what="name"),
                reference_no=clean_text(self._value("cv-reference"), limit=60, what="reference"),
                authorization_no=clean_text(
                    self._value("cv-auth"), limit=60, what="authorization number"
                ),
                visits_authorized=parse_visits(self._value("cv-visits")),
                starts=self._day("cv-starts", "authorization start"),
                ends=self._day("cv-ends", "authorization end"),
                notes=clean_text(self._value("cv-notes"), limit=500, what="notes"),
            )
        )
