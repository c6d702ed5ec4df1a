"""Read-only queries for history, the patient view, the day sheet and exports.

Every list is paged (keyset on ``visit_date, id``) or bounded: nothing here
loads a whole table. The filters use the indexes of the initial schema:
``visit.visit_date`` (newest first; on SQLite it carries the rowid, so the
``id`` tie-break needs no sort), ``visit.patient_id``, ``visit.practitioner_id``,
``visit.code``, ``visit.status``, ``addendum.visit_id`` and the patient name
and chart-number indexes. ``bench/bench_history.py`` measures them on 100,000
visits (every query below 35 ms on SQLite and PostgreSQL), so no extra index
is needed.

Rows come back as plain frozen dataclasses; no ORM object escapes a session.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.sql import ColumnElement
from sqlmodel import col

from dntui.domain import muscles
from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.coverage import Coverage, remaining_text, remaining_visits
from dntui.domain.outcomes import OutcomePoint
from dntui.domain.record import BillingRecord
from dntui.domain.visit_billing import CoverageContext
from dntui.store.models import (
    Addendum,
    AuditEvent,
    CoverageRecord,
    Patient,
    Practitioner,
    Visit,
    VisitMuscle,
    VisitStatus,
)
from dntui.store.repo import Store, VisitRecord, name_key
from dntui.store.views import (
    CHART_NO,
    CREDENTIALS,
    DATE_OF_BIRTH,
    PATIENT_NAME,
    PRACTITIONER_NAME,
    ROW_COLUMNS,
    VisitRow,
    patient_matches,
    visit_columns,
    visit_row,
    visit_rows_select,
    visit_select,
)

#: Status filter values besides the stored statuses.
HAS_ADDENDA = "has-addenda"
STATUS_FILTERS: tuple[str, ...] = (
    VisitStatus.DRAFT,
    VisitStatus.SIGNED,
    VisitStatus.ENTERED_IN_ERROR,
    HAS_ADDENDA,
)
#: Statuses of visits that were signed (an entered-in-error visit was signed first).
SIGNED_STATUSES: tuple[str, ...] = (VisitStatus.SIGNED, VisitStatus.ENTERED_IN_ERROR)
ADVERSE_KIND = "adverse-event"


# ------------------------------------------------------------------- filters
@dataclass(frozen=True)
class HistoryFilter:
    """What the history screen filters on. Empty fields do not filter."""

    patient: str = ""  # name words, chart number or birth date, as in patient search
    practitioner: str = ""  # start of the practitioner's first or last name
    practitioner_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    code: str = ""  # start of the CPT code
    status: str = ""  # "", a stored status, or HAS_ADDENDA

    def __post_init__(self) -> None:
        if self.status and self.status not in STATUS_FILTERS:
            raise ValueError(f"unknown status filter {self.status!r}")


def _like_prefix(column: Any, text: str) -> ColumnElement[bool]:
    return col(column).startswith(text, autoescape=True)


def _patient_condition(query: str) -> ColumnElement[bool] | None:
    q = name_key(query)
    return patient_matches(q) if q else None


def _conditions(f: HistoryFilter) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    pcond = _patient_condition(f.patient)
    if pcond is not None:
        # A subquery on the small patient table; the visit side then uses
        # (patient_id, visit_date) or walks visit_date newest first.
        where.append(col(Visit.patient_id).in_(select(Patient.id).where(pcond)))
    if f.practitioner_id is not None:
        where.append(Visit.practitioner_id == f.practitioner_id)
    q = " ".join(f.practitioner.lower().split())
    if q:
        lowered = func.lower(Practitioner.name)
        where.append(
            col(Visit.practitioner_id).in_(
                select(Practitioner.id).where(
                    or_(
                        lowered.startswith(q, autoescape=True),
                        lowered.contains(" " + q, autoescape=True),
                    )
                )
            )
        )
    if f.date_from is not None:
        where.append(Visit.visit_date >= f.date_from)
    if f.date_to is not None:
        where.append(Visit.visit_date <= f.date_to)
    code = f.code.strip().upper()
    if code:
        where.append(_like_prefix(Visit.code, code))
    if f.status == HAS_ADDENDA:
        where.append(exists().where(Addendum.visit_id == Visit.id))
    elif f.status:
        where.append(Visit.status == f.status)
    return where


# ------------------------------------------------------------------- history
@dataclass(frozen=True)
class HistoryPage:
    rows: list[VisitRow]
    #: True when more rows follow; pass ``next_after`` to get them.
    more: bool

    @property
    def next_after(self) -> tuple[date, int] | None:
        if not self.rows:
            return None
        last = self.rows[-1]
        return (last.visit_date, last.id)


def history_page(
    store: Store,
    f: HistoryFilter | None = None,
    *,
    after: tuple[date, int] | None = None,
    limit: int = 100,
) -> HistoryPage:
    """Visits newest first (date, then id), ``limit`` at a time after ``after``."""
    f = f or HistoryFilter()
    stmt = visit_rows_select().where(*_conditions(f))
    if after is not None:
        day, vid = after
        stmt = stmt.where(
            or_(Visit.visit_date < day, and_(Visit.visit_date == day, col(Visit.id) < vid))
        )
    stmt = stmt.order_by(col(Visit.visit_date).desc(), col(Visit.id).desc()).limit(limit + 1)
    with store.reading() as s:
        found = s.execute(stmt).all()
    return HistoryPage([visit_row(r) for r in found[:limit]], more=len(found) > limit)


def history_count(store: Store, f: HistoryFilter | None = None, *, cap: int = 1000) -> int:
    """How many visits match, counted up to ``cap`` (then ``cap`` is returned)."""
    f = f or HistoryFilter()
    inner = select(Visit.id).select_from(Visit).where(*_conditions(f)).limit(cap).subquery()
    with store.reading() as s:
        return int(s.execute(select(func.count()).select_from(inner)).scalar_one())


# --------------------------------------------------------------- one visit
@dataclass(frozen=True)
class AddendumLine:
    at: datetime
    author: str
    kind: str
    reason: str
    text: str


@dataclass(frozen=True)
class AuditLine:
    seq: int
    at: datetime
    actor: str
    action: str
    detail: str


@dataclass
class VisitDetail:
    """A visit with its addenda (author names resolved) and its audit trail."""

    record: VisitRecord
    addenda: list[AddendumLine] = field(default_factory=list)
    audit: list[AuditLine] = field(default_factory=list)
    signer: str = ""


def visit_detail(store: Store, visit_id: int, *, audit_limit: int = 500) -> VisitDetail:
    """Raises NotFoundError for an unknown visit."""
    record = store.load(visit_id)
    v = record.visit
    with store.reading() as s:
        ids = {a.author_id for a in record.addenda}
        if v.signed_by is not None:
            ids.add(v.signed_by)
        names: dict[int, str] = {}
        if ids:
            names = {
                p.id: f"{p.name}, {p.credentials}"
                for p in s.execute(
                    select(Practitioner.id, Practitioner.name, Practitioner.credentials).where(
                        col(Practitioner.id).in_(ids)
                    )
                ).all()
            }
        events = s.execute(
            select(
                AuditEvent.seq,
                AuditEvent.at,
                AuditEvent.actor,
                AuditEvent.action,
                AuditEvent.detail,
            )
            .where(AuditEvent.visit_id == visit_id)
            .order_by(col(AuditEvent.seq))
            .limit(audit_limit)
        ).all()
    return VisitDetail(
        record=record,
        addenda=[
            AddendumLine(a.created_at, names.get(a.author_id, "?"), a.kind, a.reason, a.text)
            for a in record.addenda
        ],
        audit=[AuditLine(e.seq, e.at, e.actor, e.action, e.detail) for e in events],
        signer=names.get(v.signed_by, "") if v.signed_by is not None else "",
    )


# -------------------------------------------------------------- the patient
def muscle_name(muscle_id: str) -> str:
    m = muscles.BY_ID.get(muscle_id)
    return m.name if m is not None else muscle_id


@dataclass(frozen=True)
class MuscleLine:
    muscle_id: str
    name: str
    side: str  # L, R or B
    needles: int  # needles in

    @property
    def text(self) -> str:
        return f"{self.name} {self.side}"


@dataclass(frozen=True)
class PatientVisit:
    id: int
    visit_date: date
    status: str
    code: str
    muscle_count: int
    payer: str
    practitioner_name: str
    muscles: tuple[MuscleLine, ...]
    adverse_events: tuple[str, ...]
    addenda: int
    serious: bool = False  # a serious adverse event (hospital admission) on this visit
    #: Pain and function as recorded on the visit (all None: not recorded).
    outcome: OutcomePoint | None = None


def _draft_outcome(draft_json: str, visit_date: date) -> OutcomePoint:
    """The visit's NPRS and PSFS from its stored draft; older visits have none."""
    return OutcomePoint.measured(visit_date, *_assessment_of(draft_json))


