"""Practitioner credentials: a fixed list, not free text.

Medicare eligibility (NCD 30.3.3 [ncd][ncd-memo]) and the GP modifier [7] depend on
*who* needles, so the credential is one of :class:`Credential`, plus two flags kept
on the practitioner: licensed in acupuncture, and a master's or doctoral degree in
acupuncture or Oriental medicine (ACAOM-accredited) [ncd-memo].

:func:`parse_credential` maps the free text stored before this list existed
("Physical Therapist", "PT, DPT", "D.C.") to a credential; migration 0003 uses the
same table (copied there, because a migration must not change when this module does).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class Credential(StrEnum):
    PT = "PT"  # physical therapist
    DPT = "DPT"  # doctor of physical therapy
    PTA = "PTA"  # physical therapist assistant
    DC = "DC"  # doctor of chiropractic
    MD = "MD"  # physician
    DO = "DO"  # physician (osteopathic)
    PA = "PA"  # physician assistant
    NP = "NP"  # nurse practitioner
    CNS = "CNS"  # clinical nurse specialist (named with NPs in NCD 30.3.3)
    LAC = "LAc"  # licensed acupuncturist


#: Shown in the practitioner form, in this order, with a plain description.
LABELS: Final[dict[Credential, str]] = {
    Credential.PT: "PT  physical therapist",
    Credential.DPT: "DPT doctor of physical therapy",
    Credential.PTA: "PTA physical therapist assistant",
    Credential.DC: "DC  chiropractor",
    Credential.MD: "MD  physician",
    Credential.DO: "DO  physician (osteopathic)",
    Credential.PA: "PA  physician assistant",
    Credential.NP: "NP  nurse practitioner",
    Credential.CNS: "CNS clinical nurse specialist",
    Credential.LAC: "LAc licensed acupuncturist",
}

PHYSICAL_THERAPY: Final = frozenset({Credential.PT, Credential.DPT, Credential.PTA})
#: Physicians as defined in SSA 1861(r)(1) for NCD 30.3.3 (chiropractors are 1861(r)(5)).
PHYSICIANS: Final = frozenset({Credential.MD, Credential.DO})
#: May furnish acupuncture under NCD 30.3.3 with the acupuncture degree and licence.
MID_LEVEL: Final = frozenset({Credential.PA, Credential.NP, Credential.CNS})

#: Free text seen before the fixed list -> credential. Keys are upper case with
#: punctuation removed; the first matching token wins, most specific first.
_ALIASES: Final[dict[str, Credential]] = {
    "PHYSICAL THERAPIST ASSISTANT": Credential.PTA,
    "PHYSICAL THERAPY ASSISTANT": Credential.PTA,
    "DOCTOR OF PHYSICAL THERAPY": Credential.DPT,
    "PHYSICAL THERAPIST": Credential.PT,
    "PHYSIOTHERAPIST": Credential.PT,
    "CHIROPRACTOR": Credential.DC,
    "DOCTOR OF CHIROPRACTIC": Credential.DC,
    "PHYSICIAN ASSISTANT": Credential.PA,
    "NURSE PRACTITIONER": Credential.NP,
    "CLINICAL NURSE SPECIALIST": Credential.CNS,
    "LICENSED ACUPUNCTURIST": Credential.LAC,
    "ACUPUNCTURIST": Credential.LAC,
    "OSTEOPATHIC PHYSICIAN": Credential.DO,
    "PHYSICIAN": Credential.MD,
}
_TOKENS: Final[dict[str, Credential]] = {
    "PTA": Credential.PTA,
    "DPT": Credential.DPT,
    "MPT": Credential.PT,
    "MSPT": Credential.PT,
    "PT": Credential.PT,
    "DC": Credential.DC,
    "MD": Credential.MD,
    "DO": Credential.DO,
    "PA": Credential.PA,
    "PAC": Credential.PA,
    "NP": Credential.NP,
    "APRN": Credential.NP,
    "CNS": Credential.CNS,
    "LAC": Credential.LAC,
}
#: When several tokens appear ("PT, DPT"), the one listed first here is kept.
_PREFERENCE: Final = (
    Credential.MD,
    Credential.DO,
    Credential.DPT,
    Credential.PT,
    Credential.PTA,
    Credential.DC,
    Credential.PA,
    Credential.NP,
    Credential.CNS,
    Credential.LAC,
)


def _clean(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text).upper().split())


def parse_credential(text: str) -> Credential | None:
    """The credential named by ``text`` (a code or free text), or None if unknown."""
    exact = text.strip()
    for cred in Credential:
        if exact == cred.value:
            return cred
    cleaned = _clean(text)
    if not cleaned:
        return None
    # "D.C." and "L.Ac." lose their dots: try the squeezed text as one token too.
    squeezed = cleaned.replace(" ", "")
    if squeezed in _TOKENS:
        return _TOKENS[squeezed]
    for phrase, cred in _ALIASES.items():
        if phrase in cleaned:
            return cred
    found = {_TOKENS[t] for t in cleaned.split() if t in _TOKENS}
    for cred in _PREFERENCE:
        if cred in found:
            return cred
    return None


def is_physical_therapy(credentials: str) -> bool:
    """PT, DPT or PTA (also for free text stored before the fixed list)."""
    return parse_credential(credentials) in PHYSICAL_THERAPY


__all__ = [
    "LABELS",
    "MID_LEVEL",
    "PHYSICAL_THERAPY",
    "PHYSICIANS",
    "Credential",
    "is_physical_therapy",
    "parse_credential",
]
