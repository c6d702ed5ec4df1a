"""A clinic to attack, on SQLite and on a real PostgreSQL with the README's roles.

``ClinicDB`` holds two practitioners, Dana and Sam, each with their own store
(on PostgreSQL each logs in as their own role, set up exactly as the README's SQL
block says), a patient, one of Sam's visits signed and one of Sam's drafts.

* ``attacker(sql)``: Dana with a SQL shell. PostgreSQL: Dana's role. SQLite: a plain
  ``sqlite3`` connection to the file (no dntui code, so no gate function).
* ``file_owner(sql)``: the strongest local attacker. PostgreSQL: the schema owner.
  SQLite: a connection that defines the gate function to return 1 (i.e. bypasses
  the triggers the way only someone who read dntui's source would). What holds
  against them is detection, which ``dntui audit verify`` must report.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    VisitDraft,
)
from dntui.store.models import Patient, Practitioner
from dntui.store.repo import Store

README = Path(__file__).resolve().parents[2] / "README.md"
DANA_PIN = "246813"
SAM_PIN = "975310"
PATIENT = "Zelda Quintanilla-Marsh"

SQL = Callable[..., list[tuple[Any, ...]]]


def readme_sql(role_tag: str) -> list[str]:
    """The README's role and GRANT statements, with role names made unique per test."""
    block = re.search(r"```sql\n(.*?)```", README.read_text(), re.S)
    assert block, "README lost its SQL setup block"
    out = []
    for line in block.group(1).splitlines():
        sql = line.split("--")[0].strip()
        if sql.startswith(("GRANT", "CREATE ROLE practitioners", "CREATE ROLE dana")):
            sql = re.sub(r"\bpractitioners\b", f"practitioners_{role_tag}", sql)
            sql = re.sub(r"\bdana\b", f"dana_{role_tag}", sql)
            out.append(sql.rstrip(";"))
    return out


def draft_for(pt: Practitioner, patient: Patient) -> VisitDraft:
    return VisitDraft(
        visit_date=date(2026, 3, 2),
        practitioner=PractitionerInfo(pt.id, pt.name, pt.credentials),
        patient=PatientInfo(patient.id, patient.name, patient.date_of_birth, patient.chart_no),
        screening={"pregnancy": ScreeningAnswer(Answer.NO)},
        consent=Consent(True, "verbal", "v1", "2026-03-02T10:00:00+00:00"),
        muscles=[MuscleEntry("upper_trapezius", Side.LEFT, 1, 1)],
    )


@dataclass
class ClinicDB:
    engine: str  # "sqlite" | "postgresql"
    url: str
    owner: Store
    dana_store: Store
    sam_store: Store
    dana: Practitioner
    sam: Practitioner
    patient: Patient
    sam_signed: int
    sam_draft: int
    attacker: SQL
    file_owner: SQL

    @property
    def pg(self) -> bool:
        return self.engine == "postgresql"

    def reopen(self) -> Store:
        return Store.open(self.url)


def _runner(url: str, *, gate: int | None) -> tuple[SQL, Callable[[], None]]:
    if url.startswith("sqlite"):
        path = make_url(url).database

        def run_sqlite(
            sql: str, params: dict[str, Any] | tuple[Any, ...] = ()
        ) -> list[tuple[Any, ...]]:
            conn = sqlite3.connect(path, isolation_level=None)
            try:
                if gate is not None:
                    conn.create_function("dntui_path", 0, lambda: gate)
                conn.execute("BEGIN IMMEDIATE")
                rows = conn.execute(sql, params).fetchall()
                conn.execute("COMMIT")
                return rows
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            finally:
                conn.close()

        return run_sqlite, lambda: None
    engine = create_engine(url)

    def run_pg(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params or {})
            return [tuple(r) for r in result.fetchall()] if result.returns_rows else []

    return run_pg, engine.dispose


@pytest.fixture
def cdb(db_url: str) -> Iterator[ClinicDB]:
    owner = Store.open(db_url)
    closers: list[Callable[[], None]] = [owner.close]
    if db_url.startswith("sqlite"):
        dana_url = sam_url = db_url
        attacker, close_a = _runner(db_url, gate=None)
        file_owner, close_o = _runner(db_url, gate=1)
    else:
        tag = uuid.uuid4().hex[:8]
        dbname = make_url(db_url).database
        with owner.engine.begin() as conn:
            for sql in readme_sql(tag):
                conn.execute(text(sql.replace("DATABASE dntui", f'DATABASE "{dbname}"')))
            conn.execute(
                text(
                    f"CREATE ROLE sam_{tag} LOGIN PASSWORD 'change-me' IN ROLE practitioners_{tag}"
                )
            )
        base = make_url(db_url).set(password="change-me")
        dana_url = base.set(username=f"dana_{tag}").render_as_string(hide_password=False)
        sam_url = base.set(username=f"sam_{tag}").render_as_string(hide_password=False)
        attacker, close_a = _runner(dana_url, gate=None)
        file_owner, close_o = _runner(db_url, gate=None)
    closers += [close_a, close_o]
    dana_store = Store.open(dana_url)
    sam_store = Store.open(sam_url)
    closers += [dana_store.close, sam_store.close]
    dana = dana_store.add_practitioner("Dana Reyes", "PT", pin=DANA_PIN)
    sam = sam_store.add_practitioner("Sam Okafor", "DC", pin=SAM_PIN)
    patient = sam_store.add_patient(PATIENT, date(1961, 7, 9), actor=sam)
    signed = sam_store.save_draft(draft_for(sam, patient), actor=sam)
    v = sam_store.sign(
        signed,
        signer=sam,
        code="20560",
        muscle_count=1,
        charge="25.74",
        billing={"code": "20560"},
        note_text="Dry needling, upper trapezius left. Tolerated well.",
    )
    draft = sam_store.save_draft(draft_for(sam, patient), actor=sam)
    assert draft.visit_id is not None and v.id is not None
    yield ClinicDB(
        engine="sqlite" if db_url.startswith("sqlite") else "postgresql",
        url=db_url,
        owner=owner,
        dana_store=dana_store,
        sam_store=sam_store,
        dana=dana,
        sam=sam,
        patient=patient,
        sam_signed=v.id,
        sam_draft=draft.visit_id,
        attacker=attacker,
        file_owner=file_owner,
    )
    for close in reversed(closers):
        close()
