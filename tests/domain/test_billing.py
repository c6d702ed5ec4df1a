"""The billing engine (dntui.domain.billing): cases from shared/domain.md section 1."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.clinic_files import load_fee_schedule
from dntui.domain import muscles
from dntui.domain.billing import BillingSummary, code_for_count, summarize
from dntui.domain.fees import FeeSchedule
from dntui.domain.sources import SOURCES
from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft

SCHEDULE = load_fee_schedule(None)
PT = PractitionerInfo(name="Jane Doe", credentials="PT, DPT", acupuncture_licensed=False)
LAC = PractitionerInfo(name="Li Wei", credentials="LAc", acupuncture_licensed=True)
DC = PractitionerInfo(name="Sam Roe", credentials="DC", acupuncture_licensed=False)


def visit(*entries: MuscleEntry, **kw: object) -> VisitDraft:
    kw.setdefault("payer", "commercial")
    return VisitDraft(visit_date=date(2025, 3, 14), muscles=list(entries), **kw)  # type: ignore[arg-type]


def m(muscle_id: str, side: Side = Side.LEFT, needles: int = 1) -> MuscleEntry:
    return MuscleEntry(muscle_id, side, needles_in=needles, needles_out=needles)


def texts(summary: BillingSummary, level: str | None = None) -> list[str]:
    return [w.text for w in summary.warnings if level is None or w.level == level]


def schedule_from(tmp_path: Path, text: str) -> FeeSchedule:
    path = tmp_path / "fees.toml"
    path.write_text(text, encoding="utf-8")
    return load_fee_schedule(path)


# ----------------------------------------------------------------- counting
def test_one_muscle_is_20560() -> None:
    s = summarize(visit(m("upper-trapezius")), SCHEDULE)
    assert (s.code, s.muscle_count, s.units) == ("20560", 1, 1)
    assert s.label == "Dry needling, 1-2 muscles"
    assert s.counted == ("Upper trapezius (L)",)


def test_same_muscle_both_sides_is_20560_counted_twice() -> None:
    s = summarize(visit(m("upper-trapezius", Side.BILATERAL, 4)), SCHEDULE)
    assert s.code == "20560"
    assert s.muscle_count == 2
    assert s.counted == ("Upper trapezius (L)", "Upper trapezius (R)")
    assert "counted as 2" in s.counting


def test_left_and_right_entries_count_as_two() -> None:
    s = summarize(visit(m("upper-trapezius"), m("upper-trapezius", Side.RIGHT)), SCHEDULE)
    assert s.muscle_count == 2


def test_three_muscles_is_20561() -> None:
    s = summarize(visit(m("upper-trapezius"), m("levator-scapulae"), m("infraspinatus")), SCHEDULE)
    assert (s.code, s.muscle_count, s.units) == ("20561", 3, 1)
    assert s.label == "Dry needling, 3+ muscles"


def test_bilateral_plus_one_is_20561_with_working() -> None:
    s = summarize(visit(m("upper-trapezius", Side.BILATERAL, 2), m("levator-scapulae")), SCHEDULE)
    assert s.code == "20561"
    assert s.counting.startswith("3 muscles: upper trapezius L+R counted as 2")
    assert "levator scapulae L" in s.counting


def test_five_needles_in_one_muscle_count_once() -> None:
    s = summarize(visit(m("gastrocnemius", Side.RIGHT, 5)), SCHEDULE)
    assert (s.code, s.muscle_count) == ("20560", 1)
    assert "5 needles in gastrocnemius R count once" in s.counting


def test_same_muscle_and_side_twice_counts_once() -> None:
    s = summarize(visit(m("soleus"), m("soleus"), m("soleus", Side.BILATERAL)), SCHEDULE)
    assert s.muscle_count == 2
    assert "soleus L entered 3 times, counted once" in s.counting


def test_entry_with_no_needles_is_not_counted() -> None:
    s = summarize(visit(m("soleus"), m("piriformis", needles=0)), SCHEDULE)
    assert s.muscle_count == 1
    assert "piriformis L not counted" in s.counting


def test_no_muscles_no_code_no_units() -> None:
    s = summarize(visit(), SCHEDULE)
    assert (s.code, s.units, s.muscle_count, s.charge) == (None, 0, 0, None)
    assert s.modifiers == ()
    assert any(w.level == "info" and "No muscles yet" in w.text for w in s.warnings)


def test_sides_not_counted_separately_setting(tmp_path: Path) -> None:
    schedule = schedule_from(tmp_path, '[payers.p]\nname = "P"\ncount_sides_separately = false\n')
    s = summarize(visit(m("upper-trapezius", Side.BILATERAL), payer="p"), schedule)
    assert s.muscle_count == 1
    assert s.counted == ("Upper trapezius (L+R)",)
    assert "counted once (sides not counted separately)" in s.counting
    two = summarize(
        visit(
            m("upper-trapezius", Side.BILATERAL), m("soleus"), m("soleus", Side.RIGHT), payer="p"
        ),
        schedule,
    )
    assert (two.muscle_count, two.code) == (2, "20560")


def test_one_unit_never_modifier_50() -> None:
    many = [m(mid, Side.BILATERAL) for mid in list(muscles.BY_ID)[:10]]
    s = summarize(visit(*many, payer="medicare", practitioner=PT, abn_on_file=True), SCHEDULE)
    assert s.units == 1
    assert "50" not in s.modifiers


# ------------------------------------------------------------ Medicare, ABN
def test_medicare_pt_without_abn_warns_and_stops() -> None:
    s = summarize(visit(m("upper-trapezius"), payer="medicare", practitioner=PT), SCHEDULE)
    stops = [w for w in s.warnings if w.level == "stop"]
    assert len(stops) == 1
    assert "ABN not on file" in stops[0].text
    assert set(stops[0].source) >= {"8"}
    warns = " ".join(texts(s, "warn"))
    assert "does not cover dry needling by a physical therapist" in warns
    assert "chronic low back pain" in warns
    assert "licensed in acupuncture" in warns
    assert "GX" not in s.modifiers
    assert s.warnings[0].level == "stop"  # most severe first


def test_medicare_dc_gets_ncd_warning_but_not_pt_wording() -> None:
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=DC), SCHEDULE)
    all_text = " ".join(texts(s))
    assert "physical therapist" not in all_text
    assert "NCD 30.3.3" in all_text
    assert "ABN not on file" in all_text


def test_medicare_with_abn_adds_gx_and_gp() -> None:
    s = summarize(
        visit(m("upper-trapezius"), payer="medicare", practitioner=PT, abn_on_file=True),
        SCHEDULE,
    )
    assert s.modifiers == ("GP", "GX")
    assert not texts(s, "stop")


def test_medicare_abn_modifier_setting_ga(tmp_path: Path) -> None:
    schedule = schedule_from(
        tmp_path,
        '[payers.medicare]\nname = "Medicare"\nmedicare = true\nmodifiers = ["GP"]\n'
        'abn_modifier = "GA"\n',
    )
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=PT, abn_on_file=True), schedule)
    assert s.modifiers == ("GP", "GA")


def test_medicare_abn_modifier_none_adds_nothing(tmp_path: Path) -> None:
    schedule = schedule_from(
        tmp_path, '[payers.medicare]\nname = "Medicare"\nmedicare = true\nabn_modifier = "none"\n'
    )
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=PT, abn_on_file=True), schedule)
    assert s.modifiers == ()


def test_medicare_acupuncture_licensed_no_abn_but_limits_info() -> None:
    s = summarize(visit(m("quadratus-lumborum"), payer="medicare", practitioner=LAC), SCHEDULE)
    assert not texts(s, "stop")
    assert s.modifiers == ()  # no ABN modifier, and GP is a therapist's modifier [7]
    info = " ".join(texts(s, "info"))
    assert "12 visits in 90 days" in info and "20 a year" in info
    assert "chronic low back pain" in info


def test_gp_only_where_payer_has_it() -> None:
    pt_medicare = visit(m("soleus"), payer="medicare", practitioner=PT, abn_on_file=True)
    assert "GP" in summarize(pt_medicare, SCHEDULE).modifiers
    pt_commercial = visit(m("soleus"), payer="commercial", practitioner=PT)
    assert summarize(pt_commercial, SCHEDULE).modifiers == ()


def test_no_modifiers_without_a_code() -> None:
    s = summarize(visit(payer="medicare", practitioner=PT, abn_on_file=True), SCHEDULE)
    assert s.modifiers == ()


# ------------------------------------------------------------- other codes
def test_acupuncture_code_same_day_warns() -> None:
    s = summarize(visit(m("soleus"), other_codes=["97810"]), SCHEDULE)
    hits = [w for w in s.warnings if "report only acupuncture" in w.text]
    assert len(hits) == 1 and hits[0].level == "warn"
    assert set(hits[0].source) == {"1b", "5"}


@pytest.mark.parametrize("code", ["97811", "97813", " 97814-gp "])
def test_all_acupuncture_codes_warn(code: str) -> None:
    s = summarize(visit(m("soleus"), other_codes=[code]), SCHEDULE)
    assert any("report only acupuncture" in t for t in texts(s))


def test_trigger_point_injection_code_warns() -> None:
    s = summarize(visit(m("soleus"), other_codes=["20552"]), SCHEDULE)
    hits = [w for w in s.warnings if "20552" in w.text]
    assert len(hits) == 1
    assert "do not bill with 20560/20561 for the same muscles" in hits[0].text
    assert set(hits[0].source) == {"1b", "5"}


def test_97140_fraud_risk_warning() -> None:
    s = summarize(visit(m("soleus"), other_codes=["97140"]), SCHEDULE)
    hits = [w for w in s.warnings if "97140" in w.text]
    assert len(hits) == 1 and "fraud risk" in hits[0].text and hits[0].source == ("13",)


def test_unrelated_other_code_no_warning() -> None:
    s = summarize(visit(m("soleus"), other_codes=["97110"]), SCHEDULE)
    assert s.warnings == ()


# --------------------------------------------------------------- payers, fees
def test_fee_from_schedule() -> None:
    assert summarize(visit(m("soleus")), SCHEDULE).charge == Decimal("25.74")
    three = visit(m("soleus"), m("gastrocnemius"), m("popliteus"))
    assert summarize(three, SCHEDULE).charge == Decimal("38.32")


def test_fee_payer_override(tmp_path: Path) -> None:
    schedule = schedule_from(
        tmp_path,
        '[fees]\n"20560" = 25.74\n"20561" = 38.32\n'
        '[payers.self-pay]\nname = "Self-pay"\n[payers.self-pay.fees]\n"20560" = 75\n',
    )
    assert summarize(visit(m("soleus"), payer="self-pay"), schedule).charge == Decimal("75")
    three = visit(m("soleus"), m("gastrocnemius"), m("popliteus"), payer="self-pay")
    assert summarize(three, schedule).charge == Decimal("38.32")


def test_missing_fee_is_none_with_info(tmp_path: Path) -> None:
    schedule = schedule_from(tmp_path, '[payers.p]\nname = "P"\n')
    s = summarize(visit(m("soleus"), payer="p"), schedule)
    assert s.code == "20560" and s.charge is None
    assert any("No fee for 20560" in t for t in texts(s, "info"))


def test_unknown_payer_falls_back_with_warning() -> None:
    s = summarize(visit(m("soleus"), payer="acme-health"), SCHEDULE)
    assert s.code == "20560"
    assert s.charge == Decimal("25.74")
    assert "acme-health" in s.payer_name
    assert any("not in the fee schedule" in t for t in texts(s, "warn"))


@pytest.mark.parametrize(
    ("payer", "source", "needle"),
    [
        ("anthem", "9b", "not medically necessary"),
        ("emblemhealth", "4", "not medically necessary"),
        ("tricare", "14", "does not pay"),
    ],
)
def test_payer_specific_warnings(payer: str, source: str, needle: str) -> None:
    s = summarize(visit(m("soleus"), payer=payer), SCHEDULE)
    hits = [w for w in s.warnings if needle in w.text]
    assert len(hits) == 1 and hits[0].source == (source,)


def test_medicare_advantage_kx_note() -> None:
    s = summarize(visit(m("soleus"), payer="medicare-advantage"), SCHEDULE)
    hits = [w for w in s.warnings if "KX" in w.text]
    assert len(hits) == 1
    assert hits[0].level == "info" and hits[0].source == ("12",)
    assert "session 13" in hits[0].text


def test_unknown_muscle_id_warns_name_each_muscle() -> None:
    s = summarize(visit(m("paraspinals")), SCHEDULE)
    assert any("paraspinals" in w.text and w.source == ("3",) for w in s.warnings)


def test_every_warning_source_is_known() -> None:
    v = visit(
        m("upper-trapezius", Side.BILATERAL),
        payer="medicare",
        practitioner=PT,
        other_codes=["20553", "97812", "97140"],
    )
    for payer in [*SCHEDULE.payers, "x"]:
        v.payer = payer
        for w in summarize(v, SCHEDULE).warnings:
            assert w.level in ("info", "warn", "stop")
            for key in w.source:
                assert key in SOURCES


# --------------------------------------------------------------- properties
MUSCLE_IDS = sorted(muscles.BY_ID)
entries = st.builds(
    MuscleEntry,
    muscle_id=st.sampled_from(MUSCLE_IDS),
    side=st.sampled_from(list(Side)),
    needles_in=st.integers(min_value=0, max_value=6),
)
visits = st.lists(entries, max_size=12).map(lambda es: visit(*es))


def expected_code(count: int) -> str | None:
    return None if count == 0 else "20560" if count <= 2 else "20561"


@given(visits, st.sampled_from(MUSCLE_IDS), st.sampled_from(list(Side)), st.integers(1, 6))
def test_adding_a_new_muscle_never_lowers_the_count(
    v: VisitDraft, new_id: str, side: Side, needles: int
) -> None:
    before = summarize(v, SCHEDULE).muscle_count
    v.muscles.append(MuscleEntry(new_id, side, needles_in=needles))
    after = summarize(v, SCHEDULE).muscle_count
    assert after >= before
    if all(e.muscle_id != new_id for e in v.muscles[:-1]):
        assert after > before


@given(visits, visits)
def test_code_depends_only_on_count(a: VisitDraft, b: VisitDraft) -> None:
    sa, sb = summarize(a, SCHEDULE), summarize(b, SCHEDULE)
    assert sa.code == expected_code(sa.muscle_count)
    assert sa.units == (1 if sa.code else 0)
    if sa.muscle_count == sb.muscle_count:
        assert (sa.code, sa.label) == (sb.code, sb.label)


@given(visits)
def test_count_is_distinct_needled_muscle_sides(v: VisitDraft) -> None:
    pairs = {(e.muscle_id, s) for e in v.muscles if e.needles_in > 0 for s in e.sides}
    s = summarize(v, SCHEDULE)
    assert s.muscle_count == len(pairs) == len(s.counted)


def test_code_for_count_table() -> None:
    assert code_for_count(0) is None
    assert [code_for_count(n).code for n in (1, 2, 3, 4, 40)] == [  # type: ignore[union-attr]
        "20560",
        "20560",
        "20561",
        "20561",
        "20561",
    ]


def test_gp_modifier_only_on_a_physical_therapists_claim() -> None:
    """GP marks therapy under a plan of care [7]; a DC or MD claim does not carry it."""
    from datetime import date

    from dntui.clinic_files import load_fee_schedule
    from dntui.domain.billing import summarize
    from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft

    schedule = load_fee_schedule()
    for credentials, has_gp in (("PT", True), ("DPT", True), ("DC", False), ("MD", False)):
        visit = VisitDraft(
            visit_date=date(2026, 3, 16),
            practitioner=PractitionerInfo(1, "X", credentials),
            payer="medicare",
            abn_on_file=True,
            muscles=[MuscleEntry("gastrocnemius", Side.LEFT, 1, 1)],
        )
        mods = summarize(visit, schedule).modifiers
        assert ("GP" in mods) is has_gp, (credentials, mods)
        assert "GX" in mods  # the ABN modifier still applies
