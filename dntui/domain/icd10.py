"""Diagnosis codes often paired with dry needling (the domain notes (docs/sources.md) section 1).

A small built-in list with our own short labels and sources, a shape check for
any ICD-10-CM code a practitioner types, and a search over the list. The list
is a convenience, not a limit: any well-formed code is accepted, except codes
the sources say must not be used as they are (M54.5, deleted Oct 2021 [18]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Diagnosis:
    code: str
    label: str  # our short label
    source: tuple[str, ...]
    note: str = ""


_M79: Final = ("17",)
_M62: Final = ("19",)
_M54: Final = ("18",)
_TABULAR: Final = ("icd10cm",)

CODES: Final = (
    # Myalgia family; myofascial pain syndrome is classified under M79.1 [17].
    Diagnosis(
        "M79.10", "Myalgia, site not specified", _M79, "M79.1 family: includes myofascial pain"
    ),
    Diagnosis(
        "M79.11", "Myalgia of the chewing muscles", _M79, "M79.1 family: includes myofascial pain"
    ),
    Diagnosis(
        "M79.12",
        "Myalgia of the auxiliary muscles, head and neck",
        _M79,
        "M79.1 family: includes myofascial pain",
    ),
    Diagnosis("M79.18", "Myalgia, other site", _M79, "M79.1 family: includes myofascial pain"),
    # Muscle spasm [19].
    Diagnosis("M62.830", "Muscle spasm of the back", _M62),
    Diagnosis("M62.831", "Muscle spasm of the calf", _M62),
    Diagnosis("M62.838", "Other muscle spasm", _M62),
    # Low back pain; M54.5 was deleted Oct 2021 [18].
    Diagnosis("M54.50", "Low back pain, not specified", _M54),
    Diagnosis("M54.51", "Vertebrogenic low back pain", _M54),
    Diagnosis("M54.59", "Other low back pain", _M54),
    # Named in the ICD-10-CM tabular list.
    Diagnosis("M54.2", "Neck pain (cervicalgia)", _TABULAR),
    Diagnosis("M54.6", "Pain in the thoracic spine", _TABULAR),
)
BY_CODE: Final = {d.code: d for d in CODES}

#: Codes refused as typed, with what to use instead and the source.
REFUSED: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "M54.5": ("M54.5 was deleted Oct 2021: use M54.50, M54.51 or M54.59", ("18",)),
    "M79.1": (
        "M79.1 needs a fifth character: use M79.10, M79.11, M79.12 or M79.18",
        ("17", "icd10cm"),
    ),
    "M62.83": (
        "M62.83 needs a sixth character: use M62.830, M62.831 or M62.838",
        ("19", "icd10cm"),
    ),
}

# Letter, two characters (the second usually a digit; a few categories such as
# M1A end in a letter), then optionally a dot and 1-4 letters or digits.
_SHAPE: Final = re.compile(r"^[A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?$")


class InvalidCode(ValueError):
    """A diagnosis code that is malformed or must not be used; ``str()`` says why."""

    def __init__(self, message: str, source: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.source = source


def normalise(code: str) -> str:
    """Upper-case, strip, and put the dot after the third character if it is missing."""
    text = "".join(code.split()).upper()
    if "." not in text and len(text) > 3:
        text = f"{text[:3]}.{text[3:]}"
    return text


def validate_code(code: str) -> str:
    """Return the normalised code, or raise ``InvalidCode`` (a ``ValueError``) saying why."""
    text = normalise(code)
    if not text:
        raise InvalidCode("enter a diagnosis code, e.g. M79.18")
    if text in REFUSED:
        message, source = REFUSED[text]
        raise InvalidCode(message, source)
    if not _SHAPE.match(text):
        raise InvalidCode(
            f"{code.strip()!r} is not an ICD-10-CM code: expected a letter, two digits, "
            "then optionally a dot and 1-4 letters or digits (e.g. M79.18)"
        )
    return text


def search_codes(query: str) -> tuple[Diagnosis, ...]:
    """Built-in codes matching ``query``: a code prefix (dot optional) or all its words.

    An empty query returns the whole list, in list order.
    """
    q = query.strip().lower()
    if not q:
        return CODES
    compact = q.replace(".", "")
    words = q.split()
    out = []
    for diag in CODES:
        if diag.code.lower().replace(".", "").startswith(compact):
            out.append(diag)
            continue
        haystack = f"{diag.code} {diag.label} {diag.note}".lower()
        if all(w in haystack for w in words):
            out.append(diag)
    return tuple(out)
