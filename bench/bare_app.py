"""The baseline for bench_startup.py: a bare Textual app (Header, DataTable, Footer).

Run alone: ``.venv/bin/python bench/bare_app.py`` (ctrl+q quits).
"""

from __future__ import annotations

import os

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
        # bench_wire.py asks for rows to move the cursor through (bench_startup.py: none).
        for i in range(int(os.environ.get("DNTUI_BENCH_ROWS", "0"))):
            table.add_row(str(i), "2026-03-16", f"Patient {i}", f"C{i:06d}", "signed", "20560", "2")
        table.focus()


if __name__ == "__main__":
    BareApp().run()
