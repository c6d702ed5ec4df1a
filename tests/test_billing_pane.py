"""The billing pane's "more lines" marker and wrap width depend on the text alone.

The pane is a scrolling body and a marker line under it ("▼ 2 more lines"). Judged
from the body as it is, a text that fits only once the marker (and the scrollbar) go
kept them: the same visit showed "1 more line" or not depending on what was shown
before, and a snapshot scene failed on a loaded machine.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from dntui.widgets.billing_pane import BillingPane

PANE_ROWS = 12  # the pane's height: a round border leaves 10 rows for text and marker


class PaneApp(App[None]):
    CSS = f"BillingPane {{ height: {PANE_ROWS}; }}"

    def compose(self) -> ComposeResult:
        yield BillingPane()


async def _show(pilot, pane: BillingPane, lines: int) -> None:  # type: ignore[no-untyped-def]
    """What ``BillingPane.show`` does, with ``lines`` lines of text."""
    text = "\n".join(f"line {i}" for i in range(lines))  # short: one row each
    pane.query_one("#billing-text", Static).update(text)
    pane.call_after_refresh(pane._show_more)
    for _ in range(4):
        await pilot.pause()


async def test_a_text_that_fits_shows_no_marker_whatever_came_before() -> None:
    async with PaneApp().run_test(size=(60, 20)) as pilot:
        pane = pilot.app.query_one(BillingPane)
        text = pane.query_one("#billing-text", Static)
        await _show(pilot, pane, 1)
        width = text.size.width
        rows = pane.query_one("#billing-body").size.height
        await _show(pilot, pane, rows)  # exactly fits: no marker
        fresh = str(pane.query_one("#billing-more", Static).render())
        assert not pane.has_class("-overflow") and fresh == ""
        await _show(pilot, pane, rows + 3)  # overflows: the marker says how much
        assert pane.has_class("-overflow")
        assert "more lines" in str(pane.query_one("#billing-more", Static).render())
        assert text.size.width == width, "the text wraps narrower when it overflows"
        await _show(pilot, pane, rows)  # fits again once the marker goes
        assert not pane.has_class("-overflow"), "the marker stayed for a text that fits"
        assert str(pane.query_one("#billing-more", Static).render()) == ""
