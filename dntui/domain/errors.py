"""Errors that carry a message fit to show a user as one line."""

from __future__ import annotations

from pathlib import Path


class DntuiError(Exception):
    """Base for errors whose ``str()`` is a complete, user-facing sentence."""


class ConfigError(DntuiError):
    """A settings or fee-schedule file that cannot be used. ``str()`` names the file."""

    def __init__(self, path: Path | str | None, message: str) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        where = f"{self.path}: " if self.path is not None else ""
        super().__init__(f"{where}{message}")
