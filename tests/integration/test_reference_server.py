"""The reference far sides (grid_router/bridges_reference) as grid_router meets them: a real
uvicorn server on a free port, called by grid_router's own `BridgeSender` (signatures,
idempotency keys, retries, timeouts) and by its hotline poller; its failure modes; its control
API; its signed calls to grid_router's webhooks (a stand-in that checks them); and its answers
against the OpenAPI documents of docs/bridges/ (schemathesis generates the requests).

No Kafka, no database.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openapi_schema_validator import OAS31Validator
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from grid_router.adapters.db.deliveries import PendingDelivery
from grid_router.bridges_reference import BRIDGES, ReferenceServer, create_reference_app
from grid_router.service.bridges import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BridgeSender,
    Destination,
    sign,
    verify,
)
from grid_router.service.hotline_poller import HotlinePoller
from grid_router.settings import PROJECT_ROOT
from tests.unit.test_bridge_contracts import deliveries

SECRETS = {
    "hotline": "hotline-ref-secret",
    "citymgmt": "citymgmt-ref-secret",
    "public-safety": "public-safety-ref-secret",
}
FAR_SIDE_OF = {bridge: far for far, bridges in BRIDGES.items() for bridge in bridges}
GRID_ROUTER = "http://grid-router.test"
DOCS = PROJECT_ROOT / "docs" / "bridges"
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

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


# --- a stand-in for grid_router's webhooks ------------------------------------------------------


@dataclass
class FakeGridRouter:
    """Checks the signatures the reference server makes and answers as the inbound document
    says; keeps what it got."""

    got: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)

    def app(self) -> FastAPI:
        api = FastAPI()

        @api.post("/bridges/{rest:path}")
        async def webhook(request: Request, rest: str) -> JSONResponse:
            body = await request.body()
            self.got.append((request.url.path, body, dict(request.headers)))
            secret = SECRETS["hotline" if rest.startswith("12345/") else "citymgmt"]
            timestamp = request.headers.get(TIMESTAMP_HEADER)
            signature = request.headers.get(SIGNATURE_HEADER)
            if not verify(secret, timestamp, signature, body, time.time()):
                error = {"code": "BAD_SIGNATURE", "message": "bad signature", "fields": []}
                return JSONResponse({"error": error}, status_code=401)
            sent = json.loads(body)
            if rest == "12345/tickets":
                answer = {"event_id": "e-9", "ticket_no": sent["ticket_no"], "replayed": False}
            elif rest == "citymgmt/cases":
                answer = {"event_id": "e-9", "case_no": sent["case_no"], "replayed": False}
            else:
                answer = {"event_id": "e-9", "action": "REOPEN"}
            return JSONResponse(answer, status_code=202)

        return api


# --- the server ---------------------------------------------------------------------------------


@dataclass
class Reference:
    url: str
    record: Path
    grid_router: FakeGridRouter
    control: httpx.Client

    def received(self, **query: str) -> dict[str, Any]:
        answer = self.control.get("/_control/received", params=query)
        assert answer.status_code == 200, answer.text
        result: dict[str, Any] = answer.json()
        return result

    def mode(self, far_side: str, **spec: Any) -> None:
        answer = self.control.post(f"/_control/mode/{far_side}", json=spec)
        assert answer.status_code == 200, answer.text


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reference]:
    record = tmp_path_factory.mktemp("reference") / "received.jsonl"
    fake = FakeGridRouter()
    app = create_reference_app(
        SECRETS, GRID_ROUTER, record, grid_router_transport=httpx.ASGITransport(app=fake.app())
    )
    with ReferenceServer(app) as running, httpx.Client(base_url=running.url, timeout=10) as c:
        yield Reference(running.url, record, fake, c)


@pytest.fixture
def ref(server: Reference) -> Reference:
    assert server.control.post("/_control/reset").status_code == 200
    server.record.write_text("")
    server.grid_router.got.clear()
    return server


# --- grid_router's sender against it ------------------------------------------------------------


class MemoryDeliveries:
    """The outbox's delivery rows, in memory (the `DeliveryStore` a BridgeSender reads)."""

    def __init__(self, rows: list[PendingDelivery]) -> None:
        self.pending = list(rows)
        self.delivered_ids: list[int] = []
        self.failures: list[tuple[int, str, datetime | None]] = []

    def leader(self, bridge: str) -> bool:
        return True

    def due(self, bridge: str, now: datetime, limit: int = 100) -> list[PendingDelivery]:
        return [d for d in self.pending if d.bridge == bridge][:limit]

    def next_attempt(self, bridge: str) -> datetime | None:
        return None

    def delivered(self, delivery_id: int) -> None:
        self.pending = [d for d in self.pending if d.id != delivery_id]
        self.delivered_ids.append(delivery_id)

    def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        self.failures.append((delivery_id, error, retry_at))


