"""What must be true before a practitioner may sign a visit.

Signing checks consent, screening and the needle count (the domain notes (docs/sources.md)
sections 2-3; a forgotten needle is a known adverse event [31]). A visit blocked
by an absolute contraindication can still be signed as screened, not needled,
provided no muscle was needled.
"""

from __future__ import annotations

from collections.abc import Iterable

from dntui.domain import muscles
from dntui.domain.safety import SafetyWarning
from dntui.domain.screening import ITEMS_BY_ID, ScreeningResult, ScreeningStatus
from dntui.domain.visit import VisitDraft


def sign_blockers(
    visit: VisitDraft, screening: ScreeningResult, safety: Iterable[SafetyWarning] = ()
) -> list[str]:
    """Reasons the visit cannot be signed yet; empty when it can."""
    out: list[str] = []
    if visit.patient.id is None:
        out.append("Choose or add the patient (step 1)")
    if visit.practitioner.id is None:
        out.append("No practitioner: choose who is signing")
    if screening.consent_missing:
        out.append("Informed consent is not recorded (step 2, key c)")
    if screening.status == ScreeningStatus.INCOMPLETE:
        out.append(f"Screening has {len(screening.unanswered)} unanswered item(s) (step 2)")
    for item_id in screening.outstanding:
        out.append(f"Precaution needs acknowledgement and a note: {ITEMS_BY_ID[item_id].question}")
    needled = [m for m in visit.muscles if m.needles_in > 0]
    if screening.status == ScreeningStatus.BLOCKED and needled:
        reasons = "; ".join(screening.blocked_reasons)
        out.append(
            f"Needling is blocked ({reasons}): remove the muscles to sign as screened, not needled"
        )
    for muscle_id, reason in screening.blocked_muscles:
        out.append(f"{muscle_id} cannot be needled for this patient: {reason}")
    if visit.needles_in != visit.needles_out:
        out.append(
            f"Needles in ({visit.needles_in}) and out ({visit.needles_out}) differ: "
            "account for every needle"
        )
    else:
        for m in visit.muscles:
            if m.needles_in != m.needles_out:
                out.append(
                    f"{muscles.BY_ID[m.muscle_id].name if m.muscle_id in muscles.BY_ID else m.muscle_id}"
                    f" ({m.side.value}): needles in {m.needles_in}, out {m.needles_out}: "
                    "account for the needles of each muscle"
                )
    thoracic = any(
        m.needles_in > 0
        and m.muscle_id in muscles.BY_ID
        and muscles.BY_ID[m.muscle_id].has_lung_risk
        for m in visit.muscles
    )
    if thoracic and visit.instructions.strip() and "emergency" not in visit.instructions.lower():
        out.append(
            "The edited handout lacks the pneumothorax warning signs for thoracic needling "
            "(step 4: ctrl+r regenerates it)"
        )
    for w in safety:
        if w.level == "stop" and "Needles in" not in w.text and w.text not in out:
            out.append(w.text)
    return out
