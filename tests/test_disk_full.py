"""Issue 17, item 7: a full disk loses nothing that was typed, and says so honestly.

When the database refuses the draft AND the local backup file cannot be written
(disk full, folder unwritable), the visit exists only in the window: the app
must say that (a red banner, until a save succeeds), never "kept locally". An
export to standard output is audited before anything is printed.
"""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from app_support import make_app, start_visit, wait_for
from builders import record_of

from dntui import cli, private_files
from dntui.dialogs.confirm import ConfirmScreen
from dntui.domain.visit import VisitDraft
from dntui.screens import visit as visit_module
from dntui.screens.visit import backup_path
from dntui.store.errors import StoreError
from dntui.store.repo import Store
from dntui.widgets.save_banner import SaveBanner


def _disk_full(*_: Any, **__: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.fixture
def broken(clinic_store: Store, monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """The database refuses drafts and the backup writer hits a full disk, until fixed."""
    monkeypatch.setattr(visit_module, "RETRY_DELAY", 0.2)
    state = {"db": True, "disk": True}
    real_save = Store.save_draft
    real_write = private_files.write_private_text

    def save(self: Store, draft: VisitDraft, *, actor: Any) -> VisitDraft:
        if state["db"]:
            raise StoreError("database or disk is full")
        return real_save(self, draft, actor=actor)

    def write(path: Path, text: str) -> None:
        if state["disk"]:
            _disk_full()
        real_write(path, text)

    monkeypatch.setattr(Store, "save_draft", save)
    monkeypatch.setattr(private_files, "write_private_text", write)
    return state


async def _type_a_patient(pilot: Any, store: Store) -> Any:
    vs = await start_visit(pilot)
    patient = store.add_patient("Ada Park", date(1980, 1, 2), actor=pilot.app.practitioner)
    vs.query_one("#patient").set_patient(patient)
    # The autosave debounce, then the failed save.
    await wait_for(pilot, lambda: vs.query_one(SaveBanner).shown, what="the NOT SAVED banner")
    return vs


async def test_disk_full_says_not_saved_never_kept_locally(
    clinic_store: Store, broken: dict[str, bool]
) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(100, 30)) as pilot:
        vs = await _type_a_patient(pilot, clinic_store)
        banner = vs.query_one(SaveBanner)
        assert banner.shown
        assert "NOT SAVED" in str(banner.content)
        assert "No space left on device" in str(banner.content)
        assert not any("kept locally" in n.message for n in app._notifications)
        assert vs.dirty and not vs.kept_somewhere
        assert vs.draft.patient.name == "Ada Park"  # still in memory
        assert not backup_path(vs.draft).exists()

        # Quitting now asks, and says the truth.
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "NOWHERE" in str(app.screen.query_one("Plain").content)
        await pilot.press("n")
        await pilot.pause()

        # Space is freed: the retry saves the draft and the banner goes.
        broken["disk"] = broken["db"] = False
        await wait_for(pilot, lambda: not vs.dirty, what="the retried save")  # every 5 s
        assert not vs.dirty and vs.kept_somewhere
        assert not banner.shown
        assert vs.draft.visit_id is not None
    assert clinic_store.load(vs.draft.visit_id).draft.patient.name == "Ada Park"


async def test_database_down_but_backup_written_says_kept_locally(
    clinic_store: Store, broken: dict[str, bool]
) -> None:
    broken["disk"] = False
    app = make_app(clinic_store)
    async with app.run_test(size=(100, 30)) as pilot:
        vs = await start_visit(pilot)
        patient = clinic_store.add_patient("Ada Park", date(1980, 1, 2), actor=app.practitioner)
        vs.query_one("#patient").set_patient(patient)
        await wait_for(
            pilot,
            lambda: any("kept locally" in n.message for n in app._notifications),
            what="the kept-locally notice",
        )
        assert any("kept locally" in n.message for n in app._notifications)
        assert not vs.query_one(SaveBanner).shown
        assert vs.kept_somewhere
        assert backup_path(vs.draft).exists()


async def test_unusable_backup_folder_is_reported_the_same_way(
    clinic_store: Store, app_dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The drafts folder cannot be made (a file is in its place: this holds for root too)."""
    monkeypatch.setattr(visit_module, "RETRY_DELAY", 0.2)

    def save(self: Store, draft: VisitDraft, *, actor: Any) -> VisitDraft:
        raise StoreError("database is locked")

    monkeypatch.setattr(Store, "save_draft", save)
    (app_dirs / "data" / "drafts").write_text("not a folder")
    app = make_app(clinic_store)
    async with app.run_test(size=(100, 30)) as pilot:
        vs = await _type_a_patient(pilot, clinic_store)
        text = str(vs.query_one(SaveBanner).content)
        assert "NOT SAVED" in text and "database is locked" in text
        assert not any("kept locally" in n.message for n in app._notifications)


# -------------------------------------------------------------- stdout exports
@pytest.fixture
def signed_visit(clinic_store: Store, app_dirs: Path) -> tuple[Path, int]:
    from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side

    p = clinic_store.find_practitioner("Dana Reyes")
    assert p is not None
    pa = clinic_store.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    draft = clinic_store.save_draft(
        VisitDraft(
            visit_date=date(2026, 3, 16),
            practitioner=PractitionerInfo(p.id, p.name, p.credentials),
            patient=PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
            muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
        ),
        actor=p,
    )
    clinic_store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="25.74", note_text="note"), signer=p
    )
    assert draft.visit_id is not None
    return app_dirs / "data" / "dntui.db", draft.visit_id


def _audit_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    def log_event(self: Store, *_: Any, **__: Any) -> None:
        raise StoreError("database or disk is full")

    monkeypatch.setattr(Store, "log_event", log_event)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_to_stdout_prints_nothing_when_the_audit_row_fails(
    signed_visit: tuple[Path, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    fmt: str,
) -> None:
    db, _ = signed_visit
    _audit_fails(monkeypatch)
    code = cli.main(["--db", str(db), "export", "--format", fmt])
    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert out.err.strip().splitlines() == ["dntui: database or disk is full"]


def test_handout_to_stdout_prints_nothing_when_the_audit_row_fails(
    signed_visit: tuple[Path, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, visit_id = signed_visit
    _audit_fails(monkeypatch)
    code = cli.main(["--db", str(db), "handout", str(visit_id)])
    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert "Ada Park" not in out.err


def test_export_to_stdout_is_audited_before_it_is_printed(
    signed_visit: tuple[Path, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    db, _ = signed_visit
    order: list[str] = []
    real_log = Store.log_event

    def log_event(self: Store, *args: Any, **kwargs: Any) -> None:
        order.append(f"audit (printed so far: {len(capsys.readouterr().out)} chars)")
        real_log(self, *args, **kwargs)

    monkeypatch.setattr(Store, "log_event", log_event)
    assert cli.main(["--db", str(db), "export", "--format", "csv"]) == 0
    assert order == ["audit (printed so far: 0 chars)"]
    sys.stdout.flush()


def test_a_full_stdout_is_one_line(
    signed_visit: tuple[Path, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import io
    import sys

    class Full(io.StringIO):
        def write(self, _: str) -> int:
            _disk_full()
            return 0

    db, _ = signed_visit
    monkeypatch.setattr(sys, "stdout", Full())
    code = cli.main(["--db", str(db), "export", "--format", "csv"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.strip().splitlines() == [
        "dntui: cannot write to standard output: No space left on device"
    ]
