"""Outside the app (issue 13, item 8): no terminal, a non-UTF-8 locale, `--demo` with a
command, an export of a day without visits."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from app_support import wait_for
from fhir.resources.R4B.bundle import Bundle
from pty_support import PtyApp

from dntui.cli import locale_problem
from dntui.exports.export import CSV_COLUMNS, EXPORT_SCHEMA
from dntui.store.demo import LEFT_AS_DRAFT, VISITS

ESCAPE = "\x1b"
SIGNED_DEMO_VISITS = sum(
    1 for i, v in enumerate(VISITS) if v[1] != 0 and i not in LEFT_AS_DRAFT
)  # today's demo visit and the late draft stay drafts


def env_for(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    for name in ("DNTUI_DATABASE_URL", "TEXTUAL_DRIVER", "LC_ALL", "LC_CTYPE", "LANG"):
        env.pop(name, None)
    env.update(extra)
    return env


def dntui(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """``dntui ARGS`` without a terminal, as `ssh host dntui` (no -t) or cron run it."""
    return subprocess.run(
        [sys.executable, "-m", "dntui", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=env_for(tmp_path, LANG="C.UTF-8", **extra),
        timeout=60,  # never hangs
    )


# ------------------------------------------------------------------ no terminal
@pytest.mark.parametrize("args", [[], ["--demo"], ["--practitioner", "Dana Reyes"]])
def test_without_a_terminal_the_app_says_so_in_one_line_and_exits_2(
    tmp_path: Path, args: list[str]
) -> None:
    proc = dntui(tmp_path, *args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("dntui: a terminal is needed")
    assert "ssh -t" in line
    assert ESCAPE not in proc.stderr and "Traceback" not in proc.stderr


def test_commands_that_need_no_terminal_still_work_without_one(tmp_path: Path) -> None:
    verify = dntui(tmp_path, "audit", "verify")
    assert verify.returncode == 0, verify.stderr
    assert "intact" in verify.stdout
    export = dntui(tmp_path, "export", "--format", "csv")
    assert export.returncode == 0, export.stderr
    assert export.stdout.startswith("visit_id,")


def test_a_browser_session_needs_no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """`dntui serve` runs each session on pipes with Textual's web driver: no refusal."""
    from dntui.cli import terminal_problem

    monkeypatch.setattr(sys, "stdin", io.StringIO())  # a pipe, even under `pytest -s`
    assert terminal_problem({"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}) is None
    assert locale_problem({"TEXTUAL_DRIVER": "x", "LC_ALL": "C"}) is None
    assert terminal_problem({}) is not None


# ---------------------------------------------------------------------- locale
@pytest.mark.parametrize(
    ("locale_env", "fix"),
    [
        ({"LC_ALL": "C"}, "export LC_ALL=C.UTF-8"),
        ({"LANG": "C"}, "export LANG=C.UTF-8"),
        ({"LANG": "POSIX", "LC_ALL": ""}, "export LANG=C.UTF-8"),
    ],
)
def test_a_non_utf8_locale_is_one_line_saying_what_to_set(
    tmp_path: Path, locale_env: dict[str, str], fix: str
) -> None:
    app = PtyApp(["--demo"], env_for(tmp_path, **locale_env))
    try:
        status = app.wait_exit(30)
        assert status is not None, app.output[-300:]
        assert os.waitstatus_to_exitcode(status) == 2
        app.read_for(0.1)
        text = app.output.decode()
        assert ESCAPE not in text  # nothing was drawn
        (line,) = text.strip().splitlines()
        assert "UTF-8" in line and fix in line
    finally:
        app.kill()


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "C.UTF-8"},
        {"LANG": "en_US.UTF-8"},
        {"LC_ALL": "de_DE.utf8", "LANG": "C"},
        {"LANG": "C", "LC_CTYPE": "en_US.UTF-8"},
        {},  # no locale at all (a bare container): left to Python, which uses UTF-8
        {"LANG": "", "LC_CTYPE": "C.UTF-8"},  # the same after Python's coercion
    ],
)
def test_utf8_locales_are_accepted(env: dict[str, str]) -> None:
    assert locale_problem(env) is None


@pytest.mark.parametrize(
    "env",
    [
        {"LC_ALL": "C", "LANG": "C.UTF-8"},
        {"LANG": "en_US.ISO-8859-1"},
        {"LANG": "C", "LC_CTYPE": "C.UTF-8"},  # Python's coercion of LANG=C (PEP 538)
        {"LC_CTYPE": "POSIX", "LANG": "C.UTF-8"},
    ],
)
def test_non_utf8_locales_are_refused(env: dict[str, str]) -> None:
    assert locale_problem(env) is not None


