"""The router: turns a batch of consumed reports into one database transaction.

Per batch: decode every message, drop those consumed before (the inbox), file and dispatch the
rest, dead-letter what cannot be decoded or applied, and write all of it (inbox, incidents,
history, work orders, outbox) in one transaction. Nothing here talks to Kafka: the worker feeds
batches in and commits offsets after `handle_batch` returns; the relay sends the outbox.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.db.outage import database_unavailable
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.classify import Classifier
from grid_router.domain.clocks import Completion, SlaTerms, completion
from grid_router.domain.disposition import ActionRequest, Change, Context, Incident, act
from grid_router.domain.filing import (
    Filed,
    OpenIncident,
    Regrade,
    burst_ref,
    decide,
    file_report,
    merge_report,
    open_burst,
    raises_level,
    regrade,
    with_clocks,
)
from grid_router.domain.model import GeoPoint, IncidentReport, Level, StateChange
from grid_router.domain.org import NearbyReport, Organisation
from grid_router.domain.routing import BurstRule, RoutingPolicy
from grid_router.domain.sla import SlaRules
from grid_router.domain.taxonomy import OTHER
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
_F = TypeVar("_F", Filed, Regrade)


@dataclass(frozen=True, slots=True)
class SlaSetup:
    """What the router needs to start and move SLA clocks: the policy's SLA rules and version,
    and the disposition context (organisation, departments, calendar, drill clock)."""

    rules: SlaRules
    policy_version: str
    context: Context
    fallback: str  # the SLA policy for incidents stored without terms (the root route's)

    def terms(self, name: str) -> SlaTerms:
        return SlaTerms(self.rules.policy(name), self.rules.extensions, self.policy_version)

    @property
    def fallback_terms(self) -> SlaTerms:
        return self.terms(self.fallback)


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
        self._bridging = bridging
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

    def _prepare_one(self, message: InboundMessage, now: datetime) -> _Item:
        if message.value is None:
            return _Rejected(message, DECODE_FAILED, "message has no value (tombstone)")
        if message.topic == self._topics.actions:
            return self._prepare_action(message, message.value)
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

    def _merge_repeats(
        self, uow: UnitOfWork, items: Sequence[_Item], now: datetime
    ) -> tuple[list[_Item], dict[str, int], list[tuple[Regrade, tuple[OutboxMessage, ...]]]]:
        """Turn reports that repeat an open incident (same grid, same category, within the
        policy's window; or an earlier report of this batch) into merged reports. A graver
        repeat whose grade starts higher also moves the open incident up. Returns the items,
        the number of repeats per incident, and the regrades with their messages."""
        keys = {k for i in items if isinstance(i, _Filed) and (k := i.filed.merge_key)}
        since = now - self._policy.merge_window
        first = uow.open_incidents(keys, since)
        # Reports with coordinates but no grid, filed earlier in this batch.
        placed: list[tuple[str, GeoPoint, OpenIncident]] = []
        counts: dict[str, int] = {}
        regrades: list[tuple[Regrade, tuple[OutboxMessage, ...]]] = []
        result: list[_Item] = []
        for item in items:
            if not isinstance(item, _Filed):
                result.append(item)
                continue
            f = item.filed
            key, point = f.merge_key, f.report.location
            if key is not None:
                target = first.get(key)
            elif point is not None and f.classification.category_code != OTHER:
                target = self._nearby(uow, f.classification.category_code, point, placed, since)
            else:
                result.append(item)
                continue
            if target is None:
                if key is not None:
                    first[key] = f.as_open_incident()
                elif point is not None:
                    placed.append((f.classification.category_code, point, f.as_open_incident()))
                result.append(item)
                continue
            merged = merge_report(f.report, f.decided, target, now)
            result.append(_Filed(item.message, merged, self._messages_for(merged)))
            counts[target.event_id] = counts.get(target.event_id, 0) + 1
            if raises_level(f.decided, target):
                moved = self._clocked(
                    regrade(target, f.report, f.decided, now), f.decided.route.sla, now
                )
                regrades.append((moved, self._messages_for(moved)))
                if key is not None:
                    first[key] = moved.as_open_incident()
        return result, counts, regrades

    def _place_points(self, uow: UnitOfWork, items: Sequence[_Item], now: datetime) -> list[_Item]:
        """Reports that only their point could place (in a district, or nowhere) are placed
        again, now that the database can say where earlier reports near that point were
        located: the nearest one within the policy's merge distance that a grid code,
        community code or address placed in a community (else a street) names the unit.
        Earlier reports of this batch count as well as those already filed."""
        meters = self._policy.merge_distance_m
        # (point, event id, unit code) of this batch's reports located by their own words.
        located: list[tuple[GeoPoint, str, str]] = []
        result: list[_Item] = []
        for item in items:
            if not isinstance(item, _Filed):
                result.append(item)
                continue
            report, loc = item.filed.report, item.filed.location
            point = report.location
            if point is None:
                result.append(item)
                continue
            if loc.method not in ("coordinates", "unlocated"):
                unit = loc.community or loc.street
                if unit is not None:
                    located.append((point, report.event_id, unit.code))
                result.append(item)
                continue
            nearby = [
                NearbyReport(event_id, code, d)
                for other, event_id, code in located
                if (d := point.distance_m(other)) <= meters
            ]
            nearby.extend(uow.located_near(point, meters))
            filed = self._file(report, now, nearby)
            result.append(_Filed(item.message, filed, self._messages_for(filed)))
        return result

    def _nearby(
        self,
        uow: UnitOfWork,
        category: str,
        point: GeoPoint,
        placed: list[tuple[str, GeoPoint, OpenIncident]],
        since: datetime,
    ) -> OpenIncident | None:
        meters = self._policy.merge_distance_m
        for other_category, other_point, incident in placed:
            if other_category == category and point.distance_m(other_point) <= meters:
                return incident
        return uow.open_incident_near(category, point, meters, since)

    def _detect_bursts(
        self, uow: UnitOfWork, items: Sequence[_Item], now: datetime
    ) -> tuple[list[tuple[Filed, tuple[OutboxMessage, ...]]], dict[str, list[str]]]:
        """Bursts (突发聚集): per burst rule and district, new reports join the live burst
        incident, or open one when, with the unlinked reports of the window, they exceed the
        rule's threshold. Returns the burst incidents opened and the members to link."""
        groups: dict[tuple[BurstRule, str], list[str]] = {}
        for item in items:
            if not isinstance(item, _Filed) or item.filed.merged_into is not None:
                continue
            f = item.filed
            rule = self._policy.burst_rule(f.classification.subcategory_code)
            district = f.location.unit_at(Level.DISTRICT)
            if rule is not None and district is not None:
                groups.setdefault((rule, district.code), []).append(f.report.event_id)
        opened: list[tuple[Filed, tuple[OutboxMessage, ...]]] = []
        links: dict[str, list[str]] = {}
        for (rule, district_code), members in groups.items():
            since = now - rule.window
            live = uow.live_burst(burst_ref(rule, district_code), since)
            if live is not None:
                links.setdefault(live, []).extend(members)
                continue
            earlier = uow.unlinked(district_code, rule.subcategories, since)
            if len(earlier) + len(members) <= rule.threshold:
                continue
            burst = self._open_burst(rule, district_code, earlier + members, now)
            opened.append(burst)
            links[burst[0].report.event_id] = earlier + members
        return opened, links

    def _open_burst(
        self, rule: BurstRule, district_code: str, members: list[str], now: datetime
    ) -> tuple[Filed, tuple[OutboxMessage, ...]]:
        # Named by its first member, so a replayed batch opens the same burst, not another.
        event_id = str(
            uuid.uuid5(uuid.NAMESPACE_URL, f"grid-router:burst:{rule.name}:{members[0]}")
        )
        sub_code = sorted(rule.subcategories)[0]
        taxonomy = self._classifier.taxonomy
        subcategory = taxonomy.subcategory(sub_code)
        assert subcategory is not None, "policy check guarantees burst subcategories exist"
        category = taxonomy.category(subcategory.category_code)
        assert category is not None
        filed = open_burst(
            rule, event_id, self._org.unit(district_code), len(members), category, subcategory,
            self._org, self._policy, now,
        )  # fmt: skip
        filed = self._clocked(filed, filed.decided.route.sla, now)
        return filed, self._messages_for(filed)

    def _write(self, uow: UnitOfWork, items: Sequence[_Item], now: datetime) -> BatchOutcome:
        outcome = BatchOutcome()
        items = self._place_points(uow, items, now)
        items, repeat_counts, regrades = self._merge_repeats(uow, items, now)
        inbox: list[InboxEntry] = []
        filings: list[Filed] = []
        out: list[OutboxMessage] = []
        acts: list[_Act] = []
        for item in items:
            if isinstance(item, _Act):
                acts.append(item)  # after the reports: an action may follow its report closely
            elif isinstance(item, _Filed):
                filings.append(item.filed)
                out.extend(item.messages)
                out.extend(self._bridged(item.filed))
                inbox.append(self._inbox_entry(item, APPLIED))
                outcome.applied += 1
                outcome.merged += item.filed.merged_into is not None
                if item.message.timestamp_ms is not None:
                    outcome.produced_ms.append(item.message.timestamp_ms)
            else:
                out.append(self._deadletter(item, now))
                inbox.append(self._inbox_entry(item, DEADLETTER))
                outcome.count_deadletter(item.reason)
        bursts, burst_links = self._detect_bursts(uow, items, now)
        for burst, messages in bursts:
            filings.append(burst)
            out.extend(messages)
            out.extend(self._bridged(burst))
        outcome.bursts += len(bursts)
        uow.add_filings(filings, now)
        uow.add_photos(
            [
                PhotoRef(f.report.event_id, None, "REPORT", n, p.url, p.sha256)
                for f in filings
                for n, p in enumerate(f.report.photos)
            ],
            now,
        )
        uow.link_bursts(burst_links, now)
        uow.count_repeats(repeat_counts, now)
        uow.apply_regrades([r for r, _ in regrades], now)
        for moved, messages in regrades:
            out.extend(messages)
            out.extend(self._bridged(moved))
        outcome.regraded += len(regrades)
        self._apply_actions(uow, acts, now, outcome, inbox, out)
        uow.record_inbox(inbox, now)
        outcome.outbox_ids = uow.add_outbox(out, now)
        outcome.outbox = out
        outcome.filed.extend(filings)
        return outcome

    def _apply_actions(
        self,
        uow: UnitOfWork,
        acts: Sequence[_Act],
        now: datetime,
        outcome: BatchOutcome,
        inbox: list[InboxEntry],
        out: list[OutboxMessage],
    ) -> None:
        """Apply the actions in the order consumed (per incident, the order they were sent: the
        topic is keyed by event id). A refused action is published with its reason on the state
        topic; an action on an incident that does not exist is dead-lettered (it may be replayed
        once the report arrives)."""
        if not acts:
            return
        ids = [a.request.event_id for a in acts]
        incidents = uow.incidents_for_update(ids, self._sla.fallback_terms)
        timers = uow.timers_of(incidents)
        changes: list[Change] = []
        photos: list[PhotoRef] = []
        for item in acts:
            request = item.request
            incident = incidents.get(request.event_id)
            if incident is None:
                why = f"no incident {request.event_id!r}: the action names an unknown event id"
                rejected = _Rejected(item.message, UNKNOWN_EVENT, why)
                out.append(self._deadletter(rejected, now))
                inbox.append(self._inbox_entry(item, DEADLETTER))
                outcome.count_deadletter(UNKNOWN_EVENT)
                continue
            inbox.append(self._inbox_entry(item, APPLIED))
            running = timers[incident.event_id]
            result = act(incident, running, request, self._sla.context, now)
            if isinstance(result, Refused):
                out.append(self._refusal(incident, request, result, now))
                outcome.count_refused(result.code)
                log.info(
                    "refused %s on %s by %s: %s",
                    request.action, request.event_id, request.actor.label, result.message,
                )  # fmt: skip
                continue
            incidents[incident.event_id] = result.incident
            timers[incident.event_id] = result.timers
            changes.append(result)
            photos.extend(
                PhotoRef(request.event_id, request.action_id, request.action, n, p.url, p.sha256)
                for n, p in enumerate(request.photos)
            )
            done = completion(request.action, running, now)
            if done is not None:
                outcome.completions.append((done, incident))
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

    def _file(
        self, report: IncidentReport, now: datetime, nearby: Sequence[NearbyReport] | None = None
    ) -> Filed:
        decided = decide(report, self._org, self._classifier, self._policy, nearby)
        return self._clocked(file_report(report, decided, now), decided.route.sla, now)

    def _clocked(self, filed: _F, sla: str, now: datetime) -> _F:
        """`filed` with the clocks of the SLA policy `sla` (its route's), started now."""
        return with_clocks(filed, self._sla.terms(sla), self._sla.context.clocks, now)

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
