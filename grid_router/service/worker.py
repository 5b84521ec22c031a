"""The long-running router process: consume, apply, commit offsets, relay the outbox.

The order of a checkpoint is the whole of the delivery guarantee, so it lives in one place
(`_checkpoint`): see the comment there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from grid_router.service.ports import InboundMessage
from grid_router.service.relay_runner import RelayRunner
from grid_router.service.router import BatchOutcome, ReportRouter

log = logging.getLogger(__name__)


class BatchConsumer(Protocol):
    def poll(self, timeout: float) -> list[InboundMessage]: ...

    def commit(self) -> bool: ...

    def close(self) -> None: ...


@dataclass(slots=True)
class WorkerStats:
    batches: int = 0
    applied: int = 0
    duplicates: int = 0
    deadlettered: int = 0


class RouterWorker:
    """Runs the router over a consumer and the relay beside it until `stop()`."""

    def __init__(
        self,
        consumer: BatchConsumer,
        router: ReportRouter,
        relay: RelayRunner,
        poll_timeout: float = 0.5,
    ) -> None:
        self._consumer = consumer
        self._router = router
        self._relay = relay
        self._poll_timeout = poll_timeout
        self._stop = threading.Event()
        self.stats = WorkerStats()

    def stop(self) -> None:
        """Ask the worker to finish the batch in hand and exit (safe from a signal handler)."""
        self._stop.set()

    def run(self) -> WorkerStats:
        self._relay.start()
        try:
            while not self._stop.is_set():
                batch = self._consumer.poll(self._poll_timeout)
                if batch:
                    self._checkpoint(batch)
        finally:
            self._consumer.close()
            # Let the relay send what the last batches wrote before the process exits; what it
            # cannot send stays in the outbox for the next start.
            self._relay.stop(timeout=30)
        return self.stats

    def _checkpoint(self, batch: Sequence[InboundMessage]) -> BatchOutcome:
        # 1. One database transaction records the batch's inputs (inbox), the incidents, their
        #    history and every message to send (outbox). After it commits, the batch's effects
        #    are durable and a replay of the same messages is recognised and skipped.
        outcome = self._router.handle_batch(batch)
        # 2. Wake the relay: it sends the outbox and marks rows sent only once acknowledged.
        #    It need not finish before offsets are committed, because the outbox is durable.
        self._relay.wake()
        # 3. Only now commit the Kafka offsets. A crash before this line replays the batch,
        #    which the inbox turns into no-ops; a crash after it loses nothing either.
        self._consumer.commit()
        self.stats.batches += 1
        self.stats.applied += outcome.applied
        self.stats.duplicates += outcome.duplicates
        self.stats.deadlettered += sum(outcome.deadlettered.values())
        log.info(
            "batch of %d: %d filed, %d duplicate, %d dead-lettered",
            len(batch),
            outcome.applied,
            outcome.duplicates,
            sum(outcome.deadlettered.values()),
        )
        return outcome
