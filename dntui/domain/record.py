"""From a draft to the signed record: the one signing function.

``sign_visit`` is pure: given the draft, the fee schedule, who signs and a
clock, it checks what must hold (``signing.sign_blockers``), works out the
billing (``billing.summarize``), renders the note and returns a
``SignedRecord``. The review step, the demo seeding, the bench and the tests all
sign through it, and the store writes exactly what it holds
(``Store.sign(record, signer=...)``).

The stored billing is a ``BillingRecord`` serialised with a version key
(``{"schema": "dntui.billing/2", ...}``). ``BillingRecord.from_json`` reads it
back typed, and also reads the unversioned dicts of earlier releases.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from dntui.domain import billing, instructions, safety, screening, visit_billing
from dntui.domain.errors import DntuiError
from dntui.domain.fees import FeeSchedule
from dntui.domain.note import render_note
from dntui.domain.signing import sign_blockers
from dntui.domain.visit import PractitionerInfo, VisitDraft

BILLING_SCHEMA: Final = "dntui.billing/2"

Clock = Callable[[], datetime]


def utc_clock() -> datetime:
    """The real clock (timezone-aware, UTC)."""
    return datetime.now(UTC)


def content_hash(draft_json: str, billing_json: str, note_text: str) -> str:
    """SHA-256 of what was signed, over the exact strings stored in the visit row.

    The audit chain records it at signing, so it also vouches for the content.
    """
    body = json.dumps([draft_json, billing_json, note_text], ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- billing
@dataclass(frozen=True)
class RecordedWarning:
    level: str  # "stop", "warn" or "info"
    text: str


@dataclass(frozen=True)
class BillingRecord:
    """The billing of a visit as signed."""

    code: str | None
    label: str = ""
    muscle_count: int = 0
    counting: str = ""
    counted: tuple[str, ...] = ()
    units: int = 0
    modifiers: tuple[str, ...] = ()
    charge: Decimal | None = None
    payer_key: str = ""
    payer_name: str = ""
    warnings: tuple[RecordedWarning, ...] = ()
    #: Self-pay: what the patient pays (cash price less discount); None otherwise.
    patient_pays: Decimal | None = None

    @classmethod
    def from_summary(cls, summary: billing.BillingSummary, *, payer_key: str) -> BillingRecord:
        return cls(
            code=summary.code,
            label=summary.label,
            muscle_count=summary.muscle_count,
            counting=summary.counting,
            counted=tuple(summary.counted),
            units=summary.units,
            modifiers=tuple(summary.modifiers),
            charge=summary.charge,
            payer_key=payer_key,
            payer_name=summary.payer_name,
            warnings=tuple(RecordedWarning(w.level, w.text) for w in summary.warnings),
            patient_pays=summary.patient_pays,
        )

    @property
    def warning_texts(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.warnings)

    @property
    def charge_text(self) -> str:
        """The charge as stored in the visit row: decimal text, "" without a code or fee."""
        return str(self.charge) if self.charge is not None and self.code else ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": BILLING_SCHEMA,
            "code": self.code,
            "label": self.label,
            "muscle_count": self.muscle_count,
            "counting": self.counting,
            "counted": list(self.counted),
            "units": self.units,
            "modifiers": list(self.modifiers),
            "charge": str(self.charge) if self.charge is not None else None,
            "payer": self.payer_key,
            "payer_name": self.payer_name,
            "warnings": [{"level": w.level, "text": w.text} for w in self.warnings],
            "patient_pays": str(self.patient_pays) if self.patient_pays is not None else None,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str | None, *, code: str = "", payer_key: str = "") -> BillingRecord:
        """Read a stored billing: this schema, or an unversioned dict of earlier releases.

        ``code`` and ``payer_key`` are the visit row's columns, used where an old
        row lacks them. Unreadable text gives an empty record, never an error.
        """
        try:
            data = json.loads(raw or "{}")
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        the_code = _text_or_none(data.get("code")) or (code or None)
        if data.get("schema") == BILLING_SCHEMA:
            payer_key = str(data.get("payer") or payer_key)
            payer_name = str(data.get("payer_name") or "")
        else:  # release 1: "payer" held the payer's name, warnings were plain texts
            payer_name = str(data.get("payer") or "")
        return cls(
            code=the_code,
            label=str(data.get("label") or ""),
            muscle_count=_int(data.get("muscle_count"), 0),
            counting=str(data.get("counting") or ""),
            counted=_texts(data.get("counted")),
            units=_int(data.get("units"), 1 if the_code else 0),
            modifiers=_texts(data.get("modifiers")),
            charge=_money(data.get("charge")),
            payer_key=payer_key,
            payer_name=payer_name,
            warnings=_warnings(data.get("warnings")),
            patient_pays=_money(data.get("patient_pays")),
        )


def _text_or_none(value: object) -> str | None:
    return str(value) if isinstance(value, str) and value else None


def _int(value: object, default: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return default


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()


def _money(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _warnings(value: object) -> tuple[RecordedWarning, ...]:
    if not isinstance(value, list | tuple):
        return ()
    out = []
    for w in value:
        if isinstance(w, dict):
            out.append(RecordedWarning(str(w.get("level") or "warn"), str(w.get("text") or "")))
        else:
            out.append(RecordedWarning("warn", str(w)))
    return tuple(out)


# ---------------------------------------------------------------- signing
class SignBlockedError(DntuiError):
    """The visit cannot be signed yet; ``blockers`` says why (one line each)."""

    def __init__(self, blockers: list[str]) -> None:
        self.blockers = list(blockers)
        super().__init__("Cannot sign yet: " + "; ".join(self.blockers))


@dataclass(frozen=True)
class SignedRecord:
    """What signing a draft produces, and what the store writes."""

    draft: VisitDraft
    code: str  # "" when no muscle was needled
    muscle_count: int
    charge: str  # decimal text, "" for none
    billing: BillingRecord
    note_text: str
    signed_at: datetime
    signer_id: int | None = field(default=None)

    @property
    def draft_json(self) -> str:
        """The draft exactly as the visit row stores it."""
        return json.dumps(self.draft.to_dict())

    @property
    def billing_json(self) -> str:
        return self.billing.to_json()

    @property
    def content_hash(self) -> str:
        return content_hash(self.draft_json, self.billing_json, self.note_text)


def blockers_for(draft: VisitDraft, signer: PractitionerInfo | None = None) -> list[str]:
    """Everything that stops ``signer`` signing ``draft`` now; empty when it can be signed."""
    found = sign_blockers(draft, evaluate_screening(draft), safety.safety_warnings(draft))
    if signer is not None and draft.practitioner.id != signer.id:
        found.insert(
            0,
            f"This visit is {draft.practitioner.name}'s: only they can sign it "
            "(switch practitioner with p on the start screen)",
        )
    return found


def evaluate_screening(draft: VisitDraft) -> screening.ScreeningResult:
    """Screening as the visit screen evaluates it: pregnancy trimester and e-stim included."""
    return screening.evaluate(
        draft.screening,
        draft.consent,
        [m.muscle_id for m in draft.muscles],
        trimester=draft.pregnancy_trimester,
        estim=any(m.estim for m in draft.muscles),
    )


def handout_text(draft: VisitDraft, *, clinic_name: str = "") -> str:
    """The instructions given: as edited, else as generated from the visit."""
    return draft.instructions or instructions.render_text(draft, clinic_name=clinic_name)


def signed_line(signer: PractitionerInfo, at: datetime) -> str:
    return f"{signer.name}, {signer.credentials}, {at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def sign_visit(
    draft: VisitDraft,
    schedule: FeeSchedule,
    signer: PractitionerInfo,
    clock: Clock = utc_clock,
    *,
    clinic_name: str = "",
    prior_visits: Iterable[date] = (),
    coverage: visit_billing.CoverageContext | None = None,
    clinic_state: str = "",
) -> SignedRecord:
    """The signed record of ``draft``. Raises SignBlockedError when it cannot be signed.

    ``prior_visits`` are the dates of the patient's earlier signed visits under the same
    payer, as the billing pane used them (Medicare session numbers and KX);
    ``coverage`` the patient's coverage for the payer (authorization warnings);
    ``clinic_state`` the setting the pane used (its scope-of-practice warnings are
    kept in the billing)."""
    found = blockers_for(draft, signer)
    if found:
        raise SignBlockedError(found)
    at = clock()
    summary = visit_billing.summarize(
        draft, schedule, tuple(prior_visits), coverage, clinic_state=clinic_state
    )
    record = BillingRecord.from_summary(summary, payer_key=draft.payer)
    note = render_note(
        draft,
        summary,
        evaluate_screening(draft),
        instructions=handout_text(draft, clinic_name=clinic_name),
        signed=signed_line(signer, at),
        status="signed",
    )
    return SignedRecord(
        draft=draft,
        code=summary.code or "",
        muscle_count=summary.muscle_count,
        charge=record.charge_text,
        billing=record,
        note_text=note,
        signed_at=at,
        signer_id=signer.id,
    )
