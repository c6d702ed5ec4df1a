"""The one signing function and the typed, versioned billing record."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from builders import SIGNED_AT, ready_draft, signed_record

from dntui.clinic_files import load_fee_schedule
from dntui.domain.record import (
    BILLING_SCHEMA,
    BillingRecord,
    RecordedWarning,
    SignBlockedError,
    content_hash,
    sign_visit,
)
from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side

DANA = PractitionerInfo(1, "Dana Reyes", "PT")
ADA = PatientInfo(7, "Ada Park", None, "C000007")


def test_sign_visit_gives_billing_note_and_hash() -> None:
    draft = ready_draft(DANA, ADA, payer="medicare", abn_on_file=True)
    rec = signed_record(draft)
    fee = load_fee_schedule(None).fees["20560"]  # the packaged reference fee for 20560
    assert (rec.code, rec.muscle_count, rec.charge) == ("20560", 1, str(fee))
    assert rec.billing.payer_name and rec.billing.counting
    assert rec.billing.warnings and all(
        isinstance(w, RecordedWarning) for w in rec.billing.warnings
    )
    assert rec.signed_at == SIGNED_AT
    assert "Dana Reyes, PT, 2026-03-16 17:00 UTC" in rec.note_text
    assert "Status: SIGNED" in rec.note_text
    assert rec.content_hash == content_hash(rec.draft_json, rec.billing_json, rec.note_text)


def test_content_hash_is_the_formula_the_store_has_always_used() -> None:
    body = json.dumps(['{"a": 1}', "{}", "Note é"], ensure_ascii=False)
    assert content_hash('{"a": 1}', "{}", "Note é") == hashlib.sha256(body.encode()).hexdigest()


def test_a_visit_that_cannot_be_signed_raises_with_its_blockers() -> None:
    draft = ready_draft(DANA, ADA, muscles=[MuscleEntry("gastrocnemius", Side.LEFT, 2, 1)])
    with pytest.raises(SignBlockedError) as info:
        sign_visit(draft, load_fee_schedule(None), DANA, lambda: SIGNED_AT)
    assert any("Needles in (2) and out (1)" in b for b in info.value.blockers)


def test_only_the_visits_practitioner_can_sign_it() -> None:
    draft = ready_draft(DANA, ADA)
    sam = PractitionerInfo(2, "Sam Okafor", "DC")
    with pytest.raises(SignBlockedError) as info:
        sign_visit(draft, load_fee_schedule(None), sam, lambda: SIGNED_AT)
    assert "Dana Reyes's" in info.value.blockers[0]


def test_billing_record_round_trips_with_its_schema_key() -> None:
    rec = signed_record(ready_draft(DANA, ADA, payer="medicare", abn_on_file=True)).billing
    data = json.loads(rec.to_json())
    assert data["schema"] == BILLING_SCHEMA
    assert BillingRecord.from_json(rec.to_json()) == rec


def test_billing_record_reads_the_unversioned_rows_of_release_one() -> None:
    old = json.dumps(
        {
            "code": "20561",
            "label": "Dry needling, 3+ muscles",
            "muscle_count": 3,
            "counting": "3 counted",
            "counted": ["a", "b", "c"],
            "units": 1,
            "modifiers": ["GP", "GX"],
            "charge": "38.32",
            "payer": "Medicare",
            "warnings": ["ABN on file"],
        }
    )
    rec = BillingRecord.from_json(old, code="20561", payer_key="medicare")
    assert rec.payer_name == "Medicare" and rec.payer_key == "medicare"
    assert rec.charge == Decimal("38.32") and rec.units == 1
    assert rec.warnings == (RecordedWarning("warn", "ABN on file"),)
    # The first demo rows held only a code and modifiers; units follow the code.
    bare = BillingRecord.from_json('{"code": "20560", "modifiers": ["GP"]}')
    assert (bare.units, bare.modifiers, bare.payer_name) == (1, ("GP",), "")
    assert BillingRecord.from_json("not json", code="").units == 0


def test_the_clock_is_injected() -> None:
    at = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)
    rec = sign_visit(ready_draft(DANA, ADA), load_fee_schedule(None), DANA, lambda: at)
    assert rec.signed_at == at and "2030-01-02 03:04 UTC" in rec.note_text


def test_the_signed_note_holds_every_screening_question_in_full() -> None:
    """Every item's whole question is in the signed note with its answer, the pregnancy
    trimester with it, and the patient's tolerance and response (issue 11)."""
    from dntui.domain.screening import ITEMS
    from dntui.domain.visit import Answer, ScreeningAnswer

    draft = ready_draft(DANA, ADA)
    draft.screening["pregnancy"] = ScreeningAnswer(Answer.YES, "24 weeks", True)
    draft.pregnancy_trimester = 2
    draft.tolerance = "tolerated well, less pain on rotation"
    note = signed_record(draft).note_text
    for item in ITEMS:
        word = "YES [precaution]" if item.id == "pregnancy" else "no:"
        assert f"{word} {item.question}" in note, item.id
    assert "Trimester: 2." in note
    assert "Tolerance and response: tolerated well, less pain on rotation." in note
    assert f"{len(ITEMS)} of {len(ITEMS)} items answered" in note
