"""Footprint: peak memory of the running app against a bare Textual app; installed size.

Run: ``.venv/bin/python bench/bench_footprint.py [--venv]``.

Each app runs in a pseudo-terminal at 80x24 until its first screen is filled and
has settled (dntui: the database open and the start screen listed), then its
peak resident memory (VmHWM) is read from /proc. ``--venv`` also builds a fresh
virtual environment, installs dntui (not editable, default extras only) and
reports its size without pip and setuptools (needs the package index).
Prints a table, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import BARE_FOOTER, DNTUI_READY, ROOT, make_database, start

SETTLE = 1.0
RUNS = 3


def peak_rss_kb(argv: list[str], env: dict[str, str], mark: bytes) -> int:
    pid, fd, t0 = start(argv, env, (80, 24))
    out = bytearray()
    try:
        while mark not in out:
            if time.perf_counter() - t0 > 30:
                raise TimeoutError(f"{mark!r} not shown")
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                out += os.read(fd, 65536)
        end = time.perf_counter() + SETTLE
        while time.perf_counter() < end:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                out += os.read(fd, 65536)
        status = Path(f"/proc/{pid}/status").read_text()
        return int(
            next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))
        )
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def venv_size_mb() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        venv = Path(tmp) / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "-q", str(ROOT)], check=True, capture_output=True
        )
        site = next((venv / "lib").glob("python*/site-packages"))
        for name in ("pip", "setuptools", "_distutils_hack"):
            for p in site.glob(f"{name}*"):
                shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink()
        return dir_size(venv) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", action="store_true", help="also measure a fresh install")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = make_database(Path(tmp))
        dntui = [
            peak_rss_kb(["-m", "dntui", "--practitioner", "Dana Reyes"], env, DNTUI_READY)
            for _ in range(RUNS)
        ]
        bare = [
            peak_rss_kb([str(ROOT / "bench" / "bare_app.py")], env, BARE_FOOTER)
            for _ in range(RUNS)
        ]
    d, b = statistics.median(dntui) / 1024, statistics.median(bare) / 1024
    result: dict[str, object] = {
        "peak_rss_mb": round(d, 1),
        "baseline_peak_rss_mb": round(b, 1),
        "ratio": round(d / b, 2),
    }
    print(f"{'what':<32}{'dntui':>10}{'bare':>10}{'ratio':>8}")
    print(f"{'peak RSS, 80x24 (MB)':<32}{d:>10.1f}{b:>10.1f}{d / b:>8.2f}")
    if args.venv:
        size = venv_size_mb()
        result["venv_mb"] = round(size, 1)
        print(f"{'fresh venv without pip (MB)':<32}{size:>10.1f}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
