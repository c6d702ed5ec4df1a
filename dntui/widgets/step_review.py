"""Step 5: the whole note on one screen; sign it, or add an addendum once signed."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from dntui.domain import safety
from dntui.domain.errors import DntuiError
from dntui.domain.note import render_note
from dntui.domain.record import sign_visit
from dntui.domain.signing import sign_blockers
from dntui.domain.visit import PractitionerInfo
from dntui.widgets.plain import Plain
from dntui.widgets.step_base import Step


class ReviewStep(Step):
    BINDINGS = [
        Binding("s", "sign", "Sign", id="review.sign"),
        Binding("a", "addendum", "Addendum", id="review.addendum"),
        Binding("v", "void", "Entered in error", id="review.void"),
    ]

    def compose(self) -> ComposeResult:
        yield Static("", id="review-blockers")
        with VerticalScroll(id="review-scroll", can_focus=True):
            yield Plain("", id="review-note")

    def enter(self) -> None:
        self.show()
        self.query_one("#review-scroll").focus()

    def note_text(self) -> str:
        vs = self.visit_screen
        record = vs.record
        if record is not None and record.visit.status != "draft" and record.visit.note_text:
            text = record.visit.note_text
            if record.visit.status == "entered-in-error":
                text = f"ENTERED IN ERROR: {record.visit.void_reason}\n\n" + text
            for a in record.addenda:
                when = a.created_at.strftime("%Y-%m-%d %H:%M UTC")
                author = self._author(a.author_id)
                text += f"\nADDENDUM ({a.kind}) {when} by {author}\n  Reason: {a.reason}\n"
                text += "".join(f"  {line}\n" for line in a.text.splitlines())
            return text
        return render_note(
            vs.draft,
            vs.summary(),
            vs.screening_result(),
            instructions=self.handout(),
            status="draft",
        )

    def handout(self) -> str:
        """The instructions given: as edited, else as generated from the visit (step 4)."""
        from dntui.widgets.step_instructions import generated_text

        return self.visit_screen.draft.instructions or generated_text(self)

    def _author(self, practitioner_id: int) -> str:
        try:
            p = self.app.store.practitioner(practitioner_id)  # type: ignore[attr-defined]
        except DntuiError:
            return f"practitioner {practitioner_id}"
        return f"{p.name}, {p.credentials}"

    def show(self) -> None:
        vs = self.visit_screen
        blockers_widget = self.query_one("#review-blockers", Static)
        if vs.locked:
            blockers_widget.update("[b]Signed and locked.[/b] a: addendum · v: entered in error")
        else:
            blockers = self.blockers()
            if blockers:
                blockers_widget.update(
                    "[b red]Not ready to sign:[/]\n"
                    + "\n".join(f" [red]✗[/] {escape(b)}" for b in blockers)
                )
            else:
                blockers_widget.update("[b green]Ready to sign:[/] press s and enter your PIN.")
        self.query_one("#review-note", Static).update(self.note_text())

    def blockers(self) -> list[str]:
        vs = self.visit_screen
        return sign_blockers(vs.draft, vs.screening_result(), safety.safety_warnings(vs.draft))

    # ------------------------------------------------------------- actions
    def action_sign(self) -> None:
        vs = self.visit_screen
        if vs.locked:
            self.notify("Already signed: add an addendum (a) to correct it.")
            return
        store, practitioner = self.app.store, self.app.practitioner  # type: ignore[attr-defined]
        blockers = self.blockers()
        if vs.draft.practitioner.id != practitioner.id:
            blockers.insert(
                0,
                f"This visit is {vs.draft.practitioner.name}'s: only they can sign it "
                "(switch practitioner with p on the start screen)",
            )
        if blockers:
            vs.save_now()
            try:
                store.record_refused_sign(vs.draft.visit_id, actor=practitioner, reasons=blockers)
            except DntuiError as exc:
                self.notify(str(exc), severity="error")
            self.notify("Cannot sign yet:\n" + "\n".join(blockers), severity="error", timeout=8)
            self.show()
            return
        from dntui.screens.modals import PinScreen

        def with_pin(pin: object) -> None:
            if isinstance(pin, str):
                self._sign(pin)

        self.app.push_screen(
            PinScreen(f"Sign as {practitioner.name}, {practitioner.credentials}"), with_pin
        )

    def _sign(self, pin: str) -> None:
        vs = self.visit_screen
        store, practitioner = self.app.store, self.app.practitioner  # type: ignore[attr-defined]
        try:
            if not vs.save_now(reason="sign"):
                self.notify(
                    "Not signed: the latest changes are not in the database yet.",
                    severity="error",
                )
                return
            if not store.check_signer(practitioner.id, pin, visit_id=vs.draft.visit_id):
                self.notify("Wrong PIN: not signed.", severity="error")
                return
            record = sign_visit(
                vs.draft,
                vs.fee_schedule,
                PractitionerInfo(
                    practitioner.id,
                    practitioner.name,
                    practitioner.credentials,
                    practitioner.acupuncture_licensed,
                ),
                clinic_name=self.app.settings.clinic_name,  # type: ignore[attr-defined]
            )
            store.sign(record, signer=practitioner)
        except DntuiError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"Visit signed: {record.code or 'no code'}. It is now locked.")
        vs.after_sign()

    def action_addendum(self) -> None:
        vs = self.visit_screen
        if not vs.locked:
            self.notify("This visit is a draft: edit it directly.")
            return
        from dntui.screens.modals import AddendumScreen, PinScreen

        store, practitioner = self.app.store, self.app.practitioner  # type: ignore[attr-defined]

        def with_text(result: object) -> None:
            if not isinstance(result, tuple):
                return
            reason, text = result

            def with_pin(pin: object) -> None:
                if not isinstance(pin, str):
                    return
                try:
                    if not store.check_signer(practitioner.id, pin, visit_id=vs.draft.visit_id):
                        self.notify("Wrong PIN: addendum not saved.", severity="error")
                        return
                    store.add_addendum(
                        vs.draft.visit_id, author=practitioner, text=text, reason=reason
                    )
                except (DntuiError, ValueError) as exc:
                    self.notify(str(exc), severity="error")
                    return
                vs.record = store.load(vs.draft.visit_id)
                self.show()
                self.notify("Addendum saved.")

            self.app.push_screen(PinScreen("Sign the addendum"), with_pin)

        self.app.push_screen(AddendumScreen(), with_text)

    def action_void(self) -> None:
        from dntui.screens.modals import PinScreen, ReasonScreen

        vs = self.visit_screen
        if vs.draft.visit_id is None:
            return

        def done(reason: object) -> None:
            if not isinstance(reason, str):
                return

            def with_pin(pin: object) -> None:
                if isinstance(pin, str):
                    self._void(reason, pin)

            self.app.push_screen(PinScreen("Sign: mark this visit entered in error"), with_pin)

        self.app.push_screen(ReasonScreen("Mark this visit entered in error"), done)

    def _void(self, reason: str, pin: str) -> None:
        vs = self.visit_screen
        store, practitioner = self.app.store, self.app.practitioner  # type: ignore[attr-defined]
        try:
            vs.save_now()
            if not store.check_signer(practitioner.id, pin, visit_id=vs.draft.visit_id):
                self.notify("Wrong PIN: not marked.", severity="error")
                return
            store.void(vs.draft.visit_id, actor=practitioner, reason=reason)
            vs.record = store.load(vs.draft.visit_id)
        except (DntuiError, ValueError) as exc:
            self.notify(str(exc), severity="error")
            return
        vs.dirty = False
        vs.locked = True
        self.show()
        self.notify("Marked entered in error. The content stays readable.")
