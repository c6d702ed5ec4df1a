"""Helpers for store tests: a full draft, a clinic (store + practitioner + patient)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

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
from dntui.store.models import Patient, Practitioner, Visit
from dntui.store.repo import Store

PIN = "482193"


def draft_for(
    practitioner: Practitioner, patient: Patient | None, *, day: date | None = None
) -> VisitDraft:
    """A complete draft: two muscles, screening answers, consent, codes."""
    return VisitDraft(
        visit_date=day or date(2026, 1, 5),
        practitioner=PractitionerInfo(
            id=practitioner.id,
            name=practitioner.name,
            credentials=practitioner.credentials,
            acupuncture_licensed=practitioner.acupuncture_licensed,
        ),
        patient=PatientInfo(
            id=patient.id if patient else None,
            name=patient.name if patient else "",
            date_of_birth=patient.date_of_birth if patient else None,
            chart_no=patient.chart_no if patient else "",
        ),
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


@dataclass
class Clinic:
    """A store with one practitioner (PIN 482193) and one patient."""

    store: Store
    pt: Practitioner
    patient: Patient

    def draft(self, **kwargs: Any) -> VisitDraft:
        return draft_for(self.pt, self.patient, **kwargs)

    def saved_draft(self) -> VisitDraft:
        return self.store.save_draft(self.draft(), actor=self.pt)

    def sign(self, draft: VisitDraft | None = None) -> Visit:
        draft = draft if draft is not None else self.saved_draft()
        return self.store.sign(
            draft,
            signer=self.pt,
            code="20561",
            muscle_count=3,
            charge="65.00",
            billing={"units": 1, "code": "20561"},
            note_text="Dry needling to 3 muscles. Tolerated well.",
        )
