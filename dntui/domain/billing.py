"""The billing engine: which dry-needling code a visit supports, and why.

``summarize`` is pure and cheap: the live billing pane calls it on every change.
It shows the count that produced the code (the domain notes (docs/sources.md) section 1): the
muscle-counting rule is borrowed from trigger-point-injection guidance [2][3],
so whether left and right count separately is a payer setting (default on).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, Literal, cast

from dntui.domain import credentials as credentials_mod
from dntui.domain import muscles, scope
from dntui.domain.credentials import Credential
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
#: Acupuncture codes (there is no 97812) [1b][5].
ACUPUNCTURE_CODES: Final = frozenset({"97810", "97811", "97813", "97814"})
#: Billable the same day only for a separate region with XS/59 [13][3c].
MANUAL_THERAPY_CODE: Final = "97140"


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
    #: Self-pay: what the patient pays (cash price less discount); None otherwise.
    patient_pays: Decimal | None = None
    #: Self-pay: the cash lines the pane shows (price, discount, packages).
    cash_lines: tuple[str, ...] = ()


def signed_summary(data: Mapping[str, Any]) -> BillingSummary:
    """The billing a visit was signed with, from its stored record (never recomputed).

    Rules change (this release counts parts of one muscle once); a signed visit
    keeps the code, count, modifiers and warnings it was signed with. Its warnings
    come back as plain info lines, as they were shown at signing.
    """
    charge_raw = data.get("charge")
    try:
        charge = Decimal(str(charge_raw)) if charge_raw not in (None, "") else None
    except ArithmeticError:
        charge = None
    code = data.get("code") or None
    return BillingSummary(
        code=str(code) if code else None,
        label=str(data.get("label") or (code if code else NO_CODE_LABEL)),
        muscle_count=int(data.get("muscle_count") or 0),
        counting=str(data.get("counting") or "as signed"),
        counted=tuple(str(c) for c in data.get("counted") or ()),
        units=int(data.get("units") or (UNITS_PER_SESSION if code else 0)),
        modifiers=tuple(str(m) for m in data.get("modifiers") or ()),
        charge=charge,
        warnings=tuple(
            Warning("info", str(t.get("text", "")) if isinstance(t, Mapping) else str(t))
            for t in data.get("warnings") or ()
        ),
        # Billing schema 2 names the payer in "payer_name" ("payer" is its key); release 1
        # kept the name in "payer".
        payer_name=str(data.get("payer_name") or data.get("payer") or ""),
        patient_pays=_stored_money(data.get("patient_pays")),
        cash_lines=(
            (f"Patient paid: ${_stored_money(data.get('patient_pays')):.2f}",)
            if _stored_money(data.get("patient_pays")) is not None
            else ()
        ),
    )


def _stored_money(value: object) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except ArithmeticError:
        return None


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


def count_muscles(
    entries: Iterable[MuscleEntry],
    *,
    sides_separately: bool = True,
    by_anatomical_muscle: bool = True,
) -> MuscleCount:
    """Count muscles for 20560/20561 [2][3].

    Coding guidance counts named muscles: several needles (or insertions) into one
    muscle count once, so parts of one anatomical muscle (upper + lower trapezius)
    count once per side when ``by_anatomical_muscle`` [2][3][ta2]. Left and right
    of one muscle count as two when ``sides_separately`` (else once); side B is
    both L and R; the same muscle and side entered twice counts once; entries with
    no needles in are not counted. ``by_anatomical_muscle=False`` counts catalog
    entries instead (kept for comparison; never more than by catalog entry).
    """
    # key -> the catalog ids that fell under it, in entry order
    parts: dict[str, list[str]] = {}
    sides_by_key: dict[str, list[Side]] = {}
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
        key = muscles.anatomical_muscle(mid) if by_anatomical_muscle else mid
        ids = parts.setdefault(key, [])
        if mid not in ids:
            ids.append(mid)
        seen = sides_by_key.setdefault(key, [])
        needles[key] = needles.get(key, 0) + entry.needles_in
        for side in entry.sides:
            if side not in seen:
                seen.append(side)
            pair = (mid, side)
            entries_per_pair[pair] = entries_per_pair.get(pair, 0) + 1

    counted: list[str] = []
    working: list[str] = []
    notes: list[str] = []
    for key, sides in sides_by_key.items():
        ids = parts[key]
        merged = len(ids) > 1
        ordered = [s for s in (Side.LEFT, Side.RIGHT) if s in sides]
        if merged:
            name = key[:1].upper() + key[1:]
            names = [_lower_first(_name(i)).removesuffix(f" {key}") for i in ids]
            tail = f" {key}" if all(not n.endswith(key) for n in names) else ""
            sides_txt = _sides_text(ordered)
            n = len(ordered) if sides_separately else 1
            what = "one muscle" if n == 1 else f"{n} muscles"
            part = f"{' + '.join(names)}{tail} {sides_txt}: {what} ({key})"
            where = f"{key} {sides_txt}"
        else:
            name = _name(ids[0])
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
        working.append(part)
        weight = len(ordered) if sides_separately else 1
        if needles[key] > weight:
            as_what = "once" if weight == 1 else f"as {weight}"
            notes.append(f"{needles[key]} needles in {where} count {as_what}")

    for (mid, side), n in entries_per_pair.items():
        if n > 1:
            notes.append(f"{_lower_first(_name(mid))} {side.value} entered {n} times, counted once")
    notes.extend(f"{item} not counted (no needles in)" for item in not_needled)

    count = len(counted)
    head = f"{count} muscle{'' if count == 1 else 's'}"
    counting = f"{head}: {', '.join(working)}" if working else f"{head}: no code"
    if notes:
        counting += "; " + "; ".join(notes)
    return MuscleCount(count=count, counted=tuple(counted), counting=counting)


# -------------------------------------------------------------------- warnings
def _normalise_code(code: str) -> str:
    return code.strip().upper().split("-")[0].strip()


def is_physical_therapist(credentials: str) -> bool:
    """PT or DPT (a PTA is an assistant, see ``_pta_warning``); free text is parsed."""
    return credentials_mod.parse_credential(credentials) in {Credential.PT, Credential.DPT}


class MedicareReason(StrEnum):
    """Why Medicare will or will not pay, which decides the ABN and modifier [fcso-abn]."""

    COVERED = "covered"
    #: Not reasonable and necessary (not chronic low back pain, or past the visit
    #: limit): the ABN is mandatory and the modifier is GA.
    CONDITION_NOT_COVERED = "condition not covered"
    #: The practitioner is not one NCD 30.3.3 lets furnish acupuncture: GY, and GX
    #: when a voluntary ABN was given.
    PROVIDER_EXCLUDED = "provider type excluded"


@dataclass(frozen=True)
class MedicareCheck:
    reason: MedicareReason
    why: str
    session_90: int
    session_year: int
    needs_improvement: bool
    warnings: tuple[Warning, ...]


_NCD: Final = ("ncd", "ncd-memo")


def sessions(
    visit_date: date, prior: Iterable[date], *, calendar_year: bool = True
) -> tuple[int, int]:
    """This visit's session number in the 90 days and in the year ending on its date.

    ``prior`` are the dates of the patient's signed visits under this payer; dates
    after ``visit_date`` are ignored. NCD 30.3.3 says "no more than 20 ... annually"
    [ncd] without saying which year: ``calendar_year`` (the default, as the patient
    screen counts) starts the year on January 1; otherwise it is the 365 days
    ending on the visit (the payer setting ``visit_year``).
    """
    in_90 = in_year = 1
    for day in prior:
        if day > visit_date:
            continue
        age = (visit_date - day).days
        if age < 90:
            in_90 += 1
        if (day.year == visit_date.year) if calendar_year else age < 365:
            in_year += 1
    return in_90, in_year


def _provider_check(visit: VisitDraft) -> tuple[bool, str, list[Warning]]:
    """Whether NCD 30.3.3 lets this practitioner furnish acupuncture [ncd][ncd-memo]."""
    prac = visit.practitioner
    cred = credentials_mod.parse_credential(prac.credentials)
    both = prac.acupuncture_licensed and prac.acupuncture_degree
    shown = cred.value if cred else (prac.credentials.strip() or "no credential")
    if cred in credentials_mod.PHYSICIANS:
        return True, f"a physician ({shown}) may furnish it under state law", []
    if cred in credentials_mod.MID_LEVEL:
        if both:
            return True, f"a {shown} with an acupuncture degree and licence may furnish it", []
        return (
            False,
            f"a {shown} may furnish it only with a master's or doctoral degree in acupuncture "
            "(ACAOM) and an acupuncture licence, and this practitioner is not marked with both",
            [],
        )
    if cred == Credential.LAC:
        if not both:
            return (
                False,
                "a licensed acupuncturist needs both the acupuncture degree (ACAOM) and the "
                "licence, and this practitioner is not marked with both",
                [],
            )
        return (
            True,
            "a licensed acupuncturist may furnish it only incident-to a supervising "
            "physician, PA or NP",
            [
                Warning(
                    "warn",
                    "Medicare pays a licensed acupuncturist's service only as auxiliary "
                    "personnel, incident-to a supervising physician, PA or NP (42 CFR 410.26), "
                    "billed under the supervisor: check the supervision is in place.",
                    _NCD,
                )
            ],
        )
    if cred in credentials_mod.PHYSICAL_THERAPY:
        return False, "physical therapists are not among the practitioners NCD 30.3.3 names", []
    if cred == Credential.DC:
        return False, "chiropractors are not among the practitioners NCD 30.3.3 names", []
    return False, f"{shown} is not a credential NCD 30.3.3 names", []


def medicare_check(
    visit: VisitDraft, payer: PayerRule, prior_visits: Iterable[date] = ()
) -> MedicareCheck:
    """Medicare eligibility by who needles and why (NCD 30.3.3) [ncd][ncd-memo]."""
    s90, syear = sessions(
        visit.visit_date, prior_visits, calendar_year=payer.visit_year == "calendar"
    )
    per_90 = payer.visits_per_90_days or 12
    per_year = payer.visits_per_year or 20
    out: list[Warning] = [
        Warning(
            "info",
            f"Medicare acupuncture session {s90} of {per_90} (90 days), "
            f"{syear} of {per_year} (year), from this patient's signed visits.",
            _NCD,
        )
    ]
    ok, who, extra = _provider_check(visit)
    out.extend(extra)
    if not ok:
        return MedicareCheck(MedicareReason.PROVIDER_EXCLUDED, who, s90, syear, False, tuple(out))
    codes = {c.strip().upper() for c in visit.diagnosis_codes}
    qualifying = sorted(codes & set(payer.clbp_codes))
    problems: list[str] = []
    if not qualifying:
        problems.append(
            "no chronic low back pain diagnosis (" + ", ".join(payer.clbp_codes) + ") on the visit"
        )
    # Weeks as typed on step 1, else counted from the assessment's onset date.
    weeks = visit.low_back_pain_weeks
    if weeks is None:
        problems.append(
            "how many weeks the low back pain has lasted is not recorded "
            "(type the weeks, or the onset date in the assessment)"
        )
    elif weeks < payer.clbp_min_weeks:
        problems.append(
            f"the low back pain has lasted {weeks} weeks, under the "
            f"{payer.clbp_min_weeks} weeks that make it chronic"
        )
    if syear > per_year:
        problems.append(f"session {syear} is past the {per_year} a year Medicare covers")
    if problems:
        return MedicareCheck(
            MedicareReason.CONDITION_NOT_COVERED,
            "; ".join(problems),
            s90,
            syear,
            False,
            tuple(out),
        )
    needs_improvement = s90 > per_90 or syear > per_90
    if needs_improvement:
        out.append(
            Warning(
                "warn",
                f"Sessions 13-{per_year} are covered only for a patient who is improving: "
                "document the improvement (and stop if the patient is not improving or "
                "is regressing).",
                _NCD,
            )
        )
    return MedicareCheck(MedicareReason.COVERED, who, s90, syear, needs_improvement, tuple(out))


def _medicare_warnings(visit: VisitDraft, payer: PayerRule, check: MedicareCheck) -> list[Warning]:
    out = list(check.warnings)
    if check.reason == MedicareReason.PROVIDER_EXCLUDED:
        mod = payer.excluded_modifier or "no modifier"
        vol = (
            f"; a voluntary ABN is on file, so {payer.abn_modifier} is added too"
            if visit.abn_on_file and payer.abn_modifier
            else "; a voluntary ABN (then GX) tells the patient they will pay"
        )
        out.append(
            Warning(
                "warn",
                f"Medicare will not pay: provider type excluded ({check.why}). "
                f"Modifier {mod}{vol}.",
                (*_NCD, "7", "8", "fcso-abn"),
            )
        )
    elif check.reason == MedicareReason.CONDITION_NOT_COVERED:
        out.append(
            Warning(
                "warn",
                "Medicare covers acupuncture, including dry needling, only for chronic low "
                f"back pain (NCD 30.3.3): {check.why}. The ABN is mandatory"
                + (
                    f" and the modifier is {payer.condition_abn_modifier}."
                    if payer.condition_abn_modifier
                    else "."
                ),
                (*_NCD, "fcso-abn"),
            )
        )
        if not visit.abn_on_file:
            out.append(
                Warning(
                    "stop",
                    "ABN not on file: Medicare is expected to deny this service as not "
                    "reasonable and necessary; have the patient sign an Advance Beneficiary "
                    "Notice (ABN) before treating.",
                    ("8", "fcso-abn"),
                )
            )
    else:
        out.append(
            Warning(
                "info",
                f"Medicare covers this visit: chronic low back pain, and {check.why} "
                f"(NCD 30.3.3: {payer.visits_per_90_days or 12} visits in 90 days, up to "
                f"{payer.visits_per_year or 20} a year).",
                _NCD,
            )
        )
    return out


def _medicare_modifiers(visit: VisitDraft, payer: PayerRule, check: MedicareCheck) -> list[str]:
    mods: list[str] = []
    if check.reason == MedicareReason.PROVIDER_EXCLUDED:
        if payer.excluded_modifier:
            mods.append(payer.excluded_modifier)
        if visit.abn_on_file and payer.abn_modifier:
            mods.append(payer.abn_modifier)
    elif (
        check.reason == MedicareReason.CONDITION_NOT_COVERED
        and visit.abn_on_file
        and payer.condition_abn_modifier
    ):
        mods.append(payer.condition_abn_modifier)
    return mods


def _kx_modifier(payer: PayerRule, session_year: int) -> list[str]:
    """KX on sessions past the plan's threshold, where the payer's policy says so [12]."""
    if payer.kx_after_sessions is not None and session_year > payer.kx_after_sessions:
        return ["KX"]
    return []


def _pta_warning(visit: VisitDraft) -> list[Warning]:
    if credentials_mod.parse_credential(visit.practitioner.credentials) != Credential.PTA:
        return []
    return [
        Warning(
            "warn",
            "A physical therapist assistant is logging dry needling: several states forbid "
            "delegating it to an assistant (Virginia: it 'shall not be delegated to a "
            "physical therapist assistant'); check your state's rule.",
            ("26",),
        )
    ]


def _payer_warnings(
    visit: VisitDraft, payer: PayerRule, check: MedicareCheck | None
) -> list[Warning]:
    out: list[Warning] = []
    if not payer.known:
        out.append(
            Warning(
                "warn",
                f"{payer.name}: payer {payer.key!r} is not in the fee schedule, so no payer "
                "rules (ABN, modifiers, warnings) are applied and default fees are used.",
            )
        )
    if (
        payer.covers_pt_dry_needling is False
        and not payer.medicare
        and credentials_mod.is_physical_therapy(visit.practitioner.credentials)
    ):
        out.append(
            Warning(
                "warn",
                f"{payer.name} does not cover dry needling by a physical therapist.",
                payer.source,
            )
        )
    if check is not None:
        out.extend(_medicare_warnings(visit, payer, check))
    if payer.kx_after_sessions is not None:
        out.append(
            Warning(
                "info",
                f"{payer.name}: the plan's policy asks for modifier KX from session "
                f"{payer.kx_after_sessions + 1}; KX is added from that session on.",
                payer.source,
            )
        )
    if payer.warning:
        out.append(Warning(cast(Level, payer.warning_level), payer.warning, payer.source))
    return out


def _other_code_warnings(other_codes: Iterable[str], estim: bool = False) -> list[Warning]:
    codes = [c for c in (_normalise_code(c) for c in other_codes) if c]
    out: list[Warning] = []
    own = sorted(set(codes) & {r.code for r in CODES})
    if own:
        out.append(
            Warning(
                "stop",
                f"{'/'.join(own)} is entered as another code: the dry-needling code comes from "
                "the muscles and is reported once per session, so remove it from 'other codes'.",
                ("1", "4", "7"),
            )
        )
    tpi = sorted(set(codes) & TPI_CODES)
    if tpi:
        out.append(
            Warning(
                "warn",
                f"{'/'.join(tpi)} (trigger-point injection) is on this visit: never bill it with "
                "20560/20561 for the same muscles; on distinct muscles, modifier XS (or 59) and "
                "documentation of which muscles were injected and which needled make them "
                "distinct.",
                ("1b", "5", "3c"),
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
                "97140 (manual therapy) is on this visit: bill it only for manual therapy of a "
                "separate region, with modifier XS (or 59) and notes that show the separate "
                "region; never bill the needling itself as 97140.",
                ("13", "3c"),
            )
        )
    if estim:
        out.append(
            Warning(
                "info",
                "Electrical stimulation through needles: this pane adds no e-stim code. "
                "Consider the separate e-stim codes your payer accepts: 97014 (unattended; "
                "Medicare uses G0283) or 97032 (attended, per 15 minutes). 97813/97814 "
                "(acupuncture with e-stim) are not reported with 20560/20561.",
                ("estim-codes", "1b", "5"),
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
def summarize(
    visit: VisitDraft,
    schedule: FeeSchedule,
    prior_visits: Iterable[date] = (),
    *,
    clinic_state: str = "",
) -> BillingSummary:
    """What to bill for ``visit`` under its payer, with the working and warnings.

    ``prior_visits`` are the dates of the patient's signed visits under the same
    payer (Medicare session numbers and KX come from them). ``clinic_state`` (the
    ``clinic_state`` setting, "" when unset) adds the scope-of-practice warnings.
    """
    payer = schedule.payer(visit.payer)
    tally = count_muscles(visit.muscles, sides_separately=payer.count_sides_separately)
    rule = code_for_count(tally.count)
    prior = list(prior_visits)
    check = medicare_check(visit, payer, prior) if payer.medicare else None

    warnings: list[Warning] = []
    if tally.count == 0:
        warnings.append(Warning("info", "No muscles yet: no code.", ("1",)))
    warnings.extend(_unknown_muscle_warnings(visit.muscles))
    warnings.extend(_pta_warning(visit))
    warnings.extend(
        Warning(w.level, w.text, w.source)
        for w in scope.scope_warnings(clinic_state, visit.practitioner)
    )
    warnings.extend(_payer_warnings(visit, payer, check))
    estim = any(e.estim and e.needles_in > 0 for e in visit.muscles)
    warnings.extend(_other_code_warnings(visit.other_codes, estim))

    modifiers: list[str] = []
    charge: Decimal | None = None
    if rule is not None:
        for mod in payer.modifiers:
            # GP marks outpatient physical therapy under a plan of care [7]: it belongs on
            # a physical therapist's claim, not a chiropractor's or physician's.
            if mod == "GP" and not is_physical_therapist(visit.practitioner.credentials):
                continue
            modifiers.append(mod)
        if check is not None:
            modifiers.extend(_medicare_modifiers(visit, payer, check))
        elif visit.abn_on_file and payer.abn_modifier:
            modifiers.append(payer.abn_modifier)
        calendar = payer.visit_year == "calendar"
        year_session = sessions(visit.visit_date, prior, calendar_year=calendar)[1]
        modifiers.extend(_kx_modifier(payer, year_session))
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
