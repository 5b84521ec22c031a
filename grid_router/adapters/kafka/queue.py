"""Reading one unit's dispatch queue: the partition its key hashes to, filtered by key."""

from __future__ import annotations

import time
from collections.abc import Iterator

from kafka import KafkaConsumer, TopicPartition
from kafka.partitioner.default import murmur2

from grid_router.adapters.avro import AvroCodec
from grid_router.domain.model import WorkOrder
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
