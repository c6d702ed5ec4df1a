"""Assessment, outcomes and coverage in the app (Pilot): the trend, the warning on the 5th."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app_support import PIN, TODAY, make_app, start_visit, type_text, wait_for
from builders import practitioner_info, ready_draft, signed_record
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Sparkline

from dntui.dialogs.assessment import AssessmentScreen
from dntui.dialogs.coverage import CoverageScreen
from dntui.dialogs.outcome import OutcomeScreen
from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.coverage import Coverage
from dntui.domain.visit import PatientInfo
from dntui.screens.patients import PatientsScreen
from dntui.screens.visit import VisitScreen
from dntui.store.repo import Store
from dntui.widgets.billing_pane import BillingPane
from dntui.widgets.outcome_picture import OutcomePicture

PAINS = [7, 6, 6, 5, 4, 3]
PSFS = [3, 4, 4, 5, 6, 7]


def _patient(store: Store, name: str = "Maria Lopez") -> tuple[Any, Any]:
    pr = store.find_practitioner("Dana Reyes")
    assert pr is not None
    pa = store.add_patient(name, None, actor=pr)
    return pr, pa


def _sign(store: Store, pr: Any, pa: Any, day: Any, payer: str = "commercial", **kw: Any) -> None:
    d = ready_draft(pr, PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no), day=day)
    d.payer = payer
    for k, v in kw.items():
        setattr(d, k, v)
    d = store.save_draft(d, actor=pr)
    store.sign(signed_record(d, signer=pr), signer=pr)


async def _ready(pilot: Any, app: Any) -> None:
    """The database is open (the start screen opens it in a worker)."""
    await wait_for(pilot, lambda: app.store is not None and app.practitioner is not None)


async def _open_patient(pilot: Any, app: Any, name: str) -> PatientsScreen:
    await _ready(pilot, app)
    app.action_find_patient()
    await wait_for(pilot, lambda: isinstance(app.screen, PatientsScreen))
    screen = app.screen
    await type_text(pilot, name.split()[0])
    await wait_for(pilot, lambda: screen._shown == name.split()[0])
    await pilot.press("enter", "enter")
    await wait_for(pilot, lambda: screen.patient_id is not None)
    return screen


async def test_six_signed_visits_show_the_trend_and_the_change(clinic_store: Store) -> None:
    pr, pa = _patient(clinic_store)
    start = TODAY - timedelta(weeks=6)
    for i, (pain, psfs) in enumerate(zip(PAINS, PSFS, strict=True)):
        _sign(
            clinic_store,
            pr,
            pa,
            start + timedelta(weeks=i),
            assessment=Assessment(nprs_before=pain, psfs_activity="lift child", psfs_before=psfs),
            outcome=Outcome(nprs_after=pain - 2),
        )
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_patient(pilot, app, "Maria Lopez")
        picture = screen.query_one(OutcomePicture)
        await wait_for(pilot, lambda: "NPRS" in picture.text)
        assert picture.text.splitlines()[0] == (
            "NPRS 7 → 3 over 6 visits (-4); PSFS 'lift child' 3 → 7 (+4)"
        )
        assert "Pain before: 7 6 6 5 4 3" in picture.text
        assert "Pain after: 5 4 4 3 2 1" in picture.text
        assert "PSFS: 3 4 4 5 6 7" in picture.text
        assert list(screen.query_one("#spark-nprs_before", Sparkline).data or []) == PAINS
        assert list(screen.query_one("#spark-psfs", Sparkline).data or []) == PSFS


async def test_older_visits_without_scores_say_not_recorded(clinic_store: Store) -> None:
    pr, pa = _patient(clinic_store, "Old Timer")
    _sign(clinic_store, pr, pa, TODAY - timedelta(days=3))
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_patient(pilot, app, "Old Timer")
        picture = screen.query_one(OutcomePicture)
        await wait_for(pilot, lambda: bool(picture.text))
        assert picture.text == "Pain and function: not recorded"


async def test_an_authorization_of_4_visits_warns_on_the_5th(clinic_store: Store) -> None:
    pr, pa = _patient(clinic_store, "Auth Patient")
    clinic_store.record_coverage(
        pa.id,
        Coverage(
            payer="commercial",
            verified_on=TODAY - timedelta(days=40),
            verified_by="Front desk",
            authorization_no="PA-4411",
            visits_authorized=4,
            starts=TODAY - timedelta(days=30),
            ends=TODAY + timedelta(days=30),
        ),
        actor=pr,
    )
    for i in range(4):
        _sign(clinic_store, pr, pa, TODAY - timedelta(days=28 - 7 * i))
    fifth = ready_draft(pr, PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no), day=TODAY)
    fifth = clinic_store.save_draft(fifth, actor=pr)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot, app)
        app.open_visit(fifth.visit_id)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.pause()
        pane = app.screen.query_one(BillingPane)
        await wait_for(pilot, lambda: "authorized" in pane.plain)
        assert "This is visit 5 of 4 authorized" in pane.plain
        assert "[WARN] This is visit 5 of 4 authorized" in pane.plain.replace("\n", " ")
        # The patient view says none are left.
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, VisitScreen))
        await pilot.pause()
        screen = await _open_patient(pilot, app, "Auth Patient")
        await wait_for(
            pilot, lambda: "authorized" in str(screen.query_one("#patient-coverage").render())
        )
        assert "0 of 4 authorized visits left" in str(
            screen.query_one("#patient-coverage").render()
        )


async def test_insured_payer_without_a_check_warns_and_the_form_records_one(
    clinic_store: Store,
) -> None:
    pr, pa = _patient(clinic_store, "New Insured")
    _sign(clinic_store, pr, pa, TODAY - timedelta(days=7))
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_patient(pilot, app, "New Insured")
        cov = screen.query_one("#patient-coverage")
        await wait_for(pilot, lambda: "no check on file" in str(cov.render()))
        screen.query_one("#patient-visits").focus()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CoverageScreen))
        form = app.screen
        form.query_one("#cv-visits", Input).value = "6"
        form.query_one("#cv-starts", Input).value = "2026-03-01"
        form.query_one("#cv-ends", Input).value = "2026-02-01"  # before it starts
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CoverageScreen)  # nothing lost, one clear line
        assert str(form.query_one("#cv-error").render()) == (
            "The authorization ends (2026-02-01) before it starts (2026-03-01): check the dates"
        )
        assert form.query_one("#cv-visits", Input).value == "6"
        form.query_one("#cv-ends", Input).value = "2026-06-30"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: "5 of 6 authorized visits left (to 2026-06-30)" in str(cov.render())
        )
    (row,) = [e for e in clinic_store.audit_trail() if e.action == "coverage.record"]
    assert row.actor == "Dana Reyes"


async def test_assessment_on_step_1_and_outcome_on_review_reach_the_signed_note(
    clinic_store: Store,
) -> None:
    pr, pa = _patient(clinic_store, "Flow Patient")
    d = ready_draft(pr, PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no), day=TODAY)
    d = clinic_store.save_draft(d, actor=pr)
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        app.open_visit(d.visit_id)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))
        vs = app.screen
        await pilot.press("f2", "f8")
        await wait_for(pilot, lambda: isinstance(app.screen, AssessmentScreen))
        dlg = app.screen
        dlg.query_one("#as-complaint", Input).value = "calf cramps when running"
        dlg.query_one("#as-nprs", Input).value = "11"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentScreen)  # kept open, nothing lost
        assert "whole number from 0 to 10, not '11'" in str(dlg.query_one("#as-error").render())
        assert dlg.query_one("#as-complaint", Input).value == "calf cramps when running"
        dlg.query_one("#as-nprs", Input).value = "6"
        dlg.query_one("#as-psfs-activity", Input).value = "run 5 km"
        dlg.query_one("#as-psfs", Input).value = "2"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is vs)
        assert vs.draft.assessment.nprs_before == 6
        assert "pain 6/10" in str(vs.query_one("#assessment-summary").render())
        await pilot.press("f6")
        await pilot.pause()
        vs.query_one("#review-scroll").focus()
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, OutcomeScreen))
        app.screen.query_one("#oc-nprs", Input).value = "3"
        app.screen.query_one("#oc-psfs", Input).value = "4"
        await pilot.press("enter")  # from pain to PSFS
        await pilot.press("enter")  # saves
        await wait_for(pilot, lambda: app.screen is vs)
        assert vs.draft.outcome == Outcome(nprs_after=3, psfs_after=4)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is not vs)
        await type_text(pilot, PIN)
        await pilot.press("enter")
        await wait_for(pilot, lambda: vs.locked)
        note = vs.record.visit.note_text  # type: ignore[union-attr]
        assert "Chief complaint: calf cramps when running" in note
        assert "Pain (NPRS) after needling: 3/10 (before 6/10, change -3)" in note
        assert "Function (PSFS) re-measured: 'run 5 km' 4/10" in note
    assert practitioner_info(pr).name == "Dana Reyes"


def test_pane_puts_safety_before_coverage_and_shows_the_cash_charge() -> None:
    from decimal import Decimal

    from dntui.domain.billing import BillingSummary, Warning
    from dntui.domain.safety import SafetyWarning
    from dntui.widgets.billing_pane import render_billing

    summary = BillingSummary(
        code="20560",
        label="1-2 muscles",
        muscle_count=1,
        counting="1 muscle",
        counted=(),
        units=1,
        modifiers=(),
        charge=Decimal("60"),
        warnings=(Warning("warn", "No coverage check on file for X (patient view: c)."),),
        payer_name="Self-pay",
        patient_pays=Decimal("54.00"),
        cash_lines=("Patient pays: $54.00", "  ($60.00 less 10% cash discount)"),
    )
    safety = (SafetyWarning("warn", None, "Do not needle both sides of the thorax.", "", ("22c",)),)
    text = render_billing(summary, safety).plain
    assert text.index("thorax") < text.index("No coverage check")
    assert "Patient pays: $54.00\n  ($60.00 less 10% cash discount)" in text


async def test_a_follow_up_starts_from_the_last_assessment_without_its_scores(
    clinic_store: Store,
) -> None:
    pr, pa = _patient(clinic_store, "Follow Upton")
    first = Assessment(
        chief_complaint="neck pain",
        region="head/neck",
        nprs_before=7,
        psfs_activity="reach shelf",
        psfs_before=3,
    )
    _sign(clinic_store, pr, pa, TODAY - timedelta(days=7), assessment=first)
    app = make_app(clinic_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await _ready(pilot, app)
        vs = await start_visit(pilot)
        await type_text(pilot, "upton")
        await wait_for(pilot, lambda: vs.query_one("#patient-results").row_count == 1)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not vs.draft.assessment.empty)
        a = vs.draft.assessment
        assert (a.chief_complaint, a.region, a.psfs_activity) == (
            "neck pain",
            "head/neck",
            "reach shelf",
        )
        assert (a.nprs_before, a.psfs_before) == (None, None)  # today's scores are typed
        summary = str(vs.query_one("#assessment-summary").render())
        assert (
            summary
            == "Assessment (F8 or alt+i): neck pain · pain not scored · PSFS reach shelf not scored"
        )


async def test_day_sheet_shows_the_authorized_visits_left(clinic_store: Store) -> None:
    from dntui.screens.daysheet import DaySheetScreen

    pr, pa = _patient(clinic_store, "Day Sheet Auth")
    clinic_store.record_coverage(
        pa.id,
        Coverage(
            payer="commercial",
            verified_on=TODAY - timedelta(days=10),
            visits_authorized=6,
            starts=TODAY - timedelta(days=10),
            ends=TODAY + timedelta(days=50),
        ),
        actor=pr,
    )
    _sign(clinic_store, pr, pa, TODAY - timedelta(days=3))
    _sign(clinic_store, pr, pa, TODAY)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot, app)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, DaySheetScreen))
        screen = app.screen
        table: Any = screen.query_one("#ds-visits")
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[-1] == "4 of 6"
        detail = str(screen.query_one("#ds-warnings").render())
        assert "4 of 6 authorized visits left (to 2026-05-05)" in detail


async def test_coverage_from_the_palette_in_a_visit_updates_the_pane(clinic_store: Store) -> None:
    pr, pa = _patient(clinic_store, "Palette Patient")
    d = ready_draft(pr, PatientInfo(pa.id, pa.name, pa.date_of_birth, pa.chart_no), day=TODAY)
    d = clinic_store.save_draft(d, actor=pr)
    app = make_app(clinic_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(pilot, app)
        app.open_visit(d.visit_id)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))
        await pilot.pause()
        vs = app.screen
        pane = vs.query_one(BillingPane)
        await wait_for(pilot, lambda: "No coverage check on file" in pane.plain)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await type_text(pilot, "coverage")

        def found() -> bool:
            hits = app.screen.query_one(CommandList)
            return hits.option_count > 0 and "Coverage and authorization" in str(
                hits.get_option_at_index(0).prompt
            )

        await wait_for(pilot, found)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CoverageScreen))
        await pilot.pause()
        form = app.screen
        assert form.query_one("#cv-payer").value == "commercial"  # type: ignore[attr-defined]
        form.query_one("#cv-visits", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "Authorized visit 1 of 3." in " ".join(pane.plain.split()))
        assert "No coverage check" not in pane.plain
