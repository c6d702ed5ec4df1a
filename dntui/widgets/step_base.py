"""Shared base of the visit steps: access to the draft and the change signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

from dntui.domain.visit import VisitDraft

if TYPE_CHECKING:
    from dntui.screens.visit import VisitScreen


class Step(Vertical):
    """One step of the visit flow. ``enter()`` runs each time the step is shown."""

    DEFAULT_CSS = """
    Step { height: 1fr; }
    """

    @property
    def visit_screen(self) -> VisitScreen:
        from dntui.screens.visit import VisitScreen

        screen = self.screen
        assert isinstance(screen, VisitScreen)
        return screen

    @property
    def draft(self) -> VisitDraft:
        return self.visit_screen.draft

    def changed(self) -> None:
        self.visit_screen.changed()

    def enter(self) -> None:
        """Focus the step's first field (override)."""
