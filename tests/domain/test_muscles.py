"""Muscle catalog data and search ranking."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dntui.domain import muscles
from dntui.domain.muscles import BY_ID, CATALOG, Region, RiskFlag, by_region, get, search
from dntui.domain.sources import SOURCES


def _norm(s: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in s.casefold()).split())


# ------------------------------------------------------------------ catalog


def test_catalog_size_and_unique_ids() -> None:
    assert len(CATALOG) >= 110
    ids = [m.id for m in CATALOG]
    assert len(ids) == len(set(ids))
    assert BY_ID.keys() == set(ids)


def test_ids_are_slugs_without_side() -> None:
    for m in CATALOG:
        assert m.id == m.id.lower().strip("-")
        assert all(c.isalnum() or c == "-" for c in m.id), m.id
        for side in ("left", "right"):
            assert side not in m.id.split("-"), m.id


#: Abbreviations clinicians use for two muscles: search offers both.
SHARED_ABBREVIATIONS = {"pl": {"fibularis-longus", "palmaris-longus"}}


def test_abbreviations_unique_across_catalog_except_shared() -> None:
    seen: dict[str, set[str]] = {}
    for m in CATALOG:
        for a in m.abbreviations:
            seen.setdefault(_norm(a).replace(" ", ""), set()).add(m.id)
    for key, ids in seen.items():
        assert len(ids) == 1 or SHARED_ABBREVIATIONS.get(key) == ids, (key, ids)


def test_pl_offers_peroneus_longus_and_palmaris_longus() -> None:
    top = {m.id for m in search("PL")[:2]}
    assert top == {"fibularis-longus", "palmaris-longus"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("calf", {"gastrocnemius", "soleus", "plantaris"}),
        ("hamstrings", {"biceps-femoris", "semitendinosus", "semimembranosus"}),
        ("rotator cuff", {"supraspinatus", "infraspinatus", "teres-minor", "subscapularis"}),
        ("Calf", {"gastrocnemius", "soleus", "plantaris"}),
    ],
)
def test_region_words_find_that_regions_muscles(word: str, expected: set[str]) -> None:
    assert {m.id for m in search(word)} == expected


def test_new_commonly_needled_muscles_present() -> None:
    for mid in (
        "obturator-internus",
        "gemellus-superior",
        "gemellus-inferior",
        "serratus-posterior-superior",
        "serratus-posterior-inferior",
        "subclavius",
        "digastric",
        "longus-colli",
        "plantaris",
        "rotatores",
    ):
        assert get(mid).id == mid


def test_anatomical_muscle_of_parts() -> None:
    from dntui.domain.muscles import anatomical_muscle

    for mid in ("upper-trapezius", "middle-trapezius", "lower-trapezius"):
        assert anatomical_muscle(mid) == "trapezius"
    for mid in ("anterior-deltoid", "middle-deltoid", "posterior-deltoid"):
        assert anatomical_muscle(mid) == "deltoid"
    for mid in ("cervical-multifidus", "thoracic-multifidus", "lumbar-multifidus"):
        assert anatomical_muscle(mid) == "multifidus"
        assert get(mid).spinal_level
    assert get("rotatores").spinal_level
    assert anatomical_muscle("rhomboid-major") != anatomical_muscle("rhomboid-minor")
    assert anatomical_muscle("not-a-muscle") == "not-a-muscle"


def test_names_and_synonyms_unique_and_not_abbreviations() -> None:
    seen: dict[str, str] = {}
    abbrevs = {_norm(a).replace(" ", "") for m in CATALOG for a in m.abbreviations}
    for m in CATALOG:
        for n in (m.name, *m.synonyms):
            key = _norm(n)
            assert key not in seen, f"{n!r} used by {seen.get(key)} and {m.id}"
            assert key.replace(" ", "") not in abbrevs, n
            seen[key] = m.id


def test_every_region_non_empty_and_catalog_order() -> None:
    groups = by_region()
    assert list(groups) == list(Region)
    assert all(groups[r] for r in Region)
    order = [r for r in Region]
    keys = [(order.index(m.region), m.name.casefold()) for m in CATALOG]
    assert keys == sorted(keys)
    assert sum(len(v) for v in groups.values()) == len(CATALOG)


def test_every_risk_has_known_sources() -> None:
    n = 0
    for m in CATALOG:
        for r in m.risks:
            n += 1
            assert r.source, m.id
            assert all(k in SOURCES for k in r.source), (m.id, r.source)
            assert r.detail.strip() and r.watch.strip()
    assert n > 40


def test_get_known_and_unknown() -> None:
    assert get("upper-trapezius").name == "Upper trapezius"
    with pytest.raises(KeyError, match="no-such-muscle"):
        get("no-such-muscle")


def _kinds(muscle_id: str) -> frozenset[RiskFlag]:
    return get(muscle_id).risk_kinds


SECTION4_LUNG = [
    "upper-trapezius",
    "middle-trapezius",
    "lower-trapezius",
    "supraspinatus",
    "subscapularis",
    "rhomboid-major",
    "rhomboid-minor",
    "serratus-posterior-superior",
    "longissimus-thoracis",
    "iliocostalis-thoracis",
    "latissimus-dorsi",
]
LIKELY_LUNG = [
    "serratus-anterior",
    "pectoralis-major",
    "pectoralis-minor",
    "external-intercostals",
    "internal-intercostals",
    "anterior-scalene",
    "middle-scalene",
    "posterior-scalene",
]


@pytest.mark.parametrize("muscle_id", SECTION4_LUNG)
def test_section4_lung_muscles_flagged(muscle_id: str) -> None:
    m = get(muscle_id)
    assert m.has_lung_risk and m.is_thoracic
    (risk,) = m.risks_of(RiskFlag.LUNG)
    assert "22c" in risk.source
    assert "shortness of breath" in risk.watch and "both sides" in risk.watch
    assert "likely" not in risk.detail


@pytest.mark.parametrize("muscle_id", LIKELY_LUNG)
def test_likely_lung_muscles_say_likely(muscle_id: str) -> None:
    (risk,) = get(muscle_id).risks_of(RiskFlag.LUNG)
    assert "likely" in risk.detail
    assert "22c" in risk.source


def test_organ_flags() -> None:
    (ql,) = get("quadratus-lumborum").risks_of(RiskFlag.ORGAN)
    assert "kidney" in ql.detail.lower()
    for m in ("rectus-abdominis", "external-oblique", "internal-oblique", "transversus-abdominis"):
        (r,) = get(m).risks_of(RiskFlag.ORGAN)
        assert "peritoneum" in r.detail.lower()
    for m in ("thoracic-multifidus", "lumbar-multifidus"):
        (r,) = get(m).risks_of(RiskFlag.ORGAN)
        assert "spinal canal" in r.detail.lower() and "T12/L1" in r.detail
    suboccipitals = [m for m in CATALOG if m.group == "suboccipitals"]
    assert len(suboccipitals) == 4
    for m in suboccipitals:
        (r,) = m.risks_of(RiskFlag.ORGAN)
        assert "brainstem" in r.detail.lower()
    assert not get("cervical-multifidus").risks_of(RiskFlag.ORGAN)


def test_nerve_vessel_flags() -> None:
    expected = {
        "anterior-scalene": "brachial plexus",
        "supinator": "radial nerve",
        "pronator-teres": "median nerve",
        "psoas-major": "femoral nerve",
        "iliacus": "femoral nerve",
        "gluteus-maximus": "sciatic",
        "gluteus-medius": "superior gluteal",
        "gluteus-minimus": "superior gluteal",
        "pectineus": "femoral artery",
        "popliteus": "popliteal",
        "sternocleidomastoid": "carotid sheath",
        "pectoralis-minor": "axillary",
        "cervical-multifidus": "vertebral artery",
        "rectus-capitis-posterior-major": "vertebral artery",
        "tibialis-posterior": "posterior tibial",
        "flexor-digitorum-longus": "tibial nerve",
        "flexor-hallucis-longus": "posterior tibial",
        "piriformis": "sciatic",
        "biceps-femoris": "sciatic",
        "semitendinosus": "sciatic",
        "semimembranosus": "sciatic",
        "gastrocnemius": "tibial",
        "soleus": "popliteal",
        "tibialis-anterior": "deep peroneal",
        "fibularis-longus": "common peroneal",
        "fibularis-brevis": "common peroneal",
    }
    for muscle_id, structure in expected.items():
        (r,) = get(muscle_id).risks_of(RiskFlag.NERVE_VESSEL)
        assert structure in r.detail.lower(), muscle_id
        assert {"22e", "anat"} & set(r.source), muscle_id
    (pt,) = get("pronator-teres").risks_of(RiskFlag.NERVE_VESSEL)
    assert "brachial artery" in pt.detail
    for mid in ("gluteus-medius", "gluteus-minimus"):
        (r,) = get(mid).risks_of(RiskFlag.NERVE_VESSEL)
        assert "not under these muscles" in r.detail  # the sciatic nerve is not here
    (scm,) = get("sternocleidomastoid").risks_of(RiskFlag.NERVE_VESSEL)
    assert "external jugular" in scm.detail and "accessory nerve" in scm.detail


# Lung flags with a published case or the lung within needle depth [22c][patel2019]
# [mintken2025][anat]; upper quadratus lumborum is "likely".
@pytest.mark.parametrize(
    ("muscle_id", "source"),
    [
        ("infraspinatus", "patel2019"),
        ("thoracic-multifidus", "mintken2025"),
        ("teres-major", "anat"),
        ("teres-minor", "anat"),
        ("subclavius", "anat"),
        ("serratus-posterior-superior", "22c"),
        ("serratus-posterior-inferior", "anat"),
        ("quadratus-lumborum", "anat"),
    ],
)
def test_added_lung_flags(muscle_id: str, source: str) -> None:
    m = get(muscle_id)
    assert m.has_lung_risk and m.is_thoracic
    (risk,) = m.risks_of(RiskFlag.LUNG)
    assert source in risk.source and "22c" in risk.source
    assert ("likely" in risk.detail) is (muscle_id == "quadratus-lumborum")


def test_scalenes_lung_and_brachial_plexus() -> None:
    for m in (m for m in CATALOG if m.group == "scalenes"):
        assert {RiskFlag.LUNG, RiskFlag.NERVE_VESSEL} <= m.risk_kinds


def test_pressure_sites_named_and_added_to_the_open_list() -> None:
    """The source's list is open ("for example psoas and tibialis posterior") [21][22]."""
    pressure = {m.id for m in CATALOG if m.pressure_cannot_be_held}
    assert pressure == {
        "psoas-major",
        "tibialis-posterior",
        "iliacus",
        "flexor-digitorum-longus",
        "flexor-hallucis-longus",
        "popliteus",
        "lateral-pterygoid",
        "medial-pterygoid",
    }
    for mid in pressure - {"psoas-major", "tibialis-posterior"}:
        (r,) = get(mid).risks_of(RiskFlag.PRESSURE)
        assert "anat" in r.source and "open" in r.detail
    (r,) = get("psoas-major").risks_of(RiskFlag.PRESSURE)
    assert {"21", "22"} <= set(r.source)


