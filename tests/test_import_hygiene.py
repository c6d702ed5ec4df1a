"""Heavy imports stay off the paths where users feel them (harlequin's lesson).

Each check runs in a fresh interpreter so that modules imported by other tests
do not hide a regression.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

HEAVY_DB = ("sqlalchemy", "sqlmodel", "alembic", "psycopg")


def _modules_after(code: str) -> set[str]:
    script = textwrap.dedent(code) + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))\n"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def _loaded(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in roots)


def test_domain_imports_neither_textual_nor_sqlalchemy() -> None:
    mods = _modules_after(
        """
        import dntui.domain.billing, dntui.domain.fees, dntui.domain.instructions
        import dntui.domain.muscles, dntui.domain.screening, dntui.domain.safety
        import dntui.domain.signing, dntui.domain.note, dntui.domain.validation
        import dntui.domain.icd10, dntui.domain.visit, dntui.domain.pin
        """
    )
    assert _loaded(mods, ("textual", "rich", *HEAVY_DB)) == []


def test_cli_help_path_is_light() -> None:
    mods = _modules_after("import dntui.cli")
    assert _loaded(mods, ("textual", *HEAVY_DB)) == []


def test_first_screen_appears_before_the_database_layer_is_imported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Start the real app headless; when the start screen is mounted, no SQL module is loaded."""
    code = f"""
        import asyncio, json, sys
        from dntui.app import DntuiApp
        from dntui.config import Settings

        seen = {{}}

        class Probe(DntuiApp):
            def open_database(self):
                # Called right after the start screen is pushed: record what is loaded.
                seen["loaded"] = sorted(
                    m for m in sys.modules if m.split(".")[0] in {HEAVY_DB!r}
                )
                seen["screen"] = type(self.screen).__name__

        async def main():
            app = Probe(db_url="sqlite:///{tmp_path}/x.db", settings=Settings())
            async with app.run_test() as pilot:
                await pilot.pause()
        asyncio.run(main())
        print(json.dumps(seen))
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["screen"] == "StartScreen"
    assert seen["loaded"] == []


def _first_screen_probe(db_url: str, practitioner: str | None) -> dict[str, object]:
    """Run the real app headless on ``db_url``; when it asks to open the store (after the
    quick first screen is drawn), record the loaded database modules and what shows."""
    code = f"""
        import asyncio, json, sys
        from dntui.app import DntuiApp
        from dntui.config import Settings

        seen = {{}}

        class Probe(DntuiApp):
            def open_database(self):
                from textual.widgets import DataTable, OptionList
                seen["loaded"] = sorted(
                    m for m in sys.modules if m.split(".")[0] in {HEAVY_DB!r}
                )
                seen["screen"] = type(self.screen).__name__
                seen["stack"] = [type(s).__name__ for s in self.screen_stack]
                for start in self.screen_stack[1:2]:
                    if type(start).__name__ == "StartScreen":
                        seen["rows"] = start.query_one(DataTable).row_count
                        seen["status"] = str(start.query_one("#start-status").render())
                if seen["screen"] == "PickPractitionerScreen":
                    seen["options"] = self.screen.query_one(OptionList).option_count
                self.exit(0)

        async def main():
            app = Probe(db_url={db_url!r}, settings=Settings(), practitioner_name={practitioner!r})
            async with app.run_test() as pilot:
                for _ in range(500):
                    if seen:
                        break
                    await pilot.pause(0.02)
        asyncio.run(main())
        print(json.dumps(seen))
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_picker_and_todays_list_show_before_the_database_layer_is_imported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: on a current SQLite database, the first screen a person can act on (the
    practitioner picker, or today's list with --practitioner) is read with sqlite3 and
    drawn before SQLAlchemy, SQLModel or Alembic is imported."""
    from datetime import date

    from builders import plain_draft

    from dntui.store.repo import Store

    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    store = Store.open(url)
    dana = store.add_practitioner("Dana Reyes", "PT", pin="246810")
    store.add_practitioner("Sam Okafor", "DC", pin="246810")
    store.save_draft(plain_draft(dana, None, day=date.today()), actor=dana)
    store.close()

    picker = _first_screen_probe(url, None)
    assert picker["loaded"] == []
    assert picker["screen"] == "PickPractitionerScreen"
    assert picker["options"] == 2
    # The picker is the first screen, alone: the start screen is composed once someone
    # is chosen (laid out under the modal picker, it redrew the whole terminal each time).
    assert picker["stack"] == ["Screen", "PickPractitionerScreen"]

    listed = _first_screen_probe(url, "Dana Reyes")
    assert listed["loaded"] == []
    assert listed["screen"] == "StartScreen"
    assert listed["rows"] == 1
    # Its counts, and "open draft(s)" (what scripts wait for to type), once the store is.
    assert "Opening the database" in str(listed["status"])
    assert "open draft(s)" not in str(listed["status"])


def test_catalogs_wait_for_a_visit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: once the store is open and the start screen listed, the visit screen, the
    ICD-10 and muscle catalogs and the signing code are still not imported (memory and
    start-up): they load when a visit opens."""
    from dntui.store.repo import Store

    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    store = Store.open(url)
    store.add_practitioner("Dana Reyes", "PT", pin="246810")
    store.close()
    code = f"""
        import asyncio, json, sys
        from dntui.app import DntuiApp
        from dntui.config import Settings

        async def main():
            app = DntuiApp(db_url={url!r}, settings=Settings(), practitioner_name="Dana Reyes")
            async with app.run_test() as pilot:
                for _ in range(1000):
                    if app.practitioner is not None and "open draft(s)" in str(
                        app.screen.query_one("#start-status").render()
                    ):
                        break
                    await pilot.pause(0.02)
                await app.workers.wait_for_complete()
                await pilot.pause()
                print(json.dumps([app.practitioner is not None, sorted(sys.modules)]))
        asyncio.run(main())
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    ready, modules = json.loads(proc.stdout.strip().splitlines()[-1])
    assert ready
    late = {
        "dntui.screens.visit",
        "dntui.domain.icd10",
        "dntui.domain.muscle_data",
        "dntui.domain.record",
    }
    assert sorted(late & set(modules)) == []
