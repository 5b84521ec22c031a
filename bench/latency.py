"""Report → work order latency at steady rates, beside a bare kafka-python loop.

`grid-router run` as deployed (its own process, a fresh SQLite file) and a bare consume →
produce loop (its own process: poll, send, flush, commit offsets; acks=all, idempotent) get
the same reports at the same steady rate, one after the other, for each rate. Latency runs from
a report's CreateTime (the generator's clock when it sent it) to the moment this script's
reader polls the report's work order (router) or the copied report (bare) from Kafka; same
machine, same clock. The load is open-loop: report i is due at start + i/rate.

    .venv/bin/python bench/latency.py                       # 20, 100, 500/s for 30 s each
    .venv/bin/python bench/latency.py --rates 20,500 --seconds 10

Every report sent is accounted for: its work order read (timed), or, for the router, its
MERGE state change read from the state topic (`merged`: the router's repeat rule filed it into an
open incident, so it has no work order of its own); `missing` counts reports with neither.

Prints p50/p95/p99/max per rate and loop and, last, `latency_p99_ms_at_500=<x>` (the router's).
"""

from __future__ import annotations

import argparse
import itertools
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from common import bench_broker, fresh_settings, street_report
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.service.intake import report_key
from grid_router.settings import Settings

WARMUP_S = 3.0
PROBE_GRID = 999  # the readiness probes' grid; the measured reports use grids below it


def bare_loop(bootstrap: str, source: str, target: str, group: str) -> None:
    """The bare loop (a child process): what kafka-python alone costs per hop."""
    from grid_router.adapters.kafka.clients import KafkaBatchConsumer, make_producer
    from grid_router.service.worker import next_positions

    consumer = KafkaBatchConsumer(bootstrap, group, [source], 1000)
    producer = make_producer(bootstrap, linger_ms=2)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    while not stop.is_set():
        messages = consumer.poll(0.5)
        if not messages:
            continue
        for m in messages:
            producer.send(target, key=m.key, value=m.value)
        producer.flush()
        consumer.commit(next_positions(messages))
    consumer.close()
    producer.close()


class Reader(threading.Thread):
    """Reads the output topics; records when each event id's first message was read, and which
    event ids the router merged (a MERGE on the state topic)."""

    def __init__(
        self, bootstrap: str, topics: list[str], app: App, bare_topic: str, state_topic: str
    ) -> None:
        super().__init__(daemon=True)
        self._consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        parts = [
            TopicPartition(t, p) for t in topics for p in self._consumer.partitions_for_topic(t)
        ]
        self._consumer.assign(parts)
        self._consumer.seek_to_end(*parts)
        for tp in parts:
            self._consumer.position(tp)
        self._app = app
        self._bare = bare_topic
        self._state = state_topic
        self.seen: dict[str, float] = {}
        # The work order's CreateTime (when the relay, or the router's publisher, sent it).
        self.sent_at: dict[str, float] = {}
        self.merged: set[str] = set()
        self.stop = threading.Event()

    def run(self) -> None:
        codec = self._app.codec
        while not self.stop.is_set():
            polled = self._consumer.poll(timeout_ms=100)
            now = time.time()
            for tp, records in polled.items():
                for r in records:
                    if tp.topic == self._state:
                        change = codec.decode_state_change(r.value)
                        if change.action == "MERGE":
                            self.merged.add(change.event_id)
                        continue
                    if tp.topic == self._bare:
                        event_id = codec.decode_report(r.value).event_id
                    else:
                        event_id = codec.decode_work_order(r.value).event_id
                        self.sent_at.setdefault(event_id, r.timestamp / 1000.0)
                    self.seen.setdefault(event_id, now)
        self._consumer.close()


