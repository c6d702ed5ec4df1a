"""`dntui db migrate`: a SQLite clinic database arrives in PostgreSQL whole and verified."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from builders import record_of
from sqlalchemy import func, select
from sqlmodel import Session, SQLModel

from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft
from dntui.store.errors import LockedError, StoreError
from dntui.store.repo import Store
from dntui.store.transfer import ORDER, copy_database


def _fill(store: Store) -> int:
    p = store.add_practitioner("Dana Reyes", "PT", pin="123456")
    signed_id = 0
    for i in range(3):
        pa = store.add_patient(f"Patient {i}", date(1980, 1, 1 + i), actor=p)
        d = VisitDraft(
            visit_date=date(2026, 3, 1 + i),
            practitioner=PractitionerInfo(p.id, p.name, p.credentials),
            patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
            muscles=[MuscleEntry("upper-trapezius", Side.BILATERAL, 2, 2)],
        )
        d = store.save_draft(d, actor=p)
        if i < 2:
            v = store.sign(
                record_of(d, code="20560", muscle_count=2, charge="25.74", note_text="n"), signer=p
            )
            signed_id = v.id
    store.add_addendum(signed_id, author=p, text="late entry", reason="forgot")
    store.void(signed_id, actor=p, reason="wrong patient")
    return signed_id


def _counts(store: Store) -> dict[str, int]:
    with Session(store.engine) as s:
        return {
            name: s.execute(
                select(func.count()).select_from(SQLModel.metadata.tables[name])
            ).scalar_one()
            for name in ORDER
        }


def test_copy_sqlite_to_postgresql(tmp_path: Path, pg_server) -> None:  # type: ignore[no-untyped-def]
    src = Store.open(f"sqlite:///{tmp_path / 'clinic.db'}")
    voided = _fill(src)
    dst = Store.open(pg_server.create_database())
    result = copy_database(src, dst)
    assert result.check.ok, result.check.message()
    assert result.counts == _counts(src) == _counts(dst)
    assert result.counts["visit"] == 3 and result.counts["visit_muscle"] == 2
    rec = dst.load(voided)
    assert rec.visit.status == "entered-in-error" and len(rec.addenda) == 1
    # Arrived signed visits are locked there too, and new rows get fresh ids.
    signed = next(r for r in dst.visit_rows() if r.status == "signed")
    with pytest.raises(LockedError):
        dst.save_draft(dst.load(signed.id).draft, actor=dst.practitioner(1))
    newp = dst.add_patient("New One", None, actor=dst.practitioner(1))
    assert newp.id == 4
    assert dst.verify_audit().ok
    # A second copy into the now non-empty target is refused.
    with pytest.raises(StoreError, match="already holds data"):
        copy_database(src, dst)


def test_db_migrate_command(tmp_path: Path, pg_server) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "clinic.db"
    src = Store.open(f"sqlite:///{db}")
    _fill(src)
    src.close()
    target = pg_server.create_database()
    proc = subprocess.run(
        [sys.executable, "-m", "dntui", "db", "migrate", "--from", str(db), "--to", target],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "audit chain intact" in proc.stdout
    assert "visit" in proc.stdout and "3 rows" in proc.stdout
    verify = subprocess.run(
        [sys.executable, "-m", "dntui", "--db", target, "audit", "verify"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verify.returncode == 0 and "intact" in verify.stdout
