"""What the service layer needs from the outside world, as protocols. Adapters implement them;
tests may pass fakes for pure logic, but the integration tests use the real ones."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from grid_router.domain.clocks import SlaTerms, Timer
from grid_router.domain.disposition import Change, Incident
from grid_router.domain.filing import Filed, OpenIncident, Regrade
from grid_router.domain.model import GeoPoint
from grid_router.domain.org import NearbyReport


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message as consumed from Kafka, independent of the client library."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...] = ()
    timestamp_ms: int | None = None  # the broker's or producer's timestamp, when known

    @property
    def position(self) -> str:
        return f"{self.topic}/{self.partition}/{self.offset}"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """A Kafka message to send once the transaction that wrote it has committed."""

    topic: str  # a Kafka topic, or a bridge's name for kind "bridge"
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()
    event_id: str | None = None
    kind: str = "kafka"  # "kafka": the relay sends it; "bridge": that bridge's sender


@dataclass(frozen=True, slots=True)
class PendingMessage:
    """An outbox row not yet confirmed as sent."""

    id: int
    message: OutboxMessage
    attempts: int = 0


@dataclass(frozen=True, slots=True)
class PhotoRef:
    """A photo a report or an action carried, to record with the incident (references only)."""

    event_id: str
    action_id: str | None  # None: the report's own photos
    action: str  # "REPORT" or the action's code
    position: int
    url: str
    sha256: str | None


@dataclass(frozen=True, slots=True)
class InboxEntry:
    message_id: str
    topic: str
    partition: int
    offset: int
    outcome: str


@dataclass(slots=True)
class PublishResult:
    sent: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)
    # The failures are the broker's outage (said once by the publisher), not the messages'.
    broker_away: bool = False


class UnitOfWork(Protocol):
    """One database transaction: rolled back on exit unless `commit()` was called."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def savepoint(self) -> Savepoint: ...

    def seen(self, message_ids: Iterable[str]) -> set[str]:
        """Which of these message ids were consumed before."""
        ...

    def record_inbox(self, entries: Sequence[InboxEntry], at: datetime) -> None: ...

    def add_filings(self, filings: Sequence[Filed], at: datetime) -> None: ...

    def open_incidents(
        self, keys: Iterable[tuple[str, str]], since: datetime
    ) -> dict[tuple[str, str], OpenIncident]:
        """The oldest open incident per (grid code, category) filed since `since`."""
        ...

    def open_incident_near(
        self, category: str, point: GeoPoint, meters: float, since: datetime
    ) -> OpenIncident | None: ...

    def located_near(self, point: GeoPoint, meters: float) -> list[NearbyReport]:
        """Earlier reports within `meters` of `point` placed in a community or street by their
        grid code, community code or address, nearest first."""
        ...

    def count_repeats(self, repeats: Mapping[str, int], at: datetime) -> None: ...

    def apply_regrades(self, regrades: Sequence[Regrade], at: datetime) -> None: ...

    def live_bursts(self, refs: Iterable[str], since: datetime) -> dict[str, str]:
        """Per burst reference, the open burst incident a report joined since `since`."""
        ...

    def unlinked(self, subcategories: Iterable[str], since: datetime) -> dict[str, list[str]]:
        """Per district, the incidents of these subcategories since `since` no burst links."""
        ...

    def link_bursts(self, links: Mapping[str, Sequence[str]], at: datetime) -> None: ...

    def add_outbox(self, messages: Sequence[OutboxMessage], at: datetime) -> list[int]:
        """Write `messages`; returns the ids of the Kafka rows among them."""
        ...

    def forget_outbox(self, ids: Sequence[int]) -> None:
        """Delete outbox rows Kafka has acknowledged, in this transaction."""
        ...

    def incidents_for_update(
        self, event_ids: Iterable[str], fallback: SlaTerms, *, skip_locked: bool = False
    ) -> dict[str, Incident]:
        """The incidents that exist, locked for this transaction."""
        ...

    def timers_of(self, event_ids: Iterable[str]) -> dict[str, tuple[Timer, ...]]: ...

    def due_event_ids(self, now: datetime, limit: int) -> list[str]: ...

    def next_due(self) -> datetime | None: ...

    def replace_timers(self, event_ids: Sequence[str], timers: Sequence[Timer]) -> None: ...

    def save_changes(self, changes: Sequence[Change], at: datetime) -> None: ...

    def add_photos(self, photos: Sequence[PhotoRef], at: datetime) -> None:
        """Record the photo references of reports filed and actions applied."""
        ...


class Savepoint(Protocol):
    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None: ...


class Outbox(Protocol):
    """The relay's view of the outbox table."""

    def leader(self) -> bool:
        """Whether this relay is the one that sends (only one at a time may)."""
        ...

    def close(self) -> None: ...

    def pending(self, limit: int, up_to: int | None = None) -> list[PendingMessage]: ...

    def last_id(self) -> int: ...

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None: ...

    def mark_failed(self, failures: dict[int, str]) -> None: ...

    def count_pending(self) -> int: ...


class Publisher(Protocol):
    """Sends messages to Kafka and reports, per outbox id, whether the broker took them."""

    def publish(self, messages: Sequence[PendingMessage]) -> PublishResult: ...