def row(n: int, bridge: str, key: str, path: str, payload: dict[str, Any]) -> PendingDelivery:
    return PendingDelivery(n, bridge, key.split(":")[1], key, path, payload, attempts=0)


def sender(
    ref: Reference,
    bridge: str,
    rows: list[PendingDelivery],
    *,
    secret: str | None = None,
    timeout: float = 5.0,
) -> tuple[BridgeSender, MemoryDeliveries]:
    """grid_router's sender of `bridge`, pointed at the reference far side, one attempt a pass."""
    far_side = FAR_SIDE_OF[bridge]
    destination = Destination(
        bridge, f"{ref.url}/{far_side}", secret or SECRETS[far_side], 5, timeout
    )
    store = MemoryDeliveries(rows)
    return BridgeSender(destination, store, lambda: datetime.now(UTC), quick_attempts=1), store


def one(bridge: str = "public-safety") -> PendingDelivery:
    """A real delivery of `bridge`, as the adapter made it."""
    _, key, path, payload = next(d for d in deliveries() if d[0] == bridge)
    return row(1, bridge, key, path, payload)


def post_signed(
    ref: Reference, d: PendingDelivery, secret: str | None = None, **headers: str
) -> httpx.Response:
    body = json.dumps(d.payload, ensure_ascii=False).encode()
    far_side = FAR_SIDE_OF[d.bridge]
    timestamp = str(int(time.time()))
    sent = {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: d.key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(secret or SECRETS[far_side], timestamp, body),
        **headers,
    }
    return ref.control.post(f"/{far_side}{d.path}", content=body, headers=sent)


def test_every_delivery_of_the_adapter_is_accepted_and_recorded(ref: Reference) -> None:
    by_bridge: dict[str, list[PendingDelivery]] = {}
    for n, (bridge, key, path, payload) in enumerate(deliveries(), 1):
        by_bridge.setdefault(bridge, []).append(row(n, bridge, key, path, payload))
    order: list[str] = []
    for bridge, rows in by_bridge.items():
        s, store = sender(ref, bridge, rows)
        assert s.send_due() == len(rows), store.failures
        s.close()
        assert store.pending == []
        assert store.failures == []
        order += [r.key for r in rows]
    listed = ref.received()
    assert [d["idempotency_key"] for d in listed["deliveries"]] == order
    assert [d["seq"] for d in listed["deliveries"]] == list(range(1, len(order) + 1))
    assert set(listed["counts"].values()) == {1}
    expected = {key: (path, payload) for _, key, path, payload in deliveries()}
    for d in listed["deliveries"]:
        assert (d["path"], d["payload"]) == expected[d["idempotency_key"]]
        assert d["bridge"] == d["idempotency_key"].split(":")[0]
        assert d["far_side"] == FAR_SIDE_OF[d["bridge"]]
    lines = [json.loads(line) for line in ref.record.read_text(encoding="utf-8").splitlines()]
    assert [line["idempotency_key"] for line in lines] == order
    assert all(line["duplicate"] is False for line in lines)


