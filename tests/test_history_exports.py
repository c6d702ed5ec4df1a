"""Exports (CSV, JSON, handout, printing), the export command and the history screens.

The export round trips run on SQLite and PostgreSQL (the ``store`` fixture); the
command line and the screens run on SQLite files.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import app_support
import pytest
from builders import plain_draft, record_of

from dntui import cli
from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.domain.assessment import Assessment, Duration, Outcome, PainPattern
from dntui.domain.validation import ValidationError, parse_day
from dntui.domain.visit import (
    MuscleEntry,
    Side,
    VisitDraft,
)
from dntui.exports import ExportError, printing
from dntui.exports.export import CSV_COLUMNS, EXPORT_SCHEMA, export_visits
from dntui.exports.handout import handout, save_handout
from dntui.exports.printing import (
    configured_printer,
    default_printer,
    print_command,
    print_handout,
    print_text,
)
from dntui.store.models import Patient, Practitioner
from dntui.store.repo import Store

DAY = date(2026, 1, 5)
LATER = date(2026, 2, 10)
PIN = "2468"


# -------------------------------------------------------------- known visits
class Clinic:
    """Two practitioners, three patients, four visits with known content."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN, min_pin_length=4)
        self.sam = store.add_practitioner("Sam Okafor", "DC", pin=PIN, min_pin_length=4)
        self.jane = store.add_patient("Jane Doe", date(1980, 2, 3), actor=self.dana)
        self.john = store.add_patient("John Smith", None, actor=self.dana, chart_no="EXT-7")
        self.eve = store.add_patient("=cmd Eve", date(1999, 9, 9), actor=self.dana)
        # 1. Jane, thoracic (upper trapezius both sides) + infraspinatus: Medicare, 20561.
        self.v1 = self.sign(
            self.dana,
            self.jane,
            DAY,
            "medicare",
            ["M79.11", "M62.838"],
            [
                MuscleEntry("upper-trapezius", Side.BILATERAL, 4, 4),
                MuscleEntry("infraspinatus", Side.LEFT, 2, 2),
            ],
            code="20561",
            count=3,
            charge="38.32",
            modifiers=["GP", "GX"],
            warnings=["Medicare does not cover dry needling by a PT", "ABN on file, GX added"],
            payer_name="Medicare",
            assessment=Assessment(
                chief_complaint="neck pain",
                region="head/neck",
                pattern=PainPattern.REFERRED,
                referred_to="left shoulder",
                duration=Duration.CHRONIC,
                onset=date(2025, 6, 1),
                nprs_before=7,
                psfs_activity="lift child",
                psfs_before=3,
            ),
            outcome=Outcome(nprs_after=4),
        )
        # 2. John, Sam, self-pay, 20560, no warnings; an addendum later.
        self.v2 = self.sign(
            self.sam,
            self.john,
            DAY,
            "self-pay",
            ["M54.50"],
            [MuscleEntry("gluteus-medius", Side.RIGHT, 3, 3)],
            code="20560",
            count=1,
            charge="25.74",
            modifiers=[],
            warnings=[],
            payer_name="Self-pay",
        )
        store.add_addendum(self.v2, author=self.sam, text="Late entry.", reason="late")
        # 3. A draft on the same day: never exported.
        self.v3 = store.save_draft(
            self.draft(self.dana, self.jane, DAY, "medicare", [], []), actor=self.dana
        ).visit_id
        # 4. Eve (a name that looks like a spreadsheet formula), a month later.
        self.v4 = self.sign(
            self.dana,
            self.eve,
            LATER,
            "commercial",
            ["M79.18"],
            [MuscleEntry("gastrocnemius", Side.LEFT, 1, 1)],
            code="20560",
            count=1,
            charge="30.00",
            modifiers=["GP"],
            warnings=["-check the plan"],
            payer_name="Commercial insurance",
        )

    @staticmethod
    def draft(
        pr: Practitioner,
        pa: Patient,
        day: date,
        payer: str,
        dx: list[str],
        muscles: list[MuscleEntry],
        assessment: Assessment | None = None,
        outcome: Outcome | None = None,
    ) -> VisitDraft:
        return plain_draft(
            pr,
            pa,
            day=day,
            payer=payer,
            dx=dx,
            muscles=muscles,
            practitioner_lines="Walk for 10 minutes tonight.",
            assessment=assessment or Assessment(),
            outcome=outcome or Outcome(),
        )

    def sign(
        self,
        pr: Practitioner,
        pa: Patient,
        day: date,
        payer: str,
        dx: list[str],
        muscles: list[MuscleEntry],
        *,
        code: str,
        count: int,
        charge: str,
        modifiers: list[str],
        warnings: list[str],
        payer_name: str,
        assessment: Assessment | None = None,
        outcome: Outcome | None = None,
    ) -> int:
        saved = self.store.save_draft(
            self.draft(pr, pa, day, payer, dx, muscles, assessment, outcome), actor=pr
        )
        v = self.store.sign(
            record_of(
                saved,
                code=code,
                muscle_count=count,
                charge=charge,
                modifiers=modifiers,
                warnings=warnings,
                payer_name=payer_name,
                counting=f"{count} counted",
                note_text="note",
            ),
            signer=pr,
        )
        assert v.id is not None
        return v.id


