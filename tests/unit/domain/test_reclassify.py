"""RECLASSIFY (改类): the corrected incident is routed again by the bundled policy."""

from __future__ import annotations

from dataclasses import replace

from grid_router.domain.clocks import ClockSettings, SlaTerms
from grid_router.domain.disposition import ActionRequest, Change, Context, act
from grid_router.domain.model import Level, Severity, State
from grid_router.domain.reclassify import Rerouting
from grid_router.domain.sla import WorkingCalendar
from grid_router.domain.workflow import Actor, RefusalCode, Refused
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_default_taxonomy
from tests.unit.domain.test_disposition import (
    COMMUNITY,
    DISPATCHED,
    ORG,
    STREET,
    T0,
    incident,
)

POLICY = load_default_policy()


def _terms(name: str) -> SlaTerms:
    return SlaTerms(POLICY.sla.policy(name), POLICY.sla.extensions, POLICY.version)


CTX = Context(
    ORG,
    POLICY.routing.departments,
    ClockSettings(WorkingCalendar()),
    rerouting=Rerouting(POLICY.routing, load_default_taxonomy(), _terms),
)
TRIAGE_DESK = Actor("dispatcher", COMMUNITY, "triage-1")


def reclassify(
    category: str | None, severity: str | None = None, actor: Actor = TRIAGE_DESK
) -> Change | Refused:
    request = ActionRequest(
        action_id="a-1",
        event_id="e-1",
        action="RECLASSIFY",
        actor=actor,
        at=T0,
        reason="现场核实",
        category_code=category,
        severity=severity,
    )
    before, timers = DISPATCHED
    return act(replace(before, needs_triage=True), timers, request, CTX, T0)


def test_a_fire_hazard_reclassified_goes_to_the_street_with_new_clocks() -> None:
    change = reclassify("FIRE")
    assert isinstance(change, Change), change
    after = change.incident
    assert (after.category_code, after.category_name) == ("FIRE", "消防安全")
    assert (after.state, after.level, after.unit_code) == (State.DISPATCHED, Level.STREET, STREET)
    assert after.needs_triage is False
    assert after.sla.policy.name != incident().sla.policy.name
    kinds = sorted((wo.kind, wo.unit_code) for wo in change.work_orders)
    assert ("WITHDRAWN", COMMUNITY) in kinds
    assert ("ACTION", STREET) in kinds
    [step] = change.steps
    assert (step.action, step.from_unit, step.to_unit) == ("RECLASSIFY", COMMUNITY, STREET)
    assert step.reason is not None
    assert step.reason.startswith("改类：城市管理/IV → 消防安全/IV")
    assert {t.unit_code for t in change.timers} == {STREET}


def test_a_graver_grade_moves_the_incident_up_and_copies_the_levels_below() -> None:
    change = reclassify(None, "II")
    assert isinstance(change, Change), change
    assert change.incident.severity is Severity.II
    assert change.incident.level is Level.DISTRICT
    copies = {wo.unit_code for wo in change.work_orders if wo.kind == "INFO_COPY"}
    assert {COMMUNITY, STREET} <= copies


def test_reclassify_must_change_something_and_name_real_codes() -> None:
    same = reclassify("CITY_MGMT", "IV")
    assert isinstance(same, Refused)
    assert same.code is RefusalCode.INPUT_NOT_ALLOWED
    unknown = reclassify("NOT_A_CATEGORY")
    assert isinstance(unknown, Refused)
    assert "FOOD_DRUG" in unknown.message
    assert isinstance(reclassify("FIRE", "V"), Refused)


def test_another_unit_may_not_reclassify() -> None:
    refusal = reclassify("FIRE", actor=Actor("dispatcher", "350203003003", "d-9"))
    assert isinstance(refusal, Refused)
    assert refusal.code is RefusalCode.NOT_YOUR_WORK_ORDER
