"""Small helpers for tests that read what the router wrote to real Kafka topics."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, TopicPartition
from kafka.consumer.fetcher import ConsumerRecord

from grid_router.adapters.kafka.admin import create_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.settings import Settings

TEST_PARTITIONS = 3
SCHEDULER_THREAD = "sla-scheduler"  # service/scheduler.py's SchedulerThread


class DrillClock:
    """The routers' clock in these tests: it stands still until the test moves it. It counts
    the SLA scheduler's reads since the last move, so that a test can wait for a sweep at the
    new time before it asserts that nothing fell due."""

    def __init__(self, at: datetime) -> None:
        self.now = at
        self._scheduler_reads = 0

    def __call__(self) -> datetime:
        if threading.current_thread().name == SCHEDULER_THREAD:
            self._scheduler_reads += 1
        return self.now

    def jump_to(self, instant: datetime) -> None:
        assert instant >= self.now, f"the drill clock runs forwards: {instant} < {self.now}"
        self._scheduler_reads = 0
        self.now = instant

    def await_sweep(self) -> None:
        """Returns once a sweep that read the current time has committed. The scheduler reads
        the clock once to sweep and at most once to compute its pause: of three reads after a
        move, one began a sweep and a later one came after that sweep had committed."""
        deadline = time.monotonic() + 60
        while self._scheduler_reads < 3:
            assert time.monotonic() < deadline, "the SLA scheduler did not sweep"
            time.sleep(0.05)


def make_app(
    kafka_bootstrap: str,
    database_url: str,
    topic_prefix: str,
    clock: Callable[[], datetime] | None = None,
    **settings_: Any,
) -> App:
    """An App on the test broker and database, with topics of its own created (other settings
    as given), on `clock` if given (a test's drill clock) or else the wall clock."""
    # A router started from these settings serves metrics on a port of its own choosing: tests
    # run several at once.
    settings_.setdefault("metrics_port", 0)
    settings = Settings(
        kafka_bootstrap=kafka_bootstrap,
        database_url=database_url,
        topic_prefix=topic_prefix,
        partitions=TEST_PARTITIONS,
        consumer_group=f"{topic_prefix}router",
        **settings_,
    )
    create_topics(kafka_bootstrap, Topics(topic_prefix), TEST_PARTITIONS)
    return App(settings) if clock is None else App(settings, clock)


def read_topic(
    bootstrap: str,
    topic: str,
    until: Callable[[list[ConsumerRecord]], bool],
    timeout: float = 60.0,
) -> list[ConsumerRecord]:
    """Read `topic` from the beginning (no consumer group) until `until(records)` holds or the
    timeout passes; returns what was read either way, so the caller's assertion says what is
    missing."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        records: list[ConsumerRecord] = []
        deadline = time.monotonic() + timeout
        while not until(records) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def read_all(bootstrap: str, topic: str, settle: float = 1.0) -> list[ConsumerRecord]:
    """Everything on `topic` now: reads up to the end offsets the broker reports."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends = consumer.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and any(
            consumer.position(tp) < ends[tp] for tp in partitions
        ):
            for batch in consumer.poll(timeout_ms=int(settle * 1000)).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def garbage_reports(n: int, first_grid: int, reporter: str) -> list[IncidentReport]:
    """`n` grid workers' reports of overflowing bins in Xiamen, each in a grid of its own (from
    grid number `first_grid` of one community), so that none merges with another."""
    return [
        IncidentReport(
            event_id=str(uuid.uuid4()),
            reported_at=datetime.now(UTC),
            source="GRID_APP",
            reporter=Reporter(id=reporter),
            description="小区门口垃圾满溢，无人清运",
            category_code="CITY_MGMT",
            grid_code=f"350206002008{first_grid + i:03d}",
        )
        for i in range(n)
    ]
