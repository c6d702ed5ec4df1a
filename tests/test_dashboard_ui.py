"""The dashboard screen (key b, command palette) and late drafts on the start screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import app_support
from app_support import TODAY, make_app, type_text
from builders import plain_draft
from textual.command import CommandList, CommandPalette
from textual.widgets import DataTable

from dntui.domain.visit import MuscleEntry, Side
from dntui.screens.dashboard import DashboardScreen
from dntui.screens.start import StartScreen
from dntui.store.repo import Store
from dntui.ui.plain import Plain


def _draft(store: Store, who: str, days_ago: int, patient: str) -> int:
    pr = store.find_practitioner(who)
    assert pr is not None
    pa = store.add_patient(patient, None, actor=pr)
    muscles = [MuscleEntry("piriformis", Side.RIGHT, 1, 1)]
    day = TODAY - timedelta(days=days_ago)
    d = store.save_draft(plain_draft(pr, pa, day=day, payer="self-pay", muscles=muscles), actor=pr)
    assert d.visit_id is not None
    return d.visit_id


def _text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector, Plain).render())


async def _until(pilot: Any, cond: Any) -> None:
    await app_support.wait_for(pilot, cond)


async def test_start_screen_counts_late_drafts_and_lists_own_first(clinic_store: Store) -> None:
    clinic_store.add_practitioner("Sam Okafor", "DC", pin="1357", min_pin_length=4)
    fresh = _draft(clinic_store, "Dana Reyes", 1, "Fresh Draft")
    edge = _draft(clinic_store, "Dana Reyes", 2, "Edge Draft")  # exactly 2 days: not late
    old = _draft(clinic_store, "Dana Reyes", 9, "Old Draft")
    older = _draft(clinic_store, "Dana Reyes", 3, "Three Days")
    _draft(clinic_store, "Sam Okafor", 5, "Sams Patient")
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "LATE" in _text(app, "#start-status"))
        status = _text(app, "#start-status")
        assert "4 open draft(s)" in status
        assert "LATE drafts (older than 2 day(s)): 2 yours, 3 in the clinic" in status
        table = app.screen.query_one(DataTable)
        keys = [int(str(k.value)) for k in table.rows]
        assert keys[:2] == [old, older]  # own late drafts first, oldest first
        assert set(keys[2:]) == {fresh, edge}
        assert "LATE 9 d" in str(table.get_row_at(0)[4])
        shown = [n.message for n in app._notifications]
        assert any("2 draft(s) older than 2 day(s)" in m for m in shown)


async def test_no_late_warning_below_threshold(clinic_store: Store) -> None:
    _draft(clinic_store, "Dana Reyes", 3, "Three Days")
    app = make_app(clinic_store, late_draft_days=5)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "draft" in _text(app, "#start-status"))
        assert "No late drafts (older than 5 day(s))" in _text(app, "#start-status")
        assert not any("older than" in n.message for n in app._notifications)


async def test_dashboard_opens_moves_and_lists_drafts(clinic_store: Store) -> None:
    late = _draft(clinic_store, "Dana Reyes", 20, "Late Patient")
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("b")
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await _until(pilot, lambda: screen.data is not None)
        assert _text(app, "#dash-bar").startswith("March 2026")
        assert "1 LATE (older than 2 day(s))" in _text(app, "#dash-drafts-title")
        drafts = screen.query_one("#dash-drafts", DataTable)
        assert drafts.get_row_at(0)[:4] == [str(late), "2026-02-24", "20 d", "LATE"]
        await pilot.press("left_square_bracket")
        await _until(pilot, lambda: screen.data is not None and screen.data.period.start.month == 2)
        assert _text(app, "#dash-bar").startswith("February 2026")
        await pilot.press("q")
        await _until(
            pilot, lambda: screen.data is not None and screen.data.period.kind == "quarter"
        )
        assert _text(app, "#dash-bar").startswith("Q1 2026")
        await pilot.press("w", "t")
        await _until(
            pilot,
            lambda: (
                screen.data is not None
                and screen.data.period.kind == "week"
                and screen.data.period.start == TODAY
            ),
        )
        await pilot.press("enter")  # the late draft opens
        await _until(pilot, lambda: type(app.screen).__name__ == "VisitScreen")


async def test_dashboard_from_the_command_palette(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await type_text(pilot, "dashboard")

        def found() -> bool:
            screen = app.screen
            if not isinstance(screen, CommandPalette):
                return False
            hits = screen.query_one(CommandList)
            return hits.option_count > 0 and "Dashboard" in str(hits.get_option_at_index(0).prompt)

        await _until(pilot, found)
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, DashboardScreen))


async def test_every_state_reads_as_a_word_without_colour(
    clinic_store: Store, monkeypatch: Any
) -> None:
    """Issue 18: legible in monochrome. LATE, SERIOUS and LIMIT REACHED are words on the
    screen (NO_COLOR), and the bars are block characters."""
    from builders import record_of

    from dntui.gallery import svg_text

    monkeypatch.setenv("NO_COLOR", "1")
    dana = clinic_store.find_practitioner("Dana Reyes")
    assert dana is not None
    medicare = clinic_store.add_patient("Mel Care", None, actor=dana)
    muscles = [MuscleEntry("piriformis", Side.RIGHT, 1, 1)]
    first = 0
    for i in range(12):  # 12 of 12 Medicare visits in the 90 days: the limit is reached
        day = TODAY - timedelta(days=7 * i)
        d = clinic_store.save_draft(
            plain_draft(dana, medicare, day=day, payer="medicare", muscles=muscles), actor=dana
        )
        v = clinic_store.sign(
            record_of(d, code="20560", muscle_count=1, charge="25.74", units=1), signer=dana
        )
        first = first or int(v.id or 0)
    clinic_store.add_addendum(
        first, author=dana, text="Fainted.", reason="adverse event (serious)", kind="adverse-event"
    )
    _draft(clinic_store, "Dana Reyes", 5, "Late Patient")
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: isinstance(app.screen, StartScreen))
        await pilot.press("b")
        await _until(pilot, lambda: isinstance(app.screen, DashboardScreen))
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        await _until(pilot, lambda: screen.data is not None)
        await pilot.pause()
        text = svg_text(app.export_screenshot())
    assert "LATE" in text
    assert "SERIOUS" in text
    assert "LIMIT REACHED" in text
    assert "█" in text  # the weekly bars