def test_a_bad_signature_is_refused_with_401_and_not_recorded(ref: Reference) -> None:
    s, store = sender(ref, "public-safety", [one()], secret="not-the-secret")
    assert s.send_due() == 0
    s.close()
    assert len(store.failures) == 1
    assert store.failures[0][1].startswith("RejectedError: HTTP 401")
    unsigned = ref.control.post(
        "/public-safety/notifications", json=one().payload, headers={IDEMPOTENCY_HEADER: one().key}
    )
    assert unsigned.status_code == 401
    assert unsigned.json()["error"]["code"] == "BAD_SIGNATURE"
    # Signed right, but 400 s old: a replay.
    d = one()
    body = json.dumps(d.payload).encode()
    old = str(int(time.time()) - 400)
    stale = ref.control.post(
        "/public-safety/notifications",
        content=body,
        headers={
            IDEMPOTENCY_HEADER: d.key,
            TIMESTAMP_HEADER: old,
            SIGNATURE_HEADER: sign(SECRETS["public-safety"], old, body),
        },
    )
    assert stale.status_code == 401
    # The hotline's secret does not open 数字城管's door.
    assert post_signed(ref, one("citymgmt"), secret=SECRETS["hotline"]).status_code == 401
    listed = ref.received()
    assert listed["deliveries"] == []
    assert listed["stats"]["public-safety"]["bad_signature"] == 3
    assert listed["stats"]["citymgmt"]["bad_signature"] == 1


def test_a_repeated_key_is_recorded_once_and_counted(ref: Reference) -> None:
    d = one("hotline-12345")
    for _ in range(2):
        s, _ = sender(ref, d.bridge, [d])
        assert s.send_due() == 1
        s.close()
    third = post_signed(ref, d)
    assert third.status_code == 200
    assert third.json() == {
        "accepted": True,
        "duplicate": True,
        "idempotency_key": d.key,
        "count": 3,
    }
    listed = ref.received(bridge="hotline-12345")
    assert len(listed["deliveries"]) == 1
    assert listed["deliveries"][0]["count"] == 3
    assert listed["counts"] == {d.key: 3}
    assert listed["stats"]["hotline"]["duplicates"] == 2
    lines = [json.loads(line) for line in ref.record.read_text(encoding="utf-8").splitlines()]
    assert [(x["duplicate"], x["count"]) for x in lines] == [(False, 1), (True, 2), (True, 3)]
    # The same key with another payload is not the same delivery.
    other = PendingDelivery(
        d.id, d.bridge, d.event_id, d.key, d.path, {**d.payload, "reason": "另一个原因"}, 0
    )
    conflict = post_signed(ref, other)
    assert conflict.status_code == 422
    assert conflict.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert ref.received()["counts"] == {d.key: 3}


def test_a_payload_off_the_contract_is_refused_with_422(ref: Reference) -> None:
    d = one("citymgmt-progress")
    bad = [
        ({**d.payload, "extra": 1}, {}),
        ({**d.payload, "status_code": "FILE"}, {}),
        ({**d.payload, "version": "2"}, {}),
        (d.payload, {IDEMPOTENCY_HEADER: "citymgmt:e-1:2"}),  # another bridge's key
        (d.payload, {IDEMPOTENCY_HEADER: f"citymgmt-progress:{d.event_id}:99"}),  # not its version
    ]
    for payload, headers in bad:
        changed = PendingDelivery(d.id, d.bridge, d.event_id, d.key, d.path, payload, 0)
        answer = post_signed(ref, changed, **headers)
        assert answer.status_code == 422, (payload, headers, answer.text)
        error = answer.json()["error"]
        assert error["code"] == "INVALID_REQUEST", error
        assert error["fields"], error
    # The path names another case than the payload.
    moved = PendingDelivery(
        d.id, d.bridge, d.event_id, d.key, "/cases/AJ-OTHER/progress", d.payload, 0
    )
    assert post_signed(ref, moved).status_code == 422
    assert ref.received()["deliveries"] == []
    assert ref.received()["stats"]["citymgmt"]["invalid"] == 6


# --- failure modes ------------------------------------------------------------------------------


def test_error_mode_answers_500_for_the_next_calls_then_recovers(ref: Reference) -> None:
    ref.mode("public-safety", mode="error", calls=2)
    s, store = sender(ref, "public-safety", [one()])
    assert s.send_due() == 0
    assert store.failures[-1][1].startswith("TransientError: HTTP 500")
    assert s.send_due() == 0
    assert s.send_due() == 1  # the two calls are used up: ok again
    s.close()
    modes = {m["far_side"]: m for m in ref.control.get("/_control/mode").json()}
    assert modes["public-safety"]["mode"] == "ok"
    ref.mode("public-safety", mode="error", status=503, calls=1)
    answer = post_signed(ref, one())
    assert answer.status_code == 503
    assert ref.received()["counts"] == {one().key: 1}
    assert ref.received()["stats"]["public-safety"]["failed"] == 3


