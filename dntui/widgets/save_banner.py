"""The red line at the top of a visit whose draft is saved nowhere (disk full, database gone)."""

from __future__ import annotations

from dntui.ui.plain import Plain


class SaveBanner(Plain):
    """Hidden while the draft is safe; ``warn(text)`` shows it, ``clear()`` hides it."""

    DEFAULT_CSS = """
    SaveBanner {
        display: none;
        height: auto;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
    }
    SaveBanner.-shown { display: block; }
    """

    def warn(self, text: str) -> None:
        self.update(text)
        self.add_class("-shown")

    def clear(self) -> None:
        self.remove_class("-shown")
        self.update("")

    @property
    def shown(self) -> bool:
        return self.has_class("-shown")
