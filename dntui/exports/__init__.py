"""Exports of signed visits (CSV, JSON), patient handouts and printing.

``export``: signed visits to a private CSV or JSON file; ``handout``: a visit's
patient handout as text or Markdown, saved privately; ``printing``: the handout
to a printer. No Textual here: the command line and the app's dialogs call the
same functions. The database layer is imported inside the functions that need
it, so importing these modules stays light.

Files are written private (0600) and atomically (``dntui.private_files``); an
export that fails leaves no partial file. Each export, and each handout saved or
printed, is audited (action ``export``); the audit detail names the format,
range, count and destination, never a patient.
"""

from __future__ import annotations

from dntui.domain.errors import DntuiError

__all__ = ["ExportError"]


class ExportError(DntuiError):
    """An export or handout that cannot be made; ``str()`` says why, in one line."""
