"""Read-only figures for the practice dashboard (README, "Dashboard").

One call, :func:`dashboard`, returns everything the dashboard screen shows for a
period: signed visits per week, the 20560/20561 mix, charges by payer, adverse
events, open drafts by age (oldest first, late ones flagged) and Medicare
patients close to the NCD 30.3.3 visit limits. Every query is bounded by the
period (``visit.visit_date`` index), by status (``visit.status`` index) or
grouped in the database, so the cost does not grow with the whole history:
``bench/bench_dashboard.py`` measures it on 100,000 visits.

"Visits" are signed visits (not drafts, not entered in error), as on the day
sheet. Draft ages count calendar days from the visit date to ``today``: a draft
is late when it is older than ``late_days`` days (setting ``late_draft_days``).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import col

from dntui.domain.periods import Period, week_start
from dntui.store.models import Addendum, Patient, Practitioner, Visit, VisitStatus
from dntui.store.repo import Store

ADVERSE_KIND = "adverse-event"
SEVERITIES: tuple[str, ...] = ("mild", "significant", "serious")
#: Code-mix buckets: the two dry-needling codes, no code, anything else.
CODE_BUCKETS: tuple[str, ...] = ("20560", "20561", "none", "other")
#: Draft JSON holds ``"adverse_events": [...]`` (``json.dumps`` default separators):
#: a visit whose list is not empty matches this, and only those are parsed.
_ADVERSE_JSON = '%"adverse_events": [{%'
DEFAULT_LATE_DAYS = 2
#: A patient is listed when this close to a limit (10 of 12, 18 of 20).
LIMIT_MARGIN = 2


@dataclass(frozen=True)
class WeekCount:
    week: date  # the Monday
    visits: int


@dataclass(frozen=True)
class PayerTotal:
    payer: str  # the payer key stored on the visit ("" for none)
    visits: int
    charge: Decimal


@dataclass(frozen=True)
class AdverseCounts:
    total: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    visits: int = 0  # visits with at least one event
    serious_visits: tuple[tuple[int, date], ...] = ()  # (visit id, date), newest first


@dataclass(frozen=True)
class DraftAge:
    visit_id: int
    visit_date: date
    age_days: int
    late: bool
    patient_name: str
    chart_no: str
    practitioner_id: int
    practitioner_name: str


@dataclass(frozen=True)
class MedicareWatch:
    patient_id: int
    patient_name: str
    chart_no: str
    last_90_days: int
    this_year: int
    limit_90_days: int | None
    limit_year: int | None

    @property
    def reached(self) -> bool:
        return (self.limit_90_days is not None and self.last_90_days >= self.limit_90_days) or (
            self.limit_year is not None and self.this_year >= self.limit_year
        )


@dataclass(frozen=True)
class Dashboard:
    period: Period
    today: date
    late_days: int
    signed: int
    weeks: list[WeekCount]
    codes: dict[str, int]
    payers: list[PayerTotal]
    adverse: AdverseCounts
    drafts: list[DraftAge]  # oldest first, at most ``draft_limit``
    drafts_total: int
    drafts_late: int
    medicare_as_of: date
    medicare: list[MedicareWatch]

    @property
    def total_charge(self) -> Decimal:
        return sum((p.charge for p in self.payers), Decimal("0.00"))


def _money(text: str | None) -> Decimal:
    try:
        return Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _severity(text: str) -> str:
    low = text.lower()
    for sev in reversed(SEVERITIES):
        if sev in low:
            return sev
    return "mild"


def late_cutoff(today: date, late_days: int) -> date:
    """Drafts dated before this day are late (older than ``late_days`` days)."""
    return today - timedelta(days=late_days)


def draft_counts(
    store: Store, *, today: date, late_days: int, practitioner_id: int | None = None
) -> tuple[int, int]:
    """(open drafts, late drafts), of everyone or of one practitioner."""
    cutoff = late_cutoff(today, late_days)
    where = [Visit.status == VisitStatus.DRAFT]
    if practitioner_id is not None:
        where.append(Visit.practitioner_id == practitioner_id)
    stmt = select(
        func.count(col(Visit.id)),
        func.coalesce(func.sum(case((Visit.visit_date < cutoff, 1), else_=0)), 0),
    ).where(*where)
    with store.reading() as s:
        total, late = s.execute(stmt).one()
    return int(total), int(late)


def drafts_by_age(
    store: Store,
    *,
    today: date,
    late_days: int,
    practitioner_id: int | None = None,
    limit: int = 200,
) -> list[DraftAge]:
    """Open drafts, oldest visit date first (then lowest id)."""
    cutoff = late_cutoff(today, late_days)
    stmt = (
        select(
            Visit.id,
            Visit.visit_date,
            Visit.practitioner_id,
            Patient.name,
            Patient.chart_no,
            Practitioner.name,
        )
        .select_from(Visit)
        .join(Patient, col(Visit.patient_id) == col(Patient.id), isouter=True)
        .join(Practitioner, col(Visit.practitioner_id) == col(Practitioner.id))
        .where(Visit.status == VisitStatus.DRAFT)
    )
    if practitioner_id is not None:
        stmt = stmt.where(Visit.practitioner_id == practitioner_id)
    stmt = stmt.order_by(col(Visit.visit_date), col(Visit.id)).limit(limit)
    with store.reading() as s:
        rows = s.execute(stmt).all()
    return [
        DraftAge(
            visit_id=vid,
            visit_date=day,
            age_days=max(0, (today - day).days),
            late=day < cutoff,
            patient_name=pname if pname is not None else "(no patient yet)",
            chart_no=chart or "",
            practitioner_id=prid,
            practitioner_name=prac,
        )
        for vid, day, prid, pname, chart, prac in rows
    ]


def _adverse(s: Any, period: Period) -> AdverseCounts:
    in_period = and_(
        Visit.visit_date >= period.start,
        Visit.visit_date <= period.end,
        Visit.status != VisitStatus.ENTERED_IN_ERROR,
    )
    by_sev = dict.fromkeys(SEVERITIES, 0)
    visits: set[int] = set()
    serious: dict[int, date] = {}
    for vid, day, reason in s.execute(
        select(Addendum.visit_id, Visit.visit_date, Addendum.reason)
        .join(Visit, col(Addendum.visit_id) == col(Visit.id))
        .where(in_period, Addendum.kind == ADVERSE_KIND)
    ).all():
        sev = _severity(reason or "")
        by_sev[sev] += 1
        visits.add(vid)
        if sev == "serious":
            serious[vid] = day
    for vid, day, raw in s.execute(
        select(Visit.id, Visit.visit_date, Visit.draft_json).where(
            in_period, col(Visit.draft_json).like(_ADVERSE_JSON)
        )
    ).all():
        try:
            events = json.loads(raw).get("adverse_events") or []
        except (ValueError, AttributeError):
            continue
        for e in events:
            if not isinstance(e, dict):
                continue
            sev = str(e.get("severity") or "mild")
            sev = sev if sev in by_sev else "mild"
            by_sev[sev] += 1
            visits.add(vid)
            if sev == "serious":
                serious[vid] = day
    return AdverseCounts(
        total=sum(by_sev.values()),
        by_severity=by_sev,
        visits=len(visits),
        serious_visits=tuple(sorted(serious.items(), key=lambda kv: (kv[1], kv[0]), reverse=True)),
    )


def medicare_watch(
    store: Store,
    *,
    as_of: date,
    payers: Collection[str],
    limit_90_days: int | None = 12,
    limit_year: int | None = 20,
    margin: int = LIMIT_MARGIN,
) -> list[MedicareWatch]:
    """Patients with signed visits billed to ``payers`` at or past ``limit - margin``
    in the 90 days ending ``as_of`` or in ``as_of``'s calendar year; nearest first."""
    if not payers or (limit_90_days is None and limit_year is None):
        return []
    start_90 = as_of - timedelta(days=89)
    start_year = date(as_of.year, 1, 1)
    n90 = func.sum(case((Visit.visit_date >= start_90, 1), else_=0))
    ny = func.sum(case((Visit.visit_date >= start_year, 1), else_=0))
    having = []
    if limit_90_days is not None:
        having.append(n90 >= max(1, limit_90_days - margin))
    if limit_year is not None:
        having.append(ny >= max(1, limit_year - margin))
    stmt = (
        select(Visit.patient_id, n90, ny)
        .where(
            Visit.status == VisitStatus.SIGNED,
            col(Visit.payer).in_(list(payers)),
            col(Visit.patient_id).is_not(None),
            Visit.visit_date >= min(start_90, start_year),
            Visit.visit_date <= as_of,
        )
        .group_by(col(Visit.patient_id))
        .having(or_(*having))
    )
    with store.reading() as s:
        counts = {pid: (int(a), int(b)) for pid, a, b in s.execute(stmt).all()}
        names = {}
        if counts:
            names = {
                pid: (name, chart)
                for pid, name, chart in s.execute(
                    select(Patient.id, Patient.name, Patient.chart_no).where(
                        col(Patient.id).in_(list(counts))
                    )
                ).all()
            }
    out = [
        MedicareWatch(
            patient_id=pid,
            patient_name=names.get(pid, ("?", ""))[0],
            chart_no=names.get(pid, ("?", ""))[1],
            last_90_days=a,
            this_year=b,
            limit_90_days=limit_90_days,
            limit_year=limit_year,
        )
        for pid, (a, b) in counts.items()
    ]

    def closeness(w: MedicareWatch) -> float:
        r90 = w.last_90_days / limit_90_days if limit_90_days else 0.0
        ry = w.this_year / limit_year if limit_year else 0.0
        return max(r90, ry)

    out.sort(key=lambda w: (-closeness(w), w.patient_name, w.patient_id))
    return out


