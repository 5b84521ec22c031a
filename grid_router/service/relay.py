"""The outbox relay: sends what committed transactions wrote to the outbox, in order.

A row is marked sent only after the broker acknowledged it, so a crash between the two sends it
again: delivery is at least once, and every message carries (event id, version) for consumers
to drop the repeat.

With a `grace`, the relay is the sweeper behind `service.publish.CommitPublisher`: the process
that commits a batch publishes its rows itself, at once, and forgets them once acknowledged;
the relay sends only rows that have waited longer than `grace` (their process died, or Kafka
did not acknowledge them), so it never races the committing process for fresh rows.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from grid_router.adapters.db.outage import database_unavailable
from grid_router.service.ports import Outbox, Publisher

log = logging.getLogger(__name__)


class OutboxRelay:
    def __init__(
        self,
        outbox: Outbox,
        publisher: Publisher,
        clock: Callable[[], datetime],
        batch_size: int = 5000,
        idle_wait: float = 0.5,
        max_backoff: float = 30.0,
        grace: float = 0.0,
    ) -> None:
        self._outbox = outbox
        self._publisher = publisher
        self._clock = clock
        self._batch_size = batch_size
        self._idle_wait = idle_wait
        self._max_backoff = max_backoff
        self._grace = grace
        # (monotonic time, newest outbox id then): rows up to a watermark taken `grace` seconds
        # ago have waited at least that long.
        self._marks: collections.deque[tuple[float, int]] = collections.deque()
        self.wake = threading.Event()

    def _up_to(self, draining: bool = False) -> int | None:
        """With a grace, the newest id that has waited at least `grace` (0: none yet)."""
        if self._grace <= 0 or draining:
            return None
        now = time.monotonic()
        self._marks.append((now, self._outbox.last_id()))
        ripe = 0
        while self._marks and self._marks[0][0] <= now - self._grace:
            ripe = self._marks.popleft()[1]
        if ripe:
            self._marks.appendleft((now - self._grace, ripe))  # still the ripe mark next pass
        return ripe

    def relay_once(self, draining: bool = False) -> tuple[int, int]:
        """Send one batch of pending rows (when `draining`, every row, however fresh); returns
        (sent, failed)."""
        if not self._outbox.leader():
            return 0, 0
        up_to = self._up_to(draining)
        if up_to == 0:
            return 0, 0
        pending = self._outbox.pending(self._batch_size, up_to)
        if not pending:
            return 0, 0
        result = self._publisher.publish(pending)
        self._outbox.mark_sent(result.sent, self._clock())
        self._outbox.mark_failed(result.failed)
        if result.failed and not result.broker_away:  # an outage is said once, by the publisher
            first = next(iter(result.failed.values()))
            log.warning(
                "%d outbox messages not acknowledged (first: %s)", len(result.failed), first
            )
        return len(result.sent), len(result.failed)

    def run(self, stop: threading.Event) -> None:
        """Relay until `stop` is set, then drain what is pending and return."""
        try:
            self._run(stop)
        finally:
            self._outbox.close()

    def _run(self, stop: threading.Event) -> None:
        backoff = self._idle_wait
        while True:
            draining = stop.is_set()
            try:
                sent, failed = self.relay_once(draining)
            except Exception as exc:
                if not database_unavailable(exc):  # an outage is said once, by the engine
                    log.exception("outbox relay pass failed; will retry")
                if draining and database_unavailable(exc):
                    return  # what is pending stays in the outbox for the next start
                sent, failed = 0, 1
            if failed:
                # The broker is refusing or unreachable: back off instead of spinning. Rows stay
                # pending in the database, so nothing is lost while we wait.
                if stop.wait(backoff):
                    return
                backoff = min(backoff * 2, self._max_backoff)
                continue
            backoff = self._idle_wait
            if sent >= self._batch_size:
                continue
            if draining:
                return
            self.wake.wait(self._idle_wait)
            self.wake.clear()
