"""80x24 first-class (issue 13, part A): nothing clinical cut off, a footer for 80 columns,
dialogs that fit, every action without F-keys, state readable without colour, and a notice
below 80x24. Each test drives the real app on the demo database, as a person would."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest

from dntui.domain.visit import MuscleEntry, PractitionerInfo, Side, VisitDraft
from dntui.gallery import FIXED_TODAY, svg_text

if TYPE_CHECKING:
    from textual.pilot import Pilot

    from dntui.app import DntuiApp


def screen_text(app: Any) -> str:
    return svg_text(app.export_screenshot())


def words(text: str) -> str:
    """Text with every run of whitespace and box-drawing made one space (wrapped lines join)."""
    return " ".join(re.sub(r"[│╭╮╰╯─▼▲▔▁▊▎]", " ", text).split())


def region_text(app: Any, widget: Any) -> str:
    """What the terminal shows inside ``widget``'s region, lines joined."""
    r = widget.region
    lines = screen_text(app).splitlines()
    return "\n".join(line[r.x : r.right] for line in lines[r.y : r.bottom])


async def wait(pilot: Pilot[Any], condition: Any, timeout: float = 10.0) -> None:
    for _ in range(int(timeout / 0.02)):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition never became true")


def eight_warnings(app: DntuiApp) -> VisitDraft:
    """Medicare, a PT, lung-risk muscles on both sides of the thorax: 8 warnings in the pane."""
    who = app.signer
    return VisitDraft(
        visit_date=FIXED_TODAY,
        practitioner=PractitionerInfo(who.id, who.name, who.credentials),
        payer="medicare",
        diagnosis_codes=["M79.12"],
        muscles=[
            MuscleEntry("infraspinatus", Side.BILATERAL, 2, 2),
            MuscleEntry("thoracic-multifidus", Side.LEFT, 1, 1),
            MuscleEntry("anterior-scalene", Side.RIGHT, 1, 1),
        ],
    )


async def open_visit(pilot: Pilot[Any], draft: VisitDraft) -> Any:
    from dntui.screens.visit import VisitScreen

    app = pilot.app
    screen = VisitScreen(draft)
    app.push_screen(screen)
    await wait(pilot, lambda: app.screen is screen and screen.is_mounted)
    await pilot.pause()
    return screen


