"""Assessment and outcome: 0-10 scores [nprs][psfs], duration and onset [ncd], the note."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.clinic_files import load_fee_schedule
from dntui.domain.assessment import (
    REGIONS,
    Assessment,
    Duration,
    Outcome,
    PainPattern,
    duration_problems,
    weeks_since,
)
from dntui.domain.billing import MedicareReason, medicare_check, summarize
from dntui.domain.note import render_note
from dntui.domain.record import evaluate_screening
from dntui.domain.validation import ValidationError, parse_onset, parse_score
from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft

DAY = date(2026, 11, 27)
SCHEDULE = load_fee_schedule(None)


def full() -> Assessment:
    return Assessment(
        chief_complaint="low back pain when lifting",
        region="trunk/low back",
        pattern=PainPattern.REFERRED,
        referred_to="left buttock",
        duration=Duration.CHRONIC,
        onset=date(2026, 6, 1),
        nprs_before=7,
        psfs_activity="lift child",
        psfs_before=3,
    )


# ------------------------------------------------------------------ scores
@given(st.integers(min_value=0, max_value=10))
def test_every_score_0_to_10_is_accepted(n: int) -> None:
    assert parse_score(str(n), "Pain before") == n
    assert parse_score(f"  {n} ", "Pain before") == n


@given(st.integers().filter(lambda n: n < 0 or n > 10))
def test_scores_outside_0_to_10_get_one_clear_line(n: int) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_score(str(n), "Pain before needling")
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith("Pain before needling is a whole number from 0 to 10")


def test_a_score_of_11_says_so() -> None:
    with pytest.raises(
        ValidationError, match=r"^Pain after needling is a whole number from 0 to 10, not '11'$"
    ):
        parse_score("11", "Pain after needling")


@pytest.mark.parametrize("text", ["7.5", "seven", "²", "-1", "1e1", "٣"])
def test_non_whole_numbers_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_score(text, "PSFS")


def test_empty_score_is_not_recorded() -> None:
    assert parse_score("  ", "PSFS") is None


# ------------------------------------------------------------------ onset / duration
def test_onset_after_the_visit_is_refused() -> None:
    with pytest.raises(ValidationError, match="after the visit"):
        parse_onset("2026-12-01", DAY)
    assert parse_onset("", DAY) is None
    assert parse_onset("2026-06", DAY) == date(2026, 6, 1)
    with pytest.raises(ValidationError, match="Onset date"):
        parse_onset("June", DAY)


@given(st.integers(min_value=0, max_value=3000))
def test_weeks_since_onset(days: int) -> None:
    assert weeks_since(DAY - timedelta(days=days), DAY) == days // 7


def test_chronic_with_a_recent_onset_is_flagged() -> None:
    a = Assessment(duration=Duration.CHRONIC, onset=DAY - timedelta(weeks=11))
    assert "12 weeks or more" in duration_problems(a, DAY)[0]
    a = Assessment(duration=Duration.CHRONIC, onset=DAY - timedelta(weeks=12))
    assert duration_problems(a, DAY) == []
    a = Assessment(duration=Duration.ACUTE, onset=DAY - timedelta(weeks=20))
    assert "is chronic" in duration_problems(a, DAY)[0]


def _clbp(**kw: object) -> VisitDraft:
    return VisitDraft(
        visit_date=DAY,
        practitioner=PractitionerInfo(1, "Dr A", "MD"),
        payer="medicare",
        diagnosis_codes=["M54.50"],
        muscles=[MuscleEntry("lumbar-multifidus", Side.LEFT, 2, 2)],
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(("weeks", "covered"), [(11, False), (12, True), (30, True)])
def test_medicare_chronic_rule_reads_the_onset_date(weeks: int, covered: bool) -> None:
    """NCD 30.3.3 needs 12 weeks [ncd]: the onset date counts when weeks were not typed."""
    draft = _clbp(assessment=Assessment(onset=DAY - timedelta(weeks=weeks)))
    assert draft.low_back_pain_weeks == weeks
    check = medicare_check(draft, SCHEDULE.payer("medicare"))
    assert (check.reason == MedicareReason.COVERED) is covered, check.why


def test_typed_weeks_win_over_the_onset() -> None:
    draft = _clbp(pain_weeks=4, assessment=Assessment(onset=DAY - timedelta(weeks=30)))
    assert draft.low_back_pain_weeks == 4


def test_neither_weeks_nor_onset_is_not_recorded() -> None:
    check = medicare_check(_clbp(), SCHEDULE.payer("medicare"))
    assert "onset date" in check.why


# ------------------------------------------------------------------ storage
def test_draft_round_trips_through_json() -> None:
    d = VisitDraft(visit_date=DAY, assessment=full(), outcome=Outcome(nprs_after=4, psfs_after=5))
    again = VisitDraft.from_dict(json.loads(json.dumps(d.to_dict())))
    assert again == d


def test_old_drafts_without_assessment_load_as_not_recorded() -> None:
    old = {"visit_date": "2025-01-02", "payer": "self-pay"}
    d = VisitDraft.from_dict(old)
    assert d.assessment.empty and d.outcome.empty
    note = render_note(d, summarize(d, SCHEDULE), evaluate_screening(d))
    assert "ASSESSMENT\n  Not recorded." in note
    assert "OUTCOME\n  Not recorded." in note


@given(
    st.dictionaries(
        st.sampled_from(["nprs_before", "region", "pattern", "duration", "onset", "psfs_before"]),
        st.one_of(st.integers(), st.text(max_size=8), st.none(), st.booleans()),
    )
)
def test_unreadable_stored_values_are_not_recorded_never_an_error(data: dict) -> None:  # type: ignore[type-arg]
    a = Assessment.from_dict(data)
    assert a.nprs_before is None or 0 <= a.nprs_before <= 10
    assert a.region in ("", *REGIONS)
    o = Outcome.from_dict({"nprs_after": data.get("nprs_before")})
    assert o.nprs_after is None or 0 <= o.nprs_after <= 10


def test_note_carries_assessment_and_outcome() -> None:
    d = VisitDraft(visit_date=DAY, assessment=full(), outcome=Outcome(nprs_after=4, psfs_after=5))
    note = render_note(d, summarize(d, SCHEDULE), evaluate_screening(d))
    assert "Chief complaint: low back pain when lifting" in note
    assert "Pain pattern:    referred to left buttock" in note
    assert "Duration:        chronic, onset 2026-06-01 (25 weeks)" in note
    assert "Pain (NPRS) before needling: 7/10" in note
    assert "Function (PSFS): 'lift child' 3/10" in note
    assert "Pain (NPRS) after needling: 4/10 (before 7/10, change -3)" in note
    assert "Function (PSFS) re-measured: 'lift child' 5/10" in note
