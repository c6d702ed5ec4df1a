"""Shared helpers for the app tests (the tests folder is not a package: import by name)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from typing import Any

from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.store.repo import Store

TODAY = date(2026, 3, 16)  # a Monday; the app under test never reads the real clock for dates
NOW = datetime(2026, 3, 16, 10, 30, tzinfo=UTC)  # the app's clock under test
PIN = "2468"  # the signing PIN of "Dana Reyes" in the clinic_store fixture
KEY_NAMES = {" ": "space", "-": "minus", "/": "slash", ".": "full_stop", ",": "comma"}


def make_app(
    store: Store,
    *,
    practitioner: str | None = "Dana Reyes",
    today: date = TODAY,
    **settings: Any,
) -> DntuiApp:
    """The real app on ``store``, a fixed today, and ``Settings(**settings)``."""
    return DntuiApp(
        store=store,
        settings=Settings(**settings),
        practitioner_name=practitioner,
        today=lambda: today,
        clock=lambda: NOW,
    )


async def type_text(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Press the keys of ``text`` one by one, as a person types."""
    await pilot.press(*[KEY_NAMES.get(ch, ch) for ch in text])


async def start_visit(pilot):  # type: ignore[no-untyped-def]
    """From the start screen, begin a new visit (key n) and return its screen."""
    from dntui.screens.visit import VisitScreen

    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, VisitScreen)
    return screen


#: Seconds a test waits for work done in threads or on timers: generous, for a machine
#: whose cores are busy with other work (tests wait for conditions, never fixed times).
DEADLINE = 30.0


async def wait_for(pilot, condition, timeout: float = DEADLINE, what: str = "") -> None:  # type: ignore[no-untyped-def]
    """Wait until ``condition()`` holds (work done in threads), checking every 20 ms."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"{what or 'condition'} never became true in {timeout:.0f} s")
        await pilot.pause(0.02)


async def open_visit(pilot, visit_id: int):  # type: ignore[no-untyped-def]
    """Open a stored visit (as Enter on its row does) and return its screen, once its
    billing pane is mounted (the visit screen is built in steps)."""
    from dntui.screens.visit import VisitScreen
    from dntui.widgets.billing_pane import BillingPane

    app = pilot.app
    await pilot.pause()
    app.open_visit(visit_id)
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, VisitScreen) and bool(app.screen.query(BillingPane)),
        what=f"visit {visit_id} open",
    )
    return app.screen


async def practitioner_form(pilot):  # type: ignore[no-untyped-def]
    """The practitioner form on top and ready: its credential list has its value and a
    field has the focus (a key typed before that is lost: a CI run saved the profile under
    another name than the one typed).

    Until the Select has mounted, its value is blank and a save is refused ("credentials
    must be one of ..."): on a busy machine one pause is not always enough."""
    from textual.widgets import Select

    from dntui.screens.practitioner import NewPractitionerScreen

    app = pilot.app

    def ready() -> bool:
        screen = app.screen
        if not isinstance(screen, NewPractitionerScreen):
            return False
        found = screen.query("#p-cred")
        # Mounted (the credential list has its value), the name focused (keys land there).
        return (
            bool(found)
            and not found.only_one(Select).is_blank()
            and screen.focused is not None
            and screen.focused.id == "p-name"
        )

    await wait_for(pilot, ready, what="the practitioner form")
    return app.screen


async def tab_through_form(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """Tab once around the dialog on top, from its first field: each field must come into
    sight whole, clear of the dialog's docked title, error line and buttons (the dialog
    scrolls it there after the next refresh: waited for). Returns the focus order by id
    (the fields, then the buttons)."""
    from textual.widget import Widget

    dialog = pilot.app.screen
    form = dialog.query_one(".dialog")

    def docked_parts() -> list[Widget]:
        return [c for c in form.children if c.display and c.styles.dock != "none"]

    def in_sight(field: Widget) -> bool:
        """Drawn whole where nothing covers it (read live: the layout may settle)."""
        box, region, parts = form.content_region, field.region, docked_parts()
        if region.height == 0:
            return False
        if any(field in part.query("*") for part in parts):  # a button: always drawn
            return box.y <= region.y and region.bottom <= box.bottom
        drawn = [p for p in parts if p.region.height]
        top = max([box.y, *(p.region.bottom for p in drawn if p.styles.dock == "top")])
        bottom = min([box.bottom, *(p.region.y for p in drawn if p.styles.dock == "bottom")])
        return top <= region.y and region.bottom <= bottom

    order: list[str] = []
    first: Widget | None = None
    start = next(w for w in dialog.focus_chain if not w.has_class("dialog"))
    start.focus()
    await pilot.pause()
    for _ in range(40):
        focused = dialog.focused
        assert focused is not None
        if focused is first:
            break
        first = first or focused
        if not focused.has_class("dialog"):
            order.append(focused.id or type(focused).__name__)
            await wait_for(
                pilot, lambda f=focused: in_sight(f), what=f"{order[-1]} in sight, whole"
            )
        await pilot.press("tab")
        await pilot.pause()
    return order
