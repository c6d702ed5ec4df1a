"""F1: the keys of the screen underneath, with their ids for remapping."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = """\
Everywhere: F1 help · ctrl+p command palette (every action of this screen) · ctrl+q quit (saves first) · Esc back · Tab next field
Without F-keys: alt+h help; in a visit alt+p/s/m/c/r steps 1-5, alt+e adverse event, alt+n add patient, alt+i assessment, alt+l chosen muscles, alt+a all needles out, alt+x home exercises; or ctrl+p and type the action.
Keys can be remapped in config.toml, [keymap] section: binding id = "key"."""


def live_bindings(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, description, id) of every binding with an id on ``screen`` and the app.

    Each node's bindings get the app's keymap applied the way Textual applies it
    for the footer and key dispatch (``Screen._binding_chain``), so a key remapped
    in config.toml shows here as it does in the footer.
    """
    keymap = screen.app._keymap
    keys: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for node in [screen, *screen.query("*"), screen.app]:
        bindings = node._bindings.copy()
        if keymap:
            bindings.apply_keymap(keymap)
        for key, binding in bindings:
            if not binding.id:
                continue
            descriptions.setdefault(binding.id, binding.description or binding.action)
            found = keys.setdefault(binding.id, [])
            if key not in found:
                found.append(key)
    return [(",".join(k), descriptions[i], i) for i, k in keys.items()]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        title = type(self.under).__name__.removesuffix("Screen") or "dntui"
        # HELP texts are wrapped in the source: join their lines into paragraphs, so the
        # dialog wraps them at its own width (no stray break at 80 columns).
        text = re.sub(r"(?<!\n)\n(?!\n)", " ", (getattr(self.under, "HELP", "") or "").strip())
        lines = [
            f"[b]Help: {title}[/b]",
            "",
            escape(text),
            "",
            escape(GENERAL),
            "",
            "[b]Keys here[/b]",
        ]
        for key, desc, binding_id in live_bindings(self.under):
            lines.append(f"  {escape(f'{key:<22} {desc:<22}')} [dim]{escape(binding_id)}[/]")
        with VerticalScroll(classes="dialog wide", id="help"):
            yield Static("\n".join(lines))
            yield Static("Esc closes", classes="hint")
