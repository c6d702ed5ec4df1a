"""Scope of practice by state as a practitioner meets it in the app (Pilot)."""

from __future__ import annotations

from app_support import make_app, start_visit, type_text, wait_for

from dntui.store.repo import Store
from dntui.widgets.billing_pane import BillingPane
from dntui.widgets.step_review import ReviewStep


def _pane(vs) -> str:  # type: ignore[no-untyped-def]
    return " ".join(vs.query_one(BillingPane).plain.split())


async def _visit_with_a_muscle(pilot, store: Store):  # type: ignore[no-untyped-def]
    vs = await start_visit(pilot)
    store.add_patient("Ada Park", None, actor=store.practitioners()[0])
    await type_text(pilot, "Ada")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press("f4")
    await pilot.pause()
    await type_text(pilot, "soleus")
    await pilot.press("enter")
    await wait_for(pilot, lambda: bool(vs.draft.muscles))
    return vs


async def test_pane_warns_when_training_is_below_the_state_minimum(empty_store: Store) -> None:
    empty_store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4, dn_cert_hours=30)
    app = make_app(empty_store, clinic_state="MD")
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await _visit_with_a_muscle(pilot, empty_store)
        await wait_for(pilot, lambda: "Maryland" in _pane(vs))
        pane = _pane(vs)
        assert (
            "[WARN] Recorded dry needling training (30 h) is below Maryland's minimum of 80 h"
            in pane
        )
        assert "checked 2026-11-27" in pane
        await pilot.press("f6")
        await pilot.pause()
        note = vs.query_one(ReviewStep).note_text()
        assert "below Maryland's minimum of 80 h" in note


async def test_pane_warns_when_the_profession_is_not_permitted(clinic_store: Store) -> None:
    app = make_app(clinic_store, clinic_state="CA")
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await _visit_with_a_muscle(pilot, clinic_store)
        await wait_for(pilot, lambda: "California" in _pane(vs))
        assert "[WARN] Dry needling by a PT is not permitted in California" in _pane(vs)


async def test_no_clinic_state_no_scope_warning(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await _visit_with_a_muscle(pilot, clinic_store)
        await wait_for(pilot, lambda: "CPT 20560" in _pane(vs))
        assert "state board" not in _pane(vs) and "scope table" not in _pane(vs)