@pytest.mark.parametrize(
    "muscle_id",
    ["biceps-brachii", "masseter", "tensor-fasciae-latae", "gracilis", "digastric"],
)
def test_unflagged_muscles_have_no_risks(muscle_id: str) -> None:
    m = get(muscle_id)
    assert m.risks == ()
    assert not m.has_lung_risk and not m.is_thoracic


def test_named_muscles_split_from_groups() -> None:
    groups = {
        "hamstrings": {"biceps-femoris", "semitendinosus", "semimembranosus"},
        "quadriceps": {
            "rectus-femoris",
            "vastus-lateralis",
            "vastus-medialis",
            "vastus-intermedius",
        },
        "adductors": {"adductor-longus", "adductor-brevis", "adductor-magnus"},
        "deltoid": {"anterior-deltoid", "middle-deltoid", "posterior-deltoid"},
        "abdominals": {
            "rectus-abdominis",
            "external-oblique",
            "internal-oblique",
            "transversus-abdominis",
        },
    }
    for group, ids in groups.items():
        assert {m.id for m in CATALOG if m.group == group} == ids
    for m in ("extensor-carpi-radialis-longus", "extensor-carpi-radialis-brevis"):
        assert get(m).group == "wrist extensors"


# ------------------------------------------------------------------- search


