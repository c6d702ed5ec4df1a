"""Issue 17's measured attacks, each run against SQLite and a real PostgreSQL.

Every test expects the attack refused by the database or detected by
``dntui audit verify``; each was written to fail on the code before schema 0004
(the forged signature succeeded, verify said "intact", the grants allowed it...).
Where an engine cannot refuse (SQLite has no roles: whoever can write the file can
write anything), the test says so and checks the detection instead.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any

import pytest
from security_support import DANA_PIN, SAM_PIN, ClinicDB
from sqlalchemy.exc import DBAPIError

from dntui.store import audit
from dntui.store.errors import LockedError
from dntui.store.models import AuditEvent

REFUSED = (sqlite3.Error, DBAPIError)
#: For attacks on what only PostgreSQL has (roles, functions, grants): run there only.
#: SQLite's side of each is stated in README, Security, and tested where it has one.
pg_only = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


def visit_state(cdb: ClinicDB, vid: int) -> tuple[Any, ...]:
    rec = cdb.owner.load(vid)
    v = rec.visit
    return (v.status, v.signed_by, v.note_text, v.charge, v.practitioner_id, v.payer, v.void_reason)


def refused(cdb: ClinicDB, sql: str, params: Any = None) -> str:
    """Run ``sql`` as the attacker; it must fail, refused by a privilege, a guard trigger
    or dntui's gate (not by a typo in the statement). Returns the error text."""
    with pytest.raises(REFUSED) as err:
        cdb.attacker(sql, params or ({} if cdb.pg else ()))
    msg = str(err.value)
    reasons = (
        "permission denied",
        "no such function: dntui_path",
        "signed visit is locked",
        "another practitioner",
        "stays with the practitioner",
        "patient of a signed visit",
        "does not act as practitioner",
        "own practitioner",
        "written only by",
        "own dntui path",
        "never replaced",
        "append-only",
        "signing path",
        'column "pin_hash" does not exist',
    )
    assert any(r in msg for r in reasons), msg
    return msg


def forge_unkeyed_sign_row(cdb: ClinicDB, vid: int, signer_id: int) -> None:
    """What the issue's attacker did: append one correctly chained (unkeyed) sign row."""
    last = cdb.owner.audit_trail(limit=100_000)[-1]
    v = cdb.owner.load(vid).visit
    ev = AuditEvent(
        seq=last.seq + 1,
        at=last.at,
        actor_id=signer_id,
        actor="Dana Reyes",
        action="visit.sign",
        visit_id=vid,
        detail=f"code=20561 muscles=3 content={audit.content_hash(v.draft_json, v.billing_json, v.note_text)}",
        prev_hash=last.hash,
    )
    ev.hash = audit.row_hash(ev)
    q = (
        "INSERT INTO audit (seq, at, actor_id, actor, action, visit_id, detail, prev_hash, hash, "
        "key_id) VALUES ({}, {}, {}, {}, {}, {}, {}, {}, {}, '')"
    )
    if cdb.pg:
        cdb.file_owner(
            q.format(*(f":{k}" for k in ["s", "at", "a", "n", "act", "v", "d", "p", "h"])),
            {"s": ev.seq, "at": ev.at, "a": signer_id, "n": ev.actor, "act": ev.action,
             "v": vid, "d": ev.detail, "p": ev.prev_hash, "h": ev.hash},
        )  # fmt: skip
    else:
        cdb.file_owner(
            q.format(*["?"] * 9),
            (ev.seq, ev.at.strftime("%Y-%m-%d %H:%M:%S.%f"), signer_id, ev.actor, ev.action,
             vid, ev.detail, ev.prev_hash, ev.hash),
        )  # fmt: skip


# ------------------------------------------------------------- 1. forged signature
FORGE = (
    "UPDATE visit SET status = 'signed', signed_by = {dana}, note_text = 'forged', "
    "charge = '500.00' WHERE id = {draft}"
)


