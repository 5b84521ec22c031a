"""Router throughput against the ceiling of the Kafka client it is built on.

Produces N Avro reports once, then, on the same broker, topic layout and messages, measures:

  raw     a bare kafka-python consume → produce loop (acks=all, idempotent, offsets committed
          per batch): the most this client can move;
  router  `grid-router run` as deployed (decode, locate, file in SQLite, outbox, relay), from
          its start until its last work order is acknowledged by Kafka.

Both are timed from the loop's start to the Kafka CreateTime of the last message it produced.
Prints a table and, last, `router_vs_raw_ratio=<x>` (reports/s of router over raw).

    .venv/bin/python bench/throughput.py            # N=100000, local broker (started if needed)
    .venv/bin/python bench/throughput.py --n 20000 --database-url postgresql://…
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from common import bench_broker, fresh_settings, street_report
from kafka import KafkaConsumer, TopicPartition

from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.clients import KafkaBatchConsumer, make_producer
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.service.intake import report_key
from grid_router.service.worker import next_positions
from grid_router.settings import Settings


def produce_reports(bootstrap: str, topics: Topics, n: int, app: App) -> int:
    producer = make_producer(bootstrap)
    now = datetime.now(UTC)
    size = 0
    # A grid of its own for every report: repeats in one grid would merge into one work order.
    communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
    for i in range(n):
        report = street_report(i, communities[i % len(communities)], i // len(communities) + 1, now)
        value = app.codec.encode_report(report)
        size += len(value)
        producer.send(topics.reports, key=report_key(report), value=value)
    producer.flush(timeout=300)
    producer.close()
    return size // n


def last_create_time(bootstrap: str, topic_names: list[str], expected: int) -> tuple[float, int]:
    """Wait until `expected` messages are on `topic_names`, return the newest CreateTime (s)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    parts = [
        TopicPartition(t, p) for t in topic_names for p in consumer.partitions_for_topic(t) or ()
    ]
    consumer.assign(parts)
    consumer.seek_to_beginning(*parts)
    seen, newest = 0, 0
    deadline = time.monotonic() + 1800
    while seen < expected and time.monotonic() < deadline:
        for batch in consumer.poll(timeout_ms=500, max_records=20000).values():
            seen += len(batch)
            newest = max(newest, *(r.timestamp for r in batch))
    consumer.close()
    if seen < expected:
        raise SystemExit(f"only {seen} of {expected} messages arrived on {topic_names}")
    return newest / 1000.0, seen


def run_raw(bootstrap: str, topics: Topics, out_topic: str, n: int, batch: int) -> float:
    consumer = KafkaBatchConsumer(bootstrap, f"{topics.prefix}raw", [topics.reports], batch)
    producer = make_producer(bootstrap)
    start = time.time()
    done = 0
    while done < n:
        messages = consumer.poll(0.5)
        for m in messages:
            producer.send(out_topic, key=m.key, value=m.value)
        producer.flush()
        consumer.commit(next_positions(messages))
        done += len(messages)
    consumer.close()
    producer.close()
    end, _ = last_create_time(bootstrap, [out_topic], n)
    return end - start


def run_router(app: App, n: int) -> float:
    """`grid-router run` in its own process, exactly as deployed; this process only watches
    the dispatch topics (watching from inside the router's process would steal its CPU)."""
    from grid_router.entrypoints.relay_process import settings_env

    dispatch = [app.topics.dispatch(level) for level in Level]
    start = time.time()
    router = subprocess.Popen(
        [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
        env=settings_env(app.settings),
        stderr=subprocess.DEVNULL,
    )
    try:
        end, _ = last_create_time(app.settings.kafka_bootstrap, dispatch, n)
    finally:
        router.send_signal(signal.SIGTERM)
        router.wait(timeout=120)
    return end - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="reports to route")
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--batch", type=int, default=1000, help="records per poll, both loops")
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--keep-topics", action="store_true")
    args = parser.parse_args()

    base = Settings()
    bootstrap = bench_broker(base)

    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    raw_out = f"{prefix}raw.out"
    create_topics(bootstrap, topics, args.partitions)
    with tempfile.TemporaryDirectory(prefix="grid-bench-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = fresh_settings(base, bootstrap, url, prefix, batch_size=args.batch)
        app = App(settings)
        from kafka.admin import KafkaAdminClient, NewTopic

        admin = KafkaAdminClient(bootstrap_servers=bootstrap)
        admin.create_topics([NewTopic(raw_out, args.partitions, 1)])
        admin.close()

        print(f"producing {args.n} reports to {topics.reports} ({args.partitions} partitions)…")
        avg_size = produce_reports(bootstrap, topics, args.n, app)
        print("raw consume→produce loop…")
        raw_s = run_raw(bootstrap, topics, raw_out, args.n, args.batch)
        print(f"router on {app.engine.dialect.name}…")
        router_s = run_router(app, args.n)
        app.close()
    if not args.keep_topics:
        delete_topics(bootstrap, [*topics.all(), raw_out])

    raw_rate, router_rate = args.n / raw_s, args.n / router_s
    print()
    print(f"{'loop':<8} {'reports':>9} {'seconds':>9} {'reports/s':>11}  notes")
    print(f"{'raw':<8} {args.n:>9} {raw_s:>9.2f} {raw_rate:>11.0f}  1 message out per report")
    print(
        f"{'router':<8} {args.n:>9} {router_s:>9.2f} {router_rate:>11.0f}  "
        f"2 messages out per report (work order + state), {settings.database_url.split(':')[0]}"
    )
    print(f"average report size {avg_size} bytes, batch {args.batch}, {args.partitions} partitions")
    print(f"router_vs_raw_ratio={router_rate / raw_rate:.2f}")


if __name__ == "__main__":
    main()