def test_throttle_mode_answers_429_with_retry_after_and_the_sender_waits(ref: Reference) -> None:
    ref.mode("public-safety", mode="throttle", seconds=30)
    answer = post_signed(ref, one())
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "30")
    s, store = sender(ref, "public-safety", [one()])
    before = datetime.now(UTC)
    assert s.send_due() == 0
    s.close()
    _, error, retry_at = store.failures[-1]
    assert error.startswith("TransientError: HTTP 429")
    assert retry_at is not None
    assert retry_at >= before + timedelta(seconds=29)
    assert ref.received()["deliveries"] == []


def test_slow_mode_makes_the_sender_time_out_and_its_retry_a_repeat(ref: Reference) -> None:
    ref.mode("hotline", mode="slow", seconds=1.0, calls=1)
    d = one("hotline-12345")
    s, store = sender(ref, d.bridge, [d], timeout=0.3)
    assert s.send_due() == 0
    assert "timed out" in store.failures[-1][1]
    deadline = time.monotonic() + 5
    while not ref.received()["deliveries"] and time.monotonic() < deadline:
        time.sleep(0.05)
    # The far side got it after all, once its delay was over.
    assert ref.received()["counts"] == {d.key: 1}
    assert s.send_due() == 1
    s.close()
    assert ref.received()["counts"] == {d.key: 2}


def test_down_mode_closes_the_connection_without_an_answer(ref: Reference) -> None:
    ref.mode("citymgmt", mode="down", calls=2)
    d = one("citymgmt")
    # Closed without an answer: seen as a clean close or, when the request is still being
    # written as the socket goes, as a reset (both happened under load).
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        post_signed(ref, d)
    s, store = sender(ref, d.bridge, [d])
    assert s.send_due() == 0
    assert store.failures[-1][1].startswith("TransientError: cannot reach")
    # Only 数字城管 is down; the other far sides answer.
    other, _ = sender(ref, "public-safety", [one()])
    assert other.send_due() == 1
    other.close()
    assert s.send_due() == 1  # its two calls are used up
    s.close()
    assert ref.received(far_side="citymgmt")["counts"] == {d.key: 1}


def test_a_mode_is_checked(ref: Reference) -> None:
    assert ref.control.post("/_control/mode/nowhere", json={"mode": "ok"}).status_code == 404
    wrong = ref.control.post("/_control/mode/hotline", json={"mode": "broken"})
    assert wrong.status_code == 422
    assert wrong.json()["error"]["code"] == "INVALID_REQUEST"
    assert ref.control.post("/_control/mode/hotline", json={"mode": "ok", "calls": 0}).is_error


def test_received_lists_in_arrival_order_filters_and_resets(ref: Reference) -> None:
    chosen = [one("hotline-12345"), one("citymgmt"), one("citymgmt-progress"), one()]
    for d in chosen:
        assert post_signed(ref, d).status_code == 200
    everything = ref.received()
    assert [d["idempotency_key"] for d in everything["deliveries"]] == [d.key for d in chosen]
    assert [d["bridge"] for d in ref.received(far_side="citymgmt")["deliveries"]] == [
        "citymgmt",
        "citymgmt-progress",
    ]
    assert [d["bridge"] for d in ref.received(bridge="citymgmt")["deliveries"]] == ["citymgmt"]
    assert ref.control.get("/_control/received", params={"far_side": "x"}).status_code == 404
    assert ref.control.post("/_control/reset").json() == {"reset": True}
    assert ref.received()["deliveries"] == []


# --- the hotline's pull API ---------------------------------------------------------------------


def signed_get(ref: Reference, path: str, **params: str) -> httpx.Response:
    timestamp = str(int(time.time()))
    headers = {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(SECRETS["hotline"], timestamp, b""),
    }
    return ref.control.get(path, params=params, headers=headers)


