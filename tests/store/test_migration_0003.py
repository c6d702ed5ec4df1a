"""Migration 0003: free-text credentials map onto the fixed list; visits carry forward."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from dntui.domain.credentials import parse_credential
from dntui.store import schema
from dntui.store.engine import make_engine
from dntui.store.repo import Store

AT = datetime(2024, 1, 1, tzinfo=UTC)
FREE_TEXT = {
    "Physical Therapist": "PT",
    "PT, DPT": "DPT",
    "D.C.": "DC",
    "Chiropractor": "DC",
    "M.D.": "MD",
    "Physical therapist assistant": "PTA",
    "L.Ac.": "LAc",
    "PA-C": "PA",
    "LAc": "LAc",
    "Reiki master": "Reiki master",  # names nothing on the list: kept for correction
}


def _migration():  # type: ignore[no-untyped-def]
    import importlib

    return importlib.import_module("dntui.store.migrations.versions.0003_credential_list")


@pytest.mark.parametrize("text", sorted(FREE_TEXT))
def test_migration_mapping_matches_the_domain_parser(text: str) -> None:
    """The migration's frozen copy agrees with dntui.domain.credentials today."""
    parsed = parse_credential(text)
    assert _migration().map_credential(text) == (parsed.value if parsed else None)


def test_upgrade_maps_free_text_credentials(db_url: str) -> None:
    from alembic import command

    engine = make_engine(db_url)
    with engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0002")
    insert = sa.text(
        "INSERT INTO practitioner (id, name, credentials, licence_no, licence_state, "
        "acupuncture_licensed, pin_hash, active, created_at) VALUES "
        "(:i, :n, :c, '', '', :f, '', :t, :at)"
    ).bindparams(
        # Through SQLAlchemy's DateTime, as dntui's own columns are: not sqlite3's default
        # datetime adapter, deprecated since Python 3.12.
        sa.bindparam("at", type_=sa.DateTime())
    )
    with engine.begin() as conn:
        for i, text in enumerate(FREE_TEXT, start=1):
            conn.execute(
                insert,
                {"i": i, "n": f"P{i}", "c": text, "f": False, "t": True, "at": AT},
            )
    engine.dispose()
    store = Store.open(db_url)
    try:
        got = {p.name: (p.credentials, p.acupuncture_degree) for p in store.practitioners()}
        for i, (text, expected) in enumerate(FREE_TEXT.items(), start=1):
            assert got[f"P{i}"] == (expected, False), text
    finally:
        store.close()


def test_add_practitioner_takes_the_list_only(sqlite_db_url: str) -> None:
    store = Store.open(sqlite_db_url)
    try:
        assert store.add_practitioner("Ann Lee", "Physical Therapist").credentials == "PT"
        p = store.add_practitioner(
            "Bo Ray", "MD", acupuncture_licensed=True, acupuncture_degree=True
        )
        assert (p.credentials, p.acupuncture_degree) == ("MD", True)
        with pytest.raises(ValueError, match="credentials must be one of PT, DPT, PTA"):
            store.add_practitioner("Cy Oz", "Reiki master")
    finally:
        store.close()


