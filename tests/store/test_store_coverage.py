"""Coverage rows (schema 0005): recorded, audited, append-only; counts and outcomes read back."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from store_support import Clinic

from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.coverage import Coverage
from dntui.domain.validation import ValidationError
from dntui.store import queries
from dntui.store.models import CoverageRecord
from dntui.store.repo import Store

DAY = date(2026, 1, 5)


def auth(**kw: object) -> Coverage:
    base: dict[str, object] = dict(
        payer="medicare",
        verified_on=DAY - timedelta(days=3),
        verified_by="Front desk",
        reference_no="R-1",
        authorization_no="A-9",
        visits_authorized=4,
        starts=DAY - timedelta(days=10),
        ends=DAY + timedelta(days=60),
    )
    base.update(kw)
    return Coverage(**base)  # type: ignore[arg-type]


def sign_on(clinic: Clinic, day: date, **fields: object) -> None:
    d = clinic.draft(day=day)
    for k, v in fields.items():
        setattr(d, k, v)
    clinic.sign(clinic.store.save_draft(d, actor=clinic.pt))


def test_recorded_coverage_is_read_back_and_audited(clinic: Clinic) -> None:
    s = clinic.store
    s.record_coverage(clinic.patient.id, auth(), actor=clinic.pt)  # type: ignore[arg-type]
    s.record_coverage(clinic.patient.id, auth(visits_authorized=6), actor=clinic.pt)  # type: ignore[arg-type]
    now = queries.current_coverage(s, clinic.patient.id)  # type: ignore[arg-type]
    assert now["medicare"].visits_authorized == 6  # the newest is in force
    trail = [e for e in s.audit_trail() if e.action == "coverage.record"]
    assert len(trail) == 2 and "Jane" not in trail[0].detail
    check = s.verify_audit()
    assert check.ok, check.report()


def test_a_bad_authorization_writes_nothing(clinic: Clinic) -> None:
    s = clinic.store
    with pytest.raises(ValidationError, match=r"ends .* before it starts"):
        s.record_coverage(
            clinic.patient.id,  # type: ignore[arg-type]
            auth(starts=DAY, ends=DAY - timedelta(days=1)),
            actor=clinic.pt,
        )
    assert queries.current_coverage(s, clinic.patient.id) == {}  # type: ignore[arg-type]


def test_coverage_rows_are_append_only(db_url: str, clinic: Clinic, raw_sql) -> None:  # type: ignore[no-untyped-def]
    clinic.store.record_coverage(clinic.patient.id, auth(), actor=clinic.pt)  # type: ignore[arg-type]
    with pytest.raises(Exception, match="append-only"):
        raw_sql("UPDATE coverage SET visits_authorized = 99")
    with pytest.raises(Exception, match="append-only"):
        raw_sql("DELETE FROM coverage")
    with clinic.store.reading() as s:
        assert s.get(CoverageRecord, 1).visits_authorized == 4  # type: ignore[union-attr]


def test_signed_visits_in_the_window_count_and_the_fifth_warns(clinic: Clinic) -> None:
    """An authorization of 4 visits: 4 signed visits use it up, the 5th is past it."""
    s = clinic.store
    pid = clinic.patient.id
    assert pid is not None
    s.record_coverage(pid, auth(), actor=clinic.pt)
    sign_on(clinic, DAY - timedelta(days=20))  # before the authorization: not counted
    for i in range(4):
        sign_on(clinic, DAY + timedelta(days=i))
    ctx = queries.coverage_context(s, pid, "medicare")
    assert ctx.signed_in_window == 4
    lines = queries.patient_coverage(s, pid)
    assert lines[0].remaining == "0 of 4 authorized visits left (to 2026-03-06)"
    sheet = queries.day_sheet(s, DAY)
    assert sheet.lines[0].authorized_left == "0 of 4 authorized visits left (to 2026-03-06)"
    from dntui.clinic_files import load_fee_schedule
    from dntui.domain.coverage import coverage_warnings

    payer = load_fee_schedule(None).payer("medicare")
    warned = coverage_warnings(payer, ctx.coverage, DAY + timedelta(days=5), ctx.signed_in_window)
    assert any("visit 5 of 4 authorized" in w.text for w in warned)


def test_patient_visits_carry_pain_and_function(clinic: Clinic) -> None:
    s: Store = clinic.store
    for i, pain in enumerate([7, 5, 3]):
        sign_on(
            clinic,
            DAY + timedelta(days=7 * i),
            assessment=Assessment(nprs_before=pain, psfs_activity="lift child", psfs_before=3 + i),
            outcome=Outcome(nprs_after=pain - 2),
        )
    visits = queries.patient_visits(s, clinic.patient.id)  # type: ignore[arg-type]
    pts = [v.outcome for v in visits if v.outcome is not None]
    from dntui.domain.outcomes import trend

    assert trend(pts).text() == "NPRS 7 → 3 over 3 visits (-4); PSFS 'lift child' 3 → 5 (+2)"


def test_visits_without_assessment_read_not_recorded(clinic: Clinic) -> None:
    clinic.sign()
    (v,) = queries.patient_visits(clinic.store, clinic.patient.id)  # type: ignore[arg-type]
    assert v.outcome is not None and v.outcome.nprs_before is None


def test_audit_verify_finds_a_coverage_row_written_from_a_sql_shell(
    clinic: Clinic,
    raw_sql,  # type: ignore[no-untyped-def]
) -> None:
    """More visits authorized by hand (no pane warning would come): caught by verify."""
    clinic.store.record_coverage(clinic.patient.id, auth(), actor=clinic.pt)  # type: ignore[arg-type]
    assert clinic.store.verify_audit().ok
    raw_sql(
        "INSERT INTO coverage (patient_id, payer, verified_on, verified_by, reference_no, "
        "authorization_no, visits_authorized, starts, ends, notes, created_at, created_by) "
        "SELECT patient_id, payer, verified_on, verified_by, reference_no, authorization_no, "
        "99, starts, ends, notes, created_at, created_by FROM coverage"
    )
    check = clinic.store.verify_audit()
    assert not check.ok
    assert "coverage row 2 has no audit row: written outside dntui" in check.problems


def test_audit_verify_finds_a_coverage_row_changed_behind_its_trigger(
    db_url: str,
    clinic: Clinic,
    raw_sql,  # type: ignore[no-untyped-def]
) -> None:
    """The owner lifts the append-only trigger, edits, and puts it back as it was: the
    guard check sees nothing, the row's digest in its audit row does."""
    clinic.store.record_coverage(clinic.patient.id, auth(), actor=clinic.pt)  # type: ignore[arg-type]
    if db_url.startswith("sqlite"):
        triggers = raw_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'coverage'"
        )
        assert triggers
        for name, _ in triggers:
            raw_sql(f"DROP TRIGGER {name}")
        raw_sql("UPDATE coverage SET visits_authorized = 99")
        for _, sql in triggers:
            raw_sql(sql)
    else:
        raw_sql(
            "ALTER TABLE coverage DISABLE TRIGGER USER; "
            "UPDATE coverage SET visits_authorized = 99; "
            "ALTER TABLE coverage ENABLE TRIGGER USER"
        )
    check = clinic.store.verify_audit()
    assert not check.ok
    assert "coverage row 1: its content differs from what was recorded" in check.problems
