"""kafka-python producers and consumers, configured the way grid_router's guarantees need.

While the broker is away they neither raise nor log per try: the process's broker notice
(`adapters.kafka.outage`) says it once each way. Failures are told to it as `stale`: just after
the broker came back, a request from before (or one the restarted group coordinator is not
ready for yet) may still fail, and that is the old outage's leftover, not a new one; a new
outage is still said at once when the consumer finds no broker accepting connections.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata

from grid_router.adapters.kafka.admin import broker_ready
from grid_router.adapters.kafka.outage import broker_accepts, broker_notice_for
from grid_router.exceptions import BrokerUnavailableError
from grid_router.service.ports import InboundMessage, PendingMessage, PublishResult

log = logging.getLogger(__name__)


# After the broker comes back, a client finds it within this long: kafka-python's default (30 s)
# would keep a router idle for up to half a minute after an outage, where Kafka's own Java
# client waits at most 1 s. A refused connection every 2 s costs nothing.
RECONNECT_BACKOFF_MAX_MS = 2000


def make_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """An idempotent producer with acks=all: a message the broker acknowledged is replicated to
    every in-sync replica, and retries never write it twice."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
        "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
        "acks": "all",
        "enable_idempotence": True,
        "linger_ms": 5,
        "batch_size": 256 * 1024,
        "max_request_size": 4 * 1024 * 1024,
        "retries": 2**31 - 1,
        "delivery_timeout_ms": 120_000,
        "client_id": "grid-router",
    }
    config.update(overrides)
    return KafkaProducer(**config)


class KafkaPublisher:
    """Sends outbox rows and tells which the broker acknowledged."""

    def __init__(
        self, producer: KafkaProducer, flush_timeout: float = 60.0, bootstrap: str | None = None
    ) -> None:
        self._producer = producer
        self._flush_timeout = flush_timeout
        self._notice = broker_notice_for(bootstrap or str(producer.config["bootstrap_servers"]))

    def publish(self, messages: Sequence[PendingMessage]) -> PublishResult:
        result = PublishResult()
        futures = []
        for pending in messages:
            m = pending.message
            try:
                future = self._producer.send(
                    m.topic, key=m.key, value=m.value, headers=list(m.headers)
                )
            except KafkaError as exc:
                result.failed[pending.id] = f"{type(exc).__name__}: {exc}"
                result.broker_away |= self._notice.failed(exc, stale=True)
                continue
            futures.append((pending.id, future))
        try:
            self._producer.flush(timeout=self._flush_timeout)
        except KafkaError as exc:
            if not self._notice.failed(exc, stale=True):  # an outage is said once, by the notice
                log.warning("flush did not complete: %s", exc)
            result.broker_away |= self._notice.down
        for oid, future in futures:
            if future.succeeded():
                result.sent.append(oid)
            else:
                reason = future.exception if future.is_done else "not acknowledged in time"
                result.failed[oid] = str(reason)
                if isinstance(reason, BaseException):
                    result.broker_away |= self._notice.failed(reason, stale=True)
        if result.sent:
            self._notice.ok()
        return result

    def close(self) -> None:
        self._producer.close(timeout=10)


