"""kafka-python producers and consumers, configured the way grid_router's guarantees need."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.errors import CommitFailedError, KafkaError
from kafka.structs import OffsetAndMetadata

from grid_router.service.ports import InboundMessage, PendingMessage, PublishResult

log = logging.getLogger(__name__)


def make_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """An idempotent producer with acks=all: a message the broker acknowledged is replicated to
    every in-sync replica, and retries never write it twice."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap,
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

    def __init__(self, producer: KafkaProducer, flush_timeout: float = 60.0) -> None:
        self._producer = producer
        self._flush_timeout = flush_timeout

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
                continue
            futures.append((pending.id, future))
        try:
            self._producer.flush(timeout=self._flush_timeout)
        except KafkaError as exc:
            log.warning("flush did not complete: %s", exc)
        for oid, future in futures:
            if future.succeeded():
                result.sent.append(oid)
            else:
                reason = future.exception if future.is_done else "not acknowledged in time"
                result.failed[oid] = str(reason)
        return result

    def close(self) -> None:
        self._producer.close(timeout=10)


class KafkaBatchConsumer:
    """A consumer-group member that hands out batches and commits offsets on request only."""

    def __init__(
        self,
        bootstrap: str,
        group_id: str,
        topics: Sequence[str],
        max_records: int = 1000,
        **overrides: Any,
    ) -> None:
        config: dict[str, Any] = {
            "bootstrap_servers": bootstrap,
            "group_id": group_id,
            "enable_auto_commit": False,
            "auto_offset_reset": "earliest",
            "max_poll_records": max_records,
            "fetch_max_bytes": 32 * 1024 * 1024,
            "max_partition_fetch_bytes": 4 * 1024 * 1024,
            "client_id": f"grid-router-{group_id}",
        }
        config.update(overrides)
        self._consumer = KafkaConsumer(**config)
        self._consumer.subscribe(list(topics))

    def poll(self, timeout: float) -> list[InboundMessage]:
        records = self._consumer.poll(
            timeout_ms=int(timeout * 1000), max_records=self._consumer.config["max_poll_records"]
        )
        batch: list[InboundMessage] = []
        for partition_records in records.values():
            batch.extend(to_inbound(r) for r in partition_records)
        return batch

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        """Commit `positions` (the next offset to read, per topic and partition). False when the
        group rebalanced in between: the batch is already in the database, so whoever gets the
        partitions now will find it in the inbox and skip it."""
        offsets = {
            TopicPartition(topic, partition): OffsetAndMetadata(offset, "", -1)
            for (topic, partition), offset in positions.items()
        }
        try:
            self._consumer.commit(offsets)
        except CommitFailedError as exc:
            log.warning("offset commit refused after a rebalance: %s", exc)
            return False
        return True

    def lag(self) -> dict[tuple[str, int], int]:
        """Messages not yet consumed per assigned partition, as far as this member knows (from
        the high-water marks of its last fetches; partitions not fetched yet are left out)."""
        lags: dict[tuple[str, int], int] = {}
        for tp in self._consumer.assignment():
            high = self._consumer.highwater(tp)
            if high is None:
                continue
            position = self._consumer.position(tp, timeout_ms=0)
            if position is not None:
                lags[(tp.topic, tp.partition)] = max(high - position, 0)
        return lags

    def close(self) -> None:
        self._consumer.close(autocommit=False)


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
