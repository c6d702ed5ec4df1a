"""Below 80x24 the screens do not fit: one clear notice instead of a broken layout.

The notice covers the whole screen (an overlay above every widget) while the
terminal is smaller than 80 columns or 24 rows, and goes away when it is
resized back. Nothing underneath changes: a visit in progress keeps its fields.
"""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 80
MIN_HEIGHT = 24


def too_small(width: int, height: int) -> bool:
    return width < MIN_WIDTH or height < MIN_HEIGHT


class SizeNotice(Static):
    """Please enlarge the window: shown over the current screen while it is too small."""

    DEFAULT_CSS = """
    SizeNotice {
        overlay: screen;
        dock: top;
        width: 100%;
        height: 100%;
        background: $background;
        color: $text;
        content-align: center middle;
        text-align: center;
        text-style: bold;
    }
    """

    def __init__(self, width: int, height: int) -> None:
        super().__init__(self.message(width, height), markup=False)

    @staticmethod
    def message(width: int, height: int) -> str:
        return (
            f"dntui needs a window of at least {MIN_WIDTH}x{MIN_HEIGHT}.\n"
            f"This one is {width}x{height}: please enlarge it.\n"
            "Nothing is lost: the screen comes back as it was."
        )

    def resized(self, width: int, height: int) -> None:
        self.update(self.message(width, height))