@pytest.fixture
def clinic(store: Store) -> Clinic:
    return Clinic(store)


def export_text(clinic: Clinic, fmt: str, **kwargs: Any) -> str:
    out = io.StringIO()
    result = export_visits(clinic.store, fmt=fmt, stream=out, **kwargs)
    assert result.path is None
    return out.getvalue()


def export_events(store: Store) -> list[Any]:
    return [e for e in store.audit_trail(limit=1000) if e.action == "export"]


# ------------------------------------------------------------------- JSON
def test_json_export_round_trip_field_by_field(clinic: Clinic) -> None:
    doc = json.loads(export_text(clinic, "json"))
    assert doc["schema"] == EXPORT_SCHEMA == "dntui.export/2"
    assert doc["filters"] == {"from": None, "to": None, "practitioner": None}
    assert doc["generated_at"].endswith("Z")
    assert doc["count"] == 3 == len(doc["visits"])
    v1, v2, v4 = doc["visits"]
    signed_at = v1.pop("signed_at")
    assert signed_at.endswith("Z") and signed_at.startswith("20")
    assert v1 == {
        "visit_id": clinic.v1,
        "date": "2026-01-05",
        "status": "signed",
        "patient": {
            "chart_no": clinic.jane.chart_no,
            "name": "Jane Doe",
            "date_of_birth": "1980-02-03",
        },
        "practitioner": {"name": "Dana Reyes", "credentials": "PT"},
        "payer": {"key": "medicare", "name": "Medicare"},
        "diagnosis_codes": ["M79.11", "M62.838"],
        "cpt_code": "20561",
        "muscle_count": 3,
        "counting": "3 counted",
        "muscles": [
            {"muscle_id": "upper-trapezius", "name": "Upper trapezius", "side": "B", "needles": 4},
            {"muscle_id": "infraspinatus", "name": "Infraspinatus", "side": "L", "needles": 2},
        ],
        "modifiers": ["GP", "GX"],
        "units": 1,
        "charge": "38.32",
        "warnings": ["Medicare does not cover dry needling by a PT", "ABN on file, GX added"],
        "addenda_count": 0,
        "assessment": {
            "chief_complaint": "neck pain",
            "region": "head/neck",
            "pattern": "referred",
            "referred_to": "left shoulder",
            "duration": "chronic",
            "onset": "2025-06-01",
            "nprs_before": 7,
            "psfs_activity": "lift child",
            "psfs_before": 3,
        },
        "outcome": {"nprs_after": 4, "psfs_after": None},
        "patient_pays": None,
    }
    assert v2["visit_id"] == clinic.v2
    # A visit without an assessment: every field null ("not recorded").
    assert set(v2["assessment"].values()) == {None}
    assert v2["outcome"] == {"nprs_after": None, "psfs_after": None}
    assert v2["patient"] == {"chart_no": "EXT-7", "name": "John Smith", "date_of_birth": None}
    assert v2["practitioner"] == {"name": "Sam Okafor", "credentials": "DC"}
    assert (v2["cpt_code"], v2["modifiers"], v2["warnings"]) == ("20560", [], [])
    assert v2["addenda_count"] == 1
    assert v4["patient"]["name"] == "=cmd Eve"  # JSON keeps text as typed
    assert v4["date"] == "2026-02-10" and v4["charge"] == "30.00"


def test_json_export_of_an_entered_in_error_visit_says_so(clinic: Clinic) -> None:
    clinic.store.void(clinic.v4, actor=clinic.dana, reason="wrong patient")
    doc = json.loads(export_text(clinic, "json", date_from=LATER))
    assert [(v["visit_id"], v["status"]) for v in doc["visits"]] == [
        (clinic.v4, "entered-in-error")
    ]


