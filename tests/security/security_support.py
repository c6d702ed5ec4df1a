"""Helpers for the security tests: the README's grants, a clinic to attack."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from builders import plain_draft
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
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
    return plain_draft(
        pt,
        patient,
        day=date(2026, 3, 2),
        muscles=[MuscleEntry("upper_trapezius", Side.LEFT, 1, 1)],
        screening={"pregnancy": ScreeningAnswer(Answer.NO)},
        consent=Consent(True, "verbal", "v1", "2026-03-02T10:00:00+00:00"),
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
