"""The bridges' inbound side end to end (docs/bridges.md, "Inbound"): the 12345 and 数字城管
webhooks through the HTTP API on the session broker, with a router thread filing and applying
what they send, and the 12345 pull poller against a test double of the hotline (Kafka and the
database stay real)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from grid_router.adapters.db.cursors import SqlBridgeCursors
from grid_router.adapters.db.tables import incident_transitions, incidents, metadata
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.bootstrap import App
from grid_router.service.auth import Role
from grid_router.service.bridges import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from grid_router.service.citymgmt_cases import case_event_id
from grid_router.service.hotline_tickets import ticket_event_id
from tests.integration.kafka_helpers import make_app, read_all

HOTLINE_SECRET = "hotline-test-secret"
CITYMGMT_SECRET = "citymgmt-test-secret"
COMMUNITY = "350206002008"  # 高殿社区, 殿前街道, 湖里区
GRID = f"{COMMUNITY}005"

T = TypeVar("T")


def a_ticket(no: str, **changes: Any) -> dict[str, Any]:
    return {
        "ticket_no": no,
        "type": "投诉",
        "urgency": "紧急",
        "title": "楼道堆放杂物",
        "content": "湖里区殿前街道高殿社区5号楼楼道堆满杂物，堵住消防通道",
        "address": "湖里区殿前街道高殿社区5号楼",
        "grid_code": GRID,
        "community_code": None,
        "caller_name": "陈先生",
        "caller_phone": "13800001111",
        "created_at": "2026-11-27T09:12:00+08:00",
        **changes,
    }


def a_case(no: str) -> dict[str, Any]:
    return {
        "case_no": no,
        "event_class": "市容环境",
        "event_type": "暴露垃圾",
        "event_code": "CITY_MGMT.EXPOSED_GARBAGE",
        "description": "高殿社区5号楼旁暴露垃圾，无人清运",
        "address": "湖里区殿前街道高殿社区5号楼",
        "grid_code": GRID,
        "supervisor_id": "JD-0231",
        "reported_at": "2026-11-27T09:30:00+08:00",
    }


@dataclass
class Bridged:
    app: App
    api: FastAPI
    client: TestClient

    def post(
        self,
        path: str,
        body: Any,
        secret: str = HOTLINE_SECRET,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> httpx.Response:
        """POST `body` (JSON, or bytes as they are) signed with `secret`."""
        raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        ts = str(int(time.time()) if timestamp is None else timestamp)
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: ts,
            SIGNATURE_HEADER: signature or sign(secret, ts, raw),
        }
        answer: httpx.Response = self.client.post(path, content=raw, headers=headers)
        return answer

    def reports_sent(self) -> list[Any]:
        return read_all(self.app.settings.kafka_bootstrap, self.app.topics.reports, 0.2)

    def actions_sent(self) -> list[Any]:
        return read_all(self.app.settings.kafka_bootstrap, self.app.topics.actions, 0.2)

    def rows(self) -> dict[str, int]:
        with self.app.engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
            }

    def incident(self, event_id: str) -> Any:
        with self.app.engine.connect() as conn:
            return conn.execute(select(incidents).where(incidents.c.event_id == event_id)).first()

    @contextmanager
    def router(self) -> Iterator[None]:
        """The router (with its relay) in a thread, filing and applying what the API sends."""
        worker = self.app.router_worker(relay_in_process=False)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        try:
            yield
        finally:
            worker.stop()
            thread.join(60)
            assert not thread.is_alive(), "router did not stop"


def eventually(probe: Callable[[], T | None], what: str, timeout: float = 60.0) -> T:
    """`probe()` once it is truthy; fails naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def bridges_env(monkeypatch: pytest.MonkeyPatch, *, secrets: bool) -> None:
    """The bridges' environment, set before the App is built (it caches the bridges)."""
    for name in (
        "GRID_BRIDGE_HOTLINE_URL",
        "GRID_BRIDGE_CITYMGMT_URL",
        "GRID_BRIDGE_PUBLIC_SAFETY_URL",
        "GRID_BRIDGE_PUBLIC_SAFETY_SECRET",
        "GRID_BRIDGE_HOTLINE_POLL",
    ):
        monkeypatch.delenv(name, raising=False)
    if secrets:
        monkeypatch.setenv("GRID_BRIDGE_HOTLINE_SECRET", HOTLINE_SECRET)
        monkeypatch.setenv("GRID_BRIDGE_CITYMGMT_SECRET", CITYMGMT_SECRET)
    else:
        monkeypatch.delenv("GRID_BRIDGE_HOTLINE_SECRET", raising=False)
        monkeypatch.delenv("GRID_BRIDGE_CITYMGMT_SECRET", raising=False)


