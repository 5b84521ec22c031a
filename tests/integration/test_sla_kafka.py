"""SLA clocks and dispatch actions end to end, on the real broker, with a drill clock.

The bundled policy counts ordinary matters in working time, which would make these tests depend
on the hour they run at; they use a copy of it whose clocks all count wall-clock time (the limits
are the bundled ones), and GRID_SLA_SCALE to run an hour in a second.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import select

from grid_router.adapters.db.tables import incident_transitions, incidents
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level, Reporter, WorkOrder
from grid_router.policy.load import default_policy_path
from grid_router.service.intake import ActionIntake, ReportIntake, new_action
from grid_router.service.router import ACTION_ID_HEADER, REFUSAL_CODE_HEADER, REFUSED
from grid_router.service.worker import RouterWorker
from tests.integration.kafka_helpers import make_app, read_all, read_topic

COMMUNITY = "350206002008"  # a community of 湖里区
STREET = COMMUNITY[:9]
DISTRICT = COMMUNITY[:6]
CITY = "350200"


@pytest.fixture
def wall_clock_policy(tmp_path: Path) -> Path:
    source = default_policy_path()
    shutil.copy(source.parent / "taxonomy.yaml", tmp_path / "taxonomy.yaml")
    text = source.read_text(encoding="utf-8").replace("clock: working_time", "clock: wall_clock")
    policy = tmp_path / "drill.yaml"
    policy.write_text(text, encoding="utf-8")
    return policy


class Routers:
    """Starts routers (each with its scheduler and relay) at a drill scale, and stops them."""

    def __init__(self, bootstrap: str, database_url: str, prefix: str, policy: Path) -> None:
        self._args = (bootstrap, database_url, prefix)
        self._policy = policy
        self._running: dict[int, tuple[App, threading.Thread, RouterWorker]] = {}

    def start(self, scale: float) -> App:
        app = make_app(*self._args, sla_scale=scale, policy=self._policy)
        worker = app.router_worker(relay_in_process=False)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        self._running[id(app)] = (app, thread, worker)
        return app

    def stop(self, app: App) -> None:
        _, thread, worker = self._running.pop(id(app))
        worker.stop()
        thread.join(60)
        assert not thread.is_alive(), "router did not stop"
        app.close()

    def stop_all(self) -> None:
        for _, (app, _, _) in list(self._running.items()):
            self.stop(app)


@pytest.fixture
def routers(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, wall_clock_policy: Path
) -> Iterator[Routers]:
    r = Routers(kafka_bootstrap, database_url, topic_prefix, wall_clock_policy)
    yield r
    r.stop_all()


def garbage_report() -> IncidentReport:
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=datetime.now(UTC),
        source="GRID_APP",
        reporter=Reporter(id="GW-1"),
        description="5号楼门口垃圾满溢，无人清运",
        category_code="CITY_MGMT",
        grid_code=f"{COMMUNITY}005",
    )


def orders_for(
    app: App, event_id: str, until: Callable[[list[WorkOrder]], bool]
) -> list[WorkOrder]:
    """Every work order of `event_id`, on every level's queue, once `until` holds (or after the
    timeout: the caller's assertion then says what is missing)."""
    found: list[WorkOrder] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = []
        for level in Level:
            records = read_all(app.settings.kafka_bootstrap, app.topics.dispatch(level), 0.2)
            found += [
                wo for wo in (app.codec.decode_work_order(r.value) for r in records)
                if wo.event_id == event_id
            ]  # fmt: skip
        if until(found):
            break
        time.sleep(0.2)
    return sorted(found, key=lambda wo: wo.version)


def submit_action(app: App, event_id: str, action: str, unit: str, **kw: object) -> str:
    body = new_action(event_id, action, unit_code=unit, role="dispatcher", user_id="u-7",
                      at=datetime.now(UTC), **kw)  # type: ignore[arg-type]  # fmt: skip
    return ActionIntake(app.producer(), app.codec, app.topics).submit(body)


def answer_to(app: App, action_id: str) -> ConsumerRecord:
    def has(records: list[ConsumerRecord]) -> bool:
        return any(_header(r, ACTION_ID_HEADER) == action_id for r in records)

    records = read_topic(app.settings.kafka_bootstrap, app.topics.state, has)
    answers = [r for r in records if _header(r, ACTION_ID_HEADER) == action_id]
    assert answers, f"no answer to action {action_id} on the state topic"
    return answers[0]


def _header(record: ConsumerRecord, name: str) -> str | None:
    for k, v in record.headers or ():
        if k == name:
            return bytes(v).decode()
    return None


def history(app: App, event_id: str) -> list[tuple[str, str | None]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(incident_transitions.c.action, incident_transitions.c.to_unit)
            .where(incident_transitions.c.event_id == event_id)
            .order_by(incident_transitions.c.version)
        )
        return [(a, u) for a, u in rows]


def actions_on(orders: list[WorkOrder]) -> list[tuple[str, str]]:
    return [(wo.kind, wo.unit_code) for wo in orders if wo.kind != "INFO_COPY"]