def _first(query: str) -> str:
    found = search(query)
    assert found, query
    return found[0].id


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ut", "upper-trapezius"),
        ("UT", "upper-trapezius"),
        ("scm", "sternocleidomastoid"),
        ("ql", "quadratus-lumborum"),
        ("tfl", "tensor-fasciae-latae"),
        ("ecrb", "extensor-carpi-radialis-brevis"),
        ("ECRL", "extensor-carpi-radialis-longus"),
        ("fdl", "flexor-digitorum-longus"),
        ("ta", "tibialis-anterior"),
        ("tp", "tibialis-posterior"),
        ("vmo", "vastus-medialis"),
        ("ls", "levator-scapulae"),
        ("pm", "pectoralis-major"),
        ("pmin", "pectoralis-minor"),
        ("gmed", "gluteus-medius"),
        ("1st DI", "first-dorsal-interosseous"),
        ("fdi", "first-dorsal-interosseous"),
        ("peroneus longus", "fibularis-longus"),
        ("fibularis longus", "fibularis-longus"),
        ("Fibularis-Longus", "fibularis-longus"),
        ("lev scap", "levator-scapulae"),
        ("lat dor", "latissimus-dorsi"),
        ("biceps", "biceps-brachii"),
        ("psoas", "psoas-major"),
        ("infrspn", "infraspinatus"),
        ("gastrc", "gastrocnemius"),
        ("semimbrns", "semimembranosus"),
    ],
)
def test_search_first_hit(query: str, expected: str) -> None:
    assert _first(query) == expected


