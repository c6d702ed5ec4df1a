"""Helpers for store tests: a full draft, a clinic (store + practitioner + patient)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builders import draft_for, record_of

from dntui.domain.visit import (
    VisitDraft,
)
from dntui.store.models import Patient, Practitioner, Visit
from dntui.store.repo import Store

PIN = "482193"


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
            record_of(
                draft,
                code="20561",
                muscle_count=3,
                charge="65.00",
                note_text="Dry needling to 3 muscles. Tolerated well.",
            ),
            signer=self.pt,
        )
