"""Safety warnings (dntui.domain.safety): shared/domain.md sections 3-4."""

from __future__ import annotations

from datetime import date

import pytest

from dntui.domain import muscles
from dntui.domain.safety import SafetyWarning, safety_warnings
from dntui.domain.sources import SOURCES
from dntui.domain.visit import MAX_NEEDLES_PER_MUSCLE, MuscleEntry, Side, VisitDraft


def visit(*entries: MuscleEntry) -> VisitDraft:
    return VisitDraft(visit_date=date(2025, 3, 14), muscles=list(entries))


def m(
    muscle_id: str, side: Side = Side.LEFT, n_in: int = 1, n_out: int | None = None
) -> MuscleEntry:
    return MuscleEntry(
        muscle_id, side, needles_in=n_in, needles_out=n_in if n_out is None else n_out
    )


def bilateral(ws: tuple[SafetyWarning, ...]) -> list[SafetyWarning]:
    return [w for w in ws if "both sides of the thorax" in w.text]


def test_lung_risk_muscle_warns_with_watch_text() -> None:
    ws = safety_warnings(visit(m("rhomboid-major")))
    risk = muscles.get("rhomboid-major").risks[0]
    hits = [w for w in ws if w.muscle_id == "rhomboid-major"]
    assert len(hits) == 1
    assert hits[0].level == "warn"
    assert hits[0].watch == risk.watch
    assert "shortness of breath" in hits[0].watch
    assert "22c" in hits[0].source
    assert "Rhomboid major" in hits[0].text


def test_each_risk_of_a_muscle_warns_once_per_muscle() -> None:
    qlo = muscles.get("quadratus-lumborum")
    ws = safety_warnings(visit(m("quadratus-lumborum"), m("quadratus-lumborum", Side.RIGHT)))
    hits = [w for w in ws if w.muscle_id == "quadratus-lumborum"]
    assert len(hits) == len(qlo.risks) >= 1
    assert any("kidney" in w.text.lower() for w in hits)


def test_muscle_without_risk_flag_gives_no_warning() -> None:
    assert muscles.get("middle-deltoid").risks == ()
    assert safety_warnings(visit(m("middle-deltoid"))) == ()


def test_bilateral_thorax_via_one_b_entry() -> None:
    ws = safety_warnings(visit(m("upper-trapezius", Side.BILATERAL, 2)))
    hits = bilateral(ws)
    assert len(hits) == 1
    assert "Do not needle both sides of the thorax in one session (pneumothorax)" in hits[0].text
    assert hits[0].source == ("22c",)
    assert hits[0].muscle_id is None


def test_bilateral_thorax_via_two_different_lung_muscles() -> None:
    ws = safety_warnings(visit(m("rhomboid-major", Side.LEFT), m("lower-trapezius", Side.RIGHT)))
    hits = bilateral(ws)
    assert len(hits) == 1
    assert "Rhomboid major" in hits[0].text and "Lower trapezius" in hits[0].text


def test_one_side_of_thorax_is_fine() -> None:
    ws = safety_warnings(
        visit(
            m("rhomboid-major", Side.LEFT), m("lower-trapezius", Side.LEFT), m("soleus", Side.RIGHT)
        )
    )
    assert bilateral(ws) == []


def test_non_lung_muscle_on_other_side_does_not_make_thorax_bilateral() -> None:
    ws = safety_warnings(visit(m("rhomboid-major", Side.LEFT), m("middle-deltoid", Side.RIGHT)))
    assert bilateral(ws) == []


@pytest.mark.parametrize(
    "muscle_id",
    [
        "infraspinatus",
        "teres-major",
        "thoracic-multifidus",
        "subclavius",
        "serratus-posterior-inferior",
    ],
)
def test_newly_lung_flagged_muscles_make_thorax_bilateral(muscle_id: str) -> None:
    """The bilateral-thorax warning follows the lung flag [22c], so it now covers these."""
    ws = safety_warnings(visit(m("rhomboid-major", Side.LEFT), m(muscle_id, Side.RIGHT)))
    assert len(bilateral(ws)) == 1


def test_unneedled_entry_does_not_make_thorax_bilateral() -> None:
    ws = safety_warnings(visit(m("rhomboid-major", Side.LEFT), m("rhomboid-major", Side.RIGHT, 0)))
    assert bilateral(ws) == []


