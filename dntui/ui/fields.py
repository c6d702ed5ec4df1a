"""Small form fields shared by dialogs."""

from __future__ import annotations

from textual.widgets import Input


def score_input(score: int | None, *, id: str) -> Input:
    """A compact 0-10 score field (NPRS, PSFS); empty when not measured."""
    return Input(
        "" if score is None else str(score), id=id, compact=True, max_length=2, classes="score"
    )
