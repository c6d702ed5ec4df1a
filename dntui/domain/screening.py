"""Pre-needling screening: the question catalog and its evaluation.

Questions are asked of the practitioner and answered yes/no (``Answer``), with a
note and an acknowledgement for precautions (``ScreeningAnswer``). Every item
names its sources (keys of :data:`dntui.domain.sources.SOURCES`); the catalog is
the domain notes (docs/sources.md) section 2: absolute contraindications (APTA 2013 as quoted in
[21]; AHPCSA BN121 [22]) and relative contraindications / precautions ([21][22]).

Absolute items have a *scope*:

* ``Scope.VISIT``: a yes blocks needling in this visit altogether.
* ``Scope.PRESSURE_SITES``: a yes blocks only the muscles where pressure cannot
  be held on the site (muscles with a ``RiskFlag.PRESSURE`` flag, e.g. psoas,
  tibialis posterior). This is the anticoagulant / thrombocytopenia / clotting
  disorder item: the sources make it absolute only where pressure cannot be
  held [21][22], and antithrombotic drugs alone are not an absolute
  contraindication [23]. Other muscles can still be needled.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from dntui.domain.muscles import BY_ID as MUSCLES_BY_ID
from dntui.domain.visit import Answer, Consent, ScreeningAnswer


class ItemKind(StrEnum):
    ABSOLUTE = "absolute"  # contraindication: a yes blocks (within its scope)
    RELATIVE = "relative"  # precaution: a yes needs acknowledgement and a note


class Scope(StrEnum):
    """What an absolute item blocks when answered yes."""

    VISIT = "visit"  # the whole visit
    PRESSURE_SITES = "pressure-sites"  # only muscles where pressure cannot be held


class ScreeningStatus(StrEnum):
    CAN_NEEDLE = "can needle"
    BLOCKED = "blocked"
    PRECAUTIONS_OUTSTANDING = "precautions outstanding"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True, slots=True)
class ScreeningItem:
    """One yes/no screening question.

    ``reason`` is the text recorded when a yes blocks (absolute) or is a
    precaution (relative). ``scope`` only matters for absolute items; see the
    module docstring. ``help`` is extra guidance shown beside the question.
    """

    id: str
    question: str
    kind: ItemKind
    reason: str
    source: tuple[str, ...]
    scope: Scope = Scope.VISIT
    help: str = ""


_ABS = ("21", "22")  # APTA 2013 as quoted [21]; AHPCSA BN121 [22]
_REL = ("21", "22")

_ANTITHROMBOTIC_NOTE = "Antithrombotic drugs alone are not an absolute contraindication [23]."


def _absolute(
    id: str,
    question: str,
    what: str,
    scope: Scope = Scope.VISIT,
    help: str = "",
    source: tuple[str, ...] = (),
) -> ScreeningItem:
    prefix = "Absolute contraindication"
    if scope == Scope.PRESSURE_SITES:
        prefix += " where pressure cannot be held on the site"
    if not source:
        source = (*_ABS, "23") if scope == Scope.PRESSURE_SITES else _ABS
    return ScreeningItem(id, question, ItemKind.ABSOLUTE, f"{prefix}: {what}", source, scope, help)


def _relative(
    id: str, question: str, what: str, help: str = "", source: tuple[str, ...] = _REL
) -> ScreeningItem:
    return ScreeningItem(
        id, question, ItemKind.RELATIVE, f"Precaution: {what}", source, Scope.VISIT, help
    )


#: Absolute contraindications, the domain notes (docs/sources.md) section 2 [21][22].
ABSOLUTE_ITEMS: tuple[ScreeningItem, ...] = (
    _absolute("needle-phobia", "Needle phobia?", "needle phobia"),
    _absolute("patient-unwilling", "Patient unwilling to be needled?", "patient unwilling"),
    _absolute(
        "unable-to-consent",
        "Unable to give consent (communication, cognition, age)?",
        "unable to give consent (communication, cognition, age)",
    ),
    _absolute(
        "medical-emergency",
        "Medical emergency or acute medical condition?",
        "medical emergency or acute medical condition",
    ),
    _absolute(
        "lymphoedema-area",
        "Needling planned into a limb or area with lymphoedema?",
        "needling into a limb or area with lymphoedema",
    ),
    _absolute(
        "abnormal-reaction",
        "Previous abnormal reaction to needling or injection?",
        "previous abnormal reaction to needling or injection",
    ),
    _absolute(
        "site-infection",
        "Infection or broken skin at a site to be needled?",
        "infection or broken skin at the site (choose other sites, then answer no)",
        source=("25", "22"),
    ),
    _absolute(
        "anticoagulants",
        "Anticoagulants, thrombocytopenia or a clotting disorder?",
        "anticoagulants, thrombocytopenia or clotting disorder",
        Scope.PRESSURE_SITES,
        help=(
            "Blocks only muscles where pressure cannot be held on the site "
            "(e.g. psoas, tibialis posterior) [21][22]; other muscles may be needled with a "
            "light technique and pressure held after each needle [22]. " + _ANTITHROMBOTIC_NOTE
        ),
    ),
)

#: Relative contraindications / precautions, the domain notes (docs/sources.md) section 2 [21][22].
RELATIVE_ITEMS: tuple[ScreeningItem, ...] = (
    _relative(
        "bleeding-tendency",
        "Abnormal bleeding tendency?",
        "abnormal bleeding tendency",
        help=_ANTITHROMBOTIC_NOTE,
        source=(*_REL, "23"),
    ),
    _relative(
        "immune-compromise",
        "Compromised immune system (e.g. cancer, HIV, hepatitis, endocarditis, valve replacement)?",
        "compromised immune system",
    ),
    _relative("vascular-disease", "Vascular disease?", "vascular disease"),
    _relative("diabetes", "Diabetes?", "diabetes"),
    _relative(
        "pregnancy",
        "Pregnancy? If yes, which trimester?",
        "pregnancy",
        help=(
            "First trimester: no dry needling. Any trimester: no needling over the abdomen "
            "or the lumbosacral area [apta2013][preg-regions]."
        ),
        source=(*_REL, "apta2013", "preg-regions"),
    ),
    _relative("child", "Patient is a child?", "child"),
    _relative("frail", "Frail patient?", "frail patient"),
    _relative("epilepsy", "Epilepsy?", "epilepsy"),
    _relative(
        "psychological-status",
        "Psychological status a concern?",
        "psychological status",
    ),
    _relative(
        "metal-allergy",
        "Metal allergy (nickel, chromium)?",
        "metal allergy (nickel, chromium)",
    ),
    _relative(
        "latex-allergy",
        "Latex allergy (gloves)?",
        "latex allergy: use latex-free gloves",
        source=("asap2013",),
    ),
    _relative(
        "fainting-history",
        "History of fainting with needles or injections?",
        "history of fainting with needles: needle lying down",
        help="Needle the patient lying down and watch for faintness [30][asap2013].",
        source=("30", "asap2013"),
    ),
    _relative(
        "tumour-site",
        "Tumour at or near a site to be needled?",
        "tumour at the site: do not needle into it",
        source=("asap2013",),
    ),
    _relative(
        "medications",
        "Medications relevant to needling?",
        "medications",
        help=_ANTITHROMBOTIC_NOTE,
        source=(*_REL, "23"),
    ),
    _relative("lymph-node-removal", "Lymph node removal?", "lymph node removal"),
    _relative(
        "pacemaker-implant",
        "Pacemaker or other implanted electrical device (defibrillator, stimulator)?",
        "pacemaker or implanted electrical device",
        help=(
            "With a pacemaker or other implanted electrical device, electrical stimulation "
            "through the needles is a stop [estim-implant]. Another implant is the next "
            "question."
        ),
        source=(*_REL, "estim-implant"),
    ),
    # The sources' "pacemaker/implant" precaution [21][22], asked apart from the electrical
    # device so that only a device makes electrical stimulation a stop [estim-implant].
    _relative(
        "other-implant",
        "Another implant (not an electrical device)?",
        "implant",
    ),
    _relative(
        "other-unsuitability",
        "Any other reason needling may be unsuitable?",
        "other unsuitability",
    ),
)

#: Every screening item, absolute first, in the order they are asked.
ITEMS: tuple[ScreeningItem, ...] = ABSOLUTE_ITEMS + RELATIVE_ITEMS
ITEMS_BY_ID: dict[str, ScreeningItem] = {i.id: i for i in ITEMS}
if len(ITEMS_BY_ID) != len(ITEMS):
    raise ValueError("duplicate screening item ids")

TRIMESTER_QUESTION = "Pregnancy: which trimester (1, 2 or 3)?"

#: Sites never to be needled, and sites to avoid, for display [25].
NEVER_NEEDLE_SITES: tuple[str, ...] = (
    "nipples",
    "umbilicus",
    "external genitalia",
    "infant fontanelles",
)
AVOID_SITES: tuple[str, ...] = (
    "varicose veins",
    "infected or inflamed tissue",
    "lymphoedematous limbs",
    "breast tissue",
)
SITES_SOURCE: tuple[str, ...] = ("25",)

#: Informed consent must be recorded before the visit is signed [26][27][28].
CONSENT_SOURCES: tuple[str, ...] = ("26", "27", "28")
CONSENT_NOTE = (
    "Informed consent is required before signing; in many states it must be written and "
    "specific to dry needling (Virginia, Colorado, Maryland) [26][27][28]. Virginia's rule "
    "says it must include the risks and benefits of the technique and state clearly that "
    "the patient is not receiving an acupuncture treatment [26]."
)


@dataclass(frozen=True, slots=True)
class ScreeningResult:
    """Outcome of :func:`evaluate`.

    ``status``: BLOCKED (a visit-level absolute yes) wins; then INCOMPLETE
    (unanswered items); then PRECAUTIONS_OUTSTANDING; else CAN_NEEDLE.
    ``blocked_muscles`` (muscle id, reason) come from pressure-site items and do
    not block the visit. ``consent_missing`` does not change ``status`` but is
    reported by :meth:`problems` and stops :attr:`can_sign`.
    """

    status: ScreeningStatus
    blocked_reasons: tuple[str, ...] = ()
    blocked_muscles: tuple[tuple[str, str], ...] = ()
    outstanding: tuple[str, ...] = ()  # item ids
    unanswered: tuple[str, ...] = ()  # item ids
    consent_missing: bool = False

    @property
    def can_sign(self) -> bool:
        """Screening lets the visit be signed: needling allowed, no blocked muscle
        chosen, consent recorded."""
        return (
            self.status == ScreeningStatus.CAN_NEEDLE
            and not self.blocked_muscles
            and not self.consent_missing
        )

    def problems(self) -> list[str]:
        """Human-readable messages, most serious first; empty when all is well."""
        out = [f"Blocked: {r}" for r in self.blocked_reasons]
        for muscle_id, reason in self.blocked_muscles:
            muscle = MUSCLES_BY_ID.get(muscle_id)
            label = muscle.name if muscle else muscle_id
            out.append(f"{label} cannot be needled: {reason}")
        if self.unanswered:
            questions = "; ".join(
                ITEMS_BY_ID[i].question if i in ITEMS_BY_ID else TRIMESTER_QUESTION
                for i in self.unanswered
            )
            out.append(f"Screening incomplete, {len(self.unanswered)} unanswered: {questions}")
        for item_id in self.outstanding:
            item = ITEMS_BY_ID[item_id]
            out.append(f"{item.reason}: acknowledge it and write a note")
        if self.consent_missing:
            out.append("Informed consent not recorded (required before signing [26][27][28])")
        return out


def _is_pressure_site(muscle_id: str) -> bool:
    muscle = MUSCLES_BY_ID.get(muscle_id)
    # An unknown id cannot be checked: treated as a site where pressure cannot be held.
    return muscle is None or muscle.pressure_cannot_be_held


#: Muscles over the abdomen or the lumbosacral area: not needled in pregnancy, any
#: trimester [preg-regions].
PREGNANCY_AVOID_MUSCLES: frozenset[str] = frozenset(
    {
        "rectus-abdominis",
        "external-oblique",
        "internal-oblique",
        "transversus-abdominis",
        "lumbar-multifidus",
        "rotatores",
        "iliocostalis-lumborum",
        "quadratus-lumborum",
        "psoas-major",
        "iliacus",
    }
)
if not set(MUSCLES_BY_ID) >= PREGNANCY_AVOID_MUSCLES:
    raise ValueError("PREGNANCY_AVOID_MUSCLES names a muscle not in the catalog")
PREGNANCY_SOURCE: tuple[str, ...] = ("apta2013", "preg-regions")
FIRST_TRIMESTER_REASON = "Pregnancy, first trimester: no dry needling [apta2013][preg-regions]"
PREGNANCY_REGION_REASON = (
    "pregnancy: no needling over the abdomen or the lumbosacral area [preg-regions]"
)
ESTIM_IMPLANT_REASON = (
    "Pacemaker or implanted electrical device: no electrical stimulation through the needles "
    "[estim-implant]"
)


def evaluate(
    answers: Mapping[str, ScreeningAnswer],
    consent: Consent,
    muscles: Sequence[str] = (),
    *,
    trimester: int | None = None,
    estim: bool = False,
) -> ScreeningResult:
    """Evaluate screening answers against the catalog.

    ``answers`` maps item ids to answers (missing ids count as unanswered; ids not
    in the catalog are ignored). ``muscles`` are the muscle ids chosen for the
    visit: a yes on a pressure-sites item blocks those of them flagged
    ``RiskFlag.PRESSURE`` (and any unknown id, which cannot be checked), not the
    visit. A relative yes is outstanding until acknowledged with a non-blank note.
    """
    blocked: list[str] = []
    blocked_muscles: list[tuple[str, str]] = []
    outstanding: list[str] = []
    unanswered: list[str] = []
    chosen = list(dict.fromkeys(muscles))  # de-duplicated, order kept
    for item in ITEMS:
        a = answers.get(item.id)
        if a is None or a.answer == Answer.UNANSWERED:
            unanswered.append(item.id)
            continue
        if a.answer != Answer.YES:
            continue
        if item.kind == ItemKind.ABSOLUTE:
            if item.scope == Scope.VISIT:
                blocked.append(item.reason)
            else:
                blocked_muscles.extend(
                    (mid, item.reason) for mid in chosen if _is_pressure_site(mid)
                )
        elif not (a.acknowledged and a.note.strip()):
            outstanding.append(item.id)
    pregnant = answers.get("pregnancy")
    if pregnant is not None and pregnant.answer == Answer.YES:
        if trimester not in (1, 2, 3):
            unanswered.append("pregnancy-trimester")
        elif trimester == 1:
            blocked.append(FIRST_TRIMESTER_REASON)
        blocked_muscles.extend(
            (mid, PREGNANCY_REGION_REASON) for mid in chosen if mid in PREGNANCY_AVOID_MUSCLES
        )
    device = answers.get("pacemaker-implant")
    if estim and device is not None and device.answer == Answer.YES:
        blocked.append(ESTIM_IMPLANT_REASON)
    if blocked:
        status = ScreeningStatus.BLOCKED
    elif unanswered:
        status = ScreeningStatus.INCOMPLETE
    elif outstanding:
        status = ScreeningStatus.PRECAUTIONS_OUTSTANDING
    else:
        status = ScreeningStatus.CAN_NEEDLE
    return ScreeningResult(
        status=status,
        blocked_reasons=tuple(blocked),
        blocked_muscles=tuple(blocked_muscles),
        outstanding=tuple(outstanding),
        unanswered=tuple(unanswered),
        consent_missing=not consent.given,
    )


__all__ = [
    "ABSOLUTE_ITEMS",
    "AVOID_SITES",
    "CONSENT_NOTE",
    "CONSENT_SOURCES",
    "ITEMS",
    "ITEMS_BY_ID",
    "NEVER_NEEDLE_SITES",
    "PREGNANCY_AVOID_MUSCLES",
    "RELATIVE_ITEMS",
    "SITES_SOURCE",
    "ItemKind",
    "Scope",
    "ScreeningItem",
    "ScreeningResult",
    "ScreeningStatus",
    "evaluate",
]
