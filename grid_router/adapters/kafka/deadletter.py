"""Reading and replaying the dead-letter topic (`grid-router dlq list|replay`)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from kafka import KafkaConsumer, TopicPartition

from grid_router.exceptions import GridRouterError

REPLAYED_FROM = "grid.dlq.replayed-from"


@dataclass(frozen=True, slots=True)
class DeadLetter:
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...]

    def header(self, name: str) -> str | None:
        for k, v in self.headers:
            if k == name:
                return v.decode("utf-8", errors="replace")
        return None

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"


def read_deadletters(bootstrap: str, topic: str) -> Iterator[DeadLetter]:
    """Every dead letter now on `topic`, partition by partition, oldest first."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        partitions = consumer.partitions_for_topic(topic)
        if partitions is None:
            raise GridRouterError(
                f"topic {topic} does not exist on {bootstrap}: run `grid-router topics create`"
            )
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        consumer.assign(tps)
        consumer.seek_to_beginning(*tps)
        ends = consumer.end_offsets(tps)
        while any(consumer.position(tp) < ends[tp] for tp in tps):
            for records in consumer.poll(timeout_ms=500).values():
                for r in records:
                    if r.offset < ends[TopicPartition(r.topic, r.partition)]:
                        yield DeadLetter(
                            r.partition,
                            r.offset,
                            r.key,
                            r.value or b"",
                            tuple((k, v or b"") for k, v in r.headers or ()),
                        )
    finally:
        consumer.close()


def parse_positions(texts: Iterable[str]) -> set[tuple[int, int]]:
    """`PARTITION:OFFSET` strings, as `dlq list` prints them."""
    positions = set()
    for text in texts:
        partition, sep, offset = text.partition(":")
        if not sep or not partition.isdigit() or not offset.isdigit():
            raise GridRouterError(
                f"{text!r} is not a dead-letter position: write PARTITION:OFFSET, e.g. 0:17, "
                "as `grid-router dlq list` shows them"
            )
        positions.add((int(partition), int(offset)))
    return positions
