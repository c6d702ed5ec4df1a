"""Progress of long command-line work on stderr.

On a terminal, a Rich progress bar with the counts, the elapsed time and an
estimate of the time left; anywhere else (a pipe, a log file, cron) nothing
while it runs and at most one summary line at the end, so logs stay readable.
Rich comes with Textual; it is imported only when a bar is drawn.

The work itself reports through a plain callable ``(done, total)`` (or
``(done, total, what)``), so the store and export code know nothing of
terminals.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import IO, Any


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class CliProgress:
    """``with CliProgress("Exporting", unit="visits") as p: work(progress=p.update)``.

    ``summary``: the line written at the end when ``stream`` is not a terminal
    (``{done}``, ``{unit}`` and ``{seconds}`` are filled in); None for none.
    Nothing at all is written when ``update`` was never called (no work to do).
    """

    def __init__(
        self,
        label: str,
        *,
        unit: str = "rows",
        stream: IO[str] | None = None,
        summary: str | None = "{label}: {done:,} {unit} in {seconds:.1f} s",
        bar: bool | None = None,
    ) -> None:
        self.label = label
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.summary = summary
        self.bar = is_terminal(self.stream) if bar is None else bar
        self.done = 0
        self.total: int | None = None
        self._t0 = time.monotonic()
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> CliProgress:
        self._t0 = time.monotonic()
        return self

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn(self.unit),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(file=self.stream, stderr=self.stream is sys.stderr),
            refresh_per_second=5,
        )
        self._progress.start()
        self._task = self._progress.add_task(self.label, total=self.total)

    def update(self, done: int, total: int | None = None, what: str | None = None) -> None:
        self.done = done
        if total is not None:
            self.total = total
        if not self.bar:
            return
        if self._progress is None:
            self._start()
        fields: dict[str, Any] = {"completed": done, "total": self.total}
        if what:
            fields["description"] = f"{self.label}: {what}"
        self._progress.update(self._task, **fields)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self._t0

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            if exc_type is None:
                self._progress.update(self._task, description=self.label)
            self._progress.stop()
        elif exc_type is None and not self.bar and self.summary and self.total is not None:
            print(
                self.summary.format(
                    label=self.label, done=self.done, unit=self.unit, seconds=self.seconds
                ),
                file=self.stream,
            )
