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
from grid_router.adapters.db.outage import database_unavailable
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.batch import (
    Acted,
    Deciding,
    Filer,
    Known,
    SlaSetup,
    decide_batch,
    needs,
)
from grid_router.domain.classify import Classification, Classifier
from grid_router.domain.clocks import Completion
from grid_router.domain.disposition import ActionRequest, Change, Incident
from grid_router.domain.filing import Filed, Regrade, burst_ref
from grid_router.domain.model import IncidentReport, Level, StateChange
from grid_router.domain.org import Organisation
from grid_router.domain.routing import RoutingPolicy
from grid_router.domain.workflow import Refused, WorkflowError
from grid_router.exceptions import GridRouterError
from grid_router.service.bridging import Bridging
from grid_router.service.intake import action_request
from grid_router.service.messages import change_messages
from grid_router.service.ports import (
    InboundMessage,
    InboxEntry,
    OutboxMessage,
    PhotoRef,
    UnitOfWork,
)

__all__ = ["BatchOutcome", "PreparedBatch", "ReportRouter", "SlaSetup"]

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
UNKNOWN_EVENT = "UNKNOWN_EVENT"
DEADLETTER_REASONS = (DECODE_FAILED, APPLY_FAILED, UNKNOWN_EVENT)

REFUSED = "REFUSED"
"""The state topic's action code for an action the workflow refused (the reason says why)."""
REFUSAL_CODE_HEADER = "grid.refused.code"
ACTION_ID_HEADER = "grid.action.id"


@dataclass(slots=True)
class BatchOutcome:
    applied: int = 0  # filed, merged ones included
    merged: int = 0
    regraded: int = 0
    bursts: int = 0
    duplicates: int = 0
    actions: int = 0  # applied
    deadlettered: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)  # by refusal code
    filed: list[Filed] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    completions: list[tuple[Completion, Incident]] = field(default_factory=list)
    # When each filed report was produced (Kafka timestamps, ms): for the routing latency.
    produced_ms: list[int] = field(default_factory=list)
    # What the transaction wrote to the outbox (its Kafka rows' ids), to publish once committed.
    outbox: list[OutboxMessage] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)

    def count_deadletter(self, reason: str, n: int = 1) -> None:
        self.deadlettered[reason] = self.deadlettered.get(reason, 0) + n

    def count_refused(self, code: str, n: int = 1) -> None:
        self.refused[code] = self.refused.get(code, 0) + n

    def merge(self, other: BatchOutcome) -> None:
        self.applied += other.applied
        self.merged += other.merged
        self.regraded += other.regraded
        self.bursts += other.bursts
        self.duplicates += other.duplicates
        self.actions += other.actions
        for reason, n in other.deadlettered.items():
            self.count_deadletter(reason, n)
        for code, n in other.refused.items():
            self.count_refused(code, n)
        self.filed.extend(other.filed)
        self.changes.extend(other.changes)
        self.completions.extend(other.completions)
        self.produced_ms.extend(other.produced_ms)
        self.outbox.extend(other.outbox)
        self.outbox_ids.extend(other.outbox_ids)


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


@dataclass(frozen=True, slots=True)
class _Act:
    """A dispatch centre's action, decoded, waiting to be applied in order."""

    message: InboundMessage
    request: ActionRequest

    @property
    def message_id(self) -> str:
        # Actions are applied once per action id, whoever sends them twice.
        return f"action:{self.request.action_id}"


_Item = _Filed | _Rejected | _Act


