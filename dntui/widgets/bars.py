"""Horizontal bars drawn with block characters: legible in monochrome (NO_COLOR),
over SSH and at 80 columns. Pure text: the caller puts the lines in a widget."""

from __future__ import annotations

from collections.abc import Sequence

_EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"


def bar(value: float, top: float, width: int) -> str:
    """A bar ``width`` cells long at ``top``, in eighths of a cell; "" for 0.

    A value above zero always shows at least one eighth, so a small count is
    never mistaken for none."""
    if value <= 0 or top <= 0 or width <= 0:
        return ""
    eighths = max(1, round(min(value, top) / top * width * 8))
    full, rest = divmod(eighths, 8)
    return FULL * full + (_EIGHTHS[rest] if rest else "")


def bar_lines(rows: Sequence[tuple[str, float, str]], width: int) -> list[str]:
    """One line per (label, value, value text): label, bar, value text, aligned."""
    if not rows:
        return []
    label_w = max(len(label) for label, _, _ in rows)
    value_w = max(len(text) for _, _, text in rows)
    bar_w = max(4, width - label_w - value_w - 2)
    top = max(value for _, value, _ in rows)
    return [
        f"{label:<{label_w}} {bar(value, top, bar_w):<{bar_w}} {text:>{value_w}}"
        for label, value, text in rows
    ]
