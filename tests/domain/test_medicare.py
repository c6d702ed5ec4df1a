"""Medicare eligibility by who needles and why (dntui.domain.billing.medicare_check).

Cases from CMS NCD 30.3.3 and its decision memo CAG-00452N [ncd][ncd-memo], and the
ABN modifiers by reason Medicare will not pay [fcso-abn].
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dntui.clinic_files import load_fee_schedule
from dntui.domain.billing import MedicareReason, medicare_check, sessions, summarize
from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft

SCHEDULE = load_fee_schedule(None)
MEDICARE = SCHEDULE.payer("medicare")
DAY = date(2025, 6, 2)


def prac(cred: str, licensed: bool = False, degree: bool = False) -> PractitionerInfo:
    return PractitionerInfo(1, "A Person", cred, licensed, degree)


def clbp(p: PractitionerInfo, **kw: object) -> VisitDraft:
    kw.setdefault("diagnosis_codes", ["M54.50"])
    kw.setdefault("pain_weeks", 16)
    return VisitDraft(
        visit_date=DAY,
        practitioner=p,
        payer="medicare",
        muscles=[MuscleEntry("lumbar-multifidus", Side.LEFT, 2, 2)],
        **kw,  # type: ignore[arg-type]
    )


def texts(s: object, level: str) -> list[str]:
    return [w.text for w in s.warnings if w.level == level]  # type: ignore[attr-defined]


# ------------------------------------------------------------ who may furnish it
@pytest.mark.parametrize("cred", ["MD", "DO"])
def test_physician_treating_chronic_low_back_pain_is_covered_no_abn(cred: str) -> None:
    """NCD: physicians may furnish acupuncture under state law; no ABN, no GA/GX/GY."""
    s = summarize(clbp(prac(cred)), SCHEDULE)
    assert medicare_check(clbp(prac(cred)), MEDICARE).reason == MedicareReason.COVERED
    assert not texts(s, "stop")
    assert not any("ABN" in t for t in texts(s, "warn"))
    assert not {"GA", "GX", "GY"} & set(s.modifiers)
    assert any("Medicare covers this visit" in t for t in texts(s, "info"))


@pytest.mark.parametrize("cred", ["PA", "NP", "CNS"])
def test_pa_np_need_degree_and_licence(cred: str) -> None:
    both = medicare_check(clbp(prac(cred, True, True)), MEDICARE)
    assert both.reason == MedicareReason.COVERED
    for licensed, degree in ((True, False), (False, True), (False, False)):
        check = medicare_check(clbp(prac(cred, licensed, degree)), MEDICARE)
        assert check.reason == MedicareReason.PROVIDER_EXCLUDED
        assert "degree" in check.why


def test_licensed_acupuncturist_only_incident_to() -> None:
    v = clbp(prac("LAc", True, True))
    check = medicare_check(v, MEDICARE)
    assert check.reason == MedicareReason.COVERED
    s = summarize(v, SCHEDULE)
    assert any("incident-to" in t for t in texts(s, "warn"))


def test_licensed_acupuncturist_needling_the_neck_is_not_covered() -> None:
    """The issue's case: a licensed acupuncturist, neck pain: not 'covered'."""
    v = clbp(prac("LAc", True, True), diagnosis_codes=["M54.2"])
    check = medicare_check(v, MEDICARE)
    assert check.reason == MedicareReason.CONDITION_NOT_COVERED
    s = summarize(v, SCHEDULE)
    assert any("ABN not on file" in t for t in texts(s, "stop"))
    with_abn = summarize(
        clbp(prac("LAc", True, True), diagnosis_codes=["M54.2"], abn_on_file=True), SCHEDULE
    )
    assert with_abn.modifiers == ("GA",)
    assert not texts(with_abn, "stop")


@pytest.mark.parametrize("cred", ["PT", "DPT", "PTA", "DC", "Physical Therapist"])
def test_pt_and_dc_are_provider_excluded_gy(cred: str) -> None:
    v = clbp(prac(cred, True, True))  # even with acupuncture flags: not a named provider
    assert medicare_check(v, MEDICARE).reason == MedicareReason.PROVIDER_EXCLUDED
    s = summarize(v, SCHEDULE)
    assert "GY" in s.modifiers and "GA" not in s.modifiers
    assert not texts(s, "stop")
    assert "GX" in summarize(clbp(prac(cred), abn_on_file=True), SCHEDULE).modifiers


