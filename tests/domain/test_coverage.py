"""Coverage checks and authorizations (dntui.domain.coverage) [seed]."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.clinic_files import load_fee_schedule
from dntui.domain.coverage import (
    Coverage,
    check_coverage,
    coverage_warnings,
    parse_visits,
    remaining_text,
    remaining_visits,
)
from dntui.domain.validation import ValidationError

SCHEDULE = load_fee_schedule(None)
COMMERCIAL = SCHEDULE.payer("commercial")
SELF = SCHEDULE.payer("self-pay")
DAY = date(2026, 11, 27)


def auth(**kw: object) -> Coverage:
    base: dict[str, object] = dict(
        payer="commercial",
        verified_on=DAY - timedelta(days=20),
        verified_by="J. Front desk",
        reference_no="REF-1",
        authorization_no="A-77",
        visits_authorized=4,
        starts=DAY - timedelta(days=30),
        ends=DAY + timedelta(days=60),
    )
    base.update(kw)
    return Coverage(**base)  # type: ignore[arg-type]


def warns(ws: list) -> list[str]:  # type: ignore[type-arg]
    return [w.text for w in ws if w.level == "warn"]


def test_insured_payer_without_verification_warns() -> None:
    assert (
        "No coverage check on file for Commercial"
        in warns(coverage_warnings(COMMERCIAL, None, DAY, 0))[0]
    )
    unverified = auth(verified_on=None)
    assert warns(coverage_warnings(COMMERCIAL, unverified, DAY, 0))


def test_self_pay_never_asks_for_verification() -> None:
    assert coverage_warnings(SELF, None, DAY, 0) == []


@given(st.integers(min_value=-200, max_value=200))
def test_visit_outside_the_authorized_dates_warns(offset: int) -> None:
    c = auth(visits_authorized=None)
    day = DAY + timedelta(days=offset)
    inside = c.starts <= day <= c.ends  # type: ignore[operator]
    out = warns(coverage_warnings(COMMERCIAL, c, day, 0))
    assert bool(out) is not inside
    if out:
        assert "outside the authorization A-77" in out[0]


@pytest.mark.parametrize(("signed", "warned"), [(0, False), (3, False), (4, True), (9, True)])
def test_a_visit_past_the_authorized_count_warns(signed: int, warned: bool) -> None:
    out = warns(coverage_warnings(COMMERCIAL, auth(), DAY, signed))
    assert bool(out) is warned
    if warned:
        assert f"This is visit {signed + 1} of 4 authorized" in out[0]


def test_authorization_of_4_warns_on_the_5th() -> None:
    infos = [w.text for w in coverage_warnings(COMMERCIAL, auth(), DAY, 3)]
    assert "Authorized visit 4 of 4." in infos
    assert warns(coverage_warnings(COMMERCIAL, auth(), DAY, 4))


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=2000))
def test_remaining_never_below_zero(n: int, signed: int) -> None:
    left = remaining_visits(auth(visits_authorized=n), signed)
    assert left == max(n - signed, 0)


def test_remaining_text() -> None:
    assert remaining_text(auth(), 1) == "3 of 4 authorized visits left (to 2027-01-26)"
    assert remaining_text(auth(visits_authorized=None), 1) == ""
    assert remaining_text(None, 0) == ""


def test_authorization_ending_before_it_starts_is_a_clear_error() -> None:
    with pytest.raises(ValidationError) as exc:
        check_coverage(auth(starts=date(2026, 12, 1), ends=date(2026, 11, 1)))
    assert str(exc.value) == (
        "The authorization ends (2026-11-01) before it starts (2026-12-01): check the dates"
    )


@given(st.dates(), st.dates())
def test_any_date_pair_is_accepted_or_refused_by_order(a: date, b: date) -> None:
    c = auth(starts=a, ends=b)
    if b < a:
        with pytest.raises(ValidationError):
            check_coverage(c)
    else:
        assert check_coverage(c).starts == a


def test_check_trims_text() -> None:
    c = check_coverage(auth(verified_by="  J.   Front  ", notes=" call again \n"))
    assert (c.verified_by, c.notes) == ("J. Front", "call again")
    with pytest.raises(ValidationError, match="at most"):
        check_coverage(auth(reference_no="x" * 61))


@pytest.mark.parametrize("text", ["0", "-3", "1000", "four", "2.5"])
def test_visits_authorized_must_be_1_to_999(text: str) -> None:
    with pytest.raises(ValidationError, match="1 to 999"):
        parse_visits(text)
    assert parse_visits("") is None
    assert parse_visits(" 12 ") == 12
