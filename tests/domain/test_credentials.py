"""Credentials are a fixed list (dntui.domain.credentials); free text maps onto it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.domain.credentials import Credential, is_physical_therapy, parse_credential


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PT", Credential.PT),
        ("Physical Therapist", Credential.PT),
        ("physical therapist", Credential.PT),
        ("PT, DPT", Credential.DPT),
        ("MSPT", Credential.PT),
        ("Physical Therapist Assistant", Credential.PTA),
        ("PTA", Credential.PTA),
        ("D.C.", Credential.DC),
        ("Chiropractor", Credential.DC),
        ("MD", Credential.MD),
        ("M.D.", Credential.MD),
        ("DO", Credential.DO),
        ("PA-C", Credential.PA),
        ("Nurse Practitioner", Credential.NP),
        ("L.Ac.", Credential.LAC),
        ("LAc", Credential.LAC),
        ("Licensed Acupuncturist", Credential.LAC),
        ("", None),
        ("Massage therapist", None),
    ],
)
def test_free_text_maps_to_the_list(text: str, expected: Credential | None) -> None:
    assert parse_credential(text) == expected


def test_every_credential_parses_to_itself() -> None:
    for cred in Credential:
        assert parse_credential(cred.value) is cred


def test_physical_therapy_includes_the_assistant() -> None:
    assert is_physical_therapy("PTA") and is_physical_therapy("Physical Therapist")
    assert not is_physical_therapy("DC") and not is_physical_therapy("MD")


@given(st.text(max_size=40))
def test_parse_never_raises(text: str) -> None:
    result = parse_credential(text)
    assert result is None or isinstance(result, Credential)
