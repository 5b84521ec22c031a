"""Deciding a whole batch at once: the reports the router consumed and the actions it must apply.

Pure. The service layer asks `needs` what to read, reads it in one step (`Known`), calls
`decide_batch` once, and writes what it returns: the filings (placed by nearby reports, merged
into open incidents), the regrades of incidents a graver repeat moves up, the bursts (突发聚集)
opened and the members they link, and each action's change or refusal. Everything a batch does
to an incident before an action on it (filed, merged, moved up, counted, linked in this same
batch) is applied to the incident the action sees, exactly as the rows written before the
action would say.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from grid_router.domain.classify import Classification, Classifier
from grid_router.domain.clocks import ClockSettings, Completion, SlaTerms, Timer, completion
from grid_router.domain.disposition import ActionRequest, Change, Context, Incident, act
from grid_router.domain.filing import (
    Decided,
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
    report_text,
    with_clocks,
)
from grid_router.domain.model import GeoPoint, IncidentReport, Level, State
from grid_router.domain.org import NearbyReport, Organisation
from grid_router.domain.routing import BurstRule, RoutingPolicy
from grid_router.domain.sla import SlaRules
from grid_router.domain.taxonomy import OTHER
from grid_router.domain.workflow import Refused

PLACED_BY_POINT = ("coordinates", "unlocated")
"""How a report was located when only its point placed it (nearby reports may place it better)."""


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
class Deciding:
    """Everything a decision reads besides the batch and the database: the organisation, the
    classifier (its taxonomy), the routing policy and the SLA setup."""

    org: Organisation
    classifier: Classifier
    policy: RoutingPolicy
    sla: SlaSetup


class Filer:
    """Files reports at one instant `now`: the SLA terms of each route and the deadlines of
    each (terms, level) are worked out once per batch, not once per report."""

    def __init__(self, deciding: Deciding, now: datetime) -> None:
        self._d = deciding
        self.now = now
        self._terms: dict[str, SlaTerms] = {}

    def terms(self, name: str) -> SlaTerms:
        terms = self._terms.get(name)
        if terms is None:
            terms = self._terms[name] = self._d.sla.terms(name)
        return terms

    @property
    def clocks(self) -> ClockSettings:
        return self._d.sla.context.clocks

    def classify(self, reports: Sequence[IncidentReport]) -> list[Classification]:
        """The classifications of `reports`, in one call of the classifier for the batch."""
        return self._d.classifier.classify_many([report_text(r) for r in reports])

    def file(
        self,
        report: IncidentReport,
        nearby: Sequence[NearbyReport] | None = None,
        classification: Classification | None = None,
    ) -> Filed:
        """Locate, classify (unless `classification` is given), route and file one report, its
        clocks started."""
        d = self._d
        decided = decide(report, d.org, d.classifier, d.policy, nearby, classification)
        return self.clocked(file_report(report, decided, self.now))

    def clocked(self, filed: Filed) -> Filed:
        """`filed` with the clocks of its route's SLA policy, started now."""
        return with_clocks(filed, self.terms(filed.decided.route.sla), self.clocks, self.now)


# --- what to read ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Needs:
    """What the database must say before a batch can be decided."""

    merge_keys: frozenset[tuple[str, str]]
    since: datetime  # the merge window's start
    place: tuple[tuple[str, GeoPoint], ...]  # reports only their point placed
    near: tuple[tuple[str, str, GeoPoint], ...]  # (event id, category, point) merged by point
    bursts: tuple[BurstRule, ...]  # the burst rules the batch's reports fall under
    incidents: tuple[str, ...]  # the incidents actions name


@dataclass(frozen=True, slots=True)
class Known:
    """What the database said, read once per batch."""

    open_incidents: Mapping[tuple[str, str], OpenIncident] = field(default_factory=dict)
    located_near: Mapping[str, Sequence[NearbyReport]] = field(default_factory=dict)
    open_near: Mapping[str, OpenIncident | None] = field(default_factory=dict)
    live_bursts: Mapping[str, str] = field(default_factory=dict)  # burst ref → event id
    unlinked: Mapping[tuple[str, str], Sequence[str]] = field(default_factory=dict)
    incidents: Mapping[str, Incident] = field(default_factory=dict)
    timers: Mapping[str, tuple[Timer, ...]] = field(default_factory=dict)


