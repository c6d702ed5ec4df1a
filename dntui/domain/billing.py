"""The billing engine: which dry-needling code a visit supports, and why.

``summarize`` is pure and cheap: the live billing pane calls it on every change.
It shows the count that produced the code (shared/domain.md section 1): the
muscle-counting rule is borrowed from trigger-point-injection guidance [2][3],
so whether left and right count separately is a payer setting (default on).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal, cast

from dntui.domain import muscles
from dntui.domain.fees import FeeSchedule, PayerRule
from dntui.domain.visit import MuscleEntry, Side, VisitDraft

Level = Literal["info", "warn", "stop"]
_LEVEL_ORDER: Final = {"stop": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class Warning:  # the name the billing pane uses; shadows the builtin in this module only
    level: Level
    text: str
    source: tuple[str, ...] = ()


#: Same class under a name that does not shadow the builtin, for importers.
BillingWarning = Warning


@dataclass(frozen=True)
class CodeRule:
    code: str
    label: str  # our own plain words: the CPT descriptor text is AMA-licensed [46]
    min_muscles: int
    max_muscles: int | None
    source: tuple[str, ...]


#: 20560 for 1-2 muscles, 20561 for 3 or more; untimed, 1 unit per session [1][4][7].
CODES: Final = (
    CodeRule("20560", "Dry needling, 1-2 muscles", 1, 2, ("1", "4", "7")),
    CodeRule("20561", "Dry needling, 3+ muscles", 3, None, ("1", "4", "7")),
)
NO_CODE_LABEL: Final = "No dry-needling code (no muscles needled)"
UNITS_PER_SESSION: Final = 1  # untimed, reported once per session [1][4][7]

TPI_CODES: Final = frozenset({"20552", "20553"})  # not with 20560/20561, same muscles [1b][5]
ACUPUNCTURE_CODES: Final = frozenset({"97810", "97811", "97812", "97813", "97814"})  # [1b][5]
MANUAL_THERAPY_CODE: Final = "97140"  # billing DN as 97140 is a fraud risk [13]
PT_CREDENTIALS: Final = frozenset({"PT", "DPT", "MPT", "MSPT"})


@dataclass(frozen=True)
class BillingSummary:
    code: str | None
    label: str
    muscle_count: int
    counting: str
    counted: tuple[str, ...]
    units: int
    modifiers: tuple[str, ...]
    charge: Decimal | None
    warnings: tuple[Warning, ...]
    payer_name: str = ""


def code_for_count(count: int) -> CodeRule | None:
    """The code rule for a muscle count; None for 0 muscles."""
    for rule in CODES:
        if count >= rule.min_muscles and (rule.max_muscles is None or count <= rule.max_muscles):
            return rule
    return None


# -------------------------------------------------------------------- counting
def _name(muscle_id: str) -> str:
    muscle = muscles.BY_ID.get(muscle_id)
    return muscle.name if muscle is not None else muscle_id


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _sides_text(sides: Iterable[Side]) -> str:
    order = [s for s in (Side.LEFT, Side.RIGHT) if s in set(sides)]
    return "+".join(s.value for s in order)


@dataclass(frozen=True)
class MuscleCount:
    """How the muscles of a visit were counted: the number and the working."""

    count: int
    counted: tuple[str, ...]
    counting: str


def count_muscles(entries: Iterable[MuscleEntry], *, sides_separately: bool = True) -> MuscleCount:
    """Count muscles for 20560/20561 [2][3].

    Left and right of one muscle count as two when ``sides_separately`` (else
    once); side B is both L and R; several needles in one muscle count once; the
    same muscle and side entered twice counts once; entries with no needles in
    are not counted.
    """
    sides_by_muscle: dict[str, list[Side]] = {}
    needles: dict[str, int] = {}
    entries_per_pair: dict[tuple[str, Side], int] = {}
    not_needled: list[str] = []
    for entry in entries:
        mid = entry.muscle_id.strip()
        if not mid:
            continue
        if entry.needles_in <= 0:
            not_needled.append(f"{_lower_first(_name(mid))} {_sides_text(entry.sides)}")
            continue
        seen = sides_by_muscle.setdefault(mid, [])
        needles[mid] = needles.get(mid, 0) + entry.needles_in
        for side in entry.sides:
            pair = (mid, side)
            if side not in seen:
                seen.append(side)
            entries_per_pair[pair] = entries_per_pair.get(pair, 0) + 1

    counted: list[str] = []
    parts: list[str] = []
    notes: list[str] = []
    for mid, sides in sides_by_muscle.items():
        name = _name(mid)
        ordered = [s for s in (Side.LEFT, Side.RIGHT) if s in sides]
        where = f"{_lower_first(name)} {_sides_text(ordered)}"
        part = where
        if sides_separately:
            counted.extend(f"{name} ({s.value})" for s in ordered)
            if len(ordered) == 2:
                part += " counted as 2 (sides counted separately)"
        else:
            counted.append(f"{name} ({_sides_text(ordered)})")
            if len(ordered) == 2:
                part += " counted once (sides not counted separately)"
        parts.append(part)
        weight = len(ordered) if sides_separately else 1
        if needles[mid] > weight:
            as_what = "once" if weight == 1 else f"as {weight}"
            notes.append(f"{needles[mid]} needles in {where} count {as_what}")

    for (mid, side), n in entries_per_pair.items():
        if n > 1:
            notes.append(f"{_lower_first(_name(mid))} {side.value} entered {n} times, counted once")
    notes.extend(f"{item} not counted (no needles in)" for item in not_needled)

    count = len(counted)
    head = f"{count} muscle{'' if count == 1 else 's'}"
    counting = f"{head}: {', '.join(parts)}" if parts else f"{head}: no code"
    if notes:
        counting += "; " + "; ".join(notes)
    return MuscleCount(count=count, counted=tuple(counted), counting=counting)


# -------------------------------------------------------------------- warnings
def _normalise_code(code: str) -> str:
    return code.strip().upper().split("-")[0].strip()


def is_physical_therapist(credentials: str) -> bool:
    tokens = {t for t in "".join(c if c.isalnum() else " " for c in credentials).upper().split()}
    return bool(tokens & PT_CREDENTIALS)


def _payer_warnings(visit: VisitDraft, payer: PayerRule) -> list[Warning]:
    out: list[Warning] = []
    prac = visit.practitioner
    who = prac.name.strip() or "The practitioner"
    if not payer.known:
        out.append(
            Warning(
                "warn",
                f"{payer.name}: payer {payer.key!r} is not in the fee schedule, so no payer "
                "rules (ABN, modifiers, warnings) are applied and default fees are used.",
            )
        )
    if payer.covers_pt_dry_needling is False and is_physical_therapist(prac.credentials):
        out.append(
            Warning(
                "warn",
                f"{payer.name} does not cover dry needling by a physical therapist.",
                ("7", "8") if payer.medicare else payer.source,
            )
        )
    if payer.medicare:
        if not prac.acupuncture_licensed:
            out.append(
                Warning(
                    "warn",
                    "Medicare (NCD 30.3.3) covers acupuncture, including dry needling, only for "
                    "chronic low back pain and only when the practitioner is licensed in "
                    f"acupuncture. {who} is not marked acupuncture-licensed, so expect Medicare "
                    "to deny this service: the patient needs a signed ABN.",
                    ("7", "8", "11"),
                )
            )
            if not visit.abn_on_file:
                out.append(
                    Warning(
                        "stop",
                        "ABN not on file: Medicare is expected to deny this service; have the "
                        "patient sign an Advance Beneficiary Notice (ABN) before treating.",
                        ("8", "10"),
                    )
                )
        else:
            limits = []
            if payer.visits_per_90_days:
                limits.append(f"{payer.visits_per_90_days} visits in 90 days")
            if payer.visits_per_year:
                limits.append(f"up to {payer.visits_per_year} a year")
            note = payer.visit_limit_note or "only for chronic low back pain (NCD 30.3.3)"
            text = f"Medicare covers this {note}"
            if limits:
                text += ": " + ", ".join(limits)
            out.append(Warning("info", text + ".", ("11",)))
    if payer.kx_after_sessions is not None:
        out.append(
            Warning(
                "info",
                f"{payer.name}: some plans require modifier KX from session "
                f"{payer.kx_after_sessions + 1}; check this plan's policy and the session number.",
                payer.source,
            )
        )
    if payer.warning:
        out.append(Warning(cast(Level, payer.warning_level), payer.warning, payer.source))
    return out


def _other_code_warnings(other_codes: Iterable[str]) -> list[Warning]:
    codes = [c for c in (_normalise_code(c) for c in other_codes) if c]
    out: list[Warning] = []
    tpi = sorted(set(codes) & TPI_CODES)
    if tpi:
        out.append(
            Warning(
                "warn",
                f"{'/'.join(tpi)} (trigger-point injection) is on this visit: do not bill with "
                "20560/20561 for the same muscles.",
                ("1b", "5"),
            )
        )
    acu = sorted(set(codes) & ACUPUNCTURE_CODES)
    if acu:
        out.append(
            Warning(
                "warn",
                f"Acupuncture code {', '.join(acu)} is on this visit: 20560/20561 are not "
                "reported with 97810-97814; report only acupuncture.",
                ("1b", "5"),
            )
        )
    if MANUAL_THERAPY_CODE in codes:
        out.append(
            Warning(
                "warn",
                "97140 (manual therapy) is on this visit: billing dry needling as 97140 is a "
                "fraud risk unless the payer says so in writing; 97140 must be separate manual "
                "therapy.",
                ("13",),
            )
        )
    return out


def _unknown_muscle_warnings(entries: Iterable[MuscleEntry]) -> list[Warning]:
    unknown = sorted(
        {e.muscle_id for e in entries if e.muscle_id and e.muscle_id not in muscles.BY_ID}
    )
    if not unknown:
        return []
    return [
        Warning(
            "warn",
            f"Not in the muscle catalog: {', '.join(unknown)}. Name each muscle; "
            "a region such as 'paraspinals' is not a muscle.",
            ("3",),
        )
    ]


# --------------------------------------------------------------------- summary
def summarize(visit: VisitDraft, schedule: FeeSchedule) -> BillingSummary:
    """What to bill for ``visit`` under its payer, with the working and warnings."""
    payer = schedule.payer(visit.payer)
    tally = count_muscles(visit.muscles, sides_separately=payer.count_sides_separately)
    rule = code_for_count(tally.count)

    warnings: list[Warning] = []
    if tally.count == 0:
        warnings.append(Warning("info", "No muscles yet: no code.", ("1",)))
    warnings.extend(_unknown_muscle_warnings(visit.muscles))
    warnings.extend(_payer_warnings(visit, payer))
    warnings.extend(_other_code_warnings(visit.other_codes))

    modifiers: list[str] = []
    charge: Decimal | None = None
    if rule is not None:
        for mod in payer.modifiers:
            # GP marks outpatient physical therapy under a plan of care [7]: it belongs on
            # a physical therapist's claim, not a chiropractor's or physician's.
            if mod == "GP" and not is_physical_therapist(visit.practitioner.credentials):
                continue
            modifiers.append(mod)
        if (
            payer.medicare
            and not visit.practitioner.acupuncture_licensed
            and visit.abn_on_file
            and payer.abn_modifier
        ):
            modifiers.append(payer.abn_modifier)
        charge = schedule.fee(rule.code, payer.key)
        if charge is None:
            warnings.append(
                Warning(
                    "info", f"No fee for {rule.code} in the fee schedule: add one in fees.toml."
                )
            )
    # Never modifier 50 for 20560/20561 [5b] (fees.py also refuses it in the file).
    mods = tuple(dict.fromkeys(m for m in modifiers if m != "50"))

    warnings.sort(key=lambda w: _LEVEL_ORDER[w.level])
    return BillingSummary(
        code=rule.code if rule else None,
        label=rule.label if rule else NO_CODE_LABEL,
        muscle_count=tally.count,
        counting=tally.counting,
        counted=tally.counted,
        units=UNITS_PER_SESSION if rule else 0,
        modifiers=mods,
        charge=charge,
        warnings=tuple(warnings),
        payer_name=payer.name,
    )
