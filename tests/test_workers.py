"""answer_from_thread: the one body of dntui's thread workers (stale answers dropped,
a database error one line)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from app_support import wait_for
from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Static

from dntui.domain.errors import DntuiError
from dntui.ui.workers import answer_from_thread


class _Loader(Static):
    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.failures: list[str] = []

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self, fetch: Callable[[], str], own_failure: bool = False) -> None:
        answer_from_thread(
            self, fetch, self.shown.append, self.failures.append if own_failure else None
        )


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield _Loader()


async def test_a_newer_load_drops_the_older_answer() -> None:
    app = _Host()
    release = threading.Event()
    started = threading.Event()

    def slow() -> str:
        started.set()
        release.wait(30)
        return "old"

    async with app.run_test() as pilot:
        loader = app.query_one(_Loader)
        first = loader.load(slow)
        await wait_for(pilot, started.is_set)
        loader.load(lambda: "new")  # exclusive: cancels the first
        await wait_for(pilot, lambda: loader.shown == ["new"])
        release.set()
        await wait_for(pilot, lambda: first.is_finished)
        await pilot.pause()
        assert loader.shown == ["new"]


async def test_a_database_error_is_one_line() -> None:
    app = _Host()

    def broken() -> str:
        raise DntuiError("database is locked")

    async with app.run_test() as pilot:
        loader = app.query_one(_Loader)
        loader.load(broken, own_failure=True)
        await wait_for(pilot, lambda: loader.failures == ["database is locked"])
        loader.load(broken)  # by default, an error notification
        await wait_for(
            pilot, lambda: any(n.message == "database is locked" for n in app._notifications)
        )
        assert loader.shown == []