@pytest.fixture
def bridged(
    monkeypatch: pytest.MonkeyPatch, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> Iterator[Bridged]:
    bridges_env(monkeypatch, secrets=True)
    app = make_app(kafka_bootstrap, database_url, topic_prefix)
    api = app.api()
    with TestClient(api) as client:
        yield Bridged(app, api, client)
    app.close()


# --- 12345 tickets ---------------------------------------------------------------------------


def test_a_ticket_is_filed_once_as_a_hotline_incident(bridged: Bridged) -> None:
    with bridged.router():
        answer = bridged.post("/bridges/12345/tickets", a_ticket("GD20261127000123"))
        assert answer.status_code == 202, answer.text
        event_id = ticket_event_id("GD20261127000123")
        assert answer.json() == {
            "event_id": event_id,
            "ticket_no": "GD20261127000123",
            "replayed": False,
        }
        row = eventually(lambda: bridged.incident(event_id), "the ticket's incident")
        assert (row.source, row.external_ref) == ("HOTLINE", "GD20261127000123")
        assert row.reporter_role == "hotline_agent"
        assert row.severity in ("III", "II", "I")  # 紧急: at least 较大
        assert row.state == "DISPATCHED"

        again = bridged.post("/bridges/12345/tickets", a_ticket("GD20261127000123"))
        assert again.status_code == 202, again.text
        assert again.json() == {**answer.json(), "replayed": True}

    with bridged.app.engine.connect() as conn:
        same = conn.execute(
            select(func.count()).where(incidents.c.external_ref == "GD20261127000123")
        ).scalar_one()
    assert same == 1
    assert len(bridged.reports_sent()) == 1

    # The caller's name and phone are masked in the status view.
    store = SqlTokenStore(bridged.app.engine, bridged.app.clock)
    _, token = store.create("ops", Role.OPERATOR)
    view = bridged.client.get(
        f"/api/v1/events/{event_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert view.status_code == 200, view.text
    assert view.json()["reporter"]["name"] == "陈*生"
    assert view.json()["reporter"]["phone"] == "138****1111"


def test_a_ticket_sent_twice_at_once_is_sent_to_kafka_once(bridged: Bridged) -> None:
    first = bridged.post("/bridges/12345/tickets", a_ticket("GD1"))
    second = bridged.post("/bridges/12345/tickets", a_ticket("GD1", content="又来电：杂物还在"))
    assert (first.status_code, second.status_code) == (202, 202)
    assert (first.json()["replayed"], second.json()["replayed"]) == (False, True)
    assert first.json()["event_id"] == second.json()["event_id"]
    assert len(bridged.reports_sent()) == 1


@pytest.mark.parametrize(
    ("secret", "signature", "headers"),
    [
        (HOTLINE_SECRET, "sha256=" + "0" * 64, True),  # wrong signature
        (CITYMGMT_SECRET, None, True),  # another bridge's secret
        ("guessed", None, True),
        (HOTLINE_SECRET, None, False),  # not signed at all
    ],
)
def test_a_bad_signature_is_refused_and_nothing_is_written(
    bridged: Bridged, secret: str, signature: str | None, headers: bool
) -> None:
    before = bridged.rows()
    if headers:
        answer = bridged.post("/bridges/12345/tickets", a_ticket("GD2"), secret, None, signature)
    else:
        answer = bridged.client.post("/bridges/12345/tickets", json=a_ticket("GD2"))
    assert answer.status_code == 401, answer.text
    assert answer.json()["error"]["code"] == "BAD_SIGNATURE"
    assert bridged.api.state.bad_signatures["hotline-12345"] == 1
    assert bridged.rows() == before
    assert bridged.reports_sent() == []


def test_a_signature_over_another_body_is_refused(bridged: Bridged) -> None:
    ts = str(int(time.time()))
    signed = json.dumps(a_ticket("GD3")).encode()
    sent = json.dumps(a_ticket("GD3", urgency="特急")).encode()
    answer = bridged.client.post(
        "/bridges/12345/tickets",
        content=sent,
        headers={TIMESTAMP_HEADER: ts, SIGNATURE_HEADER: sign(HOTLINE_SECRET, ts, signed)},
    )
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "BAD_SIGNATURE"
    assert bridged.reports_sent() == []


# Well past the five minutes either way: the exact boundary is the unit test's
# (tests/unit/service/test_bridge_signatures.py); here the wall clock moves while the request
# travels, so a timestamp 301 s ahead could arrive less than 300 s ahead on a slow machine.
@pytest.mark.parametrize("age", [301, -360, 3600])
def test_a_stale_timestamp_is_refused(bridged: Bridged, age: int) -> None:
    answer = bridged.post(
        "/bridges/12345/tickets", a_ticket("GD4"), timestamp=int(time.time()) - age
    )
    assert answer.status_code == 401, answer.text
    error = answer.json()["error"]
    assert error["code"] == "BAD_SIGNATURE"
    assert "clock" in error["message"]
    assert bridged.api.state.bad_signatures["hotline-12345"] == 1
    assert bridged.reports_sent() == []


def test_a_malformed_ticket_is_refused_naming_the_fields_and_nothing_is_written(
    bridged: Bridged,
) -> None:
    before = bridged.rows()
    bad = a_ticket("GD5", urgency="很急", created_at="yesterday", colour="red")
    del bad["content"]
    answer = bridged.post("/bridges/12345/tickets", bad)
    assert answer.status_code == 422, answer.text
    error = answer.json()["error"]
    assert error["code"] == "INVALID_REQUEST"
    assert {f["path"] for f in error["fields"]} == {"urgency", "created_at", "content", "colour"}

    not_json = bridged.post("/bridges/12345/tickets", b"{ticket_no: GD5")
    assert not_json.status_code == 422, not_json.text
    assert not_json.json()["error"]["code"] == "INVALID_REQUEST"
    assert bridged.api.state.bad_signatures["hotline-12345"] == 0
    assert bridged.rows() == before
    assert bridged.reports_sent() == []


# --- 12345 callbacks -------------------------------------------------------------------------


def test_a_callback_for_an_unknown_ticket_is_not_found(bridged: Bridged) -> None:
    answer = bridged.post("/bridges/12345/tickets/GD404/callback", {"satisfied": True})
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "NOT_FOUND"
    assert bridged.actions_sent() == []


def test_a_callback_the_state_does_not_allow_is_refused_with_the_reason(bridged: Bridged) -> None:
    with bridged.router():
        assert bridged.post("/bridges/12345/tickets", a_ticket("GD6")).status_code == 202
        event_id = ticket_event_id("GD6")
        eventually(lambda: bridged.incident(event_id), "the ticket's incident")

    satisfied = bridged.post(
        "/bridges/12345/tickets/GD6/callback",
        {"satisfied": True, "comment": "满意", "at": "2026-11-28T10:00:00+08:00"},
    )
    assert satisfied.status_code == 409, satisfied.text
    error = satisfied.json()["error"]
    assert error["code"] == "ILLEGAL_TRANSITION"
    assert "CLOSE" in error["message"]
    assert "DISPATCHED" in error["message"]

    unsatisfied = bridged.post(
        "/bridges/12345/tickets/GD6/callback", {"satisfied": False, "comment": "杂物还在"}
    )
    assert unsatisfied.status_code == 409, unsatisfied.text
    assert "REOPEN" in unsatisfied.json()["error"]["message"]
    assert bridged.actions_sent() == []


def test_callbacks_verify_close_and_reopen_as_the_state_calls_for(bridged: Bridged) -> None:
    store = SqlTokenStore(bridged.app.engine, bridged.app.clock)

    def state_is(event_id: str, wanted: str) -> None:
        eventually(
            lambda: (r := bridged.incident(event_id)) is not None and r.state == wanted,
            f"state {wanted}",
        )

    def callback(satisfied: bool, action: str, then: str) -> None:
        answer = bridged.post(
            "/bridges/12345/tickets/GD7/callback", {"satisfied": satisfied, "comment": "回访"}
        )
        assert answer.status_code == 202, answer.text
        assert answer.json() == {"event_id": event_id, "action": action}
        state_is(event_id, then)

    with bridged.router():
        assert bridged.post("/bridges/12345/tickets", a_ticket("GD7")).status_code == 202
        event_id = ticket_event_id("GD7")
        row = eventually(lambda: bridged.incident(event_id), "the ticket's incident")
        _, token = store.create("desk", Role.DISPATCHER, row.unit_code)
        unit = {"Authorization": f"Bearer {token}"}

        def act(action: str, then: str) -> None:
            body = {"action": action, "result": "已清理" if action == "HANDLE" else None}
            answer = bridged.client.post(
                f"/api/v1/events/{event_id}/actions", json=body, headers=unit
            )
            assert answer.status_code == 202, answer.text
            state_is(event_id, then)

        act("SIGN", "SIGNED")
        act("HANDLE", "HANDLED")
        callback(False, "VERIFY_FAIL", "IN_PROGRESS")  # the unit carries on
        act("HANDLE", "HANDLED")
        callback(True, "VERIFY_PASS", "VERIFIED")  # the callback is the verification
        callback(True, "CLOSE", "CLOSED")
        callback(False, "REOPEN", "DISPATCHED")  # back to the unit, which signs again

    with bridged.app.engine.connect() as conn:
        steps = conn.execute(
            select(incident_transitions.c.action, incident_transitions.c.actor)
            .where(incident_transitions.c.event_id == event_id)
            .order_by(incident_transitions.c.version)
        ).all()
    bridge_steps = {(a, actor) for a, actor in steps if actor.startswith("system:hotline")}
    assert {a for a, _ in bridge_steps} == {"VERIFY_FAIL", "VERIFY_PASS", "CLOSE", "REOPEN"}


# --- 数字城管 ----------------------------------------------------------------------------------


def test_a_citymgmt_case_is_filed_and_its_status_applied(bridged: Bridged) -> None:
    with bridged.router():
        answer = bridged.post("/bridges/citymgmt/cases", a_case("AJ20261127-0456"), CITYMGMT_SECRET)
        assert answer.status_code == 202, answer.text
        event_id = case_event_id("AJ20261127-0456")
        assert answer.json() == {
            "event_id": event_id,
            "case_no": "AJ20261127-0456",
            "replayed": False,
        }
        row = eventually(lambda: bridged.incident(event_id), "the case's incident")
        assert (row.source, row.external_ref) == ("CITY_MGMT", "AJ20261127-0456")
        assert row.category_code == "CITY_MGMT"
        assert (row.reporter_id, row.reporter_role) == ("JD-0231", "supervisor")
        assert row.state == "DISPATCHED"

        signed = bridged.post(
            "/bridges/citymgmt/cases/AJ20261127-0456/status",
            {"status": "签收", "unit_code": row.unit_code, "comment": "已签收"},
            CITYMGMT_SECRET,
        )
        assert signed.status_code == 202, signed.text
        assert signed.json() == {"event_id": event_id, "action": "SIGN"}
        eventually(
            lambda: (r := bridged.incident(event_id)) and r.state == "SIGNED", "state SIGNED"
        )
        # By our event id as well (a case grid_router forwarded).
        started = bridged.post(
            f"/bridges/citymgmt/cases/{event_id}/status", {"status": "处置中"}, CITYMGMT_SECRET
        )
        assert started.status_code == 202, started.text
        assert started.json()["action"] == "START"
        eventually(
            lambda: (r := bridged.incident(event_id)) and r.state == "IN_PROGRESS",
            "state IN_PROGRESS",
        )
    with bridged.app.engine.connect() as conn:
        actors = conn.execute(
            select(incident_transitions.c.action, incident_transitions.c.actor).where(
                incident_transitions.c.event_id == event_id,
                incident_transitions.c.action.in_(["SIGN", "START"]),
            )
        ).all()
    assert sorted(actors) == [("SIGN", "system:citymgmt"), ("START", "system:citymgmt")]

    # 签收 again: the state no longer allows it.
    again = bridged.post(
        "/bridges/citymgmt/cases/AJ20261127-0456/status", {"status": "签收"}, CITYMGMT_SECRET
    )
    assert again.status_code == 409, again.text
    assert "SIGN" in again.json()["error"]["message"]


def test_citymgmt_statuses_that_are_not_valid(bridged: Bridged) -> None:
    unknown = bridged.post(
        "/bridges/citymgmt/cases/AJ1/status", {"status": "已办结"}, CITYMGMT_SECRET
    )
    assert unknown.status_code == 422, unknown.text
    message = unknown.json()["error"]["message"]
    assert all(s in message for s in ("签收", "处置中", "处置完成", "核查通过", "结案", "退回"))

    no_reason = bridged.post(
        "/bridges/citymgmt/cases/AJ1/status", {"status": "退回"}, CITYMGMT_SECRET
    )
    assert no_reason.status_code == 422, no_reason.text
    assert [f["path"] for f in no_reason.json()["error"]["fields"]] == ["comment"]

    unknown_case = bridged.post(
        "/bridges/citymgmt/cases/AJ1/status", {"status": "签收"}, CITYMGMT_SECRET
    )
    assert unknown_case.status_code == 404, unknown_case.text

    # The hotline's secret does not sign 数字城管's requests.
    wrong = bridged.post("/bridges/citymgmt/cases/AJ1/status", {"status": "签收"})
    assert wrong.status_code == 401
    assert bridged.api.state.bad_signatures == {"citymgmt": 1}
    assert bridged.actions_sent() == []


# --- bridges that are off ----------------------------------------------------------------------


def test_a_webhook_is_off_while_its_secret_is_not_set(
    monkeypatch: pytest.MonkeyPatch, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    bridges_env(monkeypatch, secrets=False)
    monkeypatch.setenv("GRID_BRIDGE_CITYMGMT_SECRET", CITYMGMT_SECRET)
    app = make_app(kafka_bootstrap, database_url, topic_prefix)
    try:
        api = app.api()
        with TestClient(api) as client:
            off = Bridged(app, api, client)
            ticket = off.post("/bridges/12345/tickets", a_ticket("GD8"))
            assert ticket.status_code == 404, ticket.text
            assert ticket.json()["error"]["code"] == "NOT_FOUND"
            callback = off.post("/bridges/12345/tickets/GD8/callback", {"satisfied": True})
            assert callback.status_code == 404
            case = off.post("/bridges/citymgmt/cases", a_case("AJ8"), CITYMGMT_SECRET)
            assert case.status_code == 202, case.text
            assert len(off.reports_sent()) == 1
    finally:
        app.close()


# --- the pull poller -------------------------------------------------------------------------


def test_the_poller_sends_the_hotline_tickets_and_stores_the_cursor(
    monkeypatch: pytest.MonkeyPatch, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    bridges_env(monkeypatch, secrets=True)
    monkeypatch.setenv("GRID_BRIDGE_HOTLINE_URL", "http://hotline.test")
    seen: list[httpx.Request] = []

    def hotline(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.params.get("since") == "c2":
            return httpx.Response(200, json={"tickets": [], "cursor": "c2"})
        tickets = [a_ticket("GD9"), a_ticket("GD10", urgency="一般")]
        return httpx.Response(200, json={"tickets": tickets, "cursor": "c2"})

    app = make_app(kafka_bootstrap, database_url, topic_prefix)
    try:
        client = httpx.Client(
            transport=httpx.MockTransport(hotline), base_url="http://hotline.test"
        )
        poller = app.hotline_poller(client)
        read = poller.poll_once()
        assert (read.tickets, read.submitted, read.advanced) == (2, 2, True)
        assert SqlBridgeCursors(app.engine).get("hotline-12345") == "c2"
        sent = [
            app.codec.decode_report(r.value)
            for r in read_all(kafka_bootstrap, app.topics.reports, 0.2)
        ]
        assert sorted(r.event_id for r in sent) == sorted(
            [ticket_event_id("GD9"), ticket_event_id("GD10")]
        )
        assert {r.source for r in sent} == {"HOTLINE"}
        assert poller.poll_once().tickets == 0
        assert seen[1].url.params["since"] == "c2"
        poller.stop()
    finally:
        app.close()


def test_grid_router_run_polls_only_when_asked_and_the_hotline_is_on(
    monkeypatch: pytest.MonkeyPatch, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    bridges_env(monkeypatch, secrets=True)
    asked_without_url = make_app(
        kafka_bootstrap, database_url, topic_prefix, bridge_hotline_poll=True
    )
    assert asked_without_url.pollers() == []  # the App reads the bridges once, here
    monkeypatch.setenv("GRID_BRIDGE_HOTLINE_URL", "http://hotline.test")
    off = make_app(kafka_bootstrap, database_url, topic_prefix)
    on = make_app(kafka_bootstrap, database_url, topic_prefix, bridge_hotline_poll=True)
    try:
        assert off.pollers() == []
        (poller,) = on.pollers()
        assert poller.bridge == "hotline-12345"
        poller.stop()
    finally:
        for app in (off, asked_without_url, on):
            app.close()
