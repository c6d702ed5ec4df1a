"""The hash-chained audit trail: every operation is recorded; tampering is detected."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from store_support import PIN, Clinic

from dntui.store import audit
from dntui.store.models import AuditEvent
from dntui.store.repo import Store

RawSQL = Callable[..., list[tuple[Any, ...]]]


def trail(store: Store) -> list[tuple[str, int | None, int | None]]:
    return [(e.action, e.actor_id, e.visit_id) for e in store.audit_trail()]


def test_every_operation_is_audited(clinic: Clinic) -> None:
    store, pt = clinic.store, clinic.pt
    other = store.add_practitioner("Sam Lee", "DC")
    draft = clinic.saved_draft()
    vid = draft.visit_id
    draft.payer = "self-pay"
    draft.muscles.pop()
    store.save_draft(draft, actor=other)
    assert store.check_signer(pt.id, "0000", visit_id=vid) is False
    assert store.check_signer(pt.id, PIN, visit_id=vid) is True
    store.record_refused_sign(vid, actor=pt, reasons=["no consent", "screening unanswered"])
    clinic.sign(draft)
    late = store.add_addendum(vid, author=pt, text="Late entry.", reason="late", kind="late-entry")  # type: ignore[arg-type]
    store.log_event("visit.export", actor=pt, visit_id=vid, detail="pdf")
    store.void(vid, actor=pt, reason="duplicate")  # type: ignore[arg-type]
    assert trail(store) == [
        ("practitioner.create", pt.id, None),
        ("patient.create", pt.id, None),
        ("practitioner.create", other.id, None),
        ("visit.create", pt.id, vid),
        ("visit.update", other.id, vid),
        ("pin.fail", pt.id, vid),
        ("pin.ok", pt.id, vid),
        ("visit.sign-refused", pt.id, vid),
        ("visit.sign", pt.id, vid),
        ("visit.addendum", pt.id, vid),
        ("visit.export", pt.id, vid),
        ("visit.void", pt.id, vid),
    ]
    events = {e.action: e for e in store.audit_trail()}
    assert events["visit.update"].actor == "Sam Lee"
    assert events["visit.update"].detail == "muscles,payer"
    from dntui.store.repo import _content_hash

    signed_content = _content_hash(store.load(vid).visit)
    assert events["visit.sign"].detail == f"code=20561 muscles=3 content={signed_content}"
    assert events["visit.sign-refused"].detail == "no consent; screening unanswered"
    # the kind, the row and a digest of what it says (schema 0006), computed by the
    # database's own function on PostgreSQL and by dntui's code on SQLite
    assert events["visit.addendum"].detail == audit.addendum_detail(
        late.id, vid, pt.id, "late-entry", "late", "Late entry."
    )
    assert events["visit.addendum"].detail.startswith("late-entry addendum ")
    assert events["patient.create"].detail == clinic.patient.chart_no
    assert store.audit_trail(visit_id=vid)[0].action == "visit.create"
    assert [e.seq for e in store.audit_trail()] == list(range(1, 13))
    for e in store.audit_trail():
        assert e.at.tzinfo is not None
        assert "Jane" not in e.detail and "Doe" not in e.detail, "no patient names in the audit"
        assert PIN not in e.detail
    check = store.verify_audit()
    assert check.ok and check.checked == 12, check.message()
    assert check.message() == "audit chain intact: 12 rows verified"


def test_an_unchanged_save_writes_no_update_row(clinic: Clinic) -> None:
    draft = clinic.saved_draft()
    clinic.store.save_draft(draft, actor=clinic.pt)
    assert [a for a, _, _ in trail(clinic.store)].count("visit.update") == 0
    draft.step = "muscles"  # navigation only: not a content change
    clinic.store.save_draft(draft, actor=clinic.pt)
    assert [a for a, _, _ in trail(clinic.store)].count("visit.update") == 0


def test_empty_trail_verifies(store: Store) -> None:
    check = store.verify_audit()
    assert check.ok and check.checked == 0


def test_verify_walks_more_than_one_batch(clinic: Clinic) -> None:
    for i in range(12):
        clinic.store.log_event("visit.print", actor=clinic.pt, detail=str(i))
    with clinic.store._read() as s:
        check = audit.verify_chain(s, clinic.store.audit_key, batch=5)
    assert check.ok and check.checked == 14


# ------------------------------------------------------------- tampering
def unlock_audit(db_url: str, raw_sql: RawSQL) -> None:
    """What someone with the database's owner account could do: remove the guards."""
    if db_url.startswith("sqlite"):
        raw_sql("DROP TRIGGER audit_append_only_update")
        raw_sql("DROP TRIGGER audit_append_only_delete")
    else:
        raw_sql("ALTER TABLE audit DISABLE TRIGGER ALL")


