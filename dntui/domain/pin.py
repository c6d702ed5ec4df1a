"""Signing PINs, stored only as a salted slow hash (standard library scrypt)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# scrypt parameters: n=2**14, r=8, p=1 (~16 MB, tens of ms): slow enough to
# resist guessing a short PIN offline, fast enough to sign without a pause.
_N, _R, _P = 2**14, 8, 1
#: Shortest PIN accepted for a new PIN by default (the ``min_pin_length`` setting).
#: Six digits cost an offline attacker who holds the hash about 100x more than four
#: (README, Security); online guessing is stopped by the lockout.
MIN_PIN_LENGTH = 6


def _scrypt(pin: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    """The one key derivation behind every stored PIN hash and every check."""
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)


def hash_pin(pin: str, *, salt: bytes | None = None, min_length: int = MIN_PIN_LENGTH) -> str:
    if len(pin) < min_length:
        raise ValueError(f"a PIN needs at least {min_length} characters")
    salt = salt if salt is not None else os.urandom(16)
    digest = _scrypt(pin, salt, _N, _R, _P)
    salt_b64 = base64.b64encode(salt).decode()
    return f"scrypt${_N}${_R}${_P}${salt_b64}${base64.b64encode(digest).decode()}"


def pin_digest(pin: str, params: str) -> str:
    """The base64 digest of ``pin`` under ``params`` (a stored hash without its digest).

    Lets the database compare digests without ever handing the stored one out.
    Returns "" for params this code cannot use.
    """
    try:
        scheme, n, r, p, salt_b64 = params.split("$")
        if scheme != "scrypt":
            return ""
        digest = _scrypt(pin, base64.b64decode(salt_b64), int(n), int(r), int(p))
    except ValueError:
        return ""
    return base64.b64encode(digest).decode()


def check_pin(pin: str, stored: str) -> bool:
    """``pin`` against a stored hash; False (never an error) for a damaged one."""
    params, _, digest_b64 = stored.rpartition("$")
    digest = pin_digest(pin, params)
    return bool(digest) and hmac.compare_digest(digest.encode(), digest_b64.encode())
