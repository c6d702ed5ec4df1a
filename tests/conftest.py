"""Shared fixtures: a database URL for each engine, a throwaway PostgreSQL cluster.

``db_url`` runs a test twice, on a fresh SQLite file and on a fresh PostgreSQL
database. The PostgreSQL server is either the one named by
``DNTUI_TEST_DATABASE_URL`` (an admin URL such as
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``) or a throwaway cluster
started once per session from the server binaries (``initdb``/``pg_ctl`` on PATH
or in ``/usr/lib/postgresql/*/bin``), listening only on a unix socket in a
private temp folder. It starts only when the first PostgreSQL test needs it.

Without server binaries the PostgreSQL variants are skipped, except under CI
(``CI`` set), where that is an error: CI must test both engines.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the store pulls in SQLAlchemy: import it only when a test needs it
    from dntui.store.repo import Store

PG_URL_ENV = "DNTUI_TEST_DATABASE_URL"
MISSING_PG = (
    "PostgreSQL server binaries not found: .ci/run must install the Debian package postgresql"
)
_SUMMARY = pytest.StashKey[list[str]]()


# --------------------------------------------------------------- reporting
def pytest_configure(config: pytest.Config) -> None:
    config.stash[_SUMMARY] = []
    _hypothesis_profile()


def _hypothesis_profile() -> None:
    """Hypothesis checks rules, not speed: no per-example deadline and no health check
    on slow data generation, both of which failed property tests on a loaded machine
    (the suite runs beside other work on 2 cores). The examples are as many as before."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("dntui", deadline=None, suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile("dntui")


def pytest_report_header(config: pytest.Config) -> str:
    url = os.environ.get(PG_URL_ENV)
    if url:
        return f"postgresql: server from {PG_URL_ENV} ({_hide_password(url)})"
    found = find_pg_bin()
    if found is None:
        what = "CI: PostgreSQL tests will FAIL" if _in_ci() else "PostgreSQL tests are skipped"
        return f"postgresql: no server binaries found ({what})"
    return f"postgresql: throwaway cluster from {found} (started on first use)"


# Under pytest-xdist (``-n``, on by default in pyproject.toml) every worker is its own
# process with its own session fixtures: a worker hands its figures to the controller in
# ``workeroutput`` when it finishes, and the controller prints them all in its summary.
_WORKER_FIGURES = "dntui_figures"


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: session fixtures are torn down by now
        workeroutput[_WORKER_FIGURES] = list(session.config.stash.get(_SUMMARY, []))


#: Workers per core for ``-n auto``. Much of the suite waits (real terminals, child
#: processes, a server, timers): on a quiet 2-core machine two workers per core took the
#: whole suite from 5 min 38 s to 4 min 35 s (bench/README.md, issue 16).
WORKERS_PER_CORE = 2


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return WORKERS_PER_CORE * (cores or 1)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: no error when xdist is not installed
def pytest_testnodedown(node: Any, error: Any) -> None:
    """On the controller: collect the figures of a worker that finished."""
    lines = getattr(node, "workeroutput", {}).get(_WORKER_FIGURES, [])
    node.config.stash[_SUMMARY].extend(lines)


