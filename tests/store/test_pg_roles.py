"""The README's clinic setup: a practitioner role can log and sign visits, not alter the record."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from builders import record_of
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from dntui.domain.coverage import Coverage
from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft
from dntui.store.queries import current_coverage
from dntui.store.repo import Store

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_grants() -> list[str]:
    """The role and GRANT statements of the README's clinic setup, as written there."""
    block = re.search(r"```sql\n(.*?)```", README.read_text(), re.S)
    assert block, "README lost its SQL setup block"
    statements = []
    for line in block.group(1).splitlines():
        sql = line.split("--")[0].strip()
        if sql.startswith(("GRANT", "CREATE ROLE practitioners", "CREATE ROLE dana")):
            statements.append(sql.rstrip(";"))
    return statements


def test_practitioner_role_from_readme(pg_server) -> None:  # type: ignore[no-untyped-def]
    owner_url = pg_server.create_database()
    Store.open(owner_url).close()  # the owner creates the schema
    dbname = make_url(owner_url).database
    grants = readme_grants()
    assert any(g.startswith("GRANT UPDATE (") and " ON visit " in g for g in grants)
    owner = Store.open(owner_url)
    with owner.engine.begin() as conn:
        conn.execute(text("DROP ROLE IF EXISTS dana"))
        conn.execute(text("DROP ROLE IF EXISTS practitioners"))
        for sql in grants:
            conn.execute(text(sql.replace("DATABASE dntui", f'DATABASE "{dbname}"')))
    owner.close()

    dana_url = make_url(owner_url).set(username="dana", password="change-me")
    dana = Store.open(dana_url.render_as_string(hide_password=False))
    p = dana.add_practitioner("Dana Reyes", "PT", pin="246813")
    pa = dana.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    d = VisitDraft(
        visit_date=date(2026, 3, 2),
        practitioner=PractitionerInfo(p.id, p.name, p.credentials),
        patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
        muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
    )
    d = dana.save_draft(d, actor=p)
    d.abn_on_file = True
    d = dana.save_draft(d, actor=p)
    v = dana.sign(
        record_of(d, code="20560", muscle_count=1, charge="25.74", note_text="n"), signer=p
    )
    dana.add_addendum(v.id, author=p, text="late entry", reason="forgot")
    # Coverage checks are recorded (schema 0005), never changed.
    dana.record_coverage(pa.id, Coverage(payer="commercial", verified_on=date(2026, 3, 1)), actor=p)
    assert current_coverage(dana, pa.id)["commercial"].verified_on == date(2026, 3, 1)
    assert dana.verify_audit().ok
    for sql in (
        "UPDATE audit SET detail = 'x'",
        "DELETE FROM audit",
        "UPDATE addendum SET text = 'x'",
        "DELETE FROM visit_muscle",
        "DELETE FROM visit",
        "UPDATE coverage SET notes = 'x'",
        "DELETE FROM coverage",
    ):
        with (
            pytest.raises(DBAPIError, match=r"permission denied"),
            dana.engine.begin() as conn,
        ):
            conn.execute(text(sql))
    dana.close()
