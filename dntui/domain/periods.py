"""Reporting periods of the dashboard: a week (Monday to Sunday), a calendar month
or a calendar quarter, moved one step back or forward. Pure date arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

PeriodKind = Literal["week", "month", "quarter"]
KINDS: tuple[PeriodKind, ...] = ("week", "month", "quarter")


def week_start(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def _month_start(year: int, month: int) -> date:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    start: date
    end: date  # inclusive

    @classmethod
    def containing(cls, kind: PeriodKind, day: date) -> Period:
        if kind == "week":
            start = week_start(day)
            return cls(kind, start, start + timedelta(days=6))
        months = 1 if kind == "month" else 3
        first_month = day.month if kind == "month" else 3 * ((day.month - 1) // 3) + 1
        start = _month_start(day.year, first_month)
        following = _month_start(day.year, first_month + months)
        return cls(kind, start, following - timedelta(days=1))

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods later (earlier when negative)."""
        if self.kind == "week":
            return Period.containing("week", self.start + timedelta(weeks=steps))
        months = steps * (1 if self.kind == "month" else 3)
        return Period.containing(
            self.kind, _month_start(self.start.year, self.start.month + months)
        )

    def weeks(self) -> list[date]:
        """The Mondays of every week that overlaps the period."""
        out = []
        monday = week_start(self.start)
        while monday <= self.end:
            out.append(monday)
            monday += timedelta(weeks=1)
        return out

    @property
    def label(self) -> str:
        if self.kind == "week":
            return f"week of {self.start:%d %b %Y} to {self.end:%d %b}"
        if self.kind == "month":
            return f"{self.start:%B %Y}"
        return (
            f"Q{(self.start.month - 1) // 3 + 1} {self.start.year} ({self.start:%b}-{self.end:%b})"
        )