def _draft_muscles(draft_json: str) -> tuple[MuscleLine, ...]:
    try:
        data = json.loads(draft_json)
    except ValueError:
        return ()
    out = []
    for m in data.get("muscles") or []:
        mid = str(m.get("muscle_id", ""))
        out.append(
            MuscleLine(mid, muscle_name(mid), str(m.get("side", "")), int(m.get("needles_in", 0)))
        )
    return tuple(out)


def _draft_adverse(draft_json: str) -> list[str]:
    """Adverse events recorded on the visit before signing (``VisitDraft.adverse_events``)."""
    try:
        events = json.loads(draft_json).get("adverse_events") or []
    except (ValueError, AttributeError):
        return []
    out = []
    for e in events:
        if not isinstance(e, dict):
            continue
        words = [str(e.get("kind") or "event")]
        if e.get("severity"):
            words.append(f"({e['severity']})")
        if e.get("muscle"):
            words.append(f"at {e['muscle']}")
        out.append(" ".join(words))
    return out


SERIOUS = "serious"  # Physiotherapy Alberta scale: hospital admission [30]


def _draft_has_serious(draft_json: str) -> bool:
    try:
        events = json.loads(draft_json).get("adverse_events") or []
    except (ValueError, AttributeError):
        return False
    return any(isinstance(e, dict) and e.get("severity") == SERIOUS for e in events)


