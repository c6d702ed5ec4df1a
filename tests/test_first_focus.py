"""Every screen and dialog has its field focused from the moment it is built.

A screen that focuses its field in ``on_mount`` does so through ``call_later``; until
then Textual's auto-focus has given the focus to the first focusable widget, often the
dialog's scrolling container. A key typed in between went there and was lost: a CI run
saved the practitioner "Nia Brooks" as "ia Brooks". Each screen names its field in
``AUTO_FOCUS``, so the first focus is the field and the focus never moves by itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from dntui.store.repo import Store
from tests.app_support import TODAY, make_app, wait_for


def _factories() -> dict[str, Callable[[Any], Screen[Any]]]:
    from dntui.dialogs.add_patient import AddPatientScreen
    from dntui.dialogs.addendum import AddendumScreen
    from dntui.dialogs.adverse_event import AdverseEventScreen
    from dntui.dialogs.assessment import AssessmentScreen
    from dntui.dialogs.confirm import ConfirmScreen
    from dntui.dialogs.consent import ConsentScreen
    from dntui.dialogs.coverage import CoverageForm, CoverageScreen
    from dntui.dialogs.depth import DepthScreen
    from dntui.dialogs.export import ExportScreen
    from dntui.dialogs.level import LevelScreen
    from dntui.dialogs.outcome import OutcomeScreen
    from dntui.dialogs.pin import PinScreen
    from dntui.dialogs.precaution import PrecautionScreen
    from dntui.dialogs.reason import ReasonScreen
    from dntui.dialogs.save_file import SaveFileScreen
    from dntui.dialogs.tolerance import ToleranceScreen
    from dntui.domain.assessment import Assessment, Outcome
    from dntui.screens.dashboard import DashboardScreen
    from dntui.screens.daysheet import DaySheetScreen
    from dntui.screens.history import HistoryScreen
    from dntui.screens.lock import LockScreen
    from dntui.screens.patients import PatientsScreen
    from dntui.screens.practitioner import NewPractitionerScreen, PickPractitionerScreen
    from dntui.screens.visit import VisitScreen

    return {
        "practitioner": lambda app: NewPractitionerScreen(first_run=True),
        "pick practitioner": lambda app: PickPractitionerScreen(),
        "lock": lambda app: LockScreen(5),
        "add patient": lambda app: AddPatientScreen(today=TODAY),
        "addendum": lambda app: AddendumScreen(),
        "adverse event": lambda app: AdverseEventScreen(["Upper trapezius"], "10:30"),
        "assessment": lambda app: AssessmentScreen(Assessment(), TODAY),
        "confirm": lambda app: ConfirmScreen("Go on?"),
        "consent": lambda app: ConsentScreen("Consent text.", "v1"),
        "coverage": lambda app: CoverageScreen(
            CoverageForm("Pat Doe", {"medicare": "Medicare"}, "medicare", {}, TODAY)
        ),
        "depth": lambda app: DepthScreen(None),
        "export": lambda app: ExportScreen(),
        "level": lambda app: LevelScreen("Upper trapezius", "superficial"),
        "outcome": lambda app: OutcomeScreen(Outcome(), Assessment()),
        "pin": lambda app: PinScreen("Sign"),
        "precaution": lambda app: PrecautionScreen("Pregnant?", "Help text."),
        "reason": lambda app: ReasonScreen(),
        "save file": lambda app: SaveFileScreen("Save", Path("out.csv"), lambda path: "saved"),
        "tolerance": lambda app: ToleranceScreen(),
        "history": lambda app: HistoryScreen(),
        "patients": lambda app: PatientsScreen(),
        "day sheet": lambda app: DaySheetScreen(TODAY),
        "dashboard": lambda app: DashboardScreen("month", TODAY),
        "visit": lambda app: VisitScreen.new(app),
    }


@pytest.mark.parametrize("name", sorted(_factories()))
async def test_the_first_focus_is_the_field_the_screen_settles_on(
    name: str, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(sqlite_db_url)
    store.add_practitioner("Dana Reyes", "PT", pin="246810")
    focused: list[tuple[Screen[Any], str]] = []
    original = Screen.set_focus

    def recording(self: Screen[Any], widget: Any, *args: Any, **kwargs: Any) -> Any:
        if widget is not None:
            focused.append((self, widget.id or type(widget).__name__))
        return original(self, widget, *args, **kwargs)

    monkeypatch.setattr(Screen, "set_focus", recording)
    app = make_app(store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(
                pilot,
                lambda: type(app.screen).__name__ == "StartScreen" and app.practitioner is not None,
            )
            screen = _factories()[name](app)
            app.push_screen(screen)
            await wait_for(pilot, lambda: screen.is_mounted)
            for _ in range(5):  # what on_mount queued (call_later) runs by now
                await pilot.pause()
            on_screen = [target for s, target in focused if s is screen]
            if not screen.focus_chain:  # nothing to focus (y/n): the screen's keys answer
                assert on_screen == [] and screen.focused is None
                return
            assert screen.focused is not None, "nothing was focused"
            assert on_screen[0] == (screen.focused.id or type(screen.focused).__name__), on_screen
    finally:
        store.close()
