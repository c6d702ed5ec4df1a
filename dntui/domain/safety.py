"""Safety warnings for the muscles chosen in a visit (the domain notes (docs/sources.md) sections 3-4).

Each warning says what to watch and names its source. The risk data itself lives
in the muscle catalog (``dntui.domain.muscles``); this module only applies it to
a visit: per-muscle risks, both sides of the thorax in one session [22c], and the
needles-in / needles-out count [31].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from dntui.domain import muscles
from dntui.domain.visit import MAX_NEEDLES_PER_MUSCLE, MuscleEntry, Side, VisitDraft

Level = Literal["info", "warn", "stop"]
_LEVEL_ORDER: Final = {"stop": 0, "warn": 1, "info": 2}

BILATERAL_THORAX_TEXT: Final = (
    "Do not needle both sides of the thorax in one session (pneumothorax)"
)
BILATERAL_THORAX_WATCH: Final = (
    "Needle one side of the thorax this session and the other side another day; "
    "watch for shortness of breath, chest pain or a dry cough."
)
BILATERAL_THORAX_SOURCE: Final = ("22c",)
NEEDLE_COUNT_SOURCE: Final = ("31",)


@dataclass(frozen=True)
class SafetyWarning:
    level: Level
    muscle_id: str | None
    text: str
    watch: str
    source: tuple[str, ...]


def _name(muscle_id: str) -> str:
    muscle = muscles.BY_ID.get(muscle_id)
    return muscle.name if muscle is not None else muscle_id


def _risk_warnings(entries: list[MuscleEntry]) -> list[SafetyWarning]:
    out: list[SafetyWarning] = []
    seen: set[str] = set()
    for entry in entries:
        mid = entry.muscle_id
        if not mid or mid in seen:
            continue
        seen.add(mid)
        muscle = muscles.BY_ID.get(mid)
        if muscle is None:
            out.append(
                SafetyWarning(
                    "info",
                    mid,
                    f"{mid} is not in the muscle catalog: no risk data to check.",
                    "",
                    (),
                )
            )
            continue
        for risk in muscle.risks:
            out.append(
                SafetyWarning(
                    "warn",
                    mid,
                    f"{muscle.name}: {risk.detail}",
                    risk.watch,
                    risk.source,
                )
            )
    return out


def _bilateral_thorax(entries: list[MuscleEntry]) -> list[SafetyWarning]:
    """Lung-risk muscles needled on the left and on the right in one session [22c]."""
    by_side: dict[Side, list[str]] = {Side.LEFT: [], Side.RIGHT: []}
    for entry in entries:
        muscle = muscles.BY_ID.get(entry.muscle_id)
        if muscle is None or not muscle.has_lung_risk or entry.needles_in <= 0:
            continue
        for side in entry.sides:
            if muscle.name not in by_side[side]:
                by_side[side].append(muscle.name)
    left, right = by_side[Side.LEFT], by_side[Side.RIGHT]
    if not (left and right):
        return []
    text = f"{BILATERAL_THORAX_TEXT}: left: {', '.join(left)}; right: {', '.join(right)}."
    return [SafetyWarning("warn", None, text, BILATERAL_THORAX_WATCH, BILATERAL_THORAX_SOURCE)]


def _needle_counts(visit: VisitDraft) -> list[SafetyWarning]:
    out: list[SafetyWarning] = []
    for entry in visit.muscles:
        for label, n in (("in", entry.needles_in), ("out", entry.needles_out)):
            if n < 0 or n > MAX_NEEDLES_PER_MUSCLE:
                out.append(
                    SafetyWarning(
                        "stop",
                        entry.muscle_id or None,
                        f"{_name(entry.muscle_id)} {entry.side.value}: needles {label} ({n}) "
                        f"must be between 0 and {MAX_NEEDLES_PER_MUSCLE}.",
                        "Correct the needle count.",
                        (),
                    )
                )
    total_in, total_out = visit.needles_in, visit.needles_out
    if total_in != total_out:
        out.append(
            SafetyWarning(
                "stop",
                None,
                f"Needles in ({total_in}) and out ({total_out}) do not match: "
                "account for every needle before signing.",
                "A needle left in or forgotten is an adverse event seen in practice.",
                NEEDLE_COUNT_SOURCE,
            )
        )
    else:
        for entry in visit.muscles:
            if entry.needles_in != entry.needles_out:
                out.append(
                    SafetyWarning(
                        "warn",
                        entry.muscle_id or None,
                        f"{_name(entry.muscle_id)} {entry.side.value}: needles in "
                        f"({entry.needles_in}) and out ({entry.needles_out}) differ, although "
                        "the visit totals match: check the counts.",
                        "Account for every needle of each muscle.",
                        NEEDLE_COUNT_SOURCE,
                    )
                )
    return out


#: AHPCSA BN121 3.2.1: with anticoagulants or a clotting disorder, "light needling
#: techniques must be used and followed by haemostasis applied by palpation" [22][23].
ANTICOAGULANT_WATCH: Final = (
    "Use a light needling technique and hold pressure on each site after the needle is out."
)


def _answered_yes(visit: VisitDraft, item_id: str) -> bool:
    a = visit.screening.get(item_id)
    return a is not None and a.answer.value == "yes"


def _screening_warnings(visit: VisitDraft) -> list[SafetyWarning]:
    """Screening answers that change how (or whether) the chosen muscles are needled."""
    out: list[SafetyWarning] = []
    needled = [e for e in visit.muscles if e.needles_in > 0 and e.muscle_id]
    if _answered_yes(visit, "anticoagulants"):
        seen: set[str] = set()
        for e in needled:
            muscle = muscles.BY_ID.get(e.muscle_id)
            if muscle is None or muscle.pressure_cannot_be_held or e.muscle_id in seen:
                continue  # pressure sites are blocked by screening itself
            seen.add(e.muscle_id)
            out.append(
                SafetyWarning(
                    "warn",
                    e.muscle_id,
                    f"{muscle.name}: anticoagulants or a clotting disorder (screening): "
                    "precaution.",
                    ANTICOAGULANT_WATCH,
                    ("22", "23"),
                )
            )
    if _answered_yes(visit, "pregnancy"):
        from dntui.domain.screening import (
            FIRST_TRIMESTER_REASON,
            PREGNANCY_AVOID_MUSCLES,
            PREGNANCY_REGION_REASON,
            PREGNANCY_SOURCE,
        )

        if visit.pregnancy_trimester == 1:
            out.append(
                SafetyWarning("stop", None, FIRST_TRIMESTER_REASON + ".", "", PREGNANCY_SOURCE)
            )
        for mid in dict.fromkeys(e.muscle_id for e in needled):
            if mid in PREGNANCY_AVOID_MUSCLES:
                out.append(
                    SafetyWarning(
                        "stop",
                        mid,
                        f"{_name(mid)}: {PREGNANCY_REGION_REASON}.",
                        "Remove this muscle from the visit.",
                        PREGNANCY_SOURCE,
                    )
                )
    if _answered_yes(visit, "pacemaker-implant") and any(e.estim for e in needled):
        out.append(
            SafetyWarning(
                "stop",
                None,
                "Pacemaker or implanted electrical device (screening) and electrical "
                "stimulation on a needle: switch e-stim off.",
                "Electrical stimulation can interfere with an implanted device.",
                ("estim-implant",),
            )
        )
    return out


def safety_warnings(visit: VisitDraft) -> tuple[SafetyWarning, ...]:
    """All safety warnings for ``visit``, most severe first."""
    entries = list(visit.muscles)
    out = (
        _needle_counts(visit)
        + _screening_warnings(visit)
        + _bilateral_thorax(entries)
        + _risk_warnings(entries)
    )
    out.sort(key=lambda w: _LEVEL_ORDER[w.level])
    return tuple(out)
