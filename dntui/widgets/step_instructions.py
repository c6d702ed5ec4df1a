"""Step 4: the patient's post-treatment instructions, generated from the visit.

While the practitioner has not edited the text it follows the visit (adding a
thoracic muscle adds the pneumothorax warning). Once edited it is kept as typed;
ctrl+r regenerates it. Lines typed in the box below are the practitioner's own.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static, TextArea

from dntui.domain import exercises, instructions
from dntui.domain.text import terminal_safe
from dntui.domain.validation import ValidationError, clean_text
from dntui.ui.plain import Plain
from dntui.widgets.step_base import Step


def generated_text(step: Step) -> str:
    return instructions.render_text(step.draft, clinic_name=step.dntui.settings.clinic_name)


class InstructionsStep(Step):
    BINDINGS = [
        Binding("ctrl+r", "regenerate", "Regenerate", id="instructions.regenerate", show=False),
        Binding(
            "f8,alt+x",
            "exercises",
            "Home exercises",
            id="instructions.exercises",
            show=False,
            priority=True,
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Plain("", id="instructions-state", classes="hint")
        yield TextArea(id="handout", soft_wrap=True)
        yield Input(
            placeholder="Add your own line for the patient, Enter to add",
            id="own-line",
            max_length=300,
        )

    def enter(self) -> None:
        self._show()
        self.query_one("#own-line", Input).focus()

    def _show(self) -> None:
        area = self.query_one("#handout", TextArea)
        text = terminal_safe(self.draft.instructions or generated_text(self))
        if area.text != text:
            self._setting = True
            area.load_text(text)
        state = (
            "edited by you (ctrl+r regenerates)"
            if self.draft.instructions
            else "generated from this visit"
        )
        n = len(self.draft.home_exercises)
        state += (
            f" · F8/alt+x home exercises ({n} added)" if n else " · F8/alt+x adds home exercises"
        )
        self.query_one("#instructions-state", Static).update(f"Patient handout: {state}")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if getattr(self, "_setting", False):
            self._setting = False
            return
        try:
            text = clean_text(event.text_area.text, what="handout")
        except ValidationError as exc:
            self.notify(str(exc), severity="error")
            return
        if text != generated_text(self):
            self.draft.instructions = text
            self.changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            line = " ".join(clean_text(event.value, limit=300).split())
        except ValidationError as exc:
            self.notify(str(exc), severity="error")
            return
        if not line:
            return
        lines = self.draft.practitioner_lines.rstrip("\n")
        self.draft.practitioner_lines = f"{lines}\n{line}" if lines else line
        if self.draft.instructions:
            self.draft.instructions = self.draft.instructions.rstrip("\n") + f"\n- {line}\n"
        event.input.value = ""
        self._show()
        self.changed()

    def action_exercises(self) -> None:
        """Add the stretches suggested for today's muscles to the handout, or take them off."""
        d = self.draft
        offered = exercises.suggested(m.muscle_id for m in d.muscles if m.needles_in > 0)
        if d.home_exercises:
            d.home_exercises = []
            self.notify("Home exercises taken off the handout.")
        elif offered:
            d.home_exercises = [e.id for e in offered]
            self.notify("Added: " + ", ".join(e.title for e in offered))
        else:
            self.notify("No sourced stretch for these muscles: add your own line below.")
            return
        if d.instructions:
            self.notify("The handout was edited: ctrl+r regenerates it with the exercises.")
        self._show()
        self.changed()

    def action_regenerate(self) -> None:
        self.draft.instructions = ""
        self._show()
        self.changed()
