"""Pain and function over visits (dntui.domain.outcomes) and the signed record."""

from __future__ import annotations

from datetime import date, timedelta

from builders import ready_draft, signed_record
from hypothesis import given
from hypothesis import strategies as st

from dntui.domain.assessment import Assessment, Outcome
from dntui.domain.outcomes import NOT_RECORDED, OutcomePoint, series, trend
from dntui.domain.visit import PatientInfo, PractitionerInfo

START = date(2026, 9, 1)


def six_visits() -> list[OutcomePoint]:
    pains = [7, 6, 6, 5, 4, 3]
    psfs = [3, 4, 4, 5, 6, 7]
    return [
        OutcomePoint(
            START + timedelta(weeks=i),
            nprs_before=p,
            nprs_after=max(p - 2, 0),
            psfs_activity="Lift child" if i else "lift child",
            psfs_before=f,
        )
        for i, (p, f) in enumerate(zip(pains, psfs, strict=True))
    ]


def test_six_visits_give_the_change_in_numbers() -> None:
    t = trend(list(reversed(six_visits())))  # any order
    assert t.text() == "NPRS 7 → 3 over 6 visits (-4); PSFS 'lift child' 3 → 7 (+4)"
    assert (t.nprs_change, t.psfs_change) == (-4, 4)


def test_series_per_visit_in_date_order() -> None:
    pts = six_visits()
    assert series(pts[::-1], "nprs_before") == [7, 6, 6, 5, 4, 3]
    assert series(pts, "nprs_after") == [5, 4, 4, 3, 2, 1]
    assert series(pts, "psfs", "lift child") == [3, 4, 4, 5, 6, 7]


def test_psfs_follows_the_first_activity_only() -> None:
    pts = [
        OutcomePoint(START, psfs_activity="lift child", psfs_before=2),
        OutcomePoint(START + timedelta(days=7), psfs_activity="run", psfs_before=9),
        OutcomePoint(
            START + timedelta(days=14), psfs_activity="lift  child", psfs_before=3, psfs_after=5
        ),
    ]
    t = trend(pts)
    assert (t.psfs_activity, t.psfs_first, t.psfs_last) == ("lift child", 2, 5)


def test_visits_without_scores_are_not_recorded() -> None:
    assert trend([OutcomePoint(START)]).text() == NOT_RECORDED
    assert trend([]).text() == NOT_RECORDED


def test_one_visit_says_one_visit() -> None:
    assert trend([OutcomePoint(START, nprs_before=5)]).text() == "NPRS 5 → 5 over 1 visit (+0)"


@given(st.lists(st.integers(min_value=0, max_value=10), min_size=1, max_size=30))
def test_change_is_last_minus_first(pains: list[int]) -> None:
    pts = [OutcomePoint(START + timedelta(days=i), nprs_before=p) for i, p in enumerate(pains)]
    t = trend(pts)
    assert t.nprs_change == pains[-1] - pains[0]
    assert t.nprs_visits == len(pains)
    assert -10 <= t.nprs_change <= 10


def test_signed_record_keeps_assessment_and_outcome() -> None:
    who = PractitionerInfo(1, "Dr A", "PT")
    draft = ready_draft(who, PatientInfo(id=3, name="B Patient", chart_no="C3"))
    draft.assessment = Assessment(chief_complaint="calf cramp", nprs_before=6)
    draft.outcome = Outcome(nprs_after=2)
    record = signed_record(draft)
    assert "Chief complaint: calf cramp" in record.note_text
    assert "Pain (NPRS) after needling: 2/10 (before 6/10, change -4)" in record.note_text
    assert '"nprs_before": 6' in record.draft_json and '"nprs_after": 2' in record.draft_json
    assert OutcomePoint.of(record.draft).nprs_after == 2


def test_psfs_series_holds_every_measurement_in_time_order() -> None:
    """Scored 3 before the first visit, re-measured 4 after it; 5 and 6 at the second:
    the picture and the numbers agree (3 → 6)."""
    pts = [
        OutcomePoint(START, psfs_activity="lift child", psfs_before=3, psfs_after=4),
        OutcomePoint(
            START + timedelta(days=7), psfs_activity="lift child", psfs_before=5, psfs_after=6
        ),
    ]
    assert series(pts, "psfs", "lift child") == [3, 4, 5, 6]
    t = trend(pts)
    assert (t.psfs_first, t.psfs_last) == (3, 6)
