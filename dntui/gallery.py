"""A gallery of every screen of dntui, rendered to SVG with fictional demo data.

``dntui gallery [FOLDER]`` and ``python -m dntui.gallery FOLDER`` write one SVG
per scene (``01-start.svg``, ``02-practitioner.svg``, ...) for the README. The
app runs headless on a throwaway demo database, driven by key presses as a user
would type them.

The same scenes drive the snapshot tests (``tests/ui/test_snapshots.py``), so
the pictures and the tests show the same states. Everything that could make two
runs differ is pinned: the date (``today``), the wall clock and time zone
(database timestamps, consent and signing times), blinking cursors,
notifications (they vanish on a timer), animations, the theme, and the
"saving…" state of the autosave.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from dntui.app import DntuiApp
    from dntui.store.repo import Store

#: The gallery's "today": a Monday. Demo visits are dated relative to it.
FIXED_TODAY = date(2026, 3, 16)
#: The gallery's wall clock (database timestamps, consent and signing times).
FIXED_NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)


def fixed_clock() -> datetime:
    """The gallery's clock: always ``FIXED_NOW`` (for the app and the store)."""
    return FIXED_NOW


PRACTITIONER = "Dana Reyes"
DEMO_PIN = "1234"
GALLERY_SIZE = (120, 40)

Drive = Callable[["Pilot[Any]"], Awaitable[None]]


