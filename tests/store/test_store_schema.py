"""Migrations, refusing databases that cannot be used, and private files."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import record_of
from sqlalchemy import create_engine, inspect

from dntui.domain.visit import VisitDraft
from dntui.store import guards, schema
from dntui.store.engine import make_engine, prepare_sqlite_file, sqlite_path
from dntui.store.errors import NewerSchemaError, StoreError
from dntui.store.repo import Store

TABLES = {
    "alembic_version",
    "practitioner",
    "patient",
    "visit",
    "visit_muscle",
    "screening_answer",
    "addendum",
    "audit",
    "practitioner_secret",  # 0004
    "dntui_meta",
    "dntui_secret",
    "audit_anchor",
    "coverage",  # 0005
}
SQLITE_TRIGGERS = set(guards.sqlite_guards())  # 0001, 0002 and 0004 (re-created by 0004), 0005
PG_TRIGGERS = set(guards.PG_TRIGGERS)


def triggers(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "sqlite":
                sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            else:
                sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            return {r[0] for r in conn.exec_driver_sql(sql)}
    finally:
        engine.dispose()


def snapshot(url: str) -> dict[str, Any]:
    """Tables, their columns and indexes, triggers and the revision."""
    engine = create_engine(url)
    try:
        insp = inspect(engine)
        tables = {
            t: (
                [c["name"] for c in insp.get_columns(t)],
                sorted(i["name"] or "" for i in insp.get_indexes(t)),
            )
            for t in insp.get_table_names()
        }
        with engine.connect() as conn:
            revs = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    finally:
        engine.dispose()
    return {"tables": tables, "triggers": triggers(url), "revisions": revs}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------ migrations
def test_migration_from_empty_creates_all_tables_and_guards(db_url: str) -> None:
    store = Store.open(db_url)
    store.close()
    snap = snapshot(db_url)
    assert set(snap["tables"]) - {"sqlite_sequence"} == TABLES
    assert snap["revisions"] == [schema.HEAD_REVISION]
    expected = SQLITE_TRIGGERS if db_url.startswith("sqlite") else PG_TRIGGERS
    assert snap["triggers"] == expected


def test_migrated_schema_matches_the_models(db_url: str) -> None:
    """A model changed without a migration shows up here as a difference."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import dntui.store.models  # noqa: F401

    Store.open(db_url).close()
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_ensure_schema_twice_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        assert schema.ensure_schema(engine) == schema.HEAD_REVISION
        before = snapshot(db_url)
        assert schema.ensure_schema(engine) == schema.HEAD_REVISION
        assert snapshot(db_url) == before
    finally:
        engine.dispose()