def test_upgrade_keeps_visits_muscles_and_the_billing_they_were_signed_with(
    sqlite_db_url: str,
) -> None:
    """A visit signed before this release (upper + middle + lower trapezius on the left
    billed as 3 muscles, 20561) keeps its muscles and its signed billing through the
    upgrade: the store gives back 20561, although today's rules count one muscle."""
    import json
    from datetime import date

    from alembic import command

    from dntui.clinic_files import load_fee_schedule
    from dntui.domain.billing import signed_summary, summarize
    from dntui.domain.record import BillingRecord
    from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft

    parts = ["upper-trapezius", "middle-trapezius", "lower-trapezius"]
    draft = VisitDraft(
        visit_date=date(2025, 6, 2),
        practitioner=PractitionerInfo(1, "Ann Lee", "Physical Therapist", False),
        patient=PatientInfo(1, "Jane Doe", None, "C1"),
        payer="commercial",
        diagnosis_codes=["M79.12"],
        muscles=[MuscleEntry(m, Side.LEFT, 1, 1) for m in parts],
        visit_id=1,
    )
    old = draft.to_dict()
    for key in ("pain_weeks", "home_exercises", "tolerance", "pregnancy_trimester"):
        old.pop(key)  # release 1 wrote none of these
    for m in old["muscles"]:
        m.pop("level")
    billing = {  # release 1: unversioned, "payer" holds the name, warnings plain texts
        "code": "20561",
        "label": "Dry needling, 3+ muscles",
        "muscle_count": 3,
        "counting": "3 muscles: upper trapezius L, middle trapezius L, lower trapezius L",
        "modifiers": [],
        "charge": "38.32",
        "payer": "Commercial insurance (generic)",
        "warnings": ["Upper trapezius: Lung: pneumothorax risk"],
    }
    engine = make_engine(sqlite_db_url)
    with engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0002")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO practitioner (id, name, credentials, licence_no, licence_state, "
            "acupuncture_licensed, pin_hash, active, created_at) VALUES "
            "(1, 'Ann Lee', 'Physical Therapist', '', '', 0, '', 1, "
            "'2025-06-01 00:00:00.000000')"
        )
        conn.exec_driver_sql(
            "INSERT INTO patient (id, chart_no, name, name_key, created_at) "
            "VALUES (1, 'C1', 'Jane Doe', 'jane doe', '2025-06-01 00:00:00.000000')"
        )
        # As the code of 0002 signed: inserted as a draft, then signed in place.
        conn.exec_driver_sql(
            "INSERT INTO visit (id, patient_id, practitioner_id, visit_date, status, payer, "
            "diagnosis_codes, abn_on_file, code, muscle_count, charge, draft_json, "
            "billing_json, note_text, version, created_at, updated_at, void_reason) VALUES "
            "(1, 1, 1, '2025-06-02', 'draft', 'commercial', 'M79.12', 0, '', 0, '', ?, '{}', "
            "'', 1, '2025-06-02 09:00:00.000000', '2025-06-02 09:00:00.000000', '')",
            (json.dumps(old),),
        )
        for pos, mid in enumerate(parts):
            conn.exec_driver_sql(
                "INSERT INTO visit_muscle (visit_id, position, muscle_id, side, needles_in, "
                "needles_out, technique, twitch, needle, estim) "
                "VALUES (1, ?, ?, 'L', 1, 1, 'pistoning', 'not recorded', '', 0)",
                (pos, mid),
            )
        conn.exec_driver_sql(
            "UPDATE visit SET status = 'signed', code = '20561', muscle_count = 3, "
            "charge = '38.32', billing_json = ?, note_text = 'the note as signed', "
            "version = 2, signed_at = '2025-06-02 09:30:00.000000', signed_by = 1 WHERE id = 1",
            (json.dumps(billing),),
        )
    engine.dispose()
    store = Store.open(sqlite_db_url)
    try:
        assert [p.credentials for p in store.practitioners()] == ["PT"]
        record = store.load(1)
        v = record.visit
        assert (v.status, v.code, v.muscle_count, v.charge) == ("signed", "20561", 3, "38.32")
        assert v.note_text == "the note as signed"
        assert json.loads(v.billing_json) == billing
        assert [m.muscle_id for m in record.draft.muscles] == parts
        with store.engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT muscle_id, side FROM visit_muscle WHERE visit_id = 1 ORDER BY position"
            ).all()
        assert [tuple(r) for r in rows] == [(m, "L") for m in parts]
        # What the visit screen shows for a signed visit: the stored billing ...
        shown = signed_summary(
            BillingRecord.from_json(v.billing_json, code=v.code, payer_key=v.payer).to_dict()
        )
        assert (shown.code, shown.muscle_count, shown.charge) == ("20561", 3, Decimal("38.32"))
        # ... although today's rules would count the three parts as one muscle.
        now = summarize(record.draft, load_fee_schedule(None))
        assert (now.code, now.muscle_count) == ("20560", 1)
    finally:
        store.close()
