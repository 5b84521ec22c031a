"""The long-running router process: consume, apply, commit offsets, relay the outbox.

The order of a checkpoint is the whole of the delivery guarantee, so it is written down in one
place (`RouterWorker._checkpoint` with `_Writer._write`): see the comments there.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from grid_router.adapters.db.outage import database_unavailable
from grid_router.domain.disposition import Change
from grid_router.domain.filing import Filed
from grid_router.exceptions import BrokerUnavailableError
from grid_router.service.bridges import BridgeSenders
from grid_router.service.metrics import GridMetrics
from grid_router.service.ports import InboundMessage
from grid_router.service.publish import CommitPublisher
from grid_router.service.relay_runner import RelayRunner
from grid_router.service.router import BatchOutcome, PreparedBatch, ReportRouter
from grid_router.service.scheduler import SchedulerThread, SlaScheduler, SweepOutcome

log = logging.getLogger(__name__)

Positions = dict[tuple[str, int], int]


class Poller(Protocol):
    """A thread that pulls from a far side (the 12345 hotline's tickets)."""

    def start(self) -> None: ...

    def stop(self, timeout: float = 10.0) -> None: ...


class BatchConsumer(Protocol):
    def poll(self, timeout: float) -> list[InboundMessage]: ...

    def commit(self, positions: Mapping[tuple[str, int], int]) -> bool:
        """False: refused after a rebalance. Raises BrokerUnavailableError while Kafka is away."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class ReportsLag(Protocol):
    """A consumer that can say how far behind it is, per partition."""

    def lag(self) -> dict[tuple[str, int], int]: ...


@dataclass(slots=True)
class WorkerStats:
    batches: int = 0
    applied: int = 0
    duplicates: int = 0
    deadlettered: int = 0

    def add(self, outcome: BatchOutcome) -> None:
        self.batches += 1
        self.applied += outcome.applied
        self.duplicates += outcome.duplicates
        self.deadlettered += sum(outcome.deadlettered.values())


def next_positions(batch: Sequence[InboundMessage]) -> Positions:
    """The offsets to commit once `batch` is recorded: one past its last message, per
    partition."""
    positions: Positions = {}
    for m in batch:
        key = (m.topic, m.partition)
        positions[key] = max(positions.get(key, 0), m.offset + 1)
    return positions


class _Writer:
    """Writes prepared batches in a thread of its own, so that the database commit of one
    transaction (mostly waiting for the disk) overlaps the decoding of the next batches.

    Group commit: a transaction starts as soon as the writer is free, with every batch prepared
    meanwhile (up to `GROUP_MESSAGES` messages), so that nothing waits for a batch to fill up
    and, under load, one commit (one fsync) carries many small batches.
    """

    # With nothing to write for this long, acknowledged outbox rows are deleted on their own.
    IDLE_FORGET = 0.5
    # Prepared batches waiting for the writer; offsets stay behind until they are written.
    WAITING = 8
    GROUP_MESSAGES = 2000
    # While the database is down, a batch is tried again after this long, doubling up to the max.
    OUTAGE_FIRST_WAIT = 0.2
    OUTAGE_MAX_WAIT = 2.0

    def __init__(
        self, router: ReportRouter, relay: RelayRunner, publisher: CommitPublisher | None = None
    ) -> None:
        self._router = router
        self._relay = relay
        self._publisher = publisher
        # One batch waiting besides the one being written: enough to overlap, and the consumer
        # never runs far ahead of what is durable.
        self._todo: queue.Queue[tuple[PreparedBatch, Positions] | None] = queue.Queue(
            maxsize=self.WAITING
        )
        self._done: queue.Queue[tuple[BatchOutcome, Positions]] = queue.Queue()
        self._error: BaseException | None = None
        self._closing = threading.Event()
        self._gave_up = False  # stopped while the database was away (not a failure)
        self._thread = threading.Thread(target=self._run, name="router-writer", daemon=True)
        self._thread.start()

    def submit(self, prepared: PreparedBatch, positions: Positions) -> None:
        self._raise_if_failed()
        while True:
            try:
                self._todo.put((prepared, positions), timeout=0.5)
                return
            except queue.Full:
                self._raise_if_failed()

    def finished(self) -> list[tuple[BatchOutcome, Positions]]:
        """Batches whose transaction has committed since the last call, in order."""
        self._raise_if_failed()
        done = []
        while True:
            try:
                done.append(self._done.get_nowait())
            except queue.Empty:
                return done

    def close(self) -> list[tuple[BatchOutcome, Positions]]:
        """Write what was submitted, stop, and return what finished. While the database is down
        a batch in hand is given up (its offsets stay uncommitted: it is read again)."""
        self._closing.set()
        self._todo.put(None)
        self._thread.join()
        if self._gave_up:
            return []  # the database was away at the end: nothing more is committed
        return self.finished()

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            raise RuntimeError("the router could not write a batch") from self._error

    def _run(self) -> None:
        while True:
            try:
                job = self._todo.get(timeout=self.IDLE_FORGET)
            except queue.Empty:
                self._forget_idle()
                continue
            if job is None:
                self._forget_idle()
                return
            if self._error is not None:
                continue  # after a failure, nothing more is written; offsets stay behind
            prepared, positions, closing = self._group(job)
            self._write_waiting_out_outages(prepared, positions)
            if closing:
                self._forget_idle()
                return

    def _write_waiting_out_outages(self, prepared: PreparedBatch, positions: Positions) -> None:
        acked = self._publisher.acknowledged() if self._publisher is not None else []
        wait = self.OUTAGE_FIRST_WAIT
        while True:
            try:
                outcome = self._write(prepared, acked)
            except BaseException as exc:
                if database_unavailable(exc) and not self._closing.is_set():
                    # The database is down (the engine's notice has said so, once): the batch
                    # waits in hand, its offsets uncommitted, until it comes back.
                    self._closing.wait(wait)
                    wait = min(wait * 2, self.OUTAGE_MAX_WAIT)
                    continue
                if database_unavailable(exc):
                    log.warning("stopping with the database unavailable; the batch in "
                                "hand is read again at the next start")  # fmt: skip
                    self._gave_up = True
                else:
                    log.exception("writing a batch failed; the router stops")
                self._error = exc
                return
            self._done.put((outcome, positions))
            return

    def _group(
        self, first: tuple[PreparedBatch, Positions]
    ) -> tuple[PreparedBatch, Positions, bool]:
        """`first` with the batches prepared while the last transaction ran, as one batch (in
        the order consumed; positions: the furthest of each partition). True: stop after it."""
        items, positions = list(first[0].items), dict(first[1])
        prepared_at = first[0].prepared_at
        while len(items) < self.GROUP_MESSAGES:
            try:
                job = self._todo.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return PreparedBatch(tuple(items), prepared_at), positions, True
            items.extend(job[0].items)
            positions.update(job[1])
            prepared_at = job[0].prepared_at
        return PreparedBatch(tuple(items), prepared_at), positions, False

    def _write(self, prepared: PreparedBatch, acked: Sequence[int]) -> BatchOutcome:
        # 1. One database transaction records the batch's inputs (inbox), the incidents, their
        #    history and every message to send (outbox), and deletes the outbox rows of earlier
        #    batches that Kafka has acknowledged. After it commits, the batch's effects are
        #    durable and a replay of the same messages is recognised and skipped.
        outcome = self._router.write(prepared, forget=acked)
        # 2. Publish the batch's messages now, from this process (they are durable in the
        #    outbox, so sending before the offset commit risks nothing): a work order reaches
        #    Kafka without waiting for the relay. Rows are deleted only once acknowledged (in
        #    a later transaction); if this process dies first, the relay sweeps them after its
        #    grace. Without a publisher, the relay sends everything.
        if self._publisher is not None:
            self._publisher.publish(outcome.outbox_ids, outcome.outbox)
        else:
            self._relay.wake()  # a sweeper behind a publisher has no hurry: it is not woken
        return outcome

    def _forget_idle(self) -> None:
        if self._publisher is None or self._error is not None:
            return
        acked = self._publisher.acknowledged()
        if acked:
            try:
                self._router.forget(acked)
            except Exception as exc:
                # The rows stay; the relay will send them again (consumers drop the repeat).
                log.warning("could not delete acknowledged outbox rows",
                            exc_info=not database_unavailable(exc))  # fmt: skip


class RouterWorker:
    """Runs the router over a consumer and the relay beside it until `stop()`."""

    def __init__(
        self,
        consumer: BatchConsumer,
        router: ReportRouter,
        relay: RelayRunner,
        poll_timeout: float = 0.5,
        scheduler: SlaScheduler | None = None,
        bridges: BridgeSenders | None = None,
        pollers: Sequence[Poller] = (),
        metrics: GridMetrics | None = None,
        lag_every: float = 5.0,
        publisher: CommitPublisher | None = None,
    ) -> None:
        self._consumer = consumer
        self._publisher = publisher
        self._metrics = metrics
        self._lag_every = lag_every
        self._lag_at = 0.0
        self._router = router
        self._relay = relay
        self._scheduler = scheduler
        self._bridges = bridges
        self._pollers = tuple(pollers)
        self._poll_timeout = poll_timeout
        self._stop = threading.Event()
        # Offsets of batches filed in the database but not yet committed to Kafka (the broker
        # was away): committed at the next chance, so a rebalance or restart meanwhile reads
        # those batches again and the inbox skips them.
        self._uncommitted: Positions = {}
        self.stats = WorkerStats()

    def stop(self) -> None:
        """Ask the worker to finish the batches in hand and exit (safe from a signal handler)."""
        self._stop.set()

    def run(self) -> WorkerStats:
        self._relay.start()
        if self._bridges is not None:
            self._bridges.start()
        for poller in self._pollers:
            poller.start()
        timers = None
        if self._scheduler is not None:
            if self._publisher is not None:
                self._scheduler.on_committed = self._publisher.publish
            else:
                self._scheduler.on_written = self._relay.wake
            self._scheduler.on_swept = self._swept
            timers = SchedulerThread(self._scheduler)
            timers.start()
        writer = _Writer(self._router, self._relay, self._publisher)
        try:
            while not self._stop.is_set():
                batch = self._consumer.poll(self._poll_timeout)
                if batch:
                    writer.submit(self._router.prepare(batch), next_positions(batch))
                self._checkpoint(writer.finished())
                self._measure_lag()
            self._checkpoint(writer.close())
            if self._uncommitted:
                log.warning("stopping with Kafka away: the offsets of batches already filed "
                            "are not committed; they are read again and skipped at the next "
                            "start")  # fmt: skip
        finally:
            if timers is not None:
                timers.stop()
            for poller in self._pollers:
                poller.stop()
            if self._bridges is not None:
                self._bridges.stop()
            self._consumer.close()
            if self._publisher is not None:
                # What this process published, acknowledged by now, leaves the outbox; the rest
                # stays for the relay.
                self._publisher.flush()
                with contextlib.suppress(Exception):
                    self._router.forget(self._publisher.acknowledged())
            # Let the relay send what the last batches wrote before the process exits; what it
            # cannot send stays in the outbox for the next start.
            self._relay.stop(timeout=30)
        return self.stats

    def _checkpoint(self, finished: list[tuple[BatchOutcome, Positions]]) -> None:
        # 3. Only for batches whose transaction has committed (steps 1 and 2 in
        #    `_Writer._write`) are Kafka offsets committed, and only up to their own last
        #    message: a batch polled since is not yet durable. A crash before this point
        #    replays those batches, which the inbox turns into no-ops; after it, nothing is lost.
        positions = self._uncommitted
        for outcome, batch_positions in finished:
            positions.update(batch_positions)
            self.stats.add(outcome)
            self._observe(outcome)
            log.info(
                "batch: %d filed, %d actions applied, %d refused, %d duplicate, %d dead-lettered",
                outcome.applied,
                outcome.actions,
                sum(outcome.refused.values()),
                outcome.duplicates,
                sum(outcome.deadlettered.values()),
            )
        if not positions:
            return
        try:
            self._consumer.commit(positions)
        except BrokerUnavailableError:
            return  # kept for the next loop (said once by the consumer); nothing is lost
        self._uncommitted = {}

    def _observe(self, outcome: BatchOutcome) -> None:
        """Log and count what a committed batch did: one line per event filed or changed."""
        log_filed(outcome.filed)
        log_changes(outcome.changes)
        if self._metrics is not None:
            self._metrics.batch(outcome)

    def _swept(self, outcome: SweepOutcome) -> None:
        """Called by the scheduler's thread after each sweep commits."""
        log_changes(outcome.changes)
        if self._metrics is not None:
            self._metrics.sweep(outcome)

    def _measure_lag(self) -> None:
        """Refresh the consumer-lag gauges now and then (on the consumer's own thread: the
        Kafka client is not thread-safe)."""
        now = time.monotonic()
        if self._metrics is None or now - self._lag_at < self._lag_every:
            return
        self._lag_at = now
        if isinstance(self._consumer, ReportsLag):
            try:
                self._metrics.lag(self._consumer.lag())
            except BrokerUnavailableError:
                pass  # said once by the consumer; the gauges wait for the broker
            except Exception:
                log.warning("could not read the consumer lag", exc_info=True)


def log_filed(filings: Iterable[Filed]) -> None:
    """One line per report filed: codes, grade, level and unit; nothing personal."""
    for f in filings:
        district = f.decided.location.district
        sc = f.state_change
        log.info(
            "event %s %s: %s %s → %s %s",
            sc.event_id, sc.action, sc.category_code, sc.severity, sc.level, sc.unit_code,
            extra={
                "event_id": sc.event_id, "action": sc.action, "state": sc.state,
                "category": sc.category_code, "severity": sc.severity, "level": sc.level,
                "unit": sc.unit_code, "source": f.report.source,
                "merged_into": f.merged_into,
                "district": district.code if district is not None else None,
            },
        )  # fmt: skip


def log_changes(changes: Iterable[Change]) -> None:
    """One line per change of an incident (an action applied or a timer fired)."""
    for ch in changes:
        sc = ch.state_change
        log.info(
            "event %s %s: %s → %s at %s %s",
            sc.event_id, sc.action, sc.previous_state, sc.state, sc.level, sc.unit_code,
            extra={
                "event_id": sc.event_id, "action": sc.action, "state": sc.state,
                "previous_state": sc.previous_state, "level": sc.level, "unit": sc.unit_code,
                "category": sc.category_code, "version": sc.version,
            },
        )  # fmt: skip
