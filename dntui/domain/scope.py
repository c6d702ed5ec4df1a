"""Scope of practice by state: may this practitioner dry needle in the clinic's state?

The seed article: "the specific regulations regarding who can perform dry needling vary
from state to state" [seed]. :func:`lookup` answers from the sourced table in
``scope_data`` (each entry with its sources and the date it was checked); a state or
profession without an entry is ``unknown: check your state board``. :func:`scope_warnings`
turns the answer into billing-pane warnings for the signing practitioner: profession not
permitted, rules unclear, recorded training below the state's minimum, or unknown.

Not legal advice: the table records what its sources said on the day they were read.
Pure: no file or database access (the data is a Python module).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from dntui.domain.credentials import Credential, parse_credential
from dntui.domain.scope_data import (
    ENTRIES,
    SCOPE_SOURCES,
    STATES,
    Profession,
    ScopeEntry,
    ScopeSource,
    Status,
)
from dntui.domain.visit import PractitionerInfo

UNKNOWN_TEXT: Final = "unknown: check your state board"

#: Credential -> the profession the state tables use.
_PROFESSION: Final[dict[Credential, Profession]] = {
    Credential.PT: Profession.PT,
    Credential.DPT: Profession.PT,
    Credential.PTA: Profession.PTA,
    Credential.DC: Profession.DC,
    Credential.MD: Profession.PHYSICIAN,
    Credential.DO: Profession.PHYSICIAN,
    Credential.PA: Profession.PA,
    Credential.NP: Profession.NP,
    Credential.LAC: Profession.LAC,
}

#: "Dry needling by <who>" in warnings.
_WHO: Final[dict[Profession, str]] = {
    Profession.PT: "a PT",
    Profession.PTA: "a PTA",
    Profession.DC: "a DC",
    Profession.PHYSICIAN: "a physician (MD/DO)",
    Profession.LAC: "an LAc",
    Profession.AT: "an AT",
    Profession.NP: "an NP",
    Profession.PA: "a PA",
}

_INDEX: Final[dict[tuple[str, Profession], ScopeEntry]] = {
    (e.state, e.profession): e for e in ENTRIES
}


@dataclass(frozen=True)
class ScopeWarning:
    """One line for the billing pane (``billing.summarize`` copies it into its warnings)."""

    level: Literal["info", "warn", "stop"]
    text: str
    source: tuple[str, ...] = ()


class StateCodeError(ValueError):
    """A clinic state that is not a two-letter US state code; the message is one line."""


def normalise_state(text: str) -> str:
    """``text`` as a two-letter code ("va" -> "VA"); "" stays "" (not set).

    Raises :class:`StateCodeError` with one clear line for anything else.
    """
    code = text.strip().upper()
    if not code:
        return ""
    if code not in STATES:
        raise StateCodeError(
            f'{text.strip()[:20]!r} is not a two-letter US state code (like "VA" or "DC")'
        )
    return code


def profession_for(credentials: str) -> Profession | None:
    """The profession of a credential code or free text (None: no table covers it)."""
    cred = parse_credential(credentials)
    return _PROFESSION.get(cred) if cred is not None else None


@dataclass(frozen=True)
class ScopeResult:
    """What the table says about one profession in one state."""

    state: str
    profession: Profession | None  # None: not a profession the tables know
    status: Status
    training: str = ""
    min_hours: int | None = None
    min_years: int | None = None
    registration: bool = False
    sources: tuple[ScopeSource, ...] = ()
    checked: date | None = None
    note: str = ""

    @property
    def state_name(self) -> str:
        return STATES.get(self.state, self.state)

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.sources)

    @property
    def citation(self) -> str:
        """Short citation: "scope table, checked 2026-11-27" ("" for an unknown result)."""
        if self.checked is None:
            return ""
        return f"scope table, checked {self.checked:%Y-%m-%d}"


def lookup(state: str, profession: Profession | str) -> ScopeResult:
    """The sourced entry for ``profession`` in ``state``, or an ``unknown`` result."""
    code = state.strip().upper()
    try:
        prof = Profession(profession)
    except ValueError:
        prof = None
    entry = _INDEX.get((code, prof)) if prof is not None else None
    if entry is None:
        return ScopeResult(code, prof, Status.UNKNOWN, note=UNKNOWN_TEXT)
    return ScopeResult(
        state=entry.state,
        profession=entry.profession,
        status=entry.status,
        training=entry.training,
        min_hours=entry.min_hours,
        min_years=entry.min_years,
        registration=entry.registration,
        sources=tuple(SCOPE_SOURCES[k] for k in entry.sources),
        checked=entry.checked,
        note=entry.note,
    )


def scope_warnings(clinic_state: str, practitioner: PractitionerInfo) -> list[ScopeWarning]:
    """Warnings for ``practitioner`` needling in ``clinic_state`` ("" = not set: none)."""
    code = clinic_state.strip().upper()
    if not code:
        return []
    state_name = STATES.get(code, code)
    prof = profession_for(practitioner.credentials)
    shown = practitioner.credentials.strip() or "no credential"
    if prof is None:
        return [
            ScopeWarning(
                "info",
                f"Scope of practice in {state_name} for {shown}: {UNKNOWN_TEXT}.",
            )
        ]
    result = lookup(code, prof)
    who = _WHO[prof]
    keys = result.source_keys
    if result.status is Status.UNKNOWN:
        return [ScopeWarning("info", f"Dry needling by {who} in {state_name}: {UNKNOWN_TEXT}.")]
    cite = f" ({result.citation})"
    if result.status is Status.PROHIBITED:
        return [
            ScopeWarning(
                "warn",
                f"Dry needling by {who} is not permitted in {state_name}{cite}: "
                "check your state board.",
                keys,
            )
        ]
    if result.status is Status.UNCLEAR:
        return [
            ScopeWarning(
                "warn",
                f"Dry needling by {who} in {state_name} is unclear{cite}: {result.note} "
                "Check your state board.",
                keys,
            )
        ]
    out: list[ScopeWarning] = []
    hours = practitioner.dn_training_hours
    if result.min_hours is not None:
        if hours is None:
            out.append(
                ScopeWarning(
                    "warn",
                    f"{state_name} asks {who} for at least {result.min_hours} h of dry needling "
                    f"training and none is recorded (add the hours to the practitioner "
                    f"profile){cite}.",
                    keys,
                )
            )
        elif hours < result.min_hours:
            out.append(
                ScopeWarning(
                    "warn",
                    f"Recorded dry needling training ({hours} h) is below {state_name}'s minimum "
                    f"of {result.min_hours} h for {who}{cite}.",
                    keys,
                )
            )
    if result.training:
        out.append(
            ScopeWarning("info", f"{state_name}, {prof.value}: {result.training}{cite}", keys)
        )
    return out


def render_markdown() -> str:
    """docs/scope-of-practice.md, generated from the table (tests keep the two in sync)."""
    lines = [
        "# Scope of practice by state",
        "",
        "Generated from `dntui/domain/scope_data.py` by `python tools/gen_scope_doc.py`; do not",
        "edit by hand (`tests/domain/test_scope.py` fails when this page and the data differ).",
        "",
        "**Not legal advice.** Each entry records what its sources said on the day they were",
        "read (the *Checked* column); boards change their rules. A state or profession that is",
        f'not listed is shown in the app as "{UNKNOWN_TEXT}". *Unclear* means the',
        "sources disagree or the board is silent. *Min. hours* is the dry needling training",
        "the app compares with the practitioner's recorded hours (the hours needed before",
        "needling patients, where the rule phases them).",
        "",
        "| State | Profession | Status | Training required | Min. hours | Min. years | Board registration | Sources | Checked |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in sorted(ENTRIES, key=lambda e: (STATES[e.state], e.profession.value)):
        detail = " ".join(t for t in (e.training, e.note) if t) or "-"
        lines.append(
            f"| {STATES[e.state]} ({e.state}) | {e.profession.value} | {e.status.value} | "
            f"{detail} | {_dash(e.min_hours)} | {_dash(e.min_years)} | "
            f"{'yes' if e.registration else '-'} | {', '.join(e.sources)} | {e.checked:%Y-%m-%d} |"
        )
    missing = [f"{name} ({code})" for code, name in STATES.items() if not _covered(code)]
    lines += [
        "",
        "## States with no entry",
        "",
        ", ".join(missing) if missing else "None: every state has at least one entry.",
        "",
        "## Sources",
        "",
        "| Key | Title | Publisher | Kind | Address | As of | Checked |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in SCOPE_SOURCES.values():
        lines.append(
            f"| {s.key} | {s.title} | {s.publisher} | {s.kind.value} | {s.address} | "
            f"{s.as_of or 'not dated'} | {s.checked:%Y-%m-%d} |"
        )
    return "\n".join(lines) + "\n"


def _dash(value: int | None) -> str:
    return "-" if value is None else str(value)


def _covered(code: str) -> bool:
    return any(e.state == code for e in ENTRIES)


__all__ = [
    "UNKNOWN_TEXT",
    "Profession",
    "ScopeResult",
    "ScopeWarning",
    "StateCodeError",
    "Status",
    "lookup",
    "normalise_state",
    "profession_for",
    "render_markdown",
    "scope_warnings",
]
