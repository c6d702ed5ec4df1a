"""Drafts (versions, conflicts, round trip), signing PINs, patients."""

from __future__ import annotations

import re
import threading
import time
from datetime import date, timedelta

import pytest
from store_support import PIN, Clinic

from dntui.domain.visit import PatientInfo, PractitionerInfo, VisitDraft
from dntui.store import repo
from dntui.store.errors import ConflictError, LockedError, NotFoundError
from dntui.store.models import Patient, VisitStatus
from dntui.store.repo import PIN_LOCKOUT_FAILURES, Store


# ------------------------------------------------------------------ drafts
def test_save_inserts_then_updates_with_a_new_version(clinic: Clinic) -> None:
    draft = clinic.draft()
    assert draft.visit_id is None
    saved = clinic.store.save_draft(draft, actor=clinic.pt)
    assert saved is draft
    assert draft.visit_id is not None and draft.version == 1
    draft.payer = "self-pay"
    clinic.store.save_draft(draft, actor=clinic.pt)
    assert draft.version == 2
    rec = clinic.store.load(draft.visit_id)
    assert rec.visit.version == 2
    assert rec.visit.payer == "self-pay"
    assert rec.visit.status == VisitStatus.DRAFT
    assert rec.draft.version == 2


def test_load_round_trips_the_whole_draft(clinic: Clinic) -> None:
    draft = clinic.saved_draft()
    rec = clinic.store.load(draft.visit_id)  # type: ignore[arg-type]
    assert rec.draft.to_dict() == draft.to_dict()
    assert rec.draft.muscles == draft.muscles
    assert rec.draft.screening == draft.screening
    assert rec.draft.consent == draft.consent
    assert rec.patient is not None and rec.patient.id == clinic.patient.id
    assert rec.practitioner.id == clinic.pt.id
    # and again after an update
    draft.muscles[1].depth_mm = 30
    draft.screening["pregnancy"].note = "14 weeks"
    draft.consent.method = "written"
    clinic.store.save_draft(draft, actor=clinic.pt)
    assert clinic.store.load(draft.visit_id).draft.to_dict() == draft.to_dict()  # type: ignore[arg-type]


def test_draft_without_a_patient_yet(clinic: Clinic) -> None:
    draft = VisitDraft(
        visit_date=date(2026, 1, 6),
        practitioner=PractitionerInfo(id=clinic.pt.id, name=clinic.pt.name),
        patient=PatientInfo(name="José Müller-Łukasz"),
    )
    clinic.store.save_draft(draft, actor=clinic.pt)
    rec = clinic.store.load(draft.visit_id)  # type: ignore[arg-type]
    assert rec.patient is None
    assert rec.draft.patient.name == "José Müller-Łukasz"
    rows = clinic.store.visit_rows()
    assert rows[0].patient_name == "(no patient yet)"


def test_stale_draft_raises_conflict(clinic: Clinic) -> None:
    """Two people open the same draft; the second save must not overwrite the first."""
    vid = clinic.saved_draft().visit_id
    assert vid is not None
    first = clinic.store.load(vid).draft
    second = clinic.store.load(vid).draft
    first.payer = "self-pay"
    clinic.store.save_draft(first, actor=clinic.pt)
    second.instructions = "overwrite"
    with pytest.raises(ConflictError, match="changed elsewhere"):
        clinic.store.save_draft(second, actor=clinic.pt)
    with pytest.raises(ConflictError):
        clinic.sign(second)
    rec = clinic.store.load(vid)
    assert rec.draft.payer == "self-pay"
    assert rec.draft.instructions != "overwrite"
    assert rec.visit.version == 2


def test_save_needs_a_practitioner_and_an_existing_visit(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="practitioner"):
        clinic.store.save_draft(VisitDraft(visit_date=date(2026, 1, 5)), actor=clinic.pt)
    ghost = clinic.draft()
    ghost.visit_id, ghost.version = 9999, 1
    with pytest.raises(NotFoundError):
        clinic.store.save_draft(ghost, actor=clinic.pt)
    with pytest.raises(NotFoundError):
        clinic.store.load(9999)


