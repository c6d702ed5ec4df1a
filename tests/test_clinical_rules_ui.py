"""The clinical rules of issue #11 as a practitioner meets them in the app (Pilot)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from app_support import TODAY, make_app, start_visit, type_text, wait_for
from builders import ready_draft, record_of, signed_record

from dntui.domain.visit import Answer, MuscleEntry, PatientInfo, ScreeningAnswer, Side
from dntui.store.repo import Store
from dntui.widgets.billing_pane import BillingPane


async def _choose_patient(pilot, store: Store) -> None:  # type: ignore[no-untyped-def]
    practitioner = store.practitioners()[0]
    store.add_patient("Ada Park", None, actor=practitioner)
    await type_text(pilot, "Ada")
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_pt_upper_and_lower_trapezius_one_side_shows_20560(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "UT")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, "LT")
        await pilot.press("enter")
        await pilot.pause()
        assert [m.muscle_id for m in vs.draft.muscles] == ["upper-trapezius", "lower-trapezius"]
        pane = vs.query_one(BillingPane).plain
        assert "CPT 20560" in pane
        assert "one muscle (trapezius)" in " ".join(pane.split())


async def test_md_medicare_chronic_low_back_pain_has_no_abn_demand(empty_store: Store) -> None:
    empty_store.add_practitioner("Ria Patel", "MD", pin="2468", min_pin_length=4)
    app = make_app(empty_store, practitioner="Ria Patel")
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, empty_store)
        vs.draft.payer = "medicare"
        vs.changed()
        vs.query_one("#dx").focus()
        await type_text(pilot, "M54.50")
        await pilot.press("enter")
        await pilot.pause()
        await type_text(pilot, "16")  # the pain-weeks field has the focus now
        await pilot.press("enter")
        await pilot.pause()
        assert (vs.draft.diagnosis_codes, vs.draft.pain_weeks) == (["M54.50"], 16)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "lumbar multifidus")
        await pilot.press("enter")
        await pilot.pause()
        pane = " ".join(vs.query_one(BillingPane).plain.split())
        assert "CPT 20560" in pane
        assert "ABN" not in pane and "[STOP] ABN" not in pane
        assert "Medicare covers this visit" in pane
        assert "session 1 of 12 (90 days)" in pane


async def test_pain_weeks_refuses_bad_input_with_one_line(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        vs.query_one("#pain-weeks").focus()
        await type_text(pilot, "12a")
        await pilot.press("enter")
        await pilot.pause()
        error = str(vs.query_one("#patient-error").render())
        assert "Pain weeks: a whole number" in error and "\n" not in error.strip()
        assert vs.draft.pain_weeks == 12  # the last valid value stays, as in the other fields


async def test_estim_switched_on_with_a_pacemaker_is_a_stop(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        vs.draft.screening["pacemaker-implant"] = ScreeningAnswer(Answer.YES, "pacemaker", True)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "soleus")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert vs.draft.muscles[0].estim
        pane = " ".join(vs.query_one(BillingPane).plain.split())
        assert "[STOP] Pacemaker or implanted electrical device" in pane
        assert vs.screening_result().status.value == "blocked"


async def test_f8_adds_home_exercises_and_r_records_tolerance(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "rectus femoris")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert vs.draft.home_exercises == ["thigh-front"]
        from dntui.widgets.step_instructions import generated_text

        assert "Front of thigh stretch" in generated_text(vs.query_one("#instructions"))
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        await type_text(pilot, "tolerated well")
        await pilot.press("enter")
        await pilot.pause()
        assert vs.draft.tolerance == "tolerated well"
        assert "Tolerance and response: tolerated well." in vs.query_one("#review").note_text()


async def test_v_records_the_spinal_level_of_multifidus(clinic_store: Store) -> None:
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "lumbar multifidus")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        await type_text(pilot, "L9")
        await pilot.press("enter")
        await pilot.pause()
        assert vs.draft.muscles[0].level == ""  # refused, the dialog stays open
        await pilot.press("ctrl+u")
        await type_text(pilot, "l4-5")
        await pilot.press("enter")
        await pilot.pause()
        assert vs.draft.muscles[0].level == "L4-L5"


# ------------------------------------------------- session numbers from signed visits
def _sign_prior(store: Store, day: date, payer: str) -> int:
    """A signed visit of Ada Park's on ``day`` under ``payer`` (as the review step signs)."""
    pr = store.find_practitioner("Dana Reyes")
    assert pr is not None
    pa = next(p for p in store.search_patients("Ada Park"))
    d = ready_draft(pr, PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no), day=day)
    d.payer = payer
    d = store.save_draft(d, actor=pr)
    visit = store.sign(signed_record(d, signer=pr), signer=pr)
    assert visit.id is not None
    return visit.id


