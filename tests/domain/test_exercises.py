"""Home exercises and the aftercare additions (dntui.domain.exercises, .instructions)."""

from __future__ import annotations

from datetime import date

import pytest

from dntui.domain import exercises, instructions
from dntui.domain.sources import SOURCES
from dntui.domain.visit import MuscleEntry, Side, VisitDraft


def visit(*ids: str, chosen: tuple[str, ...] = ()) -> VisitDraft:
    return VisitDraft(
        visit_date=date(2025, 3, 14),
        muscles=[MuscleEntry(i, Side.LEFT, 1, 1) for i in ids],
        home_exercises=list(chosen),
    )


def test_every_exercise_is_sourced() -> None:
    leaflets = {"cuh-stretch", "hw-calf", "uf-piriformis", "merck-wrist", "cemm-wrist"}
    for e in exercises.EXERCISES:
        assert e.source and all(k in SOURCES for k in e.source)
        assert leaflets & set(e.source), e.id  # a patient leaflet, not only the article
        assert e.regions or e.groups


@pytest.mark.parametrize(
    ("muscle_id", "exercise_id"),
    [
        ("upper-trapezius", "neck-side-tilt"),
        ("lower-trapezius", "shoulder-rolls"),
        ("infraspinatus", "arm-across-chest"),
        ("quadratus-lumborum", "side-bend"),
        ("rectus-femoris", "thigh-front"),
        ("biceps-femoris", "thigh-back"),
        # The most commonly needled groups outside the back leaflet [48]: calf, buttock,
        # forearm, each from its own patient leaflet.
        ("gastrocnemius", "calf-wall"),
        ("soleus", "calf-wall"),
        ("plantaris", "calf-wall"),
        ("piriformis", "piriformis-stretch"),
        ("obturator-internus", "piriformis-stretch"),
        ("gemellus-superior", "piriformis-stretch"),
        ("quadratus-femoris", "piriformis-stretch"),
        ("extensor-carpi-radialis-brevis", "wrist-extensor-stretch"),
        ("extensor-digitorum", "wrist-extensor-stretch"),
        ("flexor-carpi-ulnaris", "wrist-flexor-stretch"),
        ("flexor-digitorum-superficialis", "wrist-flexor-stretch"),
    ],
)
def test_suggested_for_the_muscles_needled(muscle_id: str, exercise_id: str) -> None:
    assert exercise_id in {e.id for e in exercises.suggested([muscle_id])}


def test_no_invented_stretch_where_the_source_has_none() -> None:
    assert exercises.suggested(["first-dorsal-interosseous"]) == ()
    assert exercises.suggested(["not-a-muscle"]) == ()
    # A leaflet's stretch is offered only for the muscles it names: none for the TFL
    # (hip, not a lateral rotator) or the tibialis anterior (leg, not the calf).
    assert exercises.suggested(["tensor-fasciae-latae"]) == ()
    assert exercises.suggested(["tibialis-anterior"]) == ()


def test_the_calf_stretch_says_what_its_leaflet_says() -> None:
    """Healthwise (Michigan Medicine): back leg straight, heel on the floor, 15-30 s,
    2-4 times each leg [hw-calf]."""
    calf = exercises.BY_ID["calf-wall"]
    text = " ".join(calf.text.split())
    assert "heel on the floor" in text and "15 to 30 seconds" in text
    handout = instructions.render_text(visit("gastrocnemius", chosen=("calf-wall",)))
    assert "Calf stretch" in handout


def test_handout_lists_only_the_chosen_exercises() -> None:
    text = instructions.render_text(visit("rectus-femoris", chosen=("thigh-front",)))
    assert "Home exercises" in text and "Front of thigh stretch" in text
    assert "Back of thigh stretch" not in text
    assert "Never bounce" in text
    assert "Home exercises" not in instructions.render_text(visit("rectus-femoris"))


def test_general_aftercare_additions() -> None:
    text = " ".join(instructions.render_text(visit("soleus")).split())
    assert "feel faint, lie down" in text and "does not pass" in text
    assert "Signs of infection" in text
    assert "48 to 72 hours" in text
    assert "press on it" in text


def test_thoracic_handout_says_call_emergency_services() -> None:
    text = " ".join(instructions.render_text(visit("rhomboid-major")).split())
    assert "severely short of breath, call emergency services" in text
    assert "call emergency services" not in " ".join(
        instructions.render_text(visit("soleus")).split()
    )


@pytest.mark.parametrize(
    ("muscle_id", "abdomen", "neck"),
    [
        ("quadratus-lumborum", True, False),
        ("rectus-abdominis", True, False),
        ("rectus-capitis-posterior-major", False, True),
        ("sternocleidomastoid", False, True),
        ("soleus", False, False),
    ],
)
def test_region_sections(muscle_id: str, abdomen: bool, neck: bool) -> None:
    text = " ".join(instructions.render_text(visit(muscle_id)).split())
    assert ("blood in your urine" in text) is abdomen
    assert ("severe headache" in text) is neck