def test_a_utf8_locale_starts_the_app_in_a_terminal(tmp_path: Path) -> None:
    app = PtyApp(["--demo"], env_for(tmp_path, LANG="C.UTF-8"))
    try:
        app.wait_for(b"Who is logging visits?", timeout=30)
    finally:
        app.kill()


# ------------------------------------------------------------ --demo COMMAND
def test_demo_commands_seed_the_demo_database_first(tmp_path: Path) -> None:
    proc = dntui(tmp_path, "--demo", "export", "--format", "csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == SIGNED_DEMO_VISITS
    assert f"exported {SIGNED_DEMO_VISITS} signed visit(s)" in proc.stderr
    assert (tmp_path / "data" / "demo.db").exists()
    assert not (tmp_path / "data" / "dntui.db").exists()  # the clinic's database untouched
    again = dntui(tmp_path, "--demo", "export", "--format", "csv")
    assert len(list(csv.DictReader(io.StringIO(again.stdout)))) == SIGNED_DEMO_VISITS  # once
    verify = dntui(tmp_path, "--demo", "audit", "verify")
    assert verify.returncode == 0, verify.stdout + verify.stderr


async def test_the_cli_seeds_the_demo_database_as_the_app_does(
    tmp_path: Path, app_dirs: Path
) -> None:
    """The same patients, visits and codes as the TUI's --demo (both call seed_demo)."""
    from dntui.app import DntuiApp
    from dntui.store.repo import Store

    app_dir, cli_dir = tmp_path / "app", tmp_path / "cli"
    app_dir.mkdir()
    app = DntuiApp(db_url=f"sqlite:///{app_dir / 'demo.db'}", demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        # Seeded and ready: the demo's practitioner picker is up.
        await wait_for(pilot, lambda: picker_filled(app))
    by_cli = dntui(cli_dir, "--demo", "export", "--format", "json")
    assert by_cli.returncode == 0, by_cli.stderr
    store = Store.open(f"sqlite:///{app_dir / 'demo.db'}")
    try:
        out = io.StringIO()
        from dntui.exports.export import export_visits

        export_visits(store, fmt="json", stream=out)
    finally:
        store.close()

    def key(doc: str) -> list[tuple[str, str, str]]:
        return [(v["date"], v["patient"]["name"], v["cpt_code"]) for v in json.loads(doc)["visits"]]

    assert key(by_cli.stdout) == key(out.getvalue())


def picker_filled(app: object) -> bool:
    from textual.widgets import OptionList

    lists = app.screen.query(OptionList)  # type: ignore[attr-defined]
    return bool(lists) and lists.first(OptionList).option_count > 0


# --------------------------------------------------------------- empty export
FAR = ["--from", "2030-01-01", "--to", "2030-01-31"]


def notes(proc: subprocess.CompletedProcess[str]) -> list[str]:
    """stderr without the first run's schema line (the demo database is new)."""
    return [ln for ln in proc.stderr.splitlines() if not ln.startswith("Database schema")]


def demo_export(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return dntui(tmp_path, "--demo", "export", *args, *FAR)


def test_an_empty_csv_export_is_the_header_and_exit_0(tmp_path: Path) -> None:
    out = tmp_path / "none.csv"
    proc = demo_export(tmp_path, "--format", "csv", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == (",".join(CSV_COLUMNS) + "\r\n").encode()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    (note,) = notes(proc)
    assert "no signed visits from 2030-01-01 to 2030-01-31" in note and str(out) in note
    to_stdout = demo_export(tmp_path, "--format", "csv")
    assert to_stdout.returncode == 0  # (text mode reads \r\n as \n)
    assert to_stdout.stdout == ",".join(CSV_COLUMNS) + "\n"


def test_an_empty_json_export_is_the_usual_document_with_no_visits(tmp_path: Path) -> None:
    proc = demo_export(tmp_path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["schema"] == EXPORT_SCHEMA and doc["visits"] == [] and doc["count"] == 0
    assert doc["filters"]["from"] == "2030-01-01"
    assert len(notes(proc)) == 1


def test_an_empty_fhir_export_is_a_valid_bundle_without_entries(tmp_path: Path) -> None:
    proc = demo_export(tmp_path, "--format", "fhir")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["resourceType"] == "Bundle" and "entry" not in doc
    Bundle.model_validate(doc)


def test_an_empty_export_is_audited(tmp_path: Path) -> None:
    demo_export(tmp_path, "--format", "csv")
    verify = dntui(tmp_path, "--demo", "audit", "verify")
    assert verify.returncode == 0, verify.stdout
    from dntui.store.repo import Store

    store = Store.open(f"sqlite:///{tmp_path / 'data' / 'demo.db'}")
    try:
        details = [e.detail for e in store.audit_trail(limit=1000) if e.action == "export"]
    finally:
        store.close()
    assert any(re.search(r"count=0 from=2030-01-01", d) for d in details)
