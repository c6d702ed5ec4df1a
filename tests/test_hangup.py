"""The real app in a pseudo-terminal: a dropped connection (SIGHUP) or a kill loses no visit.

shared/reliability.md: Textual dies on SIGHUP with nothing saved unless the app
handles it; SIGKILL delivers nothing, so the debounced autosave must have run.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import signal
import sqlite3
import struct
import sys
import termios
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from dntui.store.repo import Store

F4 = "\x1bOS"


class PtyApp:
    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execve(sys.executable, [sys.executable, "-m", "dntui", *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = b""

    def read_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.05)
            if r:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def wait_for(self, text: bytes, timeout: float = 15) -> None:
        end = time.monotonic() + timeout
        while text not in self.output:
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} not shown; got {self.output[-500:]!r}")
            self.read_for(0.1)

    def keys(self, text: str, pause: float = 0.25) -> None:
        os.write(self.fd, text.encode())
        self.read_for(pause)

    def wait_exit(self, timeout: float) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read_for(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return status
        return None

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


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


def _log_visit(app: PtyApp) -> None:
    app.wait_for(b"open draft(s)")  # the database is open and the practitioner known
    app.keys("n", 1.0)
    app.keys("ada", 0.5)
    app.keys("\r", 0.5)
    app.keys(F4, 0.5)
    app.keys("ut", 0.3)
    app.keys("\r", 0.3)
    app.keys("rhom", 0.3)
    app.keys("\r", 0.05)  # the last keystroke, right before the connection drops


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_hangup_saves_the_draft_and_exits(
    clinic: tuple[Path, dict[str, str]], sig: int, report_line: Callable[[str], None]
) -> None:
    db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        _log_visit(app)
        started = time.monotonic()
        os.kill(app.pid, sig)
        status = app.wait_exit(timeout=3)
        elapsed = time.monotonic() - started
        assert status is not None, "the app kept running after the hangup (orphan)"
        report_line(
            f"hangup: {signal.Signals(sig).name} survived, draft saved and exited in "
            f"{elapsed * 1000:.0f} ms"
        )
        assert elapsed < 1.5
    finally:
        app.kill()
    draft = _latest_draft(db)
    assert draft["patient"]["name"] == "Ada Park"
    assert [m["muscle_id"] for m in draft["muscles"]] == ["upper-trapezius", "rhomboid-major"]
    assert draft["step"] == "muscles"


def test_sigkill_after_the_debounce_loses_nothing(clinic: tuple[Path, dict[str, str]]) -> None:
    db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        _log_visit(app)
        app.read_for(1.0)  # the debounce is 0.5 s
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
        os.kill(app.pid, signal.SIGHUP)
        app.wait_exit(timeout=3)
    finally:
        app.kill()
    again = PtyApp(["--practitioner", "Dana Reyes"], env)
    try:
        again.wait_for(b"1 open draft(s)")
        again.keys("\r", 1.5)  # open the highlighted draft: it opens on the muscles step
        again.wait_for(b"Rhomboid major")
    finally:
        again.kill()


def test_busy_database_leaves_typing_responsive_and_hangup_keeps_the_draft(
    clinic: tuple[Path, dict[str, str]], report_line: Callable[[str], None]
) -> None:
    """Another process holds SQLite's write lock: typing goes on, SIGHUP still exits fast."""
    db, env = clinic
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    holder = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        app.wait_for(b"open draft(s)")
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until the end of the test
        app.keys("n", 1.0)
        app.keys("ada", 0.5)
        app.keys("\r", 1.0)  # the autosave starts now and waits on the lock in its thread
        app.keys(F4, 0.3)
        started = time.monotonic()
        app.keys("rhom", 0)
        app.wait_for(b"Rhomboid major", timeout=1.0)  # the search answers while the save waits
        typing = time.monotonic() - started
        app.keys("\r", 0.3)
        started = time.monotonic()
        os.kill(app.pid, signal.SIGHUP)
        status = app.wait_exit(timeout=3)
        elapsed = time.monotonic() - started
        assert status is not None, "the app kept running after the hangup (orphan)"
        report_line(
            f"busy database: 4 keys answered in {typing * 1000:.0f} ms while the autosave "
            f"waited on the lock; SIGHUP exited in {elapsed * 1000:.0f} ms"
        )
        assert elapsed < 1.5
    finally:
        app.kill()
        holder.rollback() if holder.in_transaction else None
        holder.close()
    backups = list((db.parent / "drafts").glob("practitioner-*-visit-*.json"))
    assert len(backups) == 1, backups
    kept = json.loads(backups[0].read_text("utf-8"))
    assert kept["patient"]["name"] == "Ada Park"
    assert [m["muscle_id"] for m in kept["muscles"]] == ["rhomboid-major"]
    assert oct(backups[0].stat().st_mode & 0o777) == "0o600"
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM visit").fetchone()[0] == 0  # never reached it
    con.close()
