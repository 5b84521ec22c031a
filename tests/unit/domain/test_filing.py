"""Filing a report: which unit gets the first work order, and what is recorded. Pure."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.filing import classify_placeholder, file_report
from grid_router.domain.model import UNLOCATED, IncidentReport, Level, Reporter, Severity, State

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ORG = load_default_organisation()


def report(**fields: object) -> IncidentReport:
    base: dict[str, object] = {
        "event_id": "e-1",
        "reported_at": NOW,
        "source": "GRID_APP",
        "reporter": Reporter(id="GW-1"),
        "description": "楼道堆放杂物",
    }
    base.update(fields)
    return IncidentReport(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "level", "unit", "reason"),
    [
        ({"grid_code": "350206002008005"}, Level.COMMUNITY, "350206002008", "DISPATCHED"),
        ({"community_code": "350212001004"}, Level.COMMUNITY, "350212001004", "DISPATCHED"),
        ({"address": "湖里区殿前街道高殿社区"}, Level.COMMUNITY, "350206002008", "DISPATCHED"),
        ({"address": "思明区中华街道中山路99号"}, Level.STREET, "350203003", "DISPATCHED"),
        ({"address": "翔安区某工地"}, Level.DISTRICT, "350213", "DISPATCHED"),
        ({}, Level.CITY, "350200", UNLOCATED),
        ({"grid_code": "999999999999001"}, Level.CITY, "350200", UNLOCATED),
    ],
)
def test_first_work_order_goes_to_the_deepest_unit_located(
    fields: dict[str, object], level: Level, unit: str, reason: str
) -> None:
    r = report(**fields)
    loc = ORG.locate(r.grid_code, r.community_code, r.address)
    filed = file_report(r, loc, ORG, classify_placeholder(r), NOW)
    assert (filed.level, filed.unit.code, filed.work_order.reason) == (level, unit, reason)
    assert filed.work_order.unit_name == ORG.unit(unit).name
    assert filed.work_order.kind == "ACTION"


def test_history_records_filing_then_dispatch_and_versions_count_them() -> None:
    r = report(grid_code="350206002008005", category_code="FIRE")
    filed = file_report(r, ORG.locate(r.grid_code, None, None), ORG, classify_placeholder(r), NOW)
    steps = [(t.version, t.from_state, t.to_state, t.action) for t in filed.transitions]
    assert steps == [
        (1, State.REPORTED, State.FILED, "FILE"),
        (2, State.FILED, State.DISPATCHED, "DISPATCH"),
    ]
    assert filed.version == filed.work_order.version == filed.state_change.version == 2
    sc = filed.state_change
    assert (sc.state, sc.previous_state, sc.unit_code) == (
        State.DISPATCHED,
        State.REPORTED,
        "350206002008",
    )
    wo = filed.work_order
    assert (wo.community_code, wo.street_code, wo.district_code) == (
        "350206002008",
        "350206002",
        "350206",
    )
    assert wo.work_order_id == "e-1:2:350206002008"


def test_unlocated_reason_says_why() -> None:
    r = report(address="我家楼下")
    filed = file_report(r, ORG.locate(None, None, r.address), ORG, classify_placeholder(r), NOW)
    reason = filed.transitions[-1].reason
    assert reason is not None
    assert reason.startswith(f"{UNLOCATED}: ")
    assert len(reason) > len(UNLOCATED) + 10


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("FIRE", "FIRE"),
        ("fire", "FIRE"),
        (" FOOD_DRUG ", "FOOD_DRUG"),
        ("NOISE", "OTHER"),
        (None, "OTHER"),
    ],
)
def test_placeholder_keeps_a_known_app_category_else_other(
    category: str | None, expected: str
) -> None:
    c = classify_placeholder(report(category_code=category))
    assert (c.category_code, c.severity) == (expected, Severity.IV)