def test_needles_in_out_mismatch_is_stop() -> None:
    ws = safety_warnings(visit(m("soleus", n_in=3, n_out=2), m("gastrocnemius", n_in=2, n_out=2)))
    stops = [w for w in ws if w.level == "stop"]
    assert len(stops) == 1
    assert "Needles in (5) and out (4) do not match" in stops[0].text
    assert "account for every needle before signing" in stops[0].text
    assert stops[0].source == ("31",)
    assert ws[0].level == "stop"  # most severe first


def test_matching_counts_no_stop() -> None:
    ws = safety_warnings(visit(m("soleus", n_in=3), m("piriformis", Side.RIGHT, 2)))
    assert [w for w in ws if w.level == "stop"] == []


def test_per_muscle_mismatch_hidden_by_totals_still_warns() -> None:
    ws = safety_warnings(visit(m("soleus", n_in=3, n_out=2), m("popliteus", n_in=1, n_out=2)))
    assert not [w for w in ws if w.level == "stop"]
    assert {w.muscle_id for w in ws if "differ" in w.text} == {"soleus", "popliteus"}


@pytest.mark.parametrize(
    ("n_in", "n_out"), [(-1, -1), (MAX_NEEDLES_PER_MUSCLE + 1, MAX_NEEDLES_PER_MUSCLE + 1), (2, -2)]
)
def test_needle_counts_out_of_bounds_stop(n_in: int, n_out: int) -> None:
    ws = safety_warnings(visit(m("soleus", n_in=n_in, n_out=n_out)))
    assert any(w.level == "stop" and "must be between 0" in w.text for w in ws)


def test_max_needles_is_allowed() -> None:
    ws = safety_warnings(visit(m("popliteus", n_in=MAX_NEEDLES_PER_MUSCLE)))
    assert [w for w in ws if w.level == "stop"] == []


def test_unknown_muscle_is_info() -> None:
    ws = safety_warnings(visit(m("paraspinals")))
    assert [(w.level, w.muscle_id) for w in ws] == [("info", "paraspinals")]


def test_empty_visit_has_no_warnings() -> None:
    assert safety_warnings(visit()) == ()


def test_all_sources_known() -> None:
    v = visit(*(m(mid, Side.BILATERAL, 2, 1) for mid in muscles.BY_ID))
    for w in safety_warnings(v):
        for key in w.source:
            assert key in SOURCES


def _yes(draft: VisitDraft, item_id: str) -> VisitDraft:
    from dntui.domain.visit import Answer, ScreeningAnswer

    draft.screening[item_id] = ScreeningAnswer(Answer.YES, "note", True)
    return draft


def test_anticoagulants_raise_the_precaution_for_every_other_muscle() -> None:
    """AHPCSA BN121 3.2.1: light technique, pressure held afterwards [22]."""
    v = _yes(visit(m("soleus"), m("upper-trapezius"), m("psoas-major")), "anticoagulants")
    hits = [w for w in safety_warnings(v) if "anticoagulants" in w.text]
    assert {w.muscle_id for w in hits} == {"soleus", "upper-trapezius"}  # psoas is blocked
    assert all("light needling technique" in w.watch and "22" in w.source for w in hits)
    assert not [w for w in safety_warnings(visit(m("soleus"))) if "anticoagulants" in w.text]


def test_pacemaker_and_estim_is_a_stop_in_the_pane() -> None:
    entry = m("soleus")
    entry.estim = True
    v = _yes(visit(entry), "pacemaker-implant")
    stops = [w for w in safety_warnings(v) if w.level == "stop"]
    assert len(stops) == 1 and "e-stim" in stops[0].text
    entry.estim = False
    assert not [w for w in safety_warnings(v) if w.level == "stop"]


def test_another_implant_and_estim_is_no_stop_in_the_pane() -> None:
    entry = m("soleus")
    entry.estim = True
    v = _yes(visit(entry), "other-implant")
    assert not [w for w in safety_warnings(v) if w.level == "stop"]


def test_pregnancy_stops_show_in_the_pane() -> None:
    v = _yes(visit(m("rectus-abdominis"), m("soleus")), "pregnancy")
    v.pregnancy_trimester = 2
    stops = [w for w in safety_warnings(v) if w.level == "stop"]
    assert [w.muscle_id for w in stops] == ["rectus-abdominis"]
    v.pregnancy_trimester = 1
    stops = [w for w in safety_warnings(v) if w.level == "stop"]
    assert any("first trimester" in w.text for w in stops)
