"""Who is logging: first-run setup, adding a practitioner, switching on a shared machine."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from dntui.domain.credentials import LABELS, Credential
from dntui.domain.errors import DntuiError
from dntui.domain.pin import MIN_PIN_LENGTH
from dntui.domain.validation import ValidationError, clean_name, parse_date
from dntui.ui.app_access import AppAccess
from dntui.ui.form_focus import Buttons, FormScreen
from dntui.ui.marks import MarkCheckbox
from dntui.ui.plain import Plain, plain_cell

if TYPE_CHECKING:
    pass

#: The fixed credential list (dntui.domain.credentials): Medicare eligibility,
#: the GP modifier and the assistant warning depend on it.
CREDENTIALS = tuple(c.value for c in Credential)


class NewPractitionerScreen(FormScreen["object | None"], AppAccess):
    AUTO_FOCUS = "#p-name"  # as it is built: tests/test_first_focus.py
    HELP = """\
Add the practitioner who logs and signs visits. Nobody logs visits anonymously.
The PIN signs notes: it is stored only as a salted scrypt hash.
"""
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="practitioner.cancel")]
    DEFAULT_CSS = """
    NewPractitionerScreen .field-row { height: 3; }
    NewPractitionerScreen .field-row Input { width: 1fr; }
    """

    def __init__(self, *, first_run: bool = False) -> None:
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog", id="new-practitioner"):
            title = (
                "Welcome to dntui: who is logging visits?"
                if self.first_run
                else "Add a practitioner"
            )
            yield Plain(title, classes="dialog-title")
            yield Label("Name")
            yield Input(placeholder="e.g. Dana Reyes", id="p-name", max_length=120)
            yield Label("Credentials")
            yield Select(
                [(LABELS[c], c.value) for c in Credential],
                value="PT",
                allow_blank=False,
                id="p-cred",
            )
            yield MarkCheckbox("Licensed in acupuncture (Medicare NCD 30.3.3)", id="p-acu")
            yield MarkCheckbox("Master's/doctorate in acupuncture (ACAOM)", id="p-acu-degree")
            with Horizontal(classes="field-row"):
                yield Input(placeholder="Licence number", id="p-licence", max_length=40)
                yield Input(placeholder="State", id="p-state", max_length=20, classes="short")
            with Horizontal(classes="field-row"):
                yield Input(placeholder="DN training hours", id="p-hours", max_length=5)
                yield Input(placeholder="DN cert date YYYY-MM-DD", id="p-certdate", max_length=10)
            yield Label(f"Signing PIN (at least {MIN_PIN_LENGTH} characters)")
            yield Input(password=True, id="p-pin", max_length=64)
            yield Input(password=True, placeholder="PIN again", id="p-pin2", max_length=64)
            yield Plain("", id="p-error", classes="error")
            with Buttons(classes="buttons"):
                yield Button("Save", variant="primary", id="p-save")
                yield Button("Cancel", id="p-cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "p-pin2":
            self._save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "p-save":
            self._save()
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def _save(self) -> None:
        error = self.query_one("#p-error", Static)
        pin = self.query_one("#p-pin", Input).value
        store = self.dntui.db
        try:
            name = clean_name(self.query_one("#p-name", Input).value, "practitioner's name")
            # Exports and the audit trail name practitioners: two with one name could not
            # be told apart (the store refuses it too; this says so before the PIN).
            if store.find_practitioner(name) is not None:
                raise ValidationError(
                    f"A practitioner named {name} already exists: add the middle initial "
                    "or a suffix so that notes and exports tell you apart."
                )
        except (ValidationError, DntuiError) as exc:
            error.update(str(exc))
            self.query_one("#p-name", Input).focus()
            return
        if len(pin) < MIN_PIN_LENGTH:
            error.update(f"The PIN needs at least {MIN_PIN_LENGTH} characters.")
            self.query_one("#p-pin", Input).focus()
            return
        if pin != self.query_one("#p-pin2", Input).value:
            error.update("The two PINs differ.")
            self.query_one("#p-pin2", Input).focus()
            return
        hours_text = self.query_one("#p-hours", Input).value.strip()
        if hours_text and not (hours_text.isdigit() and 0 < int(hours_text) < 10000):
            error.update("Training hours: a whole number, e.g. 54.")
            return
        cert_text = self.query_one("#p-certdate", Input).value.strip()
        try:
            cert_date = parse_date(cert_text, "certification date") if cert_text else None
        except ValidationError as exc:
            error.update(str(exc))
            return
        try:
            practitioner = store.add_practitioner(
                name,
                str(self.query_one("#p-cred", Select).value),
                acupuncture_licensed=self.query_one("#p-acu", MarkCheckbox).value,
                acupuncture_degree=self.query_one("#p-acu-degree", MarkCheckbox).value,
                pin=pin,
                licence_no=self.query_one("#p-licence", Input).value.strip(),
                licence_state=self.query_one("#p-state", Input).value.strip(),
                dn_cert_hours=int(hours_text) if hours_text else None,
                dn_cert_date=cert_date,
            )
        except (DntuiError, ValueError) as exc:
            error.update(str(exc))
            return
        self.dismiss(practitioner)


class PickPractitionerScreen(ModalScreen["object | None"], AppAccess):
    HELP = "Choose who is logging visits on this machine now, or add someone (a)."
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="pick.cancel"),
        Binding("a", "add", "Add practitioner", id="pick.add"),
        # Enter chooses here and now (a priority binding), not through the list's
        # OptionSelected message: keys typed right behind it (the PIN, one terminal
        # read) wait for the PIN dialog instead of reaching the picker being closed.
        Binding("enter", "choose", "Choose", id="pick.choose", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="pick-practitioner"):
            yield Plain("Who is logging visits?", classes="dialog-title")
            yield OptionList(id="pick-list")
            yield Plain("Enter: choose · a: add practitioner · Esc: cancel", classes="hint")

    def __init__(self, people: Sequence[object] | None = None) -> None:
        super().__init__()
        #: Practitioners read before the store opened (dntui.store.firstscreen), or None
        #: to read them from the store.
        self._given = people

    def on_mount(self) -> None:
        self._people: Sequence[Any] = []
        # Pushed as the app quits (ctrl+q during startup), the picker is torn down before
        # its widgets are mounted: nothing to fill then, and no traceback on the way out.
        lists = self.query(OptionList)
        if not lists:
            return
        self._people = self._given if self._given is not None else self.dntui.db.practitioners()
        if not any(screen.is_mounted for screen in self.app.screen_stack[1:-1]):
            # The first screen, alone (no start screen drawn behind it yet): it says
            # which app this is, and on which database (the DEMO one, say).
            lines = [f"{self.app.title}: who is logging visits?", self.app.sub_title]
            self.query_one(".dialog-title", Plain).update("\n".join(filter(None, lines)))
        ol = lists.first(OptionList)
        for p in self._people:
            ol.add_option(Option(plain_cell(f"{p.name}, {p.credentials}"), id=str(p.id)))
        ol.focus()
        if self._people:
            ol.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def action_choose(self) -> None:
        lists = self.query(OptionList)
        ol = lists.first(OptionList) if lists else None
        if ol is None or ol.highlighted is None:
            return
        self._choose(ol.get_option_at_index(ol.highlighted).id)

    def _choose(self, option_id: str | None) -> None:
        chosen = next((p for p in self._people if str(p.id) == option_id), None)
        if chosen is not None and self.app.screen is self:  # once, even for Enter and a click
            self.dismiss(chosen)

    def action_add(self) -> None:
        if self.dntui.store is None:
            self.notify("Opening the database…", timeout=2)
            return

        def added(p: object | None) -> None:
            if p is not None:
                self.dismiss(p)

        self.app.push_screen(NewPractitionerScreen(), added)

    def action_cancel(self) -> None:
        self.dismiss(None)
