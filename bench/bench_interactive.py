"""Time to interactive, startup bytes and peak memory, against a bare Textual app in the same run.

Run: ``.venv/bin/python bench/bench_interactive.py [--runs 5] [--sizes 120x40,80x24]``.

"Interactive" is the first screen a person can act on, detected in a real
pseudo-terminal by its text:

- ``list``: ``dntui --practitioner "Dana Reyes"`` on a SQLite database with two
  practitioners: today's list filled (the row of today's draft, "Ada Park"; the
  status line's counts, "open draft(s)", follow once the store is open, and that
  time is reported too as ``ready``);
- ``picker``: ``dntui`` on the same database: the practitioner picker shown
  ("Who is logging visits?");
- ``demo``: ``dntui --demo`` on an existing demo database: the picker;
- ``demo-first``: ``dntui --demo`` on a fresh data folder each run (migrations and
  seeding): the picker;
- with ``--pg-url URL`` (or ``DNTUI_BENCH_PG_URL``, an empty PostgreSQL database):
  ``pg-list`` and ``pg-picker``, the same on PostgreSQL (no quick path there: the
  store opens first);

and ``bare``: ``bench/bare_app.py`` (Header, DataTable, Footer), its first frame
("Baseline ready"). The five are started in turn, ``--runs`` times, so each ratio
compares figures from the same minutes of a busy machine. For each run the script
records the time from fork to the mark, the bytes written until then and within
``--window`` seconds, and the peak resident memory (VmHWM) at the end of the
window. Then it times the large imports with ``python -X importtime`` and their
memory (max RSS after ``import X`` less a bare interpreter's), medians of three.
Prints tables, then a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_startup import BARE_FOOTER, ROOT, start

PICKER = b"Who is logging visits?"
LIST = b"Ada Park"  # the row of today's draft (the status line counts once the store is open)
READY = b"open draft(s)"
IMPORTS = (
    "textual.app",
    "dntui.app",
    "sqlalchemy",
    "sqlmodel",
    "dntui.store.repo",
    "alembic.command",
    "dntui.domain.record",
    "dntui.domain.icd10",
)


def run_once(
    argv: list[str],
    env: dict[str, str],
    size: tuple[int, int],
    mark: bytes,
    window: float,
    ready: bytes = b"",
) -> dict[str, float]:
    """Fork the app in a pty; time to ``mark`` (and to ``ready``, the store open); bytes
    until ``mark`` and in ``window`` s; VmHWM at the end of the window."""
    pid, fd, t0 = start(argv, env, size)
    out = bytearray()
    tti = 0.0
    tti_bytes = 0
    ready_at = 0.0
    try:
        end = t0 + max(window, 60.0)
        while True:
            now = time.perf_counter()
            if tti and (ready_at or not ready) and now >= t0 + window:
                break
            if now > end:
                raise TimeoutError(f"{mark!r} not shown; got {bytes(out[-400:])!r}")
            r, _, _ = select.select([fd], [], [], 0.02)
            if not r:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError as exc:
                raise RuntimeError(f"the app ended early: {bytes(out[-400:])!r}") from exc
            out += chunk
            if not tti and mark in out:
                tti = time.perf_counter() - t0
                tti_bytes = len(out)
            if ready and not ready_at and ready in out:
                ready_at = time.perf_counter() - t0
        status = Path(f"/proc/{pid}/status").read_text()
        hwm = int(next(x.split()[1] for x in status.splitlines() if x.startswith("VmHWM")))
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(fd)
    return {
        "ms": tti * 1000,
        "ready_ms": (ready_at or tti) * 1000,
        "bytes": tti_bytes,
        "window_bytes": len(out),
        "rss_mb": hwm / 1024,
    }


def base_env(tmp: Path, name: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(tmp / name / "data"),
        "DNTUI_CONFIG_DIR": str(tmp / name / "config"),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    for k in ("TEXTUAL", "NO_COLOR", "DNTUI_DATABASE_URL"):
        env.pop(k, None)
    return env


def make_clinic(tmp: Path, url: str = "") -> dict[str, str]:
    """Two practitioners, one patient, a visit today: the 'list' and 'picker' database
    (SQLite in ``tmp``, or the empty database at ``url``)."""
    from dntui.domain.visit import PatientInfo, PractitionerInfo, VisitDraft
    from dntui.store.repo import Store

    env = base_env(tmp, "clinic")
    os.environ["DNTUI_CONFIG_DIR"] = env["DNTUI_CONFIG_DIR"]
    store = Store.open(url or f"sqlite:///{tmp / 'clinic' / 'data' / 'dntui.db'}")
    dana = store.add_practitioner("Dana Reyes", "PT", pin="246810")
    store.add_practitioner("Samuel Okafor", "DC", pin="246810")
    ada = store.add_patient("Ada Park", date(1980, 1, 2), actor=dana)
    draft = VisitDraft(
        visit_date=date.today(),
        practitioner=PractitionerInfo(dana.id, dana.name, dana.credentials, False, False),
        patient=PatientInfo(ada.id, ada.name, ada.date_of_birth, ada.chart_no),
    )
    store.save_draft(draft, actor=dana)
    store.close()
    return env


def import_costs(rounds: int = 3) -> dict[str, dict[str, float]]:
    """Cumulative import time (ms, -X importtime) and extra peak RSS (MB, VmHWM) of each module."""

    def rss(code: str) -> float:
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forked parent.
                code + "\nimport pathlib\nprint(pathlib.Path('/proc/self/status').read_text())",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        return int(next(x.split()[1] for x in out.splitlines() if x.startswith("VmHWM"))) / 1024

    bare = statistics.median(rss("") for _ in range(rounds))
    result: dict[str, dict[str, float]] = {}
    for mod in IMPORTS:
        times = []
        for _ in range(rounds):
            err = subprocess.run(
                [sys.executable, "-X", "importtime", "-c", f"import {mod}"],
                capture_output=True,
                text=True,
                check=True,
            ).stderr
            top = re.search(rf"\|\s*(\d+) \| {re.escape(mod)}$", err, re.M)
            times.append(int(top.group(1)) / 1000 if top else float("nan"))
        mem = statistics.median(rss(f"import {mod}") for _ in range(rounds)) - bare
        result[mod] = {"ms": statistics.median(times), "rss_mb": mem}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="120x40,80x24")
    parser.add_argument("--window", type=float, default=3.0, help="seconds of bytes and memory")
    parser.add_argument("--no-imports", action="store_true", help="skip the import table")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("DNTUI_BENCH_PG_URL", ""),
        help="an empty PostgreSQL database: adds the pg-list and pg-picker cases",
    )
    args = parser.parse_args()
    sizes = [tuple(int(v) for v in s.split("x")) for s in args.sizes.split(",")]
    load_before = os.getloadavg()
    results: dict[str, dict[str, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="dntui-tti-") as tmp_name:
        tmp = Path(tmp_name)
        clinic = make_clinic(tmp)
        demo = base_env(tmp, "demo")
        dntui = ["-m", "dntui"]
        cases: dict[str, tuple[list[str], dict[str, str], bytes, bytes]] = {
            "bare": ([str(ROOT / "bench" / "bare_app.py")], clinic, BARE_FOOTER, b""),
            "list": ([*dntui, "--practitioner", "Dana Reyes"], clinic, LIST, READY),
            "picker": (dntui, clinic, PICKER, b""),
            "demo": ([*dntui, "--demo"], demo, PICKER, b""),
        }
        if args.pg_url:
            make_clinic(tmp, args.pg_url)
            pg = [*dntui, "--db", args.pg_url]
            cases["pg-list"] = ([*pg, "--practitioner", "Dana Reyes"], clinic, LIST, READY)
            cases["pg-picker"] = (pg, clinic, PICKER, b"")
        for size in sizes:
            key = f"{size[0]}x{size[1]}"
            samples: dict[str, list[dict[str, float]]] = {name: [] for name in cases}
            samples["demo-first"] = []
            for argv, env, mark, _ in cases.values():  # warm-up, untimed (seeds the demo)
                run_once(argv, env, size, mark, 0.5)
            for i in range(args.runs):
                for name, (argv, env, mark, ready) in cases.items():
                    samples[name].append(run_once(argv, env, size, mark, args.window, ready))
                first = base_env(tmp, f"first-{key}-{i}")
                samples["demo-first"].append(
                    run_once([*dntui, "--demo"], first, size, PICKER, args.window)
                )
            results[key] = {
                name: {
                    field: statistics.median(s[field] for s in runs)
                    for field in ("ms", "ready_ms", "bytes", "window_bytes", "rss_mb")
                }
                | {"min_ms": min(s["ms"] for s in runs), "max_ms": max(s["ms"] for s in runs)}
                for name, runs in samples.items()
            }
    imports = {} if args.no_imports else import_costs()

    print(
        f"median of {args.runs} runs, pseudo-terminal, truecolor, bytes and memory over "
        f"{args.window:.1f} s; load average before {load_before}, after {os.getloadavg()}"
    )
    print(
        f"{'size':<8}{'case':<12}{'ms':>7}{'x bare':>8}{'min-max':>12}{'ready ms':>9}{'KB to mark':>11}"
        f"{'KB window':>10}{'x bare':>8}{'RSS MB':>8}{'x bare':>8}"
    )
    for key, r in results.items():
        b = r["bare"]
        for name, m in r.items():
            spread = f"{m['min_ms']:.0f}-{m['max_ms']:.0f}"
            print(
                f"{key:<8}{name:<12}{m['ms']:>7.0f}{m['ms'] / b['ms']:>8.2f}"
                f"{spread:>12}{m['ready_ms']:>9.0f}{m['bytes'] / 1024:>11.1f}"
                f"{m['window_bytes'] / 1024:>10.1f}{m['window_bytes'] / b['window_bytes']:>8.2f}"
                f"{m['rss_mb']:>8.1f}{m['rss_mb'] / b['rss_mb']:>8.2f}"
            )
    if imports:
        print(f"{'import':<24}{'ms':>8}{'RSS MB':>8}")
        for mod, c in imports.items():
            print(f"{mod:<24}{c['ms']:>8.0f}{c['rss_mb']:>8.1f}")
    print(
        json.dumps(
            {
                "runs": args.runs,
                "window_s": args.window,
                "load": [load_before, os.getloadavg()],
                "results": results,
                "imports": imports,
            }
        )
    )


if __name__ == "__main__":
    main()
