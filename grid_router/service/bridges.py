"""Bridge senders: deliver the outbox's bridge rows to the outside systems, one thread each.

Per destination: its own thread, its own circuit breaker and its own failures, so a dead hotline
never delays a 数字城管 delivery. Per delivery: an `Idempotency-Key` (bridge:event id:version),
an HMAC-SHA256 signature over the timestamp and the body, quick retries with exponential backoff
and jitter (tenacity) honouring `Retry-After`, then a persistent backoff between passes; after
the bridge's `max_attempts` the delivery is parked, visible and replayable
(`grid-router outbox list|retry`). Deliveries of one incident go in order (see
`adapters/db/deliveries.py`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx
import pybreaker
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from grid_router.adapters.db.deliveries import PendingDelivery
from grid_router.adapters.db.outage import database_unavailable
from grid_router.service.metrics import (
    CIRCUIT_OPEN,
    DELIVERED,
    PARKED,
    RETRYING,
    GridMetrics,
)

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Grid-Signature"
TIMESTAMP_HEADER = "X-Grid-Timestamp"
IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature of a request: `sha256=` and the hex HMAC-SHA256 of "<timestamp>.<body>"
    under the shared secret. Both directions use it (docs/bridges.md)."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str | None, signature: str | None, body: bytes,
           now: float, tolerance: float = 300.0) -> bool:  # fmt: skip
    """Whether `signature` is right for `body` at `timestamp`, and the timestamp is within
    `tolerance` seconds of `now` (a replayed old request is refused)."""
    if not timestamp or not signature:
        return False
    try:
        at = float(timestamp)
    except ValueError:
        return False
    if abs(now - at) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


class DeliveryStore(Protocol):
    def leader(self, bridge: str) -> bool: ...

    def due(self, bridge: str, now: datetime, limit: int = 100) -> list[PendingDelivery]: ...

    def next_attempt(self, bridge: str) -> datetime | None: ...

    def delivered(self, delivery_id: int) -> None: ...

    def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None: ...


@dataclass(frozen=True, slots=True)
class Destination:
    """A bridge's far side: base URL, shared secret, and how hard to try."""

    name: str
    base_url: str
    secret: str
    max_attempts: int = 12
    timeout: float = 10.0
    backoff_first: float = 2.0
    backoff_max: float = 600.0
    breaker_failures: int = 5
    breaker_reset: float = 30.0


