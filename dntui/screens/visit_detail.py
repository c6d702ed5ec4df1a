"""One visit read-only, from history, the day sheet or a patient's visits."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header

from dntui.domain.errors import DntuiError
from dntui.store_rows import STATUS_TEXT
from dntui.ui.app_access import AppAccess
from dntui.ui.plain import Plain
from dntui.ui.times import local_time

if TYPE_CHECKING:
    from dntui.store.queries import VisitDetail


class VisitDetailScreen(Screen[None], AppAccess):
    """One visit read-only: the note as signed (or the draft), addenda, audit trail."""

    AUTO_FOCUS = "#detail-body"  # as it is built: tests/test_first_focus.py
    HELP = """\
A visit read-only: the note as signed (a draft shows its note so far), its addenda
and every audit event about it. o opens it in the visit screen (to resume a draft
or add an addendum). The patient handout: m saves it as Markdown, t as plain text,
p prints it (when a printer is configured: DNTUI_PRINTER or the system default)."""
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="detail.back"),
        Binding("o", "open", "Open visit", id="detail.open"),
        Binding("m", "handout('md')", "Handout .md", id="detail.handout-md"),
        Binding("t", "handout('text')", "Handout .txt", id="detail.handout-text"),
        Binding("p", "print_handout", "Print handout", id="detail.print"),
    ]
    DEFAULT_CSS = """
    VisitDetailScreen #detail-title { height: auto; margin: 1 1 0 1; text-style: bold; }
    VisitDetailScreen #detail-body { height: 1fr; padding: 0 1; }
    """

    def __init__(self, visit_id: int) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.detail: VisitDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain("", id="detail-title")
        with VerticalScroll(id="detail-body"):
            yield Plain("", id="detail-note")
            yield Plain("", id="detail-addenda-title", classes="section-title")
            yield Plain("", id="detail-addenda")
            yield Plain("", id="detail-audit-title", classes="section-title")
            yield Plain("", id="detail-audit")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        from dntui.store.queries import visit_detail

        try:
            self.detail = d = visit_detail(self.dntui.db, self.visit_id)
        except DntuiError as exc:
            self.query_one("#detail-title", Plain).update(str(exc))
            return
        v, rec = d.record.visit, d.record
        who = rec.patient.name if rec.patient else "(no patient yet)"
        chart = f" ({rec.patient.chart_no})" if rec.patient else ""
        title = (
            f"Visit {v.id} · {v.visit_date.isoformat()} · {who}{chart} · "
            f"{rec.practitioner.name}, {rec.practitioner.credentials} · "
            f"{STATUS_TEXT.get(v.status, v.status)}"
        )
        if v.status == "entered-in-error":
            title += f": {v.void_reason}"
        self.query_one("#detail-title", Plain).update(title)
        self.query_one("#detail-note", Plain).update(self._note_text(d))
        self.query_one("#detail-addenda-title", Plain).update(f"Addenda ({len(d.addenda)})")
        self.query_one("#detail-addenda", Plain).update(
            "\n\n".join(
                f"{_when(a.at)} · {a.author} · {a.kind}"
                + (f" · reason: {a.reason}" if a.reason else "")
                + "\n"
                + "\n".join(f"  {line}" for line in a.text.splitlines())
                for a in d.addenda
            )
            or "None."
        )
        self.query_one("#detail-audit-title", Plain).update(f"Audit trail ({len(d.audit)})")
        self.query_one("#detail-audit", Plain).update(
            "\n".join(
                f"{_when(e.at)}  #{e.seq:<6} {e.action:<20} {e.actor or '-'}"
                + (f"  {e.detail}" if e.detail else "")
                for e in d.audit
            )
            or "No audit events."
        )

    def _note_text(self, d: VisitDetail) -> str:
        v = d.record.visit
        if v.note_text:
            return v.note_text.rstrip()
        from dntui.clinic_files import load_fee_schedule
        from dntui.domain import billing, screening
        from dntui.domain.note import render_note

        draft = d.record.draft
        schedule = getattr(self.app, "fee_schedule", None) or load_fee_schedule(None)
        try:
            note = render_note(
                draft,
                billing.summarize(
                    draft,
                    schedule,
                    clinic_state=getattr(getattr(self.app, "settings", None), "clinic_state", ""),
                ),
                screening.evaluate(
                    draft.screening,
                    draft.consent,
                    [m.muscle_id for m in draft.muscles],
                    trimester=draft.pregnancy_trimester,
                    estim=any(m.estim for m in draft.muscles),
                ),
                instructions=draft.instructions,
                status="draft",
            )
        except (DntuiError, ValueError, KeyError) as exc:
            return f"(this draft cannot be shown as a note yet: {exc})"
        return "DRAFT: NOT SIGNED, NOT BILLABLE\n\n" + note.rstrip()

    # -------------------------------------------------------------- actions
    def action_open(self) -> None:
        self.dntui.open_visit(self.visit_id)

    def action_handout(self, fmt: str) -> None:
        from dntui.dialogs.save_file import SaveFileScreen
        from dntui.exports import ExportError
        from dntui.exports.export import default_export_dir
        from dntui.exports.handout import handout_filename, save_handout

        if self.detail is None:
            return
        record = self.detail.record
        app: Any = self.app
        try:
            default = default_export_dir() / handout_filename(self.visit_id, fmt)
        except OSError as exc:
            self.notify(f"cannot create the exports folder: {exc.strerror}", severity="error")
            return
        what = "Markdown" if fmt == "md" else "plain text"

        def save(path: Any) -> str:
            out = save_handout(
                app.store,
                record,
                fmt=fmt,
                output=path,
                clinic_name=app.settings.clinic_name,
                actor=app.practitioner,
            )
            return f"Handout saved to {out}"

        self.app.push_screen(
            SaveFileScreen(f"Save the patient handout ({what})", default, save, ExportError)
        )

    def action_print_handout(self) -> None:
        from dntui.exports.printing import configured_printer, print_handout

        if self.detail is None:
            return
        app: Any = self.app
        try:
            printer = configured_printer(settings=app.settings)
            answer = print_handout(
                app.store,
                self.detail.record,
                printer=printer,
                clinic_name=app.settings.clinic_name,
                actor=app.practitioner,
            )
        except DntuiError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(f"Handout sent to {printer}. {answer}".strip())


def _when(at: Any) -> str:
    return local_time(at)
