"""Bridge deliveries on the real databases: written with the change that causes them, sent in
order per incident, retried with backoff, parked after the bridge's attempts, retried by an
operator. The far side is an httpx MockTransport here (the reference server's own tests and the
fault tests run real HTTP); Kafka is not involved."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from grid_router.adapters.db.deliveries import PARKED, PENDING, SqlDeliveries
from grid_router.adapters.db.tables import incidents
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.service.bridges import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BridgeSender,
    Destination,
    verify,
)
from grid_router.service.intake import new_action
from grid_router.service.ports import InboundMessage
from grid_router.settings import Settings

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Xiamen
SECRET = "s3cret"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def app(database_url: str, monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("GRID_BRIDGE_HOTLINE_URL", "http://hotline.test")
    monkeypatch.setenv("GRID_BRIDGE_HOTLINE_SECRET", SECRET)
    return App(Settings(database_url=database_url, topic_prefix="x."), clock=Clock())


def ticket(n: int) -> IncidentReport:
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=NOW,
        source="HOTLINE",
        reporter=Reporter(id="agent-1", role="hotline_agent"),
        description=f"湖里区殿前街道高殿社区{n}号楼门口垃圾满溢，无人清运",
        external_ref=f"GD2026{n:05d}",
    )


def file_tickets(app: App, n: int) -> list[IncidentReport]:
    reports = [ticket(i) for i in range(n)]
    messages = [
        InboundMessage("x.grid.reports", 0, i, b"k", app.codec.encode_report(r))
        for i, r in enumerate(reports)
    ]
    app.report_router().handle_batch(messages)
    return reports


def sign(app: App, r: IncidentReport, offset: int) -> None:
    with app.engine.connect() as conn:
        holder = conn.execute(
            select(incidents.c.unit_code).where(incidents.c.event_id == r.event_id)
        ).scalar_one()
    body = new_action(r.event_id, "SIGN", unit_code=holder, role="dispatcher", user_id="u",
                      at=app.clock())  # fmt: skip
    message = InboundMessage(
        "x.grid.actions", 0, offset, r.event_id.encode(), app.codec.encode_action(body)
    )
    assert app.report_router().handle_batch([message]).actions == 1


Handler = Callable[[httpx.Request], httpx.Response]


def sender(
    app: App, handler: Handler, max_attempts: int = 3, store: SqlDeliveries | None = None
) -> BridgeSender:
    client = httpx.Client(base_url="http://hotline.test", transport=httpx.MockTransport(handler))
    destination = Destination("hotline-12345", "http://hotline.test", SECRET, max_attempts, 1.0)
    store = store or SqlDeliveries(app.engine)
    return BridgeSender(destination, store, app.clock, client, quick_attempts=1)


def test_hotline_tickets_get_their_progress_in_order_signed_and_keyed(app: App) -> None:
    reports = file_tickets(app, 3)
    sign(app, reports[0], 0)
    seen: list[httpx.Request] = []

    def far_side(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(202)

    s = sender(app, far_side)
    assert s.send_due() == 3  # one per incident per pass: the SIGN waits behind its DISPATCH
    assert s.send_due() == 1
    assert s.send_due() == 0
    first = [json.loads(r.content) for r in seen if r.url.path.startswith("/tickets/GD202600000")]
    assert [(p["ticket_no"], p["status"]) for p in first] == [
        ("GD202600000", "已派遣"),
        ("GD202600000", "签收"),
    ]
    for request in seen:
        assert verify(
            SECRET,
            request.headers[TIMESTAMP_HEADER],
            request.headers[SIGNATURE_HEADER],
            request.content,
            now=float(request.headers[TIMESTAMP_HEADER]),
        )
    keys = [r.headers[IDEMPOTENCY_HEADER] for r in seen]
    assert len(set(keys)) == 4
    assert f"hotline-12345:{reports[0].event_id}:3" in keys
    assert SqlDeliveries(app.engine).counts() == {}


def test_failures_back_off_then_park_and_an_operator_retries(app: App) -> None:
    (report,) = file_tickets(app, 1)
    sign(app, report, 0)
    clock: Clock = app.clock  # type: ignore[assignment]
    answers = iter([httpx.Response(500), httpx.Response(429, headers={"Retry-After": "120"})])

    def far_side(request: httpx.Request) -> httpx.Response:
        return next(answers, httpx.Response(400, text="bad ticket"))

    store = SqlDeliveries(app.engine)  # one sender per bridge: the leader on PostgreSQL
    s = sender(app, far_side, max_attempts=3, store=store)
    assert s.send_due() == 0
    (row, behind) = store.rows()
    assert (row.status, row.attempts) == (PENDING, 1)
    assert row.next_attempt_at is not None
    assert row.next_attempt_at > clock.now
    assert s.send_due() == 0  # backing off: nothing is due, and the SIGN waits behind it
    clock.now += timedelta(minutes=30)
    assert s.send_due() == 0  # 429: waits at least Retry-After
    (row, _) = store.rows()
    assert row.attempts == 2
    assert row.next_attempt_at is not None
    assert row.next_attempt_at >= clock.now + timedelta(seconds=120)
    clock.now += timedelta(hours=1)
    assert s.send_due() == 0  # a 400 is the third attempt: parked
    (row, behind) = store.rows()
    assert (row.status, row.attempts, behind.status) == (PARKED, 3, PENDING)
    assert "HTTP 400" in (row.last_error or "")
    assert s.send_due() == 0  # parked blocks the incident's later deliveries

    assert store.retry(bridge="hotline-12345") == 1
    ok = sender(app, lambda request: httpx.Response(200), store=store)
    assert ok.send_due() == 1
    assert ok.send_due() == 1
    assert store.rows() == []


def test_a_bridge_without_its_url_writes_nothing(database_url: str) -> None:
    app = App(Settings(database_url=database_url, topic_prefix="x."), clock=Clock())
    file_tickets(app, 2)
    assert SqlDeliveries(app.engine).counts() == {}
