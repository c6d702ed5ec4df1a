"""Pain and function over a patient's visits: the picture shown to a patient and a payer.

Each signed visit gives one ``OutcomePoint`` (NPRS before and after needling
[nprs], the PSFS item and its score [psfs]). ``trend`` sums them up in numbers:

* NPRS: the first visit's pain *before* needling against the latest visit's
  pain before needling: the lasting change, not the relief right after a session.
* PSFS: the first visit's activity, followed through the visits that name the
  same activity (case and spacing ignored): every measurement in time order (a
  visit's score before needling, then its re-measurement after, where recorded),
  the first against the latest.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.visit import VisitDraft

NOT_RECORDED: Final = "Pain and function: not recorded"


@dataclass(frozen=True)
class OutcomePoint:
    visit_date: date
    nprs_before: int | None = None
    nprs_after: int | None = None
    psfs_activity: str = ""
    psfs_before: int | None = None
    psfs_after: int | None = None

    @property
    def psfs(self) -> int | None:
        """The visit's PSFS score: re-measured after needling if recorded, else before."""
        return self.psfs_after if self.psfs_after is not None else self.psfs_before

    @classmethod
    def of(cls, draft: VisitDraft) -> OutcomePoint:
        return cls.measured(draft.visit_date, draft.assessment, draft.outcome)

    @classmethod
    def measured(cls, visit_date: date, a: Assessment, o: Outcome) -> OutcomePoint:
        """The point of a visit on ``visit_date`` with its assessment and outcome."""
        return cls(
            visit_date=visit_date,
            nprs_before=a.nprs_before,
            nprs_after=o.nprs_after,
            psfs_activity=a.psfs_activity,
            psfs_before=a.psfs_before,
            psfs_after=o.psfs_after,
        )


def _key(activity: str) -> str:
    return " ".join(activity.lower().split())


def _psfs_scores(ordered: Sequence[OutcomePoint], activity: str) -> list[int]:
    """Every measurement of ``activity`` in time order: each visit's score before
    needling, then its re-measurement after (where recorded)."""
    out: list[int] = []
    for p in ordered:
        if _key(p.psfs_activity) != _key(activity):
            continue
        out += [v for v in (p.psfs_before, p.psfs_after) if v is not None]
    return out


@dataclass(frozen=True)
class Trend:
    visits: int  # signed visits considered
    nprs_first: int | None = None
    nprs_last: int | None = None
    nprs_visits: int = 0  # visits with a pain score before needling
    psfs_activity: str = ""
    psfs_first: int | None = None
    psfs_last: int | None = None

    @property
    def nprs_change(self) -> int | None:
        if self.nprs_first is None or self.nprs_last is None:
            return None
        return self.nprs_last - self.nprs_first

    @property
    def psfs_change(self) -> int | None:
        if self.psfs_first is None or self.psfs_last is None:
            return None
        return self.psfs_last - self.psfs_first

    def text(self) -> str:
        """E.g. "NPRS 7 → 3 over 6 visits (-4); PSFS 'lift child' 3 → 7 (+4)"."""
        parts = []
        if self.nprs_first is not None and self.nprs_last is not None:
            parts.append(
                f"NPRS {self.nprs_first} → {self.nprs_last} over {self.nprs_visits} "
                f"visit{'s' if self.nprs_visits != 1 else ''} ({self.nprs_change:+d})"
            )
        if self.psfs_first is not None and self.psfs_last is not None:
            parts.append(
                f"PSFS '{self.psfs_activity}' {self.psfs_first} → {self.psfs_last} "
                f"({self.psfs_change:+d})"
            )
        return "; ".join(parts) if parts else NOT_RECORDED


def trend(points: Sequence[OutcomePoint]) -> Trend:
    """The change since the first visit; ``points`` in any order (sorted by date here)."""
    ordered = sorted(points, key=lambda p: p.visit_date)
    pains = [p.nprs_before for p in ordered if p.nprs_before is not None]
    activity = next((p.psfs_activity for p in ordered if p.psfs_activity.strip()), "")
    scores = _psfs_scores(ordered, activity) if activity else []
    return Trend(
        visits=len(ordered),
        nprs_first=pains[0] if pains else None,
        nprs_last=pains[-1] if pains else None,
        nprs_visits=len(pains),
        psfs_activity=activity.strip(),
        psfs_first=scores[0] if scores else None,
        psfs_last=scores[-1] if scores else None,
    )


def series(points: Sequence[OutcomePoint], which: str, activity: str = "") -> list[float]:
    """One score per visit in date order, for a sparkline; visits without it are left out.

    ``which`` is "nprs_before", "nprs_after" or "psfs" (every measurement of ``activity``).
    """
    ordered = sorted(points, key=lambda p: p.visit_date)
    if which == "psfs":
        return [float(v) for v in _psfs_scores(ordered, activity)]
    values = [getattr(p, which) for p in ordered]
    return [float(v) for v in values if v is not None]
