"""The baseline for bench_startup.py: a bare Textual app (Header, DataTable, Footer).

Run alone: ``.venv/bin/python bench/bare_app.py`` (ctrl+q quits).
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header

FOOTER_TEXT = "Baseline ready"


class BareApp(App[None]):
    BINDINGS = [Binding("b", "bell", FOOTER_TEXT, id="bare.ready")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Visit", "Date", "Patient", "Chart", "Status", "Code", "Muscles")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