def test_1_forged_signature_is_refused(cdb: ClinicDB) -> None:
    before = visit_state(cdb, cdb.sam_draft)
    msg = refused(cdb, FORGE.format(dana=cdb.dana.id, draft=cdb.sam_draft))
    assert "permission denied" in msg if cdb.pg else "dntui_path" in msg
    # even with every table privilege, the trigger refuses a status change outside the path
    if cdb.pg:
        cdb.file_owner(f"GRANT UPDATE ON visit TO {cdb.dana_store.engine.url.username}")
        msg = refused(cdb, FORGE.format(dana=cdb.dana.id, draft=cdb.sam_draft))
        assert "signing path" in msg
    assert visit_state(cdb, cdb.sam_draft) == before


@pg_only
def test_1_signing_function_refuses_anyone_but_the_visits_practitioner(cdb: ClinicDB) -> None:
    """SQLite's path is the gate, tested above."""
    msg = refused(
        cdb,
        "SELECT dntui_sign(:v, :d, 1, '20561', 3, '500.00', '{}', 'forged', '{}', NULL, "
        "'2026-03-02', '', '', false)",
        {"v": cdb.sam_draft, "d": cdb.dana.id},
    )
    assert "own practitioner" in msg or "changed elsewhere" in msg
    msg = refused(
        cdb,
        "SELECT dntui_sign(:v, :s, 2, '20561', 3, '500.00', '{}', 'forged', '{}', NULL, "
        "'2026-03-02', '', '', false)",
        {"v": cdb.sam_draft, "s": cdb.sam.id},
    )
    assert "does not act as practitioner" in msg
    assert cdb.owner.load(cdb.sam_draft).visit.status == "draft"


def test_1_forged_signature_with_a_chained_audit_row_is_detected(cdb: ClinicDB) -> None:
    """The file owner / schema owner bypasses the guards: verify must not say intact."""
    if cdb.pg:
        cdb.file_owner("ALTER TABLE visit DISABLE TRIGGER USER")
        cdb.file_owner(FORGE.format(dana=cdb.dana.id, draft=cdb.sam_draft))
        cdb.file_owner("ALTER TABLE visit ENABLE TRIGGER USER")
    else:
        cdb.file_owner(FORGE.format(dana=cdb.dana.id, draft=cdb.sam_draft))
    forge_unkeyed_sign_row(cdb, cdb.sam_draft, cdb.dana.id)
    check = cdb.owner.verify_audit()
    assert not check.ok and check.exit_code == 1
    assert check.broken_at is not None, check.report()


# ------------------------------------------------------------- 2. verify verifies
def test_2_rewritten_signed_note_is_detected_by_content_hash(cdb: ClinicDB) -> None:
    rewrite = (
        f"UPDATE visit SET note_text = 'rewritten', charge = '900.00' WHERE id = {cdb.sam_signed}"
    )
    if cdb.pg:
        cdb.file_owner("ALTER TABLE visit DISABLE TRIGGER USER")
        cdb.file_owner(rewrite)
        cdb.file_owner("ALTER TABLE visit ENABLE TRIGGER USER")
    else:
        cdb.file_owner("DROP TRIGGER visit_locked")
        cdb.file_owner(rewrite)
    check = cdb.owner.verify_audit()
    assert not check.ok
    assert f"visit {cdb.sam_signed}: its content differs from what was signed" in check.problems


