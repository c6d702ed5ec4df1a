"""Benchmark cold start in a real pseudo-terminal: dntui against a bare Textual app.

Run: ``.venv/bin/python bench/bench_startup.py [--runs 7]``.

For each terminal size (80x24, 120x40) the script starts, alternately, dntui
(``python -m dntui --practitioner "Dana Reyes"`` on a temporary SQLite database
that already has that practitioner, so no dialog appears) and the baseline
``bench/bare_app.py`` (Header, DataTable, Footer) under ``pty.fork``, and times
from just before the fork to the moment the footer text shows in the terminal
output ("New visit" for dntui, "Baseline ready" for the baseline): the first
screen painted. It also counts the bytes written to the terminal until then and,
for dntui, the time until the database is open and the start screen filled in
("open draft(s)"). The bytes of the first frame are not the whole story (dntui
paints a sparse first frame, then fills the table), so the untimed warm-up run
also counts the bytes written in the first 1.5 s. A first, untimed run of each warms the page cache. Prints a
table of medians, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = ((80, 24), (120, 40))
DNTUI_FOOTER = b"New visit"
DNTUI_READY = b"open draft(s)"
BARE_FOOTER = b"Baseline ready"  # bench/bare_app.py FOOTER_TEXT
TIMEOUT = 30.0
SETTLE = 1.5  # seconds: bytes written in the first 1.5 s, once per app and size


def start(argv: list[str], env: dict[str, str], size: tuple[int, int]) -> tuple[int, int, float]:
    cols, rows = size
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child: size the terminal before the interpreter starts
        try:
            import fcntl

            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execve(sys.executable, [sys.executable, *argv], env)
        finally:
            os._exit(127)
    return pid, fd, t0


def measure(
    argv: list[str],
    env: dict[str, str],
    size: tuple[int, int],
    marks: tuple[bytes, ...],
    linger: float = 0.0,
) -> tuple[list[float], int, int]:
    """Seconds from fork to each mark (in order), the bytes read until the first mark,
    and the bytes read until ``linger`` seconds after the fork (0: until the last mark)."""
    pid, fd, t0 = start(argv, env, size)
    out = bytearray()
    times: list[float] = []
    first_bytes = 0
    try:
        end = t0 + TIMEOUT
        while len(times) < len(marks) or time.perf_counter() < t0 + linger:
            if time.perf_counter() > end:
                raise TimeoutError(f"{marks[len(times)]!r} not shown; got {bytes(out[-400:])!r}")
            r, _, _ = select.select([fd], [], [], 0.05)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                raise RuntimeError(f"the app ended early: {bytes(out[-400:])!r}") from exc
            now = time.perf_counter()
            out += chunk
            while len(times) < len(marks) and marks[len(times)] in out:
                times.append(now - t0)
                if len(times) == 1:
                    first_bytes = len(out)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    return times, first_bytes, len(out)


def make_database(tmp: Path) -> dict[str, str]:
    from dntui.store.repo import Store

    store = Store.open(f"sqlite:///{tmp / 'data' / 'dntui.db'}")
    p = store.add_practitioner("Dana Reyes", "PT", pin="2468", min_pin_length=4)
    store.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    store.close()
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp / "data"),
        "DNTUI_CONFIG_DIR": str(tmp / "config"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    env.pop("TEXTUAL", None)
    env.pop("NO_COLOR", None)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per app and size")
    args = parser.parse_args()
    load_before = os.getloadavg()

    dntui_argv = ["-m", "dntui", "--practitioner", "Dana Reyes"]
    bare_argv = [str(ROOT / "bench" / "bare_app.py")]
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="dntui-bench-") as tmp_name:
        env = make_database(Path(tmp_name))
        for size in SIZES:
            key = f"{size[0]}x{size[1]}"
            # Warm-up runs, untimed; they count the bytes of the first 1.5 s.
            _, _, dn_settled = measure(dntui_argv, env, size, (DNTUI_READY,), linger=SETTLE)
            _, _, bare_settled = measure(bare_argv, env, size, (BARE_FOOTER,), linger=SETTLE)
            dn_paint: list[float] = []
            dn_ready: list[float] = []
            bare_paint: list[float] = []
            dn_bytes: list[int] = []
            bare_bytes: list[int] = []
            for _ in range(args.runs):
                (paint, ready), nbytes, _ = measure(
                    dntui_argv, env, size, (DNTUI_FOOTER, DNTUI_READY)
                )
                dn_paint.append(paint)
                dn_ready.append(ready)
                dn_bytes.append(nbytes)
                (paint,), nbytes, _ = measure(bare_argv, env, size, (BARE_FOOTER,))
                bare_paint.append(paint)
                bare_bytes.append(nbytes)
            results[key] = {
                "dntui_ms": statistics.median(dn_paint) * 1000,
                "dntui_ready_ms": statistics.median(dn_ready) * 1000,
                "baseline_ms": statistics.median(bare_paint) * 1000,
                "dntui_bytes": int(statistics.median(dn_bytes)),
                "baseline_bytes": int(statistics.median(bare_bytes)),
                "dntui_bytes_1500ms": dn_settled,
                "baseline_bytes_1500ms": bare_settled,
                "dntui_spread_ms": (min(dn_paint) * 1000, max(dn_paint) * 1000),
                "baseline_spread_ms": (min(bare_paint) * 1000, max(bare_paint) * 1000),
            }

    print(
        f"median of {args.runs} runs each, pseudo-terminal, truecolor; "
        f"load average before {load_before}, after {os.getloadavg()}"
    )
    print(
        f"{'size':<7} {'dntui ms':>9} {'bare ms':>8} {'ratio':>6} {'dntui KB':>9} "
        f"{'bare KB':>8} {'KB 1.5 s d/b':>13} {'db ready ms':>12} {'dntui min-max':>14} {'bare min-max':>13}"
    )
    for key, r in results.items():
        dn_lo, dn_hi = r["dntui_spread_ms"]  # type: ignore[misc]
        b_lo, b_hi = r["baseline_spread_ms"]  # type: ignore[misc]
        settled = f"{r['dntui_bytes_1500ms'] / 1024:.1f}/{r['baseline_bytes_1500ms'] / 1024:.1f}"  # type: ignore[operator]
        print(
            f"{key:<7} {r['dntui_ms']:>9.0f} {r['baseline_ms']:>8.0f} "
            f"{r['dntui_ms'] / r['baseline_ms']:>6.2f} "  # type: ignore[operator]
            f"{r['dntui_bytes'] / 1024:>9.1f} {r['baseline_bytes'] / 1024:>8.1f} "  # type: ignore[operator]
            f"{settled:>13} "
            f"{r['dntui_ready_ms']:>12.0f} {f'{dn_lo:.0f}-{dn_hi:.0f}':>14} "
            f"{f'{b_lo:.0f}-{b_hi:.0f}':>13}"
        )
    summary = {
        "startup_ms": {k: round(r["dntui_ms"], 1) for k, r in results.items()},  # type: ignore[arg-type]
        "baseline_ms": {k: round(r["baseline_ms"], 1) for k, r in results.items()},  # type: ignore[arg-type]
        "ratio": {
            k: round(r["dntui_ms"] / r["baseline_ms"], 3)  # type: ignore[operator]
            for k, r in results.items()
        },
        "bytes": {
            k: {
                "dntui": r["dntui_bytes"],
                "baseline": r["baseline_bytes"],
                "dntui_first_1500ms": r["dntui_bytes_1500ms"],
                "baseline_first_1500ms": r["baseline_bytes_1500ms"],
            }
            for k, r in results.items()
        },
        "db_ready_ms": {k: round(r["dntui_ready_ms"], 1) for k, r in results.items()},  # type: ignore[arg-type]
        "runs": args.runs,
    }
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
