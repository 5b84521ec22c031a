"""Filing a report: from an IncidentReport and where it was located, decide the incident, its
first work order and the transitions that got it there. Pure: the caller supplies `now`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from grid_router.domain.model import (
    UNLOCATED,
    IncidentReport,
    Level,
    Severity,
    State,
    StateChange,
    WorkOrder,
)
from grid_router.domain.org import Location, Organisation, Unit
from grid_router.domain.taxonomy import CATEGORIES, OTHER, category_name

ROUTER_ACTOR = "system:router"


@dataclass(frozen=True, slots=True)
class Classification:
    category_code: str
    subcategory_code: str | None
    severity: Severity
    explanation: str


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
class Filed:
    """Everything the router records and sends for a newly filed report."""

    report: IncidentReport
    classification: Classification
    location: Location
    unit: Unit
    level: Level
    transitions: tuple[Transition, ...]
    work_order: WorkOrder
    state_change: StateChange

    @property
    def version(self) -> int:
        return self.transitions[-1].version


def classify_placeholder(report: IncidentReport) -> Classification:
    """Keep the category the app sent when it is a known top-level code, else OTHER.

    Stands in until the routing policy's classifier is wired in.
    """
    code = (report.category_code or "").strip().upper()
    if code in CATEGORIES:
        return Classification(code, report.subcategory_code, Severity.IV, "category from app")
    explanation = (
        f"unknown category {report.category_code!r}" if report.category_code else "no category"
    )
    return Classification(OTHER, None, Severity.IV, explanation)


def responsible_unit(location: Location, org: Organisation) -> tuple[Unit, str]:
    """The unit a report goes to first and why: the deepest unit it was located to, or the city
    triage queue when it could not be located."""
    for level in (Level.COMMUNITY, Level.STREET, Level.DISTRICT):
        unit = location.unit_at(level)
        if unit is not None:
            return unit, "DISPATCHED"
    return org.city, UNLOCATED


def file_report(
    report: IncidentReport,
    location: Location,
    org: Organisation,
    classification: Classification,
    now: datetime,
) -> Filed:
    """File `report` and dispatch it to the unit that owns where it happened."""
    unit, reason = responsible_unit(location, org)
    level = unit.level
    detail = None if reason != UNLOCATED else (location.detail or "could not be located")
    transitions = (
        Transition(
            1,
            State.REPORTED,
            State.FILED,
            "FILE",
            ROUTER_ACTOR,
            None,
            None,
            level,
            unit.code,
            classification.explanation,
        ),
        Transition(
            2,
            State.FILED,
            State.DISPATCHED,
            "DISPATCH",
            ROUTER_ACTOR,
            None,
            None,
            level,
            unit.code,
            reason if detail is None else f"{reason}: {detail}",
        ),
    )
    version = transitions[-1].version
    street = location.unit_at(Level.STREET)
    district = location.unit_at(Level.DISTRICT)
    community = location.unit_at(Level.COMMUNITY)
    work_order = WorkOrder(
        work_order_id=f"{report.event_id}:{version}:{unit.code}",
        event_id=report.event_id,
        version=version,
        level=level,
        unit_code=unit.code,
        unit_name=unit.name,
        department=None,
        category_code=classification.category_code,
        category_name=category_name(classification.category_code),
        subcategory_code=classification.subcategory_code,
        severity=classification.severity,
        reason=reason,
        kind="ACTION",
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
    )
    state_change = StateChange(
        event_id=report.event_id,
        version=version,
        state=State.DISPATCHED,
        previous_state=State.REPORTED,
        action="DISPATCH",
        actor=ROUTER_ACTOR,
        level=level,
        unit_code=unit.code,
        category_code=classification.category_code,
        severity=classification.severity,
        at=now,
        reason=transitions[-1].reason,
    )
    return Filed(
        report, classification, location, unit, level, transitions, work_order, state_change
    )
