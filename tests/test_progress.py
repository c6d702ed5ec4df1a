"""Progress of long work: a Rich bar on stderr when it is a terminal (a pseudo-terminal
here), one summary line when it is a pipe; in the app, the export dialog counts up
while a thread worker writes the file."""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from builders import record_of
from pty_support import spawn_on_pty

from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft
from dntui.store import audit
from dntui.store.repo import Store
from dntui.store.schema import KNOWN_REVISIONS

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
VISITS = 5


def _clinic(db: Path) -> None:
    """Five signed visits, chained under the audit key of the ``env`` fixture's config folder
    (the one the command under test reads), so ``audit verify`` can check every row."""
    key = audit.load_key(db.parent / "config")
    store = Store.open(f"sqlite:///{db}", audit_key=key)
    p = store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
    for i in range(VISITS):
        pa = store.add_patient(f"Patient {i}", date(1980, 1, 1 + i), actor=p)
        d = store.save_draft(
            VisitDraft(
                visit_date=date(2026, 3, 1) + timedelta(days=i),
                practitioner=PractitionerInfo(p.id, p.name, p.credentials),
                patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
                muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
            ),
            actor=p,
        )
        store.sign(
            record_of(d, code="20560", muscle_count=1, charge="25.74", note_text="n"), signer=p
        )
    store.close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
    out.pop("DNTUI_DATABASE_URL", None)
    return out


def on_pty(args: list[str], env: dict[str, str], timeout: float = 60) -> tuple[int, str]:
    """Run ``dntui ARGS`` with stdin, stdout and stderr on a pseudo-terminal."""
    pid, fd = spawn_on_pty([sys.executable, "-m", "dntui", *args], env, (24, 100))
    out = b""
    end = time.monotonic() + timeout
    status = None
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            out += chunk
            if chunk:
                continue
        done, st = os.waitpid(pid, os.WNOHANG)
        if done:
            status = st
            break
    os.close(fd)
    if status is None:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        raise AssertionError(f"dntui {args} did not finish; got {out[-500:]!r}")
    return os.waitstatus_to_exitcode(status), out.decode(errors="replace")