def needs(
    reports: Sequence[Filed], actions: Sequence[ActionRequest], policy: RoutingPolicy, now: datetime
) -> Needs:
    """What to read for `reports` (as prepared) and `actions`."""
    keys: set[tuple[str, str]] = set()
    place: list[tuple[str, GeoPoint]] = []
    near: list[tuple[str, str, GeoPoint]] = []
    rules: dict[str, BurstRule] = {}
    for f in reports:
        key, point, eid = f.merge_key, f.report.location, f.report.event_id
        if key is not None:
            keys.add(key)
        elif point is not None and f.classification.category_code != OTHER:
            near.append((eid, f.classification.category_code, point))
        if point is not None and f.location.method in PLACED_BY_POINT:
            place.append((eid, point))
        rule = policy.burst_rule(f.classification.subcategory_code)
        if rule is not None:
            rules[rule.name] = rule
    return Needs(
        frozenset(keys),
        now - policy.merge_window,
        tuple(place),
        tuple(near),
        tuple(rules.values()),
        tuple(dict.fromkeys(a.event_id for a in actions)),
    )


# --- the decision ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acted:
    """One action's outcome: `incident` None when no incident has its event id."""

    request: ActionRequest
    incident: Incident | None
    result: Change | Refused | None
    completion: Completion | None = None


@dataclass(slots=True)
class BatchDecision:
    """What a batch does, in the order it is written."""

    reports: list[Filed]  # one per report, in the order given (merged repeats included)
    bursts: list[Filed] = field(default_factory=list)  # burst incidents opened
    links: dict[str, list[str]] = field(default_factory=dict)  # burst → members to link
    repeats: dict[str, int] = field(default_factory=dict)  # open incident → repeats merged
    regrades: list[Regrade] = field(default_factory=list)
    actions: list[Acted] = field(default_factory=list)


def decide_batch(
    reports: Sequence[Filed],
    actions: Sequence[ActionRequest],
    known: Known,
    filer: Filer,
    deciding: Deciding,
) -> BatchDecision:
    """Decide `reports` (filed one by one as prepared, in the order consumed) and `actions`
    together, given what the database said (`known`, as `needs` asked)."""
    placed = _place_points(reports, known, filer, deciding)
    decision = _merge_repeats(placed, known, filer, deciding.policy)
    _detect_bursts(decision, known, filer, deciding)
    decision.actions = _apply_actions(actions, decision, known, filer, deciding)
    return decision


def _place_points(
    reports: Sequence[Filed], known: Known, filer: Filer, deciding: Deciding
) -> list[Filed]:
    """Reports that only their point could place (in a district, or nowhere) are placed again
    by the reports located near that point: the nearest one within the policy's merge distance
    that a grid code, community code or address placed in a community (else a street) names the
    unit. Earlier reports of this batch count as well as those already filed."""
    meters = deciding.policy.merge_distance_m
    # (point, event id, unit code) of this batch's reports located by their own words.
    located: list[tuple[GeoPoint, str, str]] = []
    result: list[Filed] = []
    for f in reports:
        report, loc = f.report, f.location
        point = report.location
        if point is None:
            result.append(f)
            continue
        if loc.method not in PLACED_BY_POINT:
            unit = loc.community or loc.street
            if unit is not None:
                located.append((point, report.event_id, unit.code))
            result.append(f)
            continue
        nearby = [
            NearbyReport(event_id, code, d)
            for other, event_id, code in located
            if (d := point.distance_m(other)) <= meters
        ]
        nearby.extend(known.located_near.get(report.event_id, ()))
        result.append(_relocated(f, nearby, filer, deciding))
    return result


