"""Step 5: the whole note on one screen; sign it, or add an addendum once signed.

The keys here only ask: they post ``SignRequested``, ``AddendumRequested`` or
``VoidRequested``, and the visit screen does the work (PIN, database, state).
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from dntui.domain.note import render_note
from dntui.domain.record import blockers_for, handout_text
from dntui.domain.text import terminal_safe
from dntui.ui.plain import Plain
from dntui.ui.times import local_time
from dntui.widgets.step_base import Step


class ReviewStep(Step):
    BINDINGS = [
        Binding("s", "sign", "Sign", id="review.sign", show=False),
        Binding("a", "addendum", "Addendum", id="review.addendum", show=False),
        Binding("v", "void", "Entered in error", id="review.void", show=False),
        Binding("r", "response", "Response", id="review.response", show=False),
        Binding("o", "outcome", "Outcome", id="review.outcome", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="review-blockers")
        with VerticalScroll(id="review-scroll", can_focus=True):
            yield Plain("", id="review-warnings")
            yield Plain("", id="review-note")

    def enter(self) -> None:
        self.refresh_view()
        self.query_one("#review-scroll").focus()

    def note_text(self) -> str:
        host = self.host
        record = host.record
        if record is not None and record.visit.status != "draft" and record.visit.note_text:
            text = record.visit.note_text
            if record.visit.status == "entered-in-error":
                text = f"ENTERED IN ERROR: {record.visit.void_reason}\n\n" + text
            for a in record.addenda:
                when = local_time(a.created_at)
                author = host.author_name(a.author_id)
                text += f"\nADDENDUM ({a.kind}) {when} by {author}\n  Reason: {a.reason}\n"
                text += "".join(f"  {line}\n" for line in a.text.splitlines())
            return text
        return render_note(
            host.draft,
            host.summary(),
            host.screening_result(),
            instructions=self.handout(),
            status="draft",
        )

    def warnings_text(self) -> str:
        """Every billing and safety warning of the visit, most severe first: the pane may
        be scrolled, the review must show them all before signing."""
        from dntui.domain.safety import safety_warnings

        order = {"stop": 0, "warn": 1, "info": 2}
        items = [(w.level, w.text) for w in self.host.summary().warnings]
        items += [(w.level, w.text) for w in safety_warnings(self.draft)]
        if not items:
            return "WARNINGS: none\n"
        lines = [f"WARNINGS ({len(items)}: billing and safety)"]
        for level, text in sorted(items, key=lambda i: order.get(i[0], 3)):
            tag = {"stop": "STOP", "warn": "WARN"}.get(level, "info")
            lines.append(f"  [{tag}] {text}")
        return "\n".join(lines) + "\n"

    def handout(self) -> str:
        """The instructions given: as edited, else as generated from the visit (step 4)."""
        return handout_text(self.draft, clinic_name=self.dntui.settings.clinic_name)

    def refresh_view(self) -> None:
        blockers_widget = self.query_one("#review-blockers", Static)
        if self.host.locked:
            blockers_widget.update("[b]Signed and locked.[/b] a: addendum · v: entered in error")
        else:
            blockers = self.blockers()
            head = (
                "[b red]Not ready to sign:[/]\n"
                + "\n".join(f" [red]✗[/] {escape(terminal_safe(b))}" for b in blockers)
                if blockers
                else "[b green]Ready to sign:[/] press s and enter your PIN."
            )
            if not self.draft.tolerance.strip():
                head += "\n r: record the patient's tolerance and response"
            if self.draft.outcome.empty:
                head += "\n o: record pain 0-10 after needling (outcome)"
            blockers_widget.update(head)
        self.query_one("#review-warnings", Static).update(self.warnings_text())
        self.query_one("#review-note", Static).update(self.note_text())

    def blockers(self) -> list[str]:
        return blockers_for(self.draft)

    # ------------------------------------------------------------- actions
    def action_response(self) -> None:
        """Record the patient's tolerance of and response to needling (a note holds it:
        [15][26b][29] in docs/sources.md)."""
        from dntui.dialogs.tolerance import ToleranceScreen

        if self.host.locked:
            self.notify("Signed and locked: add an addendum (a) instead.")
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.draft.tolerance = text
                self.changed()
                self.refresh_view()

        self.app.push_screen(ToleranceScreen(self.draft.tolerance), done)

    def action_outcome(self) -> None:
        """Pain after needling and the PSFS item re-measured (the note's OUTCOME)."""
        from dntui.dialogs.outcome import OutcomeScreen
        from dntui.domain.assessment import Outcome

        if self.host.locked:
            self.notify("Signed and locked: add an addendum (a) instead.")
            return

        def done(result: Outcome | None) -> None:
            if result is not None and result != self.draft.outcome:
                self.draft.outcome = result
                self.changed()
                self.refresh_view()

        self.app.push_screen(OutcomeScreen(self.draft.outcome, self.draft.assessment), done)

    def action_sign(self) -> None:
        self.post_message(self.SignRequested())

    def action_addendum(self) -> None:
        self.post_message(self.AddendumRequested())

    def action_void(self) -> None:
        self.post_message(self.VoidRequested())
