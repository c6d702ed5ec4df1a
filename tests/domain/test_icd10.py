"""Diagnosis codes (dntui.domain.icd10): the domain notes, section 1 (sources in docs/sources.md)."""

from __future__ import annotations

import pytest

from dntui.domain.icd10 import BY_CODE, CODES, InvalidCode, search_codes, validate_code
from dntui.domain.sources import SOURCES


def test_built_in_list() -> None:
    assert set(BY_CODE) == {
        "M79.10",
        "M79.11",
        "M79.12",
        "M79.18",
        "M62.830",
        "M62.831",
        "M62.838",
        "M54.50",
        "M54.51",
        "M54.59",
        "M54.2",
        "M54.6",
    }
    for diag in CODES:
        assert diag.label
        assert diag.source and all(k in SOURCES for k in diag.source)
        assert validate_code(diag.code) == diag.code
    assert all("myofascial" in BY_CODE[c].note for c in ("M79.10", "M79.11", "M79.12", "M79.18"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" m79.18 ", "M79.18"),
        ("M7918", "M79.18"),
        ("m62.838", "M62.838"),
        ("M54.2", "M54.2"),
        ("Z99", "Z99"),
        ("S13.4XXA", "S13.4XXA"),
        ("M1A.0110", "M1A.0110"),
    ],
)
def test_validate_normalises(raw: str, expected: str) -> None:
    assert validate_code(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "   ", "79.18", "M7", "MM9.1", "M79.12345", "M79.", "M79-18", "20560"]
)
def test_validate_refuses_bad_shape(raw: str) -> None:
    with pytest.raises(ValueError):
        validate_code(raw)


@pytest.mark.parametrize("raw", ["M54.5", "m54.5", " M545 "])
def test_m54_5_refused_with_replacements(raw: str) -> None:
    with pytest.raises(InvalidCode) as info:
        validate_code(raw)
    assert str(info.value) == "M54.5 was deleted Oct 2021: use M54.50, M54.51 or M54.59"
    assert info.value.source == ("18",)


def test_incomplete_family_headers_refused() -> None:
    with pytest.raises(InvalidCode, match=r"M79\.10"):
        validate_code("M79.1")
    with pytest.raises(InvalidCode, match=r"M62\.838"):
        validate_code("M62.83")


def test_search_by_word_and_code() -> None:
    assert [d.code for d in search_codes("myalgia")] == ["M79.10", "M79.11", "M79.12", "M79.18"]
    assert [d.code for d in search_codes("low back")] == ["M54.50", "M54.51", "M54.59"]
    assert {d.code for d in search_codes("M54")} == {"M54.50", "M54.51", "M54.59", "M54.2", "M54.6"}
    assert [d.code for d in search_codes("m6283")] == ["M62.830", "M62.831", "M62.838"]
    assert [d.code for d in search_codes("calf")] == ["M62.831"]
    assert [d.code for d in search_codes("neck")] == ["M79.12", "M54.2"]
    assert {d.code for d in search_codes("myofascial")} == {"M79.10", "M79.11", "M79.12", "M79.18"}
    assert search_codes("") == CODES
    assert search_codes("xyzzy") == ()
