"""Static text without markup, and without control characters: for anything that
may contain user or catalog text.

Textual parses ``[...]`` in a Static as markup; source keys like "[23]" and
notes typed by a practitioner must show as typed and never break rendering.
A name stored with ``ESC [ 2 J`` or an OSC sequence must never reach the
terminal as a command (dntui.domain.text): ``Plain``, ``plain_cell`` and
``PlainTable`` pass every string and Rich ``Text`` through ``terminal_safe``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.widgets import DataTable, Static

from dntui.domain.text import has_control, terminal_safe


def safe_renderable(value: Any) -> Any:
    """``value`` with control characters removed: a str, or a Rich Text (styles kept)."""
    if isinstance(value, str):
        return terminal_safe(value)
    if isinstance(value, Text) and has_control(value.plain):
        cuts = sorted({0, len(value.plain), *(x for s in value.spans for x in (s.start, s.end))})
        out = Text(style=value.style, justify=value.justify, no_wrap=value.no_wrap)
        for piece in value.divide(cuts):
            clean = Text(terminal_safe(piece.plain))
            for span in piece.spans:
                if span.end > span.start:
                    clean.stylize(span.style, 0, len(clean))
            out.append_text(clean)
        return out
    return value


class Plain(Static):
    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(safe_renderable(content), **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(safe_renderable(content), layout=layout)


def plain_cell(value: Any) -> Any:
    """A string shown as typed: text with "[" would be read as markup (and may crash);
    control characters are removed (never sent to the terminal)."""
    value = safe_renderable(value)
    return Text(value) if isinstance(value, str) and "[" in value else value


class PlainTable(DataTable):  # type: ignore[type-arg]
    """A DataTable whose string cells (patient names, notes) are never parsed as markup.

    Rows arrive from thread workers after the first frame. Textual's DataTable widens
    its columns on idle but keeps the header drawn for the old widths in its render
    caches (keyed on an update counter the widening does not move): the counter is
    moved here, so the header is drawn again (the day sheet, dashboard and start
    screen showed a header narrower than their rows)."""

    async def _on_idle(self, event: events.Idle) -> None:
        pending = self._require_update_dimensions or bool(self._updated_cells)
        await super()._on_idle(event)
        if pending:
            self._update_count += 1
            self.refresh()

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(plain_cell(c) for c in cells), **kwargs)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, **kwargs: Any) -> None:
        super().update_cell(row_key, column_key, plain_cell(value), **kwargs)
