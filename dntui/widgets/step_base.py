"""Shared base of the visit steps: read the draft, talk to the visit screen in messages.

A step edits the draft (plain data owned by the screen that holds it) and posts
``Step.Changed``; sign, void and addendum are requests (``SignRequested``,
``VoidRequested``, ``AddendumRequested``) that the screen carries out. A step
never sets the screen's attributes, and never imports the screen: it sees it
through the ``VisitHost`` protocol.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

from textual.containers import Vertical
from textual.message import Message

from dntui.domain.visit import VisitDraft
from dntui.ui.app_access import AppAccess

if TYPE_CHECKING:
    from dntui.domain.billing import BillingSummary
    from dntui.domain.fees import FeeSchedule
    from dntui.domain.screening import ScreeningResult
    from dntui.store.repo import VisitRecord


@runtime_checkable
class VisitHost(Protocol):
    """What a step may read from the screen that holds it."""

    @property
    def draft(self) -> VisitDraft: ...

    @property
    def record(self) -> VisitRecord | None: ...

    @property
    def locked(self) -> bool: ...

    @property
    def fee_schedule(self) -> FeeSchedule: ...

    def summary(self) -> BillingSummary: ...

    def screening_result(self) -> ScreeningResult: ...

    def author_name(self, practitioner_id: int) -> str: ...


class Step(Vertical, AppAccess):
    """One step of the visit flow. ``enter()`` runs each time the step is shown."""

    DEFAULT_CSS = """
    Step { height: 1fr; }
    """

    class Changed(Message):
        """The step changed the draft."""

    class NextRequested(Message):
        """Go on to the next step."""

    class SignRequested(Message):
        """Sign the visit (the screen asks for the PIN)."""

    class VoidRequested(Message):
        """Mark the visit entered in error (the screen asks for the reason and the PIN)."""

    class AddendumRequested(Message):
        """Add an addendum to the signed visit."""

    @property
    def host(self) -> VisitHost:
        screen = self.screen
        assert isinstance(screen, VisitHost)
        return screen

    @property
    def draft(self) -> VisitDraft:
        return self.host.draft

    def changed(self) -> None:
        self.post_message(self.Changed())

    def enter(self) -> None:
        """Focus the step's first field (override)."""

    def refresh_view(self) -> None:
        """Redraw from the draft after the screen's state changed (override)."""
