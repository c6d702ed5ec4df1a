"""The real app in a pseudo-terminal: a dropped connection (SIGHUP) or a kill loses no visit.

shared/reliability.md: Textual dies on SIGHUP with nothing saved unless the app
handles it; SIGKILL delivers nothing, so the debounced autosave must have run.

Every step waits for what the screen shows after it (with a start mark, so text
drawn earlier cannot match), never for a fixed time: on a loaded machine a key
typed before its screen exists goes elsewhere. How fast the app exits is a
figure (reported; ``bench/bench_hangup.py`` measures it against the 1.5 s bar);
a test fails when the app does not exit at all, or only after SQLite's busy
timeout, which a hangup stuck on a held write lock would have to sit out.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pty_support import PtyApp

from dntui.store.engine import BUSY_TIMEOUT_MS
from dntui.store.repo import Store

F4 = "\x1bOS"
WAIT = 60.0  # seconds: a deadline for what the screen must show, generous for a loaded machine
# Exit after a signal: far past a loaded machine's slowest exit (about 1-3 s), well under
# SQLite's busy timeout (15 s), which a save waiting on a held write lock would sit out.
EXIT_WAIT = BUSY_TIMEOUT_MS / 1000 * 2 / 3


@pytest.fixture
def clinic(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    db = tmp_path / "data" / "dntui.db"
    store = Store.open(f"sqlite:///{db}")
    p = store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
    store.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    store.close()
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    return db, env


def _latest_draft(db: Path) -> dict:
    con = sqlite3.connect(db)
    row = con.execute("SELECT status, draft_json FROM visit ORDER BY id DESC LIMIT 1").fetchone()
    con.close()
    assert row is not None, "no visit saved"
    assert row[0] == "draft"
    return json.loads(row[1])


def _step(app: PtyApp, keys: str, shows: bytes) -> int:
    """Type ``keys`` in one write, wait until the screen shows ``shows`` after it.

    Returns the output's length before the write (a start mark for later waits)."""
    mark = len(app.output)
    app.write(keys)
    app.wait_for(shows, timeout=WAIT, start=mark)
    return mark


def _to_patient_step(app: PtyApp) -> None:
    app.wait_for(b"open draft(s)", timeout=WAIT)  # the database is open and the practitioner known
    _step(app, "n", b"No patient chosen")  # the visit screen (the start screen has no such line)
    _step(app, "ada", b"Ada Park")  # the search ran in its thread and listed her


def _log_visit(app: PtyApp) -> int:
    """Patient Ada Park, muscles ut and rhom; returns the mark before the last key."""
    _to_patient_step(app)
    _step(app, "\r", b"Patient: Ada Park")
    _step(app, F4, b"Search muscles")
    _step(app, "ut", b"Upper trapezius")
    _step(app, "\r", b"Chosen muscles: 1")
    _step(app, "rhom", b"Rhomboid major")
    # The last keystroke: the tests drop the connection as soon as its muscle is drawn,
    # before the 0.5 s autosave debounce has run on a quiet machine.
    return _step(app, "\r", b"Chosen muscles: 2")


def _hang_up(app: PtyApp, sig: int) -> float:
    """Send ``sig`` and wait for the process to end; returns the seconds it took."""
    started = time.monotonic()
    os.kill(app.pid, sig)
    status = app.wait_exit(timeout=EXIT_WAIT)
    elapsed = time.monotonic() - started
    assert status is not None, (
        f"the app kept running {elapsed:.1f} s after {signal.Signals(sig).name} (orphan)"
    )
    return elapsed


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_saves_the_draft_and_exits(
    clinic: tuple[Path, dict[str, str]], sig: int, report_line: Callable[[str], None]
) -> None:
    db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        _log_visit(app)
        elapsed = _hang_up(app, sig)
        report_line(
            f"hangup: {signal.Signals(sig).name} survived, draft saved and exited in "
            f"{elapsed * 1000:.0f} ms"
        )
    finally:
        app.kill()
    draft = _latest_draft(db)
    assert draft["patient"]["name"] == "Ada Park"
    assert [m["muscle_id"] for m in draft["muscles"]] == ["upper-trapezius", "rhomboid-major"]
    assert draft["step"] == "muscles"


def test_sigkill_after_the_debounce_loses_nothing(clinic: tuple[Path, dict[str, str]]) -> None:
    """Once the pane says "draft saved" (the debounced autosave ran), SIGKILL loses nothing."""
    db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        mark = _log_visit(app)  # the last key set the pane to "saving…"
        app.wait_for(b"draft saved", timeout=WAIT, start=mark)
        os.kill(app.pid, signal.SIGKILL)
    finally:
        app.kill()
    draft = _latest_draft(db)
    assert [m["muscle_id"] for m in draft["muscles"]] == ["upper-trapezius", "rhomboid-major"]


def test_restart_offers_the_draft(clinic: tuple[Path, dict[str, str]]) -> None:
    _db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        _log_visit(app)
        _hang_up(app, signal.SIGHUP)
    finally:
        app.kill()
    again = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        again.wait_for(b"1 open draft(s)", timeout=WAIT)
        # Enter opens the highlighted draft, on its muscles step with both muscles.
        _step(again, "\r", b"Chosen muscles: 2")
    finally:
        again.kill()


def test_busy_database_leaves_typing_responsive_and_hangup_keeps_the_draft(
    clinic: tuple[Path, dict[str, str]], report_line: Callable[[str], None]
) -> None:
    """Another process holds SQLite's write lock: typing goes on, SIGHUP still exits.

    The lock is held to the end, so a UI thread waiting on it would answer no key
    and exit no sooner than SQLite's busy timeout (15 s): the deadlines below are
    well under it (and far over what a loaded machine needs)."""
    db, env = clinic
    drafts = db.parent / "drafts"
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    holder = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        app.wait_for(b"open draft(s)", timeout=WAIT)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until the end of the test
        _to_patient_step(app)
        _step(app, "\r", b"Patient: Ada Park")
        # The autosave's thread writes the local backup first, then waits on the lock.
        end = time.monotonic() + WAIT
        while not list(drafts.glob("practitioner-*-visit-*.json")):
            assert time.monotonic() < end, "the autosave never started"
            app.read_for(0.05)
        waiting_since = time.monotonic()
        _step(app, F4, b"Search muscles")
        started = time.monotonic()
        mark = len(app.output)
        app.write("rhom")
        answer_by = waiting_since + EXIT_WAIT - started  # long before the lock wait could end
        app.wait_for(b"Rhomboid major", timeout=answer_by, start=mark)
        typing = time.monotonic() - started
        _step(app, "\r", b"Chosen muscles: 1")
        elapsed = _hang_up(app, signal.SIGHUP)
        report_line(
            f"busy database: 4 keys answered in {typing * 1000:.0f} ms while the autosave "
            f"waited on the lock; SIGHUP exited in {elapsed * 1000:.0f} ms"
        )
    finally:
        app.kill()
        holder.rollback() if holder.in_transaction else None
        holder.close()
    backups = list(drafts.glob("practitioner-*-visit-*.json"))
    assert len(backups) == 1, backups
    kept = json.loads(backups[0].read_text("utf-8"))
    assert kept["patient"]["name"] == "Ada Park"
    assert [m["muscle_id"] for m in kept["muscles"]] == ["rhomboid-major"]
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM visit").fetchone()[0] == 0  # never reached it
    con.close()