def ready(producer: KafkaProducer, topic: str, app: App, reader: Reader) -> None:
    """Send one probe report to `topic` and wait until the reader has seen it come out."""
    community = app.org.units_at(Level.COMMUNITY)[0].code
    probe = street_report(0, community, PROBE_GRID, datetime.now(UTC))
    producer.send(topic, key=report_key(probe), value=app.codec.encode_report(probe))
    producer.flush()
    deadline = time.time() + 600
    while probe.event_id not in reader.seen:
        if time.time() > deadline:
            raise SystemExit(f"no answer to a probe on {topic} within 600 s")
        time.sleep(0.1)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def steady(
    producer: KafkaProducer,
    topic: str,
    app: App,
    rate: int,
    seconds: float,
    reader: Reader,
    numbers: Iterator[int],
) -> tuple[dict[str, float], dict[str, float]]:
    """Send `rate` reports a second for `seconds` (after a warm-up); latencies in ms.

    Report number n (from `numbers`, one sequence for the whole run) goes to community
    n % C, grid n // C + 1: no two reports of a run share a grid, so none is a repeat that the
    router merges into an open incident (which would give no work order of its own)."""
    communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
    sent: dict[str, float] = {}
    total = int(rate * (WARMUP_S + seconds))
    start = time.time() + 0.2
    for i in range(total):
        due = start + i / rate
        pause = due - time.time()
        if pause > 0:
            time.sleep(pause)
        n = next(numbers)
        grid = n // len(communities) + 1
        if grid >= PROBE_GRID:
            raise SystemExit(f"more reports than grids ({n}): a shorter run, or fewer rates")
        report = street_report(n, communities[n % len(communities)], grid, datetime.now(UTC))
        created = time.time()
        producer.send(
            topic,
            key=report_key(report),
            value=app.codec.encode_report(report),
            timestamp_ms=int(created * 1000),
        )
        if i >= rate * WARMUP_S:
            sent[report.event_id] = int(created * 1000) / 1000.0
    producer.flush()
    deadline = time.time() + 60
    while time.time() < deadline and any(
        e not in reader.seen and e not in reader.merged for e in sent
    ):
        time.sleep(0.1)
    lat = [(reader.seen[e] - t) * 1000 for e, t in sent.items() if e in reader.seen]
    merged = sum(1 for e in sent if e not in reader.seen and e in reader.merged)
    missing = len(sent) - len(lat) - merged
    if not lat:
        raise SystemExit(f"nothing arrived at {rate}/s on {topic}")
    return {
        "n": len(lat),
        "merged": merged,
        "missing": missing,
        "p50": percentile(lat, 0.50),
        "p95": percentile(lat, 0.95),
        "p99": percentile(lat, 0.99),
        "max": max(lat),
    }, sent


