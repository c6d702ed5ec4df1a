"""Home stretches the practitioner can add to the patient handout.

The article dntui started from lists "recommended exercises or stretches" among
post-treatment care [seed]. Each stretch here is our own short wording of one in
a hospital patient leaflet [cuh-stretch], with the muscles it is offered for. A
muscle with no stretch here has none *in that source*: nothing is invented; the
practitioner can still type their own line on the aftercare step.
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
    #: ... or one of these muscle groups (``Muscle.group``) or anatomical muscles.
    groups: frozenset[str] = frozenset()


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
)
BY_ID: Final[dict[str, Exercise]] = {e.id: e for e in EXERCISES}
for _e in EXERCISES:
    for _key in _e.source:
        if _key not in SOURCES:
            raise ValueError(f"exercise {_e.id!r} cites unknown source {_key!r}")


def _applies(ex: Exercise, muscle: muscles.Muscle) -> bool:
    name = muscle.name.casefold()
    return (
        muscle.region in ex.regions
        or muscle.group in ex.groups
        or muscle.anatomical in ex.groups
        or name in ex.groups
    )


def suggested(muscle_ids: Iterable[str]) -> tuple[Exercise, ...]:
    """The stretches offered for the muscles needled, in catalog order of the stretches."""
    chosen = [muscles.BY_ID[m] for m in muscle_ids if m in muscles.BY_ID]
    return tuple(e for e in EXERCISES if any(_applies(e, m) for m in chosen))


def chosen(ids: Iterable[str]) -> tuple[Exercise, ...]:
    """The exercises with these ids, in the order given; unknown ids are skipped."""
    return tuple(BY_ID[i] for i in dict.fromkeys(ids) if i in BY_ID)


__all__ = ["BY_ID", "EXERCISES", "GENERAL", "Exercise", "chosen", "suggested"]