# ------------------------------------------------------------------ scenes
@dataclass(frozen=True)
class Scene:
    """One state of the app worth a picture.

    ``drive`` starts from a freshly started app (start screen, demo data, Dana
    Reyes logged in) and presses keys until the state is reached. ``expect`` is
    a text the screen must show in that state (checked by the tests).
    """

    name: str
    caption: str
    drive: Drive
    expect: str
    #: Also pictured at 80x24 (``<name>-80x24.svg``), the smallest supported window.
    at_80x24: bool = False

    async def run(self, pilot: Pilot[Any]) -> None:
        """Drive to the scene, then pin everything that would differ between runs."""
        await pilot.pause()
        # Every scene starts from the start screen with its rows shown (they come from a
        # thread worker): drawn well before the picture, as a person would see them.
        from dntui.screens.start import StartScreen

        for _ in range(500):
            app = pilot.app
            start = next((s for s in app.screen_stack if isinstance(s, StartScreen)), None)
            if start is not None and start.loaded:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        await self.drive(pilot)
        await settle(pilot)

    @property
    def filename(self) -> str:
        return f"{self.name}.svg"

    def filename_at(self, size: tuple[int, int]) -> str:
        """The picture's file at ``size``: the gallery size has no suffix."""
        return self.filename if size == GALLERY_SIZE else f"{self.name}-{size[0]}x{size[1]}.svg"


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` key by key, as a user would (for search-as-you-type fields)."""
    await pilot.press(*text)


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Paste ``text`` into the focused field: free text, without a wait per key."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


#: Worker groups that load data in a thread (never waiting on a person).
DATA_GROUPS = frozenset(
    {
        "patient-search",
        "find-patient",
        "history",
        "history-more",
        "day-sheet",
        "authors",
        "start-load",
    }
)


async def settle(pilot: Pilot[Any]) -> None:
    """Make the current frame reproducible.

    - Let thread loads finish, then save open visit drafts now, so the billing pane reads "draft saved" rather
      than "saving…" (the autosave runs on a 0.5 s timer).
    - Drop notifications: they disappear on a timer, so whether one is still
      showing would depend on the machine's speed.
    - Stop every cursor from blinking (Input and TextArea blink on a timer);
      a focused field keeps a steady cursor.
    """
    from textual.widgets import Input, TextArea
    from textual.worker import WorkerCancelled, WorkerFailed

    from dntui.screens.visit import VisitScreen

    app = pilot.app
    await pilot.pause()
    # Loads that run in threads (searches, lists, the day sheet) finish first, so the
    # frame never depends on how fast the machine answered.
    # A load can start a refresh later (a screen resumed, a worker's answer shown), so
    # look again until none is left running (bounded, so a scene can never hang).
    for _ in range(50):
        running = [w for w in app.workers if w.group in DATA_GROUPS and not w.is_finished]
        if not running:
            break
        for worker in running:
            # A search replaced by a newer one was cancelled: only the newer one matters.
            with contextlib.suppress(WorkerCancelled, WorkerFailed):
                await worker.wait()
        await pilot.pause()
    await pilot.pause()
    for screen in app.screen_stack:
        if isinstance(screen, VisitScreen):
            await screen.flush("gallery")
    app.clear_notifications()
    # A screen under a dialog keeps the toasts it showed when the dialog opened until
    # their own timers remove them: drop those too.
    for screen in app.screen_stack:
        for rack in screen.query("ToastRack"):
            await rack.remove_children()
    for screen in app.screen_stack:
        for widget in screen.query(Input):
            widget.cursor_blink = False
        for area in screen.query(TextArea):
            area.cursor_blink = False
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def _start(pilot: Pilot[Any]) -> None:
    await pilot.pause()


async def _practitioner(pilot: Pilot[Any]) -> None:
    await pilot.press("p")


async def _patient(pilot: Pilot[Any]) -> None:
    """New visit for Aiko Tanaka, commercial insurance, diagnosis M79.12."""
    await pilot.press("n")
    await type_text(pilot, "tanaka")
    await pilot.press("enter")  # choose the first match; focus moves to the date
    await pilot.press("enter")  # keep today's date; focus moves to the payer
    await pilot.press("enter")  # open the payer list
    await type_text(pilot, "comm")  # type-to-search: Commercial insurance
    await pilot.press("enter")
    await pilot.press("tab")  # diagnosis codes
    await paste(pilot, "M79.12")


async def _screening(pilot: Pilot[Any]) -> None:
    """Screening: no to the items before diabetes, diabetes yes with a note, the rest no;
    consent dialog open."""
    from dntui.domain.screening import ITEMS

    await _patient(pilot)
    await pilot.press("enter")  # diagnosis accepted: weeks of low back pain
    await pilot.press("enter")  # not low back pain: other codes billed today
    await pilot.press("enter")  # none: next step
    await pilot.pause()
    await pilot.press(*["n"] * [i.id for i in ITEMS].index("diabetes"))
    await pilot.press("y")  # diabetes: a precaution, the note dialog opens
    await pilot.pause()
    await paste(pilot, "Type 2, well controlled; clean technique, check healing")
    await pilot.press("enter")  # acknowledge with the note
    await pilot.pause()
    await pilot.press("0")  # the rest: no
    await pilot.press("c")  # consent dialog
    await pilot.pause()


async def _consent(pilot: Pilot[Any]) -> None:
    """Consent first thing in a new visit: F3 jumps to screening, c opens the dialog."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press("c")
    await pilot.pause()


async def _screening_done(pilot: Pilot[Any]) -> None:
    """Screening answered, one precaution acknowledged, written consent recorded."""
    await _screening(pilot)
    await pilot.press("enter")  # record written consent
    await pilot.pause()


async def _muscles(pilot: Pilot[Any]) -> None:
    """Upper trapezius left and right, levator scapulae left: 3 muscles, 20561."""
    await _screening_done(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    for query in ("ut", "ut", "lev"):  # "ut" again adds the other side
        await type_text(pilot, query)
        await pilot.press("enter")
        await pilot.pause()
    await pilot.press("f9")  # all needles out
    await pilot.pause()


async def _aftercare(pilot: Pilot[Any]) -> None:
    await _muscles(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()
    await paste(pilot, "Heat pack for 15 minutes this evening.")
    await pilot.press("enter")
    await pilot.pause()


async def _review(pilot: Pilot[Any]) -> None:
    await _aftercare(pilot)
    await pilot.press("ctrl+n")
    await pilot.pause()


async def _signed(pilot: Pilot[Any]) -> None:
    await _review(pilot)
    await pilot.press("s")
    await pilot.pause()
    await type_text(pilot, DEMO_PIN)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("end")  # down to the signature line
    await pilot.pause()


async def _help(pilot: Pilot[Any]) -> None:
    """F1 in a new visit: the visit screen's help lists the keys of all five steps."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()


async def _history(pilot: Pilot[Any]) -> None:
    await pilot.press("h")
    await pilot.pause()


async def _patients(pilot: Pilot[Any]) -> None:
    await pilot.press("f")
    await pilot.pause()
    await type_text(pilot, "lind")
    await pilot.press("enter")  # into the results
    await pilot.press("enter")  # show the patient's visits
    await pilot.pause()


async def _day_sheet(pilot: Pilot[Any]) -> None:
    await pilot.press("d")
    await pilot.pause()
    await pilot.press("left_square_bracket")  # the day before: one signed visit
    await pilot.pause()
    from textual.widgets import DataTable

    for _ in range(200):  # its load runs in a thread: wait until the visit is listed
        tables = pilot.app.screen.query(DataTable)
        if tables and tables.first(DataTable).row_count >= 1:
            break
        await pilot.pause(0.02)


async def _visit_detail(pilot: Pilot[Any]) -> None:
    await pilot.press("h")
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await pilot.pause()


async def _export(pilot: Pilot[Any]) -> None:
    await pilot.press("d")
    await pilot.pause()
    # The day sheet under the dialog loads in a thread: on a busy machine its load can
    # start after the dialog is up, past settle(); wait until its rows are shown.
    for _ in range(500):
        if getattr(pilot.app.screen, "sheet", None) is not None:
            break
        await pilot.pause(0.02)
    await pilot.press("e")
    await pilot.pause()


async def _adverse_event(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f10")
    await pilot.pause()


async def _lock(pilot: Pilot[Any]) -> None:
    await pilot.press("l")
    await pilot.pause()


async def _add_patient(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await pilot.pause()
    await paste(pilot, "Nora Whitfield")
    await pilot.press("f7")  # no match: add her, name filled in
    await pilot.pause()
    await pilot.press("enter")  # next field: date of birth
    await type_text(pilot, "1983-07-21")
    await pilot.pause()


async def _dashboard(pilot: Pilot[Any]) -> None:
    await pilot.press("b")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the figures load in a thread worker
    await pilot.pause()


async def _assessment(pilot: Pilot[Any]) -> None:
    """A follow-up for Maria Lindqvist: F8 on step 1 opens the assessment carried over
    from her last visit; today's scores typed."""
    await pilot.press("n")
    await pilot.pause()
    await type_text(pilot, "lind")
    await pilot.pause()
    await pilot.press("enter")  # choose her; focus moves to the date
    await pilot.app.workers.wait_for_complete()  # her last assessment is carried over
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()
    await pilot.press(*["tab"] * 6)  # to today's pain: the rest came from her last visit
    await paste(pilot, "3")
    await pilot.press("tab", "tab")
    await paste(pilot, "7")
    await pilot.pause()


async def _outcomes(pilot: Pilot[Any]) -> None:
    """The patient view of Maria Lindqvist: pain and function over her visits."""
    await _patients(pilot)
    await pilot.app.workers.wait_for_complete()  # coverage loads in a thread worker
    await pilot.pause()


async def _coverage(pilot: Pilot[Any]) -> None:
    """c in the patient view: Maria's coverage check and authorization."""
    await _outcomes(pilot)
    await pilot.press("c")
    await pilot.pause()


SCENES: list[Scene] = [
    Scene("01-start", "Start screen: today's visits and open drafts", _start, "Maria Lindqvist"),
    Scene(
        "02-practitioner",
        "Practitioner picker (p): who is logging visits",
        _practitioner,
        "Who is logging visits?",
    ),
    Scene(
        "03-patient",
        "Step 1, patient: chosen from the search, payer and diagnosis",
        _patient,
        "Patient: Aiko Tanaka",
    ),
    Scene(
        "04-screening",
        "Step 2, screening: answered, one precaution acknowledged, consent recorded",
        _screening_done,
        "26/26 answered",
    ),
    Scene(
        "05-muscles",
        "Step 3, muscles: upper trapezius both sides and levator scapulae, CPT 20561",
        _muscles,
        "20561",
    ),
    Scene(
        "06-aftercare",
        "Step 4, aftercare: the patient handout generated from the visit",
        _aftercare,
        "After your dry-needling treatment",
    ),
    Scene("07-review", "Step 5, review: the whole note, ready to sign", _review, "Ready to sign"),
    Scene("08-signed", "A signed visit: read-only", _signed, "Signed and locked"),
    Scene("09-help", "Help (F1): the keys of the screen underneath", _help, "Help: Visit"),
    Scene("10-history", "History (h): every visit, newest first", _history, "Oliver Brandt"),
    Scene(
        "11-patients",
        "Find patient (f): a patient and their visits",
        _patients,
        "Visits of Maria Lindqvist",
    ),
    Scene("12-add-patient", "Add-patient dialog (F7)", _add_patient, "Add a patient"),
    Scene("13-consent", "Consent dialog (c)", _consent, "How was consent given?"),
    Scene(
        "14-day-sheet",
        "Day sheet (d): signed visits ready to bill, drafts apart, totals",
        _day_sheet,
        "Signed visits (billable)",
    ),
    Scene(
        "15-visit-detail",
        "A visit from history: the note with its addenda and audit trail",
        _visit_detail,
        "DRY NEEDLING VISIT NOTE",
    ),
    Scene("16-export", "Export for billing staff (d, then e)", _export, "Export signed visits"),
    Scene("17-adverse-event", "Adverse event (F10)", _adverse_event, "Adverse event"),
    Scene("18-lock", "Locked after idle time: who is here?", _lock, "Who is here?"),
    Scene(
        "19-dashboard",
        "Dashboard (b): the month at a glance, late drafts first, Medicare limits",
        _dashboard,
        "Signed visits per week",
        at_80x24=True,
    ),
    Scene(
        "21-assessment",
        "Assessment before needling (F8 on step 1): complaint, pain 0-10, PSFS",
        _assessment,
        "Assessment before needling",
    ),
    Scene(
        "22-outcomes",
        "Pain and function over the visits, with the change since the first",
        _outcomes,
        "NPRS 8 → 4 over 5 visits (-4)",
    ),
    Scene(
        "23-coverage",
        "Coverage and authorization (c in the patient view)",
        _coverage,
        "Coverage and authorization: Maria Lindqvist",
    ),
]


# ------------------------------------------------------------- environment
@contextmanager
def utc_time_zone() -> Iterator[None]:
    """Pin the local time zone to UTC (``TZ=UTC``) so local times render the same everywhere.

    The clock itself is not patched anywhere: the app takes ``clock=``/``today=``
    (``build_app``) and the store stamps its rows from its own clock
    (``Store.open(url, clock=...)``, ``open_demo_store``).
    """
    with ExitStack() as stack:
        stack.callback(_tzset)  # runs last, once TZ is restored
        stack.enter_context(_env(TZ="UTC"))
        _tzset()
        yield


def _tzset() -> None:
    if hasattr(time, "tzset"):
        time.tzset()


@contextmanager
def _env(**values: str | None) -> Iterator[None]:
    """Set (or, for None, unset) environment variables; restore them afterwards."""
    saved = {key: os.environ.get(key) for key in values}
    for key, value in values.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def open_demo_store(data_dir: Path) -> Store:
    """A SQLite demo database in ``data_dir``, seeded as of ``FIXED_TODAY``."""
    from dntui.store.demo import seed_demo
    from dntui.store.repo import Store

    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store.open(f"sqlite:///{data_dir / 'demo.db'}", clock=fixed_clock)
    seed_demo(store, today=FIXED_TODAY, clock=fixed_clock)
    return store


def build_app(store: Store) -> DntuiApp:
    """The real app on ``store``, with a fixed date and Dana Reyes logged in."""
    from dntui.app import DntuiApp
    from dntui.config import Settings

    app = DntuiApp(
        store=store,
        today=lambda: FIXED_TODAY,
        clock=fixed_clock,
        practitioner_name=PRACTITIONER,
        settings=Settings(),
    )
    app.animation_level = "none"
    app.theme = "textual-dark"  # not TEXTUAL_THEME from the environment
    return app


# --------------------------------------------------------------- rendering
async def _render(scene: Scene, folder: Path, workdir: Path, size: tuple[int, int]) -> Path:
    """One scene on its own demo database, data folder and config folder."""
    home = workdir / scene.name
    with _env(DNTUI_DATA_DIR=str(home / "data"), DNTUI_CONFIG_DIR=str(home / "config")):
        store = open_demo_store(home / "data")
        try:
            app = build_app(store)
            async with app.run_test(size=size) as pilot:
                await scene.run(pilot)
                app.save_screenshot(filename=scene.filename_at(size), path=str(folder))
        finally:
            store.close()
    return folder / scene.filename_at(size)


async def _render_all(
    scenes: list[Scene], folder: Path, workdir: Path, size: tuple[int, int]
) -> list[Path]:
    return [await _render(scene, folder, workdir, size) for scene in scenes]


def render_gallery(
    folder: Path, scenes: list[Scene] | None = None, *, size: tuple[int, int] = GALLERY_SIZE
) -> list[Path]:
    """Render every scene to ``folder/<name>.svg``; returns the files written.

    Without ``scenes``, the scenes marked ``at_80x24`` are rendered again at 80x24
    (``<name>-80x24.svg``) after the others.

    Runs headless on throwaway demo databases in a temporary folder (also the
    data and config folders while rendering); nothing of the user's is touched.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dntui-gallery-")))
        stack.enter_context(
            _env(
                DNTUI_DATA_DIR=str(tmp / "data"),
                DNTUI_CONFIG_DIR=str(tmp / "config"),
                NO_COLOR=None,  # the pictures are in colour whatever the user's terminal
            )
        )
        stack.enter_context(utc_time_zone())
        # Scenes show paths under it (the export's file): a long fixed-name folder keeps
        # the temporary folder's random name out of the pictures.
        work = tmp / "throwaway-folders-of-the-dntui-gallery"
        paths = asyncio.run(_render_all(list(scenes or SCENES), folder, work, size))
        if scenes is None:
            small = [s for s in SCENES if s.at_80x24]
            paths += asyncio.run(_render_all(small, folder, work / "80x24", (80, 24)))
        return paths


_SVG_TEXT = re.compile(
    r'<text [^>]*?x="(?P<x>[\d.]+)"[^>]*?clip-path="url\(#terminal(?:-\d+)?-line-(?P<line>\d+)\)"'
    r"[^>]*>(?P<text>[^<]*)</text>"
)
_CHAR_WIDTH = 12.2  # rich's export_svg: 0.61 x the 20 px font size


def svg_text(svg: str) -> str:
    """The text of a screenshot SVG, line by line, as it reads on the terminal."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for m in _SVG_TEXT.finditer(svg):
        text = html.unescape(m["text"]).replace("\xa0", " ")
        rows.setdefault(int(m["line"]), []).append((round(float(m["x"]) / _CHAR_WIDTH), text))
    lines = []
    for number in range(max(rows, default=-1) + 1):
        line = ""
        for column, text in sorted(rows.get(number, [])):
            line = line.ljust(column) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else Path("screens")
    for path in render_gallery(folder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
