"""Small dialogs: add patient, precaution note, consent, PIN, addendum, confirm."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static, TextArea

from dntui.domain.errors import DntuiError
from dntui.domain.text import terminal_safe
from dntui.domain.validation import (
    ValidationError,
    clean_name,
    clean_text,
    parse_birth_date,
)
from dntui.widgets.plain import Plain


class Dialog(ModalScreen[object]):
    """Escape cancels (dismiss None); each dialog shows its own error line."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="dialog.cancel")]

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


class AddPatientScreen(Dialog):
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

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "pt-chart":
            self.submit()
        else:
            self.focus_next()

    def submit(self) -> None:
        try:
            name = clean_name(self.query_one("#pt-name", Input).value, "patient's name")
            dob = parse_birth_date(self.query_one("#pt-dob", Input).value, today=self._today)
            if dob is None:
                raise ValidationError("Enter the date of birth as YYYY-MM-DD.")
            chart = clean_text(self.query_one("#pt-chart", Input).value, limit=20).strip()
            store = self.app.store  # type: ignore[attr-defined]
            patient = store.add_patient(
                name,
                dob,
                actor=self.app.practitioner,
                chart_no=chart,  # type: ignore[attr-defined]
            )
        except (DntuiError, ValueError) as exc:
            self.error(str(exc))
            return
        self.dismiss(patient)


class PrecautionScreen(Dialog):
    """A relative contraindication answered yes: acknowledge it and write why needling goes ahead."""

    def __init__(self, question: str, help_text: str, note: str = "") -> None:
        super().__init__()
        self._question = question
        self._help = help_text
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"Precaution: {self._question}", classes="dialog-title")
            if self._help:
                yield Plain(self._help, classes="hint")
            yield Label("Note (what was considered, what was adapted)")
            yield Input(value=terminal_safe(self._note, one_line=True), id="note", max_length=500)
            yield Plain("Enter acknowledges the precaution with this note.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Acknowledge")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        try:
            note = clean_text(self.query_one("#note", Input).value, limit=500).strip()
        except ValidationError as exc:
            self.error(str(exc))
            return
        if not note:
            self.error("A precaution needs a note before it can be acknowledged.")
            return
        self.dismiss(note)


class ToleranceScreen(Dialog):
    """The patient's tolerance of and response to needling, for the note."""

    def __init__(self, current: str = "") -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Tolerance and response to needling", classes="dialog-title")
            yield Plain(
                "e.g. tolerated well, local twitch in 2 muscles, pain eased from 6/10 to 3/10",
                classes="hint",
            )
            yield Input(value=self._current, id="tolerance", max_length=300)
            yield Plain("Enter saves it in the note.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons("Save")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        try:
            text = clean_text(self.query_one("#tolerance", Input).value, limit=300)
        except ValidationError as exc:
            self.error(str(exc))
            return
        self.dismiss(" ".join(text.split()))


class ConsentScreen(Dialog):
    def __init__(self, consent_text: str, version: str) -> None:
        super().__init__()
        self._text = consent_text
        self._version = version

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain(f"Informed consent (text version {self._version})", classes="dialog-title")
            yield Plain(self._text, id="consent-text")
            yield Label("How was consent given?")
            with RadioSet(id="consent-method"):
                yield RadioButton("Written (signed form)", value=True, id="written")
                yield RadioButton("Verbal", id="verbal")
            yield Plain("", classes="error")
            yield self.buttons("Record consent")

    def on_mount(self) -> None:
        self.query_one(RadioSet).focus()

    def key_enter(self) -> None:
        self.submit()

    def submit(self) -> None:
        pressed = self.query_one(RadioSet).pressed_button
        self.dismiss("verbal" if pressed is not None and pressed.id == "verbal" else "written")


class PinScreen(Dialog):
    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._title, classes="dialog-title")
            yield Label("Your signing PIN")
            yield Input(password=True, id="pin", max_length=64)
            yield Plain("", classes="error")
            yield self.buttons("Sign")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        self.dismiss(self.query_one("#pin", Input).value)