@pytest.fixture
def busy_clinic(clinic: Clinic) -> Clinic:
    """Five more audit rows (seven in all)."""
    for i in range(5):
        clinic.store.log_event("visit.print", actor=clinic.pt, detail=f"copy {i}")
    assert clinic.store.verify_audit().checked == 7
    return clinic


def test_edited_row_is_detected(db_url: str, busy_clinic: Clinic, raw_sql: RawSQL) -> None:
    unlock_audit(db_url, raw_sql)
    raw_sql("UPDATE audit SET detail = 'nothing to see' WHERE seq = 4")
    check = busy_clinic.store.verify_audit()
    assert not check.ok
    assert check.broken_at == 4
    assert "changed" in check.reason
    assert check.checked == 3
    assert "broken at row 4" in check.message()


def test_edited_time_is_detected(db_url: str, busy_clinic: Clinic, raw_sql: RawSQL) -> None:
    unlock_audit(db_url, raw_sql)
    at = busy_clinic.store.audit_trail()[2].at - timedelta(days=1)
    raw_sql("UPDATE audit SET at = :at WHERE seq = 3", {"at": at})
    check = busy_clinic.store.verify_audit()
    assert (check.ok, check.broken_at) == (False, 3)


def test_deleted_middle_row_is_detected(db_url: str, busy_clinic: Clinic, raw_sql: RawSQL) -> None:
    unlock_audit(db_url, raw_sql)
    raw_sql("DELETE FROM audit WHERE seq = 3")
    check = busy_clinic.store.verify_audit()
    assert not check.ok
    assert check.broken_at == 3
    assert "missing" in check.reason


def test_rehashed_edit_is_detected_at_the_row_itself(
    db_url: str, busy_clinic: Clinic, raw_sql: RawSQL
) -> None:
    """Recomputing the edited row's hash without the clinic key does not help (keyed chain)."""
    unlock_audit(db_url, raw_sql)
    ev = next(e for e in busy_clinic.store.audit_trail() if e.seq == 4)
    forged = AuditEvent(**{**ev.model_dump(), "detail": "forged"})
    raw_sql(
        "UPDATE audit SET detail = 'forged', hash = :h WHERE seq = 4",
        {"h": audit.row_hash(forged)},
    )
    check = busy_clinic.store.verify_audit()
    assert (check.ok, check.broken_at) == (False, 4)
    assert "changed" in check.reason


def test_renumbered_rows_after_a_delete_are_detected(
    db_url: str, busy_clinic: Clinic, raw_sql: RawSQL
) -> None:
    unlock_audit(db_url, raw_sql)
    raw_sql("DELETE FROM audit WHERE seq = 3")
    for seq in range(4, 8):
        raw_sql("UPDATE audit SET seq = :new WHERE seq = :old", {"new": seq - 1, "old": seq})
    check = busy_clinic.store.verify_audit()
    assert not check.ok and check.broken_at == 3


def test_row_hash_covers_every_field() -> None:
    base = AuditEvent(
        seq=1,
        at=datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=UTC),
        actor_id=1,
        actor="Alex Rivera",
        action="visit.sign",
        visit_id=7,
        detail="code=20561",
        prev_hash=audit.GENESIS,
    )
    h = audit.row_hash(base)
    changes: dict[str, Any] = {
        "seq": 2,
        "at": base.at + timedelta(microseconds=1),
        "actor_id": 2,
        "actor": "Alex Riviera",
        "action": "visit.void",
        "visit_id": 8,
        "detail": "code=20560",
        "prev_hash": "1" * 64,
    }
    for name, value in changes.items():
        other = AuditEvent(**{**base.model_dump(), name: value})
        assert audit.row_hash(other) != h, name
