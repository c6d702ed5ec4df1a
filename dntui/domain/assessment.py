"""What the practitioner finds before needling, and measures after.

The seed article asks for "thoroughly assessing a patient's ... current symptoms,
and pain patterns" [seed]; payers ask for documented improvement (Medicare: the
8 sessions after the first 12 are for patients "demonstrating an improvement"
[ncd]). dntui records:

* the chief complaint, where it hurts (a body region), the pain pattern (local,
  or referred, and where to), how long it has lasted (acute / subacute /
  chronic, with the onset date; chronic is 12 weeks or more [ncd]);
* pain now on the 0-10 numeric pain rating scale (NPRS) [nprs] before needling,
  and after;
* one Patient-Specific Functional Scale item: an activity the patient has
  trouble with, scored 0 (unable) to 10 (as before the problem) [psfs], and its
  score re-measured when the practitioner wants.

Every field is optional: a visit without them reads "not recorded". Plain data,
no I/O; ``validation.parse_score`` turns typed text into a score or one clear line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final

from dntui.domain.muscles import Region

#: The NPRS and the PSFS both run 0-10 [nprs][psfs].
SCORE_MIN: Final = 0
SCORE_MAX: Final = 10
#: NCD 30.3.3: chronic low back pain lasts 12 weeks or longer [ncd].
CHRONIC_WEEKS: Final = 12
MAX_TEXT: Final = 120
NOT_RECORDED: Final = "not recorded"
SOURCES: Final = ("seed", "nprs", "psfs", "ncd")


class PainPattern(StrEnum):
    NOT_RECORDED = ""
    LOCAL = "local"
    REFERRED = "referred"


class Duration(StrEnum):
    NOT_RECORDED = ""
    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


_PATTERNS: Final = frozenset(p.value for p in PainPattern)
_DURATIONS: Final = frozenset(d.value for d in Duration)

#: The body regions the muscle catalog uses, so pain and needling name the same places.
REGIONS: Final = tuple(r.value for r in Region)


def _opt_score(value: Any) -> int | None:
    """A stored score, or None when absent or not a whole number 0-10."""
    if isinstance(value, int) and not isinstance(value, bool) and SCORE_MIN <= value <= SCORE_MAX:
        return value
    return None


def _opt_date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


@dataclass
class Assessment:
    """Before needling. Every field optional."""

    chief_complaint: str = ""
    region: str = ""  # one of REGIONS, "" when not recorded
    pattern: PainPattern = PainPattern.NOT_RECORDED
    referred_to: str = ""  # where a referred pain goes
    duration: Duration = Duration.NOT_RECORDED
    onset: date | None = None
    nprs_before: int | None = None
    psfs_activity: str = ""
    psfs_before: int | None = None

    @property
    def empty(self) -> bool:
        return self == Assessment()

    def to_dict(self) -> dict[str, Any]:
        return {
            "chief_complaint": self.chief_complaint,
            "region": self.region,
            "pattern": self.pattern.value,
            "referred_to": self.referred_to,
            "duration": self.duration.value,
            "onset": self.onset.isoformat() if self.onset else None,
            "nprs_before": self.nprs_before,
            "psfs_activity": self.psfs_activity,
            "psfs_before": self.psfs_before,
        }

    @classmethod
    def from_dict(cls, data: Any) -> Assessment:
        """Read a stored assessment; anything missing or unreadable is "not recorded"."""
        if not isinstance(data, dict):
            return cls()
        pattern = _text(data.get("pattern"))
        duration = _text(data.get("duration"))
        region = _text(data.get("region"))
        return cls(
            chief_complaint=_text(data.get("chief_complaint")),
            region=region if region in REGIONS else "",
            pattern=PainPattern(pattern) if pattern in _PATTERNS else PainPattern.NOT_RECORDED,
            referred_to=_text(data.get("referred_to")),
            duration=Duration(duration) if duration in _DURATIONS else Duration.NOT_RECORDED,
            onset=_opt_date(data.get("onset")),
            nprs_before=_opt_score(data.get("nprs_before")),
            psfs_activity=_text(data.get("psfs_activity")),
            psfs_before=_opt_score(data.get("psfs_before")),
        )


@dataclass
class Outcome:
    """After needling: pain now, and the PSFS item when re-measured."""

    nprs_after: int | None = None
    psfs_after: int | None = None

    @property
    def empty(self) -> bool:
        return self == Outcome()

    def to_dict(self) -> dict[str, Any]:
        return {"nprs_after": self.nprs_after, "psfs_after": self.psfs_after}

    @classmethod
    def from_dict(cls, data: Any) -> Outcome:
        if not isinstance(data, dict):
            return cls()
        return cls(
            nprs_after=_opt_score(data.get("nprs_after")),
            psfs_after=_opt_score(data.get("psfs_after")),
        )


# ------------------------------------------------------------------ reading
def weeks_since(onset: date | None, visit_date: date) -> int | None:
    """Whole weeks from onset to the visit; None without an onset."""
    if onset is None or onset > visit_date:
        return None
    return (visit_date - onset).days // 7


def duration_problems(a: Assessment, visit_date: date) -> list[str]:
    """Where the chosen duration and the onset date disagree on chronic [ncd]."""
    weeks = weeks_since(a.onset, visit_date)
    if weeks is None or a.duration == Duration.NOT_RECORDED:
        return []
    if a.duration == Duration.CHRONIC and weeks < CHRONIC_WEEKS:
        return [
            f"Recorded as chronic, but the onset ({a.onset}) is {weeks} weeks before the "
            f"visit: chronic means {CHRONIC_WEEKS} weeks or more (NCD 30.3.3)"
        ]
    if a.duration != Duration.CHRONIC and weeks >= CHRONIC_WEEKS:
        return [
            f"Recorded as {a.duration.value}, but the onset ({a.onset}) is {weeks} weeks "
            f"before the visit: {CHRONIC_WEEKS} weeks or more is chronic (NCD 30.3.3)"
        ]
    return []


def _score(value: int | None) -> str:
    return NOT_RECORDED if value is None else f"{value}/10"


def assessment_lines(a: Assessment, visit_date: date) -> list[str]:
    """The ASSESSMENT section of the note; "not recorded" where empty."""
    lines = ["ASSESSMENT"]
    if a.empty:
        lines.append(f"  {NOT_RECORDED.capitalize()}.")
    else:
        pattern = a.pattern.value or NOT_RECORDED
        if a.pattern == PainPattern.REFERRED:
            pattern += f" to {a.referred_to}" if a.referred_to else " (where not recorded)"
        duration = a.duration.value or NOT_RECORDED
        if a.onset is not None:
            weeks = weeks_since(a.onset, visit_date)
            duration += f", onset {a.onset.isoformat()} ({weeks} weeks)"
        lines += [
            f"  Chief complaint: {a.chief_complaint or NOT_RECORDED}",
            f"  Pain location:   {a.region or NOT_RECORDED}",
            f"  Pain pattern:    {pattern}",
            f"  Duration:        {duration}",
            f"  Pain (NPRS) before needling: {_score(a.nprs_before)}",
        ]
        if a.psfs_activity or a.psfs_before is not None:
            activity = a.psfs_activity or "activity not named"
            lines.append(f"  Function (PSFS): '{activity}' {_score(a.psfs_before)}")
        lines += [f"  Note: {p}" for p in duration_problems(a, visit_date)]
    return lines


def outcome_lines(a: Assessment, o: Outcome) -> list[str]:
    """The OUTCOME section of the note; "not recorded" where empty."""
    lines = ["OUTCOME"]
    if o.empty:
        lines.append(f"  {NOT_RECORDED.capitalize()}.")
    else:
        lines.append(f"  Pain (NPRS) after needling: {_score(o.nprs_after)}")
        if a.nprs_before is not None and o.nprs_after is not None:
            lines[-1] += f" (before {a.nprs_before}/10, change {o.nprs_after - a.nprs_before:+d})"
        if o.psfs_after is not None:
            activity = a.psfs_activity or "activity not named"
            lines.append(f"  Function (PSFS) re-measured: '{activity}' {o.psfs_after}/10")
    return lines
