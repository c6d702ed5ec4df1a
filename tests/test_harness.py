"""The test harness itself: figures reach the summary with and without pytest-xdist.

tests/conftest.py records figures with ``report_line`` and prints them under
"dntui figures" at the end. Under xdist (on by default) each worker is its own
process: its figures must travel to the controller, or they are lost silently.
These run a small suite with a copy of the conftest in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

CONFTEST = Path(__file__).with_name("conftest.py")
FIGURES = 4


@pytest.fixture
def small_suite(tmp_path: Path) -> Path:
    (tmp_path / "conftest.py").write_text(CONFTEST.read_text("utf-8"), "utf-8")
    (tmp_path / "test_figures.py").write_text(
        textwrap.dedent(
            f"""
            import os

            import pytest


            @pytest.mark.parametrize("n", range({FIGURES}))
            def test_figure(n, report_line):
                report_line(f"figure {{n}} from {{os.environ.get('PYTEST_XDIST_WORKER', 'main')}}")
            """
        ),
        "utf-8",
    )
    return tmp_path


def _run(folder: Path, *args: str) -> str:
    # This test may itself run in an xdist worker: the child must not think it is one.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_XDIST", "PYTEST_CURRENT_TEST", "TEXTUAL_SNAPSHOT"))
    }
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def _figures(out: str) -> list[str]:
    assert "dntui figures" in out, out
    section = out.split("dntui figures", 1)[1]
    return [line for line in section.splitlines() if line.startswith("figure ")]


def test_figures_of_every_worker_reach_the_controllers_summary(small_suite: Path) -> None:
    figures = _figures(_run(small_suite, "-n", "2", "--dist", "load"))
    assert sorted(f.split(" from ")[0] for f in figures) == [f"figure {n}" for n in range(FIGURES)]
    # Both workers ran some: the lines came from two processes, not one.
    assert {f.split(" from ")[1] for f in figures} == {"gw0", "gw1"}, figures


@pytest.mark.parametrize("how", [["-n", "0"], ["-p", "no:xdist"]], ids=["n0", "no-xdist"])
def test_figures_in_one_process(small_suite: Path, how: list[str]) -> None:
    """``-n 0`` and a run without the plugin at all (its hook is optional) still print them."""
    figures = _figures(_run(small_suite, *how))
    assert figures == [f"figure {n} from main" for n in range(FIGURES)]


def _conftest(config: pytest.Config) -> Any:
    """tests/conftest.py as loaded (``import conftest`` may find tests/ui's instead)."""
    for plugin in config.pluginmanager.get_plugins():
        if Path(getattr(plugin, "__file__", None) or "/").resolve() == CONFTEST.resolve():
            return plugin
    raise AssertionError("tests/conftest.py is not loaded")


def test_every_slow_first_prefix_still_names_a_test(pytestconfig: pytest.Config) -> None:
    """A renamed or removed slow test would silently lose its early start."""
    conftest = _conftest(pytestconfig)
    root = CONFTEST.parent.parent
    for prefix in conftest.SLOW_FIRST:
        path, _, name = prefix.partition("::")
        assert (root / path).is_file(), prefix
        function = name.split("[", 1)[0]
        assert not function or f"def {function}" in (root / path).read_text("utf-8"), prefix


def test_slow_tests_are_ordered_first(pytestconfig: pytest.Config) -> None:
    conftest = _conftest(pytestconfig)

    ids = ["tests/test_cli.py::test_a", conftest.SLOW_FIRST[1] + "[7]", conftest.SLOW_FIRST[0]]
    assert sorted(ids, key=conftest._slow_rank) == [ids[2], ids[1], ids[0]]


def _root_conftest(config: pytest.Config) -> Any:
    """tests/conftest.py as loaded by pytest (``import conftest`` may find another one,
    tests/ui/conftest.py, depending on what the worker imported first)."""
    plugins = config.pluginmanager.get_plugins()
    found = [m for m in plugins if getattr(m, "__file__", None) == str(CONFTEST)]
    assert found, "tests/conftest.py is not loaded"
    return found[0]


def test_the_throwaway_cluster_lives_in_memory_when_there_is_room(
    monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    """On a disk mounted with ``discard``, removing the cluster's files at the end of a
    worker took 60-85 s of a loaded run: the cluster goes to /dev/shm when it has room."""
    conftest = _root_conftest(pytestconfig)
    real_statvfs = os.statvfs

    def statvfs_with(free: int) -> Any:
        def fake(path: str) -> Any:
            st = real_statvfs(path)
            return os.statvfs_result((*st[:4], free // st.f_frsize, *st[5:]))

        return fake

    if not os.access("/dev/shm", os.W_OK):
        pytest.skip("no writable /dev/shm on this machine")
    monkeypatch.setattr(os, "statvfs", statvfs_with(conftest.SHM_MIN_FREE))
    assert conftest._cluster_base() == "/dev/shm"
    monkeypatch.setattr(os, "statvfs", statvfs_with(conftest.SHM_MIN_FREE - 1))
    assert conftest._cluster_base() != "/dev/shm"


def test_each_test_database_is_dropped_after_its_test(
    pg_server: Any, pytestconfig: pytest.Config
) -> None:
    """The db_url fixture drops its database afterwards, so the cluster stays small."""
    conftest = _root_conftest(pytestconfig)

    request_param = type(
        "R", (), {"param": "postgresql", "getfixturevalue": lambda s, n: pg_server}
    )()
    gen = conftest.db_url.__wrapped__(request_param, Path("/nonexistent"))  # type: ignore[attr-defined]
    url = next(gen)
    name = url.rsplit("/", 1)[1].split("?")[0]

    def exists() -> bool:
        with conftest.pg_connect(pg_server.admin_url) as conn:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        return row is not None

    assert exists()
    with pytest.raises(StopIteration):
        next(gen)
    assert not exists()


def test_property_tests_have_no_deadline_or_slowness_check() -> None:
    """A loaded machine made Hypothesis fail rules that hold (deadline, too_slow)."""
    from hypothesis import HealthCheck, settings

    assert settings.default.deadline is None
    assert HealthCheck.too_slow in settings.default.suppress_health_check


def test_auto_runs_two_workers_per_core(pytestconfig: pytest.Config) -> None:
    """``-n auto`` (the README command) fills the time tests spend waiting."""
    conftest = _root_conftest(pytestconfig)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert conftest.pytest_xdist_auto_num_workers(pytestconfig) == 2 * (cores or 1)
