"""Issue 17, attack 4: a name stored with terminal escapes never reaches the terminal raw.

Names are written straight into the database (raw SQL, what anyone with the
SQLite file or a SQL shell can do), then every screen that shows them is
rendered and its text checked for control characters; the CSV, JSON and
handout output to stdout is checked byte for byte.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import time
from datetime import date
from pathlib import Path
from typing import Any

import app_support
import pytest
from builders import record_of

from dntui import cli
from dntui.domain.text import REMOVED, has_control, terminal_safe
from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft
from dntui.exports.export import CSV_COLUMNS
from dntui.ui.plain import safe_renderable

CLEAR = "\x1b[2J"
OSC_TITLE = "\x1b]0;PWNED\x07"
OSC_CLIPBOARD = "\x1b]52;c;ZWNobyBoaQ==\x07"
CSI_C1 = "\x9b31m"
RLO = "\u202e"
EVIL_PATIENT = f"Eve{CLEAR}{OSC_TITLE}Mallory{CSI_C1}\x00{RLO}Stone"
EVIL_PRACTITIONER = f"Mal{OSC_CLIPBOARD}Ory{CLEAR}\x00{RLO}"
#: What must never be written to the terminal from stored text.
RAW_BYTES = (
    CLEAR.encode(),
    b"\x1b]0;",
    b"\x1b]52",
    "\x9b".encode(),
    b"\x00",
    RLO.encode(),
    b"PWNED\x07",
    b"aQ==\x07",
)


# ---------------------------------------------------------------- the function
@pytest.mark.parametrize("attack", [CLEAR, OSC_TITLE, OSC_CLIPBOARD, CSI_C1, "\x00", RLO])
def test_terminal_safe_removes_every_control_character(attack: str) -> None:
    cleaned = terminal_safe(f"Ada{attack}Park")
    assert not any(ord(ch) in REMOVED for ch in cleaned)
    assert cleaned.startswith("Ada") and cleaned.endswith("Park")
    assert has_control(attack)


def test_terminal_safe_keeps_text() -> None:
    text = "José Müller-Łukasz 日本 O'Brien [23] $38.32\tline\nnext"
    assert terminal_safe(text) == text
    assert not has_control(text)
    assert terminal_safe("a\tb\nc", one_line=True) == "a b c"
    every = "".join(map(chr, sorted(REMOVED)))
    assert terminal_safe(every) == ""


def test_rich_text_keeps_its_styles() -> None:
    from rich.text import Text

    t = Text("Patient: ", style="bold")
    t.append(f"Eve{CLEAR}Stone", style="red")
    clean = safe_renderable(t)
    assert clean.plain == "Patient: Eve[2JStone"
    assert str(clean.style) == "bold"
    assert [(s.start, s.end, str(s.style)) for s in clean.spans] == [(9, 20, "red")]


# ---------------------------------------------------------------- the clinic
def _seed(
    store: Any,
    db: Path,
    *,
    practitioner: tuple[str, str] = (EVIL_PRACTITIONER, f"PT{OSC_TITLE}"),
    patient: tuple[str, str] = (EVIL_PATIENT, f"C{CLEAR}1"),
    dx: tuple[str, ...] = ("M79.11",),
    charge: str = "25.74",
    modifiers: tuple[str, ...] = ("GP",),
) -> dict[str, int]:
    """A practitioner and a patient whose names are then set by raw SQL (before any visit
    refers to them), a signed visit and a draft."""
    p = store.add_practitioner("Mal Ory", "PT", pin=app_support.PIN, min_pin_length=4)
    pa = store.add_patient("Eve Stone", date(1980, 2, 3), actor=p)
    con = sqlite3.connect(db)
    # A SQL-shell user who defines dntui's gate function (store/guards.py) passes the
    # guard triggers; what they store must still never reach the terminal raw.
    con.create_function("dntui_path", 0, lambda: 1)
    with con:
        con.execute(
            "UPDATE practitioner SET name = ?, credentials = ? WHERE id = ?", (*practitioner, p.id)
        )
        con.execute("UPDATE patient SET name = ?, chart_no = ? WHERE id = ?", (*patient, pa.id))
    con.close()
    p = store.practitioner(p.id)
    info = PractitionerInfo(p.id, practitioner[0], practitioner[1])
    who = PatientInfo(pa.id, patient[0], pa.date_of_birth, patient[1])
    signed = store.save_draft(
        VisitDraft(
            visit_date=app_support.TODAY,
            practitioner=info,
            patient=who,
            diagnosis_codes=list(dx),
            muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
        ),
        actor=p,
    )
    store.sign(
        record_of(
            signed,
            code="20560",
            muscle_count=1,
            charge=charge,
            note_text=f"Patient: {patient[0]}\nSigned by {practitioner[0]}",
            units=1,
            modifiers=list(modifiers),
            warnings=[],
        ),
        signer=p,
    )
    draft = store.save_draft(
        VisitDraft(
            visit_date=app_support.TODAY,
            practitioner=info,
            patient=who,
            practitioner_lines=f"Walk {OSC_TITLE} daily",
            instructions=f"Rest {CLEAR}{OSC_CLIPBOARD} tonight.\n",
        ),
        actor=p,
    )
    return {
        "practitioner": p.id,
        "patient": pa.id,
        "signed": signed.visit_id,
        "draft": draft.visit_id,
    }


@pytest.fixture
def evil_clinic(empty_store: Any, app_dirs: Path) -> tuple[Any, dict[str, int], Path]:
    db = app_dirs / "data" / "dntui.db"
    return empty_store, _seed(empty_store, db), db


def shown(app: Any) -> str:
    """Every character the app would draw now: the segments of each screen in the stack."""
    lines = []
    for screen in app.screen_stack:
        for strip in screen._compositor.render_strips():
            lines.append("".join(segment.text for segment in strip))
    return "\n".join(lines)


def assert_clean(app: Any, where: str, must_show: str = "") -> None:
    text = shown(app)
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if ord(ch) in REMOVED and ch not in "\n\t"})
    assert not bad, f"{where}: control characters drawn: {bad}"
    if must_show:
        assert must_show in text, f"{where}: {must_show!r} not shown"


async def _until(pilot: Any, condition: Any, what: str) -> None:
    await app_support.wait_for(pilot, condition, what=what)


# --------------------------------------------------------------- the screens
async def test_no_screen_draws_a_stored_escape_sequence(evil_clinic: Any) -> None:
    from dntui.screens.daysheet import DaySheetScreen
    from dntui.screens.history import HistoryScreen
    from dntui.screens.lock import LockScreen
    from dntui.screens.patients import PatientsScreen
    from dntui.screens.practitioner import PickPractitionerScreen
    from dntui.screens.start import StartScreen
    from dntui.screens.visit import VisitScreen
    from dntui.screens.visit_detail import VisitDetailScreen

    store, ids, _db = evil_clinic
    app = app_support.make_app(store, practitioner=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: app.practitioner is not None, "the practitioner")
        await _until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")
        await pilot.pause()
        assert_clean(app, "start", "Mallory")
        assert "Mal" in app.sub_title and not has_control(app.sub_title)

        await pilot.press("h")
        await _until(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        await pilot.pause()
        assert_clean(app, "history", "Mallory")
        await pilot.press("escape")

        await pilot.press("f")
        await _until(pilot, lambda: isinstance(app.screen, PatientsScreen), "patients")
        await pilot.pause()
        app.screen.show_visits(ids["patient"])
        await pilot.pause()
        assert_clean(app, "patients", "Mallory")
        await pilot.press("escape")

        await pilot.press("d")
        await _until(pilot, lambda: isinstance(app.screen, DaySheetScreen), "day sheet")
        await pilot.pause()
        assert_clean(app, "day sheet", "Mallory")
        await pilot.press("e")
        await pilot.pause()
        assert_clean(app, "export dialog")
        await pilot.press("escape", "escape")

        app.push_screen(VisitDetailScreen(ids["signed"]))
        await pilot.pause()
        assert_clean(app, "visit detail", "Mallory")
        await pilot.press("escape")

        app.open_visit(ids["draft"])
        await _until(pilot, lambda: isinstance(app.screen, VisitScreen), "the visit")
        await pilot.pause()
        assert_clean(app, "visit: patient step", "Mallory")
        for key in ("f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app, f"visit: step {key}")
        app.screen.notify(f"Saved {EVIL_PATIENT}", title=EVIL_PRACTITIONER)
        await pilot.pause()
        assert_clean(app, "a notification")
        await pilot.press("escape")
        await _until(pilot, lambda: isinstance(app.screen, StartScreen), "the start screen")

        app.push_screen(PickPractitionerScreen())
        await pilot.pause()
        assert_clean(app, "pick practitioner", "Ory")
        await pilot.press("escape")
        app.push_screen(LockScreen(5))
        await pilot.pause()
        assert_clean(app, "lock", "Ory")


async def test_pasted_control_characters_are_removed_with_a_message(empty_store: Any) -> None:
    from textual import events
    from textual.widgets import Input

    from dntui.dialogs.add_patient import AddPatientScreen

    empty_store.add_practitioner("Dana Reyes", "PT", pin=app_support.PIN, min_pin_length=4)
    app = app_support.make_app(empty_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await _until(pilot, lambda: app.practitioner is not None, "the practitioner")
        app.push_screen(AddPatientScreen(today=app_support.TODAY))
        await pilot.pause()
        app.post_message(events.Paste(f"Ada{CLEAR}{OSC_TITLE} Park{RLO}"))
        await pilot.pause()
        value = app.screen.query_one("#pt-name", Input).value
        assert value == "Ada[2J]0;PWNED Park"
        assert any("Control characters" in n.message for n in app._notifications)


# ------------------------------------------------------------------ stdout
def _stdout(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    code = cli.main(argv)
    out = capsys.readouterr()
    assert code == 0, out.err
    return out.out


def test_csv_and_json_to_stdout_carry_no_control_characters(
    evil_clinic: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _store, _ids, db = evil_clinic
    text = _stdout(["--db", str(db), "export", "--format", "csv"], capsys)
    raw = text.encode()
    for seq in RAW_BYTES:
        assert seq not in raw, seq
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["patient_name"] == terminal_safe(EVIL_PATIENT)
    assert rows[0]["practitioner"] == terminal_safe(EVIL_PRACTITIONER)

    text = _stdout(["--db", str(db), "export", "--format", "json"], capsys)
    raw = text.encode()
    for seq in RAW_BYTES:
        assert seq not in raw, seq
    visit = json.loads(text)["visits"][0]
    # JSON keeps the stored value exactly (escaped): a program reading it sees the truth.
    assert visit["patient"]["name"] == EVIL_PATIENT
    assert visit["practitioner"]["name"] == EVIL_PRACTITIONER


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_handout_to_stdout_carries_no_control_characters(
    evil_clinic: Any, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    _store, ids, db = evil_clinic
    for visit in ("signed", "draft"):
        text = _stdout(["--db", str(db), "handout", str(ids[visit]), "--format", fmt], capsys)
        raw = text.encode()
        for seq in RAW_BYTES:
            assert seq not in raw, (visit, seq)
        assert "Mallory" in text or visit == "draft"


def test_an_error_line_quoting_a_name_is_clean(
    evil_clinic: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    _store, _ids, db = evil_clinic
    code = cli.main(["--db", str(db), "export", "--format", "csv", "--practitioner", f"X{CLEAR}"])
    err = capsys.readouterr().err
    assert code == 1
    assert len(err.strip().splitlines()) == 1
    assert b"\x1b" not in err.encode()


# --------------------------------------------------------- formula escaping
def test_every_csv_text_column_is_formula_escaped(
    empty_store: Any, app_dirs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Practitioner, credentials, diagnosis codes, modifiers, charge… not three columns."""
    db = app_dirs / "data" / "dntui.db"
    _seed(
        empty_store,
        db,
        practitioner=('=HYPERLINK("http://x")', "+PT"),
        patient=("@SUM(A1)", "-2+3"),
        dx=("=1+1",),
        charge="-2.00",  # the charge is a number (typed billing); "-" still starts a formula
        modifiers=("=GP",),
    )
    text = _stdout(["--db", str(db), "export", "--format", "csv"], capsys)
    row = next(csv.DictReader(io.StringIO(text)))
    for column in CSV_COLUMNS:
        assert not row[column].startswith(("=", "+", "-", "@", "\t", "\r")), (column, row[column])
    assert row["practitioner"].startswith("'=")
    assert row["credentials"] == "'+PT"
    assert row["chart_no"] == "'-2+3"


