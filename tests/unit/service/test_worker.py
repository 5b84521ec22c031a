"""The checkpoint order of the router worker, with fakes: offsets are committed only for
batches whose transaction has committed, and only up to their own last message."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest

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

    def poll(self, timeout: float) -> list[InboundMessage]:
        if self.batches:
            return self.batches.pop(0)
        self.worker[0].stop()
        return []

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        self.events.append(f"commit {dict(positions)}")
        self.commits.append(dict(positions))
        return True

    def close(self) -> None:
        self.events.append("close")


class FakeRouter:
    def __init__(self, events: list[str], fail_on: int | None = None) -> None:
        self.events = events
        self.fail_on = fail_on
        self.written = 0
        self.lock = threading.Lock()

    def prepare(self, batch: list[InboundMessage]) -> PreparedBatch:
        return PreparedBatch(tuple(batch), datetime.now(UTC))  # type: ignore[arg-type]

    def write(self, prepared: PreparedBatch, forget: Sequence[int] = ()) -> BatchOutcome:
        with self.lock:
            self.written += 1
            if self.fail_on == self.written:
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


def run(batches: list[list[InboundMessage]], fail_on: int | None = None) -> tuple[Any, ...]:
    holder: list[RouterWorker] = []
    consumer = FakeConsumer(batches, holder)
    router = FakeRouter(consumer.events, fail_on)
    relay = FakeRelay()
    worker = RouterWorker(consumer, router, relay, poll_timeout=0.01)  # type: ignore[arg-type]
    holder.append(worker)
    return worker, consumer, relay


def test_every_commit_follows_the_write_of_the_batches_it_covers() -> None:
    worker, consumer, relay = run([[msg(0, 0), msg(0, 1)], [msg(1, 0)], [msg(0, 2)]])
    stats = worker.run()
    assert stats.applied == 4
    assert stats.batches == 3
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
    assert relay.woken == 3
    assert relay.stopped
    assert consumer.events[-1] == "close"


def test_a_failed_write_stops_the_worker_and_commits_nothing_for_that_batch() -> None:
    worker, consumer, relay = run([[msg(0, 0)], [msg(0, 1)], [msg(0, 2)]], fail_on=2)
    with pytest.raises(RuntimeError, match="could not write a batch"):
        worker.run()
    committed = max((c.get(("grid.reports", 0), 0) for c in consumer.commits), default=0)
    assert committed <= 1, "an offset past the failed batch was committed"
    assert relay.stopped