def worker_id() -> str:
    """This process's xdist worker id (``gw0``, ``gw1``…), or ``main`` without xdist."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    lines = config.stash.get(_SUMMARY, [])
    if hasattr(config, "workerinput"):
        return  # a worker's terminal is not shown: the controller prints its lines
    if lines:
        terminalreporter.section("dntui figures", sep="-")
        for line in lines:
            terminalreporter.write_line(line)


# ------------------------------------------------------------ scheduling
#: Tests that take longest (``pytest --durations=40``), longest first: they start first,
#: so under pytest-xdist no worker is handed a long test when the others are finishing.
#: Node id prefixes; the rest keep their collection order. tests/test_harness.py checks
#: that each still names a test.
SLOW_FIRST = (
    "tests/test_fuzz.py::test_random_keys_never_crash_the_app",
    "tests/test_flow.py::test_full_visit_from_the_keyboard",
    "tests/ui/test_snapshots.py::test_render_gallery_writes_every_scene",
    "tests/ui/test_snapshots.py::test_screen[04-screening",
    "tests/ui/test_snapshots.py::test_screen[08-signed",
    "tests/ui/test_snapshots.py::test_screen[07-review",
    "tests/ui/test_snapshots.py::test_screen[06-aftercare",
    "tests/ui/test_snapshots.py::test_screen[05-muscles",
    "tests/store/test_store_concurrency.py",
    "tests/test_hangup.py",
    "tests/ui/test_snapshots.py::test_screen[03-patient",
    "tests/test_keys_in_order.py::test_pty",
    "tests/security/test_terminal_text.py::test_pty",
    "tests/security/test_app_attacks.py",
    "tests/test_flow.py",
    "tests/ui/test_snapshots.py",
)


def _slow_rank(nodeid: str) -> int:
    for rank, prefix in enumerate(SLOW_FIRST):
        if nodeid.startswith(prefix):
            return rank
    return len(SLOW_FIRST)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: _slow_rank(item.nodeid))  # stable: the rest keep their order


@pytest.fixture(scope="session")
def report_line(pytestconfig: pytest.Config) -> Callable[[str], None]:
    """Record a line for the terminal summary (also printed for ``pytest -s``)."""

    def add(line: str) -> None:
        print(line)
        pytestconfig.stash[_SUMMARY].append(line)

    return add


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --------------------------------------------------------- the PG server
def find_pg_bin() -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: PATH first, then Debian's folders."""
    candidates: list[Path] = []
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
        candidates.append(Path(on_path).parent)

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) for x in re.findall(r"\d+", p.parent.parent.name))

    candidates += sorted(
        (p.parent for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        key=lambda b: version(b / "initdb"),
        reverse=True,
    )
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def pg_connect(url: str, **kwargs: Any) -> Any:
    """A raw psycopg connection (autocommit) from a SQLAlchemy PostgreSQL URL."""
    import psycopg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    params: dict[str, Any] = {
        "dbname": u.database or "postgres",
        "user": u.username,
        "password": u.password,
        "host": u.host or u.query.get("host"),
        "port": u.port or u.query.get("port"),
        "connect_timeout": 10,
    }
    params = {k: v for k, v in params.items() if v is not None}
    return psycopg.connect(autocommit=True, **params, **kwargs)


@dataclass
class PgServer:
    """A PostgreSQL server the tests may create databases on."""

    admin_url: str
    throwaway: bool
    started_in: float = 0.0
    version: str = ""
    _names: list[str] = field(default_factory=list)

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        from sqlalchemy.engine import make_url

        name = f"dntui_test_{uuid.uuid4().hex[:12]}"
        with pg_connect(self.admin_url) as conn:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
        self._names.append(name)
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        with pg_connect(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


#: Free space a memory-backed folder needs to hold the throwaway cluster: a few test
#: databases at a time (each is dropped after its test, about 8 MB) and the server's files.
SHM_MIN_FREE = 512 * 1024 * 1024


def _cluster_base() -> str:
    """Where the throwaway cluster lives: memory (``/dev/shm``) when there is room.

    On a disk mounted with ``discard`` (this CI machine's ext4), deleting the cluster's
    files at the end of a worker took 60-85 s of a loaded suite run; in memory it is
    instant and the databases need no disk at all (fsync is off anyway).
    """
    shm = "/dev/shm"
    with contextlib.suppress(OSError):
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK | os.X_OK) and st.f_bavail * st.f_frsize >= SHM_MIN_FREE:
            return shm
    base = tempfile.gettempdir()
    return "/tmp" if len(base) > 60 else base


def _private_tmpdir() -> Path:
    """A temp folder short enough for a unix socket path (about 107 bytes at most)."""
    return Path(tempfile.mkdtemp(prefix="dntui-pg-", dir=_cluster_base()))


class _Cluster:
    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.root = _private_tmpdir()
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        self.running = False

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            if shutil.which("runuser") is None:
                raise RuntimeError("running as root needs runuser to start PostgreSQL")
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        proc = subprocess.run(
            cmd,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "LC_ALL": "C", "LANG": "C"},
        )
        if proc.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}{log}"
            )

    def start(self) -> str:
        if self.as_root:
            import pwd

            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError(
                    "running as root: initdb refuses root and there is no 'postgres' user "
                    "(install the Debian package postgresql)"
                ) from None
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        os.chmod(self.root, 0o700)
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "--no-sync",
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C",
        )
        opts = (
            f"-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            f"-c listen_addresses='' -c unix_socket_directories={self.root} -p {self.port}"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            opts,
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "start",
        )
        self.running = True
        return f"postgresql+psycopg://postgres@/postgres?host={self.root}&port={self.port}"

    def stop(self) -> None:
        try:
            # A start that timed out may still have left a server running: its pid file says.
            if self.running or (self.data / "postmaster.pid").exists():
                # fast: a clean stop that also frees its shared memory segments in
                # /dev/shm (an immediate stop left them behind, one set per worker).
                self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        finally:
            self.running = False
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server(report_line: Callable[[str], None]) -> Iterator[PgServer]:
    """The PostgreSQL server for this session (started on first use)."""
    url = os.environ.get(PG_URL_ENV)
    if url:
        server = PgServer(admin_url=url, throwaway=False)
        with pg_connect(url) as conn:
            server.version = str(conn.execute("SHOW server_version").fetchone()[0])
        report_line(f"postgresql: using {_hide_password(url)} (PostgreSQL {server.version})")
        yield server
        return
    bindir = find_pg_bin()
    if bindir is None:
        if _in_ci():
            pytest.fail(MISSING_PG, pytrace=False)
        pytest.skip(f"{MISSING_PG} (or set {PG_URL_ENV}); skipped outside CI")
    # One throwaway cluster per process: under xdist each worker starts its own on first
    # use (a private socket folder, so clusters never meet) and stops it at its end. The
    # atexit hook is the backstop for a worker that ends without its session teardown.
    cluster = _Cluster(bindir)
    atexit.register(cluster.stop)
    t0 = time.perf_counter()
    try:
        admin = cluster.start()
        server = PgServer(admin_url=admin, throwaway=True)
        with pg_connect(admin) as conn:
            server.version = str(conn.execute("SHOW server_version").fetchone()[0])
        server.started_in = time.perf_counter() - t0
    except BaseException:
        cluster.stop()
        raise
    report_line(
        f"postgresql: throwaway cluster started in {server.started_in:.2f} s "
        f"(PostgreSQL {server.version}, {bindir}, worker {worker_id()})"
    )
    try:
        yield server
    finally:
        cluster.stop()
        atexit.unregister(cluster.stop)


