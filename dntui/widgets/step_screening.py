"""Step 2: the screening checklist, answered with single keys, and consent."""

from __future__ import annotations

from datetime import UTC

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dntui.domain import screening
from dntui.domain.consent import CONSENT_TEXT, CONSENT_VERSION
from dntui.domain.screening import ItemKind, ScreeningStatus
from dntui.domain.visit import Answer, ScreeningAnswer
from dntui.ui.plain import Plain
from dntui.widgets.step_base import Step

_STATUS_TEXT = {
    ScreeningStatus.CAN_NEEDLE: ("CLEAR: needling may go ahead", "bold green"),
    ScreeningStatus.BLOCKED: ("BLOCKED: do not needle", "bold red"),
    ScreeningStatus.PRECAUTIONS_OUTSTANDING: ("PRECAUTIONS need a note", "bold yellow"),
    ScreeningStatus.INCOMPLETE: ("INCOMPLETE", "bold yellow"),
}


class Checklist(OptionList):
    """The screening items: when the list changes size (the guidance below it grows or
    shrinks with the highlighted item), the highlighted question stays whole in view."""

    def on_resize(self) -> None:
        self.call_after_refresh(self.scroll_to_highlight)


class ScreeningStep(Step):
    BINDINGS = [
        Binding("y", "answer('yes')", "Yes", id="screening.yes", show=False),
        Binding("n", "answer('no')", "No", id="screening.no", show=False),
        Binding("0", "rest_no", "Rest no", id="screening.rest-no", show=False),
        Binding("e", "edit_note", "Note", id="screening.note", show=False),
        Binding("c", "consent", "Consent", id="screening.consent", show=False),
        Binding("t", "trimester", "Trimester", id="screening.trimester", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(id="screening-status")
        # Each question wraps in full (never cut at 80 columns); Enter does nothing here:
        # answers are the explicit keys y and n.
        yield Checklist(id="screening-items")
        # The highlighted item's guidance, wrapped.
        yield Plain("", id="screening-question")
        yield Plain(
            "y/n answer · 0 answers the rest No · e note · c consent · t trimester",
            classes="hint",
        )

    def on_mount(self) -> None:
        listing = self.query_one(OptionList)
        listing.add_options([Option(self._prompt(item.id), id=item.id) for item in screening.ITEMS])
        listing.highlighted = 0
        self._show_status()

    def enter(self) -> None:
        self.query_one(OptionList).focus()
        self._show_question()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show_question()
        # Once the rows are laid out at their wrapped heights, bring the whole highlighted
        # question into view (the first scroll can use heights from before the wrap).
        self.call_after_refresh(event.option_list.scroll_to_highlight)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # Enter on an item is not an answer (y / n are)

    def _prompt(self, item_id: str) -> Table:
        """One checklist row: the answer as a word, the kind, the whole question (wrapped)."""
        item = screening.ITEMS_BY_ID[item_id]
        a = self.draft.screening.get(item_id, ScreeningAnswer())
        answer = Text("YES" if a.answer == Answer.YES else "no" if a.answer == Answer.NO else "?")
        if a.answer == Answer.YES:
            ok = item.kind == ItemKind.RELATIVE and a.acknowledged and a.note.strip()
            answer.stylize("bold yellow" if ok else "bold red")
        elif a.answer == Answer.UNANSWERED:
            answer.stylize("dim")
        row = Table.grid(padding=(0, 1))
        row.add_column(width=3, no_wrap=True)
        row.add_column(width=4, no_wrap=True)
        row.add_column(ratio=1)
        kind = "ABS" if item.kind == ItemKind.ABSOLUTE else "prec"
        row.add_row(answer, kind, Text(item.question))
        return row

    def _show_question(self) -> None:
        """The highlighted item's whole question and guidance, wrapped, never cut."""
        item_id = self._current_item()
        item = screening.ITEMS_BY_ID.get(item_id or "")
        text = ""
        if item is not None:
            text = item.help or ""
            if item.id == "pregnancy":
                t = self.draft.pregnancy_trimester
                text += f"\nTrimester: {t if t else 'not recorded (t sets it)'}"
        self.query_one("#screening-question", Plain).update(text)

    def action_trimester(self) -> None:
        """Pregnancy: cycle the trimester 1 → 2 → 3 (needed when the answer is yes)."""
        a = self.draft.screening.get("pregnancy")
        if a is None or a.answer != Answer.YES:
            self.notify("Answer yes to pregnancy first (y on that row).")
            return
        t = self.draft.pregnancy_trimester
        self.draft.pregnancy_trimester = 1 if t not in (1, 2) else t + 1
        self._show_question()
        self._show_status()
        self.changed()

    def _current_item(self) -> str | None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return None
        return listing.get_option_at_index(listing.highlighted).id

    def _show_row(self, item_id: str) -> None:
        self.query_one(OptionList).replace_option_prompt(item_id, self._prompt(item_id))

    def _show_status(self) -> None:
        result = self.host.screening_result()
        label, style = _STATUS_TEXT[result.status]
        t = Text()
        t.append(label, style=style)
        answered = len(screening.ITEMS) - len(result.unanswered)
        t.append(f"  {answered}/{len(screening.ITEMS)} answered")
        c = self.draft.consent
        t.append("  · Consent: ")
        if c.given:
            t.append(f"{c.method} ({CONSENT_VERSION})", style="green")
        else:
            t.append("NOT RECORDED (c)", style="bold red")
        pregnant = self.draft.screening.get("pregnancy", ScreeningAnswer()).answer == Answer.YES
        if pregnant and self.draft.pregnancy_trimester:
            t.append(f"  · Pregnancy: trimester {self.draft.pregnancy_trimester}")
        for reason in result.blocked_reasons:
            t.append(f"\n{reason}", style="red")
        self.query_one("#screening-status", Static).update(t)

    def _set(self, item_id: str, answer: Answer) -> None:
        current = self.draft.screening.get(item_id, ScreeningAnswer())
        if answer == Answer.NO:
            current = ScreeningAnswer(answer=Answer.NO)
        else:
            current = ScreeningAnswer(Answer.YES, current.note, current.acknowledged)
        self.draft.screening[item_id] = current
        if item_id == "pregnancy" and answer == Answer.NO:
            self.draft.pregnancy_trimester = None
        self._show_row(item_id)
        self._show_status()
        self._show_question()
        self.changed()

    def action_answer(self, value: str) -> None:
        item_id = self._current_item()
        if item_id is None:
            return
        self._set(item_id, Answer(value))
        item = screening.ITEMS_BY_ID[item_id]
        if value == "yes" and item.kind == ItemKind.RELATIVE:
            self.action_edit_note()
        elif value == "yes":
            self.notify(item.reason, severity="error", timeout=6)
            self.query_one(OptionList).action_cursor_down()
        else:
            self.query_one(OptionList).action_cursor_down()

    def action_rest_no(self) -> None:
        for item in screening.ITEMS:
            a = self.draft.screening.get(item.id)
            if a is None or a.answer == Answer.UNANSWERED:
                self.draft.screening[item.id] = ScreeningAnswer(Answer.NO)
                self._show_row(item.id)
        self._show_status()
        self.changed()

    def action_edit_note(self) -> None:
        from dntui.dialogs.precaution import PrecautionScreen

        item_id = self._current_item()
        if item_id is None:
            return
        item = screening.ITEMS_BY_ID[item_id]
        current = self.draft.screening.get(item_id, ScreeningAnswer())
        if current.answer != Answer.YES:
            self.notify("Answer yes first (y): notes belong to precautions that apply.")
            return

        def done(note: object) -> None:
            if isinstance(note, str):
                self.draft.screening[item_id] = ScreeningAnswer(Answer.YES, note, True)
                self._show_row(item_id)
                self._show_status()
                self.changed()
                self.query_one(OptionList).action_cursor_down()

        self.app.push_screen(PrecautionScreen(item.question, item.help, current.note), done)

    def action_consent(self) -> None:
        from dntui.dialogs.consent import ConsentScreen

        def done(method: object) -> None:
            if isinstance(method, str):
                c = self.draft.consent
                c.given, c.method, c.text_version = True, method, CONSENT_VERSION
                c.at = self.dntui.clock().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                self._show_status()
                self.changed()

        self.app.push_screen(ConsentScreen(CONSENT_TEXT, CONSENT_VERSION), done)
