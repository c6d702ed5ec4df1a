"""Catalog of commonly needled muscles, their risk flags, and a fast keyboard search.

Data lives in :mod:`dntui.domain.muscle_data` (each risk names its sources); this
module turns it into frozen :class:`Muscle` objects, validates it at import and
provides :func:`search` for the muscle picker.

Muscle ids are stable slugs without side ("upper-trapezius"): left and right are
recorded on the visit (``MuscleEntry.side``), because CPT counting needs each
muscle named and counts sides separately [2][3].

A muscle with an empty ``risks`` tuple has no flag *in the sources*; that is not
a statement that needling it is free of risk.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from dntui.domain import muscle_data
from dntui.domain.regions import Region
from dntui.domain.sources import SOURCES


class RiskFlag(StrEnum):
    """Kinds of risk flag (the domain notes (docs/sources.md) sections 2 and 4)."""

    LUNG = "lung"  # pneumothorax [22c]
    ORGAN = "organ"  # kidney, peritoneum, brainstem, spinal canal [22d][22e][35]
    NERVE_VESSEL = "nerve/vessel"  # named nerve or vessel nearby [22e][36]
    PRESSURE = "pressure"  # pressure cannot be held on the site [21][22]


@dataclass(frozen=True, slots=True)
class Risk:
    """One risk flag on a muscle.

    ``detail`` says what is at risk (which organ, nerve or vessel), ``watch`` what
    the practitioner should watch for, ``source`` the keys of
    :data:`dntui.domain.sources.SOURCES` the flag comes from.
    """

    kind: RiskFlag
    detail: str
    watch: str
    source: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Muscle:
    """A named muscle (no side) that can be picked for a visit."""

    id: str
    name: str
    region: Region
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    risks: tuple[Risk, ...] = ()
    group: str = field(default="", compare=False)  # e.g. "hamstrings"; searchable
    #: The anatomical muscle this entry is part of, lower case ("trapezius" for upper
    #: trapezius). Parts of one muscle count once for 20560/20561 [2][3][ta2].
    anatomical: str = field(default="", compare=False)
    #: The record should say which spinal level was needled (multifidus, rotatores).
    spinal_level: bool = field(default=False, compare=False)

    def risks_of(self, kind: RiskFlag) -> tuple[Risk, ...]:
        return tuple(r for r in self.risks if r.kind == kind)

    @property
    def risk_kinds(self) -> frozenset[RiskFlag]:
        return frozenset(r.kind for r in self.risks)

    @property
    def has_lung_risk(self) -> bool:
        return any(r.kind == RiskFlag.LUNG for r in self.risks)

    @property
    def is_thoracic(self) -> bool:
        """True for lung-risk muscles: needling both sides of the thorax in one
        session is to be warned about [22c]."""
        return self.has_lung_risk

    @property
    def pressure_cannot_be_held(self) -> bool:
        """True where pressure cannot be held on the site (e.g. psoas) [21][22]."""
        return any(r.kind == RiskFlag.PRESSURE for r in self.risks)


# ----------------------------------------------------------------- building


def _build() -> tuple[Muscle, ...]:
    risks: dict[str, Risk] = {}
    for key, row in muscle_data.RISKS.items():
        if not row.source:
            raise ValueError(f"risk {key!r} has no source")
        unknown = [s for s in row.source if s not in SOURCES]
        if unknown:
            raise ValueError(f"risk {key!r} cites unknown source keys {unknown}")
        risks[key] = Risk(RiskFlag(row.kind), row.detail, row.watch, row.source)
    region_order = {r: i for i, r in enumerate(Region)}
    muscles = [
        Muscle(
            id=row.id,
            name=row.name,
            region=Region(row.region),
            abbreviations=row.abbreviations,
            synonyms=row.synonyms,
            risks=tuple(risks[k] for k in row.risks),
            group=row.group,
            anatomical=(row.muscle or row.name).casefold(),
            spinal_level=row.spinal_level,
        )
        for row in muscle_data.MUSCLES
    ]
    muscles.sort(key=lambda m: (region_order[m.region], m.name.casefold()))
    return tuple(muscles)


#: Every muscle, in catalog order: by region (enum order), then by name.
CATALOG: tuple[Muscle, ...] = _build()

BY_ID: dict[str, Muscle] = {m.id: m for m in CATALOG}
if len(BY_ID) != len(CATALOG):
    raise ValueError("duplicate muscle ids in muscle_data.MUSCLES")


def get(muscle_id: str) -> Muscle:
    """The muscle with this id; ``KeyError`` naming the id if there is none."""
    try:
        return BY_ID[muscle_id]
    except KeyError:
        raise KeyError(
            f"unknown muscle id {muscle_id!r} (ids are slugs such as 'upper-trapezius'; "
            "see dntui.domain.muscles.CATALOG)"
        ) from None


def by_region() -> dict[Region, list[Muscle]]:
    """Every region (in enum order) with its muscles in catalog order."""
    out: dict[Region, list[Muscle]] = {r: [] for r in Region}
    for m in CATALOG:
        out[m.region].append(m)
    return out


_LEVEL_COUNTS: dict[str, int] = {"C": 7, "T": 12, "L": 5, "S": 5}


def _one_level(text: str) -> str:
    t = text.strip().upper()
    if len(t) >= 2 and t[0] in _LEVEL_COUNTS and t[1:].isdigit():
        n = int(t[1:])
        if 1 <= n <= _LEVEL_COUNTS[t[0]]:
            return f"{t[0]}{n}"
    raise ValueError(
        f"spinal level {text.strip()!r}: use a level such as C5, T6, L4 or S1, or a range "
        "such as L4-L5"
    )


def parse_spinal_level(text: str) -> str:
    """A spinal level ("l4" -> "L4") or range ("L4-5", "L4/L5" -> "L4-L5"); "" clears it.

    Raises ValueError with one plain line for anything else.
    """
    t = text.strip().replace("/", "-").replace(" ", "")
    if not t:
        return ""
    if "-" not in t:
        return _one_level(t)
    first, _, second = t.partition("-")
    a = _one_level(first)
    b = _one_level(second if second[:1].isalpha() else a[0] + second)
    order = "CTLS"
    if (order.index(a[0]), int(a[1:])) >= (order.index(b[0]), int(b[1:])):
        raise ValueError(f"spinal level range {text.strip()!r}: the upper level comes first")
    return f"{a}-{b}"


def anatomical_muscle(muscle_id: str) -> str:
    """The anatomical muscle a catalog id belongs to ("trapezius" for "upper-trapezius").

    An id not in the catalog is its own muscle (it cannot be merged with anything).
    """
    muscle = BY_ID.get(muscle_id)
    return muscle.anatomical if muscle is not None else muscle_id


#: Region words a practitioner types that name a set of muscles rather than letters to
#: match: "calf" finds the calf muscles, not every name with c-a-l-f in it [ta2][anat].
REGION_WORDS: dict[str, tuple[str, ...]] = {
    "calf": ("gastrocnemius", "soleus", "plantaris"),
    "hamstrings": ("biceps-femoris", "semitendinosus", "semimembranosus"),
    "hamstring": ("biceps-femoris", "semitendinosus", "semimembranosus"),
    "rotator cuff": ("supraspinatus", "infraspinatus", "teres-minor", "subscapularis"),
    "quads": ("rectus-femoris", "vastus-lateralis", "vastus-medialis", "vastus-intermedius"),
    "glutes": ("gluteus-maximus", "gluteus-medius", "gluteus-minimus"),
    "deep hip rotators": (
        "piriformis",
        "gemellus-superior",
        "obturator-internus",
        "gemellus-inferior",
        "quadratus-femoris",
    ),
    "suboccipitals": (
        "rectus-capitis-posterior-major",
        "rectus-capitis-posterior-minor",
        "obliquus-capitis-superior",
        "obliquus-capitis-inferior",
    ),
    "paraspinals": (
        "cervical-multifidus",
        "thoracic-multifidus",
        "lumbar-multifidus",
        "rotatores",
        "longissimus-thoracis",
        "iliocostalis-thoracis",
        "iliocostalis-lumborum",
    ),
    "erector spinae": (
        "longissimus-capitis",
        "longissimus-thoracis",
        "iliocostalis-thoracis",
        "iliocostalis-lumborum",
    ),
}
for _word, _ids in REGION_WORDS.items():
    for _mid in _ids:
        if _mid not in BY_ID:
            raise ValueError(f"region word {_word!r} names unknown muscle {_mid!r}")


# ------------------------------------------------------------------- search


def _normalize(text: str) -> str:
    """Case-folded, accents stripped, anything not a letter or digit made a space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    chars = [c if c.isalnum() else " " for c in text if not unicodedata.combining(c)]
    return " ".join("".join(chars).split())


