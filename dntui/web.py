"""``dntui serve``: the same app in a browser, through textual-serve (the ``web`` extra).

Each browser tab gets its own dntui process (``dntui --web-session``), which asks
who is there and their PIN before anything from the database is shown.

Safe defaults: the server listens on 127.0.0.1; any other address needs
``--allow-remote`` (and, per the README, an authenticating reverse proxy with
TLS in front). The page loads nothing from another host: textual-serve's page
asks Google Fonts for Roboto Mono, so the template is served with that link
replaced by the copy of the font textual-serve ships. A websocket from a page of
another origin is refused (a web page the user visits cannot drive the app).
"""

from __future__ import annotations

import ipaddress
import re
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from dntui.domain.errors import DntuiError

if TYPE_CHECKING:
    from aiohttp import web

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_THIRD_PARTY_LINK = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*/?>", re.S)
_FONT_FACE = """<style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
        font-weight: 100 700;
        font-style: italic;
      }
    </style>"""


def is_loopback(host: str) -> bool:
    """True for an address or name that only this machine can reach."""
    name = host.strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_host(host: str, *, allow_remote: bool) -> None:
    if not host:
        raise DntuiError("--host needs an address, e.g. 127.0.0.1")
    if not is_loopback(host) and not allow_remote:
        raise DntuiError(
            f"--host {host} lets other machines reach dntui: add --allow-remote, and put it "
            "behind an authenticating reverse proxy with TLS (README, 'In a browser')"
        )


def local_page(template: str) -> str:
    """textual-serve's page without links to other hosts, with the bundled font instead."""
    page = _THIRD_PARTY_LINK.sub("", template)
    return page.replace("</head>", f"    {_FONT_FACE}\n  </head>", 1)


def session_command(*, db: str | None, demo: bool) -> str:
    """The shell command textual-serve runs for each browser session."""
    args = [sys.executable, "-m", "dntui", "--web-session"]
    if demo:
        args.append("--demo")
    if db:
        args += ["--db", db]
    return shlex.join(args)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_allowed(origin: str, *, public_url: str, host: str) -> bool:
    """May a page from ``origin`` open the app's websocket? Its own page, or (served on
    loopback) the same port under another loopback name (localhost vs 127.0.0.1)."""
    if not origin:  # not a browser page (no Origin header)
        return True
    if origin.lower() == _origin(public_url):
        return True
    theirs, ours = urlsplit(origin), urlsplit(public_url)
    return (
        is_loopback(host)
        and is_loopback(theirs.hostname or "")
        and is_loopback(ours.hostname or "")
        and theirs.port == ours.port
        and theirs.scheme == ours.scheme
    )


def make_server(
    *,
    host: str,
    port: int,
    public_url: str | None,
    allow_remote: bool,
    db: str | None,
    demo: bool,
) -> Any:
    """A textual-serve Server for dntui; raises DntuiError for bad options or no extra."""
    check_host(host, allow_remote=allow_remote)
    if not 0 < port < 65536:
        raise DntuiError(f"--port {port} is not a port number (1-65535)")
    if public_url is not None and urlsplit(public_url).scheme not in ("http", "https"):
        raise DntuiError(f"--public-url {public_url!r} must start with https:// (or http://)")
    try:
        import aiohttp_jinja2
        import jinja2
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        from dntui.install import WEB_SERVER, add_package_hint

        raise DntuiError(
            f"dntui serve needs the web extra: {add_package_hint(WEB_SERVER)}"
        ) from None

    class DntuiServer(Server):  # type: ignore[misc]
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            original = (Path(self.templates_path) / "app_index.html").read_text("utf-8")
            loader = jinja2.DictLoader({"app_index.html": local_page(original)})
            aiohttp_jinja2.setup(app, loader=loader)
            return app

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            origin = request.headers.get("Origin", "")
            if not origin_allowed(origin, public_url=self.public_url, host=self.host):
                return web.Response(status=403, text="websocket from another origin refused")
            return await super().handle_websocket(request)

    server = DntuiServer(
        session_command(db=db, demo=demo),
        host=host,
        port=port,
        title="dntui",
        public_url=public_url,
    )
    return server