def _serious_addenda(s: Any, visit_ids: Sequence[int]) -> set[int]:
    """Visits with an adverse-event addendum of serious severity (reason "adverse event (serious)")."""
    if not visit_ids:
        return set()
    rows = s.execute(
        select(Addendum.visit_id)
        .where(col(Addendum.visit_id).in_(visit_ids))
        .where(Addendum.kind == ADVERSE_KIND)
        .where(col(Addendum.reason).contains(f"({SERIOUS})"))
    ).all()
    return {r.visit_id for r in rows}


def _muscles_by_visit(s: Any, visit_ids: Sequence[int]) -> dict[int, list[MuscleLine]]:
    out: dict[int, list[MuscleLine]] = {}
    if not visit_ids:
        return out
    rows = s.execute(
        select(
            VisitMuscle.visit_id, VisitMuscle.muscle_id, VisitMuscle.side, VisitMuscle.needles_in
        )
        .where(col(VisitMuscle.visit_id).in_(visit_ids))
        .order_by(col(VisitMuscle.visit_id), col(VisitMuscle.position))
    ).all()
    for r in rows:
        out.setdefault(r.visit_id, []).append(
            MuscleLine(r.muscle_id, muscle_name(r.muscle_id), r.side, r.needles_in)
        )
    return out


def _addenda_by_visit(s: Any, visit_ids: Sequence[int]) -> dict[int, int]:
    if not visit_ids:
        return {}
    rows = s.execute(
        select(Addendum.visit_id, func.count(col(Addendum.id)).label("n"))
        .where(col(Addendum.visit_id).in_(visit_ids))
        .group_by(col(Addendum.visit_id))
    ).all()
    return {r.visit_id: r.n for r in rows}


