"""Where the outbox relay runs beside the router: a thread, or a process of its own.

The relay and the router meet only in the database, so the relay can run in a second process
and use the machine's second core; the router then spends its time on consuming and filing.
"""

from __future__ import annotations

import threading
from typing import Protocol

from grid_router.service.relay import OutboxRelay


class RelayRunner(Protocol):
    def start(self) -> None: ...

    def wake(self) -> None:
        """New rows were committed to the outbox."""
        ...

    def stop(self, timeout: float) -> None:
        """Send what is pending (within `timeout`), then stop."""
        ...


class ThreadRelayRunner:
    def __init__(self, relay: OutboxRelay) -> None:
        self._relay = relay
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=relay.run, args=(self._stop,), name="outbox-relay", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._relay.wake.set()

    def stop(self, timeout: float) -> None:
        self._stop.set()
        self._relay.wake.set()
        self._thread.join(timeout)
