"""Pain and function over a patient's visits: sparklines with the change in numbers.

The picture a practitioner shows a patient and a payer: pain (NPRS 0-10 [nprs])
before and after needling per visit, the PSFS activity's score over time
[psfs], and beside them the numbers ("NPRS 7 → 3 over 6 visits (-4); PSFS
'lift child' 3 → 7 (+4)"), so nothing depends on colour or on the bars alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Sparkline

from dntui.domain.outcomes import OutcomePoint, series, trend
from dntui.domain.text import terminal_safe
from dntui.ui.plain import Plain

#: How many of the latest scores are written out beside a sparkline.
VALUES_SHOWN = 10

_ROWS = (
    ("nprs_before", "Pain before"),
    ("nprs_after", "Pain after"),
    ("psfs", "PSFS"),
)


def values_text(values: Sequence[float]) -> str:
    """The scores as numbers, the latest ``VALUES_SHOWN`` ("… 5 4 3")."""
    shown = [str(int(v)) for v in values[-VALUES_SHOWN:]]
    return ("… " if len(values) > VALUES_SHOWN else "") + " ".join(shown)


class OutcomePicture(Vertical):
    """``show(points)`` draws the patient's signed visits (any order)."""

    DEFAULT_CSS = """
    OutcomePicture { height: auto; }
    OutcomePicture #outcome-trend { height: auto; text-style: bold; }
    OutcomePicture .spark-row { height: 1; }
    OutcomePicture .spark-label { width: 12; }
    OutcomePicture Sparkline { width: 1fr; max-width: 40; height: 1; }
    OutcomePicture .spark-values { width: auto; padding-left: 1; color: $text-muted; }
    /* higher PSFS is better: its best bar is the "good" colour */
    OutcomePicture #spark-psfs > .sparkline--max-color { color: $success; }
    OutcomePicture #spark-psfs > .sparkline--min-color { color: $error; }
    OutcomePicture .sparkline--max-color { color: $error; }
    OutcomePicture .sparkline--min-color { color: $success; }
    """

    text: str = ""  # what the picture says, in words (tests and screen readers)

    def compose(self) -> ComposeResult:
        yield Plain("", id="outcome-trend")
        for which, label in _ROWS:
            with Horizontal(classes="spark-row", id=f"row-{which}"):
                yield Plain(label, classes="spark-label", id=f"label-{which}")
                yield Sparkline([], id=f"spark-{which}")
                yield Plain("", classes="spark-values", id=f"values-{which}")

    def show(self, points: Sequence[OutcomePoint]) -> None:
        t = trend(points)
        lines = [t.text()]
        self.query_one("#outcome-trend", Plain).update(t.text())
        for which, label in _ROWS:
            data = series(points, which, t.psfs_activity)
            row = self.query_one(f"#row-{which}")
            row.display = len(data) > 0
            self.query_one(f"#spark-{which}", Sparkline).data = data
            values = values_text(data)
            self.query_one(f"#values-{which}", Plain).update(values)
            if which == "psfs" and data:
                self.query_one(f"#label-{which}", Plain).update(
                    terminal_safe(f"PSFS {t.psfs_activity}", one_line=True)[:11]
                )
            if data:
                lines.append(f"{label}: {values}")
        self.text = "\n".join(lines)