def test_the_pull_api_pages_the_queued_tickets(ref: Reference) -> None:
    tickets = [{**TICKET, "ticket_no": f"GD2026112700012{i}"} for i in range(3)]
    queued = ref.control.post("/_control/hotline/tickets", json=tickets)
    assert queued.json() == {"queued": 3, "cursor": "3"}
    first = signed_get(ref, "/hotline/tickets", limit="2")
    assert first.status_code == 200, first.text
    assert first.json() == {"tickets": tickets[:2], "cursor": "2"}
    assert signed_get(ref, "/hotline/tickets", since="2").json() == {
        "tickets": tickets[2:],
        "cursor": "3",
    }
    assert signed_get(ref, "/hotline/tickets", since="3").json() == {"tickets": [], "cursor": "3"}
    assert ref.control.get("/hotline/tickets").status_code == 401
    assert signed_get(ref, "/hotline/tickets", since="soon").status_code == 422
    assert signed_get(ref, "/hotline/tickets", limit="101").status_code == 422
    bad = ref.control.post("/_control/hotline/tickets", json={**TICKET, "urgency": "很急"})
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["path"] == "body.urgency"
    ref.mode("hotline", mode="throttle", seconds=5, calls=1)
    assert signed_get(ref, "/hotline/tickets").status_code == 429


class _Cursors:
    def __init__(self) -> None:
        self.cursor: str | None = None

    def get(self, bridge: str) -> str | None:
        return self.cursor

    def put(self, bridge: str, cursor: str, at: datetime) -> None:
        self.cursor = cursor


def test_grid_routers_poller_reads_the_pull_api(ref: Reference) -> None:
    tickets = [{**TICKET, "ticket_no": f"GD2026112700020{i}"} for i in range(3)]
    ref.control.post("/_control/hotline/tickets", json=tickets)
    submitted: list[Any] = []
    cursors = _Cursors()
    client = httpx.Client(base_url=f"{ref.url}/hotline", timeout=5)
    poller = HotlinePoller(
        client, SECRETS["hotline"], submitted.append, cursors, lambda: datetime.now(UTC)
    )
    read = poller.poll_once()
    assert (read.tickets, read.submitted, read.advanced) == (3, 3, True)
    assert [r.external_ref for r in submitted] == [t["ticket_no"] for t in tickets]
    assert cursors.cursor == "3"
    again = poller.poll_once()
    assert (again.tickets, again.advanced) == (0, False)
    client.close()
    assert ref.received(far_side="hotline")["stats"]["hotline"]["pulls"] == 2


# --- calls to grid_router's webhooks ------------------------------------------------------------


def test_send_signs_and_posts_to_grid_routers_webhooks(ref: Reference) -> None:
    answer = ref.control.post("/_control/send/hotline-ticket", json=TICKET)
    assert answer.status_code == 202, answer.text
    assert answer.json() == {"event_id": "e-9", "ticket_no": TICKET["ticket_no"], "replayed": False}
    assert answer.headers["X-Reference-Forwarded-To"] == f"{GRID_ROUTER}/bridges/12345/tickets"
    path, body, headers = ref.grid_router.got[-1]
    assert (path, json.loads(body)) == ("/bridges/12345/tickets", TICKET)
    assert verify(
        SECRETS["hotline"],
        headers[TIMESTAMP_HEADER.lower()],
        headers[SIGNATURE_HEADER.lower()],
        body,
        time.time(),
    )
    inbound = _inbound_validator("Ticket")
    assert inbound.is_valid(json.loads(body))
    # The callback's ticket number comes out of the body into the path.
    callback = {
        "ticket_no": "GD/2026 1",
        "satisfied": False,
        "comment": "杂物还在",
        "at": "2026-11-28T10:00:00+08:00",
    }
    answer = ref.control.post("/_control/send/hotline-callback", json=callback)
    assert answer.status_code == 202, answer.text
    path, body, _ = ref.grid_router.got[-1]
    assert path == "/bridges/12345/tickets/GD/2026 1/callback"  # the stand-in decodes %2F
    assert json.loads(body) == {k: v for k, v in callback.items() if k != "ticket_no"}
    assert _inbound_validator("Callback").is_valid(json.loads(body))
    # Or from the query, the body sent as it is.
    status = {
        "status": "处置完成",
        "unit_code": "350206002008",
        "comment": "已清理",
        "at": "2026-11-27T14:20:00+08:00",
    }
    answer = ref.control.post("/_control/send/citymgmt-status?case_no=AJ20261127-0456", json=status)
    assert answer.status_code == 202
    path, body, headers = ref.grid_router.got[-1]
    assert path == "/bridges/citymgmt/cases/AJ20261127-0456/status"
    assert verify(
        SECRETS["citymgmt"],
        headers[TIMESTAMP_HEADER.lower()],
        headers[SIGNATURE_HEADER.lower()],
        body,
        time.time(),
    )
    case = {
        "case_no": "AJ20261127-0456",
        "description": "暴露垃圾",
        "supervisor_id": "JD-0231",
        "reported_at": "2026-11-27T09:40:00+08:00",
    }
    assert ref.control.post("/_control/send/citymgmt-case", json=case).status_code == 202


