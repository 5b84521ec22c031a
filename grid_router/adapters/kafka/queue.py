"""Reading one unit's dispatch queue: the partition its key hashes to, filtered by key."""

from __future__ import annotations

import time
from collections.abc import Iterator

from kafka import KafkaConsumer, TopicPartition
from kafka.partitioner.default import murmur2

from grid_router.adapters.avro import AvroCodec
from grid_router.domain.model import StateChange, WorkOrder
from grid_router.exceptions import GridRouterError


def partition_for(key: bytes, partitions: int) -> int:
    """The partition kafka-python's (and Java's) default partitioner picks for `key`."""
    return int(murmur2(key) & 0x7FFFFFFF) % partitions


def follow_unit_queue(
    bootstrap: str,
    topic: str,
    unit_code: str,
    codec: AvroCodec,
    from_beginning: bool = True,
    idle_timeout: float | None = None,
) -> Iterator[WorkOrder]:
    """Yield the work orders addressed to `unit_code`, oldest first, then new ones as they come.

    Stops after `idle_timeout` seconds without a new message (never, if None). No consumer group:
    reading a queue to look at it must not move any dispatch centre's committed position.
    """
    consumer = KafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None, client_id="gr-queue"
    )
    try:
        partitions = consumer.partitions_for_topic(topic)
        if not partitions:
            raise GridRouterError(
                f"topic {topic} does not exist on {bootstrap}: run `grid-router topics create`"
            )
        key = unit_code.encode()
        tp = TopicPartition(topic, partition_for(key, len(partitions)))
        consumer.assign([tp])
        if from_beginning:
            consumer.seek_to_beginning(tp)
        else:
            consumer.seek_to_end(tp)
        last = time.monotonic()
        while idle_timeout is None or time.monotonic() - last < idle_timeout:
            records = consumer.poll(timeout_ms=200).get(tp, [])
            if records:
                last = time.monotonic()
            for record in records:
                if record.key == key and record.value:
                    yield codec.decode_work_order(record.value)
    finally:
        consumer.close()


class StateWatcher:
    """Watches one incident's updates on the state topic, from the moment `open` is called: so
    that whoever sends an action can wait for the router's answer to it (applied, or refused
    with a reason). No consumer group, like `follow_unit_queue`."""

    def __init__(self, bootstrap: str, topic: str, event_id: str, codec: AvroCodec) -> None:
        self._codec = codec
        self._key = event_id.encode()
        self._consumer = KafkaConsumer(
            bootstrap_servers=bootstrap,
            enable_auto_commit=False,
            group_id=None,
            client_id="gr-state-watch",
        )
        partitions = self._consumer.partitions_for_topic(topic)
        if not partitions:
            self._consumer.close()
            raise GridRouterError(
                f"topic {topic} does not exist on {bootstrap}: run `grid-router topics create`"
            )
        self._tp = TopicPartition(topic, partition_for(self._key, len(partitions)))
        self._consumer.assign([self._tp])
        self._consumer.seek_to_end(self._tp)
        self._consumer.position(self._tp)  # resolve the end now, before anything is sent

    def wait_for(self, header: str, value: str, timeout: float) -> StateChange | None:
        """The first update of the incident carrying `header` = `value` (e.g. the action id),
        or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        wanted = value.encode()
        while (left := deadline - time.monotonic()) > 0:
            records = self._consumer.poll(timeout_ms=int(min(left, 0.2) * 1000)).get(self._tp, [])
            for record in records:
                if record.key != self._key or not record.value:
                    continue
                if (header, wanted) in [(k, v) for k, v in record.headers or ()]:
                    return self._codec.decode_state_change(record.value)
        return None

    def close(self) -> None:
        self._consumer.close()
