"""Bytes over the wire per keystroke, in a real pseudo-terminal (what an SSH link carries).

Run: ``.venv/bin/python bench/bench_wire.py [--keys 40]``.

dntui starts at 80x24 on a temporary database, opens a new visit's muscle step
(n, F4) and types muscle queries one key at a time (typing, then deleting them);
after each key the script reads until the terminal has been quiet for 150 ms
and counts the bytes. Then a whole visit (``VISIT``: patient, screening, consent,
two muscles, needles out, aftercare, signing with the PIN) is typed at 80x24 and
its bytes counted from the first key until the terminal is quiet after signing;
the script checks the database that the visit is signed. The baseline is the bare Textual app (Header, DataTable,
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
F3, F4, F5, F6, F9 = "\x1bOR", "\x1bOS", "\x1b[15~", "\x1b[17~", "\x1b[20~"
NEW_VISIT = b"Find patient:"  # the patient step's search box
#: A whole visit from the start screen to signed, as a practitioner types it: (keys,
#: what to wait for, or b"" to wait until the terminal is quiet).
VISIT: tuple[tuple[str, bytes], ...] = (
    ("n", NEW_VISIT),
    ("ada", b"Ada Park"),
    ("\r", b"Patient:"),
    (F3, b""),
    ("0", b""),  # screening: every item no
    ("c", b""),  # consent
    ("\r", b""),
    (F4, b"Search muscles"),
    ("ut\r", b""),
    ("lev scap\r", b""),
    (F9, b""),  # all needles out
    (F5, b""),  # aftercare
    (F6, b""),
    ("s", b"PIN"),
    ("246810\r", b""),
)


def visit_bytes(env: dict[str, str], db: Path) -> tuple[int, int, bool]:
    """Bytes written from the first key of a whole visit until quiet after signing,
    the keys typed, and whether the visit is signed in the database."""
    import sqlite3

    def signed() -> int:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM visit WHERE status = 'signed'").fetchone()[0]

    before = signed()
    pid, fd, _ = start(["-m", "dntui", "--practitioner", "Dana Reyes"], env, (80, 24))
    total = keys = 0
    try:
        wait_for(fd, DNTUI_READY)
        drain(fd, 0.5)
        for k, mark in VISIT:
            os.write(fd, k.encode())
            keys += len(k)
            if mark:
                total += wait_for(fd, mark)
            total += drain(fd, 0.5)
        total += drain(fd, 1.0)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    return total, keys, signed() > before


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


def wait_for(fd: int, mark: bytes, timeout: float = 30) -> int:
    """Read until ``mark`` shows; return the bytes read."""
    out = b""
    end = time.monotonic() + timeout
    while mark not in out:
        if time.monotonic() > end:
            raise TimeoutError(f"{mark!r} not shown")
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            out += os.read(fd, 65536)
    return len(out)


def per_key(
    argv: list[str],
    env: dict[str, str],
    ready: bytes,
    setup: list[tuple[str, bytes]],
    keys: list[str],
) -> list[int]:
    pid, fd, _ = start(argv, env, (80, 24))
    try:
        wait_for(fd, ready)
        drain(fd, 0.5)
        for k, mark in setup:  # each setup key waits for what it opens
            os.write(fd, k.encode())
            wait_for(fd, mark)
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
            [("n", NEW_VISIT), (F4, b"Search muscles")],
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
        visit_total, visit_keys, visit_signed = visit_bytes(env, Path(tmp) / "data" / "dntui.db")
    d, b = stats(dntui), stats(bare)
    print(f"{'bytes per key, 80x24':<34}{'median':>8}{'p95':>8}{'max':>8}")
    print(
        f"{'dntui muscle search (type/delete)':<34}{d['median']:>8.0f}{d['p95']:>8.0f}{d['max']:>8.0f}"
    )
    print(f"{'bare app, cursor down':<34}{b['median']:>8.0f}{b['p95']:>8.0f}{b['max']:>8.0f}")
    print(
        f"whole visit (patient, screening, consent, 2 muscles, aftercare, sign): "
        f"{visit_total / 1024:.1f} KB for {visit_keys} keys, signed: {visit_signed}"
    )
    print(
        json.dumps(
            {
                "keys": len(typed),
                "dntui_bytes_per_key": d,
                "baseline_bytes_per_key": b,
                "visit_bytes": visit_total,
                "visit_keys": visit_keys,
                "visit_signed": visit_signed,
            }
        )
    )


if __name__ == "__main__":
    main()