# -------------------------------------------------------------------- CSV
def test_csv_export_round_trip_field_by_field(clinic: Clinic) -> None:
    text = export_text(clinic, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    assert [r["visit_id"] for r in rows] == [str(clinic.v1), str(clinic.v2), str(clinic.v4)]
    r1 = dict(rows[0])
    assert r1.pop("signed_at").endswith("Z")
    assert r1 == {
        "visit_id": str(clinic.v1),
        "date": "2026-01-05",
        "chart_no": clinic.jane.chart_no,
        "patient_name": "Jane Doe",
        "date_of_birth": "1980-02-03",
        "practitioner": "Dana Reyes",
        "credentials": "PT",
        "payer": "medicare",
        "payer_name": "Medicare",
        "diagnosis_codes": "M79.11 M62.838",
        "cpt_code": "20561",
        "muscle_count": "3",
        "counting": "3 counted",
        "muscles": "Upper trapezius (B) 4; Infraspinatus (L) 2",
        "modifiers": "GP GX",
        "units": "1",
        "charge": "38.32",
        "warnings": "Medicare does not cover dry needling by a PT | ABN on file, GX added",
        "addenda_count": "0",
        "status": "signed",
        "chief_complaint": "neck pain",
        "pain_region": "head/neck",
        "pain_pattern": "referred",
        "referred_to": "left shoulder",
        "duration": "chronic",
        "onset": "2025-06-01",
        "nprs_before": "7",
        "nprs_after": "4",
        "psfs_activity": "lift child",
        "psfs_before": "3",
        "psfs_after": "",
        "patient_pays": "",
    }
    r2 = rows[1]
    assert (r2["nprs_before"], r2["chief_complaint"], r2["duration"]) == ("", "", "")
    assert (r2["chart_no"], r2["date_of_birth"], r2["modifiers"], r2["warnings"]) == (
        "EXT-7",
        "",
        "",
        "",
    )
    assert (r2["practitioner"], r2["credentials"], r2["addenda_count"]) == ("Sam Okafor", "DC", "1")
    # Cells a spreadsheet would run as formulas are defused with a leading quote.
    r4 = rows[2]
    assert r4["patient_name"] == "'=cmd Eve"
    assert r4["warnings"] == "'-check the plan"


def test_export_filters_by_range_and_practitioner(clinic: Clinic) -> None:
    doc = json.loads(export_text(clinic, "json", date_from=DAY, date_to=DAY))
    assert [v["visit_id"] for v in doc["visits"]] == [clinic.v1, clinic.v2]
    assert doc["filters"] == {"from": "2026-01-05", "to": "2026-01-05", "practitioner": None}
    rows = list(csv.DictReader(io.StringIO(export_text(clinic, "csv", practitioner=clinic.sam))))
    assert [r["visit_id"] for r in rows] == [str(clinic.v2)]


def test_export_file_is_private_and_audited_without_patient_names(
    clinic: Clinic, tmp_path: Path
) -> None:
    out = tmp_path / "visits.json"
    result = export_visits(clinic.store, fmt="json", output=out, actor=clinic.dana)
    assert result.count == 3 and result.path == out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text())["count"] == 3
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp file left
    (event,) = export_events(clinic.store)
    assert event.actor == "Dana Reyes"
    assert "format=json" in event.detail and "count=3" in event.detail
    for name in ("Jane", "Doe", "John", "Smith", "Eve"):
        assert name not in event.detail
    assert clinic.store.verify_audit().ok


