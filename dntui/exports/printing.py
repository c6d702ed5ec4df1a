"""The patient handout to a printer (lp), audited; no patient name in the print queue."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dntui.store.models import Practitioner
    from dntui.store.repo import Store, VisitRecord

from dntui.exports import ExportError
from dntui.exports.handout import audit_handout, handout

# ------------------------------------------------------------------ printing
Runner = Callable[..., "subprocess.CompletedProcess[str]"]
PRINT_TITLE = "dntui handout"  # no patient name: print queues are visible to others


def default_printer(run: Runner = subprocess.run) -> str | None:
    """The CUPS default destination from ``lpstat -d``; None when there is none."""
    if shutil.which("lpstat") is None:
        return None
    try:
        proc = run(["lpstat", "-d"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    m = re.search(r"default destination:\s*(\S+)", proc.stdout or "")
    return m[1] if m else None


def configured_printer(
    explicit: str | None = None,
    *,
    settings: object | None = None,
    run: Runner = subprocess.run,
) -> str | None:
    """The printer to use: ``explicit``, then ``DNTUI_PRINTER``, then a ``printer``
    setting, then the system default (``lpstat -d``). None: no printer configured."""
    for value in (
        explicit,
        os.environ.get("DNTUI_PRINTER"),
        getattr(settings, "printer", None),
    ):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return default_printer(run)


def print_command(printer: str, *, title: str = PRINT_TITLE) -> list[str]:
    """The ``lp`` command for ``printer``; the text goes on its standard input."""
    if not printer or printer.startswith("-") or any(c.isspace() for c in printer):
        raise ExportError(f"printer name {printer!r} is not valid")
    return ["lp", "-d", printer, "-t", title, "-o", "document-format=text/plain", "--"]


def print_text(text: str, printer: str | None, *, run: Runner = subprocess.run) -> str:
    """Send ``text`` to ``printer`` with ``lp``; returns lp's one-line answer."""
    if not printer:
        raise ExportError(
            "no printer configured: set DNTUI_PRINTER, pass --printer NAME, "
            "or set a system default printer (lpadmin -d NAME)"
        )
    cmd = print_command(printer)
    if shutil.which("lp") is None and run is subprocess.run:
        raise ExportError("cannot print: the lp command is not installed (CUPS client)")
    try:
        proc = run(cmd, input=text, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise ExportError(f"cannot print on {printer}: {exc}") from None
    if proc.returncode != 0:
        why = ((proc.stderr or proc.stdout or "").strip().splitlines() or ["lp failed"])[0]
        raise ExportError(f"printing on {printer} failed: {why}")
    return (proc.stdout or "").strip()


def print_handout(
    store: Store,
    record: VisitRecord,
    *,
    printer: str | None,
    clinic_name: str = "",
    actor: Practitioner | None = None,
    via: str = "app",
    run: Runner = subprocess.run,
) -> str:
    """Print the plain-text handout and audit it; returns lp's answer (the job id)."""
    answer = print_text(handout(record, clinic_name=clinic_name, fmt="text"), printer, run=run)
    audit_handout(store, record, actor, f"format=print printer={printer} via={via}")
    return answer
