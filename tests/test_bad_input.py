"""Garbage in the UI is refused or bounded with a message, and nothing is lost."""

from __future__ import annotations

from datetime import date

import pytest
from app_support import make_app, start_visit, type_text, wait_for

from dntui.dialogs.add_patient import AddPatientScreen
from dntui.domain.visit import MAX_NEEDLES_PER_MUSCLE
from dntui.screens.visit import VisitScreen
from dntui.store.repo import Store


@pytest.fixture
def store(clinic_store: Store) -> Store:
    return clinic_store


def error_text(screen) -> str:  # type: ignore[no-untyped-def]
    return str(screen.query_one(".error").render())


async def test_add_patient_refuses_empty_name_future_birth_and_strips_control_chars(
    store: Store,
) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AddPatientScreen)
        dialog.submit()
        assert "Enter the patient's name" in error_text(dialog)
        dialog.query_one("#pt-name").value = "Ada\x07 \x1b[31mPark"  # type: ignore[attr-defined]
        dialog.query_one("#pt-dob").value = "2027-01-01"  # type: ignore[attr-defined]
        dialog.submit()
        assert "after the visit date" in error_text(dialog)
        dialog.query_one("#pt-dob").value = "1980-13-01"  # type: ignore[attr-defined]
        dialog.submit()
        assert "not a valid date of birth" in error_text(dialog)
        dialog.query_one("#pt-dob").value = "1980-12-01"  # type: ignore[attr-defined]
        dialog.submit()
        await pilot.pause()
        vs = app.screen
        assert isinstance(vs, VisitScreen)
        assert vs.draft.patient.name == "Ada [31mPark"
        assert all(ch.isprintable() for ch in vs.draft.patient.name)


async def test_needle_counts_stay_within_bounds(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        await pilot.press("f4", "q", "l", "enter", "f8")
        await pilot.pause()
        await pilot.press(*["minus"] * 5)
        assert vs.draft.muscles[0].needles_in == 0
        await pilot.press(*["plus"] * (MAX_NEEDLES_PER_MUSCLE + 20))
        await pilot.pause()
        assert vs.draft.muscles[0].needles_in == MAX_NEEDLES_PER_MUSCLE


async def test_huge_paste_into_the_handout_is_refused_and_keeps_the_text(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        await pilot.press("f5")
        await pilot.pause()
        area = vs.query_one("#handout")
        area.load_text("x" * 100_000)  # type: ignore[attr-defined]
        await wait_for(
            pilot, lambda: any("limit" in n.message for n in app._notifications), what="refusal"
        )
        assert vs.draft.instructions == ""  # refused: the generated text stays the record


async def test_two_people_editing_one_draft_get_a_conflict_message(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        patient = store.add_patient("Ben Ode", date(1970, 1, 1), actor=app.practitioner)  # type: ignore[arg-type]
        vs.query_one("#patient").set_patient(patient)  # type: ignore[attr-defined]
        assert await vs.flush()
        # Someone else saves the same draft from another machine.
        other = store.load(vs.draft.visit_id)  # type: ignore[arg-type]
        other.draft.abn_on_file = True
        store.save_draft(other.draft, actor=app.practitioner)  # type: ignore[arg-type]
        await pilot.press("f2", "f3", "0")
        await pilot.pause()
        assert await vs.flush() is False
        await pilot.pause()
        assert vs.dirty  # kept, not silently overwritten
        assert any("changed elsewhere" in n.message for n in app._notifications)
        assert store.load(vs.draft.visit_id).draft.abn_on_file is True  # type: ignore[arg-type]


async def test_brackets_in_names_show_as_typed_and_never_crash(empty_store: Store) -> None:
    """Textual reads "[...]" as markup: names must be shown as text everywhere."""
    who = empty_store.add_practitioner("Dee [/b] Okoye", "PT", pin="2468", min_pin_length=4)
    patient = empty_store.add_patient("Ann Lee [/jr]", date(1980, 1, 2), actor=who)
    app = make_app(empty_store, practitioner="Dee [/b] Okoye")
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        await type_text(pilot, "ann")
        await pilot.pause()
        vs.query_one("#patient").set_patient(patient)  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Ann Lee [/jr]" in str(vs.query_one("#patient-chosen").render())
        await pilot.press("escape")  # back to the start screen, which lists the draft
        await pilot.pause()
        for key in ("h", "escape", "f", "escape", "d", "escape", "p"):
            await pilot.press(key)
            await pilot.pause()
        assert app.is_running


async def test_a_muscle_side_is_never_listed_twice(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        await pilot.press("f4")
        await type_text(pilot, "ut")
        await pilot.press("enter", "f8", "b")  # upper trapezius, both sides
        await pilot.pause()
        await pilot.press("slash")
        await type_text(pilot, "ut")
        await pilot.press("enter")  # both sides are taken: refused
        await pilot.pause()
        assert [(m.muscle_id, m.side.value) for m in vs.draft.muscles] == [("upper-trapezius", "B")]
        await pilot.press("f8", "l")  # back to left only, then add again: the right side
        await pilot.press("slash")
        await type_text(pilot, "ut")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8", "up", "b")  # left entry to both: would repeat the right side
        await pilot.pause()
        assert sorted(m.side.value for m in vs.draft.muscles) == ["L", "R"]
