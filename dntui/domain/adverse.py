"""Adverse events of dry needling, on the Physiotherapy Alberta scale [30].

mild: bruising, bleeding, pain during or after, aggravation, drowsiness,
faintness, nausea; significant: needed medical care; serious: hospital
admission. A forgotten needle is a known adverse event [31]; pneumothorax is the
serious event the thorax warnings are about [22c][37].
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    MILD = "mild"
    SIGNIFICANT = "significant"
    SERIOUS = "serious"


SEVERITY_TEXT: dict[Severity, str] = {
    Severity.MILD: "mild (no care needed)",
    Severity.SIGNIFICANT: "significant (needed medical care)",
    Severity.SERIOUS: "serious (hospital admission)",
}
SCALE_SOURCE = ("30",)

#: Kinds of event offered in the form; "other" takes free text.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("bruising", ("30",)),
    ("bleeding", ("30",)),
    ("pain during or after treatment", ("30",)),
    ("aggravation of symptoms", ("30",)),
    ("drowsiness", ("30",)),
    ("faintness", ("30",)),
    ("nausea", ("30",)),
    ("forgotten needle", ("31",)),
    ("suspected pneumothorax", ("22c", "37")),
    ("other", ()),
)
KIND_NAMES = tuple(k for k, _ in KINDS)


def describe(event: dict[str, str]) -> str:
    """One line for the note: time, severity, kind, muscle, action taken."""
    parts = [
        event.get("time", "") or "time not recorded",
        Severity(event.get("severity", "mild")).value.upper(),
        event.get("kind", "") or "event",
    ]
    if event.get("muscle"):
        parts.append(f"at {event['muscle']}")
    line = " · ".join(parts)
    if event.get("action"):
        line += f"; action: {event['action']}"
    return line
