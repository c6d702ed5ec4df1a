"""Fixtures for the UI tests: the real app on a seeded demo database, with a fixed date and clock.

Each test gets its own data and config folders (``DNTUI_DATA_DIR``,
``DNTUI_CONFIG_DIR``), a SQLite demo database seeded as of
``dntui.gallery.FIXED_TODAY``, the wall clock pinned to
``dntui.gallery.FIXED_NOW`` (database timestamps, consent and signing times)
and the time zone to UTC, so screenshots are the same on every run and every
machine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dntui.gallery import build_app, frozen_clock, open_demo_store

if TYPE_CHECKING:
    from dntui.app import DntuiApp
    from dntui.store.repo import Store


@pytest.fixture
def ui_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Private data and config folders, colour on, clock and time zone pinned. Yields the data folder."""
    data = tmp_path / "data"
    monkeypatch.setenv("DNTUI_DATA_DIR", str(data))
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    with frozen_clock():
        yield data


@pytest.fixture
def demo_store(ui_env: Path) -> Iterator[Store]:
    """A SQLite store seeded with the fictional demo data as of the fixed date."""
    store = open_demo_store(ui_env)
    yield store
    store.close()


@pytest.fixture
def demo_app(demo_store: Store) -> DntuiApp:
    """The real app on the demo store: fixed date, Dana Reyes logged in, no animations."""
    return build_app(demo_store)
