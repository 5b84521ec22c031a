"""The router: turns a batch of consumed reports into one database transaction.

Per batch: decode every message, drop those consumed before (the inbox), file and dispatch the
rest, dead-letter what cannot be decoded or applied, and write all of it (inbox, incidents,
history, work orders, outbox) in one transaction. Nothing here talks to Kafka: the worker feeds
batches in and commits offsets after `handle_batch` returns; the relay sends the outbox.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.filing import Filed, classify_placeholder, file_report
from grid_router.domain.model import IncidentReport
from grid_router.domain.org import Organisation
from grid_router.exceptions import GridRouterError
from grid_router.service.ports import InboundMessage, InboxEntry, OutboxMessage, UnitOfWork

log = logging.getLogger(__name__)

APPLIED = "APPLIED"
DEADLETTER = "DEADLETTER"

# Dead-letter header names (DESIGN §5: "original bytes + headers saying why").
DLQ_REASON = "grid.dlq.reason"
DLQ_ERROR = "grid.dlq.error"
DLQ_TOPIC = "grid.dlq.source.topic"
DLQ_PARTITION = "grid.dlq.source.partition"
DLQ_OFFSET = "grid.dlq.source.offset"
DLQ_AT = "grid.dlq.at"

DECODE_FAILED = "DECODE_FAILED"
APPLY_FAILED = "APPLY_FAILED"


@dataclass(slots=True)
class BatchOutcome:
    applied: int = 0
    duplicates: int = 0
    deadlettered: dict[str, int] = field(default_factory=dict)
    filed: list[Filed] = field(default_factory=list)

    def count_deadletter(self, reason: str, n: int = 1) -> None:
        self.deadlettered[reason] = self.deadlettered.get(reason, 0) + n

    def merge(self, other: BatchOutcome) -> None:
        self.applied += other.applied
        self.duplicates += other.duplicates
        for reason, n in other.deadlettered.items():
            self.count_deadletter(reason, n)
        self.filed.extend(other.filed)


@dataclass(frozen=True, slots=True)
class _Decoded:
    message: InboundMessage
    report: IncidentReport


@dataclass(frozen=True, slots=True)
class _Rejected:
    message: InboundMessage
    reason: str
    error: str


class ReportRouter:
    """Files and dispatches incident reports, one transaction per batch."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codec: AvroCodec,
        org: Organisation,
        topics: Topics,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow_factory = uow_factory
        self._codec = codec
        self._org = org
        self._topics = topics
        self._clock = clock

    def handle_batch(self, batch: Sequence[InboundMessage]) -> BatchOutcome:
        """Apply `batch` in one transaction. Returns once it has committed."""
        now = self._clock()
        items = [self._decode(m) for m in batch]
        with self._uow_factory() as uow:
            outcome = BatchOutcome()
            fresh = self._drop_seen(uow, items, outcome)
            try:
                with uow.savepoint():
                    outcome.merge(self._apply(uow, fresh, now))
            except Exception:
                # A bulk write failed (a constraint, a value the database refuses). Redo the
                # batch one message at a time so that only the culprit is dead-lettered.
                log.exception("batch write failed; retrying message by message")
                for item in fresh:
                    outcome.merge(self._apply_one_isolated(uow, item, now))
            uow.commit()
        return outcome

    # --- steps ---------------------------------------------------------------------------

    def _decode(self, message: InboundMessage) -> _Decoded | _Rejected:
        if message.value is None:
            return _Rejected(message, DECODE_FAILED, "message has no value (tombstone)")
        try:
            return _Decoded(message, self._codec.decode_report(message.value))
        except GridRouterError as exc:
            return _Rejected(message, DECODE_FAILED, str(exc))
        except Exception as exc:  # a codec bug must not stop the router either
            return _Rejected(message, DECODE_FAILED, f"{type(exc).__name__}: {exc}")

    @staticmethod
    def _message_id(item: _Decoded | _Rejected) -> str:
        # Reports are deduplicated by event id, so a report produced twice (an intake retry)
        # is filed once; an undecodable message has only its position to go by.
        if isinstance(item, _Decoded):
            return item.report.event_id
        return item.message.position

    def _drop_seen(
        self, uow: UnitOfWork, items: list[_Decoded | _Rejected], outcome: BatchOutcome
    ) -> list[_Decoded | _Rejected]:
        seen = uow.seen(self._message_id(i) for i in items)
        fresh: list[_Decoded | _Rejected] = []
        for item in items:
            mid = self._message_id(item)
            if mid in seen:
                outcome.duplicates += 1
                continue
            seen.add(mid)
            fresh.append(item)
        return fresh

    def _apply(
        self, uow: UnitOfWork, items: Sequence[_Decoded | _Rejected], now: datetime
    ) -> BatchOutcome:
        outcome = BatchOutcome()
        inbox: list[InboxEntry] = []
        filings: list[Filed] = []
        out: list[OutboxMessage] = []
        for item in items:
            rejected = item if isinstance(item, _Rejected) else None
            if isinstance(item, _Decoded):
                try:
                    filed = self._file(item.report, now)
                    messages = self._messages_for(filed)
                except Exception as exc:
                    log.warning("cannot apply report %s: %s", item.report.event_id, exc)
                    error = f"{type(exc).__name__}: {exc}"
                    rejected = _Rejected(item.message, APPLY_FAILED, error)
                else:
                    filings.append(filed)
                    out.extend(messages)
                    inbox.append(self._inbox_entry(item, APPLIED))
                    outcome.applied += 1
            if rejected is not None:
                out.append(self._deadletter(rejected, now))
                inbox.append(self._inbox_entry(rejected, DEADLETTER))
                outcome.count_deadletter(rejected.reason)
        uow.record_inbox(inbox, now)
        uow.add_filings(filings, now)
        uow.add_outbox(out, now)
        outcome.filed.extend(filings)
        return outcome

    def _apply_one_isolated(
        self, uow: UnitOfWork, item: _Decoded | _Rejected, now: datetime
    ) -> BatchOutcome:
        try:
            with uow.savepoint():
                return self._apply(uow, [item], now)
        except Exception as exc:
            log.exception("message %s cannot be written; dead-lettering it", item.message.position)
            rejected = _Rejected(item.message, APPLY_FAILED, f"{type(exc).__name__}: {exc}")
            with uow.savepoint():
                return self._apply(uow, [rejected], now)

    def _file(self, report: IncidentReport, now: datetime) -> Filed:
        location = self._org.locate(report.grid_code, report.community_code, report.address)
        return file_report(report, location, self._org, classify_placeholder(report), now)

    def _messages_for(self, filed: Filed) -> list[OutboxMessage]:
        wo, sc = filed.work_order, filed.state_change
        headers = (("event_id", wo.event_id.encode()), ("version", str(wo.version).encode()))
        return [
            OutboxMessage(
                topic=self._topics.dispatch(wo.level),
                key=wo.unit_code.encode(),
                value=self._codec.encode_work_order(wo),
                headers=headers,
                event_id=wo.event_id,
            ),
            OutboxMessage(
                topic=self._topics.state,
                key=sc.event_id.encode(),
                value=self._codec.encode_state_change(sc),
                headers=headers,
                event_id=sc.event_id,
            ),
        ]

    def _inbox_entry(self, item: _Decoded | _Rejected, outcome: str) -> InboxEntry:
        m = item.message
        return InboxEntry(self._message_id(item), m.topic, m.partition, m.offset, outcome)

    def _deadletter(self, item: _Rejected, now: datetime) -> OutboxMessage:
        m = item.message
        headers = (
            *m.headers,
            (DLQ_REASON, item.reason.encode()),
            (DLQ_ERROR, item.error[:1000].encode()),
            (DLQ_TOPIC, m.topic.encode()),
            (DLQ_PARTITION, str(m.partition).encode()),
            (DLQ_OFFSET, str(m.offset).encode()),
            (DLQ_AT, now.isoformat().encode()),
        )
        return OutboxMessage(
            topic=self._topics.deadletter,
            key=m.key,
            value=m.value or b"",
            headers=headers,
            event_id=None,
        )
