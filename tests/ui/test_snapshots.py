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
        return folder / scene.filename

    monkeypatch.setattr(dntui.gallery, "_render", fake_render)
    paths = render_gallery(tmp_path / "screens")
    assert rendered == [(s.name, GALLERY_SIZE) for s in SCENES]
    assert paths == [tmp_path / "screens" / s.filename for s in SCENES]


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


def test_no_baseline_is_left_without_its_test() -> None:
    """Every baseline SVG belongs to a scene and size of test_screen.

    syrupy fails a run on an unused snapshot only without pytest-xdist; the suite runs
    under xdist (pyproject.toml), so a removed or renamed scene's picture is caught here.
    """
    folder = Path(__file__).parent / "__snapshots__" / "test_snapshots"
    expected = {f"test_screen[{s.name}-{w}x{h}].svg" for s in SCENES for w, h in SIZES}
    have = {p.name for p in folder.iterdir()}
    assert have == expected, {"unused": sorted(have - expected), "missing": sorted(expected - have)}
