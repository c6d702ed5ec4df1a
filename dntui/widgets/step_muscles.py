"""Step 3: pick muscles from the searchable catalog and record how each was needled.

The search list updates on every keystroke (the catalog search takes well under
a millisecond); adding, removing or changing a side redraws the billing pane in
the same frame, so 2 → 3 muscles shows 20560 → 20561 at once.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from dntui.domain import muscles
from dntui.domain.muscles import Muscle, RiskFlag
from dntui.domain.visit import MAX_NEEDLES_PER_MUSCLE, MuscleEntry, Side, Technique, Twitch
from dntui.ui.plain import Plain
from dntui.widgets.step_base import Step

#: Risk tags: text first, colour second, so they read without colour.
RISK_TAGS = {
    RiskFlag.LUNG: ("LUNG", "bold white on red"),
    RiskFlag.ORGAN: ("ORGAN", "bold red"),
    RiskFlag.NERVE_VESSEL: ("NERVE", "yellow"),
    RiskFlag.PRESSURE: ("PRESS", "magenta"),
}
_TECHNIQUES = list(Technique)
_TWITCH = list(Twitch)
RESULTS_LIMIT = 40


def risk_text(m: Muscle) -> Text:
    t = Text()
    for kind in RiskFlag:
        if kind in m.risk_kinds:
            tag, style = RISK_TAGS[kind]
            if t:
                t.append(" ")
            t.append(tag, style=style)
    return t


class MuscleSearch(Input):
    """Search box: up/down move through the results without leaving it."""

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
    ]

    def action_move(self, delta: int) -> None:
        results = self.screen.query_one("#muscle-results", OptionList)
        if results.option_count:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(results.option_count - 1, current + delta))


class MusclesStep(Step):
    BINDINGS = [
        Binding("f8", "focus_chosen", "Chosen list", id="muscles.chosen"),
        Binding("f9", "all_out", "All needles out", id="muscles.all-out"),
    ]

    def compose(self) -> ComposeResult:
        yield MuscleSearch(
            placeholder="Search muscles: name or abbreviation (ut, scm, ql…)",
            id="muscle-search",
            max_length=40,
        )
        yield OptionList(id="muscle-results")
        yield Plain("Chosen muscles", classes="section-title", id="chosen-title")
        yield ChosenTable(id="chosen", cursor_type="row")
        with Horizontal(classes="hint-row"):
            yield Plain(
                "Enter add · F8 list: l/r/b side, +/- in, ]/[ out, = out=in, "
                "t technique, w twitch, g needle, d depth, s e-stim, x remove · F9 all out",
                classes="hint",
            )

    def on_mount(self) -> None:
        table = self.query_one(ChosenTable)
        for label, key, width in (
            ("Muscle", "muscle", 18),
            ("Risk", "risk", 6),
            ("Side", "side", 4),
            ("In", "in", 3),
            ("Out", "out", 3),
            ("Tech", "tech", 9),
            ("Twitch", "twitch", 6),
            ("Needle", "needle", 12),
            ("Depth", "depth", 5),
            ("ES", "estim", 2),
        ):
            table.add_column(label, key=key, width=width)
        self._fill_results("")
        self._fill_chosen()

    def enter(self) -> None:
        self.query_one("#muscle-search", Input).focus()

    # -------------------------------------------------------------- search
    def _fill_results(self, query: str) -> None:
        ol = self.query_one("#muscle-results", OptionList)
        found = muscles.search(query, limit=RESULTS_LIMIT)
        options = []
        for m in found:
            t = Text(m.name)
            if m.abbreviations:
                t.append(f" ({m.abbreviations[0]})", style="dim")
            risk = risk_text(m)
            if risk:
                t.append("  ")
                t.append_text(risk)
            options.append(Option(t, id=m.id))
        ol.clear_options()
        ol.add_options(options)
        if options:
            ol.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "muscle-search":
            self._fill_results(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "muscle-search":
            return
        ol = self.query_one("#muscle-results", OptionList)
        if ol.highlighted is None or not ol.option_count:
            self.notify("No muscle matches: try another name or abbreviation.")
            return
        option = ol.get_option_at_index(ol.highlighted)
        assert option.id is not None
        self.add_muscle(option.id)
        # Keep the results and select the query: the next letters replace it, and
        # the list is not rebuilt twice (cheaper on every add, over SSH too).
        event.input.select_all()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.add_muscle(event.option.id)

    # -------------------------------------------------------------- chosen
    def add_muscle(self, muscle_id: str, side: Side = Side.LEFT) -> None:
        if self.host.locked:
            return
        covered = {s for m in self.draft.muscles if m.muscle_id == muscle_id for s in m.sides}
        if side in covered:
            # Adding the same muscle again: offer the other side rather than a duplicate.
            side = Side.RIGHT if side == Side.LEFT else Side.LEFT
            if side in covered:
                self.notify("Already chosen on both sides.")
                return
        self.draft.muscles.append(MuscleEntry(muscle_id=muscle_id, side=side))
        m = muscles.get(muscle_id)
        if m.risks:
            self.notify(
                "; ".join(r.detail for r in m.risks),
                title=f"{m.name}: risk (details in the billing pane)",
                severity="warning",
                timeout=3,
            )
        self._fill_chosen(select=len(self.draft.muscles) - 1)
        self.changed()

    def _fill_chosen(self, select: int | None = None) -> None:
        table = self.query_one(ChosenTable)
        table.clear()
        for i, entry in enumerate(self.draft.muscles):
            m = muscles.BY_ID.get(entry.muscle_id)
            name = m.name if m else entry.muscle_id
            mismatch = entry.needles_in != entry.needles_out
            table.add_row(
                name,
                risk_text(m) if m else Text("?"),
                entry.side.value,
                str(entry.needles_in),
                Text(str(entry.needles_out), style="bold red" if mismatch else ""),
                entry.technique.value,
                entry.twitch.value if entry.twitch != Twitch.NOT_RECORDED else "-",
                entry.needle or "-",
                f"{entry.depth_mm}mm" if entry.depth_mm is not None else "-",
                "on" if entry.estim else "-",
                key=str(i),
            )
        n = len(self.draft.muscles)
        self.query_one("#chosen-title", Static).update(
            f"Chosen muscles: {n} · needles in {self.draft.needles_in} / out {self.draft.needles_out}"
        )
        if select is not None and table.row_count:
            table.move_cursor(row=min(select, table.row_count - 1))

    def current_index(self) -> int | None:
        table = self.query_one(ChosenTable)
        if not table.row_count:
            return None
        return table.cursor_row

    def edit_current(self, change: str) -> None:
        idx = self.current_index()
        if idx is None or self.host.locked:
            return
        e = self.draft.muscles[idx]
        if change in ("L", "R", "B"):
            side = Side(change)
            taken = {
                s
                for j, o in enumerate(self.draft.muscles)
                if j != idx and o.muscle_id == e.muscle_id
                for s in o.sides
            }
            wanted = MuscleEntry(e.muscle_id, side).sides
            if taken.intersection(wanted):
                self.notify("That side is already listed for this muscle.")
                return
            e.side = side
        elif change in ("+", "-"):
            n = e.needles_in + (1 if change == "+" else -1)
            if not 0 <= n <= MAX_NEEDLES_PER_MUSCLE:
                self.notify(f"Needles per muscle: 0 to {MAX_NEEDLES_PER_MUSCLE}.")
                return
            e.needles_in = n
        elif change in ("]", "["):
            n = e.needles_out + (1 if change == "]" else -1)
            if not 0 <= n <= MAX_NEEDLES_PER_MUSCLE:
                return
            e.needles_out = n
        elif change == "=":
            e.needles_out = e.needles_in
        elif change == "t":
            e.technique = _TECHNIQUES[(_TECHNIQUES.index(e.technique) + 1) % len(_TECHNIQUES)]
        elif change == "w":
            e.twitch = _TWITCH[(_TWITCH.index(e.twitch) + 1) % len(_TWITCH)]
        elif change == "s":
            e.estim = not e.estim
            self.notify(f"Electrical stimulation {'on' if e.estim else 'off'}")
        elif change == "g":
            sizes = list(self.dntui.settings.needles or [])
            if not sizes:
                self.notify("No needle sizes configured (config.toml, needles).")
                return
            nxt = (sizes.index(e.needle) + 1) if e.needle in sizes else 0
            e.needle = sizes[nxt] if nxt < len(sizes) else ""
        elif change == "d":
            self._ask_depth(idx)
            return
        elif change == "x":
            del self.draft.muscles[idx]
            idx = max(0, idx - 1)
        self._fill_chosen(select=idx)
        self.changed()

    def _ask_depth(self, idx: int) -> None:
        from dntui.dialogs.depth import DepthScreen

        def done(depth: object) -> None:
            if isinstance(depth, int):
                self.draft.muscles[idx].depth_mm = depth
            elif depth == "":
                self.draft.muscles[idx].depth_mm = None
            else:
                return
            self._fill_chosen(select=idx)
            self.changed()

        self.app.push_screen(DepthScreen(self.draft.muscles[idx].depth_mm), done)

    def action_focus_chosen(self) -> None:
        self.query_one(ChosenTable).focus()

    def action_all_out(self) -> None:
        for e in self.draft.muscles:
            e.needles_out = e.needles_in
        self._fill_chosen(select=self.current_index())
        self.changed()


class ChosenTable(DataTable[object]):
    """The chosen muscles; single keys edit the highlighted row."""

    BINDINGS = [
        Binding("l", "edit('L')", "Left", id="chosen.left"),
        Binding("r", "edit('R')", "Right", id="chosen.right"),
        Binding("b", "edit('B')", "Both", id="chosen.both"),
        Binding("plus", "edit('+')", "+In", id="chosen.in-more", show=False),
        Binding("minus", "edit('-')", "-In", id="chosen.in-less", show=False),
        Binding("right_square_bracket", "edit(']')", "+Out", id="chosen.out-more", show=False),
        Binding("left_square_bracket", "edit('[')", "-Out", id="chosen.out-less", show=False),
        Binding("equals_sign", "edit('=')", "Out=In", id="chosen.out-all"),
        Binding("t", "edit('t')", "Technique", id="chosen.technique"),
        Binding("w", "edit('w')", "Twitch", id="chosen.twitch"),
        Binding("s", "edit('s')", "E-stim", id="chosen.estim", show=False),
        Binding("g", "edit('g')", "Needle", id="chosen.needle", show=False),
        Binding("d", "edit('d')", "Depth", id="chosen.depth", show=False),
        Binding("x,delete", "edit('x')", "Remove", id="chosen.remove"),
        Binding("slash", "search", "Search", id="chosen.search"),
    ]

    def action_edit(self, change: str) -> None:
        step = self.query_ancestor(MusclesStep)
        step.edit_current(change)

    def action_search(self) -> None:
        self.screen.query_one("#muscle-search", Input).focus()
