"""Several processes on one database: no errors, no lost or duplicated rows, no forked chain.

SQLite is the engine with the hazards (shared/reliability.md): without BEGIN
IMMEDIATE, "read then write" transactions lose or duplicate rows, and several
processes creating a new file at once collide on the WAL switch and the
migration. The writer test also runs on PostgreSQL, where the audit chain relies
on an advisory lock.

Workers are separate processes (``tests/processes.py``: forked from a server that
has the store's modules loaded, with nothing opened, as separate app instances would
be) and kept alive across rounds.
"""

from __future__ import annotations

import os
import sqlite3
import time
import traceback
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from processes import process_context

from dntui.domain.visit import MuscleEntry, PractitionerInfo, VisitDraft
from dntui.store.guards import sqlite_guards
from dntui.store.repo import Store
from dntui.store.schema import HEAD_REVISION

PROCESSES = 4
VISITS_EACH = 200
NEW_FILE_ROUNDS = 25
WAL_ROUNDS = 60
PG_NEW_DB_ROUNDS = 8
TIMEOUT = 120


# ------------------------------------------------------------- workers
def _writer(url: str, n: int, barrier: Any, results: Any) -> None:
    """Open the store, add a practitioner, then save and update ``n`` new visits."""
    ids: list[int] = []
    errors: list[str] = []
    try:
        store = Store.open(url)
        me = store.add_practitioner(f"Writer {os.getpid()}", "PT")
        info = PractitionerInfo(id=me.id, name=me.name, credentials=me.credentials)
        barrier.wait(TIMEOUT)
        for i in range(n):
            try:
                draft = VisitDraft(
                    visit_date=date(2026, 1, 1) + timedelta(days=i % 28),
                    practitioner=info,
                    muscles=[MuscleEntry("upper_trapezius")],
                )
                store.save_draft(draft, actor=me)  # insert + audit row
                draft.payer = "medicare"
                store.save_draft(draft, actor=me)  # read, version check, update + audit row
                assert draft.visit_id is not None
                ids.append(draft.visit_id)
            except Exception:
                errors.append(traceback.format_exc(limit=3))
        store.close()
    except Exception:
        errors.append(traceback.format_exc())
    results.put((os.getpid(), ids, errors))


def _opener(urls: list[str], barrier: Any, results: Any) -> None:
    """For each round: wait for the others, then open a brand-new database."""
    outcome: list[str] = []
    for url in urls:
        try:
            barrier.wait(TIMEOUT)
        except Exception:
            outcome.append("barrier broken")
            continue
        try:
            store = Store.open(url)
            store.add_practitioner(f"Opener {os.getpid()}", "PT")
            store.close()
            outcome.append("ok")
        except Exception as exc:
            outcome.append(f"{type(exc).__name__}: {exc}")
    results.put((os.getpid(), outcome))


def _connector(paths: list[str], barrier: Any, results: Any) -> None:
    """For each round: wait for the others, then make the first connection to a new file."""
    from dntui.store.engine import make_engine

    outcome: list[str] = []
    for path in paths:
        try:
            barrier.wait(TIMEOUT)
        except Exception:
            outcome.append("barrier broken")
            continue
        try:
            engine = make_engine(f"sqlite:///{path}")
            with engine.connect():
                pass
            engine.dispose()
            outcome.append("ok")
        except Exception as exc:
            outcome.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
    results.put((os.getpid(), outcome))


def _run(
    target: Callable[..., None], args: tuple[Any, ...], rounds: int = 1
) -> tuple[list[Any], float]:
    """Start PROCESSES workers, release them together each round, collect their results."""
    ctx = process_context()
    barrier = ctx.Barrier(PROCESSES + 1)
    results = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, barrier, results)) for _ in range(PROCESSES)]
    for p in procs:
        p.start()
    try:
        barrier.wait(TIMEOUT)
        t0 = time.perf_counter()
        for _ in range(rounds - 1):
            barrier.wait(TIMEOUT)
        out = [results.get(timeout=TIMEOUT) for _ in procs]
        elapsed = time.perf_counter() - t0
    finally:
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
    assert all(p.exitcode == 0 for p in procs), [p.exitcode for p in procs]
    return out, elapsed


