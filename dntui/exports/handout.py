"""A visit's patient handout, as text or Markdown, saved privately and audited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from dntui.domain import instructions
from dntui.domain.text import terminal_safe

if TYPE_CHECKING:
    from dntui.domain.visit import VisitDraft
    from dntui.store.models import Practitioner
    from dntui.store.repo import Store, VisitRecord

from dntui.exports import ExportError
from dntui.exports.export import private_file

HANDOUT_FORMATS = ("md", "text")


# ------------------------------------------------------------------ handout
def handout(record: VisitRecord, *, clinic_name: str = "", fmt: str = "text") -> str:
    """The visit's patient handout as Markdown (``md``) or plain text (``text``), without
    control characters (it may go to a terminal or a printer).
    """
    return terminal_safe(_handout(record, clinic_name=clinic_name, fmt=fmt))


def _handout(record: VisitRecord, *, clinic_name: str = "", fmt: str = "text") -> str:
    """The handout as generated.

    Generated from the visit: clinic, patient, date, practitioner, the muscles,
    the region warnings (thoracic: the pneumothorax signs) and the
    practitioner's own lines. When the practitioner edited the handout text in
    the visit, the text export is that text as given to the patient, and the
    Markdown export shows it verbatim under the same title.
    """
    if fmt not in HANDOUT_FORMATS:
        raise ExportError(f"unknown handout format {fmt!r}: use md or text")
    draft = record.draft
    patient_name = record.patient.name if record.patient is not None else ""
    instr = instructions.generate(draft, clinic_name=clinic_name, patient_name=patient_name)
    edited = _edited_handout(draft, instr)
    if fmt == "text":
        return edited if edited is not None else instr.text()
    if edited is None:
        return instr.markdown()
    fence = "`" * max(3, _longest_backticks(edited) + 1)
    return f"# {instructions.TITLE}\n\n{fence}text\n{edited.rstrip()}\n{fence}\n"


def _edited_handout(draft: VisitDraft, instr: instructions.Instructions) -> str | None:
    text = draft.instructions.strip()
    if not text:
        return None
    generated = {
        instr.text().strip(),
        instructions.render_text(draft).strip(),
        instructions.render_text(draft, clinic_name=instr.clinic_name).strip(),
    }
    return None if text in generated else draft.instructions.rstrip("\n") + "\n"


def _longest_backticks(text: str) -> int:
    runs = re.findall(r"`+", text)
    return max((len(r) for r in runs), default=0)


def handout_filename(visit_id: int, fmt: str) -> str:
    """No patient name in the file name: it shows in folder listings and print queues."""
    return f"handout-visit-{visit_id}.{'md' if fmt == 'md' else 'txt'}"


def save_handout(
    store: Store,
    record: VisitRecord,
    *,
    fmt: str,
    output: Path,
    clinic_name: str = "",
    actor: Practitioner | None = None,
    via: str = "app",
) -> Path:
    """Write the handout to ``output`` (0600, atomic) and audit it."""
    body = handout(record, clinic_name=clinic_name, fmt=fmt)
    path = Path(output).expanduser()
    with private_file(path) as fh:
        fh.write(body)
    audit_handout(store, record, actor, f"format={fmt} via={via} dest={path.resolve()}")
    return path


def audit_handout(
    store: Store, record: VisitRecord, actor: Practitioner | None, detail: str
) -> None:
    """The ``export`` audit row of a handout written or printed (``detail``: how, where)."""
    store.log_event(
        "export", actor=actor, visit_id=record.visit.id, detail=f"handout {detail}"[:500]
    )