@pytest.mark.parametrize("signature", ["bad", "none", "stale"])
def test_send_can_sign_wrong_to_test_grid_routers_refusal(ref: Reference, signature: str) -> None:
    answer = ref.control.post(f"/_control/send/hotline-ticket?signature={signature}", json=TICKET)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "BAD_SIGNATURE"


def test_send_says_what_is_missing(ref: Reference, tmp_path: Path) -> None:
    no_number = ref.control.post("/_control/send/citymgmt-status", json={"status": "签收"})
    assert no_number.status_code == 422
    assert ref.control.post("/_control/send/elsewhere", json={}).status_code == 422
    alone = TestClient(create_reference_app(SECRETS, None, None))
    assert alone.post("/_control/send/hotline-ticket", json=TICKET).json()["error"]["code"] == (
        "NO_GRID_ROUTER"
    )
    nobody = TestClient(create_reference_app(SECRETS, "http://127.0.0.1:9", tmp_path / "r"))
    unreachable = nobody.post("/_control/send/hotline-ticket", json=TICKET)
    assert unreachable.status_code == 502
    assert unreachable.json()["error"]["code"] == "GRID_ROUTER_UNREACHABLE"


def _inbound_validator(name: str) -> Any:
    document = _document("grid-router-inbound")
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return OAS31Validator(schema, format_checker=OAS31Validator.FORMAT_CHECKER)


def _document(name: str) -> dict[str, Any]:
    import yaml

    loaded = yaml.safe_load((DOCS / f"{name}.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


# --- the reference server's answers against the documents (schemathesis) ------------------------


def _labels(document: str) -> list[str]:
    """The operations of a document, e.g. "POST /notifications"."""
    labels = []
    for result in schemathesis.openapi.from_path(DOCS / f"{document}.yaml").get_all_operations():
        assert isinstance(result, Ok), result
        labels.append(result.ok().label)
    return labels


OPERATIONS = [
    (d, label) for d in ("hotline-12345", "citymgmt", "public-safety") for label in _labels(d)
]
PREFIX = {"hotline-12345": "/hotline", "citymgmt": "/citymgmt", "public-safety": "/public-safety"}
IDENTIFIERS = {"ticket_no", "case_no", "event_id", "notice_id"}


@pytest.fixture(scope="module")
def in_process() -> Iterator[TestClient]:
    with TestClient(create_reference_app(SECRETS, None, None)) as client:
        yield client


class _Counter:
    n = 0

    @classmethod
    def next(cls) -> int:
        cls.n += 1
        return cls.n


def _request(document: str, case: Any) -> tuple[str, bytes, dict[str, str]]:
    """The request `case` stands for, made as grid_router makes it: the path's number and the
    idempotency key agree with the payload, and it is signed with the far side's secret."""
    far_side = PREFIX[document].lstrip("/")
    timestamp = str(int(time.time()))
    if case.method.upper() == "GET":
        drawn = dict(case.query or {})
        if "since" in drawn:  # opaque to the caller: one the far side gave
            drawn["since"] = "1"
        query = "&".join(f"{k}={quote(str(v), safe='')}" for k, v in drawn.items())
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(SECRETS[far_side], timestamp, b""),
        }
        return f"{PREFIX[document]}{case.path}?{query}", b"", headers
    payload = dict(case.body)
    n = _Counter.next()
    # Identifiers from a safe alphabet (they go into a path and a header); the rest as drawn.
    for name in IDENTIFIERS & set(payload):
        payload[name] = f"N{n}-{name}"
    event_id = payload.get("event_id") or payload.get("notice_id") or payload["case_no"]
    version = int(payload.get("version", 1))  # JSON Schema's integer may be drawn as 2.0
    bridge = {"/cases/{case_no}/progress": "citymgmt-progress"}.get(
        case.path,
        {
            "hotline-12345": "hotline-12345",
            "citymgmt": "citymgmt",
            "public-safety": "public-safety",
        }[document],
    )
    path = case.path
    for name in ("ticket_no", "case_no"):
        path = path.replace("{" + name + "}", quote(str(payload.get(name, "")), safe=""))
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json",
        IDEMPOTENCY_HEADER: f"{bridge}:{event_id}:{version}",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign(SECRETS[far_side], timestamp, body),
    }
    return f"{PREFIX[document]}{path}", body, headers


