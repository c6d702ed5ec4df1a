"""Issue 17, attacks 5, 6 and 7 on both engines: the real app in a pseudo-terminal.

tests/test_keys_in_order.py, tests/test_hangup.py and tests/test_disk_full.py run
them on SQLite (with a CPU burner, a held write lock, a full disk). Here the same
attacks run against SQLite AND a real PostgreSQL:

5. ``ut⏎rhom⏎scm⏎`` written to the terminal in ONE write gives three muscles.
6. Another session holds the lock every write needs (SQLite: the write lock;
   PostgreSQL: the audit trail's advisory lock, which any practitioner role can take
   with ``pg_advisory_lock``, so one colleague's idle SQL shell stalls every save):
   typing stays responsive and SIGHUP exits with the draft in the local backup.
7. An export to standard output whose audit row cannot be written prints nothing.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import pytest
from pty_support import PtyApp
from sqlalchemy import text

from dntui.store.audit import _PG_AUDIT_LOCK
from dntui.store.repo import Store

F4 = "\x1bOS"
WAIT = 60.0
EXIT_WAIT = 10.0  # far past a loaded machine's slowest exit, under SQLite's 15 s busy timeout
THREE = ["upper-trapezius", "rhomboid-major", "sternocleidomastoid"]


@pytest.fixture
def clinic(db_url: str, tmp_path: Path) -> tuple[str, dict[str, str]]:
    store = Store.open(db_url)
    try:
        p = store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
        store.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    finally:
        store.close()
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": os.environ["DNTUI_CONFIG_DIR"],  # the audit key of the store above
        "TERM": "xterm-256color",
    }
    return db_url, env


def _app(url: str, env: dict[str, str]) -> PtyApp:
    return PtyApp(["--db", url, "--practitioner", "Dana Reyes"], env)


def _step(app: PtyApp, keys: str, shows: bytes) -> int:
    mark = len(app.output)
    app.write(keys)
    app.wait_for(shows, timeout=WAIT, start=mark)
    return mark


def _to_patient(app: PtyApp) -> None:
    app.wait_for(b"open draft(s)", timeout=WAIT)
    _step(app, "n", b"No patient chosen")
    _step(app, "ada", b"Ada Park")
    _step(app, "\r", b"Patient: Ada Park")


def _visits(url: str) -> list[tuple[str, str]]:
    store = Store.open(url)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(text("SELECT status, draft_json FROM visit ORDER BY id"))
            return [(r[0], r[1]) for r in rows]
    finally:
        store.close()


# ------------------------------------------------------------------ 5. keys in order
def test_5_three_muscles_typed_in_one_write(clinic: tuple[str, dict[str, str]]) -> None:
    url, env = clinic
    app = _app(url, env)
    try:
        _to_patient(app)
        _step(app, F4, b"Search muscles")
        app.write("ut\rrhom\rscm\r")  # ONE write: the app may read it in one go
        with contextlib.suppress(AssertionError):
            app.wait_for(b"Chosen muscles: 3", timeout=30)
        os.kill(app.pid, signal.SIGHUP)  # saves the draft and exits
        assert app.wait_exit(timeout=30) is not None, "the app did not exit on SIGHUP"
    finally:
        app.kill()
    visits = _visits(url)
    assert len(visits) == 1 and visits[0][0] == "draft"
    assert [m["muscle_id"] for m in json.loads(visits[0][1])["muscles"]] == THREE


# ------------------------------------------------------------- 6. a held write lock
@contextlib.contextmanager
def _lock_held(url: str) -> Iterator[Callable[[], None]]:
    """Yields ``take()``: from then until the end, another session holds the lock."""
    if url.startswith("sqlite"):
        con = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=0)
        try:
            yield lambda: con.execute("BEGIN IMMEDIATE")
        finally:
            if con.in_transaction:
                con.rollback()
            con.close()
        return
    from sqlalchemy import create_engine

    engine = create_engine(url)
    conn = engine.connect()
    try:
        yield lambda: conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    finally:
        conn.close()
        engine.dispose()


def test_6_a_held_lock_leaves_typing_responsive_and_hangup_keeps_the_draft(
    clinic: tuple[str, dict[str, str]], tmp_path: Path, report_line: Callable[[str], None]
) -> None:
    url, env = clinic
    drafts = tmp_path / "data" / "drafts"
    app = _app(url, env)
    try:
        with _lock_held(url) as take:
            app.wait_for(b"open draft(s)", timeout=WAIT)
            take()
            _to_patient(app)
            end = time.monotonic() + WAIT  # the autosave writes the backup, then waits
            while not list(drafts.glob("practitioner-*-visit-*.json")):
                assert time.monotonic() < end, "the autosave never started"
                app.read_for(0.05)
            waiting_since = time.monotonic()
            _step(app, F4, b"Search muscles")
            started = time.monotonic()
            mark = len(app.output)
            app.write("rhom")
            app.wait_for(b"Rhomboid major", timeout=waiting_since + EXIT_WAIT - started, start=mark)
            typing = time.monotonic() - started
            _step(app, "\r", b"Chosen muscles: 1")
            hung_up = time.monotonic()
            os.kill(app.pid, signal.SIGHUP)
            assert app.wait_exit(timeout=EXIT_WAIT) is not None, "SIGHUP did not end the app"
            elapsed = time.monotonic() - hung_up
            report_line(
                f"held lock ({url.split(':')[0]}): 4 keys answered in {typing * 1000:.0f} ms; "
                f"SIGHUP exited in {elapsed * 1000:.0f} ms"
            )
    finally:
        app.kill()
    backups = list(drafts.glob("practitioner-*-visit-*.json"))
    assert len(backups) == 1, backups
    kept = json.loads(backups[0].read_text("utf-8"))
    assert kept["patient"]["name"] == "Ada Park"
    assert [m["muscle_id"] for m in kept["muscles"]] == ["rhomboid-major"]
    assert _visits(url) == []  # the held lock never let a save through


# ------------------------------------------------- 7. an export whose audit row fails
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_7_export_to_stdout_prints_nothing_when_its_audit_row_fails(
    clinic: tuple[str, dict[str, str]],
) -> None:
    """A real refusal, not a stand-in: on PostgreSQL, a role that can read every
    visit but not write the audit trail. SQLite's side is tests/test_disk_full.py
    (a full disk, patched: as root no file permission makes SQLite's write fail)."""
    from builders import record_of
    from security_support import draft_for
    from sqlalchemy.engine import make_url

    url, env = clinic
    store = Store.open(url)
    try:
        p = store.find_practitioner("Dana Reyes")
        assert p is not None
        patient = store.search_patients("Ada")[0]
        draft = store.save_draft(draft_for(p, patient), actor=p)
        store.sign(record_of(draft, code="20560", muscle_count=1, charge="25.74"), signer=p)
        n_audit = len(store.audit_trail(limit=100_000))
        with store.engine.begin() as conn:
            conn.execute(text("CREATE ROLE reader_17 LOGIN"))
            for grant in (
                f'GRANT CONNECT ON DATABASE "{make_url(url).database}" TO reader_17',
                "GRANT USAGE ON SCHEMA public TO reader_17",
                "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader_17",
                "REVOKE SELECT ON dntui_secret, practitioner_secret FROM reader_17",
                "REVOKE EXECUTE ON FUNCTION dntui_audit_append(text, integer, text, integer, "
                "text) FROM PUBLIC",
            ):
                conn.execute(text(grant))
    finally:
        store.close()
    reader = make_url(url).set(username="reader_17").render_as_string(hide_password=False)
    proc = subprocess.run(
        [sys.executable, "-m", "dntui", "--db", reader, "export", "--format", "csv"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode == 1, proc.stdout[:200]
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dntui: "), proc.stderr
    assert "Ada Park" not in proc.stderr
    assert "dntui_audit_append" in proc.stderr  # refused for the audit row, not earlier
    owner = Store.open(url)
    try:
        assert len(owner.audit_trail(limit=100_000)) == n_audit
    finally:
        owner.close()


def test_6_a_save_behind_a_held_lock_gives_up_with_one_line(
    clinic: tuple[str, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's side of attack 6: a save waiting on another session's lock ends
    with a StoreError (the visit screen then says "kept locally" and retries), on
    SQLite after its busy timeout and on PostgreSQL after its lock timeout. Before,
    a PostgreSQL save waited for as long as the lock was held (a colleague's idle SQL
    shell: forever), and the pane said "saving…" all that time."""
    from security_support import draft_for

    from dntui.store.errors import StoreError

    url, _env = clinic
    # The timeout is what is tested, not its length: 2 s instead of 15 s for this store.
    monkeypatch.setattr("dntui.store.engine.BUSY_TIMEOUT_MS", 2000)
    store = Store.open(url)
    try:
        p = store.find_practitioner("Dana Reyes")
        assert p is not None
        patient = store.search_patients("Ada")[0]
        with ThreadPoolExecutor(1) as pool, _lock_held(url) as take:  # lock released first
            take()
            saving = pool.submit(store.save_draft, draft_for(p, patient), actor=p)
            # A deadline far past the timeout: a save that waits for as long as the
            # lock is held fails here instead of hanging the suite (the lock is then
            # released on the way out, and the save goes through).
            try:
                err = saving.exception(timeout=120)
            except TimeoutError:
                pytest.fail("the save was still waiting on the held lock after 120 s")
        assert isinstance(err, StoreError), repr(err)
        msg = str(err)
        assert len(msg.splitlines()) == 1 and "Ada" not in msg, msg
        assert store.save_draft(draft_for(p, patient), actor=p).visit_id is not None
    finally:
        store.close()