def test_unsigned_report_climbs_to_the_city_which_is_then_reminded(routers: Routers) -> None:
    # An hour in a second: sign limits 1 h community, 2 h street and district, 4 h city.
    app = routers.start(3600)
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)

    def reminded(orders: list[WorkOrder]) -> bool:
        return any(wo.reason.startswith("SLA_REMINDER") for wo in orders)

    orders = orders_for(app, report.event_id, reminded)
    assert actions_on(orders)[:7] == [
        ("ACTION", COMMUNITY),
        ("WITHDRAWN", COMMUNITY),
        ("ACTION", STREET),
        ("WITHDRAWN", STREET),
        ("ACTION", DISTRICT),
        ("WITHDRAWN", DISTRICT),
        ("ACTION", CITY),
    ]
    escalated = [wo for wo in orders if wo.kind == "ACTION" and wo.escalated_from_unit]
    assert [(wo.escalated_from_level, wo.escalated_from_unit) for wo in escalated] == [
        (Level.COMMUNITY, COMMUNITY),
        (Level.STREET, STREET),
        (Level.DISTRICT, DISTRICT),
    ]
    assert all(wo.reason.startswith("ESCALATE: SLA_BREACH") for wo in escalated)
    assert all(wo.deadlines.sign_by is not None for wo in escalated)
    reminder = next(wo for wo in orders if wo.reason.startswith("SLA_REMINDER"))
    assert (reminder.kind, reminder.unit_code) == ("ACTION", CITY)

    steps = [a for a, _ in history(app, report.event_id)]
    assert steps.count("ESCALATE") == 6  # three escalations, two steps each
    assert steps.count("SLA_WARNING") >= 4
    assert steps.count("SLA_BREACH") >= 4  # three that escalated, one at the city


def test_report_signed_in_time_never_escalates(routers: Routers) -> None:
    # Ten hours in a minute: the community has 6 s to sign.
    app = routers.start(600)
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    orders_for(app, report.event_id, bool)
    answer = answer_to(app, submit_action(app, report.event_id, "SIGN", COMMUNITY))
    assert app.codec.decode_state_change(answer.value).state == "SIGNED"

    time.sleep(7)  # the sign deadline passes: nothing must happen
    assert [a for a, _ in history(app, report.event_id)] == ["FILE", "DISPATCH", "SIGN"]
    with app.engine.connect() as conn:
        level = conn.execute(
            select(incidents.c.level).where(incidents.c.event_id == report.event_id)
        ).scalar_one()
    assert level == "community"


def test_returned_report_goes_back_to_the_street_and_to_a_named_unit(
    routers: Routers,
) -> None:
    app = routers.start(1)
    first, second = garbage_report(), garbage_report()
    intake = ReportIntake(app.producer(), app.codec, app.topics)
    intake.submit(first)
    intake.submit(replace_grid(second, "350206002007001"))
    for r in (first, second):
        orders_for(app, r.event_id, bool)

    back = answer_to(
        app, submit_action(app, first.event_id, "RETURN", COMMUNITY, reason="不属于本社区")
    )
    assert app.codec.decode_state_change(back.value).unit_code == STREET
    named = answer_to(
        app,
        submit_action(app, second.event_id, "RETURN", "350206002007", reason="实为相邻社区",
                      target_unit_code=COMMUNITY),
    )  # fmt: skip
    assert app.codec.decode_state_change(named.value).unit_code == COMMUNITY

    orders = orders_for(app, first.event_id, lambda os: len(actions_on(os)) >= 3)
    assert actions_on(orders) == [
        ("ACTION", COMMUNITY),
        ("WITHDRAWN", COMMUNITY),
        ("ACTION", STREET),
    ]
    assert orders[-1].reason == "RETURN: 不属于本社区"


def replace_grid(report: IncidentReport, grid: str) -> IncidentReport:
    from dataclasses import replace

    return replace(report, grid_code=grid)


def test_action_from_another_unit_is_refused_with_its_reason(routers: Routers) -> None:
    app = routers.start(1)
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    orders_for(app, report.event_id, bool)

    answer = answer_to(app, submit_action(app, report.event_id, "SIGN", "350206002007"))
    change = app.codec.decode_state_change(answer.value)
    assert change.action == REFUSED
    assert _header(answer, REFUSAL_CODE_HEADER) == "NOT_YOUR_WORK_ORDER"
    assert change.state == "DISPATCHED"
    assert "does not hold this incident" in (change.reason or "")
    assert [a for a, _ in history(app, report.event_id)] == ["FILE", "DISPATCH"]


def test_restart_in_the_middle_of_an_escalation_loses_and_doubles_nothing(
    routers: Routers,
) -> None:
    app = routers.start(3600)
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    orders_for(app, report.event_id, lambda os: ("ACTION", STREET) in actions_on(os))
    # Stop the router while the street's sign clock runs; its deadline passes while it is down.
    routers.stop(app)
    time.sleep(2.5)
    app = routers.start(3600)

    orders = orders_for(app, report.event_id, lambda os: ("ACTION", CITY) in actions_on(os))
    escalations = [wo for wo in orders if wo.kind == "ACTION" and wo.escalated_from_unit]
    assert [wo.unit_code for wo in escalations] == [STREET, DISTRICT, CITY]
    steps = [a for a, _ in history(app, report.event_id)]
    assert steps.count("ESCALATE") == 6