# --------------------------------------------------------- a real terminal
def _day_sheet_of(app: Any, day: date) -> None:
    """On the day sheet: g (to the date field, its text selected), the date, Enter.

    Keys are read in a thread of their own: typed before g has moved the focus, the
    date would go to the table. The focused field draws its date again (selected,
    then its blinking cursor): wait for a second drawing before typing. First the
    day's rows are in ("(p changes)" comes with them): while the screen mounts, the
    date field has the focus for a moment and draws its date the same way."""
    shown = date.today().isoformat().encode()
    app.wait_for(b"(p changes)", timeout=30)  # the test opens the day sheet once
    focus = len(app.output)
    app.write("g")
    end = time.monotonic() + 30
    while app.output[focus:].count(shown) < 2:
        assert time.monotonic() < end, "g did not move the focus to the date field"
        app.read_for(0.05)
    app.write(f"{day.isoformat()}\r")


def test_pty_bytes_hold_no_stored_escape_sequence(evil_clinic: Any, app_dirs: Path) -> None:
    """The real app in a pseudo-terminal: what it writes to the terminal, byte for byte."""
    import os

    from pty_support import PtyApp

    _store, _ids, db = evil_clinic
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(app_dirs / "data"),
        "DNTUI_CONFIG_DIR": str(app_dirs / "config"),
        "TERM": "xterm-256color",
    }
    app = PtyApp(["--db", str(db)], env, size=(40, 160))
    try:
        app.wait_for(b"open draft(s)", timeout=60)
        app.wait_for(b"Mallory", timeout=30)
        for key, shows in (("h", b"newest first"), ("f", b"Find patient"), ("d", b"billable")):
            mark = len(app.output)
            app.write(key)
            app.wait_for(shows, timeout=30, start=mark)
            if key == "d":  # the day of the seeded visits, not the real today
                _day_sheet_of(app, app_support.TODAY)
            app.wait_for(b"Mallory", timeout=30, start=mark)
            mark = len(app.output)
            app.write("\x1b")
            app.wait_for(b"open draft(s)", timeout=30, start=mark)
        mark = len(app.output)
        app.write("\r")  # the newest row: the draft, opened on its patient step
        app.wait_for(b"Patient:", timeout=30, start=mark)
        app.wait_for(b"Mallory", timeout=30, start=mark)
    finally:
        app.kill()
    for seq in RAW_BYTES:
        assert seq not in app.output, seq


