"""Signing PINs, stored only as a salted slow hash (standard library scrypt)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

# scrypt parameters: n=2**14, r=8, p=1 (~16 MB, tens of ms): slow enough to
# resist guessing a short PIN offline, fast enough to sign without a pause.
_N, _R, _P = 2**14, 8, 1
MIN_PIN_LENGTH = 4


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    if len(pin) < MIN_PIN_LENGTH:
        raise ValueError(f"a PIN needs at least {MIN_PIN_LENGTH} characters")
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    salt_b64 = base64.b64encode(salt).decode()
    return f"scrypt${_N}${_R}${_P}${salt_b64}${base64.b64encode(digest).decode()}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    digest = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=base64.b64decode(salt_b64),
        n=int(n),
        r=int(r),
        p=int(p),
        dklen=32,
    )
    return hmac.compare_digest(digest, base64.b64decode(digest_b64))