@dataclass(frozen=True, slots=True)
class _Keys:
    """Precomputed lowercase search keys of one muscle."""

    index: int
    muscle: Muscle
    abbrevs: frozenset[str]  # compact (no spaces)
    abbrev_str: str  # "\0ut\0" - abbreviation prefix test by substring search
    names: frozenset[str]  # name and synonyms
    name: str
    word_str: str  # " upper trapezius trapezius ..." - word prefix by " "+word in word_str
    haystack: str  # names, group, abbreviations joined by "\0" - substring test
    fuzzy: tuple[tuple[str, tuple[int, ...]], ...]  # compact phrase, word start offsets
    chars: frozenset[str]


def _keys(index: int, m: Muscle) -> _Keys:
    name = _normalize(m.name)
    synonyms = [_normalize(s) for s in m.synonyms]
    group = _normalize(m.group)
    abbrevs = [_normalize(a).replace(" ", "") for a in m.abbreviations]
    phrases = [p for p in (name, *synonyms, group) if p]
    words = [w for p in phrases for w in p.split()]
    fuzzy = []
    for p in phrases:
        starts, pos = [], 0
        for w in p.split():
            starts.append(pos)
            pos += len(w)
        fuzzy.append((p.replace(" ", ""), tuple(starts)))
    return _Keys(
        index=index,
        muscle=m,
        abbrevs=frozenset(abbrevs),
        abbrev_str="\0" + "\0".join(abbrevs) if abbrevs else "",
        names=frozenset([name, *synonyms]),
        name=name,
        word_str=" " + " ".join(words),
        haystack="\0".join([*phrases, *abbrevs]),
        fuzzy=tuple(fuzzy),
        chars=frozenset("".join(f for f, _ in fuzzy)),
    )


