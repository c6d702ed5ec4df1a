"""Signed means locked: through the Store API and against raw SQL (database triggers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from store_support import Clinic

from dntui.store.errors import LockedError
from dntui.store.models import Visit, VisitStatus

RawSQL = Callable[..., list[tuple[Any, ...]]]
LOCKED = r"signed visit is locked"
NEVER_DELETED = r"visits are never deleted"
APPEND_ONLY = r"append-only"


def visit_row(raw_sql: RawSQL, visit_id: int) -> tuple[Any, ...]:
    return raw_sql(
        "SELECT status, code, draft_json, note_text, billing_json, charge, muscle_count, "
        "version, signed_at, signed_by FROM visit WHERE id = :id",
        {"id": visit_id},
    )[0]


def child_rows(raw_sql: RawSQL, visit_id: int) -> tuple[list[Any], list[Any]]:
    muscles = raw_sql(
        "SELECT position, muscle_id, side, needles_in FROM visit_muscle "
        "WHERE visit_id = :id ORDER BY position",
        {"id": visit_id},
    )
    answers = raw_sql(
        "SELECT item_id, answer, note FROM screening_answer WHERE visit_id = :id ORDER BY item_id",
        {"id": visit_id},
    )
    return muscles, answers


# ------------------------------------------------------------ Store API
def test_signing_writes_rows_and_freezes_the_visit(clinic: Clinic, raw_sql: RawSQL) -> None:
    draft = clinic.saved_draft()
    v = clinic.sign(draft)
    assert v.status == VisitStatus.SIGNED
    muscles, answers = child_rows(raw_sql, v.id)
    assert [m[1] for m in muscles] == ["upper_trapezius", "infraspinatus"]
    assert [(a[0], a[1], a[2]) for a in answers] == [
        ("anticoagulants", "no", ""),
        ("pregnancy", "yes", "12 weeks"),
    ]
    rec = clinic.store.load(v.id)
    assert rec.visit.status == VisitStatus.SIGNED
    assert rec.visit.signed_by == clinic.pt.id
    assert rec.visit.code == "20561"
    assert rec.visit.note_text.startswith("Dry needling")
    assert rec.draft.to_dict()["muscles"] == draft.to_dict()["muscles"]


def test_signed_visit_refuses_edits_and_a_second_signature(clinic: Clinic) -> None:
    draft = clinic.saved_draft()
    clinic.sign(draft)
    draft.payer = "self-pay"
    with pytest.raises(LockedError):
        clinic.store.save_draft(draft, actor=clinic.pt)
    with pytest.raises(LockedError):
        clinic.sign(draft)
    reloaded = clinic.store.load(draft.visit_id)  # type: ignore[arg-type]
    with pytest.raises(LockedError):
        clinic.store.save_draft(reloaded.draft, actor=clinic.pt)
    assert reloaded.draft.payer == "medicare"


def test_trigger_refusal_inside_the_store_becomes_locked_error(
    clinic: Clinic, signed: Visit
) -> None:
    """A write racing a signature is stopped by the trigger and reported as LockedError."""
    with pytest.raises(LockedError), clinic.store._write() as s:
        s.execute(text("UPDATE visit SET payer = 'x' WHERE id = :id"), {"id": signed.id})


# -------------------------------------------------------------- raw SQL
@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE visit SET code = '20560' WHERE id = :id", LOCKED),
        ("UPDATE visit SET note_text = 'rewritten' WHERE id = :id", LOCKED),
        ("UPDATE visit SET draft_json = '{}' WHERE id = :id", LOCKED),
        ("UPDATE visit SET status = 'draft' WHERE id = :id", LOCKED),
        ("UPDATE visit SET patient_id = NULL WHERE id = :id", LOCKED),
        ("UPDATE visit SET signed_at = NULL WHERE id = :id", LOCKED),
        ("DELETE FROM visit WHERE id = :id", NEVER_DELETED),
        (
            "UPDATE visit SET status = 'entered-in-error', note_text = 'gone' WHERE id = :id",
            LOCKED,
        ),
        ("UPDATE visit SET status = 'entered-in-error', code = '' WHERE id = :id", LOCKED),
        ("UPDATE visit_muscle SET needles_in = 9 WHERE visit_id = :id", LOCKED),
        ("DELETE FROM visit_muscle WHERE visit_id = :id", LOCKED),
        (
            "INSERT INTO visit_muscle (visit_id, position, muscle_id, side, needles_in, "
            "needles_out, technique, twitch, needle, estim) "
            "VALUES (:id, 9, 'gluteus_medius', 'L', 1, 1, 'static', 'no', '', false)",
            LOCKED,
        ),
        ("UPDATE screening_answer SET answer = 'no' WHERE visit_id = :id", LOCKED),
        ("DELETE FROM screening_answer WHERE visit_id = :id", LOCKED),
        (
            "INSERT INTO screening_answer (visit_id, item_id, answer, note, acknowledged) "
            "VALUES (:id, 'pacemaker', 'no', '', false)",
            LOCKED,
        ),
    ],
    ids=[
        "update-code",
        "update-note",
        "update-draft",
        "unsign",
        "update-patient",
        "update-signed-at",
        "delete-visit",
        "void-changing-note",
        "void-changing-code",
        "update-muscle",
        "delete-muscle",
        "insert-muscle",
        "update-answer",
        "delete-answer",
        "insert-answer",
    ],
)
def test_raw_sql_cannot_change_a_signed_visit(
    clinic: Clinic, signed: Visit, raw_sql: RawSQL, sql: str, message: str
) -> None:
    before = (visit_row(raw_sql, signed.id), child_rows(raw_sql, signed.id))
    with pytest.raises(DBAPIError, match=message):
        raw_sql(sql, {"id": signed.id})
    assert (visit_row(raw_sql, signed.id), child_rows(raw_sql, signed.id)) == before


def test_the_same_raw_sql_works_on_a_draft(clinic: Clinic, raw_sql: RawSQL) -> None:
    """The triggers lock signed visits only, not every visit."""
    vid = clinic.saved_draft().visit_id
    raw_sql("UPDATE visit SET code = '20560' WHERE id = :id", {"id": vid})
    raw_sql(
        "INSERT INTO visit_muscle (visit_id, position, muscle_id, side, needles_in, "
        "needles_out, technique, twitch, needle, estim) "
        "VALUES (:id, 0, 'gluteus_medius', 'L', 1, 1, 'static', 'no', '', false)",
        {"id": vid},
    )
    raw_sql("UPDATE visit_muscle SET needles_in = 2 WHERE visit_id = :id", {"id": vid})
    raw_sql("DELETE FROM visit_muscle WHERE visit_id = :id", {"id": vid})
    assert visit_row(raw_sql, vid)[1] == "20560"
    with pytest.raises(DBAPIError, match=NEVER_DELETED):
        raw_sql("DELETE FROM visit WHERE id = :id", {"id": vid})


def test_audit_and_addenda_are_append_only(clinic: Clinic, signed: Visit, raw_sql: RawSQL) -> None:
    clinic.store.add_addendum(signed.id, author=clinic.pt, text="Late entry.", reason="late")
    for sql in (
        "UPDATE audit SET detail = 'x'",
        "DELETE FROM audit",
        "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)",
        "UPDATE addendum SET text = 'rewritten'",
        "DELETE FROM addendum",
    ):
        with pytest.raises(DBAPIError, match=APPEND_ONLY):
            raw_sql(sql)
    assert raw_sql("SELECT text FROM addendum") == [("Late entry.",)]
    assert clinic.store.verify_audit().ok


def test_truncate_is_refused_on_postgres(
    db_url: str, clinic: Clinic, signed: Visit, raw_sql: RawSQL
) -> None:
    if not db_url.startswith("postgresql"):
        # SQLite has no TRUNCATE; its "DELETE FROM audit" is covered above.
        with pytest.raises(DBAPIError, match=APPEND_ONLY):
            raw_sql("DELETE FROM audit")
        return
    for table in ("audit", "addendum", "visit", "visit_muscle", "screening_answer"):
        with pytest.raises(DBAPIError, match=APPEND_ONLY):
            raw_sql(f"TRUNCATE {table} CASCADE")
    assert raw_sql("SELECT count(*) FROM visit_muscle") == [(2,)]
    assert clinic.store.verify_audit().ok


# ----------------------------------------------------------------- void
def test_void_keeps_the_content_and_then_locks_everything(
    clinic: Clinic, signed: Visit, raw_sql: RawSQL
) -> None:
    before = visit_row(raw_sql, signed.id)
    children = child_rows(raw_sql, signed.id)
    clinic.store.void(signed.id, actor=clinic.pt, reason="wrong patient")
    after = visit_row(raw_sql, signed.id)
    assert after[0] == VisitStatus.ENTERED_IN_ERROR
    assert after[1:] == before[1:]  # code, draft_json, note_text, ... unchanged
    assert child_rows(raw_sql, signed.id) == children
    rec = clinic.store.load(signed.id)
    assert rec.visit.void_reason == "wrong patient"
    assert rec.visit.voided_by == clinic.pt.id
    assert json.loads(rec.visit.draft_json)["muscles"][0]["muscle_id"] == "upper_trapezius"
    with pytest.raises(LockedError):
        clinic.store.void(signed.id, actor=clinic.pt, reason="again")
    for sql in (
        "UPDATE visit SET status = 'signed' WHERE id = :id",
        "UPDATE visit SET void_reason = 'other' WHERE id = :id",
        "UPDATE visit SET note_text = 'x' WHERE id = :id",
    ):
        with pytest.raises(DBAPIError, match=LOCKED):
            raw_sql(sql, {"id": signed.id})
    # an addendum can still be added to a voided visit
    clinic.store.add_addendum(signed.id, author=clinic.pt, text="Voided: duplicate.", reason="r")


def test_void_needs_a_reason(clinic: Clinic, signed: Visit) -> None:
    with pytest.raises(ValueError, match="why"):
        clinic.store.void(signed.id, actor=clinic.pt, reason="  ")


def test_addendum_needs_a_signed_visit_and_text(clinic: Clinic) -> None:
    draft = clinic.saved_draft()
    with pytest.raises(ValueError, match="draft"):
        clinic.store.add_addendum(draft.visit_id, author=clinic.pt, text="x", reason="r")  # type: ignore[arg-type]
    v = clinic.sign(draft)
    with pytest.raises(ValueError, match="text"):
        clinic.store.add_addendum(v.id, author=clinic.pt, text="  ", reason="r")
    a = clinic.store.add_addendum(
        v.id, author=clinic.pt, text="Patient reported soreness.", reason="follow-up"
    )
    rec = clinic.store.load(v.id)
    assert [x.id for x in rec.addenda] == [a.id]
    assert rec.addenda[0].author_id == clinic.pt.id
    assert rec.addenda[0].created_at.tzinfo is not None


def test_insert_or_replace_cannot_rewrite_a_signed_visit_or_the_audit(
    store,
    signed,
    raw_sql,  # type: ignore[no-untyped-def]
) -> None:
    """SQLite's REPLACE deletes without DELETE triggers; PostgreSQL has no REPLACE."""
    import pytest as _pytest
    from sqlalchemy.exc import DBAPIError

    if not str(store.engine.url).startswith("sqlite"):
        with _pytest.raises(DBAPIError, match="inserted as drafts"):
            raw_sql(
                "INSERT INTO visit (practitioner_id, visit_date, status, payer, diagnosis_codes, "
                "abn_on_file, code, muscle_count, charge, draft_json, billing_json, note_text, "
                "version, created_at, updated_at, void_reason) SELECT practitioner_id, visit_date, "
                "'signed', payer, diagnosis_codes, abn_on_file, code, muscle_count, charge, "
                "draft_json, billing_json, 'forged', version, created_at, updated_at, void_reason "
                f"FROM visit WHERE id = {signed.id}"
            )
        return
    for sql in (
        f"INSERT OR REPLACE INTO visit SELECT id, patient_id, practitioner_id, visit_date, status, "
        f"payer, diagnosis_codes, abn_on_file, '20561', muscle_count, charge, draft_json, "
        f"billing_json, 'TAMPERED', version, created_at, updated_at, signed_at, signed_by, "
        f"void_reason, voided_at, voided_by FROM visit WHERE id = {signed.id}",
        "INSERT OR REPLACE INTO audit SELECT id, seq, at, actor_id, actor, action, visit_id, "
        "'edited', prev_hash, hash, key_id FROM audit WHERE seq = 1",
    ):
        with _pytest.raises(DBAPIError, match=r"never replaced|append-only|signing path"):
            raw_sql(sql)
    assert store.load(signed.id).visit.note_text != "TAMPERED"
    assert store.verify_audit().ok
