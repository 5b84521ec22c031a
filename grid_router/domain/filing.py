"""Filing a report: from an IncidentReport, decide what it is, where it is and who must act, and
produce the incident's first work orders and the transitions that got it there.

Pure: the caller supplies the organisation, the compiled classifier and routing policy, and
`now`. `grid-router classify`, `routes test` and the router all call `decide`, so a dry run
shows exactly the decision the router makes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TypeVar

from grid_router.domain.classify import Classification, Classifier, ReportText
from grid_router.domain.clocks import (
    ON_DISPATCH,
    ClockSettings,
    SlaTerms,
    Timer,
    deadlines_of,
    start,
)
from grid_router.domain.model import (
    IncidentReport,
    Level,
    Reporter,
    Severity,
    State,
    StateChange,
    WorkOrder,
)
from grid_router.domain.org import Location, NearbyReport, Organisation, Unit
from grid_router.domain.routing import (
    BurstRule,
    RouteDecision,
    RouteInput,
    RoutingPolicy,
    Target,
    local_time_of,
)
from grid_router.domain.taxonomy import OTHER, Category, Subcategory

ROUTER_ACTOR = "system:router"

# Severity hints from the city's own systems are trusted (a hotline agent's 特急, a 数字城管
# supervisor's grade); a hint typed into an app is read as a claim and only noted.
TRUSTED_HINT_SOURCES = frozenset({"HOTLINE", "CITY_MGMT"})

ACTION = "ACTION"
INFO_COPY = "INFO_COPY"


@dataclass(frozen=True, slots=True)
class Decided:
    """What the report is, where, and who must act: everything but the bookkeeping."""

    location: Location
    classification: Classification
    route: RouteDecision

    @property
    def awaits_category_check(self) -> bool:
        """Dispatched to a unit that acts while a person confirms the category: the classifier
        was unsure (a grid worker's own pick is not a guess) and no triage desk holds it."""
        return doubtful(self.classification) and not self.route.triage


@dataclass(frozen=True, slots=True)
class Transition:
    """One step of the audit trail: who moved the incident from what to what, and where."""

    version: int
    from_state: State | None
    to_state: State
    action: str
    actor: str
    from_level: Level | None
    from_unit: str | None
    to_level: Level
    to_unit: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class Assignee:
    """Who holds an incident: the level, unit and department that must act."""

    level: Level
    unit_code: str
    unit_name: str
    department: str | None


@dataclass(frozen=True, slots=True)
class OpenIncident:
    """An open incident a new report may repeat (same category, same grid)."""

    event_id: str
    severity: Severity
    assignee: Assignee
    version: int
    state: State


@dataclass(frozen=True, slots=True)
class Regrade:
    """An open incident moved up because a repeat raised its grade."""

    event_id: str
    severity: Severity
    transitions: tuple[Transition, ...]
    work_orders: tuple[WorkOrder, ...]
    state_change: StateChange
    assignee: Assignee
    # The clocks of the new level (set by `with_clocks`), replacing those of the level left.
    sla: SlaTerms | None = None
    timers: tuple[Timer, ...] = ()

    @property
    def version(self) -> int:
        return self.transitions[-1].version

    def as_open_incident(self) -> OpenIncident:
        return OpenIncident(
            self.event_id, self.severity, self.assignee, self.version, State.DISPATCHED
        )


@dataclass(frozen=True, slots=True)
class Filed:
    """Everything the router records and sends for a newly filed report."""

    report: IncidentReport
    decided: Decided
    transitions: tuple[Transition, ...]
    work_orders: tuple[WorkOrder, ...]  # the lead's order first, then information copies
    state_change: StateChange
    assignee: Assignee
    merged_into: str | None = None
    # The SLA terms and running clocks (set by `with_clocks`; a merged report has none).
    sla: SlaTerms | None = None
    timers: tuple[Timer, ...] = ()

    @property
    def version(self) -> int:
        return self.transitions[-1].version

    @property
    def classification(self) -> Classification:
        return self.decided.classification

    @property
    def location(self) -> Location:
        return self.decided.location

    @property
    def lead(self) -> WorkOrder:
        """The order to the unit that must act (a merged report has none)."""
        return self.work_orders[0]

    @property
    def level(self) -> Level:
        return self.assignee.level

    @property
    def merge_key(self) -> tuple[str, str] | None:
        return merge_key(self.decided)

    def as_open_incident(self) -> OpenIncident:
        return OpenIncident(
            self.report.event_id,
            self.classification.severity,
            self.assignee,
            self.version,
            self.state_change.state,
        )


def decide(
    report: IncidentReport,
    org: Organisation,
    classifier: Classifier,
    policy: RoutingPolicy,
    nearby: Sequence[NearbyReport] | None = None,
    classification: Classification | None = None,
) -> Decided:
    """Locate, classify and route one report. `nearby` are the earlier located reports near its
    point, for a report only its point can place (None: not looked up, as in a dry run);
    `classification`, when the report was classified before (to place it again)."""
    # Hotline callers say where in the same breath as what: without an address field, the
    # description is the address text.
    location = org.locate(
        report.grid_code,
        report.community_code,
        report.address or report.description,
        point=report.location,
        nearby=nearby,
    )
    classification = classification or classifier.classify_many([report_text(report)])[0]
    route = policy.decide(
        RouteInput(
            category=classification.category_code,
            severity=classification.severity,
            location=location,
            subcategory=classification.subcategory_code,
            source=report.source,
            local_time=local_time_of(report.reported_at),
            confidence=_routing_confidence(classification),
            needs_triage=doubtful(classification),
        ),
        org,
    )
    return Decided(location, classification, route)


def report_text(report: IncidentReport) -> ReportText:
    """What the classifier reads of `report` (its severity hint trusted from grading sources)."""
    return ReportText(
        report.description,
        title=report.title,
        app_category=report.category_code,
        severity_hint=report.severity_hint,
        trusted_hint=report.source in TRUSTED_HINT_SOURCES,
    )


def doubtful(c: Classification) -> bool:
    """Whether a person must confirm the category (never a grid worker's uncontradicted pick)."""
    return c.needs_triage and _routing_confidence(c) is not None


def _routing_confidence(c: Classification) -> float | None:
    # A category the grid worker picked in the app and the text did not contradict is the
    # worker's judgement, not a guess: the policy's low-confidence triage does not apply.
    if c.app_category is not None and not c.app_overridden and c.category_code == c.app_category:
        return None
    return c.confidence


def file_report(report: IncidentReport, decided: Decided, now: datetime) -> Filed:
    """File `report` and dispatch it as `decided`: one work order for the unit that must act,
    and an information copy for every unit the policy says must know."""
    route, c = decided.route, decided.classification
    lead = route.lead
    transitions = (
        Transition(1, State.REPORTED, State.FILED, "FILE", ROUTER_ACTOR, None, None,
                   lead.level, lead.unit.code, c.explanation),
        Transition(2, State.FILED, State.DISPATCHED, "DISPATCH", ROUTER_ACTOR, None, None,
                   lead.level, lead.unit.code, "; ".join(route.reasons) or route.reason),
    )  # fmt: skip
    version = transitions[-1].version
    orders = _dispatch_orders(report, decided, version, route.reason, now)
    state_change = StateChange(
        event_id=report.event_id,
        version=version,
        state=State.DISPATCHED,
        previous_state=State.REPORTED,
        action="DISPATCH",
        actor=ROUTER_ACTOR,
        level=lead.level,
        unit_code=lead.unit.code,
        category_code=c.category_code,
        severity=c.severity,
        at=now,
        reason=route.reason,
    )
    return Filed(report, decided, transitions, orders, state_change, _assignee(lead))


def merge_key(decided: Decided) -> tuple[str, str] | None:
    """What makes two reports one incident: the same grid and the same category. Reports the
    classifier could not place (OTHER) are never merged: two of them may be anything."""
    grid, category = decided.location.grid_code, decided.classification.category_code
    if grid is None or category == OTHER:
        return None
    return grid, category


def raises_level(decided: Decided, open_incident: OpenIncident) -> bool:
    """Whether a repeat is graver than `open_incident` and its grade starts at a higher level:
    then the open incident moves up (`regrade`) as well as counting the repeat."""
    graver = _GRADE_RANK[decided.classification.severity] > _GRADE_RANK[open_incident.severity]
    return graver and decided.route.level.rank > open_incident.assignee.level.rank


def regrade(into: OpenIncident, report: IncidentReport, decided: Decided, now: datetime) -> Regrade:
    """Move `into` to where the graver repeat `report` says it belongs: the unit of the new
    grade's level gets a work order, and the levels below get copies, as the policy says."""
    route, c, was = decided.route, decided.classification, into.assignee
    lead = route.lead
    reason = f"grade raised {into.severity} → {c.severity} by report {report.event_id}; " + (
        "; ".join(route.reasons) or route.reason
    )
    v = into.version
    transitions = (
        Transition(v + 1, into.state, State.ESCALATED, "REGRADE", ROUTER_ACTOR, was.level,
                   was.unit_code, lead.level, lead.unit.code, reason),
        Transition(v + 2, State.ESCALATED, State.DISPATCHED, "DISPATCH", ROUTER_ACTOR,
                   was.level, was.unit_code, lead.level, lead.unit.code, reason),
    )  # fmt: skip
    # The orders carry the incident's own event id and the text of the graver report, which is
    # what the unit taking over needs to read first.
    as_incident = replace(report, event_id=into.event_id)
    orders = _dispatch_orders(as_incident, decided, v + 2, "REGRADED", now)
    state_change = StateChange(
        event_id=into.event_id,
        version=v + 2,
        state=State.DISPATCHED,
        previous_state=into.state,
        action="REGRADE",
        actor=ROUTER_ACTOR,
        level=lead.level,
        unit_code=lead.unit.code,
        category_code=c.category_code,
        severity=c.severity,
        at=now,
        reason=reason,
    )
    return Regrade(into.event_id, c.severity, transitions, orders, state_change, _assignee(lead))


def merge_report(
    report: IncidentReport, decided: Decided, into: OpenIncident, now: datetime
) -> Filed:
    """Record `report` as a repeat of the open incident `into`: no new work order of its own;
    the reporter is told, through the state of their own event id, which incident handles it.
    (If the repeat is graver, the caller moves `into` up with `regrade` as well.)"""
    a, c = into.assignee, decided.classification
    reason = f"MERGED: repeats open incident {into.event_id} (同一事件重复上报)"
    transitions = (
        Transition(1, State.REPORTED, State.FILED, "FILE", ROUTER_ACTOR, None, None,
                   a.level, a.unit_code, c.explanation),
        Transition(2, State.FILED, State.MERGED, "MERGE", ROUTER_ACTOR, None, None,
                   a.level, a.unit_code, reason),
    )  # fmt: skip
    state_change = StateChange(
        event_id=report.event_id,
        version=2,
        state=State.MERGED,
        previous_state=State.REPORTED,
        action="MERGE",
        actor=ROUTER_ACTOR,
        level=a.level,
        unit_code=a.unit_code,
        category_code=c.category_code,
        severity=c.severity,
        at=now,
        reason=reason,
    )
    return Filed(report, decided, transitions, (), state_change, a, merged_into=into.event_id)


_GRADE_RANK = {Severity.IV: 0, Severity.III: 1, Severity.II: 2, Severity.I: 3}


def _dispatch_orders(
    report: IncidentReport, decided: Decided, version: int, reason: str, now: datetime
) -> tuple[WorkOrder, ...]:
    """The lead's work order, then an information copy for every unit the route says must know."""
    route = decided.route
    return (
        _work_order(report, decided, route.lead, version, ACTION, reason, now),
        *(
            _work_order(report, decided, copy, version, INFO_COPY, INFO_COPY, now)
            for copy in route.info_copies
        ),
    )


def _assignee(target: Target) -> Assignee:
    return Assignee(target.level, target.unit.code, target.unit.name, target.department)


def _work_order(
    report: IncidentReport,
    decided: Decided,
    target: Target,
    version: int,
    kind: str,
    reason: str,
    now: datetime,
) -> WorkOrder:
    c, location = decided.classification, decided.location
    community = location.unit_at(Level.COMMUNITY)
    street = location.unit_at(Level.STREET)
    district = location.unit_at(Level.DISTRICT)
    return WorkOrder(
        work_order_id=f"{report.event_id}:{version}:{target.unit.code}:{kind}",
        event_id=report.event_id,
        version=version,
        level=target.level,
        unit_code=target.unit.code,
        unit_name=target.unit.name,
        department=target.department,
        category_code=c.category_code,
        category_name=c.category_name,
        subcategory_code=c.subcategory_code,
        severity=Severity(c.severity),
        reason=reason,
        kind=kind,
        description=report.description,
        title=report.title,
        address=report.address,
        grid_code=location.grid_code,
        community_code=community.code if community else None,
        street_code=street.code if street else None,
        district_code=district.code if district else None,
        source=report.source,
        external_ref=report.external_ref,
        created_at=now,
        needs_triage=decided.awaits_category_check,
    )


BURST_SOURCE = "BURST"


def burst_ref(rule: BurstRule, district_code: str) -> str:
    """The external reference that names a burst incident: one rule, one district."""
    return f"{rule.name}:{district_code}"


def open_burst(
    rule: BurstRule,
    event_id: str,
    district: Unit,
    members: int,
    category: Category,
    subcategory: Subcategory,
    org: Organisation,
    policy: RoutingPolicy,
    now: datetime,
) -> Filed:
    """The district incident a burst opens: filed and routed at the rule's grade like any
    report, so the policy decides who commands and who gets copies."""
    minutes = int(rule.window.total_seconds() // 60)
    description = (
        f"{district.name}{minutes}分钟内收到{members}起{subcategory.name}报告（突发聚集，"
        f"规则 {rule.name}），请区级统一指挥处置"
    )
    report = IncidentReport(
        event_id=event_id,
        reported_at=now,
        source=BURST_SOURCE,
        reporter=Reporter(id=ROUTER_ACTOR, role="operator"),
        description=description,
        title=f"{subcategory.name}突发聚集",
        category_code=category.code,
        subcategory_code=subcategory.code,
        severity_hint=rule.grade.value,
        external_ref=burst_ref(rule, district.code),
    )
    location = org.locate(None, None, district.name)
    classification = Classification(
        category_code=category.code,
        category_name=category.name,
        subcategory_code=subcategory.code,
        subcategory_name=subcategory.name,
        confidence=1.0,
        severity=rule.grade,
        needs_triage=False,
        explanation=f"burst: more than {rule.threshold} reports in {minutes} minutes",
    )
    route = policy.decide(
        RouteInput(
            category=category.code,
            severity=rule.grade,
            location=location,
            subcategory=subcategory.code,
            source=BURST_SOURCE,
            local_time=local_time_of(now),
        ),
        org,
    )
    return file_report(report, Decided(location, classification, route), now)


_F = TypeVar("_F", "Filed", "Regrade")


def with_clocks(filed: _F, terms: SlaTerms, settings: ClockSettings, now: datetime) -> _F:
    """`filed` (a filing or a regrade) with the SLA clocks of its lead unit started now, and the
    lead's work order carrying their deadlines. A merged report gets none: it has no order."""
    if isinstance(filed, Filed) and filed.merged_into is not None:
        return filed
    lead = filed.assignee
    event_id = filed.event_id if isinstance(filed, Regrade) else filed.report.event_id
    timers = start(event_id, ON_DISPATCH, terms, lead.level, lead.unit_code, now, settings)
    orders = tuple(
        replace(wo, deadlines=deadlines_of(timers)) if wo.kind == ACTION else wo
        for wo in filed.work_orders
    )
    return replace(filed, work_orders=orders, sla=terms, timers=timers)