# ------------------------------------------------------------ why: the condition
def test_physician_treating_neck_needs_mandatory_abn_ga() -> None:
    v = clbp(prac("MD"), diagnosis_codes=["M79.12"])
    assert medicare_check(v, MEDICARE).reason == MedicareReason.CONDITION_NOT_COVERED
    s = summarize(v, SCHEDULE)
    assert len(texts(s, "stop")) == 1
    assert (
        "GA"
        in summarize(
            clbp(prac("MD"), diagnosis_codes=["M79.12"], abn_on_file=True), SCHEDULE
        ).modifiers
    )


@pytest.mark.parametrize(
    ("weeks", "covered"), [(None, False), (4, False), (11, False), (12, True), (52, True)]
)
def test_chronic_means_12_weeks_or_longer(weeks: int | None, covered: bool) -> None:
    check = medicare_check(clbp(prac("MD"), pain_weeks=weeks), MEDICARE)
    assert (check.reason == MedicareReason.COVERED) is covered, check.why


@pytest.mark.parametrize("code", ["M54.50", "M54.51", "M54.59", "m54.59"])
def test_low_back_pain_codes_qualify(code: str) -> None:
    assert (
        medicare_check(clbp(prac("DO"), diagnosis_codes=[code]), MEDICARE).reason
        == MedicareReason.COVERED
    )


# ------------------------------------------------------------ visit limits
def test_session_numbers_from_signed_visits() -> None:
    prior = [DAY - timedelta(days=d) for d in (1, 30, 89, 90, 150, 200, 364, 365, 400)]
    # DAY is 2025-06-02: 150 days back is still 2025, 200 days back is 2024.
    assert sessions(DAY, prior) == (4, 6)
    assert sessions(DAY, prior, calendar_year=False) == (4, 8)
    assert sessions(DAY, [DAY + timedelta(days=3)]) == (1, 1)  # later visits ignored
    s = summarize(clbp(prac("MD")), SCHEDULE, prior)
    assert any(
        "Medicare acupuncture session 4 of 12 (90 days), 6 of 20 (year)" in t
        for t in texts(s, "info")
    )


def test_sessions_13_to_20_need_documented_improvement() -> None:
    prior = [DAY - timedelta(days=5 * i + 1) for i in range(12)]
    check = medicare_check(clbp(prac("MD")), MEDICARE, prior)
    assert (check.session_90, check.reason) == (13, MedicareReason.COVERED)
    assert check.needs_improvement
    assert not medicare_check(clbp(prac("MD")), MEDICARE, prior[:11]).needs_improvement


def test_session_21_in_a_year_is_not_covered() -> None:
    prior = [DAY - timedelta(days=7 * i + 1) for i in range(20)]  # all in 2025
    check = medicare_check(clbp(prac("MD")), MEDICARE, prior)
    assert check.session_year == 21
    assert check.reason == MedicareReason.CONDITION_NOT_COVERED
    assert "21" in check.why


def test_condition_modifier_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fees.toml"
    path.write_text(
        '[payers.medicare]\nname = "M"\nmedicare = true\ncondition_abn_modifier = "none"\n'
    )
    sched = load_fee_schedule(path)
    s = summarize(clbp(prac("MD"), diagnosis_codes=["M79.1"], abn_on_file=True), sched)
    assert s.modifiers == ()


def test_visit_year_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fees.toml"
    path.write_text('[payers.medicare]\nname = "M"\nmedicare = true\nvisit_year = "rolling"\n')
    prior = [DAY - timedelta(days=d) for d in (200, 300)]
    check = medicare_check(clbp(prac("MD")), load_fee_schedule(path).payer("medicare"), prior)
    assert check.session_year == 3
    assert medicare_check(clbp(prac("MD")), MEDICARE, prior).session_year == 1
    path.write_text('[payers.medicare]\nname = "M"\nvisit_year = "fiscal"\n')
    with pytest.raises(Exception, match="visit_year"):
        load_fee_schedule(path)
