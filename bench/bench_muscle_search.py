"""Benchmark dntui.domain.muscles.search over realistic picker queries.

Run: ``.venv/bin/python bench/bench_muscle_search.py [--rounds N]``. Prints a
per-query table, then mean/median/p95 microseconds per query, and as the last
line a JSON object with the same summary (for scripts).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dntui.domain.muscles import CATALOG, search

# What a practitioner types, keystroke by keystroke included: abbreviations,
# prefixes, synonyms, multi-word, typos, nonsense and the empty query.
QUERIES: tuple[str, ...] = (
    "",
    "u",
    "ut",
    "up",
    "upper t",
    "trap",
    "scm",
    "ql",
    "tfl",
    "ecrb",
    "fdl",
    "lev scap",
    "lat dor",
    "glut",
    "gmed",
    "piri",
    "psoas",
    "peron",
    "peroneus longus",
    "fibularis brevis",
    "ham",
    "quad",
    "vmo",
    "infra",
    "infrspn",
    "sclne",
    "gastrc",
    "semimbrns",
    "multifidus",
    "rhomboid major",
    "pec minor",
    "1st di",
    "abductor digiti minimi (foot)",
    "zzzzqx",
    "x",
    "Extensor carpi radialis longus",
)


def run(rounds: int) -> dict[str, float]:
    for q in QUERIES:  # warm up
        search(q)
    per_query: dict[str, list[float]] = {q: [] for q in QUERIES}
    for _ in range(rounds):
        for q in QUERIES:
            t0 = time.perf_counter_ns()
            search(q)
            per_query[q].append((time.perf_counter_ns() - t0) / 1000)
    all_times = sorted(t for ts in per_query.values() for t in ts)

    print(f"{'query':<34} {'hits':>5} {'mean us':>9} {'median us':>10}")
    for q, ts in per_query.items():
        print(
            f"{q!r:<34} {len(search(q)):>5} {statistics.fmean(ts):>9.1f} "
            f"{statistics.median(ts):>10.1f}"
        )
    summary = {
        "catalog_size": len(CATALOG),
        "queries": len(QUERIES),
        "rounds": rounds,
        "mean_us": round(statistics.fmean(all_times), 1),
        "median_us": round(statistics.median(all_times), 1),
        "p95_us": round(all_times[int(0.95 * (len(all_times) - 1))], 1),
        "max_us": round(all_times[-1], 1),
    }
    print(
        f"\n{summary['queries']} queries x {rounds} rounds over {summary['catalog_size']} muscles: "
        f"mean {summary['mean_us']} us, median {summary['median_us']} us, "
        f"p95 {summary['p95_us']} us"
    )
    print(json.dumps(summary))
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    run(parser.parse_args().rounds)


if __name__ == "__main__":
    main()
