"""Consent text (dntui.domain.consent): what the sources say it must name."""

from __future__ import annotations

from dntui.domain.consent import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    PREVIOUS_DEFAULTS,
    consent_version,
)
from dntui.domain.screening import CONSENT_NOTE


def test_consent_names_what_the_sources_require() -> None:
    text = " ".join(CONSENT_TEXT.split()).lower()
    assert "not receiving an acupuncture treatment" in text  # Virginia [26]
    assert "benefits" in text  # Virginia: risks and benefits [26]
    assert "nerve injury" in text  # seed article: rare serious effects
    assert "infection" in text  # AHPCSA BN121 [22]
    assert "pneumothorax" in text  # [22c]
    assert "alternatives" in text


def test_virginia_claim_is_what_its_final_rule_says() -> None:
    assert "risks and benefits" in CONSENT_NOTE
    assert "not receiving an acupuncture treatment" in CONSENT_NOTE


def test_versions() -> None:
    assert consent_version(CONSENT_TEXT) == CONSENT_VERSION != "dntui-default-1"
    assert consent_version(PREVIOUS_DEFAULTS["dntui-default-1"]) == "dntui-default-1"
    assert consent_version("Our own text").startswith("clinic-")