@pytest.fixture(scope="session")
def pg_admin_url(pg_server: PgServer) -> str:
    """Superuser URL of the PostgreSQL server's maintenance database ``postgres``."""
    return pg_server.admin_url


# ------------------------------------------------------------- databases
@pytest.fixture(params=["sqlite", "postgresql"], ids=["sqlite", "pg"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dntui.db'}"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.create_database()
    yield url
    # Dropped at once, on a throwaway cluster too: its folder (in memory when there is
    # room, see _cluster_base) then holds only the databases of running tests.
    with contextlib.suppress(Exception):
        server.drop_database(url)


@pytest.fixture
def sqlite_db_url(tmp_path: Path) -> str:
    """URL of a fresh SQLite file, for tests that need only one engine."""
    return f"sqlite:///{tmp_path / 'dntui.db'}"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """``Store.open(db_url)``: a migrated, empty store on each engine."""
    from dntui.store.repo import Store

    s = Store.open(db_url)
    yield s
    s.close()


@pytest.fixture
def raw_sql(db_url: str) -> Iterator[Callable[..., list[tuple[Any, ...]]]]:
    """Run one SQL statement on the test database in its own transaction, as the owner.

    Bypasses dntui's engine settings: what a person with a SQL shell could do.
    Returns the rows (empty for statements without a result); raises the driver error.
    """
    from datetime import datetime

    from sqlalchemy import DateTime, bindparam, create_engine, event, text

    engine = create_engine(db_url)
    if db_url.startswith("sqlite"):
        # The SQL-shell user who also defines dntui's gate function (guards.py): the guard
        # triggers then compile and refuse with their own messages. Without it, every
        # guarded write fails with "no such function: dntui_path" (tests/security).
        @event.listens_for(engine, "connect")
        def _gate(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
            dbapi_conn.create_function("dntui_path", 0, lambda: 0)

    def run(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
        params = params or {}
        # Datetimes go through SQLAlchemy's DateTime type, as dntui's own columns do,
        # not sqlite3's default adapter (deprecated since Python 3.12).
        stamps = [
            bindparam(k, type_=DateTime()) for k, v in params.items() if isinstance(v, datetime)
        ]
        with engine.begin() as conn:
            result = conn.execute(text(sql).bindparams(*stamps), params)
            return [tuple(r) for r in result.fetchall()] if result.returns_rows else []

    yield run
    engine.dispose()


# ------------------------------------------------------------- the app
@pytest.fixture
def app_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private data and config folders for one test (DNTUI_DATA_DIR, DNTUI_CONFIG_DIR)."""
    monkeypatch.setenv("DNTUI_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DNTUI_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path


@pytest.fixture
def empty_store(app_dirs: Path) -> Iterator[Any]:
    """A new SQLite store in the test's data folder, with nobody in it."""
    from dntui.store.repo import Store

    s = Store.open(f"sqlite:///{app_dirs / 'data' / 'dntui.db'}")
    yield s
    s.close()


@pytest.fixture
def clinic_store(empty_store: Any) -> Any:
    """The same with one practitioner, Dana Reyes, PT, signing PIN 2468 (a 4-digit policy)."""
    empty_store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
    return empty_store


@pytest.fixture(autouse=True, scope="session")
def _private_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep the audit key and anchors of tests that name no config folder out of ~/.config."""
    if os.environ.get("DNTUI_CONFIG_DIR"):
        yield
        return
    os.environ["DNTUI_CONFIG_DIR"] = str(tmp_path_factory.mktemp("config"))
    try:
        yield
    finally:
        os.environ.pop("DNTUI_CONFIG_DIR", None)