def router_stages(app: App, sent: dict[str, float], reader: Reader) -> dict[str, list[float]]:
    """For the reports of one router rate that got a work order, the latency cut at the times
    kept on the way: the report's CreateTime; `filed_at`, the router's clock when it began to
    prepare the report's batch (with group commit, the last grouped batch's); the work order's
    CreateTime, when the relay (or the router's publisher) handed it to its producer; the
    reader's poll. In ms."""
    from sqlalchemy import bindparam, select

    from grid_router.adapters.db.tables import incidents

    ids = [e for e in sent if e in reader.seen and e in reader.sent_at]
    query = select(incidents.c.event_id, incidents.c.filed_at).where(
        incidents.c.event_id.in_(bindparam("ids", expanding=True))
    )
    with app.engine.connect() as conn:
        filed = {
            event_id: at.replace(tzinfo=UTC).timestamp() if at.tzinfo is None else at.timestamp()
            for event_id, at in conn.execute(query, {"ids": ids})
        }
    split: dict[str, list[float]] = {
        "sent → router prepares": [],
        "→ work order sent": [],
        "→ read": [],
    }
    for e in ids:
        if e not in filed:
            continue
        split["sent → router prepares"].append((filed[e] - sent[e]) * 1000)
        split["→ work order sent"].append((reader.sent_at[e] - filed[e]) * 1000)
        split["→ read"].append((reader.seen[e] - reader.sent_at[e]) * 1000)
    return split


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="20,100,500", help="reports per second, in order")
    parser.add_argument("--seconds", type=float, default=30.0, help="per rate and loop")
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument(
        "--stages",
        action="store_true",
        help="split the router's latency at the times the database and Kafka keep",
    )
    parser.add_argument(
        "--keep-db", type=Path, metavar="PATH", help="the router's SQLite file here, kept after"
    )
    parser.add_argument("--bare-loop", nargs=4, metavar=("BOOTSTRAP", "IN", "OUT", "GROUP"))
    args = parser.parse_args()
    if args.bare_loop:
        bare_loop(*args.bare_loop)
        return

    base = Settings()
    bootstrap = bench_broker(base)
    prefix = f"lat-{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    bare_in, bare_out = f"{prefix}bare.in", f"{prefix}bare.out"
    create_topics(bootstrap, topics, args.partitions)
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    admin.create_topics([NewTopic(t, args.partitions, 1) for t in (bare_in, bare_out)])
    admin.close()
    rates = [int(r) for r in args.rates.split(",")]
    results: list[tuple[int, str, dict[str, float]]] = []
    stages: list[tuple[int, dict[str, list[float]]]] = []
    with tempfile.TemporaryDirectory(prefix="grid-lat-") as tmp:
        db = args.keep_db or Path(tmp) / "lat.db"
        settings = fresh_settings(base, bootstrap, f"sqlite:///{db}", prefix)
        app = App(settings)
        from grid_router.entrypoints.relay_process import settings_env

        router = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=settings_env(settings),
            stderr=subprocess.DEVNULL,
        )
        bare = subprocess.Popen(
            [sys.executable, __file__, "--bare-loop", bootstrap, bare_in, bare_out,
             f"{prefix}bare"],
        )  # fmt: skip
        reader = Reader(
            bootstrap,
            [*(topics.dispatch(lv) for lv in Level), topics.state, bare_out],
            app,
            bare_out,
            topics.state,
        )
        reader.start()
        producer = KafkaProducer(
            bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0
        )
        try:
            # Both loops must be up before any rate is measured: the router's start (the
            # classifier's model, joining its group) takes seconds, far more on a loaded machine.
            for topic in (topics.reports, bare_in):
                ready(producer, topic, app, reader)
            numbers = itertools.count()
            for rate in rates:
                for name, topic in (("router", topics.reports), ("bare", bare_in)):
                    print(f"{name} at {rate}/s for {args.seconds:.0f} s…", flush=True)
                    stats, sent = steady(producer, topic, app, rate, args.seconds, reader, numbers)
                    results.append((rate, name, stats))
                    if name == "router" and args.stages:
                        stages.append((rate, router_stages(app, sent, reader)))
        finally:
            reader.stop.set()
            producer.close()
            for p in (router, bare):
                p.send_signal(signal.SIGTERM)
                p.wait(timeout=120)
            app.close()
    delete_topics(bootstrap, [*topics.all(), bare_in, bare_out])

    print()
    print(f"{'rate/s':>7} {'loop':<7} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8} {'merged':>7} missing")  # fmt: skip
    for rate, name, r in results:
        print(f"{rate:>7} {name:<7} {r['n']:>6.0f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['p99']:>8.1f} {r['max']:>8.1f} {r['merged']:>7.0f} "
              f"{r['missing']:>7.0f}")  # fmt: skip
    if stages:
        print()
        print("router latency by stage, ms (p50 / p99):")
        names = list(stages[0][1])
        print(f"{'rate/s':>7} " + " ".join(f"{n:>24}" for n in names))
        for rate, split in stages:
            cells = [
                f"{percentile(v, 0.5):>10.1f} / {percentile(v, 0.99):>9.1f}   "
                for v in split.values()
            ]
            print(f"{rate:>7} " + " ".join(cells))
    at500 = [r for rate, name, r in results if rate == 500 and name == "router"]
    if at500:
        print(f"latency_p99_ms_at_500={at500[0]['p99']:.1f}")


if __name__ == "__main__":
    main()
