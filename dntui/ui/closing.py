"""Closing a screen after work that took a while, without closing the wrong one.

Textual's ``Screen.dismiss`` pops the *top* screen. A screen that closes itself at
the end of slow work (the visit saving its draft on Escape, an export writing its
file) may by then have another screen above it: the idle lock, or a dialog opened
by a key typed meanwhile. Dismissing then would take that screen off instead: the
lock without its PIN, or a dialog whose caller waits for an answer that never comes.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def dismiss_when_on_top(screen: Screen[Any], result: Any = None) -> None:
    """Dismiss ``screen`` now if it is on top, else as soon as it is on top again."""
    if screen.is_active:
        screen.dismiss(result)
        return
    signal = screen.app.screen_change_signal

    def changed(current: Screen[Any]) -> None:
        if current is screen:
            signal.unsubscribe(screen)
            screen.dismiss(result)

    # Subscribed as the screen itself: the subscription ends with the screen.
    signal.subscribe(screen, changed)
