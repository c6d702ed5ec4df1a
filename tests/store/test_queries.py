"""History filters, paging, the patient view, the day sheet and export records.

Each test runs on SQLite and on PostgreSQL (the ``store`` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pytest
from builders import plain_draft, record_of
from store_support import PIN

from dntui.domain.visit import (
    MuscleEntry,
    Side,
    VisitDraft,
)
from dntui.store.models import Patient, Practitioner
from dntui.store.queries import (
    HAS_ADDENDA,
    HistoryFilter,
    day_sheet,
    export_records,
    history_count,
    history_page,
    patient_visits,
    visit_counts,
    visit_detail,
)
from dntui.store.repo import Store

DAY = date(2026, 1, 5)


@dataclass
class Known:
    """A small clinic with known visits (ids in the order of creation)."""

    store: Store
    dana: Practitioner
    sam: Practitioner
    jane: Patient
    john: Patient
    mary: Patient
    v_jane_signed: int  # Jane, Dana, DAY, Medicare, 20561, 2 modifiers, 2 warnings
    v_john_signed: int  # John, Sam, DAY, self-pay, 20560
    v_jane_draft: int  # Jane, Dana, DAY: a draft
    v_mary_void: int  # Mary, Dana, DAY: signed then entered in error
    v_john_later: int  # John, Dana, DAY + 36: signed, with an adverse-event addendum


def _draft(
    pr: Practitioner,
    pa: Patient,
    day: date,
    payer: str,
    dx: list[str],
    muscles: list[MuscleEntry],
) -> VisitDraft:
    return plain_draft(pr, pa, day=day, payer=payer, dx=dx, muscles=muscles)


def _sign(
    store: Store,
    pr: Practitioner,
    draft: VisitDraft,
    code: str,
    count: int,
    charge: str,
    modifiers: list[str],
    warnings: list[str],
    payer_name: str,
) -> int:
    saved = store.save_draft(draft, actor=pr)
    v = store.sign(
        record_of(
            saved,
            code=code,
            muscle_count=count,
            charge=charge,
            modifiers=modifiers,
            warnings=warnings,
            payer_name=payer_name,
            counting=f"{count} muscles counted",
            label="dry needling",
            note_text="note",
        ),
        signer=pr,
    )
    assert v.id is not None
    return v.id


def make_known(store: Store) -> Known:
    dana = store.add_practitioner("Dana Reyes", "PT", pin=PIN)
    sam = store.add_practitioner("Sam Okafor", "DC", pin=PIN)
    jane = store.add_patient("Jane Doe", date(1980, 2, 3), actor=dana)
    john = store.add_patient("John Smith", date(1975, 6, 1), actor=dana)
    mary = store.add_patient("Mary Jane Watson", date(1990, 7, 4), actor=dana, chart_no="EXT-7")
    v1 = _sign(
        store,
        dana,
        _draft(
            dana,
            jane,
            DAY,
            "medicare",
            ["M79.11", "M62.838"],
            [
                MuscleEntry("upper-trapezius", Side.BILATERAL, 4, 4),
                MuscleEntry("infraspinatus", Side.LEFT, 2, 2),
            ],
        ),
        "20561",
        3,
        "38.32",
        ["GP", "GX"],
        ["Medicare does not cover dry needling by a PT", "ABN on file: GX added"],
        "Medicare",
    )
    v2 = _sign(
        store,
        sam,
        _draft(
            sam,
            john,
            DAY,
            "self-pay",
            ["M54.50"],
            [MuscleEntry("gluteus-medius", Side.RIGHT, 3, 3)],
        ),
        "20560",
        1,
        "25.74",
        [],
        [],
        "Self-pay",
    )
    v3 = store.save_draft(
        _draft(dana, jane, DAY, "medicare", [], [MuscleEntry("gastrocnemius", Side.LEFT, 1, 0)]),
        actor=dana,
    ).visit_id
    assert v3 is not None
    v4 = _sign(
        store,
        dana,
        _draft(
            dana, mary, DAY, "self-pay", ["M79.18"], [MuscleEntry("gastrocnemius", Side.LEFT, 2, 2)]
        ),
        "20560",
        1,
        "25.74",
        [],
        [],
        "Self-pay",
    )
    store.void(v4, actor=dana, reason="wrong patient")
    v5 = _sign(
        store,
        dana,
        _draft(
            dana,
            john,
            DAY + timedelta(days=36),
            "commercial",
            ["M54.50"],
            [MuscleEntry("gluteus-medius", Side.RIGHT, 2, 2)],
        ),
        "20560",
        1,
        "30.00",
        ["GP"],
        [],
        "Commercial insurance",
    )
    store.add_addendum(
        v5,
        author=dana,
        text="Bruising at the site, resolved in 2 days.",
        reason="follow-up",
        kind="adverse-event",
    )
    return Known(store, dana, sam, jane, john, mary, v1, v2, v3, v4, v5)


@pytest.fixture
def known(store: Store) -> Known:
    return make_known(store)


def ids(k: Known, f: HistoryFilter, **kwargs: object) -> list[int]:
    return [r.id for r in history_page(k.store, f, **kwargs).rows]  # type: ignore[arg-type]


# ------------------------------------------------------------------ history
def test_history_is_newest_first_with_names_and_addenda(known: Known) -> None:
    k = known
    page = history_page(k.store, HistoryFilter())
    assert [r.id for r in page.rows] == [
        k.v_john_later,
        k.v_mary_void,
        k.v_jane_draft,
        k.v_john_signed,
        k.v_jane_signed,
    ]
    assert page.more is False
    first = page.rows[0]
    assert (first.patient_name, first.chart_no, first.practitioner_name) == (
        "John Smith",
        k.john.chart_no,
        "Dana Reyes",
    )
    assert (first.code, first.muscle_count, first.addenda, first.status) == (
        "20560",
        1,
        1,
        "signed",
    )
    assert history_count(k.store) == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jane", ["v_mary_void", "v_jane_draft", "v_jane_signed"]),  # first word and second word
        ("doe", ["v_jane_draft", "v_jane_signed"]),
        ("smi", ["v_john_later", "v_john_signed"]),
        ("ext-", ["v_mary_void"]),  # chart number prefix
        ("1975-06-01", ["v_john_later", "v_john_signed"]),  # birth date
        ("JOHN   SMITH", ["v_john_later", "v_john_signed"]),
        ("%", []),  # a wildcard is text
        ("zz", []),
    ],
)
def test_history_filters_by_patient_prefix(known: Known, query: str, expected: list[str]) -> None:
    want = [getattr(known, name) for name in expected]
    f = HistoryFilter(patient=query)
    assert ids(known, f) == want
    assert history_count(known.store, f) == len(want)


def test_history_filters_by_practitioner_dates_code_and_status(known: Known) -> None:
    k = known
    assert ids(k, HistoryFilter(practitioner="sam")) == [k.v_john_signed]
    assert ids(k, HistoryFilter(practitioner="OKA")) == [k.v_john_signed]  # last name
    assert ids(k, HistoryFilter(practitioner_id=k.sam.id)) == [k.v_john_signed]
    assert ids(k, HistoryFilter(date_from=DAY + timedelta(days=1))) == [k.v_john_later]
    assert ids(k, HistoryFilter(date_to=DAY)) == [
        k.v_mary_void,
        k.v_jane_draft,
        k.v_john_signed,
        k.v_jane_signed,
    ]
    assert ids(k, HistoryFilter(date_from=DAY, date_to=DAY + timedelta(days=36))) == ids(
        k, HistoryFilter()
    )
    assert (
        ids(k, HistoryFilter(date_from=DAY + timedelta(days=1), date_to=DAY + timedelta(days=2)))
        == []
    )
    assert ids(k, HistoryFilter(code="20561")) == [k.v_jane_signed]
    assert ids(k, HistoryFilter(code="2056")) == [
        k.v_john_later,
        k.v_mary_void,
        k.v_john_signed,
        k.v_jane_signed,
    ]
    assert ids(k, HistoryFilter(status="draft")) == [k.v_jane_draft]
    assert ids(k, HistoryFilter(status="signed")) == [
        k.v_john_later,
        k.v_john_signed,
        k.v_jane_signed,
    ]
    assert ids(k, HistoryFilter(status="entered-in-error")) == [k.v_mary_void]
    assert ids(k, HistoryFilter(status=HAS_ADDENDA)) == [k.v_john_later]
    # Filters combine.
    assert ids(k, HistoryFilter(patient="john", practitioner="dana", code="20560")) == [
        k.v_john_later
    ]
    assert ids(k, HistoryFilter(patient="jane", status="signed", date_to=DAY)) == [k.v_jane_signed]


def test_unknown_status_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        HistoryFilter(status="deleted")


def test_history_pages_by_keyset_without_gaps_or_repeats(known: Known) -> None:
    k = known
    seen: list[int] = []
    after = None
    pages = 0
    while True:
        page = history_page(k.store, HistoryFilter(), after=after, limit=2)
        seen += [r.id for r in page.rows]
        pages += 1
        if not page.more:
            break
        after = page.next_after
    assert pages == 3
    assert seen == ids(k, HistoryFilter())
    assert history_count(k.store, HistoryFilter(), cap=3) == 3  # capped


# ---------------------------------------------------------------- one visit
def test_visit_detail_has_addenda_authors_and_audit_trail(known: Known) -> None:
    d = visit_detail(known.store, known.v_john_later)
    assert d.signer == "Dana Reyes, PT"
    assert [(a.author, a.kind) for a in d.addenda] == [("Dana Reyes, PT", "adverse-event")]
    assert [e.action for e in d.audit] == ["visit.create", "visit.sign", "visit.addendum"]
    assert all(e.actor == "Dana Reyes" for e in d.audit)


# -------------------------------------------------------------- patient view
def test_patient_visits_show_muscles_codes_and_adverse_events(known: Known) -> None:
    k = known
    visits = patient_visits(k.store, k.jane.id)  # type: ignore[arg-type]
    assert [v.id for v in visits] == [k.v_jane_draft, k.v_jane_signed]
    draft, signed = visits
    assert [(m.name, m.side, m.needles) for m in signed.muscles] == [
        ("Upper trapezius", "B", 4),
        ("Infraspinatus", "L", 2),
    ]
    assert (signed.code, signed.muscle_count, signed.payer) == ("20561", 3, "medicare")
    assert [m.text for m in draft.muscles] == ["Gastrocnemius L"]  # from the draft
    john = patient_visits(k.store, k.john.id)  # type: ignore[arg-type]
    assert john[0].adverse_events == ("Bruising at the site, resolved in 2 days.",)
    assert john[1].adverse_events == ()


def test_visit_counts_for_the_medicare_limits(known: Known) -> None:
    k = known
    jid = k.john.id
    assert jid is not None
    c = visit_counts(k.store, jid, today=DAY + timedelta(days=40))
    assert (c.last_90_days, c.this_year) == (2, 2)
    c = visit_counts(k.store, jid, today=DAY + timedelta(days=100))  # DAY is 100 days back
    assert (c.last_90_days, c.this_year) == (1, 2)
    c = visit_counts(k.store, jid, today=date(2027, 1, 10))  # a new year
    assert (c.last_90_days, c.this_year) == (0, 0)
    only = visit_counts(k.store, jid, today=DAY + timedelta(days=40), payers=["self-pay"])
    assert (only.last_90_days, only.this_year) == (1, 1)
    # Drafts and visits entered in error do not count.
    assert visit_counts(k.store, k.mary.id, today=DAY).this_year == 0  # type: ignore[arg-type]
    assert visit_counts(k.store, k.jane.id, today=DAY).this_year == 1  # type: ignore[arg-type]


# ---------------------------------------------------------------- day sheet
def test_day_sheet_lists_signed_visits_with_totals_and_drafts_apart(known: Known) -> None:
    k = known
    sheet = day_sheet(k.store, DAY)
    assert [line.visit_id for line in sheet.lines] == [k.v_jane_signed, k.v_john_signed]
    jane = sheet.lines[0]
    assert jane.patient_name == "Jane Doe" and jane.chart_no == k.jane.chart_no
    assert jane.practitioner_name == "Dana Reyes"
    assert (jane.code, jane.modifiers, jane.units, jane.charge) == (
        "20561",
        ("GP", "GX"),
        1,
        Decimal("38.32"),
    )
    assert jane.diagnosis_codes == ("M79.11", "M62.838")
    assert jane.warnings == (
        "Medicare does not cover dry needling by a PT",
        "ABN on file: GX added",
    )
    assert jane.payer == "Medicare"
    assert [d.id for d in sheet.drafts] == [k.v_jane_draft]
    assert sheet.entered_in_error == 1
    assert sheet.total_units == 2
    assert sheet.total_charge == Decimal("64.06")
    assert [(t.code, t.visits, t.units, t.charge) for t in sheet.by_code] == [
        ("20560", 1, 1, Decimal("25.74")),
        ("20561", 1, 1, Decimal("38.32")),
    ]


def test_day_sheet_for_one_practitioner_and_an_empty_day(known: Known) -> None:
    k = known
    sam = day_sheet(k.store, DAY, practitioner_id=k.sam.id)
    assert [line.visit_id for line in sam.lines] == [k.v_john_signed]
    assert sam.drafts == [] and sam.entered_in_error == 0
    assert sam.total_charge == Decimal("25.74")
    empty = day_sheet(k.store, DAY + timedelta(days=1))
    assert empty.lines == [] and empty.drafts == []
    assert empty.total_units == 0 and empty.total_charge == Decimal("0")
    assert empty.by_code == []


def test_day_sheet_reads_a_sparse_billing_summary(store: Store) -> None:
    """Older or demo visits keep only code and modifiers: units default to one per session."""
    k_pt = store.add_practitioner("Ann Lee", "PT", pin=PIN)
    pa = store.add_patient("Bo Chan", None, actor=k_pt)
    draft = store.save_draft(
        _draft(k_pt, pa, DAY, "self-pay", [], [MuscleEntry("gastrocnemius", Side.LEFT, 1, 1)]),
        actor=k_pt,
    )
    store.sign(
        record_of(draft, code="20560", muscle_count=1, charge="", modifiers=["GP"], note_text="n"),
        signer=k_pt,
    )
    # Screened, not needled: signed without a code, so no unit and no charge.
    none = store.save_draft(_draft(k_pt, pa, DAY, "self-pay", [], []), actor=k_pt)
    store.sign(record_of(none, code="", muscle_count=0, charge="", note_text="n"), signer=k_pt)
    sheet = day_sheet(store, DAY)
    line, blank = sheet.lines
    assert (line.units, line.modifiers, line.charge, line.warnings) == (1, ("GP",), None, ())
    assert (blank.code, blank.units, blank.modifiers, blank.charge) == ("", 0, (), None)
    assert sheet.total_units == 1 and sheet.total_charge == Decimal("0")
    assert [(t.code, t.visits, t.units) for t in sheet.by_code] == [("", 1, 0), ("20560", 1, 1)]


# ------------------------------------------------------------------ exports
def test_export_records_are_signed_visits_oldest_first(known: Known) -> None:
    k = known
    records = list(export_records(k.store))
    assert [r.visit_id for r in records] == [
        k.v_jane_signed,
        k.v_john_signed,
        k.v_mary_void,
        k.v_john_later,
    ]
    assert [r.status for r in records] == ["signed", "signed", "entered-in-error", "signed"]
    r = records[0]
    assert (r.chart_no, r.patient_name, r.date_of_birth) == (
        k.jane.chart_no,
        "Jane Doe",
        date(1980, 2, 3),
    )
    assert (r.practitioner, r.credentials, r.payer, r.payer_name) == (
        "Dana Reyes",
        "PT",
        "medicare",
        "Medicare",
    )
    assert r.counting == "3 muscles counted" and r.signed_at is not None
    assert [(m.muscle_id, m.side, m.needles) for m in r.muscles] == [
        ("upper-trapezius", "B", 4),
        ("infraspinatus", "L", 2),
    ]
    assert records[3].addenda == 1 and records[0].addenda == 0
    # Batches: the same records when read two at a time.
    assert [x.visit_id for x in export_records(k.store, batch=2)] == [x.visit_id for x in records]
    assert [x.visit_id for x in export_records(k.store, batch=1)] == [x.visit_id for x in records]


def test_export_records_filter_by_range_and_practitioner(known: Known) -> None:
    k = known
    assert [r.visit_id for r in export_records(k.store, date_from=DAY + timedelta(days=1))] == [
        k.v_john_later
    ]
    assert [r.visit_id for r in export_records(k.store, date_to=DAY, practitioner_id=k.sam.id)] == [
        k.v_john_signed
    ]
    assert list(export_records(k.store, date_from=date(2030, 1, 1))) == []
