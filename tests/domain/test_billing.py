"""The billing engine (dntui.domain.billing): cases from the domain notes, section 1 (sources in docs/sources.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.clinic_files import load_fee_schedule
from dntui.domain import muscles
from dntui.domain.billing import BillingSummary, code_for_count, count_muscles, summarize
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
# Medicare eligibility by who needles and why: tests/domain/test_medicare.py.
def test_medicare_pt_is_provider_excluded_gy_not_abn_stop() -> None:
    """A PT is not a practitioner NCD 30.3.3 names: GY, voluntary ABN, no stop [ncd][8]."""
    s = summarize(visit(m("upper-trapezius"), payer="medicare", practitioner=PT), SCHEDULE)
    assert not texts(s, "stop")
    warns = " ".join(texts(s, "warn"))
    assert "provider type excluded" in warns and "physical therapists" in warns
    assert s.modifiers == ("GP", "GY")


def test_medicare_dc_is_excluded_without_pt_wording() -> None:
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=DC), SCHEDULE)
    all_text = " ".join(texts(s))
    assert "physical therapist" not in all_text
    assert "chiropractors" in all_text
    assert s.modifiers == ("GY",)


def test_medicare_pt_with_voluntary_abn_adds_gy_gx_and_gp() -> None:
    s = summarize(
        visit(m("upper-trapezius"), payer="medicare", practitioner=PT, abn_on_file=True),
        SCHEDULE,
    )
    assert s.modifiers == ("GP", "GY", "GX")
    assert not texts(s, "stop")


def test_medicare_voluntary_abn_modifier_setting(tmp_path: Path) -> None:
    schedule = schedule_from(
        tmp_path,
        '[payers.medicare]\nname = "Medicare"\nmedicare = true\nmodifiers = ["GP"]\n'
        'abn_modifier = "GA"\nexcluded_modifier = "none"\n',
    )
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=PT, abn_on_file=True), schedule)
    assert s.modifiers == ("GP", "GA")


def test_medicare_abn_modifier_none_adds_nothing(tmp_path: Path) -> None:
    schedule = schedule_from(
        tmp_path,
        '[payers.medicare]\nname = "Medicare"\nmedicare = true\nabn_modifier = "none"\n'
        'excluded_modifier = "none"\n',
    )
    s = summarize(visit(m("soleus"), payer="medicare", practitioner=PT, abn_on_file=True), schedule)
    assert s.modifiers == ()


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


def test_trigger_point_injection_code_warns_same_muscles_and_says_how_distinct() -> None:
    s = summarize(visit(m("soleus"), other_codes=["20552"]), SCHEDULE)
    hits = [w for w in s.warnings if "20552" in w.text]
    assert len(hits) == 1
    assert "never bill it with 20560/20561 for the same muscles" in hits[0].text
    assert "XS (or 59)" in hits[0].text and "distinct" in hits[0].text
    assert {"1b", "5", "3c"} <= set(hits[0].source)


def test_97140_is_separate_region_guidance_not_fraud() -> None:
    """97140 is billable for a separate region with 59/XS [13][3c]; not a fraud flag."""
    s = summarize(visit(m("soleus"), other_codes=["97140"]), SCHEDULE)
    hits = [w for w in s.warnings if "97140" in w.text]
    assert len(hits) == 1 and hits[0].level == "warn"
    assert "fraud" not in hits[0].text
    assert "separate region" in hits[0].text and "XS (or 59)" in hits[0].text
    assert set(hits[0].source) == {"13", "3c"}


def test_97812_is_not_an_acupuncture_code() -> None:
    from dntui.domain.billing import ACUPUNCTURE_CODES

    assert {"97810", "97811", "97813", "97814"} == ACUPUNCTURE_CODES
    s = summarize(visit(m("soleus"), other_codes=["97812"]), SCHEDULE)
    assert not any("acupuncture" in t for t in texts(s))


@pytest.mark.parametrize("code", ["20560", "20561", "20561-GP"])
def test_dry_needling_code_entered_as_other_code_is_an_error(code: str) -> None:
    s = summarize(visit(m("soleus"), other_codes=[code]), SCHEDULE)
    stops = texts(s, "stop")
    assert len(stops) == 1 and code.split("-")[0] in stops[0]


def test_estim_names_separate_codes_and_adds_none() -> None:
    entry = m("soleus")
    entry.estim = True
    s = summarize(visit(entry), SCHEDULE)
    (hit,) = [w for w in s.warnings if "Electrical stimulation" in w.text]
    assert "97014" in hit.text and "G0283" in hit.text and "97032" in hit.text
    assert "adds no e-stim code" in hit.text
    assert s.code == "20560" and s.units == 1
    plain = summarize(visit(m("soleus")), SCHEDULE)
    assert not any("Electrical stimulation" in w.text for w in plain.warnings)


def test_pta_gets_delegation_warning() -> None:
    pta = PractitionerInfo(name="Pat A", credentials="PTA")
    s = summarize(visit(m("soleus"), practitioner=pta), SCHEDULE)
    (hit,) = [w for w in s.warnings if "assistant" in w.text]
    assert hit.level == "warn" and hit.source == ("26",)
    assert "Virginia" in hit.text
    assert not any("assistant" in t for t in texts(summarize(visit(m("soleus")), SCHEDULE)))


def test_unrelated_other_code_no_warning() -> None:
    s = summarize(visit(m("soleus"), other_codes=["97110"]), SCHEDULE)
    assert s.warnings == ()


# --------------------------------------------------------------- payers, fees
def test_fee_from_schedule() -> None:
    assert summarize(visit(m("soleus")), SCHEDULE).charge == Decimal("24.72")
    three = visit(m("soleus"), m("gastrocnemius"), m("popliteus"))
    assert summarize(three, SCHEDULE).charge == Decimal("38.08")


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
    assert s.charge == Decimal("24.72")
    assert "acme-health" in s.payer_name
    assert any("not in the fee schedule" in t for t in texts(s, "warn"))


@pytest.mark.parametrize(
    ("payer", "source", "needle"),
    [
        ("anthem", "14", "not medically necessary"),  # domain notes: [14] Anthem 2024
        ("emblemhealth", "4", "not medically necessary"),
        ("tricare", "9b", "does not pay"),
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
    assert "KX" not in s.modifiers  # first session


def test_medicare_advantage_kx_added_from_session_13() -> None:
    """AmeriHealth MA: KX must be reported on sessions 13 through 20 [12]."""
    day = date(2025, 3, 14)
    twelve = [date(2025, 1, 1) + (day - date(2025, 1, 1)) * i / 12 for i in range(12)]
    twelve = [date.fromordinal(d.toordinal()) for d in twelve]
    s13 = summarize(visit(m("soleus"), payer="medicare-advantage"), SCHEDULE, twelve)
    assert "KX" in s13.modifiers
    s12 = summarize(visit(m("soleus"), payer="medicare-advantage"), SCHEDULE, twelve[1:])
    assert "KX" not in s12.modifiers


def test_unknown_muscle_id_warns_name_each_muscle() -> None:
    s = summarize(visit(m("paraspinals")), SCHEDULE)
    assert any("paraspinals" in w.text and w.source == ("3",) for w in s.warnings)


def test_every_warning_source_is_known() -> None:
    v = visit(
        m("upper-trapezius", Side.BILATERAL),
        payer="medicare",
        practitioner=PT,
        other_codes=["20553", "97810", "97140", "20561"],
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
    new_pairs = {(muscles.anatomical_muscle(new_id), s) for s in v.muscles[-1].sides}
    old_pairs = {
        (muscles.anatomical_muscle(e.muscle_id), s)
        for e in v.muscles[:-1]
        if e.needles_in > 0
        for s in e.sides
    }
    if not new_pairs <= old_pairs:
        assert after > before


@given(visits, visits)
def test_code_depends_only_on_count(a: VisitDraft, b: VisitDraft) -> None:
    sa, sb = summarize(a, SCHEDULE), summarize(b, SCHEDULE)
    assert sa.code == expected_code(sa.muscle_count)
    assert sa.units == (1 if sa.code else 0)
    if sa.muscle_count == sb.muscle_count:
        assert (sa.code, sa.label) == (sb.code, sb.label)


@given(visits)
def test_count_is_distinct_needled_anatomical_muscle_sides(v: VisitDraft) -> None:
    pairs = {
        (muscles.anatomical_muscle(e.muscle_id), s)
        for e in v.muscles
        if e.needles_in > 0
        for s in e.sides
    }
    s = summarize(v, SCHEDULE)
    assert s.muscle_count == len(pairs) == len(s.counted)


@given(visits, st.booleans())
def test_anatomical_count_never_exceeds_catalog_entry_count(v: VisitDraft, sides: bool) -> None:
    by_muscle = count_muscles(v.muscles, sides_separately=sides)
    by_entry = count_muscles(v.muscles, sides_separately=sides, by_anatomical_muscle=False)
    assert by_muscle.count <= by_entry.count


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
    for credentials, has_gp in (
        ("PT", True),
        ("DPT", True),
        ("Physical Therapist", True),
        ("PTA", False),
        ("DC", False),
        ("MD", False),
    ):
        visit = VisitDraft(
            visit_date=date(2026, 3, 16),
            practitioner=PractitionerInfo(1, "X", credentials),
            payer="medicare",
            abn_on_file=True,
            muscles=[MuscleEntry("gastrocnemius", Side.LEFT, 1, 1)],
        )
        mods = summarize(visit, schedule).modifiers
        assert ("GP" in mods) is has_gp, (credentials, mods)


# ------------------------------------------------- counting by anatomical muscle
# Coding guidance counts named muscles; several insertions into one muscle count once
# [2][3]; upper, middle and lower trapezius are parts of one muscle [ta2].
def test_upper_and_lower_trapezius_one_side_is_one_muscle_20560() -> None:
    s = summarize(visit(m("upper-trapezius"), m("lower-trapezius")), SCHEDULE)
    assert (s.code, s.muscle_count) == ("20560", 1)
    assert "upper + lower trapezius L: one muscle (trapezius)" in s.counting
    assert s.counted == ("Trapezius (L)",)


def test_three_trapezius_parts_one_side_is_not_20561() -> None:
    s = summarize(
        visit(m("upper-trapezius"), m("middle-trapezius"), m("lower-trapezius")), SCHEDULE
    )
    assert (s.code, s.muscle_count) == ("20560", 1)


def test_trapezius_parts_on_both_sides_count_per_side() -> None:
    s = summarize(visit(m("upper-trapezius"), m("lower-trapezius", Side.RIGHT)), SCHEDULE)
    assert s.muscle_count == 2  # left and right stay two [2]
    assert s.counted == ("Trapezius (L)", "Trapezius (R)")


@pytest.mark.parametrize(
    ("ids", "name"),
    [
        (("anterior-deltoid", "middle-deltoid", "posterior-deltoid"), "deltoid"),
        (("cervical-multifidus", "thoracic-multifidus", "lumbar-multifidus"), "multifidus"),
    ],
)
def test_parts_of_one_muscle_count_once(ids: tuple[str, ...], name: str) -> None:
    s = summarize(visit(*(m(i) for i in ids)), SCHEDULE)
    assert s.muscle_count == 1
    assert f"one muscle ({name})" in s.counting


def test_distinct_muscles_still_count_separately() -> None:
    """Rhomboid major and minor, the scalenes, the vasti are separate named muscles."""
    s = summarize(visit(m("rhomboid-major"), m("rhomboid-minor"), m("vastus-lateralis")), SCHEDULE)
    assert (s.code, s.muscle_count) == ("20561", 3)


def test_counting_by_catalog_entry_is_the_comparison() -> None:
    entries = [m("upper-trapezius"), m("lower-trapezius")]
    assert count_muscles(entries, by_anatomical_muscle=False).count == 2
    assert count_muscles(entries).count == 1


def test_signed_summary_is_the_stored_billing_not_a_recount() -> None:
    """A visit signed under the old count (3 trapezius parts = 20561) keeps 20561."""
    from dntui.domain.billing import signed_summary

    stored = {
        "code": "20561",
        "label": "Dry needling, 3+ muscles",
        "muscle_count": 3,
        "counting": "3 muscles: upper trapezius L, middle trapezius L, lower trapezius L",
        "counted": ["Upper trapezius (L)", "Middle trapezius (L)", "Lower trapezius (L)"],
        "units": 1,
        "modifiers": ["GP"],
        "charge": "38.32",
        "payer": "Medicare",
        "warnings": ["old warning"],
    }
    s = signed_summary(stored)
    assert (s.code, s.muscle_count, s.modifiers, s.charge) == (
        "20561",
        3,
        ("GP",),
        Decimal("38.32"),
    )
    assert [w.text for w in s.warnings] == ["old warning"]
    recount = summarize(
        visit(m("upper-trapezius"), m("middle-trapezius"), m("lower-trapezius")), SCHEDULE
    )
    assert recount.code == "20560"  # today's rule differs; the signed record does not
    empty = signed_summary({"code": None})
    assert (empty.code, empty.units, empty.charge) == (None, 0, None)
