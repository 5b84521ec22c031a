"""`bench/classify.py` for several checkouts, interleaved, with the median of each.

Run: ``.venv/bin/python bench/classify_side_by_side.py [--repeats N] [--rounds N] NAME=PATH …``,
where PATH is a checkout (a `git worktree`) and ``.`` this one; each is run ``--repeats`` times,
in a rotating order (A B C, B C A, C A B, …), so that a machine that speeds up or slows down in
the middle of the run (a shared machine does) weighs on each alike. Every run reads the same input
(this checkout's `training/`) with its checkout's code and model, as ``PYTHONPATH=PATH
.venv/bin/python bench/classify.py`` does. Printed: each run's rate and its ratio to the bare
JSON loop, then per checkout the median rate and the median ratio (classify time over bare JSON
time, lower is better).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_LAST_LINE = re.compile(r"classify_vs_json_ratio=([\d.]+) classify_reports_per_s=(\d+)")


def run_once(path: Path, rounds: int) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(path))
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "classify.py"), "--rounds", str(rounds)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = _LAST_LINE.search(out.strip().splitlines()[-1])
    if found is None:
        raise SystemExit(f"bench/classify.py printed no result for {path}:\n{out}")
    return float(found.group(1)), int(found.group(2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", nargs="+", metavar="NAME=PATH")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    named = [c.split("=", 1) for c in args.checkouts]
    if any(len(pair) != 2 for pair in named):
        raise SystemExit("give each checkout as NAME=PATH, e.g. head=. old=/tmp/wt-old")
    results: dict[str, list[tuple[float, int]]] = {name: [] for name, _ in named}
    for repeat in range(args.repeats):
        turn = named[repeat % len(named) :] + named[: repeat % len(named)]
        for name, path in turn:
            ratio, rate = run_once(Path(path).resolve(), args.rounds)
            results[name].append((ratio, rate))
            print(f"run {repeat + 1} {name}: {rate:,} reports/s, ratio {ratio}", flush=True)
    for name, runs in results.items():
        median_ratio = statistics.median(r for r, _ in runs)
        median_rate = statistics.median(n for _, n in runs)
        print(f"{name}: median {median_rate:,.0f} reports/s, median ratio {median_ratio}")


if __name__ == "__main__":
    main()
