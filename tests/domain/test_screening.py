"""Screening catalog and evaluation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.domain.screening import (
    ABSOLUTE_ITEMS,
    AVOID_SITES,
    CONSENT_SOURCES,
    ITEMS,
    ITEMS_BY_ID,
    NEVER_NEEDLE_SITES,
    RELATIVE_ITEMS,
    SITES_SOURCE,
    ItemKind,
    Scope,
    ScreeningItem,
    ScreeningStatus,
    evaluate,
)
from dntui.domain.sources import SOURCES
from dntui.domain.visit import Answer, Consent, ScreeningAnswer

CONSENTED = Consent(given=True, method="written", text_version="v1", at="2026-01-01T10:00:00Z")
VISIT_ABSOLUTE = [i for i in ABSOLUTE_ITEMS if i.scope == Scope.VISIT]


def all_no() -> dict[str, ScreeningAnswer]:
    return {i.id: ScreeningAnswer(Answer.NO) for i in ITEMS}


def with_yes(
    item_id: str, note: str = "", acknowledged: bool = False
) -> dict[str, ScreeningAnswer]:
    answers = all_no()
    answers[item_id] = ScreeningAnswer(Answer.YES, note=note, acknowledged=acknowledged)
    return answers


# ------------------------------------------------------------------ catalog


def test_catalog_shape_and_sources() -> None:
    assert len(ABSOLUTE_ITEMS) == 8  # 7 of APTA 2013 [21] + infection at the site [25]
    assert len(RELATIVE_ITEMS) == 18  # + latex allergy, fainting, tumour, other implant
    assert len(ITEMS_BY_ID) == len(ITEMS)
    for item in ITEMS:
        assert item.source and all(k in SOURCES for k in item.source), item.id
        assert item.question.endswith("?")
        assert item.reason.strip()
    assert all(i.kind == ItemKind.ABSOLUTE for i in ABSOLUTE_ITEMS)
    assert all(i.kind == ItemKind.RELATIVE for i in RELATIVE_ITEMS)
    assert all(k in SOURCES for k in (*SITES_SOURCE, *CONSENT_SOURCES))


def test_only_anticoagulants_is_pressure_scoped() -> None:
    pressure = [i for i in ITEMS if i.scope == Scope.PRESSURE_SITES]
    assert [i.id for i in pressure] == ["anticoagulants"]
    item = pressure[0]
    assert item.kind == ItemKind.ABSOLUTE
    assert "23" in item.source
    assert "not an absolute contraindication" in item.help


def test_relative_items_cover_domain_list() -> None:
    text = " ".join(i.question.lower() for i in RELATIVE_ITEMS)
    for phrase in (
        "bleeding",
        "immune",
        "vascular",
        "diabetes",
        "pregnan",
        "child",
        "frail",
        "epilepsy",
        "psycholog",
        "nickel",
        "medication",
        "lymph node",
        "pacemaker",
        "other",
    ):
        assert phrase in text, phrase


def test_sites_lists() -> None:
    assert "umbilicus" in NEVER_NEEDLE_SITES and "infant fontanelles" in NEVER_NEEDLE_SITES
    assert "breast tissue" in AVOID_SITES and "varicose veins" in AVOID_SITES
    assert SITES_SOURCE == ("25",)


# --------------------------------------------------------------- evaluation


def test_all_no_with_consent_can_needle_and_sign() -> None:
    result = evaluate(all_no(), CONSENTED, ["upper-trapezius", "psoas-major"])
    assert result.status == ScreeningStatus.CAN_NEEDLE
    assert result.problems() == []
    assert result.can_sign


@pytest.mark.parametrize("item", VISIT_ABSOLUTE, ids=lambda i: i.id)
def test_each_visit_absolute_yes_blocks_with_reason(item: ScreeningItem) -> None:
    result = evaluate(with_yes(item.id), CONSENTED)
    assert result.status == ScreeningStatus.BLOCKED
    assert result.blocked_reasons == (item.reason,)
    assert item.reason.startswith("Absolute contraindication")
    assert any(item.reason in p for p in result.problems())
    assert not result.can_sign


def test_needle_phobia_reason_text() -> None:
    result = evaluate(with_yes("needle-phobia"), CONSENTED)
    assert result.blocked_reasons == ("Absolute contraindication: needle phobia",)


@pytest.mark.parametrize("item", RELATIVE_ITEMS, ids=lambda i: i.id)
def test_relative_yes_without_note_is_outstanding(item: ScreeningItem) -> None:
    result = evaluate(with_yes(item.id), CONSENTED, trimester=2)
    assert result.status == ScreeningStatus.PRECAUTIONS_OUTSTANDING
    assert result.outstanding == (item.id,)
    assert not result.can_sign


@pytest.mark.parametrize(
    ("note", "acknowledged"),
    [("", True), ("   \n\t", True), ("Controlled, HbA1c reviewed", False)],
)
def test_relative_yes_needs_both_note_and_acknowledgement(note: str, acknowledged: bool) -> None:
    result = evaluate(with_yes("diabetes", note, acknowledged), CONSENTED)
    assert result.status == ScreeningStatus.PRECAUTIONS_OUTSTANDING
    assert result.outstanding == ("diabetes",)


def test_relative_yes_acknowledged_with_note_can_needle() -> None:
    result = evaluate(with_yes("diabetes", "Controlled, HbA1c reviewed", True), CONSENTED)
    assert result.status == ScreeningStatus.CAN_NEEDLE
    assert result.outstanding == ()
    assert result.can_sign


def test_unanswered_is_incomplete() -> None:
    answers = all_no()
    del answers["epilepsy"]
    answers["pregnancy"] = ScreeningAnswer(Answer.UNANSWERED)
    result = evaluate(answers, CONSENTED)
    assert result.status == ScreeningStatus.INCOMPLETE
    assert set(result.unanswered) == {"epilepsy", "pregnancy"}
    assert any("unanswered" in p for p in result.problems())
    assert evaluate({}, CONSENTED).unanswered == tuple(i.id for i in ITEMS)


def test_status_precedence() -> None:
    answers = with_yes("diabetes")
    del answers["epilepsy"]
    assert evaluate(answers, CONSENTED).status == ScreeningStatus.INCOMPLETE
    answers["needle-phobia"] = ScreeningAnswer(Answer.YES)
    assert evaluate(answers, CONSENTED).status == ScreeningStatus.BLOCKED


def test_anticoagulants_block_pressure_sites_only() -> None:
    answers = with_yes("anticoagulants")
    chosen = ["upper-trapezius", "psoas-major", "tibialis-posterior", "psoas-major"]
    result = evaluate(answers, CONSENTED, chosen)
    assert result.status == ScreeningStatus.CAN_NEEDLE
    assert result.blocked_reasons == ()
    reason = ITEMS_BY_ID["anticoagulants"].reason
    assert result.blocked_muscles == (
        ("psoas-major", reason),
        ("tibialis-posterior", reason),
    )
    assert any(p.startswith("Psoas major cannot be needled") for p in result.problems())
    assert not result.can_sign
    only_trap = evaluate(answers, CONSENTED, ["upper-trapezius"])
    assert only_trap.blocked_muscles == ()
    assert only_trap.can_sign


def test_anticoagulants_no_does_not_block_psoas() -> None:
    result = evaluate(all_no(), CONSENTED, ["psoas-major"])
    assert result.blocked_muscles == ()


def test_unknown_muscle_is_blocked_conservatively_under_anticoagulants() -> None:
    result = evaluate(with_yes("anticoagulants"), CONSENTED, ["not-a-muscle"])
    assert [m for m, _ in result.blocked_muscles] == ["not-a-muscle"]


def test_consent_missing_in_problems_not_status() -> None:
    result = evaluate(all_no(), Consent())
    assert result.status == ScreeningStatus.CAN_NEEDLE
    assert result.consent_missing
    assert any("consent" in p.lower() for p in result.problems())
    assert not result.can_sign


_answer = st.builds(
    ScreeningAnswer,
    answer=st.sampled_from(list(Answer)),
    note=st.text(max_size=20),
    acknowledged=st.booleans(),
)


@given(
    st.dictionaries(st.sampled_from([i.id for i in ITEMS]), _answer),
    st.sampled_from([i.id for i in VISIT_ABSOLUTE]),
    st.lists(st.sampled_from(["psoas-major", "upper-trapezius", "soleus"]), max_size=4),
    st.booleans(),
)
def test_property_visit_absolute_yes_always_blocks(
    answers: dict[str, ScreeningAnswer], blocker: str, chosen: list[str], consent: bool
) -> None:
    answers = {**answers, blocker: ScreeningAnswer(Answer.YES)}
    result = evaluate(answers, Consent(given=consent), chosen)
    assert result.status == ScreeningStatus.BLOCKED
    assert ITEMS_BY_ID[blocker].reason in result.blocked_reasons
    assert not result.can_sign


@given(st.dictionaries(st.sampled_from([i.id for i in ITEMS]), _answer))
def test_property_status_consistent(answers: dict[str, ScreeningAnswer]) -> None:
    result = evaluate(answers, CONSENTED)
    if result.status == ScreeningStatus.CAN_NEEDLE:
        assert not result.unanswered and not result.outstanding and not result.blocked_reasons
    if result.status != ScreeningStatus.BLOCKED:
        assert result.blocked_reasons == ()


# --------------------------------------------------- pregnancy, implants, new items
def test_pregnancy_needs_the_trimester() -> None:
    result = evaluate(with_yes("pregnancy", "24 weeks", True), CONSENTED)
    assert result.status == ScreeningStatus.INCOMPLETE
    assert "which trimester" in " ".join(result.problems())
    ok = evaluate(with_yes("pregnancy", "24 weeks", True), CONSENTED, trimester=2)
    assert ok.status == ScreeningStatus.CAN_NEEDLE


def test_first_trimester_is_a_stop() -> None:
    """APTA 2013 and the GEMt guidance: no dry needling in the first trimester."""
    result = evaluate(with_yes("pregnancy", "9 weeks", True), CONSENTED, trimester=1)
    assert result.status == ScreeningStatus.BLOCKED
    assert any("first trimester" in r for r in result.blocked_reasons)


@pytest.mark.parametrize("trimester", [2, 3])
@pytest.mark.parametrize(
    ("muscle_id", "blocked"),
    [
        ("rectus-abdominis", True),
        ("lumbar-multifidus", True),
        ("quadratus-lumborum", True),
        ("upper-trapezius", False),
        ("gastrocnemius", False),
    ],
)
def test_abdomen_and_lumbosacral_blocked_in_any_trimester(
    trimester: int, muscle_id: str, blocked: bool
) -> None:
    result = evaluate(
        with_yes("pregnancy", "note", True), CONSENTED, [muscle_id], trimester=trimester
    )
    assert (muscle_id in {m for m, _ in result.blocked_muscles}) is blocked
    assert result.status == ScreeningStatus.CAN_NEEDLE  # the visit itself is not blocked


def test_pregnancy_answer_no_ignores_trimester_and_regions() -> None:
    answers = all_no()
    result = evaluate(answers, CONSENTED, ["rectus-abdominis"], trimester=1)
    assert result.status == ScreeningStatus.CAN_NEEDLE and not result.blocked_muscles


def test_pacemaker_with_estim_is_a_stop() -> None:
    answers = with_yes("pacemaker-implant", "dual-chamber pacemaker", True)
    assert evaluate(answers, CONSENTED).status == ScreeningStatus.CAN_NEEDLE
    result = evaluate(answers, CONSENTED, estim=True)
    assert result.status == ScreeningStatus.BLOCKED
    assert any("electrical stimulation" in r for r in result.blocked_reasons)
    assert "estim-implant" in ITEMS_BY_ID["pacemaker-implant"].source
    assert evaluate(all_no(), CONSENTED, estim=True).status == ScreeningStatus.CAN_NEEDLE


def test_an_implant_that_is_not_electrical_is_a_precaution_not_an_estim_stop() -> None:
    """The stop is for a pacemaker or other implanted electrical device [estim-implant];
    another implant (the 'pacemaker/implant' precaution of [21][22]) is asked on its own,
    so a knee replacement does not forbid e-stim."""
    device = ITEMS_BY_ID["pacemaker-implant"]
    assert "electrical device" in device.question and "another implant" not in device.question
    other = ITEMS_BY_ID["other-implant"]
    assert other.kind == ItemKind.RELATIVE and other.source == ("21", "22")
    knee = with_yes("other-implant", "knee replacement 2019", True)
    assert evaluate(knee, CONSENTED, estim=True).status == ScreeningStatus.CAN_NEEDLE
    assert evaluate(with_yes("other-implant"), CONSENTED).outstanding == ("other-implant",)


@pytest.mark.parametrize(
    ("item_id", "kind"),
    [
        ("site-infection", ItemKind.ABSOLUTE),
        ("tumour-site", ItemKind.RELATIVE),
        ("fainting-history", ItemKind.RELATIVE),
        ("latex-allergy", ItemKind.RELATIVE),
        ("metal-allergy", ItemKind.RELATIVE),
    ],
)
def test_new_items_present_with_sources(item_id: str, kind: ItemKind) -> None:
    item = ITEMS_BY_ID[item_id]
    assert item.kind == kind and item.source
    for key in item.source:
        assert key in SOURCES
    assert "lying down" in ITEMS_BY_ID["fainting-history"].reason
