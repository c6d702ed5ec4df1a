"""PIN hashes: one scrypt call behind hash_pin, pin_digest and check_pin."""

from __future__ import annotations

from dntui.domain.pin import check_pin, hash_pin, pin_digest

SALT = b"0123456789abcdef"


def test_check_pin_accepts_the_pin_and_refuses_another() -> None:
    stored = hash_pin("246810", salt=SALT)
    assert check_pin("246810", stored)
    assert not check_pin("246811", stored)


def test_pin_digest_is_the_stored_digest_under_its_params() -> None:
    stored = hash_pin("246810", salt=SALT)
    params, _, digest = stored.rpartition("$")
    assert pin_digest("246810", params) == digest
    assert pin_digest("246811", params) != digest


def test_a_damaged_stored_hash_is_refused_never_raised() -> None:
    stored = hash_pin("246810", salt=SALT)
    scheme, n, r, p, salt, digest = stored.split("$")
    for bad in (
        "",
        "plain",
        f"bcrypt${n}${r}${p}${salt}${digest}",
        f"{scheme}$many${r}${p}${salt}${digest}",  # a cost that is not a number
        f"{scheme}${n}${r}${p}$not*base64${digest}",
        f"{scheme}${n}${r}${p}${salt}$not*base64",
        f"{scheme}${n}${r}${p}${salt}$dïgest",
    ):
        assert not check_pin("246810", bad), bad
