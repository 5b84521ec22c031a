"""Filing a report: what it is, which unit gets the first work order, who gets copies, and what
is recorded. Pure, on the bundled Xiamen organisation, taxonomy and policy."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.classify import Classifier
from grid_router.domain.filing import INFO_COPY, Filed, decide, file_report
from grid_router.domain.model import UNLOCATED, IncidentReport, Level, Reporter, Severity, State
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_default_taxonomy

# 09:30 in Xiamen: office hours, so no time-of-day route applies.
NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)
ORG = load_default_organisation()
CLASSIFIER = Classifier(load_default_taxonomy(), place_names=[u.name for u in ORG])
POLICY = load_default_policy().routing


def report(**fields: object) -> IncidentReport:
    base: dict[str, object] = {
        "event_id": "e-1",
        "reported_at": NOW,
        "source": "GRID_APP",
        "reporter": Reporter(id="GW-1"),
        "description": "小区门口垃圾满溢，无人清运",
        "category_code": "CITY_MGMT",
    }
    base.update(fields)
    return IncidentReport(**base)  # type: ignore[arg-type]


def filed(**fields: object) -> Filed:
    r = report(**fields)
    return file_report(r, decide(r, ORG, CLASSIFIER, POLICY), NOW)


@pytest.mark.parametrize(
    ("fields", "level", "unit", "reason"),
    [
        ({"grid_code": "350206002008005"}, Level.COMMUNITY, "350206002008", "ROUTED"),
        ({"community_code": "350212001004"}, Level.COMMUNITY, "350212001004", "ROUTED"),
        ({"address": "湖里区殿前街道高殿社区"}, Level.COMMUNITY, "350206002008", "ROUTED"),
        # Located only to a street or a district: the deepest unit known acts.
        ({"address": "思明区中华街道中山路99号"}, Level.STREET, "350203003", "ROUTED"),
        ({}, Level.CITY, "350200", UNLOCATED),
        ({"grid_code": "999999999999001"}, Level.CITY, "350200", UNLOCATED),
    ],
)
def test_an_ordinary_matter_goes_to_the_deepest_unit_located(
    fields: dict[str, object], level: Level, unit: str, reason: str
) -> None:
    f = filed(**fields)
    assert (f.level, f.assignee.unit_code, f.lead.reason) == (level, unit, reason)
    assert f.lead.unit_name == ORG.unit(unit).name
    assert f.lead.kind == "ACTION"
    assert f.lead.department


def test_a_category_floor_starts_fire_hazards_at_the_street_with_its_department() -> None:
    f = filed(
        description="楼道堆放杂物，堵塞消防通道", category_code="FIRE", grid_code="350206002008005"
    )
    assert (f.level, f.assignee.unit_code) == (Level.STREET, "350206002")
    assert f.lead.department == "殿前街道专职消防队"
    assert f.lead.category_name == "消防安全"
    assert len(f.work_orders) == 1  # grade IV: no information copies


def test_a_fire_with_people_trapped_starts_high_and_every_level_below_is_told() -> None:
    f = filed(
        description="12号楼着火了，火很大，有人被困在楼上",
        category_code=None,
        grid_code="350206002008005",
    )
    assert f.classification.severity in (Severity.II, Severity.I)
    assert (f.level, f.lead.department) == (Level.DISTRICT, "湖里区消防救援大队")
    copies = [(wo.level, wo.unit_code) for wo in f.work_orders if wo.kind == INFO_COPY]
    assert copies == [(Level.STREET, "350206002"), (Level.COMMUNITY, "350206002008")]
    assert len({wo.work_order_id for wo in f.work_orders}) == len(f.work_orders)
    assert {wo.version for wo in f.work_orders} == {f.version}


def test_text_that_says_nothing_goes_to_the_street_triage_desk() -> None:
    f = filed(description="啊啊啊", category_code=None, grid_code="350206002008005")
    assert (f.level, f.assignee.unit_code, f.lead.reason) == (Level.STREET, "350206002", "TRIAGE")


def test_history_records_filing_then_dispatch_and_versions_count_them() -> None:
    f = filed(grid_code="350206002008005")
    steps = [(t.version, t.from_state, t.to_state, t.action) for t in f.transitions]
    assert steps == [
        (1, State.REPORTED, State.FILED, "FILE"),
        (2, State.FILED, State.DISPATCHED, "DISPATCH"),
    ]
    assert f.version == f.lead.version == f.state_change.version == 2
    sc = f.state_change
    assert (sc.state, sc.previous_state, sc.unit_code) == (
        State.DISPATCHED,
        State.REPORTED,
        "350206002008",
    )
    wo = f.lead
    assert (wo.community_code, wo.street_code, wo.district_code) == (
        "350206002008",
        "350206002",
        "350206",
    )
    # The explanation of the classification and the route taken are in the history.
    assert f.transitions[0].reason == f.classification.explanation
    assert f.transitions[1].reason


def test_unlocated_reason_says_why() -> None:
    f = filed(address="我家楼下")
    assert f.lead.reason == UNLOCATED
    reason = f.transitions[-1].reason
    assert reason is not None
    assert "not located" in reason
    assert "address '我家楼下' names no district, street or community" in reason
    assert "city triage desk" in reason


def test_a_graver_repeat_moves_the_open_incident_up_to_its_grades_level() -> None:
    from grid_router.domain.filing import (
        Assignee,
        OpenIncident,
        merge_key,
        merge_report,
        raises_level,
        regrade,
    )

    hole = report(description="路面塌陷了一个小坑", grid_code="350206002008005")
    decided = decide(hole, ORG, CLASSIFIER, POLICY)
    assert merge_key(decided) == ("350206002008005", "CITY_MGMT")
    holder = Assignee(Level.STREET, "350206002", "殿前街道", "殿前街道城管执法中队")
    open_iv = OpenIncident("e-0", Severity.IV, holder, 2, State.DISPATCHED)
    assert not raises_level(decided, open_iv)

    merged = merge_report(hole, decided, open_iv, NOW)
    assert merged.work_orders == ()
    assert (merged.state_change.state, merged.merged_into, merged.assignee) == (
        State.MERGED,
        "e-0",
        holder,
    )

    hurt = report(description="路面塌陷了，有人掉进坑里受伤了", grid_code="350206002008005")
    graver = decide(hurt, ORG, CLASSIFIER, POLICY)
    assert raises_level(graver, open_iv)
    assert not raises_level(graver, OpenIncident("e-0", Severity.II, holder, 2, State.DISPATCHED))
    moved = regrade(open_iv, hurt, graver, NOW)
    assert (moved.assignee.level, moved.assignee.unit_code) == (Level.DISTRICT, "350206")
    assert [(t.version, t.from_state, t.to_state) for t in moved.transitions] == [
        (3, State.DISPATCHED, State.ESCALATED),
        (4, State.ESCALATED, State.DISPATCHED),
    ]
    assert {wo.event_id for wo in moved.work_orders} == {"e-0"}
    assert moved.work_orders[0].reason == "REGRADED"
    assert [wo.unit_code for wo in moved.work_orders[1:]] == ["350206002", "350206002008"]
    assert moved.state_change.version == 4


def test_reports_the_classifier_cannot_place_are_never_merged() -> None:
    from grid_router.domain.filing import merge_key

    r = report(description="啊啊啊", category_code=None, grid_code="350206002008005")
    assert merge_key(decide(r, ORG, CLASSIFIER, POLICY)) is None
    assert merge_key(decide(report(), ORG, CLASSIFIER, POLICY)) is None  # no grid code
