"""Fixtures for the UI tests: the real app on a seeded demo database, with a fixed date and clock.

Each test gets its own data and config folders (``DNTUI_DATA_DIR``,
``DNTUI_CONFIG_DIR``), a SQLite demo database seeded as of
``dntui.gallery.FIXED_TODAY``, the app's and the store's clocks fixed at
``dntui.gallery.FIXED_NOW`` (database timestamps, consent and signing times;
both are injected, no module is patched) and the time zone set to UTC, so
screenshots are the same on every run and every machine.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dntui.gallery import build_app, fixed_clock, open_demo_store, utc_time_zone

if TYPE_CHECKING:
    from dntui.app import DntuiApp
    from dntui.store.repo import Store


@pytest.fixture
def ui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Private data and config folders, colour on, time zone UTC. Yields the data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("DNTUI_DATA_DIR", str(data))
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    with utc_time_zone():
        yield data


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database seeded once per test process: its data and config folders.

    Seeding (migrations, then the demo visits, audited) costs more than the rest of a
    short scene; each test gets a copy of both folders (the config folder holds the audit
    key and anchor the database was written with), which is what seeding again would give.
    """
    root = tmp_path_factory.mktemp("demo-template")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DNTUI_DATA_DIR", str(root / "data"))
        mp.setenv("DNTUI_CONFIG_DIR", str(root / "config"))
        with utc_time_zone():
            open_demo_store(root / "data").close()
    return root


@pytest.fixture
def demo_store(ui_env: Path, demo_template: Path) -> Iterator[Store]:
    """A SQLite store seeded with the fictional demo data as of the fixed date."""
    from dntui.store.repo import Store

    shutil.copytree(demo_template / "data", ui_env, dirs_exist_ok=True)
    shutil.copytree(demo_template / "config", os.environ["DNTUI_CONFIG_DIR"], dirs_exist_ok=True)
    store = Store.open(f"sqlite:///{ui_env / 'demo.db'}", clock=fixed_clock)
    yield store
    store.close()


@pytest.fixture
def demo_app(demo_store: Store) -> DntuiApp:
    """The real app on the demo store: fixed date, Dana Reyes logged in, no animations."""
    return build_app(demo_store)