def on_pipe(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dntui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_export_shows_a_bar_on_a_terminal(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "clinic.db"
    _clinic(db)
    out = tmp_path / "visits.csv"
    code, shown = on_pty(["--db", str(db), "export", "--format", "csv", "-o", str(out)], env)
    assert code == 0, shown
    text = ANSI.sub("", shown)
    assert "Exporting" in text and f"{VISITS}/{VISITS} visits" in text
    assert "ETA" in text and "━" in text  # Rich's bar
    assert f"exported {VISITS} signed visit(s) to {out}" in text
    assert len(out.read_text().splitlines()) == VISITS + 1


def test_export_on_a_pipe_is_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "clinic.db"
    _clinic(db)
    out = tmp_path / "visits.csv"
    proc = on_pipe(["--db", str(db), "export", "--format", "csv", "-o", str(out)], env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == f"exported {VISITS} signed visit(s) to {out}\n"
    to_stdout = on_pipe(["--db", str(db), "export", "--format", "json"], env)
    assert to_stdout.stderr == f"exported {VISITS} signed visit(s) to standard output\n"
    assert '"count": 5' in to_stdout.stdout


def test_db_migrate_and_schema_upgrade_show_bars_on_a_terminal(
    tmp_path: Path, env: dict[str, str]
) -> None:
    db = tmp_path / "clinic.db"
    _clinic(db)
    target = tmp_path / "copy.db"  # new: its schema is created (every revision), then filled
    code, shown = on_pty(["db", "migrate", "--from", str(db), "--to", str(target)], env)
    assert code == 0, shown
    text = ANSI.sub("", shown)
    assert (
        "Database schema" in text
        and f"{len(KNOWN_REVISIONS)}/{len(KNOWN_REVISIONS)} revisions" in text
    )
    rows = int(re.search(r"Copying the database\s.*?(\d+)/(\d+) rows", text).group(2))  # type: ignore[union-attr]
    assert rows >= 1 + VISITS * 2  # practitioner, patients, visits, muscles, audit...
    assert "audit chain intact" in text


def test_db_migrate_on_a_pipe_is_quiet(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "clinic.db"
    _clinic(db)
    target = tmp_path / "copy.db"
    proc = on_pipe(["db", "migrate", "--from", str(db), "--to", str(target)], env)
    assert proc.returncode == 0, proc.stderr
    assert not ANSI.search(proc.stderr) and "━" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert re.fullmatch(
        rf"Database schema: {len(KNOWN_REVISIONS)} revision\(s\) applied in \d+\.\d s", lines[0]
    )
    assert re.fullmatch(r"Copying the database: \d+ rows in \d+\.\d s", lines[1])
    assert len(lines) == 2
    # An up-to-date database says nothing about its schema.
    again = on_pipe(["--db", str(target), "audit", "verify"], env)
    assert again.returncode == 0 and again.stderr == ""


def test_audit_verify_shows_a_bar_on_a_terminal(tmp_path: Path, env: dict[str, str]) -> None:
    # audit verify walks every audit row, signed visit and coverage row: at 100,000 visits it
    # takes seconds, so on a terminal it counts them like export and db migrate do.
    db = tmp_path / "clinic.db"
    _clinic(db)
    store = Store.open(f"sqlite:///{db}")
    rows = len(store.audit_trail(limit=10_000)) + VISITS  # audit rows + signed visits
    store.close()
    code, shown = on_pty(["--db", str(db), "audit", "verify"], env)
    text = ANSI.sub("", shown)
    assert code == 0, text
    assert "Verifying the audit trail" in text and f"{rows}/{rows} rows" in text, text
    assert "ETA" in text and "━" in text  # Rich's bar
    assert "result: intact" in text


def test_audit_verify_on_a_pipe_prints_only_its_report(tmp_path: Path, env: dict[str, str]) -> None:
    db = tmp_path / "clinic.db"
    _clinic(db)
    proc = on_pipe(["--db", str(db), "audit", "verify"], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""  # the report on stdout is the summary
    assert proc.stdout.splitlines()[-1] == "result: intact"
    assert not ANSI.search(proc.stdout) and "━" not in proc.stdout


async def test_export_dialog_counts_up_in_a_worker(
    clinic_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_support import make_app
    from textual.widgets import ProgressBar

    import dntui.exports.export
    from dntui.dialogs.export import ExportScreen

    monkeypatch.setattr(dntui.exports.export, "PROGRESS_EVERY", 2)
    p = clinic_store.find_practitioner("Dana Reyes")
    assert p is not None
    for _ in range(7):
        d = clinic_store.save_draft(
            VisitDraft(
                visit_date=date(2026, 3, 2),
                practitioner=PractitionerInfo(p.id, p.name, p.credentials),
                patient=PatientInfo(),
                muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
            ),
            actor=p,
        )
        clinic_store.sign(
            record_of(d, code="20560", muscle_count=1, charge="25.74", note_text="n"), signer=p
        )
    seen: list[tuple[int, int]] = []
    real = ExportScreen._progress

    shown: list[tuple[bool, float | None, float | None]] = []

    def spy(self: ExportScreen, done: int, total: int) -> None:
        seen.append((done, total))
        real(self, done, total)
        bar = self.query_one("#ex-progress", ProgressBar)
        shown.append((bool(bar.display), bar.progress, bar.total))

    monkeypatch.setattr(ExportScreen, "_progress", spy)
    app = make_app(clinic_store)
    out = tmp_path / "all.csv"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        bar = dialog.query_one("#ex-progress", ProgressBar)
        assert not bar.display  # hidden until an export runs
        dialog.query_one("#ex-from").value = ""  # type: ignore[attr-defined]
        await pilot.pause()  # the dialog suggests a file name for the new range first
        dialog.query_one("#ex-path").value = str(out)  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    assert seen == [(0, 7), (2, 7), (4, 7), (6, 7), (7, 7)]
    assert shown[-1] == (True, 7, 7) and shown[1] == (True, 2, 7)
    assert len(out.read_text().splitlines()) == 8


def test_schema_upgrade_reports_each_revision(db_url: str) -> None:
    from dntui.store.schema import KNOWN_REVISIONS

    calls: list[tuple[int, int, str]] = []
    Store.open(db_url, on_migrate=lambda *a: calls.append(a)).close()
    n = len(KNOWN_REVISIONS)
    assert calls == [(0, n, ""), *[(i + 1, n, rev) for i, rev in enumerate(KNOWN_REVISIONS)]]
    calls.clear()
    Store.open(db_url, on_migrate=lambda *a: calls.append(a)).close()
    assert calls == []  # current: nothing to report


async def test_first_start_reports_the_schema_upgrade_on_the_start_screen(
    app_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dntui.app import DntuiApp
    from dntui.config import Settings
    from dntui.screens.start import StartScreen
    from dntui.store.schema import KNOWN_REVISIONS

    shown: list[str] = []
    real = StartScreen.show_migration

    def spy(self: StartScreen, done: int, total: int, revision: str) -> None:
        real(self, done, total, revision)
        shown.append(str(self.query_one("#start-status").render()))  # type: ignore[attr-defined]

    monkeypatch.setattr(StartScreen, "show_migration", spy)
    app = DntuiApp(db_url=f"sqlite:///{app_dirs / 'first.db'}", settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        # An empty database: once upgraded, the first practitioner is asked for.
        deadline = time.monotonic() + 60  # generous: a busy machine, never a fixed wait
        while not (type(app.screen).__name__ == "NewPractitionerScreen" and app.store):
            assert time.monotonic() < deadline, "the first-practitioner screen never came"
            await pilot.pause(0.01)
        await pilot.pause()
    n = len(KNOWN_REVISIONS)
    assert shown[0] == f"Upgrading the database: 0 of {n} step(s)…"
    assert (
        shown[-1]
        == f"Upgrading the database: {n} of {n} step(s), schema {KNOWN_REVISIONS[-1]} done…"
    )