def patient_visits(store: Store, patient_id: int, *, limit: int = 500) -> list[PatientVisit]:
    """A patient's visits, newest first, with muscles and adverse events."""
    with store.reading() as s:
        rows = s.execute(
            visit_select(
                *ROW_COLUMNS,
                *visit_columns("payer", "draft_json"),
            )
            .where(Visit.patient_id == patient_id)
            .order_by(col(Visit.visit_date).desc(), col(Visit.id).desc())
            .limit(limit)
        ).all()
        ids = [r.id for r in rows]
        signed_muscles = _muscles_by_visit(s, ids)
        adverse: dict[int, list[str]] = {}
        counts = _addenda_by_visit(s, ids)
        serious = _serious_addenda(s, ids)
        if ids:
            for a in s.execute(
                select(Addendum.visit_id, Addendum.reason, Addendum.text)
                .where(col(Addendum.visit_id).in_(ids))
                .where(Addendum.kind == ADVERSE_KIND)
                .order_by(col(Addendum.id))
            ).all():
                first = (a.text.strip().splitlines() or [a.reason or "adverse event"])[0]
                adverse.setdefault(a.visit_id, []).append(first)
    out = []
    for r in rows:
        lines = signed_muscles.get(r.id)
        out.append(
            PatientVisit(
                id=r.id,
                visit_date=r.visit_date,
                status=r.status,
                code=r.code,
                muscle_count=r.muscle_count,
                payer=r.payer,
                practitioner_name=r.practitioner_name,
                muscles=tuple(lines) if lines is not None else _draft_muscles(r.draft_json),
                adverse_events=(*_draft_adverse(r.draft_json), *adverse.get(r.id, [])),
                addenda=counts.get(r.id, 0),
                serious=r.id in serious or _draft_has_serious(r.draft_json),
                outcome=_draft_outcome(r.draft_json, r.visit_date),
            )
        )
    return out


def last_assessment(
    store: Store, patient_id: int, *, before: date, exclude_visit_id: int | None = None
) -> Assessment | None:
    """The assessment of the patient's latest signed visit on or before ``before`` that
    has one (None when none has): a follow-up starts from it."""
    where = [
        Visit.patient_id == patient_id,
        Visit.status == VisitStatus.SIGNED,
        Visit.visit_date <= before,
    ]
    if exclude_visit_id is not None:
        where.append(Visit.id != exclude_visit_id)
    with store.reading() as s:
        rows = s.execute(
            select(Visit.draft_json)
            .where(*where)
            .order_by(col(Visit.visit_date).desc(), col(Visit.id).desc())
            .limit(20)
        ).all()
    for r in rows:
        a, _ = _assessment_of(r.draft_json)
        if not a.empty:
            return a
    return None


# ------------------------------------------------------------------ coverage
def _coverage_of(row: CoverageRecord) -> Coverage:
    """The domain's ``Coverage`` of a stored row (the row's columns by the dataclass's
    field names; ``Store.record_coverage`` writes them the same way)."""
    return Coverage(**{f.name: getattr(row, f.name) for f in fields(Coverage)})


def current_coverage(store: Store, patient_id: int) -> dict[str, Coverage]:
    """The coverage in force for each payer of the patient (the newest row per payer)."""
    with store.reading() as s:
        rows = s.execute(
            select(CoverageRecord)
            .where(CoverageRecord.patient_id == patient_id)
            .order_by(col(CoverageRecord.id))
            .limit(1000)
        ).scalars()
        return {r.payer: _coverage_of(r) for r in rows}


def _signed_in_window(
    s: Any, patient_id: int, c: Coverage, exclude_visit_id: int | None = None
) -> int:
    where = [
        Visit.patient_id == patient_id,
        Visit.status == VisitStatus.SIGNED,
        Visit.payer == c.payer,
    ]
    if c.starts is not None:
        where.append(Visit.visit_date >= c.starts)
    if c.ends is not None:
        where.append(Visit.visit_date <= c.ends)
    if exclude_visit_id is not None:
        where.append(Visit.id != exclude_visit_id)
    return int(s.execute(select(func.count(col(Visit.id))).where(*where)).scalar() or 0)


def coverage_context(
    store: Store, patient_id: int, payer: str, *, exclude_visit_id: int | None = None
) -> CoverageContext:
    """The coverage for the billing pane: in force for ``payer``, and the signed visits
    under it within the authorized dates (not counting ``exclude_visit_id``)."""
    c = current_coverage(store, patient_id).get(payer)
    if c is None:
        return CoverageContext(None, 0)
    with store.reading() as s:
        return CoverageContext(c, _signed_in_window(s, patient_id, c, exclude_visit_id))


