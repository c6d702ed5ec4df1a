"""Snapshot tests of every screen, at 80x24 and 120x40.

The scenes are those of the README gallery (``dntui.gallery.SCENES``): each
starts the real app on a seeded demo database and presses keys until the
screen is reached. Baselines live in ``tests/ui/__snapshots__/``; after an
intended change of the UI, look at the report and rewrite them with
``pytest tests/ui --snapshot-update``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from dntui.gallery import GALLERY_SIZE, SCENES, Scene, render_gallery, svg_text

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from dntui.app import DntuiApp

SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("scene", SCENES, ids=[s.name for s in SCENES])
def test_screen(
    scene: Scene,
    size: tuple[int, int],
    demo_app: DntuiApp,
    snap_compare: Callable[..., bool],
) -> None:
    seen: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await scene.run(pilot)
        seen.append(svg_text(pilot.app.export_screenshot()))

    assert snap_compare(demo_app, terminal_size=size, run_before=run_before)
    # The baseline itself must show the scene's state, not wherever the keys ended up.
    assert seen and scene.expect in seen[0]


def test_scene_names_are_unique_files() -> None:
    names = [s.filename for s in SCENES]
    assert len(set(names)) == len(names)
    assert all(s.expect.strip() for s in SCENES)


#: What test_render_gallery renders: the first scene, a visit (its own screen and
#: autosave) and the last. Every scene is driven at the gallery's size by
#: test_screen[...-120x40] above, which checks its text and its picture: rendering all of
#: them again here doubled that work (it was the slowest test of the suite).
GALLERY_SAMPLE = [SCENES[0], next(s for s in SCENES if s.name == "03-patient"), SCENES[-1]]


def test_every_scene_is_a_snapshot_test_at_the_gallery_size() -> None:
    """What test_render_gallery leaves to test_screen is really there."""
    marks = {m.args[0]: m.args[1] for m in test_screen.pytestmark if m.name == "parametrize"}
    assert marks["scene"] is SCENES
    assert GALLERY_SIZE in marks["size"]


def test_render_gallery_renders_every_scene_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dntui.gallery

    rendered: list[tuple[str, tuple[int, int]]] = []

    async def fake_render(scene: Scene, folder: Path, workdir: Path, size: tuple[int, int]) -> Path:
        rendered.append((scene.name, size))
        return folder / scene.filename_at(size)

    monkeypatch.setattr(dntui.gallery, "_render", fake_render)
    paths = render_gallery(tmp_path / "screens")
    assert rendered[: len(SCENES)] == [(s.name, GALLERY_SIZE) for s in SCENES]
    assert paths[: len(SCENES)] == [tmp_path / "screens" / s.filename for s in SCENES]
    # Then the scenes pictured at 80x24 too (issue 18: the dashboard at both sizes).
    assert rendered[len(SCENES) :] == [(s.name, (80, 24)) for s in SCENES if s.at_80x24]
    assert ("19-dashboard", (80, 24)) in rendered
    assert tmp_path / "screens" / "19-dashboard-80x24.svg" in paths


def test_render_gallery_writes_every_scene(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One SVG per scene, each showing the text that proves it reached its state.

    Scenes rendered one after another in one run, with private folders (a sample:
    see GALLERY_SAMPLE); ``render_gallery`` without ``scenes`` renders ``SCENES``."""
    data_dir = tmp_path / "outside"
    monkeypatch.setenv("DNTUI_DATA_DIR", str(data_dir))
    out = tmp_path / "screens"

    paths = render_gallery(out, GALLERY_SAMPLE)

    assert paths == [out / s.filename for s in GALLERY_SAMPLE]
    assert sorted(out.iterdir()) == sorted(paths)
    missing = []
    for scene, path in zip(GALLERY_SAMPLE, paths, strict=True):
        svg = path.read_text(encoding="utf-8")
        assert svg.startswith("<svg"), path
        if scene.expect not in svg_text(svg):
            missing.append(f"{path.name}: {scene.expect!r}")
    assert not missing, "scenes that did not reach their state:\n" + "\n".join(missing)
    # Rendering used private folders and put the environment back.
    assert os.environ["DNTUI_DATA_DIR"] == str(data_dir)
    assert not data_dir.exists()


