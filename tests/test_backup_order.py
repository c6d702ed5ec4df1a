"""A save stuck on the database never holds back the local copy of a newer edit.

SIGKILL gives the app no chance to save, so what survives is what the autosave (half
a second after the last change) wrote. Saves reach the database one at a time; while
one waits on the database (another process holding its write lock), the next edit's
local backup used to wait behind it, and a SIGKILL then lost that edit
(bench_hangup.py: 25 of 33 under a busy writer).
"""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

from app_support import make_app, open_visit, start_visit, wait_for
from builders import ready_draft

from dntui.config import data_dir
from dntui.screens.visit import VisitScreen


def _backups() -> dict[str, str]:
    """Each backup file's name and its tolerance line."""
    found = {}
    for path in sorted((data_dir() / "drafts").glob("*.json")):
        found[path.name] = json.loads(path.read_text("utf-8")).get("tolerance", "")
    return found


def _stuck_saves(store: Any) -> tuple[threading.Event, threading.Event]:
    """``store.save_draft`` waits for the first event; the second is set once one waits."""
    release, waiting = threading.Event(), threading.Event()
    real_save = store.save_draft

    def stuck(*args: Any, **kwargs: Any) -> Any:
        waiting.set()
        release.wait(30)
        return real_save(*args, **kwargs)

    store.save_draft = stuck
    return release, waiting


async def _edit(pilot: Any, screen: VisitScreen, tolerance: str) -> None:
    screen.draft.tolerance = tolerance
    screen.changed()
    await pilot.pause()


async def _second_edit_behind_a_waiting_save(
    pilot: Any, store: Any, screen: VisitScreen
) -> threading.Event:
    """Edit, let that save wait on the database, edit again; returns what lets it go."""
    release, waiting = _stuck_saves(store)
    await _edit(pilot, screen, "first")
    await wait_for(pilot, waiting.is_set, what="the first save waiting on the database")
    await _edit(pilot, screen, "second")
    return release


async def _let_the_saves_finish(pilot: Any, screen: VisitScreen, release: threading.Event) -> None:
    """Let the waiting save go: both saves reach the database and every copy is removed."""
    release.set()
    await wait_for(pilot, lambda: not screen.dirty, what="both saves done")
    await wait_for(pilot, lambda: _backups() == {}, what="every copy removed")


def _adas_visit(store: Any) -> int:
    """A saved draft of Dana's for Ada Park: its visit id."""
    dana = store.find_practitioner("Dana Reyes")
    ada = store.add_patient("Ada Park", date(1980, 1, 2), actor=dana)
    return store.save_draft(ready_draft(dana, ada), actor=dana).visit_id


async def test_an_edit_reaches_the_backup_while_an_older_save_waits(clinic_store: Any) -> None:
    visit_id = _adas_visit(clinic_store)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visit(pilot, visit_id)
        release = await _second_edit_behind_a_waiting_save(pilot, clinic_store, screen)
        await wait_for(
            pilot,
            lambda: "second" in _backups().values(),
            timeout=10,
            what="the second edit in the local backup while the first save waits",
        )
        await _let_the_saves_finish(pilot, screen, release)
    assert clinic_store.load(visit_id).draft.tolerance == "second"


async def test_a_new_visits_early_copy_is_removed_once_saved(clinic_store: Any) -> None:
    """The first save of a new visit gives it its id; a copy written while it waited is
    named by the draft's local id, and must not be offered as unsaved at the next start."""
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await start_visit(pilot)
        release = await _second_edit_behind_a_waiting_save(pilot, clinic_store, screen)
        await wait_for(
            pilot,
            lambda: any(
                n.startswith(f"practitioner-{screen.draft.practitioner.id}-visit-new-")
                and t == "second"
                for n, t in _backups().items()
            ),
            timeout=10,
            what="the early copy, named by the local id",
        )
        await _let_the_saves_finish(pilot, screen, release)
        assert screen.draft.visit_id is not None
    assert clinic_store.load(screen.draft.visit_id).draft.tolerance == "second"
    assert not list(Path(data_dir() / "drafts").glob("*.json"))


async def test_the_copy_of_an_older_state_never_replaces_a_newer_one(clinic_store: Any) -> None:
    """A save writes its copy first, from a thread; the copy of a newer state may be
    written by then (``_backup_now``, the hangup). Whichever thread ends last, the file
    holds the newer state: a SIGKILL then loses nothing. Copies are numbered as they are
    taken, not by the changes counted so far: a step changes the draft before its
    Changed message is handled, and a copy taken between held newer text under the
    same count (a review found the hangup's copy replaced so)."""
    visit_id = _adas_visit(clinic_store)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_visit(pilot, visit_id)
        assert isinstance(screen, VisitScreen)
        screen.draft.tolerance = "older"
        first = screen._snapshot()  # an autosave's copy, its thread slow to write it
        screen.draft.tolerance = "newer"  # a key; its Changed message not handled yet
        second = screen._snapshot()  # the hangup's copy
        screen._backup_in_order(*second)
        screen._backup_in_order(*first)  # the slower thread of the earlier save
        assert list(_backups().values()) == ["newer"]
        screen.draft.tolerance = "newest"
        screen._backup_in_order(*screen._snapshot())
        assert list(_backups().values()) == ["newest"]