def _relocated(f: Filed, nearby: Sequence[NearbyReport], filer: Filer, d: Deciding) -> Filed:
    """`f` located again with `nearby` (its classification kept: the text has not changed)."""
    again = decide(f.report, d.org, d.classifier, d.policy, nearby, f.classification)
    return filer.clocked(file_report(f.report, again, filer.now))


def _merge_repeats(
    reports: Sequence[Filed], known: Known, filer: Filer, policy: RoutingPolicy
) -> BatchDecision:
    """Reports that repeat an open incident (same grid, same category, within the policy's
    window; or an earlier report of this batch) become merged reports. A graver repeat whose
    grade starts higher also moves the open incident up."""
    first = dict(known.open_incidents)
    meters = policy.merge_distance_m
    # Reports with coordinates but no grid, filed earlier in this batch.
    placed: list[tuple[str, GeoPoint, OpenIncident]] = []
    decision = BatchDecision(reports=[])
    now = filer.now
    for f in reports:
        key, point = f.merge_key, f.report.location
        category = f.classification.category_code
        if key is not None:
            target = first.get(key)
        elif point is not None and category != OTHER:
            target = next(
                (
                    incident
                    for other_category, other_point, incident in placed
                    if other_category == category and point.distance_m(other_point) <= meters
                ),
                known.open_near.get(f.report.event_id),
            )
        else:
            decision.reports.append(f)
            continue
        if target is None:
            if key is not None:
                first[key] = f.as_open_incident()
            elif point is not None:
                placed.append((category, point, f.as_open_incident()))
            decision.reports.append(f)
            continue
        decision.reports.append(merge_report(f.report, f.decided, target, now))
        decision.repeats[target.event_id] = decision.repeats.get(target.event_id, 0) + 1
        if raises_level(f.decided, target):
            moved = with_clocks(
                regrade(target, f.report, f.decided, now),
                filer.terms(f.decided.route.sla),
                filer.clocks,
                now,
            )
            decision.regrades.append(moved)
            if key is not None:
                first[key] = moved.as_open_incident()
    return decision


def _detect_bursts(decision: BatchDecision, known: Known, filer: Filer, d: Deciding) -> None:
    """Bursts (突发聚集): per burst rule and district, new reports join the live burst
    incident, or open one when, with the unlinked reports of the window, they exceed the
    rule's threshold."""
    groups: dict[tuple[BurstRule, str], list[str]] = {}
    for f in decision.reports:
        if f.merged_into is not None:
            continue
        rule = d.policy.burst_rule(f.classification.subcategory_code)
        district = f.location.unit_at(Level.DISTRICT)
        if rule is not None and district is not None:
            groups.setdefault((rule, district.code), []).append(f.report.event_id)
    for (rule, district_code), members in groups.items():
        live = known.live_bursts.get(burst_ref(rule, district_code))
        if live is not None:
            decision.links.setdefault(live, []).extend(members)
            continue
        earlier = list(known.unlinked.get((rule.name, district_code), ()))
        if len(earlier) + len(members) <= rule.threshold:
            continue
        burst = _open_burst(rule, district_code, earlier + members, filer, d)
        decision.bursts.append(burst)
        decision.links[burst.report.event_id] = earlier + members


def _open_burst(
    rule: BurstRule, district_code: str, members: list[str], filer: Filer, d: Deciding
) -> Filed:
    # Named by its first member, so a replayed batch opens the same burst, not another.
    event_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"grid-router:burst:{rule.name}:{members[0]}"))
    sub_code = sorted(rule.subcategories)[0]
    taxonomy = d.classifier.taxonomy
    subcategory = taxonomy.subcategory(sub_code)
    assert subcategory is not None, "policy check guarantees burst subcategories exist"
    category = taxonomy.category(subcategory.category_code)
    assert category is not None
    filed = open_burst(
        rule, event_id, d.org.unit(district_code), len(members), category, subcategory,
        d.org, d.policy, filer.now,
    )  # fmt: skip
    return filer.clocked(filed)


