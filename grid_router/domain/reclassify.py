"""RECLASSIFY (改类): a person corrects the category or grade the classifier gave an incident, and
the incident is routed again by the policy (DESIGN §3). Pure.

The workflow allows it while no unit has handled the incident (DISPATCHED, SIGNED,
IN_PROGRESS), for the unit holding it (a triage desk holds what waits for triage) and for
oversight. The policy decides where the corrected incident goes, exactly as it would have for a
report with that category and grade at that place: the lead unit gets a fresh work order with
the clocks of the new route's SLA terms, every unit the route says must know gets an
information copy, and the unit passed over is told its order is withdrawn. The `needs_triage`
flag is cleared: a person has now decided the category.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from grid_router.domain.clocks import SlaTerms, Timer
from grid_router.domain.disposition import (
    ActionRequest,
    Change,
    Context,
    Incident,
    _changed,
    work_order,
)
from grid_router.domain.model import Level, Severity
from grid_router.domain.routing import RouteInput, RoutingPolicy, local_time_of
from grid_router.domain.taxonomy import Taxonomy
from grid_router.domain.workflow import Action, RefusalCode, Refused, Target, apply

INFO_COPY: Final = "INFO_COPY"


@dataclass(frozen=True, slots=True)
class Rerouting:
    """What routing again needs: the policy's route tree, its taxonomy (category names), and
    the SLA terms of a route's SLA name."""

    policy: RoutingPolicy
    taxonomy: Taxonomy
    terms: Callable[[str], SlaTerms]


def reclassify(
    incident: Incident,
    timers: tuple[Timer, ...],
    request: ActionRequest,
    ctx: Context,
    rerouting: Rerouting,
    now: datetime,
) -> Change | Refused:
    """Apply a RECLASSIFY `request` (its `category_code` and/or `severity`) to `incident`."""
    corrected = _corrected(incident, request, rerouting.taxonomy)
    if isinstance(corrected, Refused):
        return corrected
    location = ctx.org.locate(incident.grid_code, incident.community_code, incident.address)
    route = rerouting.policy.decide(
        RouteInput(
            category=corrected.category_code,
            severity=corrected.severity,
            location=location,
            subcategory=corrected.subcategory_code,
            source=incident.source,
            local_time=local_time_of(now),
        ),
        ctx.org,
    )
    lead = route.lead
    decision = apply(
        incident.snapshot,
        Action.RECLASSIFY,
        request.actor,
        now=now,
        target=Target(lead.level, lead.unit.code),
        reason=_reason(incident, corrected, request.reason, lead.unit.name),
    )
    if isinstance(decision, Refused):
        return decision
    before = replace(corrected, sla=rerouting.terms(route.sla))
    change = _changed(
        before, timers, decision, Action.RECLASSIFY.value, request.actor.label, ctx, now
    )
    after = replace(change.incident, department=lead.department)
    orders = tuple(
        replace(wo, department=lead.department) if wo.unit_code == lead.unit.code else wo
        for wo in change.work_orders
    )
    copies = tuple(
        work_order(
            _held_by(after, c.level, c.unit.code, c.unit.name, c.department),
            INFO_COPY,
            INFO_COPY,
            now,
        )
        for c in route.info_copies
    )
    return replace(
        change,
        incident=after,
        work_orders=orders + copies,
        holder_changed=True,
    )


def _held_by(
    incident: Incident, level: Level, unit_code: str, unit_name: str, department: str
) -> Incident:
    return replace(
        incident, level=level, unit_code=unit_code, unit_name=unit_name, department=department
    )


def _corrected(
    incident: Incident, request: ActionRequest, taxonomy: Taxonomy
) -> Incident | Refused:
    """`incident` with the category and grade the request names, or why not."""
    code = (request.category_code or incident.category_code).strip().upper()
    category = taxonomy.category(code)
    if category is None:
        known = ", ".join(c.code for c in taxonomy.categories)
        return Refused(
            RefusalCode.INPUT_NOT_ALLOWED,
            f"{Action.RECLASSIFY.label} names no known category {code!r}; the categories are "
            f"{known}",
        )
    try:
        severity = Severity(request.severity.strip()) if request.severity else incident.severity
    except ValueError:
        return Refused(
            RefusalCode.INPUT_NOT_ALLOWED,
            f"{Action.RECLASSIFY.label}: {request.severity!r} is not a grade; the grades are "
            "IV, III, II and I",
        )
    if (category.code, severity) == (incident.category_code, incident.severity):
        return Refused(
            RefusalCode.INPUT_NOT_ALLOWED,
            f"{Action.RECLASSIFY.label} must change the category or the grade: the incident is "
            f"already {category.code} ({category.name}), grade {severity.value}",
        )
    sub = incident.subcategory_code
    keeps_sub = sub is not None and any(s.code == sub for s in category.subcategories)
    return replace(
        incident,
        category_code=category.code,
        category_name=category.name,
        subcategory_code=sub if keeps_sub else None,
        severity=severity,
        needs_triage=False,
    )


def _reason(before: Incident, after: Incident, said: str | None, unit_name: str) -> str:
    change = (
        f"{before.category_name}/{before.severity.value} → {after.category_name}/"
        f"{after.severity.value}，重新派遣至{unit_name}"
    )
    return f"改类：{change}" + (f"；{said.strip()}" if said and said.strip() else "")