@dataclass(frozen=True)
class CoverageLine:
    coverage: Coverage
    signed_in_window: int

    @property
    def remaining(self) -> str:
        return remaining_text(self.coverage, self.signed_in_window)

    @property
    def short(self) -> str:
        """ "2 of 4" authorized visits left; "" without an authorized count."""
        left = remaining_visits(self.coverage, self.signed_in_window)
        return "" if left is None else f"{left} of {self.coverage.visits_authorized}"


def patient_coverage(store: Store, patient_id: int) -> list[CoverageLine]:
    """Every payer's coverage in force for the patient, with its authorized visits used."""
    found = current_coverage(store, patient_id)
    with store.reading() as s:
        return [
            CoverageLine(c, _signed_in_window(s, patient_id, c)) for _, c in sorted(found.items())
        ]


def _remaining_for(
    s: Any, pairs: Collection[tuple[int, str]]
) -> dict[tuple[int, str], CoverageLine]:
    """The authorization in force for each (patient, payer) with an authorized count."""
    if not pairs:
        return {}
    patients = sorted({p for p, _ in pairs})
    rows = s.execute(
        select(CoverageRecord)
        .where(col(CoverageRecord.patient_id).in_(patients))
        .order_by(col(CoverageRecord.id))
    ).scalars()
    newest: dict[tuple[int, str], Coverage] = {}
    for r in rows:
        newest[(r.patient_id, r.payer)] = _coverage_of(r)
    out = {}
    for key in pairs:
        c = newest.get(key)
        if c is not None and c.visits_authorized is not None:
            out[key] = CoverageLine(c, _signed_in_window(s, key[0], c))
    return out


@dataclass(frozen=True)
class VisitCounts:
    """Signed visits (not entered in error) of one patient in two windows ending today."""

    last_90_days: int
    this_year: int  # since January 1 of today's year


def visit_counts(
    store: Store, patient_id: int, *, today: date, payers: Collection[str] | None = None
) -> VisitCounts:
    """Counts for the visit limits; ``payers`` restricts to visits billed to those payers."""
    start_90 = today - timedelta(days=89)
    start_year = date(today.year, 1, 1)
    where = [
        Visit.patient_id == patient_id,
        Visit.status == VisitStatus.SIGNED,
        Visit.visit_date <= today,
        Visit.visit_date >= min(start_90, start_year),
    ]
    if payers is not None:
        where.append(col(Visit.payer).in_(list(payers)))
    with store.reading() as s:
        days = [r.visit_date for r in s.execute(select(Visit.visit_date).where(*where)).all()]
    return VisitCounts(
        last_90_days=sum(1 for d in days if d >= start_90),
        this_year=sum(1 for d in days if d >= start_year),
    )


def prior_signed_dates(
    store: Store,
    patient_id: int,
    *,
    before: date,
    payers: Collection[str],
    exclude_visit_id: int | None = None,
) -> list[date]:
    """Dates of the patient's signed visits billed to ``payers`` in the year up to ``before``.

    The Medicare session numbers of the billing pane come from these (NCD 30.3.3:
    12 in 90 days, 20 a year). Entered-in-error visits do not count; neither does
    the visit being logged (``exclude_visit_id``). Bounded: at most a year of visits.
    """
    where = [
        Visit.patient_id == patient_id,
        Visit.status == VisitStatus.SIGNED,
        Visit.visit_date <= before,
        Visit.visit_date >= min(before - timedelta(days=366), date(before.year, 1, 1)),
        col(Visit.payer).in_(list(payers)),
    ]
    if exclude_visit_id is not None:
        where.append(Visit.id != exclude_visit_id)
    with store.reading() as s:
        return [r[0] for r in s.execute(select(Visit.visit_date).where(*where).limit(1000)).all()]


