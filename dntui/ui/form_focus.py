"""Tab through a dialog taller than the terminal: every field in order, and in sight.

A dialog (``.dialog``) scrolls its fields under a title docked at the top and an error
line and buttons docked at the bottom, so that Save and Cancel stay in view. Two things
follow from Textual's layout:

- the focus order is sorted by where widgets are drawn, and docked buttons are drawn
  above the fields still below the fold: at 80x24 Tab went from the practitioner
  form's certification date to Save, past the PIN. ``Buttons`` sorts last instead;
- Textual scrolls a focused widget into the dialog's view, which includes the rows
  the docked parts cover: a field could stay under the buttons. A ``FormScreen``
  scrolls the focused field clear of them.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget

ResultT = TypeVar("ResultT")


class Buttons(Horizontal):
    """A dialog's buttons, docked at its bottom: last in the focus order, after every
    field, wherever they are drawn."""

    @property
    def _focus_sort_key(self) -> tuple[int, int]:
        _, x = super()._focus_sort_key
        return 1 << 30, x


def _in_overlay(widget: Widget) -> bool:
    """In an overlay (a Select's open list): drawn over the form, never scrolled."""
    return any(
        isinstance(node, Widget) and node.styles.overlay == "screen"
        for node in widget.ancestors_with_self
    )


class FormScreen(ModalScreen[ResultT]):
    """A modal screen whose form is a ``.dialog`` with docked parts."""

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.call_after_refresh(self._keep_in_view, event.widget)

    def _keep_in_view(self, widget: Widget) -> None:
        if not widget.is_mounted or widget is not self.focused or _in_overlay(widget):
            return
        form = next((a for a in widget.ancestors if a.has_class("dialog")), None)
        if not isinstance(form, Widget):
            return
        parts = [c for c in form.children if c.display and c.styles.dock != "none"]
        bottom = min(
            (c.region.y for c in parts if c.styles.dock == "bottom" and c.region.height),
            default=form.content_region.bottom,
        )
        top = max(
            (c.region.bottom for c in parts if c.styles.dock == "top" and c.region.height),
            default=form.content_region.y,
        )
        region = widget.region
        if region.bottom > bottom:
            form.scroll_relative(y=region.bottom - bottom, animate=False, immediate=True)
        elif region.y < top:
            form.scroll_relative(y=region.y - top, animate=False, immediate=True)
