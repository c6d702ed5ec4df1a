"""Who signed, what went wrong, what the patient agreed to (issue: a note a board accepts)."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from app_support import TODAY, make_app, practitioner_form, start_visit, type_text, wait_for
from builders import ready_draft, record_of
from sqlmodel import Session, select

from dntui.clinic_files import load_fee_schedule
from dntui.dialogs.adverse_event import AdverseEventScreen
from dntui.dialogs.pin import PinScreen
from dntui.domain import billing, screening
from dntui.domain.consent import CONSENT_VERSION
from dntui.domain.note import NO_INJECTION, render_note
from dntui.domain.visit import (
    Answer,
    Consent,
    MuscleEntry,
    PatientInfo,
    PractitionerInfo,
    ScreeningAnswer,
    Side,
    Twitch,
    VisitDraft,
)
from dntui.screens.lock import LockScreen
from dntui.screens.visit import VisitScreen
from dntui.store.models import Addendum, Practitioner, PractitionerSecret
from dntui.store.repo import Store

PIN = "Zq9-unique-pin"


@pytest.fixture
def store(empty_store: Store) -> Store:
    return empty_store


def signed_ready_draft(store: Store, who: Practitioner) -> VisitDraft:
    pa = store.add_patient("Ada Park", date(1980, 1, 2), actor=who)
    return ready_draft(
        who,
        pa,
        day=TODAY,
        payer="self-pay",
        dx=(),
        muscles=[MuscleEntry("upper-trapezius", Side.LEFT, 1, 1)],
        with_handout=False,
        consent_version=CONSENT_VERSION,
    )


async def test_first_run_profile_and_pin_never_stored_in_plain_text(
    store: Store, tmp_path: Path
) -> None:
    app = make_app(store, practitioner=None)
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await practitioner_form(pilot)
        for field, value in {
            "#p-name": "Dana Reyes",
            "#p-pin": PIN,
            "#p-pin2": PIN,
            "#p-licence": "PT012345",
            "#p-state": "VA",
            "#p-hours": "54",
            "#p-certdate": "2021-05-01",
        }.items():
            dialog.query_one(field).value = value  # type: ignore[attr-defined]
        dialog._save()
        assert not str(dialog.query_one("#p-error").content), dialog.query_one("#p-error").content
        await wait_for(pilot, lambda: app.practitioner is not None, what="the saved profile")
        assert app.practitioner is not None and app.practitioner.name == "Dana Reyes"
    p = store.find_practitioner("Dana Reyes")
    assert p is not None
    assert (p.licence_no, p.licence_state, p.dn_cert_hours) == ("PT012345", "VA", 54)
    assert p.dn_cert_date == date(2021, 5, 1)
    with Session(store.engine) as s:
        stored = s.get(PractitionerSecret, p.id)
    assert stored is not None
    assert stored.pin_hash.startswith("scrypt$") and PIN not in stored.pin_hash
    store.close()
    raw = b"".join(f.read_bytes() for f in (tmp_path / "data").glob("dntui.db*"))
    assert PIN.encode() not in raw


async def test_idle_lock_asks_who_is_here_and_audits(store: Store) -> None:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    store.add_practitioner("Sam Okafor", "DC", pin="555555")
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app._last_input = time.monotonic() - 61
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("escape")  # cannot be escaped
        assert isinstance(app.screen, LockScreen)
        await pilot.press("down")  # Sam
        app.screen.query_one("#lock-pin").focus()
        for ch in "0000":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        for ch in "555555":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)
        assert app.practitioner is not None and app.practitioner.name == "Sam Okafor"
    actions = [(e.action, e.actor) for e in store.audit_trail()]
    assert ("session.lock", dana.name) in actions
    assert ("pin.fail", "Sam Okafor") in actions
    assert ("session.unlock", "Sam Okafor") in actions


async def test_lock_pushed_as_the_app_quits_does_not_crash(store: Store) -> None:
    """The idle lock firing as the app quits (ctrl+q, hangup): the lock screen may be
    torn down before its widgets are mounted; that must not crash the exit. (The fuzz
    test met it on Python 3.12+ only, where its lock check ran before the lock had mounted.)"""
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.lock_now()
        app.exit(0)
    assert app.return_code == 0


async def test_lock_screen_is_ready_for_the_pin_after_one_pause(store: Store) -> None:
    """What the fuzz test relies on: after a key locks the app and one pause, the PIN
    field exists and has the focus, on every supported Python."""
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert app.screen.focused is app.screen.query_one("#lock-pin")


async def test_adverse_event_after_signing_is_a_signed_addendum(store: Store) -> None:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    draft = store.save_draft(signed_ready_draft(store, dana), actor=dana)
    store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="", note_text="n"), signer=dana
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_visit(draft.visit_id)  # type: ignore[arg-type]
        await pilot.pause()
        vs = app.screen
        assert isinstance(vs, VisitScreen) and vs.locked
        await pilot.press("f10")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdverseEventScreen)
        dialog.query_one("#ae-severity").value = "serious"  # type: ignore[attr-defined]
        dialog.query_one("#ae-kind").value = "suspected pneumothorax"  # type: ignore[attr-defined]
        dialog.query_one("#ae-time").value = "18:40"  # type: ignore[attr-defined]
        dialog.query_one("#ae-action").value = "sent to emergency department"  # type: ignore[attr-defined]
        dialog.submit()
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        for ch in PIN:
            await pilot.press({"-": "minus"}.get(ch, ch))
        await pilot.press("enter")
        await pilot.pause()
    with Session(store.engine) as s:
        addenda = s.exec(select(Addendum).where(Addendum.visit_id == draft.visit_id)).all()
    assert len(addenda) == 1
    a = addenda[0]
    assert a.kind == "adverse-event" and a.author_id == dana.id
    assert "SERIOUS" in a.text and "suspected pneumothorax" in a.text and "18:40" in a.text
    assert store.load(draft.visit_id).visit.status == "signed"  # type: ignore[arg-type]


async def test_adverse_event_before_signing_goes_into_the_note(store: Store) -> None:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        vs.draft.muscles.append(MuscleEntry("gastrocnemius", Side.LEFT, 1, 1))
        await pilot.press("f10")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, AdverseEventScreen)
        dialog.query_one("#ae-muscle").value = "Gastrocnemius (L)"  # type: ignore[attr-defined]
        dialog.query_one("#ae-time").value = "10:05"  # type: ignore[attr-defined]
        dialog.query_one("#ae-action").value = "pressure for two minutes"  # type: ignore[attr-defined]
        dialog.submit()
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        note = str(vs.query_one("#review-note").render())
    assert "10:05 · MILD · bruising · at Gastrocnemius (L)" in note
    assert dana.id is not None


def test_rendered_note_holds_every_required_element() -> None:
    """the domain notes, section 3 (sources in docs/sources.md) lists what a dry-needling note must hold."""
    visit = VisitDraft(
        visit_date=date(2026, 3, 16),
        practitioner=PractitionerInfo(1, "Dana Reyes", "PT"),
        patient=PatientInfo(1, "Ada Park", date(1980, 1, 2), "C000001"),
        payer="commercial",
        diagnosis_codes=["M79.12"],
        screening={
            **{i.id: ScreeningAnswer(Answer.NO) for i in screening.ITEMS},
            "diabetes": ScreeningAnswer(Answer.YES, "well controlled", True),
        },
        consent=Consent(True, "written", CONSENT_VERSION, "2026-03-16T09:00:00Z"),
        muscles=[
            MuscleEntry(
                "upper-trapezius",
                Side.BILATERAL,
                2,
                2,
                twitch=Twitch.YES,
                depth_mm=15,
                needle="0.25 x 30 mm",
                estim=True,
            ),
            MuscleEntry("levator-scapulae", Side.LEFT, 1, 1),
        ],
        instructions="Drink water.",
        adverse_events=[
            {"time": "10:05", "severity": "mild", "kind": "bruising", "muscle": "", "action": ""}
        ],
    )
    summary = billing.summarize(visit, load_fee_schedule())
    result = screening.evaluate(
        visit.screening, visit.consent, [m.muscle_id for m in visit.muscles]
    )
    note = render_note(
        visit, summary, result, signed="Dana Reyes, PT, 2026-03-16 10:30 UTC", status="signed"
    )
    for required in (
        "Ada Park",
        "C000001",
        "1980-01-02",
        "2026-03-16",
        "Dana Reyes, PT",
        "M79.12",
        "Diabetes?",
        "well controlled",
        "Informed consent for dry needling given (written",
        CONSENT_VERSION,
        "Upper trapezius (left and right)",
        "Levator scapulae (left)",
        "needle 0.25 x 30 mm",
        "depth 15 mm",
        "electrical stimulation",
        "twitch: yes",
        "Needles in: 3; needles out: 3",
        NO_INJECTION,
        "bruising",
        "20561",
        "Muscle count 3",
        "Drink water.",
        "SIGNED: Dana Reyes, PT, 2026-03-16 10:30 UTC",
    ):
        assert required in note, required


async def test_needle_size_depth_and_estim_from_keys(store: Store) -> None:
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, needles=["0.25 x 30 mm", "0.30 x 50 mm"])
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        await pilot.press("f4", "q", "l", "enter", "f8", "g", "g", "s", "d")
        await pilot.pause()
        await pilot.press("2", "0", "0", "enter")  # 200 mm is refused
        await pilot.pause()
        assert "from 1 to 150" in str(app.screen.query_one(".error").render())
        await pilot.press("backspace", "backspace", "enter")
        await pilot.pause()
        entry = vs.draft.muscles[0]
    assert entry.muscle_id == "quadratus-lumborum"
    assert (entry.needle, entry.depth_mm, entry.estim) == ("0.30 x 50 mm", 2, True)


async def test_serious_adverse_event_shows_on_day_sheet_and_patient_view(store: Store) -> None:
    from dntui.store.queries import day_sheet, patient_visits

    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    draft = store.save_draft(signed_ready_draft(store, dana), actor=dana)
    store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="", note_text="n"), signer=dana
    )
    assert not day_sheet(store, TODAY).lines[0].serious
    store.add_addendum(
        draft.visit_id,  # type: ignore[arg-type]
        author=dana,
        text="18:40 · SERIOUS · suspected pneumothorax",
        reason="adverse event (serious)",
        kind="adverse-event",
    )
    assert day_sheet(store, TODAY).lines[0].serious
    assert patient_visits(store, draft.patient.id)[0].serious  # type: ignore[arg-type]
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        summary = str(app.screen.query_one("#ds-summary").render())
        assert "SERIOUS ADVERSE EVENT on visit" in summary


async def test_command_palette_cannot_open_screens_over_the_lock(store: Store) -> None:
    store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    app = make_app(store, idle_lock_minutes=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)


async def test_only_the_visits_practitioner_can_sign_it(store: Store) -> None:
    from dntui.store.errors import LockedError

    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    sam = store.add_practitioner("Sam Okafor", "DC", pin="555555")
    draft = store.save_draft(signed_ready_draft(store, dana), actor=dana)
    with pytest.raises(LockedError, match="Dana Reyes's"):
        store.sign(
            record_of(draft, code="20560", muscle_count=1, charge="", note_text="n"), signer=sam
        )
    app = make_app(store, practitioner="Sam Okafor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_visit(draft.visit_id)  # type: ignore[arg-type]
        await pilot.pause()
        await pilot.press("f6", "s")
        await pilot.pause()
        assert not isinstance(app.screen, PinScreen)  # refused before any PIN is asked
    refused = [e for e in store.audit_trail() if e.action == "visit.sign-refused"]
    assert refused and "Dana Reyes's" in refused[0].detail
    assert store.load(draft.visit_id).visit.status == "draft"  # type: ignore[arg-type]


async def test_entered_in_error_needs_the_pin(store: Store) -> None:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    draft = store.save_draft(signed_ready_draft(store, dana), actor=dana)
    store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="", note_text="n"), signer=dana
    )
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_visit(draft.visit_id)  # type: ignore[arg-type]
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#reason").value = "wrong patient"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PinScreen)
        for ch in "9999":
            await pilot.press(ch)
        await pilot.press("enter")
        await pilot.pause()
        assert store.load(draft.visit_id).visit.status == "signed"  # type: ignore[arg-type]
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("#reason").value = "wrong patient"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        for ch in PIN:
            await pilot.press({"-": "minus"}.get(ch, ch))
        await pilot.press("enter")
        await wait_for(  # the store writes in a thread
            pilot,
            lambda: store.load(draft.visit_id).visit.status == "entered-in-error",  # type: ignore[arg-type]
            what="the visit entered in error",
        )
    assert store.load(draft.visit_id).visit.status == "entered-in-error"  # type: ignore[arg-type]


async def test_credentials_are_picked_from_the_fixed_list_with_the_acupuncture_flags(
    store: Store,
) -> None:
    """The form offers the fixed list only (PT ... LAc) and the two acupuncture flags
    that Medicare eligibility depends on (NCD 30.3.3): an NP with both is stored so."""
    from textual.widgets import Select

    from dntui.domain.credentials import Credential

    app = make_app(store, practitioner=None)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await practitioner_form(pilot)
        select = dialog.query_one("#p-cred", Select)
        assert [v for _, v in select._options] == [c.value for c in Credential]
        await type_text(pilot, "Nia Brooks")
        await pilot.press("tab", "enter")  # open the list
        await pilot.press(*["down"] * [c.value for c in Credential].index("NP"), "enter")
        await wait_for(pilot, lambda: select.value == "NP", what="NP chosen")
        await pilot.press("tab", "space", "tab", "space")  # licensed; master's/doctorate
        for field in ("#p-pin", "#p-pin2"):
            dialog.query_one(field).value = "246810"  # type: ignore[attr-defined]
        dialog._save()
        await wait_for(pilot, lambda: app.practitioner is not None, what="the saved profile")
    p = store.find_practitioner("Nia Brooks")
    assert p is not None
    assert (p.credentials, p.acupuncture_licensed, p.acupuncture_degree) == ("NP", True, True)


async def test_tab_reaches_every_field_before_the_buttons_and_shows_it_at_80x24(
    store: Store,
) -> None:
    """The form is taller than 24 rows: Tab goes through every field in order, the PIN
    fields before Save and Cancel (the buttons stay pinned at the bottom, and were
    reached first), and each field is scrolled into sight, not left under the buttons."""
    from app_support import tab_through_form

    app = make_app(store, practitioner=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await practitioner_form(pilot)
        order = await tab_through_form(pilot)
        assert order == [
            "p-name",
            "p-cred",
            "p-acu",
            "p-acu-degree",
            "p-licence",
            "p-state",
            "p-hours",
            "p-certdate",
            "p-pin",
            "p-pin2",
            "p-save",
            "p-cancel",
        ]
