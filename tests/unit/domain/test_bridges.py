"""Bridge rules: which changes match, and the payload and path they render."""

from __future__ import annotations

from typing import Any

import pytest

from grid_router.domain.bridges import BridgeRule, Field, deliveries, unknown_facts
from grid_router.domain.model import Severity
from grid_router.policy.load import load_default_policy

FACTS: dict[str, Any] = {
    "event_id": "e-1",
    "version": 4,
    "source": "HOTLINE",
    "external_ref": "GD 2026/001",
    "action": "SIGN",
    "state": "SIGNED",
    "category_code": "FIRE",
    "severity": "III",
    "unit_name": "高殿社区居委会",
    "reason": None,
}

RULE = BridgeRule(
    name="hotline",
    path="/tickets/{external_ref}/progress",
    payload={
        "ticket_no": Field(fact="external_ref"),
        "status": Field(fact="action", map={"SIGN": "签收"}),
        "code": Field(fact="action"),
        "channel": Field(literal="grid-router"),
        "reason": Field(fact="reason"),
    },
    sources=frozenset({"HOTLINE"}),
    actions=frozenset({"SIGN", "HANDLE"}),
    require=frozenset({"external_ref"}),
)


def test_a_matching_change_renders_path_and_payload() -> None:
    (d,) = deliveries((RULE,), FACTS)
    assert d.path == "/tickets/GD%202026%2F001/progress"  # placeholders are URL-escaped
    assert d.payload == {
        "ticket_no": "GD 2026/001",
        "status": "签收",
        "code": "SIGN",
        "channel": "grid-router",
        "reason": None,
    }
    assert d.key == "hotline:e-1:4"


@pytest.mark.parametrize(
    "change",
    [
        {"source": "GRID_APP"},
        {"action": "START"},
        {"external_ref": None},
        {"external_ref": ""},
    ],
)
def test_a_change_outside_the_rule_makes_no_delivery(change: dict[str, Any]) -> None:
    assert deliveries((RULE,), FACTS | change) == []


@pytest.mark.parametrize(
    ("grade", "sent"), [("IV", False), ("III", False), ("II", True), ("I", True), (None, False)]
)
def test_min_grade(grade: str | None, sent: bool) -> None:
    rule = BridgeRule("ps", "/n", {"id": Field(fact="event_id")}, min_grade=Severity.II)
    assert bool(deliveries((rule,), FACTS | {"severity": grade})) is sent


def test_unknown_facts_are_named() -> None:
    assert unknown_facts("/x/{ticket}", {"a": Field(fact="event_id"), "b": Field(fact="nope")}) == [
        "nope",
        "ticket",
    ]


def test_the_bundled_bridges_tell_the_hotline_only_about_its_own_tickets() -> None:
    rules = load_default_policy().bridges
    assert {r.name for r in rules} == {
        "hotline-12345",
        "citymgmt",
        "citymgmt-progress",
        "public-safety",
    }
    hotline = next(r for r in rules if r.name == "hotline-12345")
    assert hotline.matches(FACTS)
    assert not hotline.matches(FACTS | {"source": "GRID_APP"})
    safety = next(r for r in rules if r.name == "public-safety")
    assert not safety.matches(FACTS | {"action": "DISPATCH"})  # grade III
    assert safety.matches(FACTS | {"action": "DISPATCH", "severity": "II"})
    assert not safety.matches(FACTS | {"action": "DISPATCH", "severity": "I",
                                       "category_code": "DISPUTE"})  # fmt: skip
