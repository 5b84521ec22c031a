"""The checkpoint order of the router worker, with fakes: offsets are committed only for
batches whose transaction has committed, and only up to their own last message."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

from grid_router.exceptions import BrokerUnavailableError
from grid_router.service.ports import InboundMessage
from grid_router.service.router import BatchOutcome, PreparedBatch
from grid_router.service.worker import RouterWorker, next_positions


def msg(partition: int, offset: int) -> InboundMessage:
    return InboundMessage("grid.reports", partition, offset, None, b"x")


def test_next_positions_are_one_past_the_last_message_of_each_partition() -> None:
    batch = [msg(0, 5), msg(1, 9), msg(0, 7), msg(0, 6)]
    assert next_positions(batch) == {("grid.reports", 0): 8, ("grid.reports", 1): 10}


class FakeConsumer:
    def __init__(self, batches: list[list[InboundMessage]], worker: list[RouterWorker]) -> None:
        self.batches = batches
        self.worker = worker
        self.commits: list[dict[tuple[str, int], int]] = []
        self.events: list[str] = []
        self.total = len(batches)
        self.fed: threading.Event | None = None  # set once every batch was handed out
        self.writing: threading.Event | None = None  # set by the first write

    def poll(self, timeout: float) -> list[InboundMessage]:
        if self.batches:
            if self.writing is not None and len(self.batches) < self.total:
                # The rest once the first batch is being written.
                assert self.writing.wait(10), "the first batch was never written"
            return self.batches.pop(0)
        if self.fed is not None:
            self.fed.set()
        self.worker[0].stop()
        return []

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        self.events.append(f"commit {dict(positions)}")
        self.commits.append(dict(positions))
        return True

    def close(self) -> None:
        self.events.append("close")


class FakeRouter:
    """Writes by recording; `fail_on`: the offset whose transaction fails; `gate`: the first
    write waits for it (batches pile up meanwhile)."""

    def __init__(
        self,
        events: list[str],
        fail_on: int | None = None,
        gate: threading.Event | None = None,
        writing: threading.Event | None = None,
    ) -> None:
        self.events = events
        self.fail_on = fail_on
        self.gate = gate
        self.writing = writing
        self.lock = threading.Lock()

    def prepare(self, batch: list[InboundMessage]) -> PreparedBatch:
        return PreparedBatch(tuple(batch), datetime.now(UTC))  # type: ignore[arg-type]

    def write(self, prepared: PreparedBatch, forget: Sequence[int] = ()) -> BatchOutcome:
        if self.gate is not None:
            assert self.writing is not None
            self.writing.set()
            assert self.gate.wait(10), "the consumer never fed every batch"
            self.gate = None
        with self.lock:
            offsets = [m.offset for m in prepared.items]  # type: ignore[union-attr]
            if self.fail_on in offsets:
                raise RuntimeError("database is down")
            self.events.append(f"write {len(prepared.items)}")
        return BatchOutcome(applied=len(prepared.items))


class FakeRelay:
    def __init__(self) -> None:
        self.woken = 0
        self.stopped = False

    def start(self) -> None: ...

    def wake(self) -> None:
        self.woken += 1

    def stop(self, timeout: float) -> None:
        self.stopped = True


def run(
    batches: list[list[InboundMessage]], fail_on: int | None = None, gated: bool = False
) -> tuple[Any, ...]:
    holder: list[RouterWorker] = []
    consumer = FakeConsumer(batches, holder)
    if gated:
        consumer.fed, consumer.writing = threading.Event(), threading.Event()
    router = FakeRouter(consumer.events, fail_on, consumer.fed, consumer.writing)
    relay = FakeRelay()
    worker = RouterWorker(consumer, router, relay, poll_timeout=0.01)  # type: ignore[arg-type]
    holder.append(worker)
    return worker, consumer, relay


def test_every_commit_follows_the_write_of_the_batches_it_covers() -> None:
    worker, consumer, relay = run([[msg(0, 0), msg(0, 1)], [msg(1, 0)], [msg(0, 2)]])
    stats = worker.run()
    assert stats.applied == 4
    assert 1 <= stats.batches <= 3  # batches prepared while one is written share its commit
    writes_seen = 0
    for event in consumer.events:
        if event.startswith("write"):
            writes_seen += 1
        elif event.startswith("commit"):
            assert writes_seen > 0, "offsets committed before any batch was written"
    merged: dict[tuple[str, int], int] = {}
    for c in consumer.commits:
        merged.update(c)
    assert merged == {("grid.reports", 0): 3, ("grid.reports", 1): 1}
    assert relay.woken == stats.batches
    assert relay.stopped
    assert consumer.events[-1] == "close"


def test_batches_prepared_while_one_is_written_are_committed_together() -> None:
    # Group commit: the first transaction is held until every batch was consumed; the three
    # prepared meanwhile go into the next transaction, with one offset commit covering them.
    batches = [[msg(0, 0)], [msg(0, 1)], [msg(1, 0)], [msg(0, 2)]]
    worker, consumer, _ = run(batches, gated=True)
    stats = worker.run()
    assert [e for e in consumer.events if e.startswith("write")] == ["write 1", "write 3"]
    assert stats.batches == 2
    assert stats.applied == 4
    assert consumer.commits[-1] == {("grid.reports", 0): 3, ("grid.reports", 1): 1}


def test_a_failed_write_stops_the_worker_and_commits_nothing_for_that_batch() -> None:
    worker, consumer, relay = run([[msg(0, 0)], [msg(0, 1)], [msg(0, 2)]], fail_on=1)
    with pytest.raises(RuntimeError, match="could not write a batch"):
        worker.run()
    committed = max((c.get(("grid.reports", 0), 0) for c in consumer.commits), default=0)
    assert committed <= 1, "an offset past the failed batch was committed"
    assert relay.stopped


class AwayConsumer(FakeConsumer):
    """Kafka refuses the first `away` offset commits (the broker is away), then takes them."""

    def __init__(
        self, batches: list[list[InboundMessage]], worker: list[RouterWorker], away: int
    ) -> None:
        super().__init__(batches, worker)
        self.away = away
        self.refused: list[dict[tuple[str, int], int]] = []

    def poll(self, timeout: float) -> list[InboundMessage]:
        if not self.batches and not self.commits:
            return []  # the broker is still away: the worker goes on polling
        return super().poll(timeout)

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        if self.away:
            self.away -= 1
            self.refused.append(dict(positions))
            raise BrokerUnavailableError("offset commit: 111 ECONNREFUSED")
        return super().commit(positions)


def test_offsets_kafka_could_not_take_are_committed_once_it_answers() -> None:
    holder: list[RouterWorker] = []
    consumer = AwayConsumer([[msg(0, 0), msg(0, 1)], [msg(1, 0)]], holder, away=3)
    router = FakeRouter(consumer.events)
    worker = RouterWorker(consumer, router, FakeRelay(), poll_timeout=0.01)  # type: ignore[arg-type]
    holder.append(worker)
    stats = worker.run()  # no exception: the worker waited for the broker
    assert stats.applied == 3
    assert len(consumer.refused) == 3
    # The first commit Kafka took covers every offset it had refused (nothing left behind).
    first = consumer.commits[0]
    for refused in consumer.refused:
        assert all(first.get(tp, -1) >= offset for tp, offset in refused.items()), (refused, first)
    merged: dict[tuple[str, int], int] = {}
    for c in consumer.commits:
        merged.update(c)
    assert merged == {("grid.reports", 0): 2, ("grid.reports", 1): 1}
