"""Bytes over the wire per keystroke, in a real pseudo-terminal (what an SSH link carries).

Run: ``.venv/bin/python bench/bench_wire.py [--keys 40]``.

dntui starts at 80x24 on a temporary database, opens a new visit's muscle step
(n, F4) and types muscle queries one key at a time (typing, then deleting them);
after each key the script reads until the terminal has been quiet for 150 ms
and counts the bytes. The baseline is the bare Textual app (Header, DataTable,
Footer) with 40 rows, moving its cursor one row per key. Prints a table, then a
JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import BARE_FOOTER, DNTUI_READY, ROOT, make_database, start

QUIET = 0.15
QUERIES = ("upper trap", "levator", "rhomboid", "gastroc")


def drain(fd: int, quiet: float = QUIET, limit: float = 5.0) -> int:
    """Read until nothing arrives for ``quiet`` seconds; return the byte count."""
    total = 0
    end = time.monotonic() + limit
    while time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], quiet)
        if not r:
            break
        try:
            total += len(os.read(fd, 65536))
        except OSError:
            break
    return total


def wait_for(fd: int, mark: bytes, timeout: float = 30) -> None:
    out = b""
    end = time.monotonic() + timeout
    while mark not in out:
        if time.monotonic() > end:
            raise TimeoutError(f"{mark!r} not shown")
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            out += os.read(fd, 65536)


def per_key(
    argv: list[str], env: dict[str, str], ready: bytes, setup: list[str], keys: list[str]
) -> list[int]:
    pid, fd, _ = start(argv, env, (80, 24))
    try:
        wait_for(fd, ready)
        drain(fd, 0.5)
        for k in setup:
            os.write(fd, k.encode())
            drain(fd, 0.4)
        sizes = []
        for k in keys:
            os.write(fd, k.encode())
            sizes.append(drain(fd))
        return sizes
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)


def stats(sizes: list[int]) -> dict[str, float]:
    ordered = sorted(sizes)
    return {
        "median": statistics.median(ordered),
        "p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))],
        "max": ordered[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=40)
    args = parser.parse_args()
    typed: list[str] = []
    for q in QUERIES:
        typed += list(q) + ["\x7f"] * len(q)
    typed = typed[: args.keys]
    with tempfile.TemporaryDirectory() as tmp:
        env = make_database(Path(tmp))
        dntui = per_key(
            ["-m", "dntui", "--practitioner", "Dana Reyes"],
            env,
            DNTUI_READY,
            ["n", "\x1bOS"],
            typed,
        )
        bare_env = {**env, "DNTUI_BENCH_ROWS": "40"}
        bare = per_key(
            [str(ROOT / "bench" / "bare_app.py")],
            bare_env,
            BARE_FOOTER,
            [],
            ["\x1b[B"] * len(typed),
        )
    d, b = stats(dntui), stats(bare)
    print(f"{'bytes per key, 80x24':<34}{'median':>8}{'p95':>8}{'max':>8}")
    print(
        f"{'dntui muscle search (type/delete)':<34}{d['median']:>8.0f}{d['p95']:>8.0f}{d['max']:>8.0f}"
    )
    print(f"{'bare app, cursor down':<34}{b['median']:>8.0f}{b['p95']:>8.0f}{b['max']:>8.0f}")
    print(json.dumps({"keys": len(typed), "dntui_bytes_per_key": d, "baseline_bytes_per_key": b}))


if __name__ == "__main__":
    main()