async def _visit_for_ada(pilot, store: Store, payer: str):  # type: ignore[no-untyped-def]
    vs = await start_visit(pilot)
    await type_text(pilot, "Ada")
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: vs.draft.patient.name == "Ada Park", what="patient chosen")
    vs.draft.payer = payer
    vs.changed()
    await pilot.press("f4")
    await pilot.pause()
    await type_text(pilot, "soleus")
    await pilot.press("enter")
    await wait_for(pilot, lambda: len(vs.draft.muscles) == 1, what="soleus added")
    return vs


async def test_medicare_session_numbers_come_from_the_patients_signed_visits(
    clinic_store: Store,
) -> None:
    """NCD 30.3.3 limits count the patient's signed Medicare visits: not another payer's,
    not one entered in error, not a later one [ncd]."""
    pr = clinic_store.find_practitioner("Dana Reyes")
    assert pr is not None
    clinic_store.add_patient("Ada Park", None, actor=pr)
    for days in (3, 40, 100):  # 100 days back: in the year, not in the 90 days
        _sign_prior(clinic_store, TODAY - timedelta(days=days), "medicare")
    _sign_prior(clinic_store, TODAY - timedelta(days=5), "commercial")
    voided = _sign_prior(clinic_store, TODAY - timedelta(days=6), "medicare")
    clinic_store.void(voided, actor=pr, reason="wrong patient")
    _sign_prior(clinic_store, TODAY + timedelta(days=1), "medicare")  # after this visit
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await _visit_for_ada(pilot, clinic_store, "medicare")
        pane = " ".join(vs.query_one(BillingPane).plain.split())
        # TODAY is 2026-03-16: 100 days back is 2025, so the calendar year has 2 + this one.
        assert "Medicare acupuncture session 3 of 12 (90 days), 3 of 20 (year)" in pane


async def test_medicare_advantage_adds_kx_from_session_13_in_the_app(clinic_store: Store) -> None:
    """AmeriHealth's Medicare Advantage policy: KX on sessions 13-20 [12]. The session is
    counted from the patient's signed visits under that plan, as for Medicare."""
    pr = clinic_store.find_practitioner("Dana Reyes")
    assert pr is not None
    clinic_store.add_patient("Ada Park", None, actor=pr)
    for i in range(11):
        _sign_prior(clinic_store, date(2026, 1, 5) + timedelta(days=5 * i), "medicare-advantage")
    _sign_prior(clinic_store, date(2026, 3, 10), "commercial")  # another payer: not counted
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await _visit_for_ada(pilot, clinic_store, "medicare-advantage")
        assert "KX" not in vs.summary().modifiers  # session 12
    _sign_prior(clinic_store, date(2026, 3, 12), "medicare-advantage")
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await _visit_for_ada(pilot, clinic_store, "medicare-advantage")
        assert "KX" in vs.summary().modifiers  # session 13
        assert "Modifiers: KX" in vs.query_one(BillingPane).plain


