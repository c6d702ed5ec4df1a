"""Terminal-safe text: what may reach a terminal from a name, a note or a code.

A patient or practitioner name comes from the database, and anyone who can
write to the database can put bytes in it. Sent to a terminal as they are,
``ESC [ 2 J`` clears the screen, ``ESC ] 0 ; … BEL`` retitles the window,
``ESC ] 52 ; …`` writes the clipboard, C1 ``CSI`` (U+009B) starts the same
sequences in one character, and the bidi overrides (U+202E …) make text read
differently from what it is. :func:`terminal_safe` removes them all; every
string the app shows or prints that did not come from the program itself goes
through it. Pure Python, no Textual.
"""

from __future__ import annotations

#: Code points removed: C0 controls except tab and newline (NUL, ESC, BEL, CR…),
#: DEL, the C1 controls (U+0080-U+009F, CSI U+009B among them), and the bidi
#: embeddings, overrides, isolates and marks.
REMOVED: frozenset[int] = frozenset(
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        0x7F,
        *range(0x80, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
        0x200E,
        0x200F,
        0x061C,
    ]
)
_TABLE: dict[int, None] = dict.fromkeys(REMOVED)
_TABLE_ONE_LINE: dict[int, str | None] = {**_TABLE, 0x09: " ", 0x0A: " "}


def terminal_safe(text: str, *, one_line: bool = False) -> str:
    """``text`` without control characters; tab and newline kept (spaces if ``one_line``)."""
    return text.translate(_TABLE_ONE_LINE if one_line else _TABLE)


def has_control(text: str) -> bool:
    """True when :func:`terminal_safe` would change ``text`` (tab and newline allowed)."""
    return any(ord(ch) in REMOVED for ch in text)


def safe_value(value: object) -> object:
    """``terminal_safe`` for a string; anything else unchanged (numbers, None)."""
    return terminal_safe(value) if isinstance(value, str) else value
