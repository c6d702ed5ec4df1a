"""Home stretches the practitioner can add to the patient handout.

The article dntui started from lists "recommended exercises or stretches" among
post-treatment care [seed]. Each stretch here is our own short wording of one in
a patient leaflet, with the muscles it is offered for: the back pain programme's
stretches of a hospital [cuh-stretch] (neck, shoulders, trunk, thigh), and, for the
calf, buttock and forearm, Healthwise's calf stretch [hw-calf], a university's
piriformis stretch [uf-piriformis] and two wrist stretches [merck-wrist][cemm-wrist];
for the inner thigh and the outer hip, the adductor and TFL stretches of another
hospital's lower limb leaflet [mkuh-lower-b], and for the upper arm, the upper back,
the chest and the side of the back, the biceps, triceps, rhomboid, pectoral and
latissimus dorsi stretches of its upper limb leaflet [mkuh-upper].
A leaflet's stretch is offered only for the muscles it stretches. A muscle with no
stretch here has none *in these sources*: nothing is invented; the practitioner
can still type their own line on the aftercare step.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from dntui.domain import muscles
from dntui.domain.muscles import Region
from dntui.domain.sources import SOURCES


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    text: str
    source: tuple[str, ...]
    #: Offered when a muscle of one of these regions is needled ...
    regions: frozenset[Region] = frozenset()
    #: ... or one of these muscle groups (``Muscle.group``) or anatomical muscles ...
    groups: frozenset[str] = frozenset()
    #: ... but never for these groups or muscles, in those regions or not.
    not_for: frozenset[str] = frozenset()


_SRC: Final = ("cuh-stretch", "seed")

#: How to stretch, from the same leaflet: hold, never bounce [cuh-stretch].
GENERAL: Final = (
    "Hold each stretch for at least 10 seconds. Never bounce. Stop if it hurts and tell "
    "your clinician."
)

EXERCISES: Final[tuple[Exercise, ...]] = (
    Exercise(
        "neck-side-tilt",
        "Neck side stretch",
        "Tilt your head toward one shoulder until you feel a stretch on the other side of "
        "your neck. Hold, then do the other side.",
        _SRC,
        regions=frozenset({Region.HEAD_NECK}),
        groups=frozenset({"trapezius"}),
        # A neck stretch: the jaw's muscles, in the head and neck region too, are not
        # what it stretches.
        not_for=frozenset({"masticatory", "digastric"}),
    ),
    Exercise(
        "shoulder-rolls",
        "Shoulder rolls",
        "Lift your shoulders up, then let them relax. Roll your shoulders slowly, forwards "
        "and then backwards.",
        _SRC,
        groups=frozenset({"trapezius", "rhomboids", "levator scapulae"}),
    ),
    Exercise(
        "arm-across-chest",
        "Arm across the chest",
        "Bring one arm across to the opposite shoulder and ease it further by pushing at the "
        "elbow with your other hand. Hold, then do the other arm.",
        _SRC,
        regions=frozenset({Region.SHOULDER_THORAX}),
        # Bringing the arm across the chest is what the pectorals do (horizontal
        # adduction): it shortens them. They have their own stretch below.
        not_for=frozenset({"pectorals"}),
    ),
    Exercise(
        "side-bend",
        "Side bend",
        "Stand and bend slowly sideways at the waist. Hold, then bend to the other side.",
        _SRC,
        regions=frozenset({Region.TRUNK_LOW_BACK}),
    ),
    Exercise(
        "thigh-front",
        "Front of thigh stretch",
        "Stand holding on to a support. Bend one knee and pull the ankle toward your bottom, "
        "knees together, hips pushed forward, until you feel a stretch at the front of the "
        "thigh. Hold, then do the other leg.",
        _SRC,
        groups=frozenset({"quadriceps"}),
    ),
    Exercise(
        "thigh-back",
        "Back of thigh stretch",
        "Stand with one leg straight in front of you and bend the back leg, taking your weight "
        "on it. Pull the toes of the straight leg up toward you and lean forward until you "
        "feel a stretch at the back of the thigh. Hold, then do the other leg.",
        _SRC,
        groups=frozenset({"hamstrings"}),
    ),
    Exercise(
        "calf-wall",
        "Calf stretch",
        "Stand facing a wall with your hands on it, one foot a step behind the other, toes "
        "pointing forward. Keep the back leg straight and its heel on the floor, bend the "
        "front knee and lean gently toward the wall until you feel a stretch in the calf of "
        "the back leg. Hold 15 to 30 seconds; 2 to 4 times for each leg.",
        ("hw-calf", "seed"),
        groups=frozenset({"triceps surae"}),  # gastrocnemius, soleus, plantaris
    ),
    Exercise(
        "piriformis-stretch",
        "Buttock (piriformis) stretch",
        "Lie on your back, knees bent, feet on the floor. Lift one knee, hold it with both "
        "hands and draw it toward your chest and the opposite shoulder until you feel a mild "
        "stretch in the buttock. Hold 20 to 30 seconds; 2 to 3 times on each side.",
        ("uf-piriformis", "seed"),
        # The piriformis and the other deep lateral rotators of the hip [anat].
        groups=frozenset({"piriformis", "deep hip rotators", "gemelli", "quadratus femoris"}),
    ),
    Exercise(
        "wrist-extensor-stretch",
        "Back of the forearm stretch",
        "Hold your arm out with the elbow straight and the palm down. With the other hand, "
        "gently bend the wrist down until you feel a stretch along the top of the forearm. "
        "Hold 30 seconds; 4 times.",
        ("merck-wrist", "seed"),
        groups=frozenset({"wrist extensors"}),
    ),
    Exercise(
        "wrist-flexor-stretch",
        "Front of the forearm stretch",
        "Stand at a table with the backs of your hands on it, palms up, fingers pointing "
        "toward you and elbows straight. Lean gently away from the table until you feel a "
        "stretch in the front of the forearms. Hold 15 to 30 seconds; 3 times.",
        ("cemm-wrist", "seed"),
        groups=frozenset({"wrist flexors", "finger flexors"}),
    ),
    Exercise(
        "adductor-stretch",
        "Inner thigh (adductor) stretch",
        "Stand with your legs wide apart and straight. Bend one knee and put your hands on "
        "it, then bend it further by putting more of your weight on that leg, until you feel "
        "a stretch on the inside of the thigh of the straight leg. Hold about 20 seconds, at "
        "the point of mild discomfort; 3 times.",
        ("mkuh-lower-b", "seed"),
        # The leaflet names the adductors: the catalog's group (longus, brevis, magnus).
        groups=frozenset({"adductors"}),
    ),
    Exercise(
        "tfl-stretch",
        "Outer hip and thigh (TFL) stretch",
        "Stand with one side to a wall. Cross the leg nearer the wall behind the other leg "
        "and lean your hips toward the wall until you feel a stretch on the outside of the "
        "thigh. Hold at least 20 seconds, at the point of mild discomfort; 3 times. Then do "
        "the other side.",
        ("mkuh-lower-b", "seed"),
        groups=frozenset({"tensor fasciae latae"}),
    ),
    Exercise(
        "biceps-stretch",
        "Front of upper arm (biceps) stretch",
        "Stand at a table and put your hands on it, palms down, with your fingers pointing "
        "backwards. Gently lean forward onto your arms as you straighten your elbows. Hold "
        "at least 30 seconds, at the point of mild discomfort; 3 times.",
        ("mkuh-upper", "seed"),
        groups=frozenset({"biceps brachii"}),
    ),
    Exercise(
        "triceps-stretch",
        "Back of upper arm (triceps) stretch",
        "Sitting or standing, bend the arm to be stretched and lift it. Hold its elbow with "
        "your other hand and push it back and down until you feel a stretch at the back of "
        "the upper arm. Hold at least 30 seconds, at the point of mild discomfort; 3 times.",
        ("mkuh-upper", "seed"),
        groups=frozenset({"triceps brachii"}),
    ),
    Exercise(
        "rhomboid-stretch",
        "Upper back (rhomboid) stretch",
        "Clasp your hands in front of you at shoulder height and push your arms forward until "
        "you feel a stretch in your upper back. Hold at least 30 seconds, at the point of mild "
        "discomfort; 3 times.",
        ("mkuh-upper", "seed"),
        groups=frozenset({"rhomboids"}),
    ),
    Exercise(
        "pectoral-stretch",
        "Chest (pectoral) stretch",
        "Stand facing a wall with your forearm on it, elbow bent at a right angle. Keep the arm "
        "still and turn your body away from the wall. Hold at least 30 seconds, at the point "
        "of mild discomfort; 3 times. Then do the other arm.",
        ("mkuh-upper", "seed"),
        groups=frozenset({"pectorals"}),
    ),
    Exercise(
        "latissimus-stretch",
        "Side of the back (latissimus dorsi) stretch",
        "Standing, lift one arm above your head and reach over to the opposite side. Hold at "
        "least 30 seconds, at the point of mild discomfort; 3 times. Then do the other side.",
        ("mkuh-upper", "seed"),
        groups=frozenset({"latissimus dorsi"}),
    ),
)
BY_ID: Final[dict[str, Exercise]] = {e.id: e for e in EXERCISES}
for _e in EXERCISES:
    for _key in _e.source:
        if _key not in SOURCES:
            raise ValueError(f"exercise {_e.id!r} cites unknown source {_key!r}")


def _applies(ex: Exercise, muscle: muscles.Muscle) -> bool:
    names = {muscle.group, muscle.anatomical, muscle.name.casefold()}
    if names & ex.not_for:
        return False
    return muscle.region in ex.regions or bool(names & ex.groups)


def suggested(muscle_ids: Iterable[str]) -> tuple[Exercise, ...]:
    """The stretches offered for the muscles needled, in catalog order of the stretches."""
    chosen = [muscles.BY_ID[m] for m in muscle_ids if m in muscles.BY_ID]
    return tuple(e for e in EXERCISES if any(_applies(e, m) for m in chosen))


def chosen(ids: Iterable[str]) -> tuple[Exercise, ...]:
    """The exercises with these ids, in the order given; unknown ids are skipped."""
    return tuple(BY_ID[i] for i in dict.fromkeys(ids) if i in BY_ID)


__all__ = ["BY_ID", "EXERCISES", "GENERAL", "Exercise", "chosen", "suggested"]
