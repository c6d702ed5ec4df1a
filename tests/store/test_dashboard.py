"""Dashboard figures against a seeded database of known counts (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from builders import plain_draft, record_of
from store_support import PIN

from dntui.domain.periods import Period
from dntui.domain.visit import MuscleEntry, Side, VisitDraft
from dntui.store.dashboard import dashboard, draft_counts, drafts_by_age, medicare_watch
from dntui.store.models import Patient, Practitioner
from dntui.store.repo import Store

TODAY = date(2026, 3, 18)  # a Wednesday
MARCH = Period.containing("month", TODAY)


def _draft(pr: Practitioner, pa: Patient | None, day: date, payer: str, **kw: object) -> VisitDraft:
    muscles = [MuscleEntry("gluteus-medius", Side.RIGHT, 2, 2)]
    return plain_draft(pr, pa, day=day, payer=payer, muscles=muscles, **kw)


def _sign(store: Store, pr: Practitioner, draft: VisitDraft, code: str, charge: str) -> int:
    v = store.sign(
        record_of(
            store.save_draft(draft, actor=pr),
            code=code,
            muscle_count=1,
            charge=charge,
            note_text="note",
            units=1 if code else 0,
        ),
        signer=pr,
    )
    assert v.id is not None
    return v.id


@dataclass
class Seeded:
    store: Store
    dana: Practitioner
    sam: Practitioner
    c_visit: int  # signed 10 Mar with a serious adverse-event addendum
    drafts: list[int]  # oldest first: 1 Mar (Dana), 15 Mar (Sam), 16 Mar (Dana), 18 Mar (Dana)
    pat: Patient  # Medicare, 10 signed visits in the 90 days before TODAY
    quinn: Patient  # Medicare, 9 signed visits in the same window
    yara: Patient  # Medicare, 18 signed visits in 2025, none in its last 90 days


@pytest.fixture
def seeded(store: Store) -> Seeded:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    sam = store.add_practitioner("Sam Okafor", "DC", pin=PIN)
    jane = store.add_patient("Jane Doe", date(1980, 2, 3), actor=dana)
    john = store.add_patient("John Smith", date(1975, 6, 1), actor=dana)
    mary = store.add_patient("Mary Watson", date(1990, 7, 4), actor=dana)
    pat = store.add_patient("Pat Long", date(1950, 1, 1), actor=dana)
    quinn = store.add_patient("Quinn Short", date(1951, 1, 1), actor=dana)
    yara = store.add_patient("Yara Year", date(1952, 1, 1), actor=dana)
    # In March: A (20561, Medicare 38.32), B (20560, Medicare 25.74), C (20560,
    # self-pay 60.00), D (no code, self-pay, no charge); E signed then entered in error.
    a = _sign(store, dana, _draft(dana, jane, date(2026, 3, 2), "medicare"), "20561", "38.32")
    _sign(store, dana, _draft(dana, jane, date(2026, 3, 3), "medicare"), "20560", "25.74")
    c = _sign(store, sam, _draft(sam, john, date(2026, 3, 10), "self-pay"), "20560", "60.00")
    _sign(store, sam, _draft(sam, john, date(2026, 3, 10), "self-pay"), "", "")
    e = _sign(store, dana, _draft(dana, mary, date(2026, 3, 11), "commercial"), "20561", "80.00")
    store.void(e, actor=dana, reason="wrong patient")
    # Outside the period (27 Feb), with an adverse event that must not count.
    f = _sign(store, dana, _draft(dana, john, date(2026, 2, 27), "commercial"), "20560", "30.00")
    store.add_addendum(
        c,
        author=sam,
        text="Fainted, admitted.",
        reason="adverse event (serious)",
        kind="adverse-event",
    )
    store.add_addendum(a, author=dana, text="Typo fixed.", reason="correction")
    store.add_addendum(
        f, author=dana, text="Bruising.", reason="adverse event (mild)", kind="adverse-event"
    )
    drafts = []
    for who, day, extra in (
        (dana, date(2026, 3, 16), {}),
        (sam, date(2026, 3, 15), {"adverse_events": [{"severity": "mild", "kind": "bruising"}]}),
        (dana, date(2026, 3, 18), {}),
        (dana, date(2026, 3, 1), {}),
    ):
        d = store.save_draft(_draft(who, jane, day, "self-pay", **extra), actor=who)
        assert d.visit_id is not None
        drafts.append((day, d.visit_id))
    # Medicare limits: Pat 10 and Quinn 9 signed visits, weekly from 20 Dec 2025
    # (Pat's last on 21 Feb 2026, Quinn's on 14 Feb).
    for patient, n in ((pat, 10), (quinn, 9)):
        for i in range(n):
            day = date(2025, 12, 20) + timedelta(days=7 * i)
            _sign(store, dana, _draft(dana, patient, day, "medicare"), "20560", "25.74")
    for i in range(18):  # Yara: every 15 days from 10 Jan 2025 (last on 8 Jul 2025)
        day = date(2025, 1, 10) + timedelta(days=15 * i)
        _sign(store, dana, _draft(dana, yara, day, "medicare"), "20560", "25.74")
    return Seeded(store, dana, sam, c, [v for _, v in sorted(drafts)], pat, quinn, yara)


def test_month_figures(seeded: Seeded) -> None:
    d = dashboard(seeded.store, MARCH, today=TODAY, late_days=2)
    assert d.signed == 4
    assert [(w.week, w.visits) for w in d.weeks] == [
        (date(2026, 2, 23), 0),  # 1 Mar is a Sunday: its week starts in February
        (date(2026, 3, 2), 2),
        (date(2026, 3, 9), 2),
        (date(2026, 3, 16), 0),
        (date(2026, 3, 23), 0),
        (date(2026, 3, 30), 0),
    ]
    assert d.codes == {"20560": 2, "20561": 1, "none": 1, "other": 0}
    assert [(p.payer, p.visits, p.charge) for p in d.payers] == [
        ("medicare", 2, Decimal("64.06")),
        ("self-pay", 2, Decimal("60.00")),
    ]
    assert d.total_charge == Decimal("124.06")
    assert d.adverse.total == 2
    assert d.adverse.by_severity == {"mild": 1, "significant": 0, "serious": 1}
    assert d.adverse.visits == 2
    assert d.adverse.serious_visits == ((seeded.c_visit, date(2026, 3, 10)),)


def test_drafts_oldest_first_and_late_after_threshold(seeded: Seeded) -> None:
    d = dashboard(seeded.store, MARCH, today=TODAY, late_days=2)
    assert [x.visit_id for x in d.drafts] == seeded.drafts
    assert [x.age_days for x in d.drafts] == [17, 3, 2, 0]
    # Older than 2 days: 1 Mar and 15 Mar; 16 Mar is exactly 2 days old, not late.
    assert [x.late for x in d.drafts] == [True, True, False, False]
    assert (d.drafts_total, d.drafts_late) == (4, 2)
    # One day later the 16 Mar draft is past the threshold.
    assert draft_counts(seeded.store, today=TODAY + timedelta(days=1), late_days=2) == (4, 3)
    assert draft_counts(seeded.store, today=TODAY, late_days=0) == (4, 3)
    assert draft_counts(seeded.store, today=TODAY, late_days=30) == (4, 0)
    dana = seeded.dana.id
    assert draft_counts(seeded.store, today=TODAY, late_days=2, practitioner_id=dana) == (3, 1)
    own = drafts_by_age(seeded.store, today=TODAY, late_days=2, practitioner_id=dana)
    assert [x.visit_id for x in own] == [seeded.drafts[0], seeded.drafts[2], seeded.drafts[3]]
    assert {x.practitioner_name for x in own} == {"Dana Reyes"}


def test_medicare_patients_near_limits(seeded: Seeded) -> None:
    d = dashboard(seeded.store, MARCH, today=TODAY, late_days=2)
    assert d.medicare_as_of == TODAY
    assert [(w.patient_name, w.last_90_days, w.this_year) for w in d.medicare] == [
        ("Pat Long", 10, 8)  # 20 and 27 Dec are in 2025
    ]
    assert not d.medicare[0].reached
    # Year rule: as of 31 Dec 2025 Yara has 18 of 20; her last visit was in July.
    year_end = medicare_watch(seeded.store, as_of=date(2025, 12, 31), payers=["medicare"])
    assert [(w.patient_name, w.last_90_days, w.this_year) for w in year_end] == [
        ("Yara Year", 0, 18)
    ]
    # Other payer keys do not count; a limit reached is flagged.
    assert medicare_watch(seeded.store, as_of=TODAY, payers=["medicare-advantage"]) == []
    tight = medicare_watch(seeded.store, as_of=TODAY, payers=["medicare"], limit_90_days=10)
    assert [w.patient_name for w in tight] == ["Pat Long", "Quinn Short"]
    assert [w.reached for w in tight] == [True, False]


def test_other_periods(seeded: Seeded) -> None:
    week = dashboard(seeded.store, Period.containing("week", date(2026, 3, 10)), today=TODAY)
    assert week.signed == 2 and week.codes["none"] == 1
    assert [w.week for w in week.weeks] == [date(2026, 3, 9)]
    q1 = dashboard(seeded.store, Period.containing("quarter", TODAY), today=TODAY)
    # Quarter 1: March's 4, F on 27 Feb, and Pat's 8 and Quinn's 7 visits of 2026.
    assert q1.signed == 4 + 1 + 8 + 7
    assert q1.adverse.by_severity == {"mild": 2, "significant": 0, "serious": 1}
    # Medicare counts are as of the period end when it is past.
    feb = dashboard(seeded.store, MARCH.shift(-1), today=TODAY)
    assert feb.medicare_as_of == date(2026, 2, 28)
    # February: F, Pat on 7, 14, 21 Feb and Quinn on 7, 14 Feb.
    assert feb.period.start == date(2026, 2, 1) and feb.signed == 1 + 3 + 2
    empty = dashboard(seeded.store, MARCH.shift(12), today=TODAY)
    assert empty.signed == 0 and empty.payers == [] and empty.adverse.total == 0
