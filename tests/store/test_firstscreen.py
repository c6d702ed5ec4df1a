"""The first screen read with sqlite3 (dntui.store.firstscreen) says what the store says.

The quick path only ever shows: if it ever disagreed with the store, the start
screen would change when the store takes over (or worse, show wrong rows). Every
case where it cannot be sure (no file, another schema, a damaged file, not
SQLite) must give None, so that the store path decides and reports.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from dntui.store import firstscreen
from dntui.store.demo import seed_demo
from dntui.store.repo import Store
from dntui.store.schema import HEAD_REVISION

TODAY = date(2026, 3, 16)


def _path(url: str) -> Path:
    path = firstscreen.sqlite_file(url)
    assert path is not None
    return path


def test_reader_knows_the_current_schema_revision() -> None:
    assert firstscreen.HEAD_REVISION == HEAD_REVISION


@pytest.fixture
def demo(sqlite_db_url: str) -> Iterator[Store]:
    store = Store.open(sqlite_db_url)
    assert seed_demo(store, today=TODAY)
    dana = store.find_practitioner("Dana Reyes")
    assert dana is not None
    # An addendum, a second draft today, a patient-less draft and a late one of Dana's.
    signed = store.visit_rows(status="signed")[0]
    author = store.practitioner(store.load(signed.id).practitioner.id or 0)
    store.add_addendum(signed.id, author=author, text="Tolerated well.", reason="late entry")
    from builders import plain_draft

    store.save_draft(plain_draft(dana, None, day=TODAY), actor=dana)
    store.save_draft(plain_draft(dana, None, day=TODAY - timedelta(days=9)), actor=dana)
    yield store
    store.close()


def test_practitioners_and_start_rows_match_the_store(demo: Store, sqlite_db_url: str) -> None:
    people = firstscreen.peek(sqlite_db_url)
    assert people is not None
    assert [(p.id, p.name, p.credentials) for p in people] == [
        (p.id, p.name, p.credentials) for p in demo.practitioners()
    ]
    # Today, and the day of the signed visit with the addendum (a signed row with "+1").
    with_addendum = demo.visit_rows(status="signed")[0].visit_date
    for today in (TODAY, with_addendum):
        for late_days in (2, 30):
            for p in people:
                quick = firstscreen.peek_start(
                    sqlite_db_url, p.id, today=today, late_days=late_days
                )
                store = firstscreen.start_view(demo, p.id, today=today, late_days=late_days)
                assert quick == store
    dana = firstscreen.find(people, " dana reyes ")
    assert dana is not None
    view = firstscreen.peek_start(sqlite_db_url, dana.id, today=TODAY, late_days=2)
    assert view is not None
    statuses = [cells[4] for _, cells in view.rows]
    assert statuses[0].startswith("draft LATE 9 d")  # own late drafts first
    assert view.own_late >= 1 and view.clinic_late >= view.own_late
    signed_day = [
        firstscreen.peek_start(sqlite_db_url, p.id, today=with_addendum, late_days=2)
        for p in people
    ]
    assert any("signed +1" in [c[4] for _, c in v.rows] for v in signed_day if v is not None)


def test_reading_leaves_the_file_as_it_was(demo: Store, sqlite_db_url: str) -> None:
    demo.close()
    path = _path(sqlite_db_url)
    before = path.read_bytes()
    assert firstscreen.peek(sqlite_db_url)
    assert firstscreen.peek_start(sqlite_db_url, 1, today=TODAY, late_days=2) is not None
    assert path.read_bytes() == before


def test_nothing_it_cannot_be_sure_of(demo: Store, sqlite_db_url: str, tmp_path: Path) -> None:
    demo.close()
    assert firstscreen.peek(f"sqlite:///{tmp_path / 'missing.db'}") is None
    assert firstscreen.peek("postgresql+psycopg://dana@db/dntui") is None
    assert firstscreen.peek("sqlite://") is None
    # An older (or newer) schema: the store migrates or refuses, the reader stays out.
    conn = sqlite3.connect(_path(sqlite_db_url))
    conn.execute("UPDATE alembic_version SET version_num = '0003'")
    conn.commit()
    conn.close()
    assert firstscreen.peek(sqlite_db_url) is None
    assert firstscreen.peek_start(sqlite_db_url, 1, today=TODAY, late_days=2) is None
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all" * 100)
    assert firstscreen.peek(f"sqlite:///{damaged}") is None
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    assert firstscreen.peek(f"sqlite:///{other}") is None
