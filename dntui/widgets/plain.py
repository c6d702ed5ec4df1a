"""Static text without markup: for anything that may contain user or catalog text.

Textual parses ``[...]`` in a Static as markup; source keys like "[23]" and
notes typed by a practitioner must show as typed and never break rendering.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class Plain(Static):
    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(content, **kwargs)
