"""The metrics of DESIGN §7 counted from real router and scheduler transactions on both
databases (no Kafka): filings, on-time and late stages, warnings, breaches and escalations,
closing times, refusals and dead letters, and the gauges read from the database."""

from __future__ import annotations

import uuid
from datetime import timedelta

from prometheus_client import generate_latest

from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport
from grid_router.service.intake import new_action
from grid_router.service.metrics import GridMetrics
from grid_router.service.ports import InboundMessage
from tests.integration.test_sla_db import COMMUNITY, FILED, Clock, act_message, make_app, report

HULI = "350206"  # 湖里区, the district of COMMUNITY


def value(m: GridMetrics, metric: str, **labels: str) -> float:
    got = m.registry.get_sample_value(metric, labels)
    return 0.0 if got is None else got


def file_counted(app: App, m: GridMetrics, n: int) -> list[IncidentReport]:
    reports = [report(i) for i in range(n)]
    msgs = [
        InboundMessage("x.grid.reports", 0, i, b"k", app.codec.encode_report(r), (), 1000 * i)
        for i, r in enumerate(reports)
    ]
    outcome = app.report_router().handle_batch(msgs)
    assert outcome.applied == n
    m.batch(outcome)
    return reports


def test_router_and_scheduler_outcomes_are_counted(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    m = app.router_metrics
    router = app.report_router()
    signed, late = (r.event_id for r in file_counted(app, m, 2))
    assert value(m, "grid_reports_received_total", source="GRID_APP", category="CITY_MGMT",
                 district=HULI) == 2  # fmt: skip
    assert (
        value(m, "grid_workorders_dispatched_total", level="community", category="CITY_MGMT") == 2
    )
    assert value(m, "grid_routing_latency_seconds_count") == 2

    # Signed after 20 minutes: on time (the community's sign limit is 1 working hour).
    clock.now = FILED + timedelta(minutes=20)
    m.batch(router.handle_batch([act_message(app, 0, signed, "SIGN", COMMUNITY)]))
    # Unsigned past the limit: the scheduler warns, breaches and escalates to the street.
    clock.now = FILED + timedelta(hours=1, minutes=30)
    swept = app.scheduler().sweep()
    m.sweep(swept)
    # Signed late (after the warning, at the street now): refused at the community.
    m.batch(router.handle_batch([act_message(app, 1, late, "SIGN", COMMUNITY)]))
    # An action for an event nobody filed is dead-lettered.
    m.batch(router.handle_batch([act_message(app, 2, str(uuid.uuid4()), "SIGN", COMMUNITY)]))

    assert value(m, "grid_sla_stages_completed_total", stage="sign", level="community",
                 district=HULI, on_time="true") == 1  # fmt: skip
    assert value(m, "grid_time_to_sign_seconds_count", level="community") == 1
    assert value(m, "grid_time_to_sign_seconds_sum", level="community") == 20 * 60
    # One incident unsigned: each warned and breached at the community, then escalated.
    for card in ("grid_sla_warnings_total", "grid_sla_breaches_total"):
        assert value(m, card, stage="sign", level="community", category="CITY_MGMT",
                     district=HULI) == 1, card  # fmt: skip
    assert value(m, "grid_escalations_total", from_level="community", to_level="street",
                 reason="timeout") == 1  # fmt: skip
    # The escalation's new work order goes to the street.
    assert value(m, "grid_workorders_dispatched_total", level="street", category="CITY_MGMT") == 1
    assert value(m, "grid_sla_timers_fired_total") == swept.fired
    assert value(m, "grid_actions_refused_total", code="NOT_YOUR_WORK_ORDER") == 1
    assert value(m, "grid_actions_applied_total", action="SIGN") == 1
    assert value(m, "grid_deadletter_total", reason="UNKNOWN_EVENT") == 1

    # The gauges the database gives: one incident signed at the community, one at the street;
    # the outbox not relayed (no Kafka here), and Huli's last report.
    exposition = generate_latest(m.registry).decode()
    assert 'grid_open_incidents{level="community",state="SIGNED"} 1.0' in exposition
    assert value(m, "grid_outbox_pending") > 0
    assert value(m, "grid_outbox_oldest_pending_age_seconds") >= 90 * 60
    assert value(m, "grid_district_last_report_timestamp_seconds", district=HULI) == (
        FILED.timestamp()
    )
    assert value(m, "grid_district_info", district=HULI, name="湖里区") == 1
    app.close()


def test_handling_and_closing_are_timed(database_url: str) -> None:
    clock = Clock(FILED)
    app = make_app(database_url, clock)
    m = app.router_metrics
    router = app.report_router()
    (r,) = file_counted(app, m, 1)
    e = r.event_id
    steps = [("SIGN", 10), ("START", 15), ("HANDLE", 40)]
    for offset, (action, minutes) in enumerate(steps):
        clock.now = FILED + timedelta(minutes=minutes)
        kw = {"result": "已清运"} if action == "HANDLE" else {}
        outcome = router.handle_batch([act_message(app, offset, e, action, COMMUNITY, **kw)])
        assert outcome.actions == 1, outcome.refused
        m.batch(outcome)
    assert value(m, "grid_sla_stages_completed_total", stage="handle", level="community",
                 district=HULI, on_time="true") == 1  # fmt: skip
    clock.now = FILED + timedelta(hours=2)
    for offset, action in ((3, "VERIFY_PASS"), (4, "CLOSE")):
        body = new_action(e, action, unit_code=COMMUNITY, role="verifier", user_id="v-1",
                          at=clock())  # fmt: skip
        msg = InboundMessage("x.grid.actions", 0, offset, e.encode(), app.codec.encode_action(body))
        outcome = router.handle_batch([msg])
        assert outcome.actions == 1, outcome.refused
        m.batch(outcome)
    # From filing to closing, two hours.
    assert value(m, "grid_time_to_close_seconds_count", level="community",
                 category="CITY_MGMT") == 1  # fmt: skip
    assert value(m, "grid_time_to_close_seconds_sum", level="community",
                 category="CITY_MGMT") == 2 * 3600  # fmt: skip
    assert value(m, "grid_sla_stages_completed_total", stage="verify", level="community",
                 district=HULI, on_time="true") == 1  # fmt: skip
    app.close()