@pytest.mark.parametrize(("document", "label"), OPERATIONS)
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_the_reference_answers_conform_to_the_documents(
    in_process: TestClient, document: str, label: str, data: st.DataObject
) -> None:
    """Requests drawn from each operation of each document are accepted when signed (2xx),
    refused when not (401), and the answers, failure modes' included, are what the document
    says (status, content type, headers, body schema)."""
    schema = schemathesis.openapi.from_path(DOCS / f"{document}.yaml")
    operation = schema.find_operation_by_label(label)
    assert operation is not None
    case = data.draw(operation.as_strategy())
    url, body, headers = _request(document, case)
    method = case.method.upper()
    in_process.post("/_control/hotline/tickets", json=TICKET)

    answer = in_process.request(method, url, content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    case.validate_response(answer, checks=CHECKS)
    # Unsigned; then each failure mode once.
    unsigned = {k: v for k, v in headers.items() if k != SIGNATURE_HEADER}
    refused = in_process.request(method, url, content=body, headers=unsigned)
    assert refused.status_code == 401
    case.validate_response(refused, checks=CHECKS)
    far_side = PREFIX[document].lstrip("/")
    for mode, status in (("error", 500), ("throttle", 429), ("down", 503)):
        in_process.post(f"/_control/mode/{far_side}", json={"mode": mode, "calls": 1})
        failed = in_process.request(method, url, content=body, headers=headers)
        assert failed.status_code == status
        case.validate_response(failed, checks=CHECKS)
    if method == "POST":
        off = json.dumps({**json.loads(body), "unexpected": True}).encode()
        timestamp = headers[TIMESTAMP_HEADER]
        resigned = {**headers, SIGNATURE_HEADER: sign(SECRETS[far_side], timestamp, off)}
        invalid = in_process.request(method, url, content=off, headers=resigned)
        assert invalid.status_code == 422
        case.validate_response(invalid, checks=CHECKS)


# --- the command ----------------------------------------------------------------------------------


def test_the_command_takes_the_policys_secret_variables(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """`grid-router bridges serve-reference` reads each far side's secret from the variable the
    policy names; a missing one is the development secret, with a warning."""
    from typer.testing import CliRunner

    import grid_router.bridges_reference as reference
    from grid_router.entrypoints.cli import app as cli

    served: list[tuple[FastAPI, str, int]] = []
    monkeypatch.setattr(
        reference, "serve", lambda app, host, port, verbose: served.append((app, host, port))
    )
    monkeypatch.setenv("GRID_BRIDGE_HOTLINE_SECRET", SECRETS["hotline"])
    monkeypatch.setenv("GRID_BRIDGE_CITYMGMT_SECRET", SECRETS["citymgmt"])
    monkeypatch.delenv("GRID_BRIDGE_PUBLIC_SAFETY_SECRET", raising=False)
    result = CliRunner().invoke(cli, ["bridges", "serve-reference", "--port", "18399"])
    assert result.exit_code == 0, result.output
    [(app, host, port)] = served
    assert (host, port) == ("127.0.0.1", 18399)
    assert "GRID_BRIDGE_PUBLIC_SAFETY_SECRET is not set" in caplog.text
    client = TestClient(app)
    timestamp = str(int(time.time()))
    pull = {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: sign(SECRETS["hotline"], timestamp, b"")}
    assert client.get("/hotline/tickets", headers=pull).status_code == 200
    d = one()
    body = json.dumps(d.payload).encode()
    signed = {
        IDEMPOTENCY_HEADER: d.key,
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: sign("dev-secret-public-safety", timestamp, body),
    }
    answer = client.post("/public-safety/notifications", content=body, headers=signed)
    assert answer.status_code == 200, answer.text
