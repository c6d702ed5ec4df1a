"""Migration 0003: free-text credentials map onto the fixed list; visits carry forward."""

from __future__ import annotations

from datetime import UTC, datetime

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
