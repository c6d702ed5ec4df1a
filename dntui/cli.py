"""The ``dntui`` command.

``dntui`` starts the app; subcommands serve billing staff and administrators.
Only the standard library is imported here: Textual is loaded when the app
starts, SQLAlchemy only by subcommands and the app's database worker. Every
expected failure ends as one line on stderr and a non-zero exit, never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from dntui import __version__
from dntui.domain.errors import DntuiError
from dntui.domain.text import terminal_safe

EXIT_USAGE = 2
EXIT_FAILURE = 1

#: What Python sets LC_CTYPE to when it coerces a C/POSIX locale (PEP 538): a sign
#: that the person's own setting is LANG, not LC_CTYPE.
_COERCED_CTYPE = frozenset({"C.UTF-8", "C.utf8", "UTF-8"})


def _isatty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)  # None: no such stream (closed at start)
    try:
        return callable(isatty) and bool(isatty())
    except (OSError, ValueError):  # closed
        return False


def terminal_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why the app cannot start here (one line), or None.

    Textual reads keys from standard input and draws on standard error: both must be
    a terminal, or the app would wait for keys that never come and write escape codes
    into a pipe (``ssh host dntui`` without ``-t``). A browser session (``dntui
    serve``, which names its own Textual driver) has no terminal and needs none.
    """
    env = os.environ if env is None else env
    if env.get("TEXTUAL_DRIVER"):
        return None
    if _isatty(sys.stdin) and _isatty(sys.stderr):
        return None
    return (
        "a terminal is needed (standard input or output is not one): over SSH use "
        "`ssh -t HOST dntui`; commands such as `dntui export` and `dntui audit verify` "
        "work without one"
    )


def declared_locale(env: Mapping[str, str]) -> tuple[str, str]:
    """The variable deciding the character set (LC_ALL, LC_CTYPE, LANG) and its value.

    ("", "") when none is set. An LC_CTYPE of C.UTF-8 beside a LANG of C is Python's
    own coercion of the C locale (PEP 538), not the person's setting: LANG decides.
    """
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "")
        if not value:
            continue
        if name == "LC_CTYPE" and value in _COERCED_CTYPE and env.get("LANG"):
            continue
        return name, value
    return "", ""


def locale_problem(env: Mapping[str, str] | None = None) -> str | None:
    """One line when the locale says the terminal is not UTF-8, or None.

    Textual draws boxes, bars and marks with UTF-8 characters and has no ASCII
    rendering: under such a locale the person is told what to set instead of seeing
    garbage. No locale at all (a bare container) is left alone, as Python does.
    """
    env = os.environ if env is None else env
    if env.get("TEXTUAL_DRIVER"):
        return None
    name, value = declared_locale(env)
    if not name:
        return None
    charset = value.partition(".")[2].partition("@")[0].replace("-", "").lower()
    if charset == "utf8" or value.replace("-", "").lower() == "utf8":
        return None
    return (
        f"dntui draws with UTF-8 characters but the locale is {name}={value}: run "
        f"`export {name}=C.UTF-8` (or another UTF-8 locale from `locale -a`) and start "
        "dntui again"
    )


def resolve_db_url(arg: str | None, *, demo: bool = False, settings_url: str = "") -> str:
    """--db, then DNTUI_DATABASE_URL, then the config file, then SQLite in the data folder."""
    from dntui.config import data_dir

    if demo:
        _private_data_dir(data_dir())
        return f"sqlite:///{data_dir() / 'demo.db'}"
    value = arg or os.environ.get("DNTUI_DATABASE_URL") or settings_url
    if not value:
        _private_data_dir(data_dir())
        return f"sqlite:///{data_dir() / 'dntui.db'}"
    if "://" not in value:  # a plain path
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def _private_data_dir(folder: Path) -> None:
    """dntui's own data folder is always 0700, even if it existed before (a folder the
    user names with --db is left as it is: it may be a shared, group-owned one)."""
    from dntui.config import ensure_private_dir

    try:
        ensure_private_dir(folder)
    except OSError as exc:
        raise DntuiError(
            f"cannot use the data folder {folder}: {exc.strerror}; set DNTUI_DATA_DIR or "
            "use --db PATH"
        ) from None


def _hide_password(url: str) -> str:
    """``scheme://user:secret@host`` -> ``scheme://user:***@host``."""
    head, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not sep or not at or ":" not in userinfo:
        return url
    return f"{head}://{userinfo.split(':', 1)[0]}:***@{host}"


