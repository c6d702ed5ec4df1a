"""The visit screen owns the visit's state; F1 shows the live bindings (issue 12)."""

from __future__ import annotations

from datetime import date

from app_support import PIN, make_app, open_visit, wait_for
from builders import ready_draft, signed_record
from textual.widgets import Static

from dntui.screens.help import HelpScreen
from dntui.screens.visit import VisitScreen
from dntui.widgets.billing_pane import BillingPane


def _signed_visit(store) -> int:  # type: ignore[no-untyped-def]
    dana = store.find_practitioner("Dana Reyes")
    ada = store.add_patient("Ada Park", date(1980, 1, 2), actor=dana)
    draft = store.save_draft(ready_draft(dana, ada), actor=dana)
    store.sign(signed_record(draft), signer=dana)
    assert draft.visit_id is not None
    return draft.visit_id


async def _mark_entered_in_error(pilot, store, visit_id: int, pane: BillingPane) -> None:  # type: ignore[no-untyped-def]
    """v, a reason, the PIN: the visit is entered in error, and the pane says so, never
    "draft saved"."""
    app = pilot.app
    await pilot.press("v")
    await wait_for(pilot, lambda: bool(app.screen.query("#reason")), what="reason dialog")
    app.screen.query_one("#reason").value = "wrong patient"
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*PIN, "enter")
    await wait_for(pilot, lambda: store.load(visit_id).visit.status == "entered-in-error")
    await wait_for(pilot, lambda: "entered in error" in str(pane.border_subtitle))
    assert "draft saved" not in str(pane.border_subtitle)


async def test_after_entered_in_error_the_pane_says_so_not_draft_saved(clinic_store) -> None:  # type: ignore[no-untyped-def]
    visit_id = _signed_visit(clinic_store)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await open_visit(pilot, visit_id)
        assert isinstance(vs, VisitScreen)
        pane = vs.query_one(BillingPane)
        assert "signed" in str(pane.border_subtitle)
        await _mark_entered_in_error(pilot, clinic_store, visit_id, pane)


async def test_a_draft_marked_entered_in_error_no_longer_reads_draft_saved(clinic_store) -> None:  # type: ignore[no-untyped-def]
    # The defect as the issue found it: a *draft* marked entered in error kept
    # "draft saved" under the pane (the old _void skipped the state refresh).
    dana = clinic_store.find_practitioner("Dana Reyes")
    ada = clinic_store.add_patient("Ada Park", date(1980, 1, 2), actor=dana)
    draft = clinic_store.save_draft(ready_draft(dana, ada), actor=dana)
    visit_id = draft.visit_id
    assert visit_id is not None
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await open_visit(pilot, visit_id)
        assert isinstance(vs, VisitScreen)
        pane = vs.query_one(BillingPane)
        await wait_for(pilot, lambda: "draft saved" in str(pane.border_subtitle))
        await pilot.press("f6")
        await _mark_entered_in_error(pilot, clinic_store, visit_id, pane)
        assert vs.locked


async def test_help_shows_the_remapped_key_the_footer_shows(clinic_store) -> None:  # type: ignore[no-untyped-def]
    app = make_app(clinic_store, keymap={"visit.step.muscles": "f12", "app.help": "f1"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        footer_keys = {b.binding.id: key for key, b in app.screen.active_bindings.items()}
        assert footer_keys.get("visit.step.muscles") == "f12"
        await pilot.press("f1")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        text = str(help_screen.query_one("#help").query(Static).first().content)
        line = next(ln for ln in text.splitlines() if "visit.step.muscles" in ln)
        assert line.split()[0] == "f12", line
