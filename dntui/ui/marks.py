"""Check boxes and radio buttons whose state reads without colour.

Textual draws both states with the same glyph and tells them apart by colour
alone (invisible under ``NO_COLOR`` or on a monochrome terminal). These show a
mark: ``[x]`` / ``[ ]`` for a check box, ``(•)`` / ``( )`` for a radio choice.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class MarkCheckbox(Checkbox):
    """A check box drawn ``[x]`` when ticked and ``[ ]`` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("[", style), ("x" if self.value else " ", style), ("]", style))


class MarkRadioButton(RadioButton):
    """A radio choice drawn ``(•)`` when chosen and ``( )`` when not."""

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.assemble(("(", style), ("•" if self.value else " ", style), (")", style))
