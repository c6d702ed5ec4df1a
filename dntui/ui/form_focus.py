"""Tab through a dialog taller than the terminal: every field, in order, in sight.

A dialog (``.dialog``) scrolls its fields under a title docked at the top and an error
line and buttons docked at the bottom. Textual orders focus by where widgets are drawn,
so the pinned buttons came before the fields still below them (at 80x24 Tab jumped
from the certification date of the practitioner form to Save, past the PIN), and a
field brought into view could stop under the buttons. A FormScreen puts what is docked
last in the focus order and scrolls the focused field clear of the docked parts.
"""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import ModalScreen
from textual.widget import Widget

ResultT = TypeVar("ResultT")


def _inside(widget: Widget, docked: bool = True, overlay: bool = False) -> bool:
    """Inside something docked in its dialog (the buttons), or in an overlay (a Select's
    open list: it keeps its place in the focus order, next to its Select)."""
    for node in widget.ancestors_with_self:
        if not isinstance(node, Widget) or node.has_class("dialog"):
            return False
        if (docked and node.styles.dock != "none") or (overlay and node.styles.overlay == "screen"):
            return True
    return False


class FormScreen(ModalScreen[ResultT]):
    """A modal screen whose form is a ``.dialog`` with docked parts."""

    @property
    def focus_chain(self) -> list[Widget]:
        chain = super().focus_chain
        docked = [w for w in chain if _inside(w)]
        return [w for w in chain if w not in docked] + docked

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.call_after_refresh(self._keep_in_view, event.widget)

    def _keep_in_view(self, widget: Widget) -> None:
        if not widget.is_mounted or widget is not self.focused or _inside(widget, overlay=True):
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