# ------------------------------------------------- 80x24: what issue 13 added
async def _longest_screening_item(pilot: Pilot[Any]) -> None:
    """Screening with the longest question highlighted: wrapped in full in the list."""
    from dntui.domain.screening import ITEMS

    longest = max(range(len(ITEMS)), key=lambda i: len(ITEMS[i].question))
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press(*["down"] * longest)
    await pilot.pause()


async def _logged_in(pilot: Pilot[Any]) -> None:
    """Wait (with a deadline) until the app has chosen who is logged in."""
    for _ in range(500):
        if pilot.app.practitioner is not None:
            return
        await pilot.pause(0.02)
    raise AssertionError("nobody logged in")


async def _eight_warnings(pilot: Pilot[Any]) -> None:
    """A Medicare visit by a PT, lung-risk muscles both sides of the thorax: 8 warnings."""
    from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft
    from dntui.gallery import FIXED_TODAY
    from dntui.screens.visit import VisitScreen

    app = pilot.app
    await _logged_in(pilot)
    who = app.practitioner
    assert who is not None
    draft = VisitDraft(
        visit_date=FIXED_TODAY,
        practitioner=PractitionerInfo(who.id, who.name, who.credentials),
        payer="medicare",
        diagnosis_codes=["M79.12"],
        muscles=[
            MuscleEntry("infraspinatus", Side.BILATERAL, 2, 2),
            MuscleEntry("thoracic-multifidus", Side.LEFT, 1, 1),
            MuscleEntry("anterior-scalene", Side.RIGHT, 1, 1),
        ],
        step="muscles",
    )
    app.push_screen(VisitScreen(draft))
    await pilot.pause()


async def _eight_warnings_review(pilot: Pilot[Any]) -> None:
    await _eight_warnings(pilot)
    await pilot.press("f6")
    await pilot.pause()


async def _precaution(pilot: Pilot[Any]) -> None:
    from dntui.domain.screening import ITEMS

    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()
    await pilot.press(*["down"] * [i.id for i in ITEMS].index("pacemaker-implant"), "y")
    await pilot.pause()


async def _tolerance(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()


async def _pin(pilot: Pilot[Any]) -> None:
    await pilot.press("p")
    await pilot.pause()
    await pilot.press("down", "enter")  # Samuel Okafor: his PIN is asked
    await pilot.pause()


async def _confirm(pilot: Pilot[Any]) -> None:
    from dntui.dialogs.confirm import ConfirmScreen

    await _logged_in(pilot)
    await pilot.pause()
    pilot.app.push_screen(
        ConfirmScreen(
            "A visit for Maria Lindqvist on 2026-03-13 was kept on this machine but not saved "
            "to the database (practitioner-1-visit-new-0123456789ab.json). Restore it now?"
        )
    )
    await pilot.pause()


async def _save_handout(pilot: Pilot[Any]) -> None:
    from textual.widgets import Input

    await pilot.press("h")
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await pilot.pause()
    await pilot.press("m")
    await pilot.pause()
    # The suggested path is under the test's temporary folder: pin it for the picture.
    pilot.app.screen.query_one("#save-path", Input).value = "~/handouts/handout-visit-5.md"
    await pilot.pause()


async def _too_small(pilot: Pilot[Any]) -> None:
    await pilot.resize_terminal(70, 20)
    await pilot.pause()


async def _chosen_muscle(pilot: Pilot[Any], query: str) -> None:
    """A new visit with ``query``'s first match chosen, the chosen list focused."""
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f4")
    await pilot.pause()
    await pilot.press(*query, "enter")
    await pilot.pause()
    await pilot.press("f8")
    await pilot.pause()


async def _depth(pilot: Pilot[Any]) -> None:
    await _chosen_muscle(pilot, "infra")
    await pilot.press("d")
    await pilot.pause()


async def _level(pilot: Pilot[Any]) -> None:
    await _chosen_muscle(pilot, "lumbar multif")
    await pilot.press("v")
    await pilot.pause()


async def _outcome(pilot: Pilot[Any]) -> None:
    await pilot.press("n")
    await pilot.pause()
    await pilot.press("f6")
    await pilot.pause()
    await pilot.press("o")
    await pilot.pause()


async def _signed_visit(pilot: Pilot[Any], key: str) -> None:
    """The first demo visit (signed), on its review step, then ``key``."""
    from dntui.screens.visit import VisitScreen

    await _logged_in(pilot)
    pilot.app.open_visit(1)
    for _ in range(200):  # bounded: the visit opens at once, its pane fills in a worker
        if isinstance(pilot.app.screen, VisitScreen):
            break
        await pilot.pause()
    await pilot.pause()
    await pilot.press(key)
    await pilot.pause()


async def _void_reason(pilot: Pilot[Any]) -> None:
    await _signed_visit(pilot, "v")


async def _addendum(pilot: Pilot[Any]) -> None:
    await _signed_visit(pilot, "a")


SCENES_80x24 = [
    Scene("longest-screening-item", "", _longest_screening_item, "Compromised immune"),
    Scene("eight-warnings", "", _eight_warnings, "more lines"),
    Scene("eight-warnings-review", "", _eight_warnings_review, "WARNINGS (8"),
    Scene("precaution", "", _precaution, "Enter acknowledges"),
    Scene("tolerance", "", _tolerance, "Enter saves it in the note"),
    Scene("pin", "", _pin, "Samuel Okafor"),
    Scene("confirm", "", _confirm, "y: yes · n: no"),
    Scene("save-handout", "", _save_handout, "Enter saves"),
    Scene("too-small", "", _too_small, "at least 80x24"),
    Scene("depth", "", _depth, "Needle depth (mm)"),
    Scene("level", "", _level, "spinal level"),
    Scene("outcome", "", _outcome, "Outcome after needling"),
    Scene("void-reason", "", _void_reason, "entered in error"),
    Scene("addendum", "", _addendum, "Addendum to a signed visit"),
]


@pytest.mark.parametrize("scene", SCENES_80x24, ids=[s.name for s in SCENES_80x24])
def test_80x24(
    scene: Scene,
    demo_app: DntuiApp,
    snap_compare: Callable[..., bool],
) -> None:
    """Every dialog and step at 80x24 with nothing cut off (issue 13)."""
    seen: list[str] = []

    async def run_before(pilot: Pilot[Any]) -> None:
        await scene.run(pilot)
        seen.append(svg_text(pilot.app.export_screenshot()))

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)
    assert seen and scene.expect in seen[0]


