"""Database gone mid-visit: the draft is kept locally, the user is told, and nothing is lost."""

from __future__ import annotations

import json
from datetime import date

import pytest
from app_support import TODAY, make_app, start_visit, wait_for

from dntui.dialogs.confirm import ConfirmScreen
from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, VisitDraft
from dntui.screens import visit as visit_module
from dntui.screens.visit import VisitScreen, backup_path
from dntui.store.errors import StoreError
from dntui.store.repo import Store


@pytest.fixture
def store(clinic_store: Store) -> Store:
    return clinic_store


async def test_lost_database_keeps_the_draft_locally_and_saves_when_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(visit_module, "RETRY_DELAY", 0.2)
    real_save = Store.save_draft
    down = True

    def flaky_save(self: Store, draft: VisitDraft, *, actor):  # type: ignore[no-untyped-def]
        if down:
            raise StoreError("cannot reach the database server at postgresql://clinic/dntui")
        return real_save(self, draft, actor=actor)

    monkeypatch.setattr(Store, "save_draft", flaky_save)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        vs = await start_visit(pilot)
        patient = store.add_patient("Ada Park", date(1980, 1, 2), actor=app.practitioner)  # type: ignore[arg-type]
        vs.query_one("#patient").set_patient(patient)  # type: ignore[attr-defined]
        await wait_for(
            pilot, lambda: any("kept locally" in n.message for n in app._notifications)
        )  # the autosave (after its debounce) failed and said so
        assert vs.dirty
        saved = json.loads(backup_path(vs.draft).read_text())
        assert saved["patient"]["name"] == "Ada Park"
        assert oct(backup_path(vs.draft).stat().st_mode & 0o777) == "0o600"
        down = False
        await wait_for(pilot, lambda: not vs.dirty)  # the retry runs
        assert not vs.dirty
        assert vs.draft.visit_id is not None
        assert not list(backup_path(vs.draft).parent.glob("*.json"))
    assert store.load(vs.draft.visit_id).draft.patient.name == "Ada Park"


async def test_backup_left_by_a_crash_is_offered_at_start(store: Store) -> None:
    p = store.find_practitioner("Dana Reyes")
    assert p is not None
    patient = store.add_patient("Cleo Dunn", date(1990, 5, 5), actor=p)
    draft = VisitDraft(
        visit_date=TODAY,
        practitioner=PractitionerInfo(p.id, p.name, p.credentials),
        patient=PatientInfo(patient.id, patient.name, patient.date_of_birth, patient.chart_no),
        muscles=[MuscleEntry("gastrocnemius")],
        step="muscles",
    )
    path = backup_path(draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(draft.to_dict()))
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, VisitScreen))
        vs = app.screen
        assert isinstance(vs, VisitScreen)
        assert vs.draft.muscles[0].muscle_id == "gastrocnemius"
        await wait_for(pilot, lambda: not vs.dirty)  # restored, then saved in a thread
        assert vs.draft.visit_id is not None
    assert not path.exists()
    rows = store.visit_rows(status="draft")
    assert [r.patient_name for r in rows] == ["Cleo Dunn"]


def test_two_unsaved_new_visits_keep_separate_backups() -> None:
    first = VisitDraft(visit_date=TODAY, practitioner=PractitionerInfo(1, "Dana Reyes", "PT"))
    second = VisitDraft(visit_date=TODAY, practitioner=PractitionerInfo(1, "Dana Reyes", "PT"))
    assert backup_path(first) != backup_path(second)
    again = VisitDraft.from_dict(first.to_dict())
    assert backup_path(again) == backup_path(first)  # the same draft keeps its file