def dashboard(
    store: Store,
    period: Period,
    *,
    today: date,
    late_days: int = DEFAULT_LATE_DAYS,
    medicare_payers: Collection[str] = ("medicare",),
    limit_90_days: int | None = 12,
    limit_year: int | None = 20,
    draft_limit: int = 200,
) -> Dashboard:
    """Every figure of the dashboard for ``period``; drafts are all open drafts as of
    ``today``; Medicare counts are as of the period's end (or today, if earlier)."""
    signed_in_period = (
        Visit.status == VisitStatus.SIGNED,
        Visit.visit_date >= period.start,
        Visit.visit_date <= period.end,
    )
    with store.reading() as s:
        # One pass over the period's signed visits, grouped finely enough for every
        # figure (at most days x codes x payers x charges rows); summed below.
        groups = s.execute(
            select(
                Visit.visit_date, Visit.code, Visit.payer, Visit.charge, func.count(col(Visit.id))
            )
            .where(*signed_in_period)
            .group_by(col(Visit.visit_date), col(Visit.code), col(Visit.payer), col(Visit.charge))
        ).all()
        adverse = _adverse(s, period)
    weeks = dict.fromkeys(period.weeks(), 0)
    codes = dict.fromkeys(CODE_BUCKETS, 0)
    payers: dict[str, list[Any]] = {}
    for day, code, payer, charge, n in groups:
        n = int(n)
        weeks[week_start(day)] = weeks.get(week_start(day), 0) + n
        bucket = code if code in ("20560", "20561") else ("none" if not code else "other")
        codes[bucket] += n
        acc = payers.setdefault(payer or "", [0, Decimal("0.00")])
        acc[0] += n
        acc[1] += _money(charge) * n
    payer_totals = sorted(
        (PayerTotal(k, v[0], v[1]) for k, v in payers.items()),
        key=lambda p: (-p.charge, -p.visits, p.payer),
    )
    total, late = draft_counts(store, today=today, late_days=late_days)
    as_of = min(today, period.end)
    return Dashboard(
        period=period,
        today=today,
        late_days=late_days,
        signed=sum(weeks.values()),
        weeks=[WeekCount(w, n) for w, n in sorted(weeks.items())],
        codes=codes,
        payers=payer_totals,
        adverse=adverse,
        drafts=drafts_by_age(store, today=today, late_days=late_days, limit=draft_limit),
        drafts_total=total,
        drafts_late=late,
        medicare_as_of=as_of,
        medicare=medicare_watch(
            store,
            as_of=as_of,
            payers=medicare_payers,
            limit_90_days=limit_90_days,
            limit_year=limit_year,
        ),
    )
