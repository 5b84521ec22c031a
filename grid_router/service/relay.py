"""The outbox relay: sends what committed transactions wrote to the outbox, in order.

A row is marked sent only after the broker acknowledged it, so a crash between the two sends it
again: delivery is at least once, and every message carries (event id, version) for consumers
to drop the repeat.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

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
    ) -> None:
        self._outbox = outbox
        self._publisher = publisher
        self._clock = clock
        self._batch_size = batch_size
        self._idle_wait = idle_wait
        self._max_backoff = max_backoff
        self.wake = threading.Event()

    def relay_once(self) -> tuple[int, int]:
        """Send one batch of pending rows; returns (sent, failed)."""
        if not self._outbox.leader():
            return 0, 0
        pending = self._outbox.pending(self._batch_size)
        if not pending:
            return 0, 0
        result = self._publisher.publish(pending)
        self._outbox.mark_sent(result.sent, self._clock())
        self._outbox.mark_failed(result.failed)
        if result.failed:
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
            try:
                sent, failed = self.relay_once()
            except Exception:
                log.exception("outbox relay pass failed; will retry")
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
            if stop.is_set():
                return
            self.wake.wait(self._idle_wait)
            self.wake.clear()
