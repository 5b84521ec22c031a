"""Report in, work order out: through a real Kafka broker and a real database."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.service.intake import ReportIntake
from grid_router.service.router import DLQ_OFFSET, DLQ_PARTITION, DLQ_REASON, DLQ_TOPIC
from tests.integration.kafka_helpers import make_app, read_topic

COMMUNITIES = ["350203003001", "350206002008", "350211001002", "350212001004", "350213003002"]


@pytest.fixture
def app(kafka_bootstrap: str, database_url: str, topic_prefix: str) -> Iterator[App]:
    a = make_app(kafka_bootstrap, database_url, topic_prefix)
    yield a
    a.close()


@pytest.fixture
def running_router(app: App) -> Iterator[None]:
    worker = app.router_worker()
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    yield
    worker.stop()
    thread.join(timeout=60)
    assert not thread.is_alive(), "router did not stop after stop()"


def grid_report(community: str, n: int) -> IncidentReport:
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=datetime.now(UTC),
        source="GRID_APP",
        reporter=Reporter(id=f"GW-{community}-01"),
        description=f"第{n}号楼门口垃圾满溢，无人清运",
        category_code="CITY_MGMT",
        grid_code=f"{community}{n % 7 + 1:03d}",
    )


@pytest.mark.usefixtures("running_router")
def test_reports_come_out_as_work_orders_of_their_community(app: App) -> None:
    intake = ReportIntake(app.producer(), app.codec, app.topics)
    reports = [grid_report(COMMUNITIES[i % len(COMMUNITIES)], i) for i in range(25)]
    for r in reports:
        intake.submit(r)

    topic = app.topics.dispatch(app.org.unit(COMMUNITIES[0]).level)
    records = read_topic(app.settings.kafka_bootstrap, topic, lambda rs: len(rs) >= 25)
    orders = {wo.event_id: wo for wo in (app.codec.decode_work_order(r.value) for r in records)}
    assert set(orders) == {r.event_id for r in reports}
    for r in reports:
        wo = orders[r.event_id]
        assert r.grid_code is not None
        assert wo.unit_code == r.grid_code[:12]
        assert wo.kind == "ACTION"
        assert wo.reason == "ROUTED"
        assert wo.department == f"{app.org.unit(wo.unit_code).short_name}社区网格工作站"
    # Keyed by unit code, so one unit's orders stay in order on one partition.
    assert all(
        rec.key == app.codec.decode_work_order(rec.value).unit_code.encode() for rec in records
    )

    states = read_topic(app.settings.kafka_bootstrap, app.topics.state, lambda rs: len(rs) >= 25)
    changes = [app.codec.decode_state_change(r.value) for r in states]
    assert {c.event_id for c in changes} == set(orders)
    assert {c.state for c in changes} == {"DISPATCHED"}


@pytest.mark.usefixtures("running_router")
def test_poison_message_goes_to_deadletter_and_good_ones_all_come_out(app: App) -> None:
    producer = app.producer()
    intake = ReportIntake(producer, app.codec, app.topics)
    before = [grid_report(COMMUNITIES[0], i) for i in range(5)]
    after = [grid_report(COMMUNITIES[1], i) for i in range(5)]
    for r in before:
        intake.submit(r)
    poison = b'{"description": "JSON is not what this topic takes"}'
    produced = producer.send(app.topics.reports, key=b"350206002008", value=poison).get(timeout=30)
    for r in after:
        intake.submit(r)

    topic = app.topics.dispatch(app.org.unit(COMMUNITIES[0]).level)
    records = read_topic(app.settings.kafka_bootstrap, topic, lambda rs: len(rs) >= 10)
    assert {app.codec.decode_work_order(r.value).event_id for r in records} == {
        r.event_id for r in before + after
    }

    dead = read_topic(app.settings.kafka_bootstrap, app.topics.deadletter, lambda rs: len(rs) >= 1)
    assert len(dead) == 1
    assert dead[0].value == poison
    assert dead[0].key == b"350206002008"
    headers = {k: v.decode() for k, v in dead[0].headers}
    assert headers[DLQ_REASON] == "DECODE_FAILED"
    assert headers[DLQ_TOPIC] == app.topics.reports
    # Where the poison was, exactly: an operator replays it from there.
    assert (int(headers[DLQ_PARTITION]), int(headers[DLQ_OFFSET])) == (
        produced.partition,
        produced.offset,
    )
    assert "marker" in headers["grid.dlq.error"].lower()
