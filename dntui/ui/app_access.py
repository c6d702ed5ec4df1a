"""Typed access to the dntui app from any widget or screen.

``self.app`` is typed as Textual's ``App``; ``self.dntui`` is the same object
typed as ``DntuiApp`` (imported for the type checker only, so no module below
the app imports it at run time). Mix it in after the Textual base class, so CSS
type selectors still see the Textual classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

if TYPE_CHECKING:
    from textual.app import App

    from dntui.app import DntuiApp


class _HasApp(Protocol):
    @property
    def app(self) -> App[Any]: ...


class AppAccess:
    """Mixin for widgets and screens of dntui: ``self.dntui`` is the typed app."""

    @property
    def dntui(self: _HasApp) -> DntuiApp:
        return cast("DntuiApp", self.app)
