"""How this copy of dntui was installed, so hints name the command that fits.

Standard library only: used by error messages on the path to the first screen.
A pipx install lives in ``.../pipx/venvs/dntui``, a uv tool install in
``.../uv/tools/dntui``; anything else is a plain virtual environment or system
install, where ``python -m pip`` of this interpreter is the right tool.
"""

from __future__ import annotations

import shlex
import sys
from itertools import pairwise
from pathlib import Path
from typing import Literal

Installer = Literal["pipx", "uv", "pip"]

POSTGRES_DRIVER = "psycopg[binary]>=3.2"


def installer(prefix: str | None = None) -> Installer:
    """``pipx``, ``uv`` (uv tool install) or ``pip`` for this interpreter's environment."""
    parts = Path(prefix if prefix is not None else sys.prefix).parts
    for parent, child in pairwise(parts):
        if parent == "pipx" and child == "venvs":
            return "pipx"
        if parent == "uv" and child == "tools":
            return "uv"
    return "pip"


WEB_SERVER = "textual-serve>=1.1.3,<2"


def postgres_driver_hint(prefix: str | None = None) -> str:
    """The command that adds the PostgreSQL driver to this install."""
    return add_package_hint(POSTGRES_DRIVER, prefix)


def add_package_hint(requirement: str, prefix: str | None = None) -> str:
    """The command that adds ``requirement`` to this install (an extra's package)."""
    how = installer(prefix)
    driver = shlex.quote(requirement)
    if how == "pipx":
        return f"pipx inject dntui {driver}"
    if how == "uv":
        return (
            f"uv tool install --force --with {driver} SOURCE "
            "(SOURCE: the folder or URL you installed dntui from)"
        )
    return f"{shlex.quote(sys.executable)} -m pip install {driver}"


def upgrade_hint(prefix: str | None = None) -> str:
    """The command that upgrades this install."""
    how = installer(prefix)
    if how == "pipx":
        return "pipx upgrade dntui"
    if how == "uv":
        return "uv tool upgrade dntui"
    return f"{shlex.quote(sys.executable)} -m pip install -U dntui"