def dntui_paths(db: str | None = None, *, demo: bool = False) -> dict[str, str]:
    """Where this user's dntui keeps its files; creates nothing (a bad config file is
    reported by the caller)."""
    from dntui.config import config_dir, data_dir, load_settings

    data, config = data_dir(), config_dir()
    settings_url = load_settings(create=False).database_url
    value = db or os.environ.get("DNTUI_DATABASE_URL") or settings_url
    if demo:
        database = str(data / "demo.db")
    elif not value:
        database = str(data / "dntui.db")
    elif "://" not in value:
        database = str(Path(value).expanduser().resolve())
    else:
        database = _hide_password(value)
    return {
        "config": str(config / "config.toml"),
        "fees": str(config / "fees.toml"),
        "data": str(data),
        "database": database,
        "drafts": str(data / "drafts"),
    }


def _help_paths() -> str:
    from dntui.config import config_dir, data_dir

    return f"Data folder: {data_dir()}\nConfig folder: {config_dir()}\n"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="dntui",
        description="Log dry-needling visits from the terminal: screening, muscles, "
        "aftercare, sign-off, with a live CPT 20560/20561 billing pane.",
        epilog=_help_paths() + "(dntui paths: the database and drafts too.)\n"
        "Environment: DNTUI_DATABASE_URL, DNTUI_DATA_DIR, DNTUI_CONFIG_DIR, NO_COLOR.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"dntui {__version__}")
    p.add_argument("--db", metavar="URL|PATH", help="database: a SQLite file or a database URL")
    p.add_argument(
        "--demo",
        action="store_true",
        help="start on a separate demo database with fictional patients and visits",
    )
    p.add_argument("--practitioner", metavar="NAME", help="log visits as this practitioner")
    # Set by `dntui serve` for each browser session: who and PIN first, always.
    p.add_argument("--web-session", action="store_true", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser("audit", help="check the audit trail")
    a_sub = a.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    a_sub.add_parser(
        "verify",
        help="verify the audit trail: keyed chain, tail anchor, signed content, guards "
        "(exit 0 intact, 1 broken, 3 not fully checked)",
    )

    d = sub.add_parser("db", help="database administration")
    d_sub = d.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    m = d_sub.add_parser(
        "migrate", help="copy a whole database into an empty one (e.g. SQLite to PostgreSQL)"
    )
    m.add_argument("--from", dest="source", required=True, metavar="URL|PATH")
    m.add_argument("--to", dest="target", required=True, metavar="URL")

    x = sub.add_parser(
        "export",
        help="export signed visits as CSV, JSON or a FHIR R4 Bundle",
        description="Export signed visits (and visits signed, then entered in error) as CSV "
        "or JSON (schema dntui.export/2, see the README), or as one FHIR R4 Bundle (README, "
        "'Exchange'). Files are written 0600; without -o the export goes to standard "
        "output. Every export is audited.",
    )
    x.add_argument("--format", choices=("csv", "json", "fhir"), required=True)
    x.add_argument("--from", dest="date_from", metavar="DATE", help="first day, YYYY-MM-DD")
    x.add_argument("--to", dest="date_to", metavar="DATE", help="last day, YYYY-MM-DD")
    x.add_argument(
        "--practitioner", dest="export_practitioner", metavar="NAME", help="one practitioner"
    )
    x.add_argument("-o", "--output", metavar="FILE", type=Path, help="file to write (0600)")

    h = sub.add_parser(
        "handout",
        help="a visit's patient handout as Markdown or text, or printed with lp",
        description="The post-treatment handout of a visit: clinic name, date, practitioner, "
        "the muscles and the region warnings. Without -o or --print it goes to standard "
        "output. --print uses --printer, DNTUI_PRINTER or the system default printer.",
    )
    h.add_argument("visit_id", type=int, metavar="VISIT_ID")
    h.add_argument("--format", choices=("md", "text"), default="text")
    h.add_argument("-o", "--output", metavar="FILE", type=Path, help="file to write (0600)")
    h.add_argument("--print", dest="print_it", action="store_true", help="print it with lp")
    h.add_argument("--printer", metavar="NAME", help="printer for --print")

    sub.add_parser(
        "paths",
        help="print where the config, data, database and drafts are",
        description="Print the config file, fee schedule, data folder, database and "
        "drafts folder this user's dntui uses (after --db, DNTUI_DATABASE_URL, "
        "DNTUI_DATA_DIR, DNTUI_CONFIG_DIR and config.toml). Creates nothing.",
    )

    w = sub.add_parser(
        "serve",
        help="serve the app to browsers (needs the web extra)",
        description="Serve dntui to web browsers through textual-serve (pip extra "
        "'dntui[web]'). Each browser session chooses a practitioner and enters their PIN "
        "before any patient data shows. Listens on 127.0.0.1 only unless --allow-remote; "
        "for other machines put an authenticating reverse proxy with TLS in front "
        "(README, 'In a browser').",
    )
    w.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (8000)")
    w.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow an address other machines can reach (behind a TLS reverse proxy only)",
    )
    w.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when behind a reverse proxy (https://...)",
    )

    g = sub.add_parser("gallery", help="render every screen to SVG (for the README)")
    g.add_argument("folder", nargs="?", default="screens", type=Path)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "audit":
            return _audit_verify(args)
        if args.command == "db":
            return _db_migrate(args)
        if args.command == "export":
            return _export(args)
        if args.command == "handout":
            return _handout(args)
        if args.command == "serve":
            return _serve(args)
        if args.command == "paths":
            for name, where in dntui_paths(args.db, demo=args.demo).items():
                print(f"{name:<9} {where}")
            return 0
        if args.command == "gallery":
            from dntui.gallery import render_gallery

            for path in render_gallery(args.folder):
                print(path)
            return 0
        return _run_app(args)
    except DntuiError as exc:
        print(f"dntui: {terminal_safe(str(exc), one_line=True)}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        line = _database_error_line(exc)
        if line is None:
            raise
        print(f"dntui: {line}", file=sys.stderr)
        return EXIT_FAILURE


def _database_error_line(exc: BaseException) -> str | None:
    """One line for a database error no code path expected, without the statement or its
    parameters (which may hold patient data); None for other errors (bugs)."""
    module = type(exc).__module__.split(".")[0]
    if module not in ("sqlalchemy", "psycopg", "sqlite3", "alembic"):
        return None
    orig = getattr(exc, "orig", None) or exc
    first = (str(orig).strip().splitlines() or [""])[0]
    if module == "sqlalchemy" and orig is exc:
        first = first.split("[SQL:")[0].strip()
    return f"database error ({type(orig).__name__}): {first[:200]}"


def _open_store(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from dntui.config import load_settings

    settings = load_settings()
    store = _open_url(resolve_db_url(args.db, demo=args.demo, settings_url=settings.database_url))
    if args.demo:
        # The demo database, seeded as `dntui --demo` seeds it: `dntui --demo export`
        # on a fresh install finds the demo visits.
        from datetime import date

        from dntui.store.demo import seed_demo

        seed_demo(store, today=date.today())
    return store


def _open_url(url: str):  # type: ignore[no-untyped-def]
    """Store.open, with the progress of a schema upgrade on stderr (when there is one)."""
    from dntui.progress import CliProgress
    from dntui.store.repo import Store

    with CliProgress(
        "Database schema",
        unit="revisions",
        summary="{label}: {done} revision(s) applied in {seconds:.1f} s",
    ) as bar:
        return Store.open(url, on_migrate=bar.update)


def _audit_verify(args: argparse.Namespace) -> int:
    """Exit 0 intact, 1 tampering found, 3 parts could not be checked (key or anchor missing)."""
    from dntui.progress import CliProgress

    store = _open_store(args)
    # On a terminal a bar counts the rows; on a pipe the report below is the summary.
    with CliProgress("Verifying the audit trail", unit="rows", summary=None) as bar:
        result = store.verify_audit(progress=bar.update)
    print(result.report())
    return result.exit_code


def _run_app(args: argparse.Namespace) -> int:
    from dntui.config import load_settings

    settings = load_settings()
    problem = terminal_problem() or locale_problem()
    if problem is not None:  # before Textual writes a single escape code
        print(f"dntui: {problem}", file=sys.stderr)
        return EXIT_USAGE
    url = resolve_db_url(args.db, demo=args.demo, settings_url=settings.database_url)
    from dntui.app import HANGUP_EXIT_AFTER, DntuiApp

    if args.web_session and args.practitioner:
        raise DntuiError("a web session chooses who it is: --practitioner is not allowed")
    app = DntuiApp(
        db_url=url,
        settings=settings,
        demo=args.demo,
        practitioner_name=args.practitioner,
        require_pin=args.web_session,
    )
    app.hard_exit_after = HANGUP_EXIT_AFTER
    app.run(mouse=settings.mouse)
    if app.fatal_error:
        print(f"dntui: {terminal_safe(app.fatal_error, one_line=True)}", file=sys.stderr)
        return EXIT_FAILURE
    return app.return_code or 0


def _serve(args: argparse.Namespace) -> int:
    from dntui.web import make_server

    if args.practitioner:
        raise DntuiError("dntui serve: each browser session chooses who it is; drop --practitioner")
    # Each session resolves the database as `dntui` does (--db, DNTUI_DATABASE_URL,
    # config.toml): a URL with a password is never put on a command line here.
    server = make_server(
        host=args.host,
        port=args.port,
        public_url=args.public_url,
        allow_remote=args.allow_remote,
        db=args.db,
        demo=args.demo,
    )
    print(f"dntui: serving on {server.public_url} (ctrl+c stops)", file=sys.stderr)
    server.serve()
    return 0


def _db_migrate(args: argparse.Namespace) -> int:
    from dntui.progress import CliProgress
    from dntui.store.transfer import copy_database

    source = _open_url(resolve_db_url(args.source))
    target = _open_url(resolve_db_url(args.target))
    with CliProgress("Copying the database", unit="rows") as bar:
        result = copy_database(source, target, progress=bar.update)
    for table, n in result.counts.items():
        print(f"{table:<18} {n:>8} rows")
    print(result.check.message())
    if not result.check.ok:
        return EXIT_FAILURE
    src = source.engine.url.render_as_string(hide_password=True)
    target.log_event("db.migrate", actor=None, detail=f"copied from {src}")
    return 0


def _cli_actor(store, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The practitioner named by the global --practitioner, for the audit trail."""
    if not args.practitioner:
        return None
    found = store.find_practitioner(args.practitioner)
    if found is None:
        raise DntuiError(f"no practitioner named {args.practitioner!r}")
    return found


def _export(args: argparse.Namespace) -> int:
    from dntui.domain.validation import parse_day
    from dntui.exports import ExportError
    from dntui.exports.export import check_range, export_visits

    date_from = parse_day(args.date_from, what="--from") if args.date_from else None
    date_to = parse_day(args.date_to, end=True, what="--to") if args.date_to else None
    check_range(date_from, date_to)
    store = _open_store(args)
    practitioner = None
    if args.export_practitioner:
        practitioner = store.find_practitioner(args.export_practitioner)
        if practitioner is None:
            raise ExportError(f"no practitioner named {args.export_practitioner!r}")
    from dntui.progress import CliProgress, is_terminal

    # No bar over an export that is itself going to the terminal.
    bar = is_terminal(sys.stderr) and (args.output is not None or not is_terminal(sys.stdout))
    with CliProgress("Exporting", unit="visits", summary=None, bar=bar) as progress:
        result = export_visits(
            store,
            fmt=args.format,
            date_from=date_from,
            date_to=date_to,
            practitioner=practitioner,
            output=args.output,
            stream=None if args.output else sys.stdout,
            actor=_cli_actor(store, args),
            via="cli",
            progress=progress.update,
            allow_empty=True,
        )
    where = str(result.path) if result.path is not None else "standard output"
    if result.count == 0:
        # Not an error: a nightly job on a day without visits gets a valid, empty file.
        from dntui.exports.export import describe_range

        who = f" by {practitioner.name}" if practitioner is not None else ""
        print(
            f"no signed visits{who} {describe_range(date_from, date_to)}: wrote an empty "
            f"{args.format.upper()} export to {where}",
            file=sys.stderr,
        )
        return 0
    print(
        f"exported {result.count} signed visit(s) to {where}",
        file=sys.stderr,
    )
    return 0


def _handout(args: argparse.Namespace) -> int:
    from dntui.config import load_settings
    from dntui.exports.handout import handout, save_handout
    from dntui.exports.printing import configured_printer, print_handout

    settings = load_settings()
    store = _open_store(args)
    record = store.load(args.visit_id)
    actor = _cli_actor(store, args)
    clinic = settings.clinic_name
    if args.print_it:
        printer = configured_printer(args.printer, settings=settings)
        answer = print_handout(
            store, record, printer=printer, clinic_name=clinic, actor=actor, via="cli"
        )
        print(f"sent to {printer}" + (f": {answer}" if answer else ""), file=sys.stderr)
    if args.output is not None:
        path = save_handout(
            store,
            record,
            fmt=args.format,
            output=args.output,
            clinic_name=clinic,
            actor=actor,
            via="cli",
        )
        print(f"handout written to {path}", file=sys.stderr)
    if args.output is None and not args.print_it:
        from dntui.exports.export import write_stream

        body = handout(record, clinic_name=clinic, fmt=args.format)
        # Audited before it is printed: if the audit row cannot be written, nothing is.
        store.log_event(
            "export",
            actor=actor,
            visit_id=record.visit.id,
            detail=f"handout format={args.format} via=cli dest=stdout",
        )
        write_stream(sys.stdout, body)
    return 0
