"""The visit note as text: what the review screen shows and what a signed note keeps.

It holds what the domain notes (docs/sources.md) section 3 says a note must: named muscles with
side and the muscle count, the statement that nothing was injected, diagnosis,
needle details and technique, response, consent, screening, instructions given,
billing, and the practitioner with credentials.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from dntui.domain import muscles
from dntui.domain.adverse import describe
from dntui.domain.assessment import assessment_lines, outcome_lines
from dntui.domain.billing import BillingSummary
from dntui.domain.screening import ITEMS, ItemKind, ScreeningResult
from dntui.domain.visit import Answer, Twitch, VisitDraft

NO_INJECTION = "Dry needling only: no substance was injected."
_SIDES = {"L": "left", "R": "right", "B": "left and right"}


@dataclass(frozen=True)
class AddendumText:
    when: str
    author: str
    kind: str
    reason: str
    text: str


def render_note(
    visit: VisitDraft,
    billing: BillingSummary,
    screening: ScreeningResult,
    *,
    instructions: str = "",
    signed: str = "",
    addenda: Iterable[AddendumText] = (),
    status: str = "draft",
) -> str:
    p, pr = visit.patient, visit.practitioner
    lines: list[str] = ["DRY NEEDLING VISIT NOTE", ""]
    if status != "draft":
        lines += [f"Status: {status.upper()}", ""]
    dob = p.date_of_birth.isoformat() if p.date_of_birth else "not recorded"
    lines += [
        f"Patient:       {p.name or '(not chosen)'}  (chart {p.chart_no or '-'}, born {dob})",
        f"Date:          {visit.visit_date.isoformat()}",
        f"Practitioner:  {pr.name}, {pr.credentials}",
        f"Payer:         {billing.payer_name or visit.payer}"
        + ("  (ABN on file)" if visit.abn_on_file else ""),
        f"Diagnosis:     {', '.join(visit.diagnosis_codes) or 'not recorded'}",
    ]
    if visit.pain_weeks is not None:
        lines.append(f"Low back pain: {visit.pain_weeks} weeks")
    lines += ["", *assessment_lines(visit.assessment, visit.visit_date)]
    lines += ["", "SCREENING"]
    yes_items = []
    no_items = []
    for item in ITEMS:
        a = visit.screening.get(item.id)
        if a is not None and a.answer == Answer.YES:
            kind = "ABSOLUTE" if item.kind == ItemKind.ABSOLUTE else "precaution"
            note = f": {a.note.strip()}" if a.note.strip() else ""
            ack = " (acknowledged)" if a.acknowledged else ""
            extra = ""
            if item.id == "pregnancy":
                t = visit.pregnancy_trimester
                extra = f" Trimester: {t if t else 'not recorded'}."
            yes_items.append(f"  - YES [{kind}] {item.question}{extra}{ack}{note}")
        elif a is not None and a.answer == Answer.NO:
            no_items.append(f"  - no: {item.question}")
    answered = sum(1 for a in visit.screening.values() if a.answer != Answer.UNANSWERED)
    lines += yes_items or ["  No contraindications or precautions reported."]
    lines += no_items  # every question answered, in full
    lines.append(f"  {answered} of {len(ITEMS)} items answered; result: {screening.status.value}")
    for reason in screening.blocked_reasons:
        lines.append(f"  Needling blocked: {reason}")
    c = visit.consent
    lines += [
        "",
        "CONSENT",
        (
            f"  Informed consent for dry needling given ({c.method or 'method not recorded'}"
            f", text version {c.text_version or '-'}, {c.at or 'time not recorded'})."
            if c.given
            else "  Informed consent NOT recorded."
        ),
        "",
        "MUSCLES NEEDLED",
    ]
    if not visit.muscles:
        lines.append("  None (screened, not needled)." if status != "draft" else "  None yet.")
    for m in visit.muscles:
        muscle = muscles.BY_ID.get(m.muscle_id)
        name = muscle.name if muscle else m.muscle_id
        details = [
            f"needles in {m.needles_in} / out {m.needles_out}",
            m.technique.value,
            f"twitch: {m.twitch.value}",
        ]
        if m.needle:
            details.append(f"needle {m.needle}")
        if m.depth_mm is not None:
            details.append(f"depth {m.depth_mm} mm")
        if m.estim:
            details.append("electrical stimulation")
        level = f" at {m.level.strip()}" if m.level.strip() else ""
        if not level and muscle is not None and muscle.spinal_level:
            level = " (spinal level not recorded)"
        lines.append(f"  - {name}{level} ({_SIDES[m.side.value]}): " + ", ".join(details))
    lines += [
        f"  Needles in: {visit.needles_in}; needles out: {visit.needles_out}.",
        f"  {NO_INJECTION}",
        "",
        "ADVERSE EVENTS (Physiotherapy Alberta scale)",
    ]
    lines += [f"  - {describe(e)}" for e in visit.adverse_events] or ["  None recorded."]
    lines += [
        "",
        "PATIENT RESPONSE",
        f"  Local twitch response: {_twitch_summary(visit)}.",
        f"  Tolerance and response: {visit.tolerance.strip() or 'not recorded'}.",
        "",
        *outcome_lines(visit.assessment, visit.outcome),
        "",
        "BILLING",
        f"  {billing.code or 'No code'}: {billing.label}; units {billing.units}; "
        f"modifiers {' '.join(billing.modifiers) or 'none'}; "
        f"charge {('$' + format(billing.charge, '.2f')) if billing.charge is not None else '-'}",
        f"  Muscle count {billing.muscle_count}: {billing.counting}",
    ]
    for w in billing.warnings:
        lines.append(f"  [{w.level}] {w.text}")
    lines += ["", "INSTRUCTIONS GIVEN"]
    text = instructions.strip() or visit.instructions.strip()
    lines += [f"  {line}" if line else "" for line in text.splitlines()] or ["  None recorded."]
    if visit.practitioner_lines.strip():
        lines += ["", "PRACTITIONER'S NOTES"]
        lines += [f"  {line}" for line in visit.practitioner_lines.strip().splitlines()]
    lines.append("")
    lines.append(f"SIGNED: {signed}" if signed else "NOT SIGNED (draft)")
    for a in addenda:
        lines += [
            "",
            f"ADDENDUM ({a.kind}) {a.when} by {a.author}",
            f"  Reason: {a.reason or '-'}",
        ]
        lines += [f"  {line}" for line in a.text.splitlines()]
    return "\n".join(lines) + "\n"


def _twitch_summary(visit: VisitDraft) -> str:
    seen = [m for m in visit.muscles if m.twitch != Twitch.NOT_RECORDED]
    if not seen:
        return "not recorded"
    yes = sum(1 for m in seen if m.twitch == Twitch.YES)
    return f"elicited in {yes} of {len(seen)} muscle(s) recorded"
