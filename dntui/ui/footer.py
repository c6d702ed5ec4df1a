"""A Footer that is composed again only when what it shows changes.

Textual's ``Footer`` recomposes (a layout refresh) every time its screen publishes
``bindings_updated``: on each focus change and each push or pop of any screen,
even when its keys stay the same. Under a modal dialog a layout refresh of the
screen below makes Textual redraw the whole terminal, so a start screen with the
practitioner picker above it sent the full frame three or four times in its first
second (issue 16, ``bench/bench_interactive.py``). This footer compares the keys it
would show with those it shows and skips the recompose when they are equal.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class SteadyFooter(Footer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        # Footer draws its keys only after the first bindings signal (a layout refresh
        # after the first frame); the keys are known when it is composed: draw them then.
        self._bindings_ready = True

    def _keys(self) -> tuple[object, ...]:
        """What ``Footer.compose`` draws from: each shown binding, its state and tooltip."""
        app = self.app
        return (
            self.show_command_palette,
            self.compact,
            tuple(
                (binding.key, app.get_key_display(binding), binding.description,
                 binding.action, binding.group, enabled, tooltip)
                for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
                if binding.show or binding.action == "command_palette"
            ),
        )  # fmt: skip

    def bindings_changed(self, screen: Screen[Any]) -> None:
        if (
            self._shown is not None
            and self.is_attached
            and screen is self.screen
            and self._keys() == self._shown
        ):
            return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._keys()
        yield from super().compose()
