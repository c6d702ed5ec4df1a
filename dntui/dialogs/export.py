"""The export dialog: signed visits of a date range to a private CSV or JSON file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, ProgressBar, RadioSet

from dntui.dialogs.base import Dialog
from dntui.domain.errors import DntuiError
from dntui.domain.text import terminal_safe
from dntui.ui.closing import dismiss_when_on_top
from dntui.ui.marks import MarkRadioButton
from dntui.ui.plain import Plain


class ExportScreen(Dialog[str]):
    """Export signed visits to a CSV or JSON file (0600), audited."""

    AUTO_FOCUS = "#ex-path"  # as it is built: tests/test_first_focus.py
    SUBMIT_ON_ENTER = "ex-path"

    HELP = """\
Export the signed visits of a date range as CSV or JSON (the JSON schema is in the
README). Dates: YYYY-MM-DD, or YYYY-MM, YYYY; empty means no limit. Practitioner:
a name, or empty for everyone. The file is written private (0600)."""
    DEFAULT_CSS = """
    ExportScreen #ex-progress { display: none; height: 1; margin-top: 1; }
    """

    def __init__(
        self,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        practitioner: str = "",
    ) -> None:
        super().__init__()
        self._from = date_from
        self._to = date_to
        self._practitioner = practitioner
        self._path_edited = False
        self._setting_path = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide"):
            yield Plain("Export signed visits", classes="dialog-title")
            yield Label("Format")
            with RadioSet(id="ex-format"):
                yield MarkRadioButton("CSV (spreadsheet)", value=True, id="ex-csv")
                yield MarkRadioButton("JSON (schema dntui.export/2)", id="ex-json")
            yield Label("From (YYYY-MM-DD, empty: the first visit)")
            yield Input(
                value=self._from.isoformat() if self._from else "", id="ex-from", max_length=10
            )
            yield Label("To (YYYY-MM-DD, empty: the last visit)")
            yield Input(value=self._to.isoformat() if self._to else "", id="ex-to", max_length=10)
            yield Label("Practitioner (empty: everyone)")
            yield Input(
                value=terminal_safe(self._practitioner, one_line=True),
                id="ex-practitioner",
                max_length=120,
            )
            yield Label("File")
            yield Input(id="ex-path")
            yield Plain("", classes="error")
            yield ProgressBar(id="ex-progress", show_eta=True)
            yield self.buttons("Export")

    def on_mount(self) -> None:
        self._suggest_path()
        # Focused before it was filled: selected now, so typing replaces it, and its end
        # (the file's name) in view once it has its width.
        path = self.query_one("#ex-path", Input)
        path.select_all()
        self.call_after_refresh(lambda: path.scroll_to(x=path.max_scroll_x, animate=False))

    def _fmt(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return "json" if pressed is not None and pressed.id == "ex-json" else "csv"

    def _suggest_path(self) -> None:
        if self._path_edited:
            return
        from dntui.domain.validation import ValidationError, parse_day
        from dntui.exports.export import default_export_dir, default_export_name

        try:
            folder = default_export_dir()
        except OSError:
            folder = Path.cwd()
        values = {}
        for key in ("from", "to"):
            text = self.query_one(f"#ex-{key}", Input).value.strip()
            try:
                values[key] = parse_day(text, end=key == "to") if text else None
            except ValidationError:
                values[key] = None
        today = self.dntui.today()
        name = default_export_name(self._fmt(), values["from"], values["to"], today)
        self._setting_path = True
        self.query_one("#ex-path", Input).value = str(folder / name)

    def on_radio_set_changed(self, _: RadioSet.Changed) -> None:
        self._suggest_path()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "ex-path":
            if self._setting_path:
                self._setting_path = False
            else:
                self._path_edited = True
        elif event.input.id in ("ex-from", "ex-to"):
            self._suggest_path()

    def submit(self) -> None:
        from dntui.domain.validation import parse_day
        from dntui.exports import ExportError
        from dntui.exports.export import check_range

        try:
            bounds: dict[str, date | None] = {}
            for key in ("from", "to"):
                text = self.query_one(f"#ex-{key}", Input).value.strip()
                bounds[key] = parse_day(text, end=key == "to", what=key.title()) if text else None
            check_range(bounds["from"], bounds["to"])
            name = self.query_one("#ex-practitioner", Input).value.strip()
            practitioner = None
            if name:
                practitioner = self.dntui.db.find_practitioner(name)
                if practitioner is None:
                    raise ExportError(f"no practitioner named {name!r}")
            path_text = self.query_one("#ex-path", Input).value.strip()
            if not path_text:
                raise ExportError("give the file to write")
        except DntuiError as exc:
            self.error(str(exc))
            return
        self.error("Exporting…")
        self._export(self._fmt(), bounds["from"], bounds["to"], practitioner, Path(path_text))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(
        self,
        fmt: str,
        date_from: date | None,
        date_to: date | None,
        practitioner: Any,
        path: Path,
    ) -> None:
        from dntui.exports.export import export_visits

        try:
            result = export_visits(
                self.dntui.db,
                fmt=fmt,
                date_from=date_from,
                date_to=date_to,
                practitioner=practitioner,
                output=path,
                actor=self.dntui.practitioner,
                progress=lambda done, total: self.app.call_from_thread(self._progress, done, total),
            )
        except DntuiError as exc:
            self.app.call_from_thread(self.error, str(exc))
            return
        message = f"Exported {result.count} signed visit{'s' if result.count != 1 else ''} to {result.path}"
        self.app.call_from_thread(self._done, message)

    def _progress(self, done: int, total: int) -> None:
        """A long export counts up here; the screen stays responsive (thread worker)."""
        bar = self.query_one("#ex-progress", ProgressBar)
        bar.display = True
        bar.update(total=total, progress=done)
        self.error(f"Exporting… {done:,} of {total:,} visits")

    def _done(self, message: str) -> None:
        self.app.notify(message, timeout=8)
        dismiss_when_on_top(self, message)  # the idle lock may have come up meanwhile