def test_no_baseline_is_left_without_its_test() -> None:
    """Every baseline SVG belongs to a scene and size of test_screen, or to test_80x24.

    syrupy fails a run on an unused snapshot only without pytest-xdist; the suite runs
    under xdist (pyproject.toml), so a removed or renamed scene's picture is caught here.
    """
    folder = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    expected = {f"test_screen[{s.name}-{w}x{h}].svg" for s in SCENES for w, h in SIZES}
    expected |= {f"test_80x24[{s.name}].svg" for s in SCENES_80x24}
    have = {p.name for p in folder.iterdir()}
    assert have == expected, {"unused": sorted(have - expected), "missing": sorted(expected - have)}


async def test_no_toast_is_left_under_a_dialog(demo_app: DntuiApp) -> None:
    """A toast shown before a dialog opened stays on the screen beneath until its own timer
    ends, so whether a picture showed it depended on the machine's speed (the 80x24 spinal
    level picture failed under load): the scenes drop it before the picture."""

    async def toast_then_dialog(pilot: Pilot[Any]) -> None:
        await _chosen_muscle(pilot, "lumbar multif")
        pilot.app.notify("still here", timeout=600)
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()

    scene = Scene("toast", "", toast_then_dialog, "spinal level")
    # Toasts are drawn as in the snapshots (run_test leaves them out by default).
    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        await scene.run(pilot)
        assert "spinal level" in svg_text(pilot.app.export_screenshot())
        left = [t for s in pilot.app.screen_stack for t in s.query("Toast")]
        assert not left, f"{len(left)} toast(s) still drawn"


def test_the_export_picture_is_the_same_on_every_render(tmp_path: Path) -> None:
    """The export scene shows its file's path, under the gallery's temporary folder:
    rendered twice (two temporary folders), the pictures are byte for byte the same."""
    export = next(s for s in SCENES if s.name == "16-export")
    first, second = (render_gallery(tmp_path / n, [export])[0] for n in ("a", "b"))
    assert "dntui-visits-2026-03-16-to-2026-03-16.csv" in svg_text(first.read_text())
    assert first.read_bytes() == second.read_bytes()