@dataclass(frozen=True, slots=True)
class _Decoded:
    """A report decoded, to be classified with its batch and filed."""

    message: InboundMessage
    report: IncidentReport


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
        sla: SlaSetup,
        bridging: Bridging | None = None,
    ) -> None:
        self._sla = sla
        self._deciding = Deciding(org, classifier, policy, sla)
        self._districts = org.units_at(Level.DISTRICT)
        self._bridging = bridging
        self._uow_factory = uow_factory
        self._codec = codec
        self._policy = policy
        self._topics = topics
        self._clock = clock

    def handle_batch(self, batch: Sequence[InboundMessage]) -> BatchOutcome:
        """Apply `batch` in one transaction. Returns once it has committed."""
        return self.write(self.prepare(batch))

    def prepare(self, batch: Sequence[InboundMessage]) -> PreparedBatch:
        """Decode, locate, decide and encode every message of `batch`; the reports are
        classified together (one call of the classifier for the batch)."""
        filer = Filer(self._deciding, self._clock())
        decoded = [self._decode(m) for m in batch]
        reports = [d for d in decoded if isinstance(d, _Decoded)]
        classified: Sequence[Classification | None]
        try:
            classified = filer.classify([d.report for d in reports])
        except Exception:  # one odd report must not fail the batch: each is classified alone
            log.exception("classifying the batch failed; classifying report by report")
            classified = [None] * len(reports)
        in_order = iter(classified)  # `reports` are `decoded`'s reports in order
        items = tuple(
            self._file(d, filer, next(in_order)) if isinstance(d, _Decoded) else d for d in decoded
        )
        return PreparedBatch(items, filer.now)

    def write(self, prepared: PreparedBatch, forget: Sequence[int] = ()) -> BatchOutcome:
        """Record a prepared batch in one transaction: messages consumed before are skipped,
        the rest filed or dead-lettered. Returns once the transaction has committed. The same
        transaction deletes the outbox rows `forget` (already acknowledged by Kafka)."""
        now = prepared.prepared_at
        with self._uow_factory() as uow:
            uow.forget_outbox(forget)
            outcome = BatchOutcome()
            fresh = self._drop_seen(uow, prepared.items, outcome)
            try:
                with uow.savepoint():
                    outcome.merge(self._write(uow, fresh, now))
            except Exception as exc:
                if database_unavailable(exc):
                    raise  # not the batch's fault: the whole batch waits for the database
                # A bulk write failed (a constraint, a value the database refuses). Redo the
                # batch one message at a time so that only the culprit is dead-lettered.
                log.exception("batch write failed; retrying message by message")
                for item in fresh:
                    outcome.merge(self._write_one_isolated(uow, item, now))
            uow.commit()
        return outcome

    def forget(self, ids: Sequence[int]) -> None:
        """Delete acknowledged outbox rows in a transaction of their own (when no batch is
        coming to carry them)."""
        with self._uow_factory() as uow:
            uow.forget_outbox(ids)
            uow.commit()

    # --- steps ---------------------------------------------------------------------------

    def _decode(self, message: InboundMessage) -> _Item | _Decoded:
        """An action prepared, a report decoded (to be filed), or why the message is refused."""
        if message.value is None:
            return _Rejected(message, DECODE_FAILED, "message has no value (tombstone)")
        if message.topic == self._topics.actions:
            return self._prepare_action(message, message.value)
        try:
            return _Decoded(message, self._codec.decode_report(message.value))
        except GridRouterError as exc:
            return _Rejected(message, DECODE_FAILED, str(exc))
        except Exception as exc:  # a codec bug must not stop the router either
            return _Rejected(message, DECODE_FAILED, f"{type(exc).__name__}: {exc}")

    def _file(
        self, decoded: _Decoded, filer: Filer, classification: Classification | None
    ) -> _Filed | _Rejected:
        report = decoded.report
        try:
            filed = filer.file(report, classification=classification)
            return _Filed(decoded.message, filed, self._messages_for(filed))
        except Exception as exc:
            log.warning("cannot apply report %s: %s", report.event_id, exc)
            return _Rejected(decoded.message, APPLY_FAILED, f"{type(exc).__name__}: {exc}")

    def _prepare_action(self, message: InboundMessage, value: bytes) -> _Act | _Rejected:
        try:
            request = action_request(self._codec.decode_action(value))
        except (GridRouterError, WorkflowError) as exc:
            return _Rejected(message, DECODE_FAILED, str(exc))
        except Exception as exc:
            return _Rejected(message, DECODE_FAILED, f"{type(exc).__name__}: {exc}")
        return _Act(message, request)

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

    def _load(
        self, uow: UnitOfWork, reports: Sequence[Filed], acts: Sequence[_Act], now: datetime
    ) -> Known:
        """Read what deciding the batch needs, in one step before it is decided."""
        need = needs(reports, [a.request for a in acts], self._policy, now)
        meters = self._policy.merge_distance_m
        live: dict[str, str] = {}
        unlinked: dict[tuple[str, str], list[str]] = {}
        for rule in need.bursts:
            since = now - rule.window
            refs = [burst_ref(rule, d.code) for d in self._districts]
            live.update(uow.live_bursts(refs, since))
            for district, ids in uow.unlinked(rule.subcategories, since).items():
                unlinked[(rule.name, district)] = ids
        incidents = uow.incidents_for_update(need.incidents, self._sla.fallback_terms)
        return Known(
            open_incidents=uow.open_incidents(need.merge_keys, need.since),
            located_near={eid: uow.located_near(p, meters) for eid, p in need.place},
            open_near={
                eid: uow.open_incident_near(category, p, meters, need.since)
                for eid, category, p in need.near
            },
            live_bursts=live,
            unlinked=unlinked,
            incidents=incidents,
            timers=uow.timers_of(incidents),
        )

    def _write(self, uow: UnitOfWork, items: Sequence[_Item], now: datetime) -> BatchOutcome:
        """Load, decide, write: what the batch needs is read first, the domain decides the
        whole batch in one call, and every row is written after."""
        prepared = [i for i in items if isinstance(i, _Filed)]
        acts = [i for i in items if isinstance(i, _Act)]
        reports = [i.filed for i in prepared]
        known = self._load(uow, reports, acts, now)
        decision = decide_batch(
            reports, [a.request for a in acts], known, Filer(self._deciding, now), self._deciding
        )
        outcome = BatchOutcome()
        inbox: list[InboxEntry] = []
        out: list[OutboxMessage] = []
        decided = iter(zip(prepared, decision.reports, strict=True))
        for item in items:
            if isinstance(item, _Filed):
                was, filed = next(decided)
                # The messages encoded while preparing stand unless deciding changed the filing.
                out.extend(was.messages if filed is was.filed else self._messages_for(filed))
                out.extend(self._bridged(filed))
                inbox.append(self._inbox_entry(item, APPLIED))
                outcome.applied += 1
                outcome.merged += filed.merged_into is not None
                if item.message.timestamp_ms is not None:
                    outcome.produced_ms.append(item.message.timestamp_ms)
            elif isinstance(item, _Rejected):
                out.append(self._deadletter(item, now))
                inbox.append(self._inbox_entry(item, DEADLETTER))
                outcome.count_deadletter(item.reason)
        for burst in decision.bursts:
            out.extend(self._messages_for(burst))
            out.extend(self._bridged(burst))
        filings = [*decision.reports, *decision.bursts]
        outcome.bursts += len(decision.bursts)
        uow.add_filings(filings, now)
        uow.add_photos(
            [
                PhotoRef(f.report.event_id, None, "REPORT", n, p.url, p.sha256)
                for f in filings
                for n, p in enumerate(f.report.photos)
            ],
            now,
        )
        uow.link_bursts(decision.links, now)
        uow.count_repeats(decision.repeats, now)
        uow.apply_regrades(decision.regrades, now)
        for moved in decision.regrades:
            out.extend(self._messages_for(moved))
            out.extend(self._bridged(moved))
        outcome.regraded += len(decision.regrades)
        self._write_actions(uow, acts, decision.actions, now, outcome, inbox, out)
        uow.record_inbox(inbox, now)
        outcome.outbox_ids = uow.add_outbox(out, now)
        outcome.outbox = out
        outcome.filed.extend(filings)
        return outcome

    def _write_actions(
        self,
        uow: UnitOfWork,
        acts: Sequence[_Act],
        acted: Sequence[Acted],
        now: datetime,
        outcome: BatchOutcome,
        inbox: list[InboxEntry],
        out: list[OutboxMessage],
    ) -> None:
        """Record what the actions did. A refused action is published with its reason on the
        state topic; an action on an incident that does not exist is dead-lettered (it may be
        replayed once the report arrives)."""
        changes: list[Change] = []
        photos: list[PhotoRef] = []
        for item, done in zip(acts, acted, strict=True):
            request, incident, result = done.request, done.incident, done.result
            if incident is None:
                why = f"no incident {request.event_id!r}: the action names an unknown event id"
                rejected = _Rejected(item.message, UNKNOWN_EVENT, why)
                out.append(self._deadletter(rejected, now))
                inbox.append(self._inbox_entry(item, DEADLETTER))
                outcome.count_deadletter(UNKNOWN_EVENT)
                continue
            inbox.append(self._inbox_entry(item, APPLIED))
            if isinstance(result, Refused):
                out.append(self._refusal(incident, request, result, now))
                outcome.count_refused(result.code)
                log.info(
                    "refused %s on %s by %s: %s",
                    request.action, request.event_id, request.actor.label, result.message,
                )  # fmt: skip
                continue
            assert result is not None
            changes.append(result)
            photos.extend(
                PhotoRef(request.event_id, request.action_id, request.action, n, p.url, p.sha256)
                for n, p in enumerate(request.photos)
            )
            if done.completion is not None:
                outcome.completions.append((done.completion, incident))
            action_header = ((ACTION_ID_HEADER, request.action_id.encode()),)
            out.extend(
                change_messages(
                    self._codec, self._topics, result.work_orders, result.state_change,
                    action_header,
                )
            )  # fmt: skip
            out.extend(self._bridged(result))
        uow.save_changes(changes, now)
        uow.add_photos(photos, now)
        outcome.actions += len(changes)
        outcome.changes.extend(changes)

    def _bridged(self, what: Filed | Regrade | Change) -> list[OutboxMessage]:
        """The bridge deliveries a recorded change makes (none without enabled bridges)."""
        if self._bridging is None:
            return []
        if isinstance(what, Filed):
            return self._bridging.for_filed(what)
        if isinstance(what, Regrade):
            return self._bridging.for_regrade(what)
        return self._bridging.for_change(what)

    def _refusal(
        self, incident: Incident, request: ActionRequest, refused: Refused, now: datetime
    ) -> OutboxMessage:
        """The incident's unchanged state, saying which action was refused and why."""
        state = StateChange(
            event_id=incident.event_id,
            version=incident.version,
            state=incident.state,
            previous_state=incident.state,
            action=REFUSED,
            actor=request.actor.label,
            level=incident.level,
            unit_code=incident.unit_code,
            category_code=incident.category_code,
            severity=incident.severity,
            at=now,
            reason=f"{request.action} refused ({refused.code}): {refused.message}",
        )
        headers = (
            (REFUSAL_CODE_HEADER, refused.code.encode()),
            (ACTION_ID_HEADER, request.action_id.encode()),
        )
        return change_messages(self._codec, self._topics, (), state, headers)[0]

    def _write_one_isolated(self, uow: UnitOfWork, item: _Item, now: datetime) -> BatchOutcome:
        try:
            with uow.savepoint():
                return self._write(uow, [item], now)
        except Exception as exc:
            if database_unavailable(exc):
                raise
            log.exception("message %s cannot be written; dead-lettering it", item.message.position)
            rejected = _Rejected(item.message, APPLY_FAILED, f"{type(exc).__name__}: {exc}")
            with uow.savepoint():
                return self._write(uow, [rejected], now)

    def _messages_for(self, filed: Filed | Regrade) -> tuple[OutboxMessage, ...]:
        return change_messages(self._codec, self._topics, filed.work_orders, filed.state_change)

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
