"""`grid-router report` in bulk, beside a bare kafka-python producer sending the same reports.

Writes N reports as JSON lines (a grid worker's submission each: description, grid code, app
category), then, on the same broker and a topic layout of its own:

- **cli**: `grid-router report FILE` as an operator runs it (its own process: read and validate
  the lines, encode each report in Avro, send them with many in flight, print each event id once
  Kafka has acknowledged it), timed from its start to its exit; its start-up alone (the same
  command on a one-line file) is measured too and shown apart;
- **bare**: in this process, a kafka-python producer with the CLI's settings (acks=all,
  idempotent) sending N already-encoded Avro reports of the same sizes, then flushing: what the
  client costs by itself.

Every event id printed is checked against the file, and the topic is read back to count the
reports on it: a run that lost or doubled one fails.

    .venv/bin/python bench/report.py              # N = 20,000, local broker (started if needed)
    GRID_KAFKA_BOOTSTRAP=127.0.0.1:39192 .venv/bin/python bench/report.py --n 5000

Last line: `cli_reports_per_s=<x> cli_vs_bare_ratio=<y>`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from common import bench_broker
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.entrypoints.contracts import ReportSubmission
from grid_router.service.intake import report_key
from grid_router.settings import Settings


def submissions(app: App, n: int) -> list[dict[str, str]]:
    communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
    return [
        {
            "description": f"第{i}号巡查：商铺在人行道上摆摊占道经营，影响行人通行，已劝离未果。",
            "title": "占道经营",
            "category_code": "CITY_MGMT",
            "grid_code": f"{communities[i % len(communities)]}{i % 900 + 1:03d}",
        }
        for i in range(n)
    ]


def run_cli(path: Path, env: dict[str, str]) -> tuple[float, list[str]]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "grid_router.entrypoints.cli", "report", str(path)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"grid-router report exited {done.returncode}: {done.stderr[-2000:]}")
    return seconds, done.stdout.split()


def run_bare(app: App, bootstrap: str, topic: str, lines: list[dict[str, str]]) -> float:
    now = datetime.now(UTC)
    reports = [ReportSubmission.model_validate(obj).to_report(now) for obj in lines]
    values = [(report_key(r), app.codec.encode_report(r)) for r in reports]
    producer = KafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    start = time.perf_counter()
    futures = [producer.send(topic, key=k, value=v) for k, v in values]
    producer.flush()
    for f in futures:
        f.get(timeout=60)
    seconds = time.perf_counter() - start
    producer.close()
    return seconds


def count_on(bootstrap: str, topic: str) -> int:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
    ends = consumer.end_offsets(parts)
    begins = consumer.beginning_offsets(parts)
    consumer.close()
    return sum(ends[p] - begins[p] for p in parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20_000, help="reports in the file")
    parser.add_argument("--partitions", type=int, default=6)
    args = parser.parse_args()

    base = Settings()
    bootstrap = bench_broker(base)
    app = App(base.model_copy(update={"kafka_bootstrap": bootstrap}))
    cli_prefix, bare_prefix = (f"rep-{uuid.uuid4().hex[:8]}.{w}." for w in ("cli", "bare"))
    for prefix in (cli_prefix, bare_prefix):
        create_topics(bootstrap, Topics(prefix), args.partitions)
    lines = submissions(app, args.n)
    env = os.environ | {"GRID_KAFKA_BOOTSTRAP": bootstrap, "GRID_TOPIC_PREFIX": cli_prefix}
    try:
        with tempfile.TemporaryDirectory(prefix="grid-report-") as tmp:
            one, many = Path(tmp) / "one.jsonl", Path(tmp) / "many.jsonl"
            one.write_text(json.dumps(lines[0], ensure_ascii=False) + "\n", encoding="utf-8")
            many.write_text(
                "".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines), encoding="utf-8"
            )
            startup, _ = run_cli(one, env)
            cli_s, printed = run_cli(many, env)
        bare_s = run_bare(app, bootstrap, Topics(bare_prefix).reports, lines)
        on_topic = count_on(bootstrap, Topics(cli_prefix).reports)
    finally:
        delete_topics(bootstrap, [*Topics(cli_prefix).all(), *Topics(bare_prefix).all()])
        app.close()

    # One report came from the start-up run: the topic holds n + 1.
    lost_or_doubled = on_topic - (args.n + 1)
    if len(printed) != args.n or len(set(printed)) != args.n or lost_or_doubled:
        raise SystemExit(
            f"printed {len(printed)} ids ({len(set(printed))} distinct) for {args.n} reports; "
            f"{on_topic} on the topic (expected {args.n + 1})"
        )
    cli_rate = args.n / cli_s
    work_rate = args.n / max(cli_s - startup, 1e-9)
    bare_rate = args.n / bare_s
    load = os.getloadavg()[0]
    print(f"{args.n} reports, {args.partitions} partitions; load average {load:.1f} after")
    print(
        f"cli   {cli_s:7.2f} s  {cli_rate:8,.0f} reports/s  (start-up alone {startup:.2f} s; "
        f"without it {work_rate:,.0f} reports/s); each id printed once, all on Kafka"
    )
    print(f"bare  {bare_s:7.2f} s  {bare_rate:8,.0f} reports/s  (kafka-python producer, encoded)")
    print(f"cli_reports_per_s={cli_rate:.0f} cli_vs_bare_ratio={cli_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
