"""Publish right after the commit, from the process that committed.

The router (and the SLA scheduler) hand the Kafka messages of a committed transaction, with
their outbox ids, to `CommitPublisher.publish`: they go to the producer at once, so a work order
does not wait for a relay's poll. Once Kafka has acknowledged every message of the transaction,
its outbox ids are handed back by `acknowledged()` for the next transaction to delete. If the
process dies before that, or Kafka refuses, the rows stay in the outbox and the relay, as a
sweeper, sends them after its grace (`service.relay.OutboxRelay`): nothing is lost, and what is
sent twice carries the same (event id, version) for consumers to drop.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any, Protocol

from grid_router.service.ports import OutboxMessage

log = logging.getLogger(__name__)


class Future(Protocol):
    def add_callback(self, f: Any, *args: Any) -> Any: ...

    def add_errback(self, f: Any, *args: Any) -> Any: ...


class Producer(Protocol):
    """The part of kafka-python's KafkaProducer used here."""

    def send(
        self, topic: str, *, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]
    ) -> Future: ...

    def flush(self, timeout: float | None = None) -> None: ...


class Notice(Protocol):
    """The process's broker notice (`adapters.kafka.outage`): an outage is said once by it."""

    def failed(self, exc: BaseException, stale: bool = False) -> bool:
        """True when `exc` is the broker being away (said, once, by the notice)."""
        ...

    def ok(self) -> None: ...


class _Transaction:
    """The messages of one committed transaction, counting down acknowledgements."""

    __slots__ = ("failed", "ids", "left")

    def __init__(self, ids: Sequence[int], left: int) -> None:
        self.ids = ids
        self.left = left
        self.failed = False


class CommitPublisher:
    """Sends committed outbox rows at once; collects the ids Kafka acknowledged."""

    def __init__(self, producer: Producer, notice: Notice | None = None) -> None:
        self._producer = producer
        self._notice = notice
        self._lock = threading.Lock()
        self._acked: list[int] = []
        self.failures = 0  # transactions left to the sweeper

    def publish(self, ids: Sequence[int], messages: Sequence[OutboxMessage]) -> None:
        """Send the Kafka `messages` of a committed transaction (`ids`: their outbox rows)."""
        kafka = [m for m in messages if m.kind == "kafka"]
        if not kafka:
            return
        tx = _Transaction(ids, len(kafka))
        for m in kafka:
            try:
                future = self._producer.send(
                    m.topic, key=m.key, value=m.value, headers=list(m.headers)
                )
            except Exception as exc:  # the sweeper sends them; the router goes on
                if not self._outage(exc):
                    log.warning("publishing after commit failed (%s); the relay will send", exc)
                self._done(tx, ok=False)
                return
            future.add_callback(self._ok, tx)
            future.add_errback(self._failed, tx)

    def flush(self, timeout: float = 30.0) -> None:
        """Wait (up to `timeout`) for what was sent to be acknowledged or refused."""
        try:
            self._producer.flush(timeout=timeout)
        except Exception as exc:
            log.warning("flush did not complete (%s); the relay will send the rest", exc)

    def acknowledged(self) -> list[int]:
        """Outbox ids of transactions Kafka has wholly acknowledged since the last call."""
        with self._lock:
            acked, self._acked = self._acked, []
        return acked

    def _ok(self, tx: _Transaction, _metadata: object) -> None:
        self._done(tx, ok=True)

    def _failed(self, tx: _Transaction, exc: BaseException) -> None:
        # Said once per transaction, and not at all when it is the broker's outage (its notice
        # says that once for the whole process).
        if tx.left > 0 and not self._outage(exc):
            log.warning("Kafka did not acknowledge a message (%s); the relay will send it", exc)
        self._done(tx, ok=False)

    def _outage(self, exc: BaseException) -> bool:
        return self._notice is not None and self._notice.failed(exc, stale=True)

    def _done(self, tx: _Transaction, ok: bool) -> None:
        with self._lock:
            if tx.left <= 0:
                return
            if not ok:
                # Keep every row of the transaction: the sweeper sends them all again, in order.
                tx.left = 0
                self.failures += 1
                return
            tx.left -= 1
            if tx.left == 0:
                self._acked.extend(tx.ids)
        if ok and self._notice is not None:
            self._notice.ok()
