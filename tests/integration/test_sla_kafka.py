"""SLA clocks and dispatch actions end to end, on the real broker, with a drill clock.

The routers run on a drill clock that stands still until the test moves it: a test jumps it past
a deadline the work order itself carries and then awaits what must follow, so no margin depends
on how fast the machine is. Most tests use a copy of the bundled policy whose clocks all count
wall-clock time (the limits are the bundled ones); one runs the bundled working-time clocks over
a weekend.
"""

from __future__ import annotations

import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import select

from grid_router.adapters.db.tables import incident_transitions, incidents
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level, Reporter, WorkOrder
from grid_router.domain.sla import CHINA_STANDARD_TIME
from grid_router.policy.load import default_policy_path
from grid_router.service.intake import ActionIntake, ReportIntake, new_action
from grid_router.service.router import ACTION_ID_HEADER, REFUSAL_CODE_HEADER, REFUSED
from grid_router.service.worker import RouterWorker
from tests.integration.kafka_helpers import DrillClock, make_app, read_all, read_topic

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
    """Starts routers (each with its scheduler and relay) on one drill clock, and stops them."""

    def __init__(self, bootstrap: str, database_url: str, prefix: str, policy: Path) -> None:
        self._args = (bootstrap, database_url, prefix)
        self.policy = policy
        self.clock = DrillClock(datetime.now(UTC))
        self._running: dict[int, tuple[App, threading.Thread, RouterWorker]] = {}

    def start(self) -> App:
        app = make_app(*self._args, self.clock, policy=self.policy)
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
    timeout: the caller's assertion then says what is missing). A record delivered twice (the
    topics are at least once; DESIGN §5: every message carries its event id and version, so
    any consumer can drop a duplicate) is read once, as a dispatch centre reads it."""
    found: list[WorkOrder] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen: dict[tuple[str, int, str], WorkOrder] = {}
        for level in Level:
            records = read_all(app.settings.kafka_bootstrap, app.topics.dispatch(level), 0.2)
            for wo in (app.codec.decode_work_order(r.value) for r in records):
                if wo.event_id == event_id:
                    seen.setdefault((wo.work_order_id, wo.version, wo.kind), wo)
        found = list(seen.values())
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


def history(app: App, event_id: str) -> list[tuple[str, str | None, str]]:
    """The incident's steps: action, the unit it went to, the reason."""
    c = incident_transitions.c
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(c.action, c.to_unit, c.reason).where(c.event_id == event_id).order_by(c.version)
        )
        return [(a, u, r or "") for a, u, r in rows]


def actions_of(app: App, event_id: str) -> list[str]:
    return [a for a, _, _ in history(app, event_id)]


def history_until(
    app: App, event_id: str, until: Callable[[list[str]], bool]
) -> list[tuple[str, str | None, str]]:
    """The incident's steps once `until(actions)` holds (or after the timeout: the caller's
    assertion then says what is missing)."""
    deadline = time.monotonic() + 60
    steps = history(app, event_id)
    while not until([a for a, _, _ in steps]) and time.monotonic() < deadline:
        time.sleep(0.1)
        steps = history(app, event_id)
    return steps


def actions_on(orders: list[WorkOrder]) -> list[tuple[str, str]]:
    return [(wo.kind, wo.unit_code) for wo in orders if wo.kind != "INFO_COPY"]


def breached(times: int) -> Callable[[list[str]], bool]:
    return lambda actions: actions.count("SLA_BREACH") >= times


def lead_order(app: App, event_id: str, unit: str) -> WorkOrder:
    """The newest lead work order of `event_id` at `unit`, once it is on its queue."""
    orders = orders_for(app, event_id, lambda os: ("ACTION", unit) in actions_on(os))
    found = [wo for wo in orders if (wo.kind, wo.unit_code) == ("ACTION", unit)]
    assert found, f"no work order at {unit}: {actions_on(orders)}"
    return found[-1]


def past(deadline: datetime | None) -> datetime:
    """An instant just after `deadline` (which the work order must carry)."""
    assert deadline is not None, "the work order carries no such deadline"
    return deadline + timedelta(seconds=1)


def test_unsigned_report_climbs_to_the_city_which_is_then_reminded(routers: Routers) -> None:
    app = routers.start()
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)

    # Nobody signs: each time the order's sign deadline passes on the drill clock, the incident
    # is passed one level up, with a new order carrying a new deadline.
    for breaches, unit in enumerate((COMMUNITY, STREET, DISTRICT, CITY), start=1):
        order = lead_order(app, report.event_id, unit)
        routers.clock.jump_to(past(order.deadlines.sign_by))
        steps = history_until(app, report.event_id, breached(breaches))
        assert actions_of(app, report.event_id).count("SLA_BREACH") == breaches, steps
    # The city has nobody above it: it is reminded after the policy's interval.
    every = app.policy.sla.policy("standard").renotify_every
    routers.clock.jump_to(routers.clock() + every)

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

    done = actions_of(app, report.event_id)
    assert done.count("ESCALATE") == 6  # three escalations, two steps each
    assert done.count("SLA_WARNING") == 4  # the sign clock's 黄牌 at each level
    assert done.count("SLA_BREACH") == 5  # three that escalated, the city's, its reminder


