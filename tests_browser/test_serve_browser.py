"""`dntui serve` in a real headless Chromium: sign in, log a visit, read the billing pane.

Run by .ci/run in its own venv (`pip install -e '.[web,test]' playwright`) with
Debian's chromium; Playwright's own browser download is not used. Outside CI a
missing chromium or Playwright skips the test; under CI=true it fails.

The terminal in the page is drawn on a canvas, so the test reads the screen the
way the page does: it feeds the websocket's terminal output to a terminal
emulator (pyte) and reads the text from there.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("DNTUI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true")
SCREENSHOT = Path(__file__).resolve().parent.parent / "screens" / "20-browser.png"
DEMO_PATIENTS = ("Lindqvist", "Okonkwo", "Natarajan", "Walsh", "Romano")


def _need(ok: bool, why: str) -> None:
    if not ok:
        if IN_CI:
            pytest.fail(f"{why} (required under CI)")
        pytest.skip(why)


try:
    import pyte
    from playwright.sync_api import sync_playwright
except ImportError:  # .ci/run installs both
    pyte = sync_playwright = None  # type: ignore[assignment]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "DNTUI_DATA_DIR": str(tmp_path / "data"),
        "DNTUI_CONFIG_DIR": str(tmp_path / "config"),
    }
    env.pop("DNTUI_DATABASE_URL", None)
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "dntui", "--demo", "serve", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("dntui serve exited: " + (tmp_path / "serve.log").read_text())
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("dntui serve did not listen within 30 s")
        yield f"http://127.0.0.1:{port}/", tmp_path / "data" / "demo.db"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


class Terminal:
    """The app's screen as the page shows it, from the websocket's output."""

    def __init__(self) -> None:
        self.screen = pyte.Screen(200, 60)
        self.stream = pyte.ByteStream(self.screen)
        self.everything = ""  # all text ever drawn, to prove what never showed

    def feed(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.stream.feed(payload)
            self.everything += "\n".join(self.screen.display)

    def resize(self, payload: bytes | str) -> None:
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = re.search(r'"width":\s*(\d+),\s*"height":\s*(\d+)', payload)
            if size:
                self.screen.resize(int(size[2]), int(size[1]))

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def billing_code(self) -> str | None:
        """The CPT code inside the box titled "Billing"."""
        lines = self.screen.display
        for top, line in enumerate(lines):
            col = line.find("Billing")
            if col < 0 or "╭" not in line[:col]:
                continue
            left = line.rfind("╭", 0, col)
            for below in lines[top + 1 :]:
                found = re.search(r"CPT (\d{5})", below[left:])
                if found:
                    return found[1]
        return None


def wait_for(
    page, check: Callable[[], object], what: str, term: Terminal, timeout: float = 30
) -> None:  # type: ignore[no-untyped-def]
    """Poll ``check``; Playwright delivers websocket frames only while it waits itself."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        page.wait_for_timeout(100)
    pytest.fail(f"timed out waiting for {what}; the screen:\n{term.text()}")


def test_a_browser_signs_in_logs_a_visit_and_reads_the_billing_code(
    server: tuple[str, Path],
) -> None:
    _need(Path(CHROMIUM).exists(), f"no chromium at {CHROMIUM}")
    _need(sync_playwright is not None, "Playwright for Python and pyte are not installed")
    url, db = server
    term = Terminal()
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("request", lambda r: requests.append(r.url))

            def on_socket(ws) -> None:  # type: ignore[no-untyped-def]
                ws.on("framereceived", term.feed)
                ws.on("framesent", term.resize)

            page.on("websocket", on_socket)
            page.goto(url)
            wait_for(page, lambda: "Sign in to dntui" in term.text(), "the sign-in", term)
            for name in DEMO_PATIENTS:
                assert name not in term.everything, f"{name} shown before the PIN"
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.type("0000")
            page.keyboard.press("Enter")
            wait_for(page, lambda: "Wrong PIN" in term.text(), "the wrong PIN refused", term)
            page.keyboard.type("1234")
            page.keyboard.press("Enter")
            wait_for(
                page,
                lambda: any(n in term.text() for n in DEMO_PATIENTS) and "PIN" not in term.text(),
                "the start screen with today's visits",
                term,
            )

            page.keyboard.press("n")
            wait_for(
                page,
                lambda: term.billing_code() is None and "Billing" in term.text(),
                "a new visit",
                term,
            )
            page.keyboard.press("F7")
            wait_for(page, lambda: "Add a patient" in term.text(), "the add-patient dialog", term)
            # Keys go on without waiting for the screen: the app takes them in order, the
            # next key only once Tab has moved the focus (DntuiApp's typeahead).
            for text in ("Webb Browning", "1990-01-02"):
                page.keyboard.type(text, delay=20)
                page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            wait_for(
                page,
                lambda: "Add a patient" not in term.text() and "Webb Browning" in term.text(),
                "the new patient on the visit",
                term,
            )
            page.keyboard.press("F4")
            wait_for(page, lambda: "Search muscles" in term.text(), "the muscles step", term)
            page.keyboard.type("ut", delay=20)
            page.keyboard.press("Enter")
            wait_for(page, lambda: term.billing_code() == "20560", "CPT 20560", term)
            page.keyboard.press("F8")  # to the chosen list
            page.keyboard.press("b")  # both sides: two muscles counted
            wait_for(page, lambda: "Muscles counted: 2" in term.text(), "both sides", term)
            page.keyboard.press("/")  # back to the search
            page.keyboard.type("lev scap", delay=20)
            page.keyboard.press("Enter")
            wait_for(page, lambda: term.billing_code() == "20561", "CPT 20561", term)
            assert "Muscles counted: 3" in term.text()
            # The draft autosaves half a second after the last change: wait for the pane to
            # say so (a fixed second was not enough on a loaded machine: "saving…" was in
            # the screenshot), so the picture and the database check below see it saved.
            wait_for(page, lambda: "draft saved" in term.text(), "the draft saved", term)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    hosts = {urlsplit(u).hostname for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, f"requests to other hosts: {sorted(hosts)}"
    assert any("/static/fonts/" in u for u in requests), "the bundled font was not used"

    from dntui.store.repo import Store

    store = Store.open(f"sqlite:///{db}")
    (row,) = store.visit_rows(patient_query="Webb Browning")
    assert row.status == "draft" and row.practitioner_name == "Dana Reyes"
    draft = store.load(row.id).draft  # the visit as logged in the browser, saved
    assert [(m.muscle_id, m.side) for m in draft.muscles] == [
        ("upper-trapezius", "B"),
        ("levator-scapulae", "L"),
    ]
    store.close()
