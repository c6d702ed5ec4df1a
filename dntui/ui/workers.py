"""The body of dntui's thread workers: read off the UI thread, hand the answer back.

Screens start an exclusive thread worker per load (a newer query cancels the older
worker); ``answer_from_thread`` is what each such worker does, so that a stale answer is
never shown and a database error is one line, never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from textual.widget import Widget
from textual.worker import get_current_worker

from dntui.domain.errors import DntuiError

T = TypeVar("T")


def answer_from_thread(
    widget: Widget,
    fetch: Callable[[], T],
    show: Callable[[T], object],
    failed: Callable[[str], object] | None = None,
) -> None:
    """Inside a thread worker: ``fetch()``, then ``show(result)`` on the UI thread.

    Nothing is shown once the worker is cancelled (a newer load replaced it: its answer
    is stale). A ``DntuiError`` goes to ``failed(message)``, by default an error
    notification on ``widget``.
    """
    worker = get_current_worker()
    try:
        result = fetch()
    except DntuiError as exc:
        if not worker.is_cancelled:
            report = failed or partial(widget.notify, severity="error")
            widget.app.call_from_thread(report, str(exc))
        return
    if not worker.is_cancelled:
        widget.app.call_from_thread(show, result)