_KEYS: tuple[_Keys, ...] = tuple(_keys(i, m) for i, m in enumerate(CATALOG))
_KEYS_BY_REGION: dict[Region, tuple[_Keys, ...]] = {
    r: tuple(k for k in _KEYS if k.muscle.region == r) for r in Region
}

# Rank tiers, best first.
_EXACT_ABBREV = 0
_EXACT_NAME = 1
_NAME_PREFIX = 2
_WORD_PREFIX = 3
_ABBREV_PREFIX = 4
_SUBSTRING = 5
_FUZZY = 6


def _fuzzy_gaps(q: str, text: str, starts: tuple[int, ...]) -> int | None:
    """Fewest skipped characters for ``q`` as a subsequence of ``text`` starting at
    a word start; ``None`` if it is not one. Greedy from each start is optimal."""
    best: int | None = None
    first, rest, n = q[0], q[1:], len(q)
    for s in starts:
        if text[s] != first:
            continue
        pos = s + 1
        for ch in rest:
            pos = text.find(ch, pos)
            if pos < 0:
                return best  # no later start can succeed either
            pos += 1
        gaps = pos - s - n
        if best is None or gaps < best:
            best = gaps
    return best


def _rank(k: _Keys, q: str, qc: str, qwords: list[str]) -> tuple[int, int] | None:
    if qc in k.abbrevs:
        return (_EXACT_ABBREV, 0)
    if q in k.names:
        return (_EXACT_NAME, 0)
    if k.name.startswith(q):
        return (_NAME_PREFIX, 0)
    ws = k.word_str
    if all(" " + w in ws for w in qwords):
        return (_WORD_PREFIX, 0)
    if k.abbrev_str and "\0" + qc in k.abbrev_str:
        return (_ABBREV_PREFIX, 0)
    if q in k.haystack:
        return (_SUBSTRING, 0)
    if k.chars.issuperset(qc):
        best: int | None = None
        for text, starts in k.fuzzy:
            gaps = _fuzzy_gaps(qc, text, starts)
            if gaps is not None and (best is None or gaps < best):
                best = gaps
        if best is not None:
            return (_FUZZY, best)
    return None


def search(query: str, limit: int | None = None, region: Region | None = None) -> list[Muscle]:
    """Muscles matching ``query``, best first.

    An empty (or blank) query returns the catalog in catalog order. Ranking:
    exact abbreviation ("ut"), exact name or synonym, name prefix, word prefix of
    any word of name, synonym or group (every query word must prefix some word:
    "lev scap"), abbreviation prefix, substring, then a fuzzy subsequence that
    starts at a word start ("sclne"), fewest skipped letters first. Ties keep
    catalog order. Case, accents and punctuation are ignored. ``region``
    restricts the search, ``limit`` caps the result (``limit <= 0`` gives ``[]``).
    """
    if limit is not None and limit <= 0:
        return []
    pool = _KEYS if region is None else _KEYS_BY_REGION[region]
    if not query.strip():
        muscles = [k.muscle for k in pool]
        return muscles if limit is None else muscles[:limit]
    q = _normalize(query)
    if not q:
        return []
    region_ids = REGION_WORDS.get(q)
    if region_ids is not None:
        # A region word lists that region's muscles, not a fuzzy match on its letters.
        found = [BY_ID[mid] for mid in region_ids]
        if region is not None:
            found = [m for m in found if m.region == region]
        return found if limit is None else found[:limit]
    qwords = q.split()
    qc = "".join(qwords)
    scored: list[tuple[int, int, int, Muscle]] = []
    for k in pool:
        rank = _rank(k, q, qc, qwords)
        if rank is not None:
            scored.append((rank[0], rank[1], k.index, k.muscle))
    scored.sort()  # (tier, gaps, catalog index) is unique per muscle: never compares Muscle
    result = [s[3] for s in scored]
    return result if limit is None else result[:limit]


__all__ = [
    "BY_ID",
    "CATALOG",
    "REGION_WORDS",
    "Muscle",
    "Region",
    "Risk",
    "RiskFlag",
    "anatomical_muscle",
    "by_region",
    "get",
    "parse_spinal_level",
    "search",
]
