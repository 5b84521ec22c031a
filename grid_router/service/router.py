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
from grid_router.domain.classify import Classifier
from grid_router.domain.filing import Filed, decide, file_report, merge_report, repeats
from grid_router.domain.model import IncidentReport
from grid_router.domain.org import Organisation
from grid_router.domain.routing import RoutingPolicy
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
    applied: int = 0  # filed, merged ones included
    merged: int = 0
    duplicates: int = 0
    deadlettered: dict[str, int] = field(default_factory=dict)
    filed: list[Filed] = field(default_factory=list)

    def count_deadletter(self, reason: str, n: int = 1) -> None:
        self.deadlettered[reason] = self.deadlettered.get(reason, 0) + n

    def merge(self, other: BatchOutcome) -> None:
        self.applied += other.applied
        self.merged += other.merged
        self.duplicates += other.duplicates
        for reason, n in other.deadlettered.items():
            self.count_deadletter(reason, n)
        self.filed.extend(other.filed)


@dataclass(frozen=True, slots=True)
class _Filed:
    """A report decided and encoded, waiting to be written."""

    message: InboundMessage
    filed: Filed
    messages: tuple[OutboxMessage, ...]

    @property
    def message_id(self) -> str:
        # Reports are deduplicated by event id, so a report produced twice (an intake retry)
        # is filed once.
        return self.filed.report.event_id


@dataclass(frozen=True, slots=True)
class _Rejected:
    """A message to dead-letter, with why."""

    message: InboundMessage
    reason: str
    error: str

    @property
    def message_id(self) -> str:
        # An undecodable message has only its position to go by.
        return self.message.position


_Item = _Filed | _Rejected


@dataclass(frozen=True, slots=True)
class PreparedBatch:
    """A batch decided but not yet written: everything that needs no database."""

    items: tuple[_Item, ...]
    prepared_at: datetime


