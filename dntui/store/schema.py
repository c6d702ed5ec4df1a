"""Bring a database to the schema this code expects, or refuse it.

The fast path (schema already current) runs one query and never imports Alembic
(~0.25 s). Only when the schema is behind is Alembic loaded and run, under a lock
(a file lock for SQLite, an advisory lock on PostgreSQL) so that several clients
starting at once do not race, and inside one transaction so that a failing
migration leaves nothing half-applied.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError, ProgrammingError

from dntui.store.engine import IMMEDIATE, sqlite_file_lock, sqlite_path
from dntui.store.errors import NewerSchemaError, StoreError

#: Every revision this code knows, oldest first. The last one is the head.
#: ``tests/store/test_migrations.py`` checks this list against the migration scripts.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006")
HEAD_REVISION = KNOWN_REVISIONS[-1]
_PG_LOCK_KEY = 0x64_6E_74_75_69  # "dntui"

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: ``on_step(revisions applied, revisions to apply, revision just applied)``; first
#: called with ``(0, n, "")`` before the upgrade starts. Only called when the
#: database is behind; an empty database counts as behind by every revision.
MigrateProgress = Callable[[int, int, str], None]


def steps_to_head(rev: str | None) -> int:
    """How many revisions an upgrade from ``rev`` applies."""
    if rev is None:
        return len(KNOWN_REVISIONS)
    return len(KNOWN_REVISIONS) - 1 - KNOWN_REVISIONS.index(rev)


def current_revision(conn: Connection) -> str | None:
    """The database's Alembic revision; None for an empty database.

    Raises StoreError for a database that has tables but is not dntui's.
    """
    dialect = conn.dialect.name
    if dialect == "sqlite":
        names = {
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ).fetchall()
        }
    else:
        names = {
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            ).fetchall()
        }
    if "alembic_version" not in names:
        if names - {"sqlite_sequence"}:
            raise StoreError(
                "this database holds tables that are not dntui's: choose another with --db"
            )
        return None
    row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchone()
    return row[0] if row else None


def _alembic_config(conn: Connection, on_step: MigrateProgress | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["connection"] = conn
    if on_step is not None:
        rev = current_revision(conn)
        total = steps_to_head(rev)
        done = [0]

        def applied(*, step: Any, **_: Any) -> None:
            done[0] += 1
            on_step(done[0], total, str(step.up_revision_id or ""))

        on_step(0, total, "")
        cfg.attributes["on_version_apply"] = applied
    return cfg


def _check(rev: str | None) -> bool:
    """True when an upgrade is needed; raises for a database newer than this code."""
    if rev == HEAD_REVISION:
        return False
    if rev is not None and rev not in KNOWN_REVISIONS:
        from dntui.install import upgrade_hint

        raise NewerSchemaError(
            f"this database was written by a newer version of dntui (schema {rev}); "
            f"upgrade dntui ({upgrade_hint()}) before opening it"
        )
    return True


def _upgrade(conn: Connection, on_step: MigrateProgress | None = None) -> None:
    from alembic import command

    from dntui.store.audit import db_path

    try:
        with db_path(conn):  # migrations are dntui's own code: the SQLite gate is open
            command.upgrade(_alembic_config(conn, on_step), "head")
    except Exception as exc:
        # Raised inside the caller's transaction, which rolls the whole upgrade back.
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise StoreError(
            f"upgrading the database to schema {HEAD_REVISION} failed and was undone, "
            f"the database is unchanged: {first}"
        ) from exc


def ensure_schema(engine: Engine, on_step: MigrateProgress | None = None) -> str:
    """Make the schema current. Returns the revision. Raises StoreError subclasses."""
    try:
        with engine.connect() as conn:
            rev = current_revision(conn)
            conn.rollback()
        if not _check(rev):
            return HEAD_REVISION
        if engine.dialect.name == "sqlite":
            _upgrade_sqlite(engine, on_step)
        else:
            _upgrade_postgres(engine, on_step)
    except StoreError:
        raise
    except (OperationalError, DatabaseError, ProgrammingError) as exc:
        raise StoreError(describe_db_error(exc, engine)) from None
    return HEAD_REVISION


def _upgrade_sqlite(engine: Engine, on_step: MigrateProgress | None = None) -> None:
    path = sqlite_path(str(engine.url))
    lock = sqlite_file_lock(path) if path is not None else contextlib.nullcontext()
    # Connect before locking: a new connection may take the same lock (WAL switch).
    with engine.connect() as conn, lock:
        # Foreign keys must be switched off outside any transaction: batch mode
        # rebuilds tables, and with them on SQLite deletes child rows.
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            conn = conn.execution_options(**{IMMEDIATE: True})
            with conn.begin():
                if _check(current_revision(conn)):  # someone may have done it meanwhile
                    _upgrade(conn, on_step)
        finally:
            raw.execute("PRAGMA foreign_keys = ON")


def _upgrade_postgres(engine: Engine, on_step: MigrateProgress | None = None) -> None:
    with engine.connect() as conn, conn.begin():
        # Clients starting together wait for one another's upgrade however long it
        # takes (the engine's lock timeout is for a save behind someone else's lock).
        conn.execute(text("SET LOCAL lock_timeout = 0"))
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        if _check(current_revision(conn)):
            _upgrade(conn, on_step)


def describe_db_error(exc: Exception, engine: Engine) -> str:
    """One line for a user, from a driver error, without patient data or a traceback."""
    msg = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else ""
    url = engine.url.render_as_string(hide_password=True)
    low = msg.lower()
    if "file is not a database" in low or "malformed" in low:
        return (
            f"{url} is damaged or is not a dntui database: restore it from a backup "
            "or choose another with --db"
        )
    if "unable to open database" in low or "readonly" in low or "read-only" in low:
        return f"cannot open {url} for writing: check the file and folder permissions"
    if "password authentication failed" in low:
        return f"the database refused the password for {url}: check DNTUI_DATABASE_URL"
    if "connection refused" in low or "could not connect" in low or "timeout" in low:
        return f"cannot reach the database server at {url}: is it running? ({msg})"
    if "does not exist" in low and "database" in low:
        return f"the database in {url} does not exist: create it first (see README)"
    return f"cannot use the database {url}: {msg}"