def test_visit_rows_list_and_filter(clinic: Clinic) -> None:
    d1 = clinic.store.save_draft(clinic.draft(day=date(2026, 1, 5)), actor=clinic.pt)
    d2 = clinic.store.save_draft(clinic.draft(day=date(2026, 1, 7)), actor=clinic.pt)
    clinic.sign(d1)
    clinic.store.add_addendum(d1.visit_id, author=clinic.pt, text="Addendum.", reason="r")  # type: ignore[arg-type]
    rows = clinic.store.visit_rows()
    assert [r.id for r in rows] == [d2.visit_id, d1.visit_id]  # newest first
    signed_row = rows[1]
    assert (signed_row.status, signed_row.code, signed_row.addenda) == ("signed", "20561", 1)
    assert signed_row.patient_name == "Jane Doe"
    assert signed_row.chart_no == clinic.patient.chart_no
    assert signed_row.practitioner_name == "Alex Rivera"
    assert [r.id for r in clinic.store.visit_rows(status="draft")] == [d2.visit_id]
    assert [r.id for r in clinic.store.visit_rows(day=date(2026, 1, 5))] == [d1.visit_id]
    assert clinic.store.visit_rows(practitioner_id=clinic.pt.id + 100) == []
    assert [r.id for r in clinic.store.visit_rows(limit=1, offset=1)] == [d1.visit_id]


# --------------------------------------------------------------------- PIN
def stored_pin_hash(store: Store, practitioner_id: int | None) -> str:
    """Read as the owner: practitioners cannot (tests/security)."""
    from sqlmodel import Session

    from dntui.store.models import PractitionerSecret

    with Session(store.engine) as s:
        sec = s.get(PractitionerSecret, practitioner_id)
        return sec.pin_hash if sec else ""


def test_pin_is_stored_only_as_a_salted_hash(clinic: Clinic) -> None:
    stored = stored_pin_hash(clinic.store, clinic.pt.id)
    assert stored.startswith("scrypt$")
    assert PIN not in stored
    assert not hasattr(clinic.store.practitioner(clinic.pt.id), "pin_hash")
    other = clinic.store.add_practitioner("Sam Lee", "DC", pin=PIN)
    assert stored_pin_hash(clinic.store, other.id) != stored, "same PIN, different salt"
    with pytest.raises(ValueError, match="at least 6"):
        clinic.store.add_practitioner("Kim Park", "PT", pin="1234")


def test_wrong_pin_is_refused_and_audited(clinic: Clinic) -> None:
    assert clinic.store.check_signer(clinic.pt.id, "1234", visit_id=None) is False
    last = clinic.store.audit_trail()[-1]
    assert (last.action, last.actor_id) == ("pin.fail", clinic.pt.id)
    assert clinic.store.check_signer(clinic.pt.id, PIN) is True
    assert clinic.store.audit_trail()[-1].action == "pin.ok"


def test_five_wrong_pins_lock_signing(clinic: Clinic) -> None:
    store, pt = clinic.store, clinic.pt
    for _ in range(PIN_LOCKOUT_FAILURES):
        assert store.check_signer(pt.id, "9999") is False
    assert store.pin_locked_until(pt.id) is not None
    with pytest.raises(LockedError, match="locked"):
        store.check_signer(pt.id, PIN)  # even the right PIN
    # another practitioner is not affected
    other = store.add_practitioner("Sam Lee", "DC", pin="777777")
    assert store.check_signer(other.id, "777777") is True


def test_pin_lockout_ends_after_a_while(clinic: Clinic, monkeypatch: pytest.MonkeyPatch) -> None:
    store, pt = clinic.store, clinic.pt
    monkeypatch.setattr(repo, "PIN_LOCKOUT", timedelta(seconds=1))
    for _ in range(PIN_LOCKOUT_FAILURES):
        store.check_signer(pt.id, "9999")
    assert store.pin_locked_until(pt.id) is not None
    # The database's clock decides, on both engines: wait for the lockout to end.
    deadline = time.monotonic() + 30
    while store.pin_locked_until(pt.id) is not None:
        assert time.monotonic() < deadline, "the one-second lockout never ended"
        threading.Event().wait(0.05)
    assert store.check_signer(pt.id, PIN) is True


def test_right_pin_before_the_fifth_resets_the_count(clinic: Clinic) -> None:
    store, pt = clinic.store, clinic.pt
    for _ in range(PIN_LOCKOUT_FAILURES - 1):
        assert store.check_signer(pt.id, "9999") is False
    assert store.check_signer(pt.id, PIN) is True
    for _ in range(PIN_LOCKOUT_FAILURES - 1):
        assert store.check_signer(pt.id, "9999") is False
    assert store.check_signer(pt.id, PIN) is True  # not locked


def test_no_pin_set_never_signs(store: Store) -> None:
    pt = store.add_practitioner("Kim Park", "PT")
    assert store.check_signer(pt.id, "0000") is False
    with pytest.raises(ValueError, match="at least 6"):
        store.set_pin(pt.id, "2468")
    store.set_pin(pt.id, "246813")
    assert store.check_signer(pt.id, "246813") is True
    assert "practitioner.pin-set" in [e.action for e in store.audit_trail()]