def behind_the_triggers(cdb: ClinicDB, table: str, sql: str) -> None:
    """The owner's edit that leaves no trace in the schema: PostgreSQL disables the
    table's triggers and enables them again; SQLite drops them and re-creates them
    exactly as they were (so nothing is restored at the next open)."""
    if cdb.pg:
        cdb.file_owner(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cdb.file_owner(sql)
        cdb.file_owner(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        return
    path = cdb.url.removeprefix("sqlite:///")
    con = sqlite3.connect(path, isolation_level=None)
    try:
        saved = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
            (table,),
        ).fetchall()
        con.execute("BEGIN IMMEDIATE")
        for name, _ in saved:
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute(sql)
        for _, create in saved:
            con.execute(create)
        con.execute("COMMIT")
    finally:
        con.close()


#: Edits of what the day sheet, history and exports read beside the hashed note, draft
#: and billing (the content hash alone said "intact" after each: found in the audit).
BESIDE_THE_HASH = {
    "charge": ("visit", "UPDATE visit SET charge = '500.00' WHERE id = {v}", "charge"),
    "code": ("visit", "UPDATE visit SET code = '20561', muscle_count = 3 WHERE id = {v}", "code"),
    "diagnosis": (
        "visit",
        "UPDATE visit SET diagnosis_codes = 'Z99.9', payer = 'medicare' WHERE id = {v}",
        "diagnosis codes",
    ),
    "date": ("visit", "UPDATE visit SET visit_date = '2026-01-05' WHERE id = {v}", "date"),
    "signer": ("visit", "UPDATE visit SET signed_by = {dana} WHERE id = {v}", "signer"),
    "patient name": (
        "patient",
        "UPDATE patient SET name = 'Someone Else' WHERE id = {patient}",
        "patient name",
    ),
    "muscles": (
        "visit_muscle",
        "UPDATE visit_muscle SET muscle_id = 'gluteus-medius' WHERE visit_id = {v}",
        "muscle rows",
    ),
    "screening": (
        "screening_answer",
        "UPDATE screening_answer SET answer = 'yes' WHERE visit_id = {v}",
        "screening rows",
    ),
}


@pytest.mark.parametrize("edit", sorted(BESIDE_THE_HASH))
def test_2_signed_columns_and_rows_edited_behind_the_triggers_are_detected(
    cdb: ClinicDB, edit: str
) -> None:
    table, sql, what = BESIDE_THE_HASH[edit]
    assert cdb.owner.verify_audit().ok
    behind_the_triggers(
        cdb, table, sql.format(v=cdb.sam_signed, dana=cdb.dana.id, patient=cdb.patient.id)
    )
    store = cdb.reopen()
    try:
        assert store.restored_guards == []  # nothing in the schema gives it away
        check = store.verify_audit()
    finally:
        store.close()
    assert not check.ok and check.exit_code == 1, check.report()
    found = [p for p in check.problems if p.startswith(f"visit {cdb.sam_signed}: ")]
    assert found and what in found[0] and "from what was signed" in found[0], check.problems


@pytest.mark.parametrize(
    "edit",
    [
        "UPDATE addendum SET text = 'No adverse event.', reason = 'x' WHERE id = {a}",
        "UPDATE addendum SET author_id = {dana} WHERE id = {a}",
        "DELETE FROM addendum WHERE id = {a}",
    ],
    ids=["text", "author", "deleted"],
)
def test_2_an_addendum_edited_behind_the_triggers_is_detected(cdb: ClinicDB, edit: str) -> None:
    """An addendum is part of the signed record (a correction, an adverse event); its
    audit row held only its kind, so its text could be rewritten unseen (found in the
    audit)."""
    a = cdb.sam_store.add_addendum(
        cdb.sam_signed, author=cdb.sam, text="Fainted briefly, recovered.", reason="AE"
    )
    assert cdb.owner.verify_audit().ok
    behind_the_triggers(cdb, "addendum", edit.format(a=a.id, dana=cdb.dana.id))
    check = cdb.owner.verify_audit()
    assert not check.ok and check.exit_code == 1, check.report()
    assert any(p.startswith(f"visit {cdb.sam_signed}: addend") for p in check.problems), (
        check.problems
    )


def test_2_dropped_guard_trigger_is_restored_at_open_and_audited(cdb: ClinicDB) -> None:
    if cdb.pg:
        cdb.file_owner("DROP TRIGGER visit_locked ON visit")
        check = cdb.owner.verify_audit()
        assert "guard trigger visit_locked is missing or disabled" in check.problems
        cdb.file_owner("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
        assert "guard trigger audit_append_only is missing or disabled" in (
            cdb.owner.verify_audit().problems
        )
        return
    cdb.file_owner("DROP TRIGGER visit_locked")
    cdb.file_owner("DROP TRIGGER visit_status_path")
    assert "guard trigger visit_locked is missing" in cdb.owner.verify_audit().problems
    store = cdb.reopen()
    try:
        assert store.restored_guards == ["visit_locked", "visit_status_path"]
        last = store.audit_trail(limit=100_000)[-1]
        assert last.action == "db.guard-restored" and "visit_locked" in last.detail
        with pytest.raises(REFUSED, match="signed visit is locked"):
            cdb.file_owner(f"UPDATE visit SET note_text = 'x' WHERE id = {cdb.sam_signed}")
    finally:
        store.close()
    # an altered trigger (same name, made harmless) is restored too
    cdb.file_owner("DROP TRIGGER visit_no_delete")
    cdb.file_owner(
        "CREATE TRIGGER visit_no_delete BEFORE DELETE ON visit WHEN 0 BEGIN SELECT 1; END"
    )
    store = cdb.reopen()
    try:
        assert store.restored_guards == ["visit_no_delete"]
    finally:
        store.close()


def test_2_rows_cut_from_the_end_are_detected_by_the_tail_anchor(cdb: ClinicDB) -> None:
    n = len(cdb.owner.audit_trail(limit=100_000))
    if cdb.pg:
        cdb.file_owner("ALTER TABLE audit DISABLE TRIGGER USER")
        cdb.file_owner(f"DELETE FROM audit WHERE seq > {n - 2}")
        cdb.file_owner("ALTER TABLE audit ENABLE TRIGGER USER")
    else:
        cdb.file_owner("DROP TRIGGER audit_append_only_delete")
        cdb.file_owner(f"DELETE FROM audit WHERE seq > {n - 2}")
    check = cdb.owner.verify_audit()
    assert not check.ok and check.exit_code == 1
    assert f"rows {n - 1}-{n} were cut from the end of the audit trail" in check.problems


def test_2_recomputed_unkeyed_hashes_do_not_hide_an_edit(cdb: ClinicDB) -> None:
    trail = cdb.owner.audit_trail(limit=100_000)
    if cdb.pg:
        cdb.file_owner("ALTER TABLE audit DISABLE TRIGGER USER")
    else:
        cdb.file_owner("DROP TRIGGER audit_append_only_update")
    prev = trail[1].hash
    for ev in trail[2:]:  # edit row 3, recompute every hash after it (no key)
        ev = AuditEvent(**{**ev.model_dump(), "prev_hash": prev})
        if ev.seq == 3:
            ev.detail = "nothing happened"
        ev.hash = audit.row_hash(ev)
        prev = ev.hash
        if cdb.pg:
            cdb.file_owner(
                "UPDATE audit SET detail = :d, prev_hash = :p, hash = :h, key_id = '' "
                "WHERE seq = :s",
                {"d": ev.detail, "p": ev.prev_hash, "h": ev.hash, "s": ev.seq},
            )
        else:
            cdb.file_owner(
                "UPDATE audit SET detail = ?, prev_hash = ?, hash = ?, key_id = '' WHERE seq = ?",
                (ev.detail, ev.prev_hash, ev.hash, ev.seq),
            )
    check = cdb.owner.verify_audit()
    assert not check.ok and check.exit_code == 1
    # either the unkeyed rows after keyed ones or the anchor gives it away
    assert check.broken_at == 3 or any("anchor" in p for p in check.problems), check.report()


def test_2_intact_trail_reports_exactly_what_was_checked(cdb: ClinicDB) -> None:
    check = cdb.owner.verify_audit()
    assert check.ok and check.exit_code == 0, check.report()
    report = check.report()
    assert report.splitlines()[0].startswith("audit chain intact: ")
    assert "1 signed visits match their sign rows" in report
    assert "tail anchor reached" in report
    assert report.endswith("result: intact")


# ------------------------------------------------------------- 3. grants
def test_3_voiding_a_colleagues_visit_is_refused(cdb: ClinicDB) -> None:
    before = visit_state(cdb, cdb.sam_signed)
    refused(
        cdb,
        "UPDATE visit SET status = 'entered-in-error', void_reason = 'x' "
        f"WHERE id = {cdb.sam_signed}",
    )
    with pytest.raises(LockedError):
        cdb.dana_store.void(cdb.sam_signed, actor=cdb.dana, reason="not mine")
    if cdb.pg:
        refused(cdb, f"SELECT dntui_void({cdb.sam_signed}, {cdb.dana.id}, 'x')")
        refused(cdb, f"SELECT dntui_void({cdb.sam_signed}, {cdb.sam.id}, 'x')")
    assert visit_state(cdb, cdb.sam_signed) == before


def test_3_editing_or_reassigning_a_colleagues_draft_is_refused(cdb: ClinicDB) -> None:
    before = visit_state(cdb, cdb.sam_draft)
    msg = refused(
        cdb, f"UPDATE visit SET practitioner_id = {cdb.dana.id} WHERE id = {cdb.sam_draft}"
    )
    if cdb.pg:
        # SQLite has no per-person identity at the file level (README, Security): there a
        # draft can be edited by whoever can write the file, and only reassigning is refused.
        refused(cdb, f"UPDATE visit SET payer = 'self-pay' WHERE id = {cdb.sam_draft}")
        refused(cdb, f"DELETE FROM visit_muscle WHERE visit_id = {cdb.sam_draft}")
        draft = cdb.dana_store.load(cdb.sam_draft).draft
        draft.payer = "self-pay"
        with pytest.raises(LockedError):
            cdb.dana_store.save_draft(draft, actor=cdb.dana)
    else:
        assert "dntui_path" in msg or "stays with the practitioner" in msg
    assert visit_state(cdb, cdb.sam_draft) == before


def test_3_renaming_the_patient_of_a_signed_visit_is_refused(cdb: ClinicDB) -> None:
    refused(cdb, f"UPDATE patient SET name = 'Someone Else' WHERE id = {cdb.patient.id}")
    # even the owner's SQL shell (triggers refuse; only disabling them would pass)
    with pytest.raises(REFUSED, match="patient of a signed visit"):
        cdb.file_owner(f"UPDATE patient SET name = 'Someone Else' WHERE id = {cdb.patient.id}")
    # and SQLite's REPLACE (delete + insert) cannot do it either
    if not cdb.pg:
        with pytest.raises(REFUSED, match="never replaced"):
            cdb.file_owner(
                "INSERT OR REPLACE INTO patient (id, chart_no, name, name_key, created_at) "
                f"VALUES ({cdb.patient.id}, 'X1', 'Someone Else', 'someone else', '2026-01-01')"
            )
    assert cdb.owner.patient(cdb.patient.id).name == "Zelda Quintanilla-Marsh"


def test_3_inserting_practitioners_and_audit_rows_is_refused(cdb: ClinicDB) -> None:
    n_audit = len(cdb.owner.audit_trail(limit=100_000))
    refused(
        cdb,
        "INSERT INTO practitioner (name, credentials, licence_no, licence_state, "
        "acupuncture_licensed, active, created_at, db_role) "
        "VALUES ('Mallory', 'PT', '', '', false, true, '2026-01-01', '')",
    )
    refused(
        cdb,
        "INSERT INTO audit (seq, at, actor_id, actor, action, detail, prev_hash, hash) "
        f"VALUES (9999, '2026-01-01', {cdb.sam.id}, 'Sam Okafor', 'pin.ok', '', '', '')",
    )
    if cdb.pg:
        for action in ("pin.ok", "visit.sign", "practitioner.create"):
            refused(cdb, f"SELECT dntui_audit_append('{action}', {cdb.sam.id}, 'Sam', NULL, '')")
        refused(cdb, f"SELECT dntui_audit_append('export', {cdb.sam.id}, 'Sam', NULL, '')")
        refused(cdb, "SELECT dntui__append('pin.ok', 1, 'Sam', NULL, '')")
        # a second profile for the same role
        with pytest.raises(LockedError, match="already has a practitioner"):
            cdb.dana_store.add_practitioner("Dana Two", "PT", pin=DANA_PIN)
    assert len(cdb.owner.audit_trail(limit=100_000)) == n_audit
    assert [p.name for p in cdb.owner.practitioners()] == ["Dana Reyes", "Sam Okafor"]


def test_3_a_forged_pin_ok_cannot_clear_a_colleagues_lockout(cdb: ClinicDB) -> None:
    for _ in range(5):
        assert cdb.dana_store.check_signer(cdb.sam.id, "000000") is False
    assert cdb.owner.pin_locked_until(cdb.sam.id) is not None
    last = cdb.owner.audit_trail(limit=100_000)[-1]
    refused(  # what cleared the lockout before: a pin.ok row in Sam's name
        cdb,
        "INSERT INTO audit (seq, at, actor_id, actor, action, detail, prev_hash, hash) "
        f"VALUES ({last.seq + 1}, '2026-01-01', {cdb.sam.id}, 'Sam Okafor', 'pin.ok', '', "
        f"'{last.hash}', '')",
    )
    refused(
        cdb,
        "UPDATE practitioner_secret SET failures = 0, locked_until = NULL "
        f"WHERE practitioner_id = {cdb.sam.id}",
    )
    with pytest.raises(LockedError):
        cdb.sam_store.check_signer(cdb.sam.id, SAM_PIN)


@pg_only
def test_3_the_caller_cannot_loosen_the_lockout(cdb: ClinicDB) -> None:
    """dntui_pin_check took the failure limit and the lock time from its caller: with
    a limit of a million and no lock time, a colleague's PIN could be guessed online
    without end (found in the audit). The caller may be stricter, never looser."""
    for _ in range(5):
        got = cdb.attacker(
            "SELECT dntui_pin_check(:p, 'not-the-digest', NULL, 1000000, 0)", {"p": cdb.sam.id}
        )
        assert got[0][0] in ("fail",) or got[0][0].startswith("locked"), got
    assert cdb.owner.pin_locked_until(cdb.sam.id) is not None
    with pytest.raises(LockedError):
        cdb.sam_store.check_signer(cdb.sam.id, SAM_PIN)


@pg_only
def test_3_audit_rows_cannot_carry_a_colleagues_name(cdb: ClinicDB) -> None:
    """dntui_audit_append checked the actor's id but wrote the name it was given."""
    for actor_id in (cdb.dana.id, None):
        try:
            cdb.attacker(
                "SELECT dntui_audit_append('session.unlock', :a, 'Sam Okafor', NULL, '')",
                {"a": actor_id},
            )
        except REFUSED:
            continue
        last = cdb.owner.audit_trail(limit=100_000)[-1]
        assert last.action == "session.unlock"
        assert last.actor != "Sam Okafor", (actor_id, last.actor)
    assert cdb.owner.verify_audit().ok


@pg_only
def test_3_pin_hashes_cannot_be_read(cdb: ClinicDB) -> None:
    """SQLite: whoever can read the file reads the PIN hashes (README, Security); the
    6-digit minimum and the scrypt cost are what hold there (tested below)."""
    refused(cdb, "SELECT pin_hash FROM practitioner_secret")
    refused(cdb, "SELECT pin_hash FROM practitioner")  # the column is gone from the profile
    refused(cdb, "SELECT value FROM dntui_secret")  # nor the audit key
    params = cdb.attacker(f"SELECT dntui_pin_params({cdb.sam.id})")[0][0]
    assert params.startswith("scrypt$") and params.count("$") == 4  # salt and cost, no digest


def test_3_short_pins_are_refused_for_new_pins(cdb: ClinicDB) -> None:
    with pytest.raises(ValueError, match="at least 6"):
        cdb.owner.add_practitioner("Kim Park", "PT", pin="1234")
    with pytest.raises(ValueError, match="at least 6"):
        cdb.dana_store.set_pin(cdb.dana.id, "9876")
    assert cdb.dana_store.check_signer(cdb.dana.id, DANA_PIN) is True


@pg_only
def test_verify_checks_grants_on_postgresql(cdb: ClinicDB) -> None:
    assert cdb.owner.verify_audit().ok
    role = cdb.dana_store.engine.url.username
    cdb.file_owner(f"GRANT INSERT ON audit TO {role}")
    cdb.file_owner(f"GRANT UPDATE (status) ON visit TO {role}")
    cdb.file_owner(f"GRANT CREATE ON SCHEMA public TO {role}")
    problems = cdb.owner.verify_audit().problems
    assert f"role {role} may CREATE in the schema" in problems
    assert f"role {role} holds INSERT on audit" in problems
    assert f"role {role} may UPDATE visit.status" in problems


def test_content_hash_formula_is_unchanged() -> None:
    body = json.dumps(["{}", "{}", "note é"], ensure_ascii=False)
    assert audit.content_hash("{}", "{}", "note é") == hashlib.sha256(body.encode()).hexdigest()


@pg_only
def test_schema_0006_replaces_the_loose_pin_check_of_an_older_database(db_url: str) -> None:
    """A clinic database at 0005 has the caller-trusting functions: 0006 replaces them."""
    from alembic import command
    from sqlalchemy import text

    from dntui.store import guards, schema
    from dntui.store.engine import make_engine
    from dntui.store.repo import Store

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0005")
        loose = guards.pin_check_sql("public")
        start, end = loose.index("  lim integer"), loose.index("BEGIN")
        loose = (
            loose[:start]
            + "  lim integer := p_max; secs integer := p_lock_seconds;\n"
            + loose[end:]
        )
        conn.execute(text(loose))
        body = "SELECT prosrc FROM pg_proc WHERE proname = 'dntui_pin_check'"
        assert "LEAST" not in conn.execute(text(body)).scalar_one()
    engine.dispose()
    store = Store.open(db_url)
    try:
        with store.engine.connect() as conn:
            assert "LEAST" in conn.execute(text(body)).scalar_one()
            rev = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
        assert rev == "0006"
    finally:
        store.close()


def test_the_database_lockout_is_the_apps() -> None:
    from dntui.store import guards, repo

    assert guards.PIN_MAX_FAILURES == repo.PIN_LOCKOUT_FAILURES
    assert repo.PIN_LOCKOUT.total_seconds() == guards.PIN_LOCK_SECONDS


@pg_only
def test_3_a_coverage_row_in_a_colleagues_name_is_detected(cdb: ClinicDB) -> None:
    """Practitioners insert coverage rows and append their coverage.record audit row
    (the app does both): Dana's row saying Sam checked the payer, with a matching
    digest appended under her own id, verified as intact (found in the audit)."""
    from datetime import date as day

    from dntui.store.models import CoverageRecord

    row = CoverageRecord(
        id=9001,
        patient_id=cdb.patient.id,
        payer="medicare",
        verified_on=day(2026, 3, 1),
        verified_by="phone",
        reference_no="R1",
        authorization_no="A1",
        visits_authorized=99,
        starts=day(2026, 1, 1),
        ends=day(2026, 12, 31),
        notes="",
        created_by=cdb.sam.id,
    )
    cdb.attacker(
        "INSERT INTO coverage (id, patient_id, payer, verified_on, verified_by, reference_no, "
        "authorization_no, visits_authorized, starts, ends, notes, created_at, created_by) "
        "VALUES (:id, :p, 'medicare', '2026-03-01', 'phone', 'R1', 'A1', 99, '2026-01-01', "
        "'2026-12-31', '', now(), :s)",
        {"id": row.id, "p": cdb.patient.id, "s": cdb.sam.id},
    )
    cdb.attacker(
        "SELECT dntui_audit_append('coverage.record', :d, 'Dana Reyes', NULL, :detail)",
        {"d": cdb.dana.id, "detail": audit.coverage_detail(row)},
    )
    check = cdb.owner.verify_audit()
    assert not check.ok, check.report()
    assert any(p.startswith("coverage row 9001: ") for p in check.problems), check.problems
