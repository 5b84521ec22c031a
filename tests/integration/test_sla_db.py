"""SLA clocks and dispatch actions on the real databases (SQLite and PostgreSQL), without Kafka:
timers written with the filing, fired by the scheduler exactly once even with two schedulers
sweeping at once, and actions applied, refused or dead-lettered in the router's transaction."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from grid_router.adapters.db.tables import (
    inbox,
    incident_transitions,
    incidents,
    outbox,
    sla_timers,
)
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.service.intake import new_action
from grid_router.service.ports import InboundMessage
from grid_router.service.router import DLQ_REASON, REFUSAL_CODE_HEADER, UNKNOWN_EVENT
from grid_router.settings import Settings

FILED = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 10:00 in Xiamen, working hours
COMMUNITY = "350206002008"
STREET = COMMUNITY[:9]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_app(database_url: str, clock: Clock) -> App:
    return App(Settings(database_url=database_url, topic_prefix="x."), clock=clock)


def report(n: int) -> IncidentReport:
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=FILED,
        source="GRID_APP",
        reporter=Reporter(id="GW-1"),
        description=f"{n}号楼门口垃圾满溢，无人清运",
        category_code="CITY_MGMT",
        # A different grid each, so that no report merges into another.
        grid_code=f"{COMMUNITY}{n % 900 + 1:03d}",
    )


def file_reports(app: App, n: int) -> list[IncidentReport]:
    reports = [report(i) for i in range(n)]
    msgs = [
        InboundMessage("x.grid.reports", 0, i, b"k", app.codec.encode_report(r))
        for i, r in enumerate(reports)
    ]
    assert app.report_router().handle_batch(msgs).applied == n
    return reports


def act_message(app: App, offset: int, event_id: str, action: str, unit: str, **kw: object) -> (
    InboundMessage
):  # fmt: skip
    body = new_action(event_id, action, unit_code=unit, role="dispatcher", user_id="u-1",
                      at=app.clock(), **kw)  # type: ignore[arg-type]  # fmt: skip
    return InboundMessage(
        "x.grid.actions", 0, offset, event_id.encode(), app.codec.encode_action(body)
    )


def timers(app: App, event_id: str) -> list[tuple[str, str, str]]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(sla_timers.c.stage, sla_timers.c.card, sla_timers.c.level)
            .where(sla_timers.c.event_id == event_id)
            .order_by(sla_timers.c.due_at)
        )
        return [tuple(r) for r in rows]


def history(app: App, event_id: str) -> list[str]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(incident_transitions.c.action)
            .where(incident_transitions.c.event_id == event_id)
            .order_by(incident_transitions.c.version)
        )
        return list(rows.scalars())


def test_filing_starts_the_sign_and_handle_clocks(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    (r,) = file_reports(app, 1)
    assert sorted(timers(app, r.event_id)) == sorted(
        [
            (stage, card, "community")
            for stage in ("sign", "handle")
            for card in ("WARNING", "BREACH")
        ]
    )
    with app.engine.connect() as conn:
        terms = conn.execute(select(incidents.c.sla_terms)).scalar_one()
    assert terms["policy"] == "standard"
    assert terms["clock"] == "working_time"
    app.close()


def test_two_schedulers_fire_every_timer_exactly_once(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    reports = file_reports(app, 60)
    # Long past every sign deadline (1 working hour) and before the street's.
    clock.now = FILED + timedelta(hours=1, minutes=30)
    schedulers = [app.scheduler(), app.scheduler()]
    fired = [0, 0]

    def sweep(i: int) -> None:
        while True:
            outcome = schedulers[i].sweep()
            fired[i] += outcome.fired
            if outcome.fired == 0:
                with app.uow() as uow:
                    if not uow.due_event_ids(clock.now, 1):
                        return

    threads = [threading.Thread(target=sweep, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    # One warning and one breach per incident, however the two divided them.
    assert sum(fired) == 2 * len(reports)
    for r in reports:
        steps = Counter(history(app, r.event_id))
        assert steps["SLA_WARNING"] == 1
        assert steps["SLA_BREACH"] == 1
        assert steps["ESCALATE"] == 2  # into ESCALATED and out of it, at the street
        assert {level for _, _, level in timers(app, r.event_id)} == {"street"}
    with app.engine.connect() as conn:
        levels = Counter(conn.execute(select(incidents.c.level, incidents.c.unit_code)).all())
    assert levels == {("street", STREET): len(reports)}
    app.close()


def test_signing_stops_the_sign_clock_and_keeps_the_handle_clock(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    (r,) = file_reports(app, 1)
    clock.now = FILED + timedelta(minutes=20)
    outcome = app.report_router().handle_batch([act_message(app, 0, r.event_id, "SIGN", COMMUNITY)])
    assert outcome.actions == 1
    assert timers(app, r.event_id) == [
        ("handle", "WARNING", "community"),
        ("handle", "BREACH", "community"),
    ]
    # Long after the sign deadline: nothing escalates.
    clock.now = FILED + timedelta(hours=2)
    assert app.scheduler().sweep().fired == 0
    assert history(app, r.event_id) == ["FILE", "DISPATCH", "SIGN"]
    app.close()


def test_refused_unknown_and_repeated_actions(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    (r,) = file_reports(app, 1)
    router = app.report_router()
    wrong = act_message(app, 0, r.event_id, "SIGN", "350206002007")
    unknown = act_message(app, 1, str(uuid.uuid4()), "SIGN", COMMUNITY)
    outcome = router.handle_batch([wrong, unknown])
    assert outcome.refused == {"NOT_YOUR_WORK_ORDER": 1}
    assert outcome.deadlettered == {UNKNOWN_EVENT: 1}
    assert outcome.actions == 0
    again = router.handle_batch([wrong])
    assert again.duplicates == 1
    assert history(app, r.event_id) == ["FILE", "DISPATCH"]
    with app.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.destination, outbox.c.headers)).all()
        consumed = conn.execute(select(inbox.c.outcome)).scalars().all()
    refusals = [h for d, h in rows if d == "x.grid.events.state" and any(
        k == REFUSAL_CODE_HEADER for k, _ in h)]  # fmt: skip
    assert len(refusals) == 1
    dead = [h for d, h in rows if d == "x.grid.deadletter"]
    assert len(dead) == 1
    assert any(k == DLQ_REASON for k, _ in dead[0])
    assert sorted(consumed) == ["APPLIED", "APPLIED", "DEADLETTER"]
    app.close()
