"""The dntui command: version, help, audit verify, and one clear line for every bad start."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from dntui import __version__
from dntui.store.repo import Store


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
        **env,
    }
    full_env.pop("DNTUI_DATABASE_URL", None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "dntui", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def assert_one_clean_line(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for w in words:
        assert w in lines[0], lines[0]


def test_version_and_help(tmp_path: Path) -> None:
    v = run(["--version"], tmp_path)
    assert v.returncode == 0 and v.stdout.strip() == f"dntui {__version__}"
    h = run(["--help"], tmp_path)
    assert h.returncode == 0
    for word in ("--demo", "--db", "--practitioner", "audit", "gallery"):
        assert word in h.stdout


def test_help_prints_the_actual_folders(tmp_path: Path) -> None:
    h = run(["--help"], tmp_path)
    assert f"Data folder: {tmp_path / 'data'}" in h.stdout
    assert f"Config folder: {tmp_path / 'config'}" in h.stdout
    assert "see README" not in h.stdout


def test_paths_lists_every_location_and_creates_nothing(tmp_path: Path) -> None:
    proc = run(["paths"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = dict(line.split(None, 1) for line in proc.stdout.splitlines())
    assert rows == {
        "config": str(tmp_path / "config" / "config.toml"),
        "fees": str(tmp_path / "config" / "fees.toml"),
        "data": str(tmp_path / "data"),
        "database": str(tmp_path / "data" / "dntui.db"),
        "drafts": str(tmp_path / "data" / "drafts"),
    }
    assert not (tmp_path / "data").exists() and not (tmp_path / "config").exists()
    demo = run(["--demo", "paths"], tmp_path)
    assert f"database  {tmp_path / 'data' / 'demo.db'}" in demo.stdout


def test_paths_follows_the_database_setting_and_hides_its_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://dana:s3cret-pw@clinic-server/dntui"
    proc = run(["paths"], tmp_path, DNTUI_DATABASE_URL=url)
    assert "database  postgresql+psycopg://dana:***@clinic-server/dntui" in proc.stdout
    assert "s3cret-pw" not in proc.stdout + proc.stderr
    local = run(["--db", "clinic.db", "paths"], tmp_path)
    assert "database  " in local.stdout and local.stdout.count("clinic.db") == 1


def test_paths_with_a_bad_config_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("clinic_name = \n")
    assert_one_clean_line(run(["paths"], tmp_path), "config.toml")


def test_audit_verify_reports_intact_and_broken_chains(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))  # the clinic key
    db = tmp_path / "clinic.db"
    store = Store.open(f"sqlite:///{db}")
    p = store.add_practitioner("Dana Reyes", "PT", pin="123456")
    store.add_patient("Ada Park", None, actor=p)
    store.close()
    ok = run(["--db", str(db), "audit", "verify"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert "intact: 2 rows" in ok.stdout
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER audit_append_only_update")
    con.execute("UPDATE audit SET detail = 'edited' WHERE seq = 2")
    con.commit()
    con.close()
    bad = run(["--db", str(db), "audit", "verify"], tmp_path)
    assert bad.returncode == 1
    assert "broken at row 2" in bad.stdout


def test_bad_config_file_is_one_line_naming_file_and_line(tmp_path: Path) -> None:
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "config.toml").write_text('clinic_name = "Ok"\nmouse = maybe\n')
    proc = run(["--db", str(tmp_path / "x.db")], tmp_path)
    assert_one_clean_line(proc, "config.toml", "line 2")


def test_newer_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    Store.open(f"sqlite:///{db}").close()
    con = sqlite3.connect(db)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    proc = run(["--db", str(db), "audit", "verify"], tmp_path)
    assert_one_clean_line(proc, "newer version of dntui")


def test_damaged_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    db.write_bytes(b"this is not a database" * 100)
    proc = run(["--db", str(db), "audit", "verify"], tmp_path)
    assert_one_clean_line(proc, "damaged")


def test_unusable_data_folder_is_refused(tmp_path: Path) -> None:
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    proc = run(["--db", str(blocker / "sub" / "dntui.db"), "audit", "verify"], tmp_path)
    assert_one_clean_line(proc, "dntui.db")


def test_unreachable_postgres_is_one_line(tmp_path: Path) -> None:
    proc = run(
        ["--db", "postgresql+psycopg://nobody@127.0.0.1:1/nodb", "audit", "verify"], tmp_path
    )
    assert_one_clean_line(proc, "cannot reach the database server")


@pytest.mark.parametrize("args", [["--practitioner", "Nobody Here"]])
def test_app_start_failure_is_one_line_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    """The app itself (not a subcommand) reports a bad start the same way."""
    from pty_support import PtyApp

    db = tmp_path / "clinic.db"
    Store.open(f"sqlite:///{db}").close()
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    app = PtyApp(["--db", str(db), *args], env)  # the app needs a terminal
    try:
        status = app.wait_exit(30)
        assert status is not None and os.waitstatus_to_exitcode(status) == 1
        app.read_for(0.1)
        shown = app.output.decode(errors="replace")
        assert "Traceback" not in shown
        assert "no practitioner named 'Nobody Here'" in shown
    finally:
        app.kill()


def test_existing_data_folder_is_made_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    proc = run(["audit", "verify"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert oct(data.stat().st_mode & 0o777) == "0o700"
    assert oct((data / "dntui.db").stat().st_mode & 0o777) == "0o600"


def test_bad_clinic_state_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    cfg = tmp_path / "config"
    cfg.mkdir()
    (cfg / "config.toml").write_text('clinic_state = "Virginia"\n')
    proc = run(["--db", str(tmp_path / "x.db")], tmp_path)
    assert_one_clean_line(proc, "config.toml", "clinic_state", "two-letter US state code")
