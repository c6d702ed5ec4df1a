"""Benchmark hangups: SIGHUP, SIGTERM and SIGKILL to the real app, with and without a busy writer.

Run: ``.venv/bin/python bench/bench_hangup.py [--cycles 100] [--only plain|busy]``.

Each cycle starts ``python -m dntui --practitioner "Dana Reyes"`` in a real
pseudo-terminal (80x24) on a fresh copy of a small SQLite database, logs a visit
the way a person does (new visit, patient "ada", Enter, F4, ``ut⏎rhom⏎``), and
as soon as the second muscle is drawn sends the cycle's signal, rotating
SIGHUP, SIGTERM, SIGKILL. SIGKILL gives the app no chance to save, so it is
sent one second after the last key (the autosave debounce is 0.5 s): the
figure is whether the autosave had the visit. Then:

- **exit latency**: signal sent to the process reaped (``waitpid``); a process
  still running after 20 s is counted as "no exit" and killed;
- **loss**: the visit is lost when neither the database's latest draft nor a
  local backup file (``data/drafts/*.json``) holds both muscles.

"Busy writer" runs the same cycles while another process holds the SQLite write
lock (``BEGIN IMMEDIATE``, held 3 s, released 50 ms, again), started once the
start screen is drawn: the app's own writes wait for it. Prints a table
(p50/p95 exit latency per signal and condition, losses), then one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pty_support import PtyApp  # noqa: E402

F4 = "\x1bOS"
SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL)
EXPECTED = ["upper-trapezius", "rhomboid-major"]
EXIT_CAP = 20.0
BUSY_WRITER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], timeout=60, isolation_level=None)
while True:
    con.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(3.0)
    con.execute("COMMIT")
    time.sleep(0.05)
"""


def make_template(folder: Path) -> Path:
    from dntui.store.repo import Store

    db = folder / "template.db"
    store = Store.open(f"sqlite:///{db}")
    p = store.add_practitioner("Dana Reyes", "PT", pin="246810")
    store.add_patient("Ada Park", date(1980, 1, 2), actor=p)
    store.close()
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return db


def saved_muscles(data: Path) -> list[str]:
    """The muscles of the visit as saved: the database's newest draft, else a backup file."""
    found: list[str] = []
    with contextlib.suppress(sqlite3.Error):
        con = sqlite3.connect(data / "dntui.db", timeout=10)
        row = con.execute("SELECT draft_json FROM visit ORDER BY id DESC LIMIT 1").fetchone()
        con.close()
        if row:
            found = [m["muscle_id"] for m in json.loads(row[0])["muscles"]]
    if found == EXPECTED:
        return found
    for path in sorted((data / "drafts").glob("*.json")):
        with contextlib.suppress(OSError, ValueError, KeyError):
            muscles = [m["muscle_id"] for m in json.loads(path.read_text())["muscles"]]
            if muscles == EXPECTED:
                return muscles
    return found


def cycle(template: Path, work: Path, sig: int, busy: bool) -> dict[str, object]:
    data = work / "data"
    shutil.rmtree(work, ignore_errors=True)
    data.mkdir(parents=True)
    os.chmod(data, 0o700)
    shutil.copy(template, data / "dntui.db")
    env = {
        **os.environ,
        "DNTUI_DATA_DIR": str(data),
        "DNTUI_CONFIG_DIR": str(work / "config"),
        "TERM": "xterm-256color",
    }
    writer: subprocess.Popen[str] | None = None
    app = PtyApp(["--practitioner", "Dana Reyes"], env)
    result: dict[str, object] = {"signal": signal.Signals(sig).name, "busy": busy}
    try:
        app.wait_for(b"open draft(s)", timeout=60)
        if busy:
            writer = subprocess.Popen(
                [sys.executable, "-c", BUSY_WRITER, str(data / "dntui.db")],
                stdout=subprocess.PIPE,
                text=True,
            )
            assert writer.stdout is not None
            writer.stdout.readline()  # the lock is held
        app.write("n")
        app.wait_for(b"Find patient", timeout=60)
        mark = len(app.output)
        app.write("ada")
        app.wait_for(b"Ada Park", timeout=60, start=mark)
        app.write("\r")
        app.wait_for(b"Patient:", timeout=60, start=mark)
        mark = len(app.output)
        app.write(F4)
        app.wait_for(b"Search muscles", timeout=60, start=mark)
        app.write("ut\rrhom\r")
        app.wait_for(b"Chosen muscles: 2", timeout=60, start=mark)
        if sig == signal.SIGKILL:
            app.read_for(1.0)
        sent = time.monotonic()
        os.kill(app.pid, sig)
        status = app.wait_exit(EXIT_CAP)
        result["exit_s"] = time.monotonic() - sent if status is not None else None
    except AssertionError as exc:
        result["error"] = str(exc)[:120]
    finally:
        app.kill()
        if writer is not None:
            writer.kill()
            writer.wait()
    result["lost"] = saved_muscles(data) != EXPECTED
    return result


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=100, help="cycles per condition")
    ap.add_argument("--only", choices=("plain", "busy"), help="one condition only")
    args = ap.parse_args()
    conditions = [c == "busy" for c in ("plain", "busy") if args.only in (None, c)]
    results: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="dntui-bench-hangup-") as tmp:
        template = make_template(Path(tmp))
        for busy in conditions:
            for i in range(args.cycles):
                r = cycle(template, Path(tmp) / "cycle", SIGNALS[i % 3], busy)
                results.append(r)
                print(
                    f"{'busy ' if busy else 'plain'} {i + 1:3}/{args.cycles} {r['signal']:<7} "
                    f"exit {r.get('exit_s') or float('nan'):.3f}s lost={r['lost']}"
                    + (f" error={r['error']}" if "error" in r else ""),
                    file=sys.stderr,
                    flush=True,
                )
    summary = []
    print(f"load average at the end: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    print(
        f"{'condition':<12}{'signal':<9}{'runs':>5}{'p50 s':>8}{'p95 s':>8}{'max s':>8}"
        f"{'no exit':>9}{'lost':>6}{'errors':>8}"
    )
    for busy in conditions:
        for sig in SIGNALS:
            rows = [r for r in results if r["busy"] == busy and r["signal"] == sig.name]
            exits = [float(r["exit_s"]) for r in rows if r.get("exit_s") is not None]  # type: ignore[arg-type]
            line = {
                "condition": "busy writer" if busy else "plain",
                "signal": sig.name,
                "runs": len(rows),
                "p50_s": round(statistics.median(exits), 3) if exits else None,
                "p95_s": round(pct(exits, 0.95), 3) if exits else None,
                "max_s": round(max(exits), 3) if exits else None,
                "no_exit": sum(1 for r in rows if r.get("exit_s") is None and "error" not in r),
                "lost": sum(1 for r in rows if r["lost"]),
                "errors": sum(1 for r in rows if "error" in r),
            }
            summary.append(line)
            print(
                f"{line['condition']:<12}{sig.name:<9}{line['runs']:>5}"
                f"{line['p50_s'] if line['p50_s'] is not None else '-':>8}"
                f"{line['p95_s'] if line['p95_s'] is not None else '-':>8}"
                f"{line['max_s'] if line['max_s'] is not None else '-':>8}"
                f"{line['no_exit']:>9}{line['lost']:>6}{line['errors']:>8}"
            )
    print(json.dumps({"bench": "hangup", "cycles": args.cycles, "results": summary}))


if __name__ == "__main__":
    main()