def test_search_trap_returns_three_trapezius_first() -> None:
    top = [m.id for m in search("trap")[:3]]
    assert set(top) == {"upper-trapezius", "middle-trapezius", "lower-trapezius"}


def test_search_peron_finds_fibularis_via_synonyms() -> None:
    top = {m.id for m in search("peron")[:3]}
    assert top == {"fibularis-longus", "fibularis-brevis", "fibularis-tertius"}


def test_search_fuzzy_scalenes() -> None:
    top = {m.id for m in search("sclne")[:3]}
    assert top == {"anterior-scalene", "middle-scalene", "posterior-scalene"}


def test_ranking_tiers_in_order() -> None:
    # "ut": exact abbreviation beats the substring hits (gluteus ...).
    ids = [m.id for m in search("ut")]
    assert ids[0] == "upper-trapezius"
    assert "gluteus-maximus" in ids[1:]
    # name prefix ("quadratus lumborum") beats word prefix ("pronator quadratus").
    ids = [m.id for m in search("quadratus")]
    assert ids.index("quadratus-lumborum") < ids.index("pronator-quadratus")
    # exact synonym beats word prefix: "biceps" -> brachii before femoris.
    ids = [m.id for m in search("biceps")]
    assert ids[:2] == ["biceps-brachii", "biceps-femoris"]
    # exact name beats substring: "soleus" has no competitor but must not be last.
    assert search("soleus")[0].id == "soleus"


def test_fuzzy_prefers_compact_match() -> None:
    # "rhmaj": both rhomboids skip letters, but only "major" completes; compactness
    # ranks it before any looser fuzzy match.
    assert _first("rhmaj") == "rhomboid-major"


def test_ties_keep_catalog_order() -> None:
    ids = [m.id for m in search("delt")]
    catalog_ids = [m.id for m in CATALOG if m.group == "deltoid"]
    assert ids[:3] == catalog_ids


def test_empty_query_is_whole_catalog() -> None:
    assert search("") == list(CATALOG)
    assert search("   ") == list(CATALOG)


def test_nonsense_query_is_empty() -> None:
    assert search("zzzzqx") == []
    assert search("!!!") == []


def test_region_filter() -> None:
    legs = search("", region=Region.LEG_FOOT)
    assert legs == by_region()[Region.LEG_FOOT]
    found = search("longus", region=Region.LEG_FOOT)
    assert found and all(m.region == Region.LEG_FOOT for m in found)
    assert "abductor-pollicis-longus" in {m.id for m in search("longus")}
    assert search("ut", region=Region.HIP)[0].region == Region.HIP