class TransientError(Exception):
    """The far side may take it later: 429, 5xx, a timeout, no connection."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RejectedError(Exception):
    """The far side refused the request as it is (a 4xx other than 409 and 429)."""


class BridgeSender:
    """Sends one bridge's deliveries until stopped."""

    def __init__(
        self,
        destination: Destination,
        store: DeliveryStore,
        clock: Callable[[], datetime],
        client: httpx.Client | None = None,
        quick_attempts: int = 3,
        breaker: pybreaker.CircuitBreaker | None = None,
        metrics: GridMetrics | None = None,
    ) -> None:
        self.destination = destination
        self._metrics = metrics
        if metrics is not None:
            metrics.bridge(destination.name)
        self._store = store
        self._clock = clock
        self._client = client or httpx.Client(
            base_url=destination.base_url, timeout=destination.timeout
        )
        self._quick_attempts = quick_attempts
        # A refused request (a 4xx) says nothing about the destination's health.
        self._breaker = breaker or pybreaker.CircuitBreaker(
            fail_max=destination.breaker_failures,
            reset_timeout=destination.breaker_reset,
            name=destination.name,
            exclude=[RejectedError],
        )
        self._stop = threading.Event()
        self.wake = threading.Event()
        self._told_open = False  # the open circuit is logged once, not at every pass

    @property
    def circuit_open(self) -> bool:
        return self._breaker.current_state == pybreaker.STATE_OPEN

    def send_due(self) -> int:
        """One pass: try every delivery due now, in order; returns how many were delivered.
        Stops early while the circuit is open."""
        name = self.destination.name
        if not self._store.leader(name):
            return 0
        done = 0
        for delivery in self._store.due(name, self._clock()):
            if self._stop.is_set():
                break
            try:
                self._breaker.call(self._post_with_retries, delivery)
            except pybreaker.CircuitBreakerError:
                # Open: the destination is down. This delivery's attempt is not counted; it
                # goes again when the breaker lets a trial call through.
                if not self._told_open:
                    log.warning("bridge %s: circuit open; deliveries wait", name)
                    self._told_open = True
                self._count(CIRCUIT_OPEN)
                break
            except (TransientError, RejectedError) as exc:
                self._failed(delivery, exc)
                if self._breaker.current_state == pybreaker.STATE_OPEN:
                    break
                continue
            self._store.delivered(delivery.id)
            self._count(DELIVERED)
            if self._told_open:
                log.warning("bridge %s: circuit closed; deliveries resume", name)
                self._told_open = False
            done += 1
        return done

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.delivery(self.destination.name, outcome)
            self._metrics.circuit(self.destination.name, self.circuit_open)

    def _failed(self, delivery: PendingDelivery, exc: Exception) -> None:
        attempts = delivery.attempts + 1
        now = self._clock()
        if attempts >= self.destination.max_attempts:
            retry_at = None
            log.error(
                "bridge %s: delivery %s parked after %d attempts: %s",
                self.destination.name, delivery.key, attempts, exc,
            )  # fmt: skip
        else:
            d = self.destination
            wait = backoff(attempts, d.backoff_first, d.backoff_max)
            if isinstance(exc, TransientError) and exc.retry_after is not None:
                wait = max(wait, exc.retry_after)
            retry_at = now + timedelta(seconds=wait)
        self._store.failed(delivery.id, f"{type(exc).__name__}: {exc}", retry_at)
        self._count(PARKED if retry_at is None else RETRYING)

    def _post_with_retries(self, delivery: PendingDelivery) -> None:
        retrying = Retrying(
            stop=stop_after_attempt(self._quick_attempts),
            wait=_wait_honouring_retry_after,
            # A Retry-After longer than a few seconds is honoured by the pass backoff instead.
            retry=retry_if_exception(
                lambda e: (
                    isinstance(e, TransientError) and (e.retry_after is None or e.retry_after <= 5)
                )
            ),
            reraise=True,
            sleep=self._sleep,
        )
        for attempt in retrying:
            with attempt:
                self._post(delivery)

    def _sleep(self, seconds: float) -> None:
        self._stop.wait(seconds)  # a stop interrupts the wait

    def _post(self, delivery: PendingDelivery) -> None:
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            IDEMPOTENCY_HEADER: delivery.key,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.destination.secret, timestamp, body),
        }
        try:
            response = self._client.post(delivery.path, content=body, headers=headers)
        except httpx.TimeoutException as exc:
            raise TransientError(f"timed out after {self.destination.timeout:g} s") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"cannot reach {self.destination.base_url}: {exc}") from exc
        status = response.status_code
        if 200 <= status < 300 or status == 409:
            return  # 409: the far side already has this idempotency key
        text = response.text[:300]
        if status == 429 or status >= 500:
            raise TransientError(
                f"HTTP {status}: {text}", retry_after=_retry_after(response.headers)
            )
        raise RejectedError(f"HTTP {status}: {text}")

    def run(self) -> None:
        """Send until `stop()`: a pass, then wait for the next delivery due or a wake-up."""
        while not self._stop.is_set():
            try:
                if self.send_due():
                    continue  # more may be due right away: no pause while deliveries flow
                nxt = self._store.next_attempt(self.destination.name)
            except Exception as exc:
                if not database_unavailable(exc):  # an outage is said once, by the engine
                    log.exception("bridge %s: pass failed; retrying", self.destination.name)
                nxt = None
            wait = 1.0
            if nxt is not None:
                wait = min(max((nxt - self._clock()).total_seconds(), 0.05), wait)
            if self.circuit_open:
                wait = max(wait, 1.0)
            if self._metrics is not None:
                self._metrics.circuit(self.destination.name, self.circuit_open)
            self.wake.wait(wait)
            self.wake.clear()

    def stop(self) -> None:
        self._stop.set()
        self.wake.set()

    def close(self) -> None:
        self._client.close()


def backoff(attempts: int, first: float = 2.0, most: float = 600.0) -> float:
    """Seconds to wait after `attempts` failed attempts: exponential from `first`, at most
    `most`, with jitter of up to `first` (tenacity's wait_exponential_jitter)."""
    state: Any = _AttemptState(attempts)
    return float(wait_exponential_jitter(multiplier=first, max=most, jitter=first)(state))


@dataclass(frozen=True, slots=True)
class _AttemptState:
    attempt_number: int


def _wait_honouring_retry_after(state: RetryCallState) -> float:
    base = float(wait_exponential_jitter(multiplier=0.2, max=2, jitter=0.2)(state))
    outcome = state.outcome
    exc = outcome.exception() if outcome is not None else None
    if isinstance(exc, TransientError) and exc.retry_after is not None:
        return max(base, exc.retry_after)
    return base


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class BridgeSenders:
    """Every enabled bridge's sender, each on a thread of its own."""

    def __init__(self, senders: list[BridgeSender]) -> None:
        self.senders = senders
        self._threads = [
            threading.Thread(target=s.run, name=f"bridge-{s.destination.name}", daemon=True)
            for s in senders
        ]

    def start(self) -> None:
        for t in self._threads:
            t.start()

    def stop(self, timeout: float = 10.0) -> None:
        for s in self.senders:
            s.stop()
        for t in self._threads:
            t.join(timeout)
        for s in self.senders:
            s.close()
