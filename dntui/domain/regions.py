"""Body regions, on their own so that a visit draft (its assessment names a region)
does not load the muscle catalog: that waits until a visit opens (issue 16)."""

from __future__ import annotations

from enum import StrEnum


class Region(StrEnum):
    """Body regions of the domain notes (docs/sources.md) section 6 [48], in catalog order."""

    HEAD_NECK = "head/neck"
    SHOULDER_THORAX = "shoulder/thorax"
    ARM_HAND = "arm/forearm/hand"
    TRUNK_LOW_BACK = "trunk/low back"
    HIP = "hip"
    THIGH = "thigh"
    LEG_FOOT = "leg/foot"