def test_limit() -> None:
    assert len(search("", limit=5)) == 5
    assert search("", limit=5) == list(CATALOG[:5])
    assert [m.id for m in search("trap", limit=1)] == [search("trap")[0].id]
    assert search("trap", limit=0) == []


def test_search_is_fast() -> None:
    queries = ["ut", "trap", "lev scap", "sclne", "infrspn", "zzzzqx", "g", "peroneus longus"]
    search("warm up")
    start = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        for q in queries:
            search(q)
    per_query = (time.perf_counter() - start) / (rounds * len(queries))
    assert per_query < 1e-3, f"{per_query * 1e6:.0f} us per query"


@settings(max_examples=200)
@given(st.sampled_from(CATALOG))
def test_property_exact_name_ranks_first(m: muscles.Muscle) -> None:
    assert search(m.name)[0] == m
    assert search(m.name.upper())[0] == m
    for s in m.synonyms:
        assert search(s)[0] == m


@settings(max_examples=200)
@given(st.sampled_from([(a, m) for m in CATALOG for a in m.abbreviations]))
def test_property_abbreviation_ranks_first(pair: tuple[str, muscles.Muscle]) -> None:
    abbreviation, m = pair
    shared = len(SHARED_ABBREVIATIONS.get(_norm(abbreviation).replace(" ", ""), ())) or 1
    assert m in search(abbreviation)[:shared]
    assert m in search(abbreviation.lower())[:shared]


@settings(max_examples=300)
@given(st.text(), st.one_of(st.none(), st.integers(-3, 200)), st.sampled_from([None, *Region]))
def test_property_search_never_raises(query: str, limit: int | None, region: Region | None) -> None:
    found = search(query, limit=limit, region=region)
    assert isinstance(found, list)
    assert len(set(found)) == len(found)
    if limit is not None:
        assert len(found) <= max(limit, 0)
    if region is not None:
        assert all(m.region == region for m in found)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l4", "L4"),
        ("L4-5", "L4-L5"),
        ("L4/L5", "L4-L5"),
        ("T12-L1", "T12-L1"),
        ("", ""),
        ("c7", "C7"),
    ],
)
def test_spinal_level_parsing(text: str, expected: str) -> None:
    from dntui.domain.muscles import parse_spinal_level

    assert parse_spinal_level(text) == expected


@pytest.mark.parametrize("text", ["L6", "X1", "L5-L4", "C0", "lumbar", "L4-"])
def test_spinal_level_refused_in_one_line(text: str) -> None:
    from dntui.domain.muscles import parse_spinal_level

    with pytest.raises(ValueError) as info:
        parse_spinal_level(text)
    assert "\n" not in str(info.value) and "spinal level" in str(info.value)


def test_note_records_the_multifidus_level() -> None:
    from datetime import date

    from dntui.clinic_files import load_fee_schedule
    from dntui.domain.billing import summarize
    from dntui.domain.note import render_note
    from dntui.domain.screening import evaluate
    from dntui.domain.visit import Consent, MuscleEntry, Side, VisitDraft

    v = VisitDraft(
        date(2025, 3, 14),
        muscles=[
            MuscleEntry("lumbar-multifidus", Side.LEFT, 1, 1, level="L4-L5"),
            MuscleEntry("thoracic-multifidus", Side.LEFT, 1, 1),
        ],
    )
    note = render_note(v, summarize(v, load_fee_schedule(None)), evaluate({}, Consent()))
    assert "Lumbar multifidus at L4-L5 (left)" in note
    assert "Thoracic multifidus (spinal level not recorded) (left)" in note


def test_readme_counts_are_the_catalogs() -> None:
    """The README says how many muscles and screening items there are: the real numbers."""
    import re
    from pathlib import Path

    from dntui.domain import screening

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    pattern = r"catalog of (\d+) muscles|(\d+) named muscles"
    said = {int(n) for pair in re.findall(pattern, readme) for n in pair if n}
    assert said == {len(muscles.CATALOG)}, said
    items = re.search(r"(\d+) absolute contraindications and (\d+) precautions", readme)
    assert items is not None
    assert (int(items[1]), int(items[2])) == (
        len(screening.ABSOLUTE_ITEMS),
        len(screening.RELATIVE_ITEMS),
    )