def _apply_actions(
    actions: Sequence[ActionRequest],
    decision: BatchDecision,
    known: Known,
    filer: Filer,
    d: Deciding,
) -> list[Acted]:
    """Apply the actions in the order consumed (per incident, the order they were sent: the
    topic is keyed by event id), after the batch's reports: an action may follow its report
    closely. An action on an incident that does not exist is left for the caller to
    dead-letter (it may be replayed once the report arrives)."""
    if not actions:
        return []
    named = {a.event_id for a in actions}
    incidents, timers = _as_written(decision, known, named, filer, d)
    ctx, now = d.sla.context, filer.now
    acted: list[Acted] = []
    for request in actions:
        incident = incidents.get(request.event_id)
        if incident is None:
            acted.append(Acted(request, None, None))
            continue
        running = timers.get(incident.event_id, ())
        result = act(incident, running, request, ctx, now)
        if isinstance(result, Refused):
            acted.append(Acted(request, incident, result))
            continue
        incidents[incident.event_id] = result.incident
        timers[incident.event_id] = result.timers
        acted.append(Acted(request, incident, result, completion(request.action, running, now)))
    return acted


def _as_written(
    decision: BatchDecision, known: Known, named: set[str], filer: Filer, d: Deciding
) -> tuple[dict[str, Incident], dict[str, tuple[Timer, ...]]]:
    """The incidents `named` (and their timers) as the rows will stand once the batch's reports
    are written: the stored ones, those filed now, moved up, counted or linked now."""
    incidents = {k: v for k, v in known.incidents.items() if k in named}
    timers = {k: known.timers.get(k, ()) for k in incidents}
    fallback = d.sla.fallback_terms
    for f in (*decision.reports, *decision.bursts):
        if f.report.event_id in named:
            incidents[f.report.event_id] = incident_of(f, fallback, filer.now)
            timers[f.report.event_id] = f.timers
    for burst, members in decision.links.items():
        if burst in incidents:
            # The row counts its linked members: those linked before (a stored burst's count)
            # and those linked now.
            was = incidents[burst]
            before = was.report_count if burst in known.incidents else 0
            incidents[burst] = replace(was, report_count=before + len(members))
    for eid, n in decision.repeats.items():
        if eid in incidents:
            incidents[eid] = replace(incidents[eid], report_count=incidents[eid].report_count + n)
    for r in decision.regrades:
        if r.event_id in incidents:
            a = r.assignee
            incidents[r.event_id] = replace(
                incidents[r.event_id],
                version=r.version,
                state=r.state_change.state,
                severity=r.severity,
                level=a.level,
                unit_code=a.unit_code,
                unit_name=a.unit_name,
                department=a.department,
                sla=r.sla or fallback,
            )
            timers[r.event_id] = r.timers
    return incidents, timers


def incident_of(f: Filed, fallback: SlaTerms, now: datetime) -> Incident:
    """The incident a filing's row stores (`now`: when it was filed)."""
    r, c, a, loc = f.report, f.classification, f.assignee, f.location
    community, street, district = (
        loc.unit_at(level) for level in (Level.COMMUNITY, Level.STREET, Level.DISTRICT)
    )
    return Incident(
        event_id=r.event_id,
        version=f.version,
        state=State(f.state_change.state),
        level=a.level,
        unit_code=a.unit_code,
        unit_name=a.unit_name,
        department=a.department,
        category_code=c.category_code,
        category_name=c.category_name,
        subcategory_code=c.subcategory_code,
        severity=c.severity,
        description=r.description,
        title=r.title,
        address=r.address,
        grid_code=loc.grid_code,
        community_code=community.code if community else None,
        street_code=street.code if street else None,
        district_code=district.code if district else None,
        source=r.source,
        external_ref=r.external_ref,
        report_count=1,
        sla=f.sla or fallback,
        filed_at=now,
        needs_triage=f.decided.awaits_category_check,
    )


__all__ = [
    "Acted",
    "BatchDecision",
    "Decided",
    "Deciding",
    "Filer",
    "Known",
    "Needs",
    "SlaSetup",
    "decide_batch",
    "incident_of",
    "needs",
]
