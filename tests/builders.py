"""The one builder of drafts and signed records for every test module.

Import by name (the tests folder is not a package): ``from builders import ...``.
``signed_record`` signs through the domain's ``sign_visit``, as the app does;
``record_of`` builds a record with chosen billing values, for tests that need
particular stored figures (exports, day sheet).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal

from dntui.clinic_files import load_fee_schedule
from dntui.domain import instructions, screening
from dntui.domain.fees import FeeSchedule
from dntui.domain.record import BillingRecord, RecordedWarning, SignedRecord, sign_visit
from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    Technique,
    Twitch,
    VisitDraft,
)

SIGNED_AT = datetime(2026, 3, 16, 17, 0, tzinfo=UTC)


def fixed_clock(at: datetime = SIGNED_AT):  # type: ignore[no-untyped-def]
    return lambda: at


def practitioner_info(p: object) -> PractitionerInfo:
    """A ``PractitionerInfo`` from a stored practitioner (or anything with its fields)."""
    return PractitionerInfo(
        id=getattr(p, "id", None),
        name=getattr(p, "name", ""),
        credentials=getattr(p, "credentials", ""),
        acupuncture_licensed=bool(getattr(p, "acupuncture_licensed", False)),
        dn_training_hours=getattr(p, "dn_training_hours", getattr(p, "dn_cert_hours", None)),
    )


def patient_info(p: object | None) -> PatientInfo:
    if p is None:
        return PatientInfo()
    return PatientInfo(
        id=getattr(p, "id", None),
        name=getattr(p, "name", ""),
        date_of_birth=getattr(p, "date_of_birth", None),
        chart_no=getattr(p, "chart_no", ""),
    )


def screened(answer: Answer = Answer.NO) -> dict[str, ScreeningAnswer]:
    """Every screening item answered ``answer``."""
    return {item.id: ScreeningAnswer(answer) for item in screening.ITEMS}


def plain_draft(
    practitioner: object,
    patient: object | None,
    *,
    day: date = date(2026, 3, 16),
    payer: str = "self-pay",
    dx: Iterable[str] = (),
    muscles: Iterable[MuscleEntry] = (),
    **fields: object,
) -> VisitDraft:
    """A draft with only what is given (no screening, no consent): for lists and exports."""
    return VisitDraft(
        visit_date=day,
        practitioner=practitioner_info(practitioner),
        patient=patient_info(patient),
        payer=payer,
        diagnosis_codes=list(dx),
        muscles=list(muscles),
        **fields,  # type: ignore[arg-type]
    )


def ready_draft(
    practitioner: object,
    patient: object | None,
    *,
    day: date = date(2026, 3, 16),
    payer: str = "commercial",
    dx: Iterable[str] = ("M79.12",),
    muscles: Iterable[MuscleEntry] = (MuscleEntry("gastrocnemius", Side.LEFT, 2, 2),),
    abn_on_file: bool = False,
    with_handout: bool = True,
    consent_version: str = "v1",
) -> VisitDraft:
    """A draft that can be signed: every item screened No, consent, needles accounted for."""
    draft = VisitDraft(
        visit_date=day,
        practitioner=practitioner_info(practitioner),
        patient=patient_info(patient),
        payer=payer,
        diagnosis_codes=list(dx),
        abn_on_file=abn_on_file,
        screening=screened(),
        consent=Consent(True, "written", consent_version, f"{day}T09:00:00Z"),
        muscles=list(muscles),
    )
    if with_handout:
        draft.instructions = instructions.render_text(draft)
    return draft


def draft_for(
    practitioner: object, patient: object | None, *, day: date | None = None
) -> VisitDraft:
    """A complete draft with two muscles, a precaution, consent and codes (store tests)."""
    return VisitDraft(
        visit_date=day or date(2026, 1, 5),
        practitioner=practitioner_info(practitioner),
        patient=patient_info(patient),
        payer="medicare",
        diagnosis_codes=["M79.11", "M62.838"],
        abn_on_file=True,
        other_codes=["97140"],
        screening={
            "anticoagulants": ScreeningAnswer(Answer.NO),
            "pregnancy": ScreeningAnswer(Answer.YES, note="12 weeks", acknowledged=True),
        },
        consent=Consent(
            given=True, method="verbal", text_version="v1", at="2026-01-05T10:00:00+00:00"
        ),
        muscles=[
            MuscleEntry("upper_trapezius", Side.BILATERAL, 4, 4, Technique.PISTONING, Twitch.YES),
            MuscleEntry(
                "infraspinatus",
                Side.LEFT,
                2,
                2,
                Technique.STATIC,
                Twitch.NO,
                depth_mm=25,
                needle="0.25 x 40 mm",
                estim=True,
            ),
        ],
        instructions="Drink water; expect soreness for 24-48 h.",
        practitioner_lines="Tolerated well.",
        step="review",
    )


def signed_record(
    draft: VisitDraft,
    schedule: FeeSchedule | None = None,
    *,
    signer: object | None = None,
    at: datetime = SIGNED_AT,
) -> SignedRecord:
    """``draft`` signed through the domain's one signing function."""
    who = practitioner_info(signer) if signer is not None else draft.practitioner
    return sign_visit(draft, schedule or load_fee_schedule(None), who, fixed_clock(at))


def record_of(
    draft: VisitDraft,
    *,
    code: str = "",
    muscle_count: int = 0,
    charge: str = "",
    modifiers: Iterable[str] = (),
    warnings: Iterable[str] = (),
    payer_name: str = "",
    counting: str = "",
    label: str = "",
    units: int | None = None,
    note_text: str = "n",
    at: datetime = SIGNED_AT,
) -> SignedRecord:
    """A signed record with the billing figures given (not worked out from the draft)."""
    billing = BillingRecord(
        code=code or None,
        label=label,
        muscle_count=muscle_count,
        counting=counting,
        units=units if units is not None else (1 if code else 0),
        modifiers=tuple(modifiers),
        charge=Decimal(charge) if charge else None,
        payer_key=draft.payer,
        payer_name=payer_name,
        warnings=tuple(RecordedWarning("warn", w) for w in warnings),
    )
    return SignedRecord(
        draft=draft,
        code=code,
        muscle_count=muscle_count,
        charge=charge,
        billing=billing,
        note_text=note_text,
        signed_at=at,
        signer_id=draft.practitioner.id,
    )
