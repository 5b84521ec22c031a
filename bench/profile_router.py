"""Where the router's CPU goes per report: `grid-router run` sampled by py-spy.

Produces N reports (as `bench/throughput.py` does), starts `grid-router run` exactly as deployed,
attaches `py-spy record --subprocesses` (the relay's child process, if any, included) and
stops sampling once every work order is on Kafka. Samples count CPU only (py-spy leaves idle
threads out), so `samples / rate / N` is the CPU each report cost, per step:

    .venv/bin/pip install py-spy
    .venv/bin/python bench/profile_router.py --n 30000          # table of µs per report
    .venv/bin/python bench/profile_router.py --n 30000 --top 25 # and the hottest functions

Prints one table (process, step, µs of CPU per report, share) and, last,
`router_cpu_us_per_report=<x>` (every process of `grid-router run` together).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from pathlib import Path

# Run as a script, bench/ is on the path: the throughput benchmark's helpers are shared.
from common import bench_broker, fresh_settings
from throughput import last_create_time, produce_reports

from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.settings import Settings

# Steps, first match wins: (label, substrings of a sampled stack, any of which places it there).
# Checked from the most specific; a stack is the whole call chain, root first.
STEPS: list[tuple[str, tuple[str, ...]]] = [
    ("relay: read pending rows", ("pending (grid_router/adapters/db/uow.py",)),
    ("relay: delete acknowledged rows", ("mark_sent (",)),
    ("publish: producer.send (records appended)", ("send (kafka/producer/kafka.py",)),
    ("publish: producer I/O thread", ("kafka/producer/sender.py",)),
    ("publish: other", ("publish (grid_router/", "_publish", "sweep_outbox")),
    ("consume: poll (fetch, parse records)", ("poll (kafka/consumer/group.py",)),
    ("consume: to InboundMessage", ("to_inbound",)),
    ("prepare: decode Avro report", ("decode_report",)),
    ("prepare: classify", ("classify (grid_router/domain/classify.py", "classify_many (grid_")),
    ("prepare: locate", ("locate (grid_router/domain/org.py",)),
    ("prepare: route, grade, decide", ("decide (grid_router/domain/filing.py",)),
    ("prepare: start SLA clocks", ("with_clocks",)),
    ("prepare: encode messages", ("change_messages",)),
    ("prepare: other", ("prepare (grid_router/service/router.py",)),
    ("write: commit (fsync)", ("commit (sqlalchemy", "commit (grid_router/adapters/db/uow.py")),
    ("write: merge/burst/inbox queries", ("_merge_repeats", "_detect_bursts", "seen (grid_")),
    ("write: rows to the driver", ("_insert (grid_router", "record_inbox", "add_outbox")),
    ("write: other", ("write (grid_router/service/router.py",)),
    ("observe: logs and metrics", ("_observe (",)),
    ("SLA scheduler", ("scheduler.py",)),
    ("kafka client background (heartbeat, metadata)", ("kafka/",)),
]


def classify_stack(stack: str) -> str:
    for label, needles in STEPS:
        if any(n in stack for n in needles):
            return label
    return "other"


def parse_raw(path: Path) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """py-spy's raw (collapsed) output → samples per (process, step), and per leaf function."""
    steps: Counter[tuple[str, str]] = Counter()
    leaves: Counter[str] = Counter()
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        # With --subprocesses a child's stack starts with its parent's process frame, then its
        # own: the relay's child process is named by its module.
        processes = [f for f in frames if f.startswith("process ")]
        proc = "relay process" if "relay_process" in processes[-1] else "router process"
        steps[(proc, classify_stack(stack))] += n
        leaves[frames[-1]] += n
    return steps, leaves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--top", type=int, default=15, help="hottest leaf functions to show")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--keep", type=Path, default=None, help="copy py-spy's raw output here")
    args = parser.parse_args()
    py_spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(py_spy).exists():
        raise SystemExit("py-spy is not installed: .venv/bin/pip install py-spy")

    base = Settings()
    bootstrap = bench_broker(base)
    prefix = f"prof-{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    create_topics(bootstrap, topics, args.partitions)
    with tempfile.TemporaryDirectory(prefix="grid-prof-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'prof.db'}"
        settings = fresh_settings(base, bootstrap, url, prefix)
        app = App(settings)
        print(f"producing {args.n} reports…", flush=True)
        produce_reports(bootstrap, topics, args.n, app)
        from grid_router.entrypoints.relay_process import settings_env

        raw = Path(tmp) / "profile.txt"
        start = time.time()
        router = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=settings_env(app.settings),
            stderr=subprocess.DEVNULL,
        )
        spy = subprocess.Popen(
            [py_spy, "record", "--pid", str(router.pid), "--subprocesses", "--format", "raw",
             "--rate", str(args.rate), "--output", str(raw), "--nonblocking"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            end, _ = last_create_time(bootstrap, [topics.dispatch(lv) for lv in Level], args.n)
        finally:
            spy.send_signal(signal.SIGINT)
            spy.wait(timeout=120)
            router.send_signal(signal.SIGTERM)
            router.wait(timeout=120)
        app.close()
        if not raw.exists():
            err = spy.stderr.read().decode() if spy.stderr else ""
            raise SystemExit(f"py-spy wrote nothing: {err}")
        if args.keep:
            shutil.copy(raw, args.keep)
        steps, leaves = parse_raw(raw)
    delete_topics(bootstrap, topics.all())

    per_sample_us = 1e6 / args.rate
    total = sum(steps.values())
    print(f"\n{args.n} reports in {end - start:.1f} s ({args.n / (end - start):.0f}/s), "
          f"py-spy at {args.rate} Hz (--nonblocking), {total} samples")  # fmt: skip
    print(f"{'process':<15} {'step':<48} {'µs/report':>10} {'share':>6}")
    for (proc, step), n in sorted(steps.items(), key=lambda kv: (kv[0][0], -kv[1])):
        us = n * per_sample_us / args.n
        print(f"{proc:<15} {step:<48} {us:>10.1f} {n / total:>6.1%}")
    for proc in sorted({p for p, _ in steps}):
        n = sum(v for (p, _), v in steps.items() if p == proc)
        print(f"{proc:<15} {'TOTAL':<48} {n * per_sample_us / args.n:>10.1f}")
    if args.top:
        print("\nhottest functions (self time):")
        for frame, n in leaves.most_common(args.top):
            print(f"  {n * per_sample_us / args.n:7.1f} µs  {frame}")
    print(f"router_cpu_us_per_report={total * per_sample_us / args.n:.0f}")


if __name__ == "__main__":
    main()