class KafkaBatchConsumer:
    """A consumer-group member that hands out batches and commits offsets on request only."""

    # How long an offset commit may take before the broker counts as away (the batch is in the
    # database already; its offsets are committed again later).
    COMMIT_TIMEOUT_MS = 10_000
    # How often an idle consumer checks that the broker still accepts connections (kafka-python
    # retries quietly inside `poll`, so an outage with no traffic would go unsaid).
    PROBE_EVERY = 2.0
    # How old the topic metadata may grow before the consumer asks again. kafka-python's default
    # is five minutes, and a member that joins the group on metadata without its topics (a topic
    # created after the router started, or the answer to the bootstrap request arriving after
    # `subscribe`) is assigned nothing until the next refresh: a router that sat idle for five
    # minutes with reports waiting was seen in CI. Ten seconds bounds that wait for the price of
    # one small request.
    METADATA_MAX_AGE_MS = 10_000
    # How long the group waits for a member that stopped heartbeating before its partitions go to
    # the others. kafka-python 3 follows the Java client's 45 s; a router killed outright (OOM,
    # SIGKILL, a lost node) would leave its partitions unread that long, and a router restarted at
    # once would wait for it too. Ten seconds (the default before Kafka 3.0) keeps three
    # heartbeats (every 3 s, from a thread of their own) inside the window.
    SESSION_TIMEOUT_MS = 10_000

    def __init__(
        self,
        bootstrap: str,
        group_id: str,
        topics: Sequence[str],
        max_records: int = 1000,
        **overrides: Any,
    ) -> None:
        self._bootstrap = bootstrap
        self._notice = broker_notice_for(bootstrap)
        self._probed_at = time.monotonic()
        config: dict[str, Any] = {
            "bootstrap_servers": bootstrap,
            "reconnect_backoff_max_ms": RECONNECT_BACKOFF_MAX_MS,
            "group_id": group_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": max_records,
            "fetch_max_bytes": 32 * 1024 * 1024,
            "max_partition_fetch_bytes": 4 * 1024 * 1024,
            "client_id": f"grid-router-{group_id}",
            "metadata_max_age_ms": self.METADATA_MAX_AGE_MS,
            "session_timeout_ms": self.SESSION_TIMEOUT_MS,
        }
        config.update(overrides)
        self._consumer = KafkaConsumer(**config)
        self._consumer.subscribe(list(topics))
        # Know the topics' partitions before the first poll joins the group: kafka-python may
        # otherwise join on the answer to its bootstrap request, which names no topic, and the
        # member is assigned nothing until a later refresh (seen in CI). Only while the broker
        # answers: the lookup waits for it, and an absent broker is the poll's to report.
        if broker_ready(bootstrap, timeout=5.0):
            try:
                for topic in topics:
                    self._consumer.partitions_for_topic(topic)
            except KafkaError as exc:
                log.debug("topic metadata before the first poll failed: %s", exc)

    def poll(self, timeout: float) -> list[InboundMessage]:
        """The next batch (empty when there is none, or while the broker is away: the outage is
        said once, and the consumer tries again at the next poll)."""
        try:
            records = self._consumer.poll(
                timeout_ms=int(timeout * 1000),
                max_records=self._consumer.config["max_poll_records"],
            )
        except KafkaError as exc:
            if not self._notice.failed(exc, stale=True):
                raise
            threading.Event().wait(timeout)  # no spinning while it is away
            return []
        batch: list[InboundMessage] = []
        for partition_records in records.values():
            batch.extend(to_inbound(r) for r in partition_records)
        if batch:
            self._notice.ok()
        else:
            self._probe()
        return batch

    def _probe(self) -> None:
        """Now and then while idle: is the broker still there (a closed port), or back?"""
        now = time.monotonic()
        if now - self._probed_at < self.PROBE_EVERY:
            return
        self._probed_at = now
        if self._notice.down:
            if broker_ready(self._bootstrap, timeout=5.0):
                self._notice.ok()
        elif not broker_accepts(self._bootstrap):
            self._notice.failed(BrokerUnavailableError("no broker accepts connections"))

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        """Commit `positions` (the next offset to read, per topic and partition). False when the
        group rebalanced in between: the batch is already in the database, so whoever gets the
        partitions now will find it in the inbox and skip it."""
        offsets = {
            TopicPartition(topic, partition): OffsetAndMetadata(offset, "", -1)
            for (topic, partition), offset in positions.items()
        }
        try:
            self._consumer.commit(offsets, timeout_ms=self.COMMIT_TIMEOUT_MS)
        except CommitFailedError as exc:
            log.warning("offset commit refused after a rebalance: %s", exc)
            return False
        except KafkaError as exc:
            if not self._notice.failed(exc, stale=True):
                raise
            raise BrokerUnavailableError(f"offset commit: {exc}") from exc
        self._notice.ok()
        return True

    def lag(self) -> dict[tuple[str, int], int]:
        """Messages not yet consumed per assigned partition, as far as this member knows (from
        the high-water marks of its last fetches; partitions not fetched yet are left out)."""
        lags: dict[tuple[str, int], int] = {}
        try:
            for tp in self._consumer.assignment():
                high = self._consumer.highwater(tp)
                if high is None:
                    continue
                position = self._consumer.position(tp, timeout_ms=0)
                if position is not None:
                    lags[(tp.topic, tp.partition)] = max(high - position, 0)
        except KafkaError as exc:
            if not self._notice.failed(exc, stale=True):
                raise
            raise BrokerUnavailableError(f"consumer lag: {exc}") from exc
        return lags

    def close(self) -> None:
        try:
            self._consumer.close(autocommit=False)
        except KafkaError as exc:
            # Leaving the group needs the broker; while it is away, there is no one to tell.
            if not self._notice.failed(exc, stale=True):
                raise


def to_inbound(record: Any) -> InboundMessage:
    return InboundMessage(
        topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key,
        value=record.value,
        headers=tuple((k, v or b"") for k, v in (record.headers or ())),
        timestamp_ms=record.timestamp
        if record.timestamp is not None and record.timestamp >= 0
        else None,
    )
