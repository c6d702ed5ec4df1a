"""Issue 17 items 8 and 9: PIN guessing in parallel, unique identity, one-line errors
without patient data (migrate, bad URLs), a partly damaged database."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from processes import process_context
from security_support import PATIENT, ClinicDB
from sqlalchemy.exc import IntegrityError

from dntui.store.errors import LockedError, StoreError
from dntui.store.repo import Store

PROCESSES = 8
TRIES = 5


def _guesser(url: str, config: str, pid: int, barrier: Any, out: Any) -> None:
    os.environ["DNTUI_CONFIG_DIR"] = config
    checked = locked = 0
    try:
        store = Store.open(url)
    except Exception as exc:  # reported, never a hang at the barrier
        barrier.abort()
        out.put((-1, repr(exc)))
        return
    try:
        barrier.wait(timeout=240)
        for i in range(TRIES):
            try:
                store.check_signer(pid, f"{i:06d}")
                checked += 1
            except LockedError:
                locked += 1
        out.put((checked, locked))
    except Exception as exc:
        out.put((-1, repr(exc)))
    finally:
        store.close()


def test_9_eight_processes_guessing_check_only_five_pins(cdb: ClinicDB) -> None:
    ctx = process_context()
    barrier = ctx.Barrier(PROCESSES)
    out = ctx.Queue()
    config = os.environ["DNTUI_CONFIG_DIR"]
    procs = [
        ctx.Process(target=_guesser, args=(cdb.url, config, cdb.sam.id, barrier, out))
        for _ in range(PROCESSES)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=300) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert all(c >= 0 for c, _ in results), results
    checked = sum(c for c, _ in results)
    fails = [e for e in cdb.owner.audit_trail(limit=100_000) if e.action == "pin.fail"]
    assert checked == 5, results
    assert len(fails) == 5
    assert sum(lk for _, lk in results) == PROCESSES * TRIES - 5
    assert cdb.owner.verify_audit().ok


def test_9_practitioner_names_are_unique(cdb: ClinicDB) -> None:
    with pytest.raises(ValueError, match="already exists"):
        cdb.owner.add_practitioner("dana  REYES", "PT", pin="135790")
    # and the database refuses it too, whoever inserts
    from sqlmodel import Session

    from dntui.store import audit
    from dntui.store.models import Practitioner

    with (
        pytest.raises(IntegrityError),
        Session(cdb.owner.engine) as s,
        s.begin(),
        audit.db_path(s),
    ):
        s.add(Practitioner(name="DANA REYES", credentials="PT"))
        s.flush()


def _seed_ten(store: Store) -> list[tuple[str, str]]:
    pt = store.add_practitioner("Alex Rivera", "PT", pin="482193")
    people = []
    for i in range(10):
        name, dob = f"Quenby Fairweather{i}", date(1950 + i, 1 + i, 3 + i)
        store.add_patient(name, dob, actor=pt)
        people.append((f"Fairweather{i}", dob.isoformat()))
    return people


def _dntui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dntui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )


def assert_one_clean_line(proc: subprocess.CompletedProcess[str], secrets: list[str]) -> None:
    assert proc.returncode == 1, proc.stderr
    # A new target's schema upgrade reports its progress first ("Database schema: ..."):
    # apart from that, the failure is one line.
    lines = [ln for ln in proc.stderr.strip().splitlines() if not ln.startswith("Database schema")]
    assert len(lines) == 1 and lines[0].startswith("dntui: "), proc.stderr
    assert "Traceback" not in proc.stderr
    for s in secrets:
        assert s not in proc.stderr and s not in proc.stdout, s


def test_8_db_migrate_with_a_nul_in_a_patient_name_is_one_line_without_patient_data(
    tmp_path: Path, pg_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"DNTUI_CONFIG_DIR": str(tmp_path / "config")}
    monkeypatch.setenv("DNTUI_CONFIG_DIR", env["DNTUI_CONFIG_DIR"])  # the source's key
    src = Store.open(f"sqlite:///{tmp_path / 'clinic.db'}")
    people = _seed_ten(src)
    pt = src.practitioners()[0]
    src.add_patient("Nul\x00Zenobia Quarrington", date(1970, 5, 6), actor=pt)
    src.close()
    target = pg_server.create_database()
    proc = _dntui("db", "migrate", "--from", str(tmp_path / "clinic.db"), "--to", target, env=env)
    secrets = [n for n, _ in people] + [d for _, d in people] + ["Zenobia", "Quarrington"]
    assert_one_clean_line(proc, secrets)
    assert "undone" in proc.stderr and "NUL" in proc.stderr
    dst = Store.open(target)
    try:
        assert dst.practitioners() == []  # the target is left empty
    finally:
        dst.close()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://dana@localhost:abc/dntui",
        "postgresql+psycopg://dana@localhost:99999/dntui",
        "postgresql+psycopg://dana@[::1:5432/dntui",
    ],
)
def test_8_bad_database_urls_are_one_line(url: str, tmp_path: Path) -> None:
    proc = _dntui("--db", url, "audit", "verify", env={"DNTUI_CONFIG_DIR": str(tmp_path)})
    assert_one_clean_line(proc, [])
    assert proc.stderr.startswith("dntui: ")


def test_9_partly_damaged_database_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {"DNTUI_CONFIG_DIR": str(tmp_path / "config")}
    monkeypatch.setenv("DNTUI_CONFIG_DIR", env["DNTUI_CONFIG_DIR"])
    path = tmp_path / "clinic.db"
    store = Store.open(f"sqlite:///{path}")
    people = _seed_ten(store)
    pt = store.practitioners()[0]
    for i in range(400):
        store.add_patient(f"Filler Patient Number {i:04d} " + "x" * 80, None, actor=pt)
    store.close()
    assert (
        not path.with_name("clinic.db-wal").exists()
        or path.with_name("clinic.db-wal").stat().st_size == 0
    )
    size = path.stat().st_size
    assert size > 40 * 4096
    with open(path, "r+b") as fh:  # garbage over pages in the middle, header intact
        fh.seek(size // 2 - 3 * 4096)
        fh.write(os.urandom(6 * 4096))
    with pytest.raises(StoreError, match="damaged"):
        Store.open(f"sqlite:///{path}")
    proc = _dntui("--db", str(path), "audit", "verify", env=env)
    assert_one_clean_line(proc, [n for n, _ in people] + [PATIENT])
    assert "damaged" in proc.stderr


def test_3_min_pin_length_is_a_setting_of_4_or_more(tmp_path: Path) -> None:
    from dntui.config import ConfigError, load_settings

    path = tmp_path / "config.toml"
    assert load_settings(path).min_pin_length == 6  # the written default
    path.write_text("min_pin_length = 8\n")
    assert load_settings(path).min_pin_length == 8
    path.write_text("min_pin_length = 3\n")
    with pytest.raises(ConfigError, match="4 or more"):
        load_settings(path)
    store = Store.open(f"sqlite:///{tmp_path / 'x.db'}")
    try:
        store.min_pin_length = 8
        with pytest.raises(ValueError, match="at least 8"):
            store.add_practitioner("Kim Park", "PT", pin="1234567")
        assert store.add_practitioner("Kim Park", "PT", pin="12345678").id is not None
    finally:
        store.close()
