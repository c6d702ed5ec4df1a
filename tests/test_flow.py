"""A whole visit driven from the keyboard with Pilot, checked in the database."""

from __future__ import annotations

from datetime import date

import pytest
from app_support import PIN, TODAY, make_app, start_visit, type_text, wait_for
from sqlmodel import Session, select

from dntui.app import DntuiApp
from dntui.domain import screening
from dntui.screens.visit import VisitScreen
from dntui.store.models import AuditEvent, Visit, VisitMuscle
from dntui.store.repo import Store
from dntui.widgets.billing_pane import BillingPane


@pytest.fixture
def env(clinic_store: Store) -> Store:
    return clinic_store


def billing_text(app: DntuiApp) -> str:
    return app.screen.query_one(BillingPane).plain


async def test_full_visit_from_the_keyboard(env: Store) -> None:
    store = env
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        visit_screen = app.screen
        assert "no code" in billing_text(app)

        # 1. Add the patient with F7.
        await pilot.press("f7")
        await pilot.pause()
        await type_text(pilot, "Ada Park")
        await pilot.press("tab")
        await type_text(pilot, "1980-02-29")
        await pilot.press("tab")
        await pilot.press("enter")  # submit from the chart-number field
        await pilot.pause()
        assert visit_screen.draft.patient.name == "Ada Park"
        assert visit_screen.draft.patient.chart_no.startswith("C")

        # 2. Screening: diabetes is a precaution that needs its note.
        await pilot.press("f3")
        await pilot.pause()
        diabetes_row = [i.id for i in screening.ITEMS].index("diabetes")
        await pilot.press(*["down"] * diabetes_row)
        await pilot.press("y")
        await pilot.pause()
        await type_text(pilot, "well controlled, checked glucose")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("0")  # the rest: no
        await pilot.pause()
        answer = visit_screen.draft.screening["diabetes"]
        assert answer.acknowledged and "glucose" in answer.note
        result = visit_screen.screening_result()
        assert result.status == screening.ScreeningStatus.CAN_NEEDLE
        assert result.consent_missing  # consent comes later in this test

        # 3. Muscles: upper trapezius on both sides, then a third muscle.
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "ut")
        await pilot.press("enter")
        await pilot.pause()
        assert "20560" in billing_text(app)
        assert "Muscles counted: 1" in billing_text(app)
        await pilot.press("f8", "b")
        await pilot.pause()
        text = billing_text(app)
        assert "20560" in text and "Muscles counted: 2" in text
        assert "both sides of the thorax" in text  # lung-risk muscle on both sides
        await pilot.press("slash")
        await type_text(pilot, "lev scap")
        await pilot.press("enter")
        await pilot.pause()
        text = billing_text(app)
        assert "20561" in text and "Muscles counted: 3" in text

        # 4. Aftercare: the thoracic warning is generated.
        await pilot.press("f5")
        await pilot.pause()
        handout = app.screen.query_one("#handout").text  # type: ignore[attr-defined]
        assert "emergency" in handout.lower()

        # 5. Sign: refused while needles are still in and consent is missing.
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert visit_screen.locked is False
        await pilot.press("f4", "f9")  # all needles out
        await pilot.pause()
        await pilot.press("f6", "s")
        await pilot.pause()
        assert visit_screen.locked is False  # consent still missing
        await pilot.press("f3", "c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert visit_screen.draft.consent.given
        await pilot.press("f6", "s")
        await pilot.pause()
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await wait_for(pilot, lambda: visit_screen.locked, what="signing (in a thread)")
        assert visit_screen.locked is True
        visit_id = visit_screen.draft.visit_id

    with Session(store.engine) as s:
        visit = s.get(Visit, visit_id)
        assert visit is not None
        assert visit.status == "signed" and visit.code == "20561" and visit.muscle_count == 3
        rows = s.exec(select(VisitMuscle).where(VisitMuscle.visit_id == visit_id)).all()
        assert sorted((r.muscle_id, r.side) for r in rows) == [
            ("levator-scapulae", "L"),
            ("upper-trapezius", "B"),
        ]
        assert all(r.needles_in == r.needles_out for r in rows)
        actions = [
            e.action
            for e in s.exec(select(AuditEvent).where(AuditEvent.visit_id == visit_id)).all()
        ]
    assert actions.count("visit.sign-refused") == 2
    assert "visit.sign" in actions
    assert "no substance was injected" in visit.note_text
    assert store.verify_audit().ok


async def test_wrong_pin_does_not_sign(env: Store) -> None:
    app = make_app(env)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        patient = env.add_patient("Ben Ode", date(1970, 1, 1), actor=app.practitioner)  # type: ignore[arg-type]
        vs.query_one("#patient").set_patient(patient)  # type: ignore[attr-defined]
        await pilot.press("f3", "0", "c")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("f6", "s")
        await pilot.pause()
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await pilot.pause()
        assert vs.locked is False
    fails = [e for e in env.audit_trail() if e.action == "pin.fail"]
    assert len(fails) == 1


async def test_quit_and_restart_shows_visit_in_todays_list(env: Store) -> None:
    app = make_app(env)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        patient = env.add_patient("Cleo Dunn", date(1990, 5, 5), actor=app.practitioner)  # type: ignore[arg-type]
        vs.query_one("#patient").set_patient(patient)  # type: ignore[attr-defined]
        await pilot.press("ctrl+q")
        await app.workers.wait_for_complete()  # the save runs in a thread, then the app exits
        assert app.return_code == 0
    app2 = make_app(env)
    async with app2.run_test(size=(80, 24)) as pilot:
        # Today's list is filled by a thread worker: wait for it (one pause lost the race
        # on a loaded machine).
        await wait_for(pilot, lambda: bool(app2.screen.query("#start-visits")))
        table = app2.screen.query_one("#start-visits")
        await wait_for(pilot, lambda: table.row_count > 0)  # type: ignore[attr-defined]
        assert table.row_count == 1  # type: ignore[attr-defined]
        row = table.get_row_at(0)  # type: ignore[attr-defined]
        assert "Cleo Dunn" in row and "draft" in row


async def test_bad_visit_date_is_refused_with_a_message(env: Store) -> None:
    app = make_app(env)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        date_input = vs.query_one("#visit-date")
        date_input.focus()
        date_input.value = ""  # type: ignore[attr-defined]
        await type_text(pilot, "2026-02-30")
        await pilot.press("enter")
        await pilot.pause()
        error = vs.query_one("#patient-error")
        assert "not a valid visit date" in str(error.render())
        assert vs.draft.visit_date == TODAY
        date_input.value = ""  # type: ignore[attr-defined]
        await type_text(pilot, "2027-01-01")
        await pilot.press("enter")
        await pilot.pause()
        assert "future" in str(vs.query_one("#patient-error").render())
        assert vs.draft.visit_date == TODAY


async def test_diagnosis_codes_suggested_from_the_built_in_list(env: Store) -> None:
    app = make_app(env)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        dx = vs.query_one("#dx")
        dx.focus()
        await type_text(pilot, "m62.83")
        await pilot.pause()
        hint = str(vs.query_one("#dx-hint").render())
        assert "M62.830 Muscle spasm of the back" in hint
        await pilot.press("right")  # accept the completion
        await pilot.press("enter")
        await pilot.pause()
        assert vs.draft.diagnosis_codes == ["M62.830"]
        await pilot.press("f2")  # a valid code moved on to screening: back to step 1
        dx.value = ""  # type: ignore[attr-defined]
        dx.focus()
        await type_text(pilot, "M54.5")
        await pilot.press("enter")
        await pilot.pause()
        assert dx.value == "M54.5", dx.value  # type: ignore[attr-defined]
        assert "deleted Oct 2021" in str(vs.query_one("#patient-error").render())


async def test_keys_can_be_remapped_by_binding_id(env: Store) -> None:
    app = make_app(env, keymap={"start.new": "ctrl+t", "visit.step.muscles": "f12"})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, VisitScreen)
        await pilot.press("f12")
        await pilot.pause()
        assert app.screen.query_one("#steps").current == "muscles"  # type: ignore[attr-defined]


async def test_other_codes_today_warn_in_the_billing_pane(env: Store) -> None:
    app = make_app(env)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        other = vs.query_one("#other-codes")
        other.focus()
        await type_text(pilot, "97810")
        await pilot.pause()
        assert vs.draft.other_codes == ["97810"]
        assert "report only acupuncture" in billing_text(app)
        other.value = ""  # type: ignore[attr-defined]
        await type_text(pilot, "9781")
        await pilot.press("enter")
        await pilot.pause()
        assert "not a CPT code" in str(vs.query_one("#patient-error").render())
