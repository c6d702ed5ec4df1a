"""Times on screen: always in the local time zone, from the UTC times the store keeps."""

from __future__ import annotations

from datetime import UTC, datetime


def local_time(at: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``at`` in local time; a naive time is UTC (SQLite returns stored times naive)."""
    if at is None:
        return ""
    try:
        aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
        return aware.astimezone().strftime(fmt)
    except (AttributeError, ValueError, OSError):
        return str(at)