class AddendumScreen(Dialog):
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain("Addendum to a signed visit", classes="dialog-title")
            yield Label("Reason (correction, late entry, adverse event…)")
            yield Input(id="reason", max_length=200)
            yield Label("Text")
            yield TextArea(id="text")
            yield Plain("Tab to the buttons; Save asks for your PIN.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def submit(self) -> None:
        try:
            reason = clean_text(self.query_one("#reason", Input).value, limit=200).strip()
            text = clean_text(self.query_one("#text", TextArea).text, what="addendum").strip()
        except ValidationError as exc:
            self.error(str(exc))
            return
        if not reason or not text:
            self.error("An addendum needs a reason and text.")
            return
        self.dismiss((reason, text))


class ReasonScreen(Dialog):
    def __init__(self, title: str) -> None:
        super().__init__()
        self._title = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._title, classes="dialog-title")
            yield Label("Reason")
            yield Input(id="reason", max_length=200)
            yield Plain("", classes="error")
            yield self.buttons("Confirm")

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        reason = " ".join(self.query_one("#reason", Input).value.split())
        if not reason:
            self.error("Say why.")
            return
        self.dismiss(reason)


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(self._question)
            yield Plain("y: yes · n: no", classes="hint")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class AdverseEventScreen(Dialog):
    """Record an adverse event (Physiotherapy Alberta scale); returns a dict or None."""

    HELP = "Severity: mild (no care needed), significant (needed medical care), serious (hospital admission)."

    def __init__(self, muscles: list[str], now: str) -> None:
        super().__init__()
        self._muscles = muscles
        self._now = now

    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        from dntui.domain.adverse import KIND_NAMES, SEVERITY_TEXT

        with Vertical(classes="dialog wide"):
            yield Plain("Adverse event", classes="dialog-title")
            yield Label("Severity (Physiotherapy Alberta scale)")
            yield Select(
                [(text, sev.value) for sev, text in SEVERITY_TEXT.items()],
                value="mild",
                allow_blank=False,
                id="ae-severity",
            )
            yield Label("What happened")
            yield Select(
                [(k, k) for k in KIND_NAMES], value=KIND_NAMES[0], allow_blank=False, id="ae-kind"
            )
            yield Label("Muscle (optional)")
            yield Select(
                [("(not tied to a muscle)", "")] + [(m, m) for m in self._muscles],
                value="",
                allow_blank=False,
                id="ae-muscle",
            )
            yield Label("Time (HH:MM)")
            yield Input(value=self._now, id="ae-time", max_length=5)
            yield Label("Action taken / details")
            yield Input(id="ae-action", max_length=300)
            yield Plain("", classes="error")
            yield self.buttons("Record")

    def on_mount(self) -> None:
        self.query_one("#ae-severity").focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "ae-action":
            self.submit()
        else:
            self.focus_next()

    def submit(self) -> None:
        import re

        from textual.widgets import Select

        time = self.query_one("#ae-time", Input).value.strip()
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", time):
            self.error("Time as HH:MM, e.g. 14:05.")
            return
        try:
            action = " ".join(
                clean_text(self.query_one("#ae-action", Input).value, limit=300).split()
            )
        except ValidationError as exc:
            self.error(str(exc))
            return
        kind = str(self.query_one("#ae-kind", Select).value)
        if kind == "other" and not action:
            self.error("Describe the event under 'Action taken / details'.")
            return
        self.dismiss(
            {
                "time": time,
                "severity": str(self.query_one("#ae-severity", Select).value),
                "kind": kind,
                "muscle": str(self.query_one("#ae-muscle", Select).value),
                "action": action,
            }
        )


class LevelScreen(Dialog):
    """Spinal level needled (multifidus, rotatores); empty clears it. Returns str or None."""

    def __init__(self, muscle: str, level: str) -> None:
        super().__init__()
        self._muscle = muscle
        self._level = level

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain(f"{self._muscle}: spinal level", classes="dialog-title")
            yield Input(value=self._level, id="level", max_length=12, placeholder="e.g. L4-L5")
            yield Plain("A level (L4) or a range (L4-L5). Empty clears it.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        from dntui.domain.muscles import parse_spinal_level

        try:
            level = parse_spinal_level(self.query_one("#level", Input).value)
        except ValueError as exc:
            self.error(str(exc))
            return
        self.dismiss(level)


class DepthScreen(Dialog):
    """Needle depth in millimetres; empty clears it. Returns int, "" or None (cancel)."""

    MAX_DEPTH_MM = 150

    def __init__(self, depth: int | None) -> None:
        super().__init__()
        self._depth = depth

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Plain("Needle depth (mm)", classes="dialog-title")
            yield Input(
                value="" if self._depth is None else str(self._depth), id="depth", max_length=3
            )
            yield Plain("Empty clears the depth.", classes="hint")
            yield Plain("", classes="error")
            yield self.buttons()

    def on_input_submitted(self, _: Input.Submitted) -> None:
        self.submit()

    def submit(self) -> None:
        text = self.query_one("#depth", Input).value.strip()
        if not text:
            self.dismiss("")
            return
        if not text.isdigit() or not 1 <= int(text) <= self.MAX_DEPTH_MM:
            self.error(f"Depth: a whole number of millimetres from 1 to {self.MAX_DEPTH_MM}.")
            return
        self.dismiss(int(text))
