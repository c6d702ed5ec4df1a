"""The AddPatientScreen dialog."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from dntui.dialogs.base import Dialog
from dntui.domain.errors import DntuiError
from dntui.domain.validation import (
    ValidationError,
    clean_name,
    clean_text,
    parse_birth_date,
)
from dntui.store.models import Patient
from dntui.ui.plain import Plain


class AddPatientScreen(Dialog[Patient]):
    SUBMIT_ON_ENTER = "pt-chart"
    HELP = "Add a patient: full name and date of birth. A chart number is assigned if left empty."

    def __init__(self, *, name: str = "", today: date) -> None:
        super().__init__()
        self._initial_name = name
        self._today = today

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Add a patient", classes="dialog-title")
            yield Label("Full name")
            yield Input(value=self._initial_name, id="pt-name", max_length=120)
            yield Label("Date of birth (YYYY-MM-DD)")
            yield Input(id="pt-dob", max_length=10, placeholder="1980-04-23")
            yield Label("Chart number (optional)")
            yield Input(id="pt-chart", max_length=20)
            yield Plain("", classes="error")
            yield self.buttons()

    def submit(self) -> None:
        try:
            name = clean_name(self.query_one("#pt-name", Input).value, "patient's name")
            dob = parse_birth_date(self.query_one("#pt-dob", Input).value, today=self._today)
            if dob is None:
                raise ValidationError("Enter the date of birth as YYYY-MM-DD.")
            chart = clean_text(self.query_one("#pt-chart", Input).value, limit=20).strip()
            patient = self.dntui.db.add_patient(name, dob, actor=self.dntui.signer, chart_no=chart)
        except (DntuiError, ValueError) as exc:
            self.error(str(exc))
            return
        self.dismiss(patient)