# --------------------------------------------------------------- day sheet
def _money(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return Decimal(str(text))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class DaySheetLine:
    visit_id: int
    patient_name: str
    chart_no: str
    practitioner_name: str
    payer: str
    code: str
    modifiers: tuple[str, ...]
    units: int
    charge: Decimal | None
    diagnosis_codes: tuple[str, ...]
    warnings: tuple[str, ...]
    serious: bool = False  # a serious adverse event (hospital admission) on this visit
    #: The authorization in force for the patient and payer (None: no authorized count).
    authorization: CoverageLine | None = None

    @property
    def authorized_left(self) -> str:
        """ "n of m authorized visits left (to ...)", "" without an authorized count."""
        return self.authorization.remaining if self.authorization is not None else ""


@dataclass(frozen=True)
class CodeTotal:
    code: str
    visits: int
    units: int
    charge: Decimal


@dataclass(frozen=True)
class DaySheet:
    day: date
    practitioner_id: int | None
    lines: list[DaySheetLine]
    drafts: list[VisitRow]  # not billable
    entered_in_error: int  # visits of the day marked entered in error (not billed)

    @property
    def total_units(self) -> int:
        return sum(line.units for line in self.lines)

    @property
    def total_charge(self) -> Decimal:
        return sum((line.charge or Decimal(0) for line in self.lines), Decimal("0.00"))

    @property
    def by_code(self) -> list[CodeTotal]:
        acc: dict[str, list[Any]] = {}
        for line in self.lines:
            a = acc.setdefault(line.code or "", [0, 0, Decimal("0.00")])
            a[0] += 1
            a[1] += line.units
            a[2] += line.charge or Decimal(0)
        return [CodeTotal(code, *acc[code]) for code in sorted(acc)]


def day_sheet(store: Store, day: date, *, practitioner_id: int | None = None) -> DaySheet:
    """Every signed visit of ``day`` (optionally one practitioner's), drafts apart."""
    where = [Visit.visit_date == day]
    if practitioner_id is not None:
        where.append(Visit.practitioner_id == practitioner_id)
    stmt = visit_select(
        *ROW_COLUMNS,
        *visit_columns(
            "payer", "charge", "diagnosis_codes", "billing_json", "draft_json", "patient_id"
        ),
    )
    stmt = stmt.where(*where).order_by(col(Practitioner.name), col(Visit.id))
    with store.reading() as s:
        rows = s.execute(stmt).all()
        serious = _serious_addenda(s, [r.id for r in rows])
        left = _remaining_for(
            s,
            {
                (r.patient_id, r.payer)
                for r in rows
                if r.status == VisitStatus.SIGNED and r.patient_id is not None
            },
        )
    lines: list[DaySheetLine] = []
    drafts: list[VisitRow] = []
    voided = 0
    for r in rows:
        if r.status == VisitStatus.DRAFT:
            drafts.append(visit_row(r))
            continue
        if r.status != VisitStatus.SIGNED:
            voided += 1
            continue
        billing = BillingRecord.from_json(r.billing_json, code=r.code, payer_key=r.payer)
        lines.append(
            DaySheetLine(
                visit_id=r.id,
                patient_name=r.patient_name or "",
                chart_no=r.chart_no or "",
                practitioner_name=r.practitioner_name,
                payer=billing.payer_name or r.payer,
                code=r.code,
                modifiers=billing.modifiers,
                units=billing.units,
                charge=_money(r.charge),
                diagnosis_codes=tuple(r.diagnosis_codes.split()),
                warnings=billing.warning_texts,
                serious=r.id in serious or _draft_has_serious(r.draft_json),
                authorization=left.get((r.patient_id, r.payer)),
            )
        )
    return DaySheet(day, practitioner_id, lines, drafts, voided)


# ------------------------------------------------------------------ exports
@dataclass(frozen=True)
class ExportRecord:
    """One signed visit as exported (see README, "History, day sheet and exports")."""

    visit_id: int
    visit_date: date
    status: str
    chart_no: str
    patient_name: str
    date_of_birth: date | None
    practitioner: str
    credentials: str
    payer: str  # the payer key stored on the visit
    payer_name: str  # the payer's name as signed
    diagnosis_codes: tuple[str, ...]
    code: str
    muscle_count: int
    counting: str
    muscles: tuple[MuscleLine, ...]
    modifiers: tuple[str, ...]
    units: int
    charge: str  # decimal text as signed, "" for none
    warnings: tuple[str, ...]
    signed_at: datetime | None
    addenda: int
    #: Pain and function as signed (empty: not recorded, e.g. visits before 0005).
    assessment: Assessment = field(default_factory=Assessment)
    outcome: Outcome = field(default_factory=Outcome)
    #: Self-pay: what the patient paid, decimal text ("" for insured visits).
    patient_pays: str = ""


def _assessment_of(draft_json: str) -> tuple[Assessment, Outcome]:
    try:
        data = json.loads(draft_json)
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    return Assessment.from_dict(data.get("assessment")), Outcome.from_dict(data.get("outcome"))


def _export_conditions(
    date_from: date | None, date_to: date | None, practitioner_id: int | None
) -> list[ColumnElement[bool]]:
    # A draft discarded as entered in error was never signed: it is no billing record.
    where = [col(Visit.status).in_(SIGNED_STATUSES), col(Visit.signed_at).is_not(None)]
    if date_from is not None:
        where.append(Visit.visit_date >= date_from)
    if date_to is not None:
        where.append(Visit.visit_date <= date_to)
    if practitioner_id is not None:
        where.append(Visit.practitioner_id == practitioner_id)
    return where


def export_count(
    store: Store,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    practitioner_id: int | None = None,
) -> int:
    """How many visits ``export_records`` yields for the same arguments (for progress)."""
    where = _export_conditions(date_from, date_to, practitioner_id)
    with store.reading() as s:
        return int(s.execute(select(func.count(col(Visit.id))).where(*where)).scalar_one())


def export_records(
    store: Store,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    practitioner_id: int | None = None,
    batch: int = 500,
) -> Iterator[ExportRecord]:
    """Every signed (or signed, then entered-in-error) visit, oldest first, in batches."""
    where = _export_conditions(date_from, date_to, practitioner_id)
    after: tuple[date, int] | None = None
    while True:
        stmt = visit_select(
            *visit_columns(
                "id",
                "visit_date",
                "status",
                "payer",
                "diagnosis_codes",
                "code",
                "muscle_count",
                "charge",
                "billing_json",
                "draft_json",
                "signed_at",
            ),
            CHART_NO,
            PATIENT_NAME,
            DATE_OF_BIRTH,
            PRACTITIONER_NAME,
            CREDENTIALS,
        ).where(*where)
        if after is not None:
            stmt = stmt.where(
                or_(
                    Visit.visit_date > after[0],
                    and_(Visit.visit_date == after[0], col(Visit.id) > after[1]),
                )
            )
        stmt = stmt.order_by(col(Visit.visit_date), col(Visit.id)).limit(batch)
        with store.reading() as s:
            rows = s.execute(stmt).all()
            ids = [r.id for r in rows]
            by_visit = _muscles_by_visit(s, ids)
            addenda = _addenda_by_visit(s, ids)
        for r in rows:
            billing = BillingRecord.from_json(r.billing_json, code=r.code, payer_key=r.payer)
            assessment, outcome = _assessment_of(r.draft_json)
            yield ExportRecord(
                assessment=assessment,
                outcome=outcome,
                patient_pays=str(billing.patient_pays) if billing.patient_pays is not None else "",
                visit_id=r.id,
                visit_date=r.visit_date,
                status=r.status,
                payer=r.payer,
                diagnosis_codes=tuple(r.diagnosis_codes.split()),
                code=r.code,
                muscle_count=r.muscle_count,
                charge=r.charge or "",
                signed_at=r.signed_at,
                chart_no=r.chart_no or "",
                patient_name=r.patient_name or "",
                date_of_birth=r.date_of_birth,
                practitioner=r.practitioner_name,
                credentials=r.credentials,
                payer_name=billing.payer_name,
                counting=billing.counting,
                muscles=tuple(by_visit.get(r.id, ())),
                modifiers=billing.modifiers,
                units=billing.units,
                warnings=billing.warning_texts,
                addenda=addenda.get(r.id, 0),
            )
        if len(rows) < batch:
            return
        after = (rows[-1].visit_date, rows[-1].id)
