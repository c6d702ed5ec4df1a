"""Checks on what people type: dates, names, notes, needle counts.

Each function returns a clean value or raises ``ValidationError`` whose text is
shown in the UI as it is.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

from dntui.domain import assessment
from dntui.domain.errors import DntuiError
from dntui.domain.visit import MAX_NEEDLES_PER_MUSCLE, MAX_NOTE_CHARS

#: How far back a visit may be logged (late entries); older needs an administrator.
MAX_VISIT_AGE = timedelta(days=366)
OLDEST_BIRTH = date(1900, 1, 1)


class ValidationError(DntuiError, ValueError):
    """Input that cannot be accepted; the message says what to type instead."""


_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_day(text: str, *, end: bool = False, what: str = "date") -> date:
    """dntui's one date parser: ``YYYY-MM-DD``; also ``YYYY-MM`` or ``YYYY`` (the
    first day, or the last with ``end``). Raises ValidationError naming ``what``.
    """
    value = text.strip()
    m = _DATE_RE.match(value)
    try:
        if m is None:
            raise ValueError
        year, month, day = int(m[1]), m[2], m[3]
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            first = date(year, int(month), 1)
            if not end:
                return first
            following = date(year + (first.month == 12), first.month % 12 + 1, 1)
            return date.fromordinal(following.toordinal() - 1)
        return date(year, int(month), int(day))
    except ValueError:
        raise ValidationError(
            f"{what} {value!r} is not a date: use YYYY-MM-DD (or YYYY-MM, YYYY)"
        ) from None


def parse_date(text: str, what: str = "date") -> date:
    """A whole date, ``YYYY-MM-DD`` only (a visit date, a birth date)."""
    text = text.strip()
    if not text:
        raise ValidationError(f"Enter the {what} as YYYY-MM-DD.")
    m = _DATE_RE.match(text)
    try:
        if m is None or m[3] is None:
            raise ValidationError(text)
        return parse_day(text, what=what)
    except ValidationError:
        raise ValidationError(
            f"{text!r} is not a valid {what}: use YYYY-MM-DD, e.g. 2026-03-14."
        ) from None


def parse_visit_date(text: str, *, today: date) -> date:
    day = parse_date(text, "visit date")
    if day > today:
        raise ValidationError(
            f"The visit date {day} is in the future: a visit is logged on or after it."
        )
    if day < today - MAX_VISIT_AGE:
        raise ValidationError(f"The visit date {day} is more than a year ago: check the year.")
    return day


def parse_birth_date(text: str, *, today: date) -> date | None:
    if not text.strip():
        return None
    day = parse_date(text, "date of birth")
    if day > today:
        raise ValidationError("The date of birth is after the visit date.")
    if day < OLDEST_BIRTH:
        raise ValidationError(f"The date of birth {day} is before 1900: check the year.")
    return day


def clean_text(text: str, *, limit: int = MAX_NOTE_CHARS, what: str = "note") -> str:
    """Strip control characters (keeping newlines and tabs); refuse text over ``limit``."""
    cleaned = "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    )
    if len(cleaned) > limit:
        raise ValidationError(
            f"The {what} is {len(cleaned):,} characters long; the limit is {limit:,}."
        )
    return cleaned


def clean_name(text: str, what: str = "name") -> str:
    name = " ".join(clean_text(text, limit=120, what=what).split())
    if not name:
        raise ValidationError(f"Enter the {what}.")
    return name


def check_needles(n: int) -> int:
    if n < 0 or n > MAX_NEEDLES_PER_MUSCLE:
        raise ValidationError(
            f"A needle count must be between 0 and {MAX_NEEDLES_PER_MUSCLE}, not {n}."
        )
    return n


# ------------------------------------------------------- assessment scores
def parse_score(text: str, what: str) -> int | None:
    """A 0-10 score from typed text; "" is None (not recorded).

    Raises ValidationError with one line naming ``what`` and the range [nprs][psfs].
    """
    value = text.strip()
    if not value:
        return None
    if (
        not (value.isascii() and value.isdigit())
        or not assessment.SCORE_MIN <= int(value) <= assessment.SCORE_MAX
    ):
        shown = value if len(value) <= 12 else value[:12] + "…"
        raise ValidationError(
            f"{what} is a whole number from {assessment.SCORE_MIN} to {assessment.SCORE_MAX}, not {shown!r}"
        )
    return int(value)


def parse_onset(text: str, visit_date: date) -> date | None:
    """The onset date (YYYY-MM-DD, or YYYY-MM / YYYY); "" is None. Not after the visit."""
    if not text.strip():
        return None
    onset = parse_day(text, what="Onset date")
    if onset > visit_date:
        raise ValidationError(
            f"Onset date {onset.isoformat()} is after the visit ({visit_date.isoformat()})"
        )
    return onset