# ------------------------------------------------------- both engines, as the attacker
def test_a_patient_inserted_with_escapes_from_a_sql_shell_reaches_stdout_clean(
    cdb: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """Attack 4 against SQLite and a real PostgreSQL: Dana, with a SQL shell (PostgreSQL:
    her own role, which may insert patients; SQLite: a plain sqlite3 connection), adds
    a patient whose name holds escape sequences; Sam signs a visit for them; the CSV
    export and the handout to standard output carry none of them."""
    from security_support import draft_for

    name = EVIL_PATIENT.replace("\x00", "") if cdb.pg else EVIL_PATIENT  # PostgreSQL: no NUL
    cdb.attacker(
        "INSERT INTO patient (name, name_key, chart_no, created_at) "
        f"VALUES ({':n' if cdb.pg else '?'}, 'eve', 'EVIL-1', '2026-01-01')",
        {"n": name} if cdb.pg else (name,),
    )
    evil = next(p for p in cdb.owner.search_patients("EVIL-1"))
    assert evil.name == name  # stored exactly: the database is not the filter
    draft = cdb.sam_store.save_draft(draft_for(cdb.sam, evil), actor=cdb.sam)
    cdb.sam_store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="25.74", note_text="note"),
        signer=cdb.sam,
    )
    text = _stdout(["--db", cdb.url, "export", "--format", "csv"], capsys)
    for seq in RAW_BYTES:
        assert seq not in text.encode(), seq
    assert terminal_safe(name) in text
    text = _stdout(["--db", cdb.url, "handout", str(draft.visit_id), "--format", "text"], capsys)
    for seq in RAW_BYTES:
        assert seq not in text.encode(), seq
