"""dntui serve: loopback by default, no third-party requests, and a browser session
signs in (who and PIN) before any patient data shows.

The real browser test (chromium driving `dntui serve`) is tests_browser/, run by .ci/run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from app_support import TODAY, type_text
from textual.widgets import DataTable

from dntui import web
from dntui.app import DntuiApp
from dntui.config import Settings
from dntui.screens.lock import LockScreen
from dntui.store.demo import DEMO_PIN, PATIENTS, seed_demo
from dntui.store.repo import Store


@pytest.mark.parametrize(
    ("host", "local"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("clinic-server", False),
    ],
)
def test_only_loopback_is_local(host: str, local: bool) -> None:
    assert web.is_loopback(host) is local


def test_a_reachable_address_needs_the_explicit_flag() -> None:
    with pytest.raises(web.DntuiError, match="--allow-remote"):
        web.check_host("0.0.0.0", allow_remote=False)
    web.check_host("0.0.0.0", allow_remote=True)
    web.check_host("127.0.0.1", allow_remote=False)


def test_the_page_loads_nothing_from_another_host() -> None:
    template = (
        "<html><head>\n"
        '<link rel="stylesheet" href="{{ config.static.url }}css/xterm.css" />\n'
        '<link\n  rel="stylesheet"\n  href="https://fonts.googleapis.com/css?family=Roboto%20Mono"\n/>\n'
        "</head><body></body></html>"
    )
    page = web.local_page(template)
    assert "googleapis" not in page and "https://" not in page
    assert "css/xterm.css" in page
    assert "fonts/RobotoMono-VariableFont_wght.ttf" in page


def test_the_installed_textual_serve_page_is_cleaned() -> None:
    """The template textual-serve ships today: after cleaning, no absolute URL but SVG's
    xmlns, and the font it points to is shipped."""
    import textual_serve

    root = Path(textual_serve.__file__).parent
    page = web.local_page((root / "templates" / "app_index.html").read_text())
    urls = {u for u in web.re.findall(r"https?://[^\s\"')]+", page)}
    assert urls <= {"http://www.w3.org/2000/svg"}, urls
    assert (root / "static" / "fonts" / "RobotoMono-VariableFont_wght.ttf").exists()


@pytest.mark.parametrize(
    ("origin", "public_url", "host", "allowed"),
    [
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000", "127.0.0.1", True),
        ("http://localhost:8000", "http://127.0.0.1:8000", "127.0.0.1", True),
        ("http://localhost:9999", "http://127.0.0.1:8000", "127.0.0.1", False),
        ("https://evil.example", "http://127.0.0.1:8000", "127.0.0.1", False),
        ("https://dntui.clinic.example", "https://dntui.clinic.example", "127.0.0.1", True),
        ("http://127.0.0.1:8000", "https://dntui.clinic.example", "0.0.0.0", False),
        ("", "http://127.0.0.1:8000", "127.0.0.1", True),
    ],
)
def test_websockets_only_from_the_apps_own_page(
    origin: str, public_url: str, host: str, allowed: bool
) -> None:
    assert web.origin_allowed(origin, public_url=public_url, host=host) is allowed


def test_each_session_runs_this_dntui_with_the_sign_in() -> None:
    cmd = web.session_command(db=None, demo=True)
    assert cmd.startswith(sys.executable) and "--web-session" in cmd and "--demo" in cmd
    assert "--db" not in cmd
    assert "'/srv/my clinic.db'" in web.session_command(db="/srv/my clinic.db", demo=False)


def run_dntui(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
    }
    return subprocess.run(
        [sys.executable, "-m", "dntui", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["serve", "--host", "0.0.0.0"], ["--allow-remote", "reverse proxy"]),
        (["serve", "--port", "0"], ["not a port"]),
        (["serve", "--public-url", "ftp://x"], ["https://"]),
        (["--practitioner", "Dana Reyes", "serve"], ["drop --practitioner"]),
    ],
)
def test_bad_serve_options_are_one_line(args: list[str], words: list[str], tmp_path: Path) -> None:
    proc = run_dntui(*args, tmp_path=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    for w in words:
        assert w in line


def test_serve_without_the_web_extra_names_the_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "textual_serve", None)
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    with pytest.raises(web.DntuiError, match=r"needs the web extra: .*textual-serve"):
        web.make_server(
            host="127.0.0.1", port=8000, public_url=None, allow_remote=False, db=None, demo=True
        )


def web_app(store: Store) -> DntuiApp:
    """The app as `dntui serve` starts it for a browser session."""
    return DntuiApp(store=store, settings=Settings(), today=lambda: TODAY, require_pin=True)


@pytest.fixture
def demo_store(app_dirs: Path) -> Store:
    store = Store.open(f"sqlite:///{app_dirs / 'data' / 'demo.db'}")
    assert seed_demo(store, today=TODAY)
    return store


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """Every table cell and label on every screen of the stack."""
    parts: list[str] = []
    for screen in app.screen_stack:
        for table in screen.query(DataTable):
            for row in range(table.row_count):
                parts += [str(c) for c in table.get_row_at(row)]
        parts += [str(w.render()) for w in screen.query("Static, Label")]
    return "\n".join(parts)


async def test_a_web_session_signs_in_before_any_patient_shows(demo_store: Store) -> None:
    app = web_app(demo_store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
        assert app.practitioner is None
        shown = screen_text(app)
        assert "Sign in to dntui" in shown
        for name, _ in PATIENTS:
            assert name not in shown, name
        await type_text(pilot, "0000")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LockScreen) and app.practitioner is None
        await pilot.press("escape")  # cannot be escaped
        assert isinstance(app.screen, LockScreen)
        await type_text(pilot, DEMO_PIN)
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, LockScreen)
        assert app.practitioner is not None
        assert any(name in screen_text(app) for name, _ in PATIENTS)
        await pilot.press("p")  # switching practitioner asks who and the PIN again
        await pilot.pause()
        assert isinstance(app.screen, LockScreen)
    actions = [e.action for e in demo_store.audit_trail()]
    assert "session.login" in actions and "pin.fail" in actions


async def test_a_web_session_on_an_empty_database_adds_nobody(app_dirs: Path) -> None:
    store = Store.open(f"sqlite:///{app_dirs / 'data' / 'empty.db'}")
    app = web_app(store)
    async with app.run_test() as pilot:
        await pilot.pause()
    assert app.fatal_error is not None and "in a terminal" in app.fatal_error
    assert store.practitioners() == []