class ReportRouter:
    """Files and dispatches incident reports, one transaction per batch.

    Two stages, so that the worker can overlap them: `prepare` decodes and decides (CPU only),
    `write` records the outcome in one transaction (database only).
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codec: AvroCodec,
        org: Organisation,
        classifier: Classifier,
        policy: RoutingPolicy,
        topics: Topics,
        clock: Callable[[], datetime],
    ) -> None:
        self._uow_factory = uow_factory
        self._codec = codec
        self._org = org
        self._classifier = classifier
        self._policy = policy
        self._topics = topics
        self._clock = clock

    def handle_batch(self, batch: Sequence[InboundMessage]) -> BatchOutcome:
        """Apply `batch` in one transaction. Returns once it has committed."""
        return self.write(self.prepare(batch))

    def prepare(self, batch: Sequence[InboundMessage]) -> PreparedBatch:
        """Decode, locate, decide and encode every message of `batch`."""
        now = self._clock()
        return PreparedBatch(tuple(self._prepare_one(m, now) for m in batch), now)

    def write(self, prepared: PreparedBatch) -> BatchOutcome:
        """Record a prepared batch in one transaction: messages consumed before are skipped,
        the rest filed or dead-lettered. Returns once the transaction has committed."""
        now = prepared.prepared_at
        with self._uow_factory() as uow:
            outcome = BatchOutcome()
            fresh = self._drop_seen(uow, prepared.items, outcome)
            try:
                with uow.savepoint():
                    outcome.merge(self._write(uow, fresh, now))
            except Exception:
                # A bulk write failed (a constraint, a value the database refuses). Redo the
                # batch one message at a time so that only the culprit is dead-lettered.
                log.exception("batch write failed; retrying message by message")
                for item in fresh:
                    outcome.merge(self._write_one_isolated(uow, item, now))
            uow.commit()
        return outcome

    # --- steps ---------------------------------------------------------------------------

    def _prepare_one(self, message: InboundMessage, now: datetime) -> _Item:
        if message.value is None:
            return _Rejected(message, DECODE_FAILED, "message has no value (tombstone)")
        try:
            report = self._codec.decode_report(message.value)
        except GridRouterError as exc:
            return _Rejected(message, DECODE_FAILED, str(exc))
        except Exception as exc:  # a codec bug must not stop the router either
            return _Rejected(message, DECODE_FAILED, f"{type(exc).__name__}: {exc}")
        try:
            filed = self._file(report, now)
            return _Filed(message, filed, self._messages_for(filed))
        except Exception as exc:
            log.warning("cannot apply report %s: %s", report.event_id, exc)
            return _Rejected(message, APPLY_FAILED, f"{type(exc).__name__}: {exc}")

    @staticmethod
    def _drop_seen(uow: UnitOfWork, items: Sequence[_Item], outcome: BatchOutcome) -> list[_Item]:
        seen = uow.seen(i.message_id for i in items)
        fresh: list[_Item] = []
        for item in items:
            if item.message_id in seen:
                outcome.duplicates += 1
                continue
            seen.add(item.message_id)
            fresh.append(item)
        return fresh

    def _merge_repeats(
        self, uow: UnitOfWork, items: Sequence[_Item], now: datetime
    ) -> tuple[list[_Item], dict[str, int]]:
        """Turn reports that repeat an open incident (same grid, same category, within the
        policy's window; or an earlier report of this batch) into merged reports. Returns the
        items and, per incident repeated, how many reports merged into it."""
        keys = {k for i in items if isinstance(i, _Filed) and (k := i.filed.merge_key)}
        first = uow.open_incidents(keys, now - self._policy.merge_window)
        counts: dict[str, int] = {}
        result: list[_Item] = []
        for item in items:
            key = item.filed.merge_key if isinstance(item, _Filed) else None
            if isinstance(item, _Filed) and key is not None:
                target = first.get(key)
                if target is None:
                    first[key] = item.filed.as_open_incident()
                elif repeats(item.filed.decided, target):
                    merged = merge_report(item.filed.report, item.filed.decided, target, now)
                    result.append(_Filed(item.message, merged, self._messages_for(merged)))
                    counts[target.event_id] = counts.get(target.event_id, 0) + 1
                    continue
            result.append(item)
        return result, counts

    def _write(self, uow: UnitOfWork, items: Sequence[_Item], now: datetime) -> BatchOutcome:
        outcome = BatchOutcome()
        items, repeat_counts = self._merge_repeats(uow, items, now)
        inbox: list[InboxEntry] = []
        filings: list[Filed] = []
        out: list[OutboxMessage] = []
        for item in items:
            if isinstance(item, _Filed):
                filings.append(item.filed)
                out.extend(item.messages)
                inbox.append(self._inbox_entry(item, APPLIED))
                outcome.applied += 1
                outcome.merged += item.filed.merged_into is not None
            else:
                out.append(self._deadletter(item, now))
                inbox.append(self._inbox_entry(item, DEADLETTER))
                outcome.count_deadletter(item.reason)
        uow.record_inbox(inbox, now)
        uow.add_filings(filings, now)
        uow.count_repeats(repeat_counts, now)
        uow.add_outbox(out, now)
        outcome.filed.extend(filings)
        return outcome

    def _write_one_isolated(self, uow: UnitOfWork, item: _Item, now: datetime) -> BatchOutcome:
        try:
            with uow.savepoint():
                return self._write(uow, [item], now)
        except Exception as exc:
            log.exception("message %s cannot be written; dead-lettering it", item.message.position)
            rejected = _Rejected(item.message, APPLY_FAILED, f"{type(exc).__name__}: {exc}")
            with uow.savepoint():
                return self._write(uow, [rejected], now)

    def _file(self, report: IncidentReport, now: datetime) -> Filed:
        return file_report(report, decide(report, self._org, self._classifier, self._policy), now)

    def _messages_for(self, filed: Filed) -> tuple[OutboxMessage, ...]:
        sc = filed.state_change
        headers = (("event_id", sc.event_id.encode()), ("version", str(sc.version).encode()))
        orders = tuple(
            OutboxMessage(
                topic=self._topics.dispatch(wo.level),
                key=wo.unit_code.encode(),
                value=self._codec.encode_work_order(wo),
                headers=headers,
                event_id=wo.event_id,
            )
            for wo in filed.work_orders
        )
        state = OutboxMessage(
            topic=self._topics.state,
            key=sc.event_id.encode(),
            value=self._codec.encode_state_change(sc),
            headers=headers,
            event_id=sc.event_id,
        )
        return (*orders, state)

    @staticmethod
    def _inbox_entry(item: _Item, outcome: str) -> InboxEntry:
        m = item.message
        return InboxEntry(item.message_id, m.topic, m.partition, m.offset, outcome)

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
