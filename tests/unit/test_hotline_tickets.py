"""The bridges' inbound mappings: 12345 tickets and callbacks, 数字城管 cases and statuses, as
grid_router's reports and actions (docs/bridges.md, "Inbound")."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from grid_router.domain.model import Source, State
from grid_router.domain.workflow import REASON_REQUIRED, Action, parse_action
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_taxonomy
from grid_router.service.citymgmt_cases import (
    STATUSES,
    CaseIn,
    StatusIn,
    case_event_id,
    case_report,
    case_subcategory,
    status_action,
)
from grid_router.service.hotline_tickets import (
    DISSATISFIED,
    CallbackIn,
    TicketIn,
    action_code,
    callback_action,
    ticket_event_id,
    ticket_report,
)

CST = timezone(timedelta(hours=8))

TICKET: dict[str, Any] = {
    "ticket_no": "GD20261127000123",
    "type": "投诉",
    "urgency": "紧急",
    "title": "楼道堆放杂物",
    "content": "湖里区殿前街道高殿社区5号楼楼道堆满杂物，堵住消防通道",
    "address": "湖里区殿前街道高殿社区5号楼",
    "grid_code": None,
    "community_code": None,
    "caller_name": "陈先生",
    "caller_phone": "13800001111",
    "created_at": "2026-11-27T09:12:00+08:00",
}

CASE: dict[str, Any] = {
    "case_no": "AJ20261127-0456",
    "event_class": "市容环境",
    "event_type": "暴露垃圾",
    "event_code": "CITY_MGMT.EXPOSED_GARBAGE",
    "description": "高殿社区5号楼旁暴露垃圾",
    "address": "湖里区殿前街道高殿社区5号楼",
    "grid_code": "350206002008005",
    "supervisor_id": "JD-0231",
    "reported_at": "2026-11-27T09:30:00+08:00",
}


def ticket(**changes: Any) -> TicketIn:
    return TicketIn.model_validate({**TICKET, **changes})


# --- tickets ---------------------------------------------------------------------------------


def test_a_ticket_is_a_hotline_report_with_the_ticket_number_as_external_reference() -> None:
    report = ticket_report(ticket())
    assert report.source == Source.HOTLINE
    assert report.external_ref == "GD20261127000123"
    assert report.description == TICKET["content"]
    assert report.title == "楼道堆放杂物"
    assert report.address == "湖里区殿前街道高殿社区5号楼"
    assert report.reported_at == datetime(2026, 11, 27, 9, 12, tzinfo=CST)
    assert report.reporter.role == "hotline_agent"
    assert (report.reporter.name, report.reporter.phone) == ("陈先生", "13800001111")
    assert report.grid_code is None
    assert report.community_code is None


@pytest.mark.parametrize(("urgency", "hint"), [("一般", None), ("紧急", "III"), ("特急", "II")])
def test_urgency_is_a_grade_hint(urgency: str, hint: str | None) -> None:
    assert ticket_report(ticket(urgency=urgency)).severity_hint == hint


@pytest.mark.parametrize("kind", ["咨询", "投诉", "建议", "求助"])
def test_the_ticket_type_is_kept(kind: str) -> None:
    assert ticket_report(ticket(type=kind)).attributes["ticket_type"] == kind


def test_the_event_id_is_the_same_for_every_sending_of_a_ticket() -> None:
    first = ticket_report(ticket())
    again = ticket_report(ticket(content="又打来了：楼道杂物还在", urgency="特急"))
    other = ticket_report(ticket(ticket_no="GD20261127000124"))
    assert first.event_id == again.event_id == ticket_event_id("GD20261127000123")
    assert other.event_id != first.event_id
    assert uuid.UUID(first.event_id).version == 5


def test_codes_are_kept_when_the_hotline_gives_them() -> None:
    report = ticket_report(ticket(grid_code="350206002008005", community_code="350206002008"))
    assert (report.grid_code, report.community_code) == ("350206002008005", "350206002008")


@pytest.mark.parametrize(
    ("changes", "path"),
    [
        ({"urgency": "很急"}, "urgency"),
        ({"type": "表扬"}, "type"),
        ({"content": ""}, "content"),
        ({"ticket_no": "GD 001/2"}, "ticket_no"),
        ({"created_at": "2026-11-27T09:12:00"}, "created_at"),  # no offset
        ({"grid_code": "35020600200800"}, "grid_code"),
        ({"caller_phone": "call me"}, "caller_phone"),
        ({"extra": "x"}, "extra"),
    ],
)
def test_a_malformed_ticket_is_refused_naming_the_field(changes: dict[str, Any], path: str) -> None:
    with pytest.raises(ValidationError) as caught:
        ticket(**changes)
    assert [e["loc"][0] for e in caught.value.errors()] == [path]


def test_a_ticket_needs_its_number_content_and_time() -> None:
    with pytest.raises(ValidationError) as caught:
        TicketIn.model_validate({"type": "投诉", "urgency": "一般"})
    missing = {e["loc"][0] for e in caught.value.errors() if e["type"] == "missing"}
    assert missing == {"ticket_no", "content", "created_at"}


# --- callbacks -------------------------------------------------------------------------------


def callback(satisfied: bool, comment: str | None = None) -> CallbackIn:
    return CallbackIn(satisfied=satisfied, comment=comment)


@pytest.mark.parametrize(
    ("satisfied", "state", "code"),
    [
        (True, State.VERIFIED, "CLOSE"),
        (True, State.HANDLED, "VERIFY_PASS"),
        (True, State.DISPATCHED, "CLOSE"),  # for the workflow to refuse, with its reason
        (False, State.VERIFIED, "REOPEN"),
        (False, State.CLOSED, "REOPEN"),
        (False, State.HANDLED, "VERIFY_FAIL"),
        (False, State.SIGNED, "REOPEN"),  # refused by the workflow
    ],
)
def test_a_callback_is_the_action_the_state_calls_for(
    satisfied: bool, state: State, code: str
) -> None:
    body = callback_action(callback(satisfied, "杂物还在"), state)
    assert action_code(body) == code
    assert parse_action(body["action"], body.get("verify_passed")) == Action(code)


def test_an_unsatisfied_callback_always_says_why() -> None:
    assert callback_action(callback(False), State.CLOSED)["reason"] == DISSATISFIED
    assert callback_action(callback(False), State.HANDLED)["reason"] == DISSATISFIED
    assert callback_action(callback(False, "杂物还在"), State.VERIFIED)["reason"] == "杂物还在"
    assert (
        callback_action(callback(True, "已清理，满意"), State.VERIFIED)["result"] == "已清理，满意"
    )


def test_a_callback_must_say_satisfied_or_not_as_a_boolean() -> None:
    with pytest.raises(ValidationError):
        CallbackIn.model_validate({"satisfied": "yes"})
    with pytest.raises(ValidationError):
        CallbackIn.model_validate({"comment": "ok"})


# --- 数字城管 cases ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def taxonomy() -> Any:
    return load_taxonomy(load_default_policy().taxonomy_path)


def test_a_case_is_a_city_management_report_from_its_supervisor(taxonomy: Any) -> None:
    report = case_report(CaseIn.model_validate(CASE), taxonomy)
    assert report.source == Source.CITY_MGMT
    assert report.category_code == "CITY_MGMT"
    assert report.subcategory_code == "CITY_MGMT.EXPOSED_GARBAGE"
    assert report.external_ref == "AJ20261127-0456"
    assert report.event_id == case_event_id("AJ20261127-0456")
    assert (report.reporter.id, report.reporter.role) == ("JD-0231", "supervisor")
    assert report.title == "暴露垃圾"
    assert report.grid_code == "350206002008005"
    assert report.attributes == {
        "event_class": "市容环境",
        "event_type": "暴露垃圾",
        "event_code": "CITY_MGMT.EXPOSED_GARBAGE",
    }


def test_a_case_event_id_differs_from_a_ticket_with_the_same_number() -> None:
    assert case_event_id("AJ1") == case_event_id("AJ1")
    assert case_event_id("AJ1") != ticket_event_id("AJ1")


def test_only_a_city_management_subcategory_of_the_taxonomy_is_kept(taxonomy: Any) -> None:
    assert case_subcategory("CITY_MGMT.EXPOSED_GARBAGE", taxonomy) == "CITY_MGMT.EXPOSED_GARBAGE"
    assert case_subcategory("CITY_MGMT.NO_SUCH_THING", taxonomy) is None
    fire = next(c for c in taxonomy.categories if c.code == "FIRE").subcategories[0].code
    assert case_subcategory(fire, taxonomy) is None
    assert case_subcategory("CITY_MGMT.EXPOSED_GARBAGE", None) is None
    assert case_subcategory(None, taxonomy) is None


# --- 数字城管 statuses ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "slot"),
    [
        ("签收", "SIGN", "reason"),
        ("处置中", "START", "reason"),
        ("处置完成", "HANDLE", "result"),
        ("核查通过", "VERIFY_PASS", "reason"),
        ("核查不通过", "VERIFY_FAIL", "reason"),
        ("结案", "CLOSE", "result"),
        ("退回", "RETURN", "reason"),
    ],
)
def test_a_status_is_an_action(status: str, code: str, slot: str) -> None:
    body = status_action(StatusIn.model_validate({"status": status, "comment": "已清理"}))
    assert action_code(body) == code
    assert body[slot] == "已清理"
    assert parse_action(body["action"], body.get("verify_passed")) == Action(code)
    assert set(body) <= {"action", "reason", "result", "verify_passed"}  # what ActionIn takes


def test_every_status_is_mapped_and_only_return_needs_its_comment() -> None:
    assert set(STATUSES) == {"签收", "处置中", "处置完成", "核查通过", "核查不通过", "结案", "退回"}
    for status in STATUSES:
        action = Action(action_code(status_action(StatusIn(status=status))))
        assert (action in REASON_REQUIRED) == (status == "退回")


def test_an_unknown_status_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValidationError) as caught:
        StatusIn.model_validate({"status": "已办结"})
    message = str(caught.value)
    assert all(s in message for s in STATUSES)