def test_export_overwrites_an_existing_file_and_makes_it_private(
    clinic: Clinic, tmp_path: Path
) -> None:
    out = tmp_path / "visits.csv"
    out.write_text("old")
    out.chmod(0o644)
    export_visits(clinic.store, fmt="csv", output=out)
    assert out.read_text().startswith("visit_id,date,")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_empty_range_bad_range_and_bad_paths_have_clear_messages(
    clinic: Clinic, tmp_path: Path
) -> None:
    s = clinic.store
    with pytest.raises(ExportError, match=r"no signed visits from 2030-01-01 to 2030-01-31"):
        export_visits(
            s,
            fmt="csv",
            date_from=date(2030, 1, 1),
            date_to=date(2030, 1, 31),
            stream=io.StringIO(),
        )
    with pytest.raises(ExportError, match=r"no signed visits by Sam Okafor on 2026-02-10"):
        export_visits(
            s,
            fmt="csv",
            date_from=LATER,
            date_to=LATER,
            practitioner=clinic.sam,
            stream=io.StringIO(),
        )
    with pytest.raises(ExportError, match=r"starts \(2026-02-01\) after it ends \(2026-01-01\)"):
        export_visits(
            s, fmt="csv", date_from=date(2026, 2, 1), date_to=date(2026, 1, 1), stream=io.StringIO()
        )
    with pytest.raises(ExportError, match=r"the folder .*missing does not exist"):
        export_visits(s, fmt="csv", output=tmp_path / "missing" / "x.csv")
    with pytest.raises(ExportError, match=r"it is a folder"):
        export_visits(s, fmt="csv", output=tmp_path)
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    with pytest.raises(ExportError, match=r"file.txt is not a folder"):
        export_visits(s, fmt="csv", output=a_file / "x.csv")
    with pytest.raises(ExportError, match=r"unknown export format 'xml'"):
        export_visits(s, fmt="xml", stream=io.StringIO())
    empty = tmp_path / "empty.csv"
    with pytest.raises(ExportError):
        export_visits(s, fmt="csv", date_from=date(2030, 1, 1), output=empty)
    assert not empty.exists()  # nothing written for an empty range
    assert export_events(s) == []  # nothing exported, nothing audited


def test_read_only_folder_is_refused(
    clinic: Clinic, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    real_access = os.access
    # Root (as in CI) may write anywhere: answer as the folder's mode says for everyone.
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == folder and mode & os.W_OK else real_access(p, mode),
    )
    try:
        with pytest.raises(ExportError, match=r"no permission to write in"):
            export_visits(clinic.store, fmt="csv", output=folder / "x.csv")
        assert not (folder / "x.csv").exists()
    finally:
        folder.chmod(0o700)


def test_parse_day_accepts_dates_months_years_and_names_bad_ones() -> None:
    assert parse_day("2026-03-05") == date(2026, 3, 5)
    assert parse_day("2026-02", end=True) == date(2026, 2, 28)
    assert parse_day("2024-02", end=True) == date(2024, 2, 29)
    assert parse_day("2026-12", end=True) == date(2026, 12, 31)
    assert parse_day("2026") == date(2026, 1, 1)
    assert parse_day("2026", end=True) == date(2026, 12, 31)
    for bad in ("2026-13-01", "2026-02-30", "yesterday", "", "05/03/2026", "2026-1-5", "2026-01-3"):
        with pytest.raises(ValidationError, match=r"--from .* is not a date: use YYYY-MM-DD"):
            parse_day(bad, what="--from")


