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
    leaflets = {
        "cuh-stretch",
        "hw-calf",
        "uf-piriformis",
        "merck-wrist",
        "cemm-wrist",
        "mkuh-lower-b",
        "mkuh-upper",
    }
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
        # Inner thigh and outer hip, from a hospital's lower limb leaflet [mkuh-lower-b].
        ("adductor-longus", "adductor-stretch"),
        ("adductor-brevis", "adductor-stretch"),
        ("adductor-magnus", "adductor-stretch"),
        ("tensor-fasciae-latae", "tfl-stretch"),
        # Upper arm, from the same hospital's upper limb leaflet [mkuh-upper].
        ("biceps-brachii", "biceps-stretch"),
        ("triceps-brachii", "triceps-stretch"),
        ("rhomboid-major", "rhomboid-stretch"),
        ("pectoralis-major", "pectoral-stretch"),
        ("pectoralis-minor", "pectoral-stretch"),
        ("latissimus-dorsi", "latissimus-stretch"),
    ],
)
def test_suggested_for_the_muscles_needled(muscle_id: str, exercise_id: str) -> None:
    assert exercise_id in {e.id for e in exercises.suggested([muscle_id])}


def test_no_invented_stretch_where_the_source_has_none() -> None:
    assert exercises.suggested(["first-dorsal-interosseous"]) == ()
    assert exercises.suggested(["not-a-muscle"]) == ()
    # A leaflet's stretch is offered only for the muscles it names: none for the
    # tibialis anterior (leg, not the calf), the foot's own muscles or the hand's; the
    # TFL gets its own, not the piriformis stretch; the biceps and triceps leaflet
    # names neither brachialis nor anconeus.
    assert exercises.suggested(["tibialis-anterior"]) == ()
    assert exercises.suggested(["abductor-hallucis", "flexor-digitorum-brevis"]) == ()
    assert exercises.suggested(["adductor-pollicis", "opponens-pollicis"]) == ()
    assert exercises.suggested(["brachialis", "anconeus", "coracobrachialis"]) == ()
    assert [e.id for e in exercises.suggested(["tensor-fasciae-latae"])] == ["tfl-stretch"]
    assert [e.id for e in exercises.suggested(["biceps-brachii"])] == ["biceps-stretch"]
    assert [e.id for e in exercises.suggested(["triceps-brachii"])] == ["triceps-stretch"]
    # The adductor leaflet names "Adductors": offered for the catalog's adductor group,
    # not for gracilis or pectineus, which the leaflet does not name.
    assert exercises.suggested(["gracilis"]) == ()
    assert exercises.suggested(["pectineus"]) == ()
    # The neck side stretch is for the neck: the jaw's muscles, in the same region of
    # the catalog, get none; the front and side of the neck keep it.
    for jaw in ("masseter", "temporalis", "lateral-pterygoid", "medial-pterygoid", "digastric"):
        assert exercises.suggested([jaw]) == (), jaw
    for neck in ("sternocleidomastoid", "anterior-scalene", "splenius-capitis"):
        assert "neck-side-tilt" in {e.id for e in exercises.suggested([neck])}, neck


def test_the_calf_stretch_says_what_its_leaflet_says() -> None:
    """Healthwise (Michigan Medicine): back leg straight, heel on the floor, 15-30 s,
    2-4 times each leg [hw-calf]."""
    calf = exercises.BY_ID["calf-wall"]
    text = " ".join(calf.text.split())
    assert "heel on the floor" in text and "15 to 30 seconds" in text
    handout = instructions.render_text(visit("gastrocnemius", chosen=("calf-wall",)))
    assert "Calf stretch" in handout


def test_the_adductor_stretch_says_what_its_leaflet_says() -> None:
    """MKUH leaflet B, Exercise 2 (Adductors): "You will feel stretching on the inside
    of the thigh on the straight leg. Hold for approx 20 seconds" [mkuh-lower-b]."""
    text = " ".join(exercises.BY_ID["adductor-stretch"].text.split())
    assert "inside of the thigh of the straight leg" in text
    assert "about 20 seconds" in text and "3 times" in text
    handout = instructions.render_text(visit("adductor-longus", chosen=("adductor-stretch",)))
    assert "Inner thigh (adductor) stretch" in handout


def test_the_tfl_stretch_says_what_its_leaflet_says() -> None:
    """MKUH leaflet B, Exercise 3 (Tensor Fascia Lata / Illio-tibial band): "Cross your
    left leg behind your right leg. Lean your hips towards the wall. A stretch is felt
    on the outside of the thigh" [mkuh-lower-b]."""
    text = " ".join(exercises.BY_ID["tfl-stretch"].text.split())
    assert "behind the other leg" in text and "lean your hips toward the wall" in text
    assert "outside of the thigh" in text and "other side" in text


def test_the_biceps_stretch_says_what_its_leaflet_says() -> None:
    """MKUH upper limb leaflet (Biceps): "place your hands, palm down, so your fingers
    point backwards. Gently lean forwards onto your arms whilst straightening your
    elbows"; general advice "at least 30 seconds, and repeated 3 times" [mkuh-upper]."""
    text = " ".join(exercises.BY_ID["biceps-stretch"].text.split())
    assert "palms down" in text and "fingers pointing backwards" in text
    assert "straighten your elbows" in text and "at least 30 seconds" in text
    handout = instructions.render_text(visit("biceps-brachii", chosen=("biceps-stretch",)))
    assert "Front of upper arm (biceps) stretch" in handout


def test_the_triceps_stretch_says_what_its_leaflet_says() -> None:
    """MKUH upper limb leaflet (Triceps): "Grasp the elbow with the other hand and push
    back and down until you can feel the stretching at the back of the upper arm"
    [mkuh-upper]."""
    text = " ".join(exercises.BY_ID["triceps-stretch"].text.split())
    assert "push it back and down" in text and "back of the upper arm" in text
    assert "at least 30 seconds" in text


def test_the_upper_back_chest_and_lat_stretches_say_what_their_leaflet_says() -> None:
    """MKUH upper limb leaflet: Rhomboids "Clasp hands in front of you at shoulder height.
    Push the arms forwards until you feel a stretch in the upper back"; Pectorals "Stand
    facing a wall with your forearm on the wall, elbow at right angles. Keeping your arm
    still, turn your body away from the wall"; Latissimus Dorsi "take one arm above your
    head and reach over to the opposite side" [mkuh-upper]."""
    text = {k: " ".join(exercises.BY_ID[k].text.split()) for k in exercises.BY_ID}
    assert "at shoulder height" in text["rhomboid-stretch"]
    assert "stretch in your upper back" in text["rhomboid-stretch"]
    assert "facing a wall with your forearm on it" in text["pectoral-stretch"]
    assert "turn your body away from the wall" in text["pectoral-stretch"]
    assert "arm above your head" in text["latissimus-stretch"]
    assert "reach over to the opposite side" in text["latissimus-stretch"]
    for key in ("rhomboid-stretch", "pectoral-stretch", "latissimus-stretch"):
        assert "at least 30 seconds" in text[key] and "3 times" in text[key]


def test_the_arm_across_stretch_is_not_offered_for_the_pectorals() -> None:
    """Arm across the chest is the pectorals' own movement (it shortens them): a chest
    needled gets the chest stretch, not that one."""
    for pec in ("pectoralis-major", "pectoralis-minor"):
        assert [e.id for e in exercises.suggested([pec])] == ["pectoral-stretch"], pec
    assert "arm-across-chest" in {e.id for e in exercises.suggested(["infraspinatus"])}


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