def test_current_schema_opens_without_importing_alembic(db_url: str) -> None:
    """The fast path (schema current) must not pay for importing Alembic (~0.25 s)."""
    Store.open(db_url).close()
    code = textwrap.dedent(
        f"""
        import sys
        from dntui.store.repo import Store
        Store.open({db_url!r}).close()
        assert "alembic" not in sys.modules, "alembic was imported"
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_known_revisions_match_the_migration_scripts() -> None:
    """Fails when a migration is added without updating schema.KNOWN_REVISIONS."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(schema.MIGRATIONS_DIR))
    assert scripts.get_heads() == [schema.HEAD_REVISION], "exactly one head, the known one"
    oldest_first = [s.revision for s in reversed(list(scripts.walk_revisions()))]
    assert tuple(oldest_first) == schema.KNOWN_REVISIONS
    assert schema.KNOWN_REVISIONS[-1] == schema.HEAD_REVISION


# A migration that changes things and then fails: nothing of it may remain.
BROKEN_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
    with op.batch_alter_table("practitioner") as batch:
        batch.add_column(sa.Column("nickname", sa.String(), nullable=True))
    op.execute("UPDATE practitioner SET name = 'changed'")
    raise RuntimeError("migration 9001 exploded")


def downgrade() -> None:
    pass
"""

# Rebuilds the parent table of visits while visits exist (SQLite batch mode).
REBUILD_MIGRATION = """
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practitioner", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(), nullable=True))


def downgrade() -> None:
    pass
"""


@pytest.fixture
def extra_migration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[str], None]]:
    """Install a copy of the migrations plus one more revision "9001" after the head."""

    def install(source: str) -> None:
        folder = tmp_path / "migrations"
        shutil.copytree(schema.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        head = schema.HEAD_REVISION
        (folder / "versions" / "9001_extra.py").write_text(source.replace("{head}", head))
        monkeypatch.setattr(schema, "MIGRATIONS_DIR", folder)
        monkeypatch.setattr(schema, "KNOWN_REVISIONS", (*schema.KNOWN_REVISIONS, "9001"))
        monkeypatch.setattr(schema, "HEAD_REVISION", "9001")

    yield install


def test_failing_migration_leaves_nothing_behind(
    db_url: str, extra_migration: Callable[[str], None]
) -> None:
    store = Store.open(db_url)
    store.add_practitioner("Alex Rivera", "PT")
    store.close()
    before = snapshot(db_url)
    extra_migration(BROKEN_MIGRATION)
    with pytest.raises(StoreError, match=r"exploded") as err:
        Store.open(db_url)
    assert "upgrad" in str(err.value)
    assert snapshot(db_url) == before
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT name FROM practitioner").scalar() == "Alex Rivera"
    engine.dispose()


def test_rebuilding_a_parent_table_keeps_child_rows(
    sqlite_db_url: str,
    extra_migration: Callable[[str], None],
    make_draft: Callable[..., VisitDraft],
) -> None:
    """Batch mode rebuilds tables; with foreign keys on that would lose or refuse rows."""
    store = Store.open(sqlite_db_url)
    pt = store.add_practitioner("Alex Rivera", "PT")
    patient = store.add_patient("Jane Doe", None, actor=pt)
    signed = store.save_draft(make_draft(pt, patient), actor=pt)
    store.sign(
        record_of(signed, code="20561", muscle_count=3, charge="1", note_text="n"), signer=pt
    )
    draft = store.save_draft(make_draft(pt, patient), actor=pt)
    visit_ids = [signed.visit_id, draft.visit_id]
    store.close()
    extra_migration(REBUILD_MIGRATION)
    store = Store.open(sqlite_db_url)
    try:
        for vid in visit_ids:
            rec = store.load(vid)
            assert rec.practitioner.name == "Alex Rivera"
            assert len(rec.draft.muscles) == 2
        assert store.verify_audit().ok
    finally:
        store.close()
    engine = create_engine(sqlite_db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
        assert conn.exec_driver_sql("SELECT count(*) FROM visit_muscle").scalar() == 2
        assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == "9001"
    engine.dispose()


# ------------------------------------------------------ refused databases
def test_newer_schema_is_refused(db_url: str, raw_sql: Callable[..., Any]) -> None:
    Store.open(db_url).close()
    raw_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(NewerSchemaError) as err:
        Store.open(db_url)
    msg = str(err.value)
    assert "newer version of dntui" in msg
    assert "9999" in msg
    assert "\n" not in msg


def test_database_with_foreign_tables_is_refused(db_url: str, raw_sql: Callable[..., Any]) -> None:
    raw_sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount INTEGER)")
    with pytest.raises(StoreError, match="not dntui's"):
        Store.open(db_url)
    # and nothing was added to it
    assert snapshot_tables(db_url) == {"invoices"}


def snapshot_tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_file_that_is_not_a_database_is_reported_damaged(tmp_path: Path) -> None:
    path = tmp_path / "dntui.db"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    with pytest.raises(StoreError, match="damaged") as err:
        Store.open(f"sqlite:///{path}")
    assert str(path) in str(err.value)
    assert path.read_bytes() == garbage, "a damaged file must be left untouched"


def test_unreachable_postgres_fails_fast_with_a_clear_message() -> None:
    url = f"postgresql+psycopg://dntui@127.0.0.1:{closed_port()}/dntui"
    t0 = time.monotonic()
    with pytest.raises(StoreError, match="cannot reach the database server") as err:
        Store.open(url)
    assert time.monotonic() - t0 < 8
    assert "\n" not in str(err.value)


def test_missing_postgres_database_is_named(pg_admin_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(pg_admin_url).set(database="dntui_no_such_db").render_as_string(False)
    with pytest.raises(StoreError, match="does not exist") as err:
        Store.open(url)
    assert "dntui_no_such_db" in str(err.value)


def test_not_a_url_is_refused() -> None:
    with pytest.raises(StoreError, match="not a database URL"):
        Store.open("not a url")
    with pytest.raises(StoreError, match="unsupported database"):
        Store.open("mysql://u@h/db")


def test_database_path_that_cannot_be_created(tmp_path: Path) -> None:
    """A path below a regular file cannot be created, even by root."""
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    path = blocker / "db.sqlite"
    with pytest.raises(StoreError, match="cannot create the database") as err:
        prepare_sqlite_file(path)
    assert str(path) in str(err.value)
    with pytest.raises(StoreError, match="cannot create the database"):
        Store.open(f"sqlite:///{path}")
    deeper = blocker / "sub" / "db.sqlite"
    with pytest.raises(StoreError) as err2:
        Store.open(f"sqlite:///{deeper}")
    assert "db.sqlite" in str(err2.value) or "sub" in str(err2.value)


# ------------------------------------------------------- file permissions
@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.usefixtures("umask_022")
def test_new_database_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "dntui"
    url = f"sqlite:///{folder / 'dntui.db'}"
    store = Store.open(url)
    try:
        store.add_practitioner("Alex Rivera", "PT")  # a write: -wal and -shm exist now
        db = sqlite_path(url)
        assert db is not None
        files = [db, db.with_name("dntui.db-wal"), db.with_name("dntui.db-shm")]
        for f in files:
            assert f.exists(), f
            assert mode(f) == 0o600, f"{f.name} is {oct(mode(f))}"
        assert mode(folder) == 0o700
        lock = db.with_name("dntui.db.lock")
        assert mode(lock) & 0o077 == 0
    finally:
        store.close()


@pytest.mark.usefixtures("umask_022")
def test_existing_world_readable_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "dntui.db"
    Store.open(f"sqlite:///{path}").close()
    os.chmod(path, 0o644)
    store = Store.open(f"sqlite:///{path}")
    store.add_practitioner("Alex Rivera", "PT")
    try:
        assert mode(path) == 0o600
        assert mode(path.with_name("dntui.db-wal")) == 0o600
    finally:
        store.close()


def _old_code_rows(engine: Any, make_draft: Callable[..., VisitDraft]) -> int:
    """What the code of schemas 0001/0002 wrote: PIN hash in practitioner, unkeyed chain."""
    import json

    from dntui.domain.pin import hash_pin
    from dntui.store import audit
    from dntui.store.models import AuditEvent, utcnow

    prev = audit.GENESIS
    with engine.begin() as conn:
        for i, name in enumerate(("Alex Rivera", "alex rivera", "Sam Lee"), start=1):
            conn.exec_driver_sql(
                "INSERT INTO practitioner (id, name, credentials, licence_no, licence_state, "
                "acupuncture_licensed, pin_hash, active, created_at) "
                "VALUES (?, ?, 'PT', '', '', 0, ?, 1, '2026-01-01 00:00:00.000000')",
                (i, name, hash_pin("4821", min_length=4)),
            )
            ev = AuditEvent(
                seq=i, at=utcnow(), actor_id=i, actor=name, action="practitioner.create",
                detail="PT", prev_hash=prev,
            )  # fmt: skip
            ev.hash = audit.row_hash(ev)
            prev = ev.hash
            conn.exec_driver_sql(
                "INSERT INTO audit (seq, at, actor_id, actor, action, visit_id, detail, "
                "prev_hash, hash) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?)",
                (ev.seq, ev.at.strftime("%Y-%m-%d %H:%M:%S.%f"), ev.actor_id, ev.actor,
                 ev.action, ev.detail, ev.prev_hash, ev.hash),
            )  # fmt: skip
        conn.exec_driver_sql(
            "INSERT INTO patient (id, chart_no, name, name_key, created_at) "
            "VALUES (1, 'C1', 'Jane Doe', 'jane doe', '2026-01-01 00:00:00.000000')"
        )
        from dntui.store.models import Practitioner

        pt = Practitioner(id=1, name="Alex Rivera", credentials="PT")
        body = json.dumps(make_draft(pt, None).to_dict())
        conn.exec_driver_sql(
            "INSERT INTO visit (id, patient_id, practitioner_id, visit_date, status, payer, "
            "diagnosis_codes, abn_on_file, code, muscle_count, charge, draft_json, billing_json, "
            "note_text, version, created_at, updated_at, void_reason) VALUES (1, 1, 1, "
            "'2026-01-05', 'draft', '', '', 0, '', 0, '', ?, '{}', '', 1, "
            "'2026-01-05 00:00:00.000000', '2026-01-05 00:00:00.000000', '')",
            (body,),
        )
    return 1


def test_a_database_at_0002_upgrades_to_the_head_and_keeps_everything(
    sqlite_db_url: str, make_draft: Callable[..., VisitDraft]
) -> None:
    """A clinic's 0002 database opens with the current code: PIN hashes move to
    practitioner_secret, duplicate names are told apart, the old unkeyed audit rows
    still verify and new rows are keyed after them, the guards are in place."""
    from alembic import command

    engine = make_engine(sqlite_db_url)
    with engine.begin() as conn:
        command.upgrade(schema._alembic_config(conn), "0002")
    vid = _old_code_rows(engine, make_draft)
    engine.dispose()
    store = Store.open(sqlite_db_url)
    try:
        assert store.load(vid).draft.visit_id is not None
        with store.engine.connect() as conn:
            rev = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            names = [
                r[0] for r in conn.exec_driver_sql("SELECT name FROM practitioner ORDER BY id")
            ]
            cols = [r[1] for r in conn.exec_driver_sql("PRAGMA table_info(practitioner)")]
            secrets = conn.exec_driver_sql("SELECT count(*) FROM practitioner_secret").scalar()
        assert rev == schema.HEAD_REVISION == "0006"
        assert names == ["Alex Rivera", "alex rivera (2)", "Sam Lee"]
        assert "pin_hash" not in cols and secrets == 3
        assert store.check_signer(1, "4821") is True  # the old PIN still signs
        check = store.verify_audit()
        assert check.ok, check.report()
        trail = store.audit_trail()
        assert [bool(e.key_id) for e in trail] == [False, False, False, True]
        assert triggers(sqlite_db_url) == SQLITE_TRIGGERS
    finally:
        store.close()
