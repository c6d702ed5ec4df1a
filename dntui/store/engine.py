"""Engine setup for SQLite (embedded default) and PostgreSQL (shared clinic database).

SQLite settings follow the measurements in shared/reliability.md: WAL, a busy
timeout, foreign keys on every connection, synchronous FULL, and the driver's
own transaction handling switched off so that write transactions start with
``BEGIN IMMEDIATE`` (no lost or duplicated "read then insert" under several
writers). The database file is created 0600 in a 0700 folder before SQLite
touches it, so its -wal and -shm files inherit the private mode.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from dntui.config import create_private_file, ensure_private_dir
from dntui.store.errors import StoreError

BUSY_TIMEOUT_MS = 15_000
#: Execution option that makes the next transaction ``BEGIN IMMEDIATE`` on SQLite.
IMMEDIATE = "dntui_immediate"


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def prepare_sqlite_file(path: Path) -> None:
    """Private folder and file before SQLite opens it; refuse what cannot be used."""
    folder = path.parent
    try:
        if not folder.exists():
            ensure_private_dir(folder)
        if not path.exists():
            create_private_file(path)
        else:
            os.chmod(path, 0o600)
    except PermissionError:
        raise StoreError(
            f"cannot write to {folder}: check the folder's permissions or choose "
            "another database with --db PATH"
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot create the database at {path}: {exc.strerror}") from None
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            with contextlib.suppress(OSError):
                os.chmod(side, 0o600)


@contextlib.contextmanager
def sqlite_file_lock(path: Path) -> Iterator[None]:
    """Exclusive lock (``flock`` on ``<db>.lock``) for first-run setup of a SQLite file.

    Not re-entrant: take it only while no new connection to the same file is opened.
    """
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def make_engine(url: str) -> Engine:
    """Create the engine for ``url`` with dntui's connection settings."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(
            f"{url!r} is not a database URL (expected a file path, sqlite:///PATH "
            "or postgresql+psycopg://USER@HOST/DB)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            prepare_sqlite_file(path)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername != "postgresql+psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            from dntui.install import postgres_driver_hint

            raise StoreError(
                f"PostgreSQL needs the psycopg driver: {postgres_driver_hint()}"
            ) from None
        # A write waits on another session's lock as long as SQLite's busy timeout, then
        # fails (the visit screen keeps the draft locally and retries): without it, a
        # colleague's idle SQL shell holding a row or the audit lock stalled every save
        # for as long as it stayed open (issue 17, attack 6 on PostgreSQL).
        return create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": 5,
                "options": f"-c lock_timeout={BUSY_TIMEOUT_MS}",
            },
        )
    raise StoreError(f"unsupported database {backend!r}: use SQLite or PostgreSQL")


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Take transaction control away from the driver (legacy mode issues no
        # BEGIN before a SELECT); we emit BEGIN ourselves below.
        dbapi_conn.isolation_level = None
        # The gate the guard triggers ask for (guards.py): closed unless dntui's own
        # signing/audit code opens it for this connection (audit.db_path).
        gate = [0]
        _record.info["dntui_gate"] = gate
        dbapi_conn.create_function("dntui_path", 0, lambda: 1 if gate[0] > 0 else 0)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
        if mode != "wal":
            # Switching a new file to WAL needs an exclusive lock, and processes
            # doing it at once get "database is locked" despite the busy timeout
            # (about 4% of simultaneous first opens): serialise it with the file lock.
            path = sqlite_path(str(engine.url))
            with sqlite_file_lock(path) if path is not None else contextlib.nullcontext():
                cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        immediate = conn.get_execution_options().get(IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
