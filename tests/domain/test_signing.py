"""What must hold before a visit can be signed."""

from __future__ import annotations

from datetime import date

from dntui.domain import instructions, safety, screening
from dntui.domain.signing import sign_blockers
from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    VisitDraft,
)


def ready(*entries: MuscleEntry) -> VisitDraft:
    return VisitDraft(
        visit_date=date(2026, 3, 16),
        practitioner=PractitionerInfo(1, "Dana Reyes", "PT"),
        patient=PatientInfo(1, "Ada Park"),
        screening={i.id: ScreeningAnswer(Answer.NO) for i in screening.ITEMS},
        consent=Consent(True, "written", "v1", "2026-03-16T09:00:00Z"),
        muscles=list(entries),
    )


def blockers(v: VisitDraft) -> list[str]:
    result = screening.evaluate(v.screening, v.consent, [m.muscle_id for m in v.muscles])
    return sign_blockers(v, result, safety.safety_warnings(v))


def test_a_complete_visit_can_be_signed() -> None:
    assert blockers(ready(MuscleEntry("gastrocnemius", Side.LEFT, 2, 2))) == []


def test_each_muscle_must_account_for_its_needles_even_when_totals_match() -> None:
    v = ready(
        MuscleEntry("gastrocnemius", Side.LEFT, 2, 1),
        MuscleEntry("soleus", Side.LEFT, 1, 2),
    )
    found = blockers(v)
    assert any("Gastrocnemius (L): needles in 2, out 1" in b for b in found)


def test_consent_and_patient_are_required() -> None:
    v = ready(MuscleEntry("gastrocnemius", Side.LEFT, 1, 1))
    v.consent = Consent()
    v.patient = PatientInfo()
    found = " | ".join(blockers(v))
    assert "consent" in found and "patient" in found


def test_an_edited_handout_must_keep_the_pneumothorax_warning() -> None:
    v = ready(MuscleEntry("upper-trapezius", Side.LEFT, 1, 1))
    v.instructions = "Drink water and rest."
    assert any("pneumothorax warning" in b for b in blockers(v))
    v.instructions = instructions.render_text(v)  # regenerated: it has the warning
    assert blockers(v) == []
    calf = ready(MuscleEntry("gastrocnemius", Side.LEFT, 1, 1))
    calf.instructions = "Drink water and rest."
    assert blockers(calf) == []  # no thoracic needling, no such warning needed


def test_blocked_visit_can_be_signed_only_without_needling() -> None:
    v = ready(MuscleEntry("gastrocnemius", Side.LEFT, 1, 1))
    v.screening["needle-phobia"] = ScreeningAnswer(Answer.YES)
    assert any("Needling is blocked" in b for b in blockers(v))
    v.muscles = []
    assert blockers(v) == []
