"""Static text without markup: for anything that may contain user or catalog text.

Textual parses ``[...]`` in a Static as markup; source keys like "[23]" and
notes typed by a practitioner must show as typed and never break rendering.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Static


class Plain(Static):
    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(content, **kwargs)


def plain_cell(value: Any) -> Any:
    """A string shown as typed: text with "[" would be read as markup (and may crash)."""
    from rich.text import Text

    return Text(value) if isinstance(value, str) and "[" in value else value


class PlainTable(DataTable):  # type: ignore[type-arg]
    """A DataTable whose string cells (patient names, notes) are never parsed as markup."""

    def add_row(self, *cells: Any, **kwargs: Any) -> Any:
        return super().add_row(*(plain_cell(c) for c in cells), **kwargs)
