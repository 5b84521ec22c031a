"""Where one report's latency goes: each stage of the router and the relay, timed in turn.

The stages `grid-router run` goes through for a report, run here one report at a time in this
process, with the deployed components (the router's consumer, `ReportRouter.prepare` and
`.write` on a fresh SQLite file with synchronous=FULL, the offset commit, the relay's outbox
read, its producer's send + flush with acks=all, its delete of the sent rows) and a reader of the
dispatch topics. Each stage starts when the one before it has finished, so the figures are what
each stage costs with no waiting between them: what `bench/latency.py` measures beyond their sum
is waiting (the relay's poll interval, threads and processes handing over, the CPU shared).

    .venv/bin/python bench/latency_stages.py                          # 200 reports, 20/s
    .venv/bin/python bench/latency_stages.py --publish-after-commit   # the router's publisher

Prints p50/p95/p99 per stage in ms and, last, `stages_sum_p50_ms=<x>`.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from common import bench_broker, fresh_settings, street_report
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from latency import percentile

from grid_router.adapters.db.uow import SqlOutbox
from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.clients import KafkaBatchConsumer, KafkaPublisher
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.service.intake import report_key
from grid_router.service.publish import CommitPublisher
from grid_router.service.worker import next_positions
from grid_router.settings import Settings

T = TypeVar("T")


def until(get: Callable[[], list[T]], what: str) -> list[T]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        got = get()
        if got:
            return got
        time.sleep(0.0002)  # not a busy loop: it would keep the producer's I/O thread waiting
    raise SystemExit(f"no {what} within 120 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="reports, one at a time")
    parser.add_argument("--rate", type=float, default=20.0, help="reports per second at most")
    parser.add_argument(
        "--publish-after-commit",
        action="store_true",
        help="send the work order from the committing process (linger 2 ms) instead of the relay",
    )
    args = parser.parse_args()

    base = Settings()
    bootstrap = bench_broker(base)
    prefix = f"stg-{uuid.uuid4().hex[:8]}."
    topics = Topics(prefix)
    create_topics(bootstrap, topics, 6)
    times: dict[str, list[float]] = {}

    def mark(stage: str, since: float) -> float:
        now = time.perf_counter()
        times.setdefault(stage, []).append((now - since) * 1000)
        return now

    with tempfile.TemporaryDirectory(prefix="grid-stg-") as tmp:
        settings = fresh_settings(base, bootstrap, f"sqlite:///{Path(tmp) / 'stg.db'}", prefix)
        app = App(settings)
        try:
            router = app.report_router()
            consumer = KafkaBatchConsumer(
                bootstrap, settings.consumer_group, [topics.reports, topics.actions], 1000
            )
            outbox = SqlOutbox(app.relay_engine)
            # As deployed: the relay's producer (app.relay), or the router's (app.commit_publisher).
            committer: CommitPublisher | None = None
            if args.publish_after_commit:
                committer = CommitPublisher(app.producer(linger_ms=2))
            else:
                producer = app.producer(linger_ms=100, batch_size=1024 * 1024)
                publisher = KafkaPublisher(producer, bootstrap=bootstrap)
            reader = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
            parts = [
                TopicPartition(t, p)
                for t in (topics.dispatch(lv) for lv in Level)
                for p in reader.partitions_for_topic(t)
            ]
            reader.assign(parts)
            reader.seek_to_end(*parts)
            for tp in parts:
                reader.position(tp)
            source = KafkaProducer(
                bootstrap_servers=bootstrap, acks="all", enable_idempotence=True, linger_ms=0
            )
            communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
            warm = 10
            for i in range(args.n + warm):
                if i == warm:
                    times.clear()  # the first reports pay for connections and caches
                started = time.perf_counter()
                report = street_report(
                    i, communities[i % len(communities)], i // len(communities) + 1,
                    datetime.now(UTC),
                )  # fmt: skip
                t = time.perf_counter()
                source.send(
                    topics.reports, key=report_key(report), value=app.codec.encode_report(report)
                )
                source.flush()
                t = mark("report produced (acks=all)", t)
                batch = until(lambda: consumer.poll(0.5), "report")
                t = mark("router: poll returns it", t)
                prepared = router.prepare(batch)
                t = mark("router: decode, classify, decide, encode", t)
                outcome = router.write(prepared)
                t = mark("router: write + commit (fsync)", t)
                consumer.commit(next_positions(batch))
                t = mark("router: offset commit", t)
                if committer is not None:
                    committer.publish(outcome.outbox_ids, outcome.outbox)
                    acked = until(committer.acknowledged, "acknowledgement")
                    t = mark("router: send, acks=all (linger 2 ms)", t)
                    router.forget(acked)
                    t = mark("router: delete acknowledged rows", t)
                else:
                    pending = outbox.pending(5000)
                    t = mark("relay: read outbox rows", t)
                    if len(pending) != len(outcome.outbox_ids):
                        raise SystemExit(f"{len(pending)} outbox rows, {outcome.outbox_ids}")
                    result = publisher.publish(pending)
                    t = mark("relay: send + flush (acks=all)", t)
                    outbox.mark_sent(result.sent, app.clock())
                    t = mark("relay: delete sent rows", t)
                got = False
                deadline = time.monotonic() + 60
                while not got and time.monotonic() < deadline:
                    polled = reader.poll(timeout_ms=100)
                    for records in polled.values():
                        for r in records:
                            got |= app.codec.decode_work_order(r.value).event_id == report.event_id
                if not got:
                    raise SystemExit(f"work order of {report.event_id} not read")
                mark("reader: work order read", t)
                mark("total", started)
                pause = started + 1 / args.rate - time.perf_counter()
                if pause > 0:
                    threading.Event().wait(pause)
            consumer.close()
            reader.close()
            source.close()
        finally:
            app.close()
    delete_topics(bootstrap, topics.all())

    print(f"{args.n} reports one at a time, relay producer "
          f"{'linger 2 ms (publish after commit)' if args.publish_after_commit else 'linger 100 ms, flushed'}")  # fmt: skip  # noqa: E501
    print(f"{'stage':<44} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    total = 0.0
    for stage, values in times.items():
        print(f"{stage:<44} {percentile(values, 0.5):>8.2f} {percentile(values, 0.95):>8.2f} "
              f"{percentile(values, 0.99):>8.2f}")  # fmt: skip
        if stage != "total":
            total += percentile(values, 0.5)
    print(f"stages_sum_p50_ms={total:.1f}")


if __name__ == "__main__":
    main()
