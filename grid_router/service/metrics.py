"""Prometheus metrics (DESIGN §7): what the router, the scheduler and the bridges did, counted
after the transaction that did it committed, plus gauges read from the database at scrape time.

Every label has a bounded set of values: levels, states, stages, category and district codes,
sources, bridge names, reasons. Never an event id, a unit's person or a reporter.

Gauges read from the database (open incidents, outbox backlog, last report per district) are
the same for every router sharing the database: dashboards and alerts take their `max`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from grid_router.adapters.db.outage import database_unavailable
from grid_router.domain.clocks import Card, Completion
from grid_router.domain.disposition import WITHDRAWN, Change, Incident
from grid_router.domain.filing import INFO_COPY, Filed
from grid_router.domain.model import WorkOrder
from grid_router.domain.workflow import Action, RefusalCode
from grid_router.service.router import DEADLETTER_REASONS

if TYPE_CHECKING:
    from grid_router.service.router import BatchOutcome
    from grid_router.service.scheduler import SweepOutcome

log = logging.getLogger(__name__)

UNKNOWN = "unknown"  # the district label of a report the router could not place
UNKNOWN_NAME = "未定位"

# Seconds to hours, then days: time to sign is minutes to hours, time to close hours to weeks.
# The low buckets keep drills (GRID_SLA_SCALE) readable.
_DURATION_BUCKETS = (
    1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 4 * 3600, 8 * 3600, 86400, 3 * 86400,
    7 * 86400, 30 * 86400,
)  # fmt: skip
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

# A bridge delivery's outcomes.
DELIVERED = "delivered"
RETRYING = "retrying"  # failed, will be tried again
PARKED = "parked"  # failed its last attempt: waits for `grid-router outbox retry`
CIRCUIT_OPEN = "circuit_open"  # not attempted: the destination's breaker is open


@dataclass(frozen=True, slots=True)
class DatabaseGauges:
    """What the database says now, for the gauges read at scrape time."""

    open_incidents: Mapping[tuple[str, str], int]  # (level, state) -> count
    outbox_pending: int
    outbox_oldest_age_seconds: float
    last_report_at: Mapping[str, datetime]  # district code -> last filing
    districts: Mapping[str, str] = field(default_factory=dict)  # code -> name


class GridMetrics:
    """The metrics of one process, in its own registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.reports_received = Counter(
            "grid_reports_received_total", "Reports filed by the router (merged repeats too).",
            ["source", "category", "district"], registry=r,
        )  # fmt: skip
        self.workorders_dispatched = Counter(
            "grid_workorders_dispatched_total",
            "Work orders a unit must act on (information copies and withdrawals not counted).",
            ["level", "category"], registry=r,
        )  # fmt: skip
        self.escalations = Counter(
            "grid_escalations_total",
            "Incidents passed one level up: reason timeout (SLA breach), request or regrade.",
            ["from_level", "to_level", "reason"], registry=r,
        )  # fmt: skip
        self.sla_warnings = Counter(
            "grid_sla_warnings_total", "SLA warnings (黄牌, 70% of a limit used).",
            ["stage", "level", "category", "district"], registry=r,
        )  # fmt: skip
        self.sla_breaches = Counter(
            "grid_sla_breaches_total", "SLA breaches (红牌, a limit used up).",
            ["stage", "level", "category", "district"], registry=r,
        )  # fmt: skip
        self.sla_reminders = Counter(
            "grid_sla_reminders_total", "Reminders to the city of a breach it still holds.",
            ["stage", "category", "district"], registry=r,
        )  # fmt: skip
        self.stages_completed = Counter(
            "grid_sla_stages_completed_total",
            "Sign, handle and verify done by the unit holding the incident, on time or late.",
            ["stage", "level", "district", "on_time"], registry=r,
        )  # fmt: skip
        self.time_to_sign = Histogram(
            "grid_time_to_sign_seconds", "From a work order's dispatch to its signing.",
            ["level"], buckets=_DURATION_BUCKETS, registry=r,
        )  # fmt: skip
        self.time_to_close = Histogram(
            "grid_time_to_close_seconds", "From filing to closing.",
            ["level", "category"], buckets=_DURATION_BUCKETS, registry=r,
        )  # fmt: skip
        self.routing_latency = Histogram(
            "grid_routing_latency_seconds",
            "From a report's Kafka timestamp to its filing committed (work orders in the outbox).",
            buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self.actions_applied = Counter(
            "grid_actions_applied_total", "Dispatch actions applied.", ["action"], registry=r
        )
        self.actions_refused = Counter(
            "grid_actions_refused_total", "Dispatch actions the workflow refused.", ["code"],
            registry=r,
        )  # fmt: skip
        self.deadletters = Counter(
            "grid_deadletter_total", "Messages dead-lettered, by reason.", ["reason"], registry=r
        )
        self.bridge_deliveries = Counter(
            "grid_bridge_deliveries_total", "Bridge delivery attempts by outcome.",
            ["bridge", "outcome"], registry=r,
        )  # fmt: skip
        self.bridge_circuit_open = Gauge(
            "grid_bridge_circuit_open", "1 while a bridge's circuit breaker is open.", ["bridge"],
            registry=r,
        )  # fmt: skip
        self.consumer_lag = Gauge(
            "grid_consumer_lag", "Messages not yet consumed, per assigned partition.",
            ["topic", "partition"], registry=r,
        )  # fmt: skip
        self.timers_fired = Counter(
            "grid_sla_timers_fired_total", "SLA timers the scheduler fired.", registry=r
        )
        # The API process's (`grid-router api`).
        self.api_requests = Counter(
            "grid_api_requests_total", "HTTP requests by route template, method and status.",
            ["route", "method", "status"], registry=r,
        )  # fmt: skip
        self.auth_throttled = Counter(
            "grid_auth_throttled_total",
            "Requests answered 429 because too many authentications failed in a minute, by what "
            "was throttled (a client address or a token prefix).",
            ["by"], registry=r,
        )  # fmt: skip
        for by in ("address", "token_prefix"):
            self.auth_throttled.labels(by)
        self.api_duration = Histogram(
            "grid_api_request_duration_seconds", "HTTP request duration by route template.",
            ["route"], buckets=_LATENCY_BUCKETS, registry=r,
        )  # fmt: skip
        self._scheduler_last_sweep: Gauge | None = None  # a router's only (`router_started`)
        self._lag_keys: set[tuple[str, str]] = set()
        # Known label values start at 0, so that the first one counted is an increase that
        # rate() and alerts see (a series first appearing at 1 shows no increase).
        for reason in DEADLETTER_REASONS:
            self.deadletters.labels(reason)
        for code in RefusalCode:
            self.actions_refused.labels(code.value)

    # -- the router ----------------------------------------------------------------------------

    def batch(self, outcome: BatchOutcome) -> None:
        """Count what a committed batch of the router did."""
        self.filed(outcome.filed)
        self.routed(outcome.produced_ms)
        self.changed(outcome.changes)
        self.actions(outcome.changes, outcome.refused)
        self.completed(outcome.completions)
        self.deadlettered(outcome.deadlettered)

    def sweep(self, outcome: SweepOutcome) -> None:
        """Count what a committed sweep of the SLA scheduler did."""
        if self._scheduler_last_sweep is not None:
            self._scheduler_last_sweep.set_to_current_time()
        self.timers_fired.inc(outcome.fired)
        self.changed(outcome.changes)

    def filed(self, filings: Iterable[Filed]) -> None:
        for f in filings:
            c = f.classification.category_code
            district = f.decided.location.district
            district_code = district.code if district is not None else UNKNOWN
            self.reports_received.labels(f.report.source, c, district_code).inc()
            self._dispatched(f.work_orders)

    def routed(self, produced_ms: Iterable[int], now: float | None = None) -> None:
        now_ms = (time.time() if now is None else now) * 1000
        for ms in produced_ms:
            self.routing_latency.observe(max(now_ms - ms, 0) / 1000)

    def changed(self, changes: Iterable[Change]) -> None:
        """Changes made by actions or fired timers: work orders, cards, escalations, closings."""
        for ch in changes:
            i = ch.incident
            district = i.district_code or UNKNOWN
            action = ch.state_change.action
            self._dispatched(ch.work_orders)
            # A card falls on the level that held the clock, before an escalation moved it.
            level = ch.escalations[0].from_level if ch.escalations else i.level
            for stage, card in ch.cards:
                if card == Card.WARNING:
                    self.sla_warnings.labels(stage, level, i.category_code, district).inc()
                elif card == Card.BREACH:
                    self.sla_breaches.labels(stage, level, i.category_code, district).inc()
                else:
                    self.sla_reminders.labels(stage, i.category_code, district).inc()
            for e in ch.escalations:
                self.escalations.labels(e.from_level, e.to_level, e.reason).inc()
            if i.closed_at is not None and i.filed_at is not None and action == Action.CLOSE:
                took = (i.closed_at - i.filed_at).total_seconds()
                self.time_to_close.labels(i.level, i.category_code).observe(max(took, 0))

    def actions(self, changes: Iterable[Change], refused: Mapping[str, int]) -> None:
        for ch in changes:
            self.actions_applied.labels(ch.state_change.action).inc()
        for code, n in refused.items():
            self.actions_refused.labels(code).inc(n)

    def completed(self, completions: Iterable[tuple[Completion, Incident]]) -> None:
        for done, incident in completions:
            district = incident.district_code or UNKNOWN
            on_time = "true" if done.on_time else "false"
            self.stages_completed.labels(done.stage, done.level, district, on_time).inc()
            if done.stage == "sign":
                self.time_to_sign.labels(done.level).observe(done.took.total_seconds())

    def deadlettered(self, reasons: Mapping[str, int]) -> None:
        for reason, n in reasons.items():
            self.deadletters.labels(reason).inc(n)

    def lag(self, lags: Mapping[tuple[str, int], int]) -> None:
        """Replace the lag gauges with `lags` (partitions no longer assigned disappear)."""
        keys = {(topic, str(p)) for topic, p in lags}
        for gone in self._lag_keys - keys:
            self.consumer_lag.remove(*gone)
        for (topic, p), n in lags.items():
            self.consumer_lag.labels(topic, str(p)).set(n)
        self._lag_keys = keys

    # -- bridges -------------------------------------------------------------------------------

    def bridge(self, bridge: str) -> None:
        """Serve a bridge's delivery counts and circuit from 0 before anything happens."""
        for outcome in (DELIVERED, RETRYING, PARKED, CIRCUIT_OPEN):
            self.bridge_deliveries.labels(bridge, outcome)
        self.bridge_circuit_open.labels(bridge).set(0)

    def delivery(self, bridge: str, outcome: str) -> None:
        self.bridge_deliveries.labels(bridge, outcome).inc()

    def circuit(self, bridge: str, is_open: bool) -> None:
        self.bridge_circuit_open.labels(bridge).set(1 if is_open else 0)

    # -- helpers -------------------------------------------------------------------------------

    def _dispatched(self, orders: Iterable[WorkOrder]) -> None:
        for wo in orders:
            if wo.kind not in (INFO_COPY, WITHDRAWN):
                self.workorders_dispatched.labels(wo.level, wo.category_code).inc()

    def router_started(self) -> None:
        """Serve the SLA scheduler's heartbeat (from now: a scheduler that never sweeps goes
        stale too). Only a router has one; the API process does not serve it at 0. Once."""
        self._scheduler_last_sweep = Gauge(
            "grid_scheduler_last_sweep_timestamp_seconds",
            "When the SLA scheduler last completed a sweep (Unix time): its heartbeat.",
            registry=self.registry,
        )
        self._scheduler_last_sweep.set_to_current_time()

    def watch_counts(
        self, name: str, doc: str, label: str, counts: Mapping[str, int], known: Iterable[str]
    ) -> None:
        """Serve a live `collections.Counter` kept elsewhere (e.g. refused signatures per
        bridge) as the counter `name` with one label; the `known` values are served at 0
        before they are first counted."""
        self.registry.register(_CountsCollector(name, doc, label, counts, tuple(known)))

    def watch_database(self, read: Callable[[], DatabaseGauges], every: float = 5.0) -> None:
        """Serve the database gauges, read at most every `every` seconds (scrapes in between
        get the last reading)."""
        self.registry.register(_DatabaseCollector(read, every))


class _DatabaseCollector(Collector):
    def __init__(self, read: Callable[[], DatabaseGauges], every: float) -> None:
        self._read = read
        self._every = every
        self._last: DatabaseGauges | None = None
        self._at = 0.0

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = time.monotonic()
        if self._last is None or now - self._at >= self._every:
            try:
                self._last = self._read()
                self._at = now
            except Exception as exc:
                if not database_unavailable(exc):  # an outage is said once, by the engine
                    log.exception("reading the database gauges failed; serving the last reading")
        g = self._last
        if g is None:
            return
        open_ = GaugeMetricFamily(
            "grid_open_incidents", "Incidents not closed, by level and state.",
            labels=["level", "state"],
        )  # fmt: skip
        for (level, state), n in sorted(g.open_incidents.items()):
            open_.add_metric([level, state], n)
        yield open_
        yield GaugeMetricFamily(
            "grid_outbox_pending", "Outbox rows not yet sent (Kafka messages and bridge calls).",
            value=g.outbox_pending,
        )  # fmt: skip
        yield GaugeMetricFamily(
            "grid_outbox_oldest_pending_age_seconds",
            "Age of the oldest outbox row not yet sent (0 when none).",
            value=g.outbox_oldest_age_seconds,
        )
        last = GaugeMetricFamily(
            "grid_district_last_report_timestamp_seconds",
            "When the last report from each district was filed (Unix time).",
            labels=["district"],
        )
        for district, at in sorted(g.last_report_at.items()):
            last.add_metric([district], at.timestamp())
        yield last
        info = GaugeMetricFamily(
            "grid_district_info", "Each district's name, to join on the district label.",
            labels=["district", "name"],
        )  # fmt: skip
        for code, name in sorted({**g.districts, UNKNOWN: UNKNOWN_NAME}.items()):
            info.add_metric([code, name], 1)
        yield info


class _CountsCollector(Collector):
    def __init__(
        self, name: str, doc: str, label: str, counts: Mapping[str, int], known: tuple[str, ...]
    ) -> None:
        self._name, self._doc, self._label = name, doc, label
        self._counts, self._known = counts, known

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(self._name, self._doc, labels=[self._label])
        counts = dict.fromkeys(self._known, 0) | dict(self._counts)
        for value, n in sorted(counts.items()):
            family.add_metric([value], n)
        yield family
