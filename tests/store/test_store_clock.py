"""The store's clock (issue 12): every time the store writes comes from ``Store.open(clock=)``.

The clock here starts in 2001 and moves only when the test moves it, so a time
read from the real clock (or a module's ``datetime.now``) can never match.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select
from store_support import PIN, Clinic

from dntui.store.errors import LockedError
from dntui.store.models import (
    Addendum,
    AuditEvent,
    Patient,
    Practitioner,
    PractitionerSecret,
    Visit,
    session_now,
)
from dntui.store.repo import PIN_LOCKOUT, PIN_LOCKOUT_FAILURES, Store

START = datetime(2001, 2, 3, 4, 5, 6, tzinfo=UTC)


@dataclass
class StepClock:
    """A clock that reads ``now`` until moved on."""

    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def step(self, minutes: int = 1) -> datetime:
        self.now += timedelta(minutes=minutes)
        return self.now


def _aware(t: datetime | None) -> datetime | None:
    """SQLite hands times back without their zone: they are stored in UTC."""
    return t.replace(tzinfo=UTC) if t is not None and t.tzinfo is None else t


@pytest.fixture
def clock() -> StepClock:
    return StepClock()


@pytest.fixture
def clocked(sqlite_db_url: str, clock: StepClock) -> Iterator[Store]:
    s = Store.open(sqlite_db_url, clock=clock)
    yield s
    s.close()


def _audit_times(store: Store) -> dict[str, list[datetime]]:
    times: dict[str, list[datetime]] = {}
    with store.reading() as s:
        for e in s.exec(select(AuditEvent).order_by(col(AuditEvent.seq))):
            t = _aware(e.at)
            assert t is not None
            times.setdefault(e.action, []).append(t)
    return times


def test_store_keeps_its_clock_and_defaults_to_real_utc(
    sqlite_db_url: str, clock: StepClock
) -> None:
    s = Store.open(sqlite_db_url, clock=clock)
    try:
        assert s.clock is clock
        with s.reading() as session:
            assert session_now(session) == START
    finally:
        s.close()
    real = Store.open(sqlite_db_url)
    try:
        before = datetime.now(UTC)
        with real.reading() as session:
            got = session_now(session)
        assert got.tzinfo is not None
        assert before <= got <= datetime.now(UTC)
    finally:
        real.close()


def test_every_row_time_comes_from_the_store_clock(clocked: Store, clock: StepClock) -> None:
    t_pt = clock.step()
    pt = clocked.add_practitioner("Alex Rivera", "PT", pin=PIN, licence_no="PT123")
    t_patient = clock.step()
    patient = clocked.add_patient("Jane Doe", date(1980, 2, 3), actor=pt)
    clinic = Clinic(clocked, pt, patient)
    t_created = clock.step()
    draft = clinic.saved_draft()
    t_updated = clock.step()
    draft.payer = "self"
    draft = clocked.save_draft(draft, actor=pt)
    t_signed = clock.step()
    visit = clinic.sign(draft)
    assert visit.id is not None
    t_addendum = clock.step()
    added = clocked.add_addendum(visit.id, author=pt, text="Called: sore 1 day.", reason="f/u")
    t_void = clock.step()
    clocked.void(visit.id, actor=pt, reason="wrong patient")

    with clocked.reading() as s:
        p = s.get(Practitioner, pt.id)
        pa = s.get(Patient, patient.id)
        v = s.get(Visit, visit.id)
        a = s.get(Addendum, added.id)
        assert p is not None and pa is not None and v is not None and a is not None
        assert _aware(p.created_at) == t_pt
        assert _aware(pa.created_at) == t_patient
        assert _aware(v.created_at) == t_created
        assert _aware(v.signed_at) == t_signed
        assert _aware(v.updated_at) == t_signed  # signing is the last change of the row
        assert _aware(v.voided_at) == t_void
        assert _aware(a.created_at) == t_addendum

    times = _audit_times(clocked)
    assert times["practitioner.create"] == [t_pt]
    assert times["patient.create"] == [t_patient]
    assert times["visit.create"] == [t_created]
    assert times["visit.update"] == [t_updated]
    assert times["visit.sign"] == [t_signed]
    assert times["visit.addendum"] == [t_addendum]
    assert times["visit.void"] == [t_void]
    # The times are part of each row's MAC: the chain still checks.
    assert clocked.verify_audit().ok


def test_draft_update_time_comes_from_the_store_clock(clocked: Store, clock: StepClock) -> None:
    pt = clocked.add_practitioner("Alex Rivera", "PT", pin=PIN)
    clinic = Clinic(clocked, pt, clocked.add_patient("Jane Doe", None, actor=pt))
    t_created = clock.step()
    draft = clinic.saved_draft()
    t_updated = clock.step(30)
    draft.payer = "self"
    clocked.save_draft(draft, actor=pt)
    record = clocked.load(draft.visit_id or 0)
    assert _aware(record.visit.created_at) == t_created
    assert _aware(record.visit.updated_at) == t_updated


def test_pin_lockout_runs_on_the_store_clock(clocked: Store, clock: StepClock) -> None:
    pt = clocked.add_practitioner("Alex Rivera", "PT", pin=PIN)
    assert pt.id is not None
    t_fail = clock.step()
    for _ in range(PIN_LOCKOUT_FAILURES):
        assert clocked.check_signer(pt.id, "000000") is False
    until = t_fail + PIN_LOCKOUT
    assert clocked.pin_locked_until(pt.id) == until
    with clocked.reading() as s:
        sec = s.get(PractitionerSecret, pt.id)
        assert sec is not None and _aware(sec.locked_until) == until
    assert _audit_times(clocked)["pin.fail"] == [t_fail] * PIN_LOCKOUT_FAILURES

    # Still locked one minute before the end, by the store's clock...
    clock.now = until - timedelta(minutes=1)
    with pytest.raises(LockedError):
        clocked.check_signer(pt.id, PIN)
    # ...and free once its clock passes the end (the real clock is 25 years later).
    clock.now = until + timedelta(seconds=1)
    assert clocked.pin_locked_until(pt.id) is None
    assert clocked.check_signer(pt.id, PIN) is True
    assert _audit_times(clocked)["pin.ok"] == [clock.now]


def test_coverage_time_comes_from_the_store_clock(clocked: Store, clock: StepClock) -> None:
    from dntui.domain.coverage import Coverage
    from dntui.store.models import CoverageRecord

    pt = clocked.add_practitioner("Alex Rivera", "PT", pin=PIN)
    patient = clocked.add_patient("Jane Doe", None, actor=pt)
    assert patient.id is not None
    t = clock.step()
    row = clocked.record_coverage(patient.id, Coverage(payer="self"), actor=pt)
    with clocked.reading() as s:
        got = s.get(CoverageRecord, row.id)
        assert got is not None and _aware(got.created_at) == t
    assert _audit_times(clocked)["coverage.record"] == [t]


def test_postgresql_signs_at_the_server_time(pg_server: Any, clock: StepClock) -> None:
    """On PostgreSQL the SECURITY DEFINER functions stamp the server's now(): trusted time."""
    url = pg_server.create_database()
    s = Store.open(url, clock=clock)
    try:
        pt = s.add_practitioner("Alex Rivera", "PT", pin=PIN)
        clinic = Clinic(s, pt, s.add_patient("Jane Doe", None, actor=pt))
        before = datetime.now(UTC) - timedelta(minutes=5)
        v = clinic.sign()
        assert v.signed_at is not None and _aware(v.signed_at) >= before  # not 2001
        # Rows the client inserts itself still take the store's clock.
        record = s.load(v.id or 0)
        assert _aware(record.visit.created_at) == START
    finally:
        s.close()
        pg_server.drop_database(url)
