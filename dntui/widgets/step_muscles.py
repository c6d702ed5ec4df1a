"""Step 3: pick muscles from the searchable catalog and record how each was needled.

The search list updates on every keystroke (the catalog search takes well under
a millisecond); adding, removing or changing a side redraws the billing pane in
the same frame, so 2 → 3 muscles shows 20560 → 20561 at once.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, NoBinding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from dntui.domain import muscles
from dntui.domain.muscles import Muscle, RiskFlag
from dntui.domain.text import terminal_safe
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
    """Search box: up/down move through the results without leaving it; Enter adds the
    highlighted muscle of the query as typed.

    Enter, up and down are handled here, in the order the keys arrived, not as
    bindings: a binding runs only once the key has bubbled up to the app, and by
    then the letters typed after it are already in the box (one read from the
    terminal can hold "ut⏎rhom⏎scm⏎"), so the Enter acted on a later query or on
    a result list drawn for another one. ``Pick`` carries the query and the
    position in its results; the step looks the muscle up from that query itself.
    """

    class Pick(Message):
        """Enter: add result ``index`` of ``muscles.search(query)``."""

        def __init__(self, query: str, index: int) -> None:
            super().__init__()
            self.query = query
            self.index = index

    class Move(Message):
        """Up/down: highlight result ``index`` of the results of ``query``."""

        def __init__(self, query: str, index: int) -> None:
            super().__init__()
            self.query = query
            self.index = index

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._choice = 0
        self._choice_query = ""

    async def _edit_in_order(self, event: events.Key) -> None:
        """Backspace, delete, arrows, ctrl+w…: Input's bindings, run now rather than
        after the key's trip to the app (when later letters are already typed)."""
        if event.is_printable:
            return
        try:
            bindings = self._bindings.get_bindings_for_key(event.key)
        except NoBinding:
            return  # not an editing key (Tab, Esc, F-keys): it goes on to the screen
        event.stop()
        event.prevent_default()
        await self.run_action(bindings[0].action)

    def choice(self) -> int:
        """The highlighted position for the text in the box now (0 after any edit)."""
        return self._choice if self._choice_query == self.value else 0

    async def _on_key(self, event: events.Key) -> None:
        if event.key not in ("enter", "up", "down"):
            await self._edit_in_order(event)
            return  # a character: Input's own handler inserts it, in order
        event.stop()
        event.prevent_default()
        query = self.value
        if event.key == "enter":
            self.post_message(self.Pick(query, self.choice()))
            # The next letters replace the query (it stays visible until then).
            self.select_all()
            return
        count = len(muscles.search(query, limit=RESULTS_LIMIT))
        if count:
            step = 1 if event.key == "down" else -1
            self._choice = max(0, min(count - 1, self.choice() + step))
            self._choice_query = query
            self.post_message(self.Move(query, self._choice))


class MusclesStep(Step):
    BINDINGS = [
        Binding(
            "f8,alt+l",
            "focus_chosen",
            "Chosen list",
            id="muscles.chosen",
            show=False,
            priority=True,
        ),
        Binding(
            "f9,alt+a",
            "all_out",
            "All needles out",
            id="muscles.all-out",
            show=False,
            priority=True,
        ),
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
                "Enter add · F8/alt+l list: l/r/b side, +/- in, ]/[ out, = out=in, "
                "t technique, w twitch, g needle, d depth, v spinal level, s e-stim, "
                "x remove, / search · F9/alt+a all out",
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

    def on_muscle_search_pick(self, event: MuscleSearch.Pick) -> None:
        # The muscle comes from the query as typed, never from the list on screen,
        # which may still show the results of an earlier query. The search box
        # already selected its text: the next letters replace it, and the list is
        # not rebuilt twice (cheaper on every add, over SSH too).
        found = muscles.search(event.query, limit=RESULTS_LIMIT)
        if not found:
            self.notify("No muscle matches: try another name or abbreviation.")
            return
        self.add_muscle(found[min(event.index, len(found) - 1)].id)

    def on_muscle_search_move(self, event: MuscleSearch.Move) -> None:
        ol = self.query_one("#muscle-results", OptionList)
        if event.index < ol.option_count:
            ol.highlighted = event.index

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
            name = m.name if m else terminal_safe(entry.muscle_id, one_line=True)
            if entry.level:
                name = f"{name} {entry.level}"
            mismatch = entry.needles_in != entry.needles_out
            table.add_row(
                name,
                risk_text(m) if m else Text("?"),
                entry.side.value,
                str(entry.needles_in),
                Text(str(entry.needles_out), style="bold red" if mismatch else ""),
                entry.technique.value,
                entry.twitch.value if entry.twitch != Twitch.NOT_RECORDED else "-",
                terminal_safe(entry.needle, one_line=True) or "-",
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
            device = self.draft.screening.get("pacemaker-implant")
            if e.estim and device is not None and device.answer.value == "yes":
                # Checked whenever e-stim is switched on [estim-implant].
                self.notify(
                    "STOP: pacemaker or implanted electrical device on screening: no electrical "
                    "stimulation through the needles. Switch e-stim off (s).",
                    severity="error",
                    timeout=10,
                )
            else:
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
        elif change == "v":
            self._ask_level(idx)
            return
        elif change == "x":
            del self.draft.muscles[idx]
            idx = max(0, idx - 1)
        self._fill_chosen(select=idx)
        self.changed()

    def _ask_level(self, idx: int) -> None:
        """Spinal level for muscles that span the spine (multifidus, rotatores)."""
        from dntui.dialogs.level import LevelScreen

        entry = self.draft.muscles[idx]
        muscle = muscles.BY_ID.get(entry.muscle_id)
        if muscle is None or not muscle.spinal_level:
            self.notify("A spinal level is recorded for multifidus and rotatores only.")
            return

        def done(level: str | None) -> None:
            if level is not None:
                self.draft.muscles[idx].level = level
                self._fill_chosen(select=idx)
                self.changed()

        self.app.push_screen(LevelScreen(muscle.name, entry.level), done)

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
        Binding("l", "edit('L')", "Left", id="chosen.left", show=False),
        Binding("r", "edit('R')", "Right", id="chosen.right", show=False),
        Binding("b", "edit('B')", "Both", id="chosen.both", show=False),
        Binding("plus", "edit('+')", "+In", id="chosen.in-more", show=False),
        Binding("minus", "edit('-')", "-In", id="chosen.in-less", show=False),
        Binding("right_square_bracket", "edit(']')", "+Out", id="chosen.out-more", show=False),
        Binding("left_square_bracket", "edit('[')", "-Out", id="chosen.out-less", show=False),
        Binding("equals_sign", "edit('=')", "Out=In", id="chosen.out-all", show=False),
        Binding("t", "edit('t')", "Technique", id="chosen.technique", show=False),
        Binding("w", "edit('w')", "Twitch", id="chosen.twitch", show=False),
        Binding("s", "edit('s')", "E-stim", id="chosen.estim", show=False),
        Binding("g", "edit('g')", "Needle", id="chosen.needle", show=False),
        Binding("d", "edit('d')", "Depth", id="chosen.depth", show=False),
        Binding("v", "edit('v')", "Spinal level", id="chosen.level", show=False),
        Binding("x,delete", "edit('x')", "Remove", id="chosen.remove", show=False),
        Binding("slash", "search", "Search", id="chosen.search", show=False),
    ]

    def action_edit(self, change: str) -> None:
        step = self.query_ancestor(MusclesStep)
        step.edit_current(change)

    def action_search(self) -> None:
        self.screen.query_one("#muscle-search", Input).focus()
