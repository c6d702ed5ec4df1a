"""The whole test suite, several times in a row, with CPU-burning processes beside it.

Issue 16's bar for the suite: 0 failures in 3 consecutive runs with two processes
burning a CPU each beside it (on a 2-core machine, the suite then gets about half
of it), and the whole suite in at most 3 minutes on a quiet machine (``--burners 0``).

    .venv/bin/python bench/suite_under_load.py [--runs 3] [--burners 2] [-- PYTEST ARGS]

Each run is the README's test command's pytest (``python -m pytest -q``, parallel by
the configuration in pyproject.toml) from the repository's root. Prints a table (wall
time, passed/failed counts, load average before and after each run), then one JSON
line; exits 1 when any run failed. The burners are this script's own children
(``python -c "while True: pass"``) and are stopped by their process ids at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTS = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def start_burners(n: int) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen([sys.executable, "-c", "while True: pass"], stdin=subprocess.DEVNULL)
        for _ in range(n)
    ]


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        p.wait()


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def one_run(args: list[str], log: Path) -> dict[str, object]:
    before = load()
    started = time.monotonic()
    with log.open("wb") as out:
        rc = subprocess.call(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    wall = time.monotonic() - started
    tail = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
    counts = {k.rstrip("s"): int(v) for v, k in COUNTS.findall(tail[0])}
    return {
        "rc": rc,
        "wall_s": round(wall, 1),
        "counts": counts,
        "load_before": before,
        "load_after": load(),
        "log": str(log),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--burners", type=int, default=2, help="CPU-burning processes beside it")
    parser.add_argument("--logs", type=Path, default=Path("/tmp"), help="folder for run logs")
    parser.add_argument("pytest_args", nargs="*", help="after --: extra pytest arguments")
    opts = parser.parse_args()

    burners = start_burners(opts.burners)
    results = []
    try:
        for i in range(1, opts.runs + 1):
            log = opts.logs / f"dntui-suite-run-{os.getpid()}-{i}.log"
            r = one_run(opts.pytest_args, log)
            results.append(r)
            print(
                f"run {i}: rc {r['rc']}, {r['wall_s']:.0f} s, {r['counts']}, load "
                f"{r['load_before']} -> {r['load_after']} ({log})",
                flush=True,
            )
    finally:
        stop(burners)

    print(f"\n{os.cpu_count()} CPUs, {opts.burners} burner(s) beside the suite")
    print("| run | wall | passed | failed | errors | load avg before | load avg after |")
    print("|---|---|---|---|---|---|---|")
    for i, r in enumerate(results, 1):
        c = r["counts"]
        assert isinstance(c, dict)
        print(
            f"| {i} | {r['wall_s']:.0f} s | {c.get('passed', 0)} | {c.get('failed', 0)} | "
            f"{c.get('error', 0)} | {r['load_before']} | {r['load_after']} |"
        )
    print(json.dumps({"cpus": os.cpu_count(), "burners": opts.burners, "runs": results}))
    sys.exit(0 if all(r["rc"] == 0 for r in results) else 1)


if __name__ == "__main__":
    main()