# ----------------------------------------------------------- command line
@pytest.fixture
def clinic_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Clinic]:
    monkeypatch.setenv("DNTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("DNTUI_DATABASE_URL", raising=False)
    monkeypatch.delenv("DNTUI_PRINTER", raising=False)
    db = tmp_path / "clinic.db"
    store = Store.open(f"sqlite:///{db}")
    c = Clinic(store)
    return db, c


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_export_json_to_a_private_file(
    clinic_db: tuple[Path, Clinic], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, c = clinic_db
    out = tmp_path / "jan.json"
    code, stdout, err = run_cli(
        [
            "--db",
            str(db),
            "export",
            "--format",
            "json",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--practitioner",
            "dana reyes",
            "-o",
            str(out),
        ],
        capsys,
    )
    assert code == 0, err
    assert stdout == ""
    assert err.strip() == f"exported 1 signed visit(s) to {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = json.loads(out.read_text())
    assert [v["visit_id"] for v in doc["visits"]] == [c.v1]
    assert doc["filters"] == {
        "from": "2026-01-01",
        "to": "2026-01-31",
        "practitioner": "Dana Reyes",
    }
    (event,) = export_events(c.store)
    assert "via=cli" in event.detail and str(out) in event.detail


def test_cli_export_csv_to_stdout(
    clinic_db: tuple[Path, Clinic], capsys: pytest.CaptureFixture[str]
) -> None:
    db, c = clinic_db
    code, stdout, err = run_cli(
        ["--db", str(db), "--practitioner", "Sam Okafor", "export", "--format", "csv"], capsys
    )
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(stdout)))
    assert [r["visit_id"] for r in rows] == [str(c.v1), str(c.v2), str(c.v4)]
    (event,) = export_events(c.store)
    assert event.actor == "Sam Okafor" and "dest=stdout" in event.detail


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-13-01"], "dntui: --from '2026-13-01' is not a date: use YYYY-MM-DD"),
        (["--to", "31/01/2026"], "dntui: --to '31/01/2026' is not a date"),
        (
            ["--from", "2026-02-01", "--to", "2026-01-01"],
            "dntui: the range starts (2026-02-01) after it ends (2026-01-01)",
        ),
        (["--practitioner", "Nobody"], "dntui: no practitioner named 'Nobody'"),
        (
            ["-o", "/nonexistent-dntui-folder/x.csv"],
            "the folder /nonexistent-dntui-folder does not exist",
        ),
    ],
)
def test_cli_export_bad_arguments_give_one_line(
    clinic_db: tuple[Path, Clinic],
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    db, c = clinic_db
    code, stdout, err = run_cli(["--db", str(db), "export", "--format", "csv", *args], capsys)
    assert code == 1
    assert stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
    assert "Traceback" not in err
    assert export_events(c.store) == []


def test_cli_export_usage_errors_exit_2(
    clinic_db: tuple[Path, Clinic], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ = clinic_db
    for args in (["export"], ["export", "--format", "xml"], ["handout", "abc"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(["--db", str(db), *args])
        assert exc.value.code == 2
        assert "usage: dntui" in capsys.readouterr().err


def test_cli_export_in_a_fresh_process_has_no_traceback(tmp_path: Path) -> None:
    """The real command: an unwritable path is one line on stderr, exit 1."""
    db = tmp_path / "clinic.db"
    Clinic(Store.open(f"sqlite:///{db}")).store.close()
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "dntui",
            "--db",
            str(db),
            "export",
            "--format",
            "json",
            "-o",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.strip() == f"dntui: cannot write {tmp_path}: it is a folder, give a file name"
    )


# ------------------------------------------------------------------ handout
def test_handout_for_a_thoracic_visit(clinic: Clinic) -> None:
    record = clinic.store.load(clinic.v1)
    text = handout(record, clinic_name="Riverside Physio", fmt="text")
    lines = text.splitlines()
    assert lines[0] == "Riverside Physio"
    assert lines[1] == "After your dry-needling treatment"
    assert "Patient: Jane Doe" in lines
    assert "Date: January 5, 2026" in lines
    assert "Practitioner: Dana Reyes, PT" in lines
    assert "  - Upper trapezius (left and right)" in lines
    assert "  - Infraspinatus (left)" in lines
    flat = " ".join(text.split())
    assert "Get help at once" in text
    assert "Shortness of breath, chest pain or a dry cough" in flat
    assert "dry needling of the chest/upper back" in flat
    assert "Walk for 10 minutes tonight." in flat  # the practitioner's own line
    assert text.index("Get help at once") < text.index("What to expect")  # warning first

    md = handout(record, clinic_name="Riverside Physio", fmt="md")
    assert md.startswith("# After your dry-needling treatment\n")
    assert "**Riverside Physio**" in md
    assert "- **Date:** January 5, 2026" in md
    assert "- **Practitioner:** Dana Reyes, PT" in md
    assert "## Get help at once" in md
    assert "- Shortness of breath, chest pain or a dry cough" in md


def test_handout_without_thoracic_needling_has_no_chest_warning(clinic: Clinic) -> None:
    text = handout(clinic.store.load(clinic.v2), fmt="text")
    assert "Gluteus medius (right)" in text
    assert "Shortness of breath" not in text and "Get help at once" not in text


def test_an_edited_handout_is_exported_as_given(clinic: Clinic) -> None:
    s = clinic.store
    draft = clinic.draft(clinic.dana, clinic.jane, DAY, "self-pay", [], [])
    draft.instructions = "Riverside Physio\nRest today. ``` Call us with questions.\n"
    draft = s.save_draft(draft, actor=clinic.dana)
    record = s.load(draft.visit_id)  # type: ignore[arg-type]
    assert handout(record, fmt="text") == draft.instructions
    md = handout(record, fmt="md")
    assert md.startswith("# After your dry-needling treatment\n\n````text\nRiverside Physio\n")
    assert md.endswith("Call us with questions.\n````\n")


def test_save_handout_is_private_and_audited(clinic: Clinic, tmp_path: Path) -> None:
    record = clinic.store.load(clinic.v1)
    path = save_handout(clinic.store, record, fmt="md", output=tmp_path / "h.md", actor=clinic.dana)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "## Get help at once" in path.read_text()
    (event,) = export_events(clinic.store)
    assert event.visit_id == clinic.v1 and "handout format=md" in event.detail
    assert "Jane" not in event.detail
    with pytest.raises(ExportError, match="unknown handout format"):
        handout(record, fmt="pdf")


def test_cli_handout_to_stdout_and_file(
    clinic_db: tuple[Path, Clinic], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, c = clinic_db
    code, stdout, err = run_cli(["--db", str(db), "handout", str(c.v1)], capsys)
    assert code == 0, err
    assert "Shortness of breath" in stdout and "Patient: Jane Doe" in stdout
    out = tmp_path / "h.md"
    code, stdout, err = run_cli(
        ["--db", str(db), "handout", str(c.v1), "--format", "md", "-o", str(out)], capsys
    )
    assert code == 0 and stdout == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("# After your dry-needling treatment")
    code, stdout, err = run_cli(["--db", str(db), "handout", "99999"], capsys)
    assert code == 1 and err.strip() == "dntui: no visit 99999"
    assert len(export_events(c.store)) == 2


# ----------------------------------------------------------------- printing
class FakeRun:
    """Records commands instead of running them."""

    def __init__(self, returncode: int = 0, stdout: str = "", stderr: str = "") -> None:
        self.calls: list[tuple[list[str], dict[str, Any]]] = []
        self.result = (returncode, stdout, stderr)

    def __call__(self, cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append((cmd, kwargs))
        code, out, err = self.result
        return subprocess.CompletedProcess(cmd, code, out, err)


def test_print_command_has_no_patient_name_and_refuses_odd_printer_names() -> None:
    assert print_command("frontdesk") == [
        "lp",
        "-d",
        "frontdesk",
        "-t",
        "dntui handout",
        "-o",
        "document-format=text/plain",
        "--",
    ]
    for bad in ("", "-x", "front desk"):
        with pytest.raises(ExportError, match="printer name"):
            print_command(bad)


def test_printer_comes_from_argument_env_setting_then_lpstat(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DNTUI_PRINTER", raising=False)
    lpstat = FakeRun(stdout="system default destination: Office_Laser\n")
    monkeypatch.setattr(printing.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert configured_printer("Desk", run=lpstat) == "Desk"
    assert lpstat.calls == []
    settings = type("S", (), {"printer": "FromConfig"})()
    assert configured_printer(None, settings=settings, run=lpstat) == "FromConfig"
    monkeypatch.setenv("DNTUI_PRINTER", "FromEnv")
    assert configured_printer(None, settings=settings, run=lpstat) == "FromEnv"
    monkeypatch.delenv("DNTUI_PRINTER")
    assert configured_printer(None, settings=Settings(), run=lpstat) == "Office_Laser"
    assert lpstat.calls[-1][0] == ["lpstat", "-d"]
    none = FakeRun(stdout="no system default destination\n")
    assert configured_printer(None, run=none) is None
    assert default_printer(FakeRun(returncode=1)) is None
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    assert default_printer(lpstat) is None  # no CUPS client installed


def test_print_handout_sends_text_to_lp_and_audits(clinic: Clinic) -> None:
    fake = FakeRun(stdout="request id is Office_Laser-42 (1 file(s))")
    record = clinic.store.load(clinic.v1)
    answer = print_handout(
        clinic.store, record, printer="Office_Laser", clinic_name="Riverside", run=fake
    )
    assert answer == "request id is Office_Laser-42 (1 file(s))"
    ((cmd, kwargs),) = fake.calls
    assert cmd == print_command("Office_Laser")
    assert kwargs["input"].startswith("Riverside\nAfter your dry-needling treatment")
    assert "Jane Doe" not in " ".join(cmd)
    (event,) = export_events(clinic.store)
    assert "printer=Office_Laser" in event.detail


def test_printing_without_a_printer_or_with_a_failing_lp_says_why(clinic: Clinic) -> None:
    record = clinic.store.load(clinic.v1)
    fake = FakeRun()
    with pytest.raises(ExportError, match="no printer configured"):
        print_handout(clinic.store, record, printer=None, run=fake)
    assert fake.calls == []
    failing = FakeRun(returncode=1, stderr="lp: The printer or class does not exist.\n")
    with pytest.raises(ExportError, match="printing on Ghost failed: lp: The printer"):
        print_text("hello", "Ghost", run=failing)
    assert export_events(clinic.store) == []


# ------------------------------------------------------------------ screens
TODAY = DAY


@pytest.fixture
def app_env(empty_store: Store, monkeypatch: pytest.MonkeyPatch) -> Clinic:
    monkeypatch.delenv("DNTUI_PRINTER", raising=False)
    return Clinic(empty_store)


def make_app(c: Clinic) -> DntuiApp:
    return app_support.make_app(c.store, today=TODAY)


def table_ids(app: DntuiApp, selector: str) -> list[int]:
    from textual.widgets import DataTable

    table = app.screen.query_one(selector, DataTable)
    return [int(table.get_row_at(i)[0]) for i in range(table.row_count)]


def plain(app: DntuiApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_history_screen_filters_as_you_type(app_env: Clinic) -> None:
    from dntui.screens.history import HistoryScreen

    c = app_env
    app = make_app(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert table_ids(app, "#history") == [c.v4, c.v3, c.v2, c.v1]
        assert "4 visits" in plain(app, "#history-status")
        await pilot.press(*"smi")
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v2]
        await pilot.press("backspace", "backspace", "backspace", "tab")  # to practitioner
        await pilot.press(*"dana")
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v4, c.v3, c.v1]
        await pilot.press("tab", *"2026-01", "tab", *"2026-01")  # from, to: January
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v3, c.v1]
        await pilot.press("tab", *"20561")  # code
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v1]
        await pilot.press(*["backspace"] * 5)
        app.screen.query_one("#hf-status").value = "draft"  # type: ignore[attr-defined]
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v3]
        app.screen.query_one("#hf-to").value = "2026-01-3"  # type: ignore[attr-defined]
        await pilot.pause()
        assert "To: type a date as YYYY-MM-DD" in plain(app, "#history-status")
        assert table_ids(app, "#history") == [c.v3]  # a half-typed date does not filter


async def test_history_opens_a_visit_read_only_with_addenda_and_audit(app_env: Clinic) -> None:
    from dntui.screens.visit_detail import VisitDetailScreen

    c = app_env
    app = make_app(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        await pilot.press(*"john", "enter")  # to the table
        await pilot.press("enter")  # open
        await pilot.pause()
        assert isinstance(app.screen, VisitDetailScreen)
        assert app.screen.visit_id == c.v2
        assert f"Visit {c.v2} · 2026-01-05 · John Smith (EXT-7)" in plain(app, "#detail-title")
        assert plain(app, "#detail-note") == "note"
        assert plain(app, "#detail-addenda-title") == "Addenda (1)"
        assert "Sam Okafor, DC · correction · reason: late" in plain(app, "#detail-addenda")
        audit = plain(app, "#detail-audit")
        assert "visit.sign" in audit and "visit.addendum" in audit
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, VisitDetailScreen)


async def test_history_loads_more_rows_as_the_cursor_moves(
    app_env: Clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dntui.screens.history as history

    monkeypatch.setattr(history, "PAGE", 2)
    monkeypatch.setattr(history, "PREFETCH", 1)
    c = app_env
    app = make_app(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v4, c.v3]
        await pilot.press("down", "down")  # into the table, then to the last row
        await pilot.pause()
        assert table_ids(app, "#history") == [c.v4, c.v3, c.v2, c.v1]


async def test_day_sheet_screen_totals_and_drafts(app_env: Clinic) -> None:
    from dntui.screens.daysheet import DaySheetScreen

    c = app_env
    app = make_app(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DaySheetScreen)
        assert table_ids(app, "#ds-visits") == [c.v1, c.v2]
        assert plain(app, "#ds-summary") == "2 signed visits · 2 units · $64.06"
        assert plain(app, "#ds-totals") == (
            "Totals by code: 20560 × 1: 1 unit, $25.74 · 20561 × 1: 1 unit, $38.32 · Total $64.06"
        )
        assert table_ids(app, "#ds-drafts") == [c.v3]
        assert plain(app, "#ds-drafts-title") == "Unsigned drafts, not billable (1)"
        assert "Medicare does not cover dry needling by a PT | ABN on file" in plain(
            app, "#ds-warnings"
        )
        row = app.screen.query_one("#ds-visits").get_row_at(0)  # type: ignore[attr-defined]
        assert row[4:9] == ["20561", "GP GX", "1", "$38.32", "M79.11 M62.838"]
        await pilot.press("p")  # Dana only (practitioners sort by name)
        await pilot.pause()
        assert table_ids(app, "#ds-visits") == [c.v1]
        assert "Dana Reyes, PT" in plain(app, "#ds-practitioner")
        await pilot.press("p", "p")  # Sam, then all again
        await pilot.pause()
        assert table_ids(app, "#ds-visits") == [c.v1, c.v2]
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table_ids(app, "#ds-visits") == []
        assert plain(app, "#ds-summary").startswith("No signed visits on this day.")
        await pilot.press("g", *["backspace"] * 10, *"2026-02-10", "enter")
        await pilot.pause()
        assert table_ids(app, "#ds-visits") == [c.v4]
        await pilot.press("t")
        await pilot.pause()
        assert table_ids(app, "#ds-visits") == [c.v1, c.v2]


async def test_export_dialog_writes_the_day_and_reports_errors(
    app_env: Clinic, tmp_path: Path
) -> None:
    from dntui.dialogs.export import ExportScreen

    c = app_env
    app = make_app(c)
    out = tmp_path / "day.csv"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportScreen)
        path_input = dialog.query_one("#ex-path")
        assert path_input.value.endswith("dntui-visits-2026-01-05-to-2026-01-05.csv")  # type: ignore[attr-defined]
        path_input.value = str(tmp_path / "missing" / "x.csv")  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "does not exist" in plain(app, ".error")
        path_input.value = str(out)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
    rows = list(csv.DictReader(out.open()))
    assert [r["visit_id"] for r in rows] == [str(c.v1), str(c.v2)]
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    (event,) = export_events(c.store)
    assert event.actor == "Dana Reyes" and "via=app" in event.detail


async def test_palette_has_day_sheet_and_export(app_env: Clinic) -> None:
    from dntui.app import DntuiCommands

    app = make_app(app_env)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        provider = DntuiCommands(app.screen)
        names = [name for name, _, _ in provider._commands()]
        assert "Day sheet" in names and "Export" in names
        app.action_export()
        await pilot.pause()
        from dntui.dialogs.export import ExportScreen

        assert isinstance(app.screen, ExportScreen)
        assert app.screen.query_one("#ex-from").value == "2026-01-01"  # type: ignore[attr-defined]


async def test_patient_view_shows_muscles_codes_and_the_medicare_limits(app_env: Clinic) -> None:
    from dntui.clinic_files import load_fee_schedule

    c = app_env
    app = make_app(c)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.fee_schedule = load_fee_schedule(None)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"doe", "enter", "enter")
        await pilot.pause()
        assert plain(app, "#patient-visits-title") == "Visits of Jane Doe: 2"
        assert table_ids(app, "#patient-visits") == [c.v3, c.v1]
        assert plain(app, "#patient-counts").startswith(
            "Signed visits this year: 1 · last 90 days: 1"
        )
        assert plain(app, "#patient-medicare") == (
            "Medicare limits (NCD 30.3.3): 1 of 12 visits in 90 days, 1 of 20 this year"
        )
        row = app.screen.query_one("#patient-visits").get_row_at(1)  # type: ignore[attr-defined]
        assert row[3:6] == ["20561", "3", "Upper trapezius B, Infraspinatus L"]
        await pilot.press("slash", *["backspace"] * 3, *"smith", "enter", "enter")
        await pilot.pause()
        assert plain(app, "#patient-visits-title") == "Visits of John Smith: 1"
        assert plain(app, "#patient-medicare") == ""  # self-pay: no Medicare line


def test_medicare_line_marks_a_reached_limit() -> None:
    from dntui.clinic_files import load_fee_schedule
    from dntui.screens.patients import medicare_line
    from dntui.store.queries import VisitCounts

    schedule = load_fee_schedule(None)
    line, reached = medicare_line(schedule, ["medicare"], lambda keys: VisitCounts(12, 15))
    assert reached and line.startswith("LIMIT REACHED. Medicare limits")
    assert "12 of 12 visits in 90 days, 15 of 20 this year" in line
    assert medicare_line(schedule, ["self-pay", "medicare"], lambda k: VisitCounts(0, 0)) == (
        "",
        False,
    )
    assert medicare_line(None, ["medicare"], lambda k: VisitCounts(0, 0)) == ("", False)


@pytest.mark.parametrize(("fmt", "key"), [("json", "generated_at"), ("fhir", "timestamp")])
def test_an_export_is_dated_by_its_store_clock(clinic: Clinic, fmt: str, key: str) -> None:
    """The document's time is the store's clock (the app's; the gallery's fixed one),
    the one the store stamps its own rows with: never the machine's clock beside it."""
    from datetime import UTC, datetime

    clinic.store.clock = lambda: datetime(2031, 7, 4, 9, 15, tzinfo=UTC)
    doc = json.loads(export_text(clinic, fmt))
    assert doc[key] == "2031-07-04T09:15:00Z"