# ---------------------------------------------------------------- tests
def test_concurrent_writers_lose_nothing(db_url: str, report_line: Callable[[str], None]) -> None:
    Store.open(db_url).close()  # migrate first: this test is about the writes
    out, elapsed = _run(_writer, (db_url, VISITS_EACH))
    errors = [e for _, _, errs in out for e in errs]
    assert errors == [], errors[0]
    ids = [i for _, got, _ in out for i in got]
    total = PROCESSES * VISITS_EACH
    assert len(ids) == total
    assert len(set(ids)) == total, "two writers got the same visit id"

    store = Store.open(db_url)
    try:
        rows = store.visit_rows(limit=total * 2)
        assert len(rows) == total
        assert {r.id for r in rows} == set(ids)
        assert {r.practitioner_name for r in rows} == {f"Writer {pid}" for pid, _, _ in out}
        for vid in ids[:: VISITS_EACH // 4]:
            rec = store.load(vid)
            assert (rec.visit.version, rec.draft.payer) == (2, "medicare")
        trail = store.audit_trail(limit=10 * total)
        assert len(trail) == PROCESSES + 2 * total
        assert [e.seq for e in trail] == list(range(1, len(trail) + 1))
        assert sorted(e.visit_id for e in trail if e.action == "visit.create") == sorted(ids)
        assert sum(e.action == "visit.update" for e in trail) == total
        check = store.verify_audit()
        assert check.ok, check.message()
    finally:
        store.close()
    engine = "sqlite" if db_url.startswith("sqlite") else "postgresql"
    writes = 2 * total
    report_line(
        f"{engine}: {PROCESSES} processes x {VISITS_EACH} visits (insert + update each): "
        f"{total} visits, {writes} write transactions in {elapsed:.2f} s "
        f"({total / elapsed:.0f} visits/s, {writes / elapsed:.0f} writes/s), 0 errors, "
        f"audit chain of {check.checked} rows intact"
    )


def test_processes_creating_a_new_file_at_once(
    tmp_path: Path, report_line: Callable[[str], None]
) -> None:
    paths = [str(tmp_path / f"round{i}" / "dntui.db") for i in range(NEW_FILE_ROUNDS)]
    urls = [f"sqlite:///{p}" for p in paths]
    out, elapsed = _run(_opener, (urls,), rounds=len(urls))
    failures = [(pid, i, r) for pid, outcome in out for i, r in enumerate(outcome) if r != "ok"]
    assert failures == []
    for path in paths:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (HEAD_REVISION,)
            ]
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
            assert conn.execute("SELECT count(*) FROM practitioner").fetchone() == (PROCESSES,)
            triggers = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'")
            assert triggers.fetchone() == (len(sqlite_guards()),)
        finally:
            conn.close()
    report_line(
        f"sqlite: {PROCESSES} processes opening a brand-new file at once, "
        f"{NEW_FILE_ROUNDS} rounds: 0 failures ({elapsed:.2f} s)"
    )


def test_processes_creating_a_new_postgres_database_at_once(
    pg_server: Any, report_line: Callable[[str], None]
) -> None:
    """On PostgreSQL the first migration is serialised by an advisory lock."""
    from sqlalchemy import create_engine

    urls = [pg_server.create_database() for _ in range(PG_NEW_DB_ROUNDS)]
    out, elapsed = _run(_opener, (urls,), rounds=len(urls))
    failures = [(pid, i, r) for pid, outcome in out for i, r in enumerate(outcome) if r != "ok"]
    assert failures == []
    for url in urls:
        engine = create_engine(url)
        try:
            with engine.connect() as conn:
                revs = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
                assert revs == [(HEAD_REVISION,)]
                count = conn.exec_driver_sql("SELECT count(*) FROM practitioner").scalar()
                assert count == PROCESSES
        finally:
            engine.dispose()
    report_line(
        f"postgresql: {PROCESSES} processes opening a brand-new database at once, "
        f"{PG_NEW_DB_ROUNDS} rounds: 0 failures ({elapsed:.2f} s)"
    )


def test_processes_switching_a_new_file_to_wal_at_once(
    tmp_path: Path, report_line: Callable[[str], None]
) -> None:
    """The first connection switches a new file to WAL; done at once it used to fail ~4%."""
    paths = [str(tmp_path / f"round{i}" / "dntui.db") for i in range(WAL_ROUNDS)]
    out, elapsed = _run(_connector, (paths,), rounds=len(paths))
    failures = [(pid, i, r) for pid, outcome in out for i, r in enumerate(outcome) if r != "ok"]
    assert failures == []
    for path in paths:
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        finally:
            conn.close()
    report_line(
        f"sqlite: {PROCESSES} processes making the first connection to a new file at once, "
        f"{WAL_ROUNDS} rounds: 0 failures ({elapsed:.2f} s)"
    )
