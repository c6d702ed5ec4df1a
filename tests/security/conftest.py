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

import uuid
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from builders import record_of
from security_support import (
    DANA_PIN,
    PATIENT,
    SAM_PIN,
    ClinicDB,
    _runner,
    draft_for,
    readme_sql,
)
from sqlalchemy import text
from sqlalchemy.engine import make_url

from dntui.store.repo import Store


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
        record_of(
            signed,
            code="20560",
            muscle_count=1,
            charge="25.74",
            note_text="Dry needling, upper trapezius left. Tolerated well.",
        ),
        signer=sam,
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