# ---------------------------------------------------------------- patients
@pytest.fixture
def patients(clinic: Clinic) -> Clinic:
    s, pt = clinic.store, clinic.pt
    s.add_patient("John Smith", date(1975, 6, 1), actor=pt)
    s.add_patient("Mary Jane Watson", date(1990, 12, 24), actor=pt)
    s.add_patient("José Müller", None, actor=pt, chart_no="EXT-77")
    s.add_patient("Doe, Richard", date(1980, 2, 3), actor=pt)
    return clinic


def names(found: list[Patient]) -> list[str]:
    return sorted(p.name for p in found)


def test_search_by_name_prefix_and_second_word(patients: Clinic) -> None:
    s = patients.store
    assert names(s.search_patients("jo")) == ["John Smith", "José Müller"]
    assert names(s.search_patients("Ja")) == ["Jane Doe", "Mary Jane Watson"]
    assert names(s.search_patients("smi")) == ["John Smith"]
    assert names(s.search_patients("doe")) == ["Doe, Richard", "Jane Doe"]
    assert names(s.search_patients("mü")) == ["José Müller"]
    assert names(s.search_patients("jane doe")) == ["Jane Doe"]
    assert s.search_patients("xyz") == []
    assert len(s.search_patients("")) == 5
    assert len(s.search_patients("", limit=2)) == 2


def test_search_by_chart_number_and_birth_date(patients: Clinic) -> None:
    s = patients.store
    assert names(s.search_patients("ext-7")) == ["José Müller"]
    assert names(s.search_patients(patients.patient.chart_no)) == ["Jane Doe"]
    assert names(s.search_patients("1980-02-03")) == ["Doe, Richard", "Jane Doe"]
    assert names(s.search_patients("1975-06-01")) == ["John Smith"]


def test_search_treats_wildcards_literally(patients: Clinic) -> None:
    s = patients.store
    assert s.search_patients("%") == []
    assert s.search_patients("_") == []
    assert s.search_patients("j_hn") == []
    odd = s.add_patient("Anne 100% Sure", None, actor=patients.pt)
    assert [p.id for p in s.search_patients("100%")] == [odd.id]


def test_chart_numbers_are_assigned_unique(clinic: Clinic) -> None:
    s, pt = clinic.store, clinic.pt
    charts = [clinic.patient.chart_no]
    charts += [s.add_patient(f"Patient {i}", None, actor=pt).chart_no for i in range(5)]
    assert len(set(charts)) == 6
    assert all(re.fullmatch(r"C\d{6}", c) for c in charts), charts
    assert s.patient(clinic.patient.id).chart_no == charts[0]


def test_duplicate_explicit_chart_number_is_refused(clinic: Clinic) -> None:
    s, pt = clinic.store, clinic.pt
    s.add_patient("John Smith", None, actor=pt, chart_no="A-17")
    with pytest.raises(ValueError, match="A-17"):
        s.add_patient("Jim Smith", None, actor=pt, chart_no="A-17")
    assert names(s.search_patients("smith")) == ["John Smith"]
    s.add_patient("Jim Smith", None, actor=pt, chart_no="A-18")  # the store is still usable


def test_explicit_chart_number_that_looks_automatic(clinic: Clinic) -> None:
    """Someone types C000003 by hand; patient 3 must still get its own number."""
    s, pt = clinic.store, clinic.pt
    manual = s.add_patient("Manual Entry", None, actor=pt, chart_no="C000003")
    assert manual.id == 2
    auto = s.add_patient("Auto Entry", None, actor=pt)
    assert auto.id == 3
    assert auto.chart_no != "C000003"
    assert len({p.chart_no for p in s.search_patients("")}) == 3


def test_patient_needs_a_name(clinic: Clinic) -> None:
    with pytest.raises(ValueError, match="name"):
        clinic.store.add_patient("   ", None, actor=clinic.pt)
    with pytest.raises(NotFoundError):
        clinic.store.patient(999)


def test_practitioners_listing_and_lookup(clinic: Clinic) -> None:
    s = clinic.store
    s.add_practitioner("  Bea   Adams ", "DC", acupuncture_licensed=True)
    assert [p.name for p in s.practitioners()] == ["Alex Rivera", "Bea Adams"]
    found = s.find_practitioner("bea adams")
    assert found is not None and found.acupuncture_licensed
    assert s.find_practitioner("nobody") is None
    with pytest.raises(NotFoundError):
        s.practitioner(999)
    with pytest.raises(ValueError):
        s.add_practitioner(" ", "PT")
