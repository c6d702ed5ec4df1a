"""F1: the keys of the screen underneath, with their ids for remapping."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = """\
Everywhere: F1 help · ctrl+p command palette · ctrl+q quit (saves first) · Esc back · Tab next field
Keys can be remapped in config.toml, [keymap] section: binding id = "key"."""


def _bindings_of(screen: Screen[object]) -> list[tuple[str, str, str]]:
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    nodes = [screen, *screen.query("*")]
    for node in nodes:
        for binding in getattr(node, "BINDINGS", []):
            if not isinstance(binding, Binding) or not binding.id or binding.id in seen:
                continue
            seen.add(binding.id)
            rows.append((binding.key, binding.description or binding.action, binding.id))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        title = type(self.under).__name__.removesuffix("Screen") or "dntui"
        text = (getattr(self.under, "HELP", "") or "").strip()
        lines = [
            f"[b]Help: {title}[/b]",
            "",
            escape(text),
            "",
            escape(GENERAL),
            "",
            "[b]Keys here[/b]",
        ]
        for key, desc, binding_id in _bindings_of(self.under):
            lines.append(f"  {escape(f'{key:<22} {desc:<22}')} [dim]{escape(binding_id)}[/]")
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static("\n".join(lines))
            yield Static("Esc closes", classes="hint")