async def test_a_visit_signed_under_the_old_count_shows_the_billing_it_was_signed_with(
    clinic_store: Store,
) -> None:
    """Three trapezius parts signed as 20561 (the count before this release) open as
    20561: the visit screen shows the stored billing, never a recount (20560 today)."""
    pr = clinic_store.find_practitioner("Dana Reyes")
    assert pr is not None
    pa = clinic_store.add_patient("Ada Park", None, actor=pr)
    parts = ("upper-trapezius", "middle-trapezius", "lower-trapezius")
    d = ready_draft(
        pr,
        PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no),
        muscles=[MuscleEntry(m, Side.LEFT, 1, 1) for m in parts],
    )
    d = clinic_store.save_draft(d, actor=pr)
    record = record_of(
        d,
        code="20561",
        muscle_count=3,
        charge="38.32",
        counting="3 muscles: upper trapezius L, middle trapezius L, lower trapezius L",
        label="Dry needling, 3+ muscles",
    )
    clinic_store.sign(record, signer=pr)
    assert d.visit_id is not None
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_visit(d.visit_id)

        def shown() -> str:
            panes = app.screen.query(BillingPane)
            return " ".join(panes.first().plain.split()) if panes else ""

        await wait_for(pilot, lambda: "CPT" in shown(), what="the signed visit's pane")
        assert "signed" in str(app.screen.query_one(BillingPane).border_subtitle)
        pane = shown()
        assert "CPT 20561" in pane and "Muscles counted: 3" in pane
        assert "CPT 20560" not in pane


async def test_t_records_the_trimester_and_the_first_is_a_stop(clinic_store: Store) -> None:
    """Pregnancy asks the trimester (t on the screening step): the first is a stop, and in
    any trimester needling over the abdomen is one [apta2013][preg-regions]."""
    from textual.widgets import OptionList

    from dntui.domain.screening import ITEMS

    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, clinic_store)
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "rectus abdominis")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(vs.draft.muscles) == 1, what="muscle added")
        vs.draft.screening["pregnancy"] = ScreeningAnswer(Answer.YES, "24 weeks", True)
        await pilot.press("f3")
        await pilot.pause()
        listing = vs.query_one("#screening-items", OptionList)
        listing.highlighted = [i.id for i in ITEMS].index("pregnancy")
        await pilot.pause()
        await pilot.press("t")
        await wait_for(pilot, lambda: vs.draft.pregnancy_trimester == 1, what="trimester 1")
        assert vs.screening_result().status.value == "blocked"
        status = str(vs.query_one("#screening-status").render())
        assert "first trimester" in status and "trimester 1" in status
        await pilot.press("t")
        await wait_for(pilot, lambda: vs.draft.pregnancy_trimester == 2, what="trimester 2")
        result = vs.screening_result()
        assert result.status.value != "blocked"
        assert [m for m, _ in result.blocked_muscles] == ["rectus-abdominis"]
        pane = " ".join(vs.query_one(BillingPane).plain.split())
        assert "[STOP] Rectus abdominis: pregnancy" in pane


@pytest.mark.parametrize(
    ("licensed", "degree", "covered"),
    [(True, True, True), (True, False, False)],
)
async def test_an_nps_acupuncture_flags_reach_the_medicare_check(
    empty_store: Store, licensed: bool, degree: bool, covered: bool
) -> None:
    """NCD 30.3.3: an NP furnishes acupuncture only with an acupuncture master's or
    doctorate and a licence [ncd-memo]. The flags stored with the practitioner reach the
    visit's billing: both flags, covered; the licence alone, provider excluded (GY)."""
    empty_store.add_practitioner(
        "Nia Brooks",
        "NP",
        acupuncture_licensed=licensed,
        acupuncture_degree=degree,
        pin="2468",
        min_pin_length=4,
    )
    app = make_app(empty_store, practitioner="Nia Brooks")
    async with app.run_test(size=(80, 24)) as pilot:
        vs = await start_visit(pilot)
        await _choose_patient(pilot, empty_store)
        vs.draft.payer = "medicare"
        vs.draft.diagnosis_codes = ["M54.51"]
        vs.draft.pain_weeks = 20
        vs.changed()
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "lumbar multifidus")
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(vs.draft.muscles) == 1, what="muscle added")
        pane = " ".join(vs.query_one(BillingPane).plain.split())
        assert ("Medicare covers this visit" in pane) is covered
        assert ("GY" in vs.summary().modifiers) is not covered