def test_report_signed_in_time_never_escalates(routers: Routers) -> None:
    app = routers.start()
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    order = lead_order(app, report.event_id, COMMUNITY)
    answer = answer_to(app, submit_action(app, report.event_id, "SIGN", COMMUNITY))
    assert app.codec.decode_state_change(answer.value).state == "SIGNED"

    # The sign deadline passes on the drill clock, and a sweep at that time fires nothing.
    routers.clock.jump_to(past(order.deadlines.sign_by))
    routers.clock.await_sweep()
    assert actions_of(app, report.event_id) == ["FILE", "DISPATCH", "SIGN"]
    with app.engine.connect() as conn:
        level = conn.execute(
            select(incidents.c.level).where(incidents.c.event_id == report.event_id)
        ).scalar_one()
    assert level == "community"


def test_returned_report_goes_back_to_the_street_and_to_a_named_unit(
    routers: Routers,
) -> None:
    app = routers.start()
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
    app = routers.start()
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    orders_for(app, report.event_id, bool)

    answer = answer_to(app, submit_action(app, report.event_id, "SIGN", "350206002007"))
    change = app.codec.decode_state_change(answer.value)
    assert change.action == REFUSED
    assert _header(answer, REFUSAL_CODE_HEADER) == "NOT_YOUR_WORK_ORDER"
    assert change.state == "DISPATCHED"
    assert "does not hold this incident" in (change.reason or "")
    assert actions_of(app, report.event_id) == ["FILE", "DISPATCH"]


def test_restart_in_the_middle_of_an_escalation_loses_and_doubles_nothing(
    routers: Routers,
) -> None:
    app = routers.start()
    report = garbage_report()
    ReportIntake(app.producer(), app.codec, app.topics).submit(report)
    routers.clock.jump_to(past(lead_order(app, report.event_id, COMMUNITY).deadlines.sign_by))
    street = lead_order(app, report.event_id, STREET)
    # Stop the router while the street's sign clock runs; its deadline passes while it is down.
    routers.stop(app)
    routers.clock.jump_to(past(street.deadlines.sign_by))
    app = routers.start()

    district = lead_order(app, report.event_id, DISTRICT)
    routers.clock.jump_to(past(district.deadlines.sign_by))
    orders = orders_for(app, report.event_id, lambda os: ("ACTION", CITY) in actions_on(os))
    escalations = [wo for wo in orders if wo.kind == "ACTION" and wo.escalated_from_unit]
    assert [wo.unit_code for wo in escalations] == [STREET, DISTRICT, CITY]
    steps = actions_of(app, report.event_id)
    assert steps.count("ESCALATE") == 6


# --- working time (the bundled policy's clock for ordinary matters) ------------------------------

FRIDAY_EVENING = datetime(2026, 12, 4, 17, 30, tzinfo=CHINA_STANDARD_TIME)
SATURDAY_NOON = datetime(2026, 12, 5, 12, 0, tzinfo=CHINA_STANDARD_TIME)
MONDAY = datetime(2026, 12, 7, tzinfo=CHINA_STANDARD_TIME)


def at_monday(hour: int, minute: int) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute)


def test_working_time_clocks_stand_still_over_the_weekend(
    kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    # The bundled policy as it ships: ordinary matters count working hours (08:30–12:00,
    # 14:30–18:00) of working days; a community has 1 h to sign, 21 h (three days) to handle.
    routers = Routers(kafka_bootstrap, database_url, topic_prefix, default_policy_path())
    routers.clock = DrillClock(FRIDAY_EVENING)
    try:
        app = routers.start()
        report = garbage_report()
        ReportIntake(app.producer(), app.codec, app.topics).submit(report)
        order = lead_order(app, report.event_id, COMMUNITY)
        # Half an hour is left on Friday; the other half runs on Monday morning from 08:30.
        assert order.deadlines.sign_by == at_monday(9, 0)
        # 21 h: 0.5 on Friday, 7 on Monday and Tuesday, 6.5 on Wednesday (until 17:30).
        assert order.deadlines.handle_by == datetime(
            2026, 12, 9, 17, 30, tzinfo=CHINA_STANDARD_TIME
        )

        # Saturday noon, 18.5 hours of wall time later: a sweep then fires nothing.
        routers.clock.jump_to(SATURDAY_NOON)
        routers.clock.await_sweep()
        assert actions_of(app, report.event_id) == ["FILE", "DISPATCH"]

        # Monday 08:50: 42 of the 60 working minutes (70%) were used at 08:42: the 黄牌 only.
        routers.clock.jump_to(at_monday(8, 50))
        steps = history_until(app, report.event_id, lambda a: "SLA_WARNING" in a)
        routers.clock.await_sweep()
        assert actions_of(app, report.event_id) == ["FILE", "DISPATCH", "SLA_WARNING"]
        assert "time to sign" in steps[-1][2], steps[-1]

        # Just past 09:00 the limit is used up: the 红牌, and the street takes the incident.
        routers.clock.jump_to(past(order.deadlines.sign_by))
        street = lead_order(app, report.event_id, STREET)
        assert street.escalated_from_unit == COMMUNITY
        # The street's 2 h to sign start at the escalation (the drill clock's 09:00:01).
        assert street.deadlines.sign_by == at_monday(11, 0) + timedelta(seconds=1)
        steps = history(app, report.event_id)
        assert [a for a, _, _ in steps][:4] == ["FILE", "DISPATCH", "SLA_WARNING", "SLA_BREACH"]
    finally:
        routers.stop_all()