# ---------------------------------------------------------------- item 1
async def test_every_screening_question_is_shown_in_full_at_80_columns(
    demo_app: DntuiApp,
) -> None:
    """The checklist wraps its questions: none ends mid-sentence (tall, so none scrolls away)."""
    from dntui.domain.screening import ITEMS

    async with demo_app.run_test(size=(80, 100)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        listing = pilot.app.screen.query_one("#screening-items")
        shown = words(region_text(pilot.app, listing))
        cut = [item.question for item in ITEMS if words(item.question) not in shown]
        assert not cut, f"questions cut off: {cut}"


async def test_billing_pane_overflow_has_a_marker_and_scrolls_by_keyboard(
    demo_app: DntuiApp,
) -> None:
    from dntui.domain import billing, safety

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await wait(pilot, lambda: app.practitioner is not None)
        draft = eight_warnings(app)
        screen = await open_visit(pilot, draft)
        texts = [w.text for w in billing.summarize(draft, screen.fee_schedule, []).warnings]
        texts += [w.text for w in safety.safety_warnings(draft)]
        assert len(texts) >= 8
        first = screen_text(app)
        assert "more" in first  # a visible "▼ N more" marker on the pane
        seen = words(region_text(app, screen.query_one("#billing")))
        for _ in range(40):  # scroll the pane down by keyboard, focus stays in the step
            await pilot.press("alt+down")  # not a character key: as a terminal sends it
            seen += " " + words(region_text(app, screen.query_one("#billing")))
        missing = [t for t in texts if words(t) not in seen]
        assert not missing, f"warnings never shown: {missing}"


async def test_review_lists_every_billing_and_safety_warning(demo_app: DntuiApp) -> None:
    from dntui.domain import billing, safety
    from dntui.widgets.step_review import ReviewStep

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await wait(pilot, lambda: app.practitioner is not None)
        draft = eight_warnings(app)
        screen = await open_visit(pilot, draft)
        await pilot.press("f6")
        await pilot.pause()
        review = screen.query_one(ReviewStep)
        text = words(review.note_text() + "\n" + review.warnings_text())
        expected = [w.text for w in billing.summarize(draft, screen.fee_schedule, []).warnings]
        expected += [w.text for w in safety.safety_warnings(draft)]
        assert any("both sides of the thorax" in t for t in expected)
        missing = [t for t in expected if words(t) not in text]
        assert not missing, f"not on the review screen: {missing}"


# ---------------------------------------------------------------- item 2
@pytest.mark.parametrize("step", ["f2", "f3", "f4", "f5", "f6"])
async def test_visit_footer_at_80_columns_shows_next_back_help_quit(
    demo_app: DntuiApp, step: str
) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(step)
        await pilot.pause()
        footer = screen_text(pilot.app).splitlines()[-1]
        for label in ("Next step", "Back", "Help", "Quit"):
            assert label in footer, f"{label!r} not in the footer: {footer!r}"


# ---------------------------------------------------------------- item 3
async def test_export_dialog_fits_80x24_and_the_format_list_does_not_export(
    demo_app: DntuiApp,
) -> None:
    from textual.widgets import RadioSet

    from dntui.dialogs.export import ExportScreen

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("e")
        await wait(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Cancel" in text and "Export  " in text
        for button in app.screen.query("Button"):
            r = button.region
            assert r.height > 0 and r.bottom <= 24, f"{button.id} outside the screen: {r}"
        app.screen.query_one(RadioSet).focus()
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen), "Enter on the format list exported"
        assert not [w for w in app.workers if w.group == "export"]


# ---------------------------------------------------------------- item 4
def terminal_keys(data: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """The keys Textual reads from a terminal that sends ``data`` (ESC + letter for alt)."""
    import textual._parser
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    keys = [(e.key, e.character) for e in parser.feed(data)]
    monkeypatch.setattr(textual._parser, "get_time", lambda: float("inf"))  # ESC wait over
    keys += [(e.key, e.character) for e in parser.tick()]
    return keys


@pytest.mark.parametrize("letter", ["h", "p", "s", "m", "c", "r", "e", "n", "l", "a", "x"])
def test_alt_keys_arrive_as_alt_letters(letter: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Terminals send alt+letter as ESC + letter; Textual reads it as alt+letter (alt+digit
    is read as a macOS Option character, e.g. ESC 3 as '£': no alt+digit keys in dntui)."""
    assert terminal_keys("\x1b" + letter, monkeypatch) == [(f"alt+{letter}", letter)]


async def alt(pilot: Pilot[Any], letter: str) -> None:
    """alt+letter as a terminal delivers it: with the letter as its character, so a
    focused text field would type it unless the binding comes first."""
    from textual import events

    pilot.app.post_message(events.Key(f"alt+{letter}", letter))
    await pilot.pause()
    await pilot.pause()


async def test_every_visit_action_without_f_keys(demo_app: DntuiApp) -> None:
    from textual.widgets import Input

    from dntui.dialogs.add_patient import AddPatientScreen
    from dntui.dialogs.adverse_event import AdverseEventScreen
    from dntui.screens.help import HelpScreen
    from dntui.screens.visit import VisitScreen

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        visit = app.screen
        assert isinstance(visit, VisitScreen)
        search = visit.query_one("#patient-search", Input)
        assert app.focused is search  # a text field has the focus: letters would be typed
        await alt(pilot, "n")
        await wait(pilot, lambda: isinstance(app.screen, AddPatientScreen))
        await pilot.press("escape")
        await wait(pilot, lambda: app.screen is visit)
        for letter, step in [
            ("s", "screening"),
            ("m", "muscles"),
            ("c", "instructions"),
            ("r", "review"),
            ("p", "patient"),
        ]:
            await alt(pilot, letter)
            assert visit.query_one("ContentSwitcher").current == step, letter
        assert search.value == "", "a letter was typed into the search field"
        await alt(pilot, "m")
        await alt(pilot, "l")
        assert app.focused is visit.query_one("#chosen")
        await alt(pilot, "e")
        await wait(pilot, lambda: isinstance(app.screen, AdverseEventScreen))
        await pilot.press("escape")
        await wait(pilot, lambda: app.screen is visit)
        await alt(pilot, "h")
        await wait(pilot, lambda: isinstance(app.screen, HelpScreen))


async def test_command_palette_offers_the_screens_actions(demo_app: DntuiApp) -> None:
    """ctrl+p lists each screen's own actions: a person without F-keys finds them there."""
    from dntui.dialogs.adverse_event import AdverseEventScreen

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        visit = app.screen
        commands = {c.title: c for c in app.get_system_commands(visit)}
        for title in ("Step 3: Muscles", "Add patient", "Record an adverse event", "Next step"):
            assert title in commands, f"{title!r} not in {sorted(commands)}"
        app.call_later(commands["Step 3: Muscles"].callback)  # as the palette runs it
        await pilot.pause()
        await pilot.pause()
        assert visit.query_one("ContentSwitcher").current == "muscles"
        app.call_later(commands["Record an adverse event"].callback)
        await wait(pilot, lambda: isinstance(app.screen, AdverseEventScreen))


# ---------------------------------------------------------------- item 5
async def test_abn_and_consent_choices_read_without_colour(
    demo_app: DntuiApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert "[ ] ABN on file" in screen_text(app)
        app.screen.query_one("#abn").value = True
        await pilot.pause()
        assert "[x] ABN on file" in screen_text(app)
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("c")
        await pilot.pause()
        text = screen_text(app)
        assert "(•) Written" in text and "( ) Verbal" in text


# ---------------------------------------------------------------- item 6
async def test_below_80x24_a_notice_asks_to_enlarge_the_window(demo_app: DntuiApp) -> None:
    async with demo_app.run_test(size=(60, 20)) as pilot:
        app = pilot.app
        await pilot.pause()
        await wait(pilot, lambda: "at least 80x24" in screen_text(app))
        await pilot.resize_terminal(100, 30)
        await wait(pilot, lambda: "at least 80x24" not in screen_text(app))
        assert "Today's visits" in screen_text(app)
        await pilot.resize_terminal(79, 30)
        await wait(pilot, lambda: "at least 80x24" in screen_text(app))


async def test_keys_typed_under_the_size_notice_change_nothing(demo_app: DntuiApp) -> None:
    """What is hidden cannot be edited blind: keys typed and text pasted while the notice
    is up are dropped (the quit key still works), and the field keeps what it had."""
    from textual.widgets import Input

    from dntui.gallery import paste

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await wait(pilot, lambda: isinstance(app.screen.focused, Input))
        field = app.screen.focused
        assert isinstance(field, Input)
        await pilot.press(*"ad")
        await wait(pilot, lambda: field.value == "ad")
        await pilot.resize_terminal(70, 20)
        await wait(pilot, lambda: "at least 80x24" in screen_text(app))
        await pilot.press(*"xyz", "backspace", "backspace", "escape")
        await paste(pilot, "pasted")
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await wait(pilot, lambda: "at least 80x24" not in screen_text(app))
        assert app.screen.focused is field and field.value == "ad"
        await pilot.resize_terminal(70, 20)
        await wait(pilot, lambda: "at least 80x24" in screen_text(app))
        await pilot.press("ctrl+q")
        await wait(pilot, lambda: not app.is_running)


# ---------------------------------------------------------------- item 7
async def test_after_adding_a_patient_focus_goes_to_the_payer(demo_app: DntuiApp) -> None:
    """The date is today already: the next field to fill is the payer, not the search box."""
    from dntui.dialogs.add_patient import AddPatientScreen
    from dntui.gallery import paste

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        visit = app.screen
        await paste(pilot, "Nora Whitfield")
        await pilot.press("f7")
        await wait(pilot, lambda: isinstance(app.screen, AddPatientScreen))
        await pilot.press("enter")  # to the date of birth
        await paste(pilot, "1983-07-21")
        await pilot.press("enter", "enter")  # chart number empty: save
        await wait(pilot, lambda: app.screen is visit)
        await wait(
            pilot, lambda: "Nora Whitfield" in visit.query_one("#patient-chosen").render().plain
        )
        await pilot.pause()
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "payer"


def test_unknown_keymap_id_is_named_in_one_line(tmp_path: Any) -> None:
    from dntui.app import DntuiApp
    from dntui.config import Settings

    app = DntuiApp(settings=Settings(keymap={"visit.nxt": "ctrl+n", "start.new": "ctrl+t"}))
    assert app.keymap_warnings() == [
        "config.toml [keymap]: unknown binding id 'visit.nxt' (F1 lists the ids); ignored"
    ]


async def test_payer_names_are_not_split_in_the_dropdown(demo_app: DntuiApp) -> None:
    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#payer").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Commercial insurance (generic)" in text
        assert "EmblemHealth" in text


async def test_drafts_on_the_start_screen_show_code_and_muscle_count(
    demo_app: DntuiApp,
) -> None:
    from textual.widgets import DataTable

    from dntui.domain.billing import summarize

    async with demo_app.run_test(size=(80, 24)) as pilot:
        app = pilot.app
        await wait(pilot, lambda: app.practitioner is not None)
        store = app.store
        assert store is not None and app.fee_schedule is not None
        rows = store.visit_rows(status="draft", practitioner_id=app.practitioner.id)
        drafts = store.drafts_of([r.id for r in rows])
        assert any(d.muscles for d in drafts.values()), "the demo needs a draft with muscles"
        table = app.screen.query_one(DataTable)
        await wait(pilot, lambda: table.row_count > 0)
        for visit_id, draft in drafts.items():
            summary = summarize(draft, app.fee_schedule, [])
            row = table.get_row(str(visit_id))
            assert str(row[5]) == (summary.code or "-")
            assert str(row[6]) == str(summary.muscle_count)


async def test_visit_notifications_leave_the_billing_pane_visible(demo_app: DntuiApp) -> None:
    from textual.widgets._toast import Toast

    async with demo_app.run_test(size=(80, 24), notifications=True) as pilot:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.notify("Adverse event recorded: mild, bruising, at 10:30, no action needed.")
        await wait(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        pane = app.screen.query_one("#billing").region
        for toast in app.screen.query(Toast):
            assert not toast.region.overlaps(pane), f"{toast.region} covers {pane}"


@pytest.mark.parametrize("name", ["17-adverse-event", "21-assessment", "23-coverage"])
async def test_tab_goes_through_every_field_in_sight_then_the_buttons(
    demo_app: DntuiApp, name: str
) -> None:
    """Dialogs taller than 24 rows scroll: Tab reaches every field before the pinned
    buttons, and each field is scrolled clear of them."""

    from app_support import tab_through_form

    from dntui.gallery import SCENES

    scene = next(s for s in SCENES if s.name == name)
    async with demo_app.run_test(size=(80, 24)) as pilot:
        await scene.run(pilot)
        order = await tab_through_form(pilot)
        buttons = [b.id or "" for b in pilot.app.screen.query(".buttons Button")]
        assert buttons and order[-len(buttons) :] == buttons, order
        assert len(order) > len(buttons)
