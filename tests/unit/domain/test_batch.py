"""Deciding a whole batch in one call: what to read, merges within the batch, and actions on
incidents the same batch filed. Pure, on the bundled Xiamen organisation, taxonomy and policy."""

from __future__ import annotations

from datetime import UTC, datetime

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.batch import Deciding, Filer, Known, SlaSetup, decide_batch, needs
from grid_router.domain.classify import Classifier
from grid_router.domain.clocks import ClockSettings
from grid_router.domain.disposition import ActionRequest, Change, Context
from grid_router.domain.model import IncidentReport, Reporter, State
from grid_router.domain.sla import WorkingCalendar
from grid_router.domain.workflow import Actor
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_default_taxonomy

NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 09:30 in Xiamen
ORG = load_default_organisation()
POLICY = load_default_policy()
SLA = SlaSetup(
    POLICY.sla,
    POLICY.version,
    Context(ORG, POLICY.routing.departments, ClockSettings(WorkingCalendar())),
    POLICY.routing.root.sla,
)
DECIDING = Deciding(
    ORG,
    Classifier(load_default_taxonomy(), place_names=[u.name for u in ORG]),
    POLICY.routing,
    SLA,
)
GRID = "350206002008005"  # 高殿社区, grid 5
COMMUNITY = GRID[:12]


def report(event_id: str) -> IncidentReport:
    return IncidentReport(
        event_id=event_id,
        reported_at=NOW,
        source="GRID_APP",
        reporter=Reporter(id="GW-1"),
        description="5号楼门口垃圾满溢，无人清运",
        category_code="CITY_MGMT",
        grid_code=GRID,
    )


def sign(event_id: str) -> ActionRequest:
    return ActionRequest("a-1", event_id, "SIGN", Actor("dispatcher", COMMUNITY, "d-1"), NOW)


def test_a_batch_asks_for_its_merge_keys_and_the_incidents_its_actions_name() -> None:
    filer = Filer(DECIDING, NOW)
    first = filer.file(report("e-1"))
    need = needs([first], [sign("e-9")], POLICY.routing, NOW)
    assert need.merge_keys == {(GRID, first.classification.category_code)}
    assert need.incidents == ("e-9",)
    assert need.place == ()


def test_an_action_sees_the_incident_its_batch_filed_with_the_repeats_counted() -> None:
    filer = Filer(DECIDING, NOW)
    reports = [filer.file(report("e-1")), filer.file(report("e-2"))]
    decision = decide_batch(reports, [sign("e-1"), sign("e-3")], Known(), filer, DECIDING)
    # The second report repeats the first (same grid and category, in this batch).
    assert decision.reports[1].merged_into == "e-1"
    assert decision.repeats == {"e-1": 1}
    signed, unknown = decision.actions
    assert isinstance(signed.result, Change)
    assert signed.incident is not None
    assert signed.incident.report_count == 2
    assert signed.result.incident.state is State.SIGNED
    assert signed.result.incident.version == decision.reports[0].version + 1
    assert signed.completion is not None
    assert signed.completion.on_time
    assert unknown.incident is None  # no incident e-3: the caller dead-letters the action
