"""The router's transaction on the real databases (SQLite and PostgreSQL), without Kafka."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from grid_router.adapters.db.tables import (
    inbox,
    incident_transitions,
    incidents,
    outbox,
    sla_timers,
    work_orders,
)
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level, Reporter
from grid_router.service.ports import InboundMessage
from grid_router.service.router import DLQ_OFFSET, DLQ_REASON, DLQ_TOPIC
from grid_router.settings import Settings

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def make_app(database_url: str) -> App:
    return App(Settings(database_url=database_url, topic_prefix="x."), clock=lambda: NOW)


def report(**overrides: object) -> IncidentReport:
    fields: dict[str, object] = {
        "event_id": str(uuid.uuid4()),
        "reported_at": NOW,
        "source": "GRID_APP",
        "reporter": Reporter(id="GW-1", name="林小梅", phone="13900000000"),
        "description": "小区门口垃圾满溢，无人清运",
        "category_code": "CITY_MGMT",
        "grid_code": "350206002008005",
    }
    fields.update(overrides)
    return IncidentReport(**fields)  # type: ignore[arg-type]


def message(app: App, r: IncidentReport, offset: int) -> InboundMessage:
    return InboundMessage("x.grid.reports", 0, offset, b"k", app.codec.encode_report(r))


def count(app: App, table: object, *where: object) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def test_batch_files_dispatches_and_writes_outbox(database_url: str) -> None:
    app = make_app(database_url)
    reports = [
        report(),
        report(grid_code=None, community_code="350212001004"),
        report(grid_code=None),
    ]
    outcome = app.report_router().handle_batch([message(app, r, i) for i, r in enumerate(reports)])

    assert outcome.applied == 3
    with app.engine.connect() as conn:
        rows = {r.event_id: r for r in conn.execute(select(incidents)).all()}
    first, second, third = (rows[r.event_id] for r in reports)
    assert (first.level, first.unit_code, first.state) == (
        "community",
        "350206002008",
        "DISPATCHED",
    )
    assert first.unit_name == "高殿社区居委会"
    assert (first.street_code, first.district_code) == ("350206002", "350206")
    assert second.unit_code == "350212001004"
    # No grid, no community, no address: the city triage queue, reason UNLOCATED.
    assert (third.level, third.unit_code) == ("city", "350200")
    assert third.locate_method == "unlocated"

    assert count(app, incident_transitions) == 6
    assert count(app, work_orders) == 3
    assert count(app, inbox) == 3
    # One work order and one state change per report, all pending for the relay.
    assert count(app, outbox) == 6
    with app.engine.connect() as conn:
        destinations = sorted(conn.execute(select(outbox.c.destination)).scalars())
    assert destinations.count("x.grid.dispatch.community") == 2
    assert destinations.count("x.grid.dispatch.city") == 1
    assert destinations.count("x.grid.events.state") == 3

    wo_bytes = _outbox_values(app, "x.grid.dispatch.city")[0]
    triage = app.codec.decode_work_order(wo_bytes)
    assert triage.reason == "UNLOCATED"
    assert triage.event_id == reports[2].event_id


def test_a_serious_fire_starts_at_the_district_and_copies_every_level_below(
    database_url: str,
) -> None:
    app = make_app(database_url)
    fire = report(description="12号楼着火了，火很大，有人被困在楼上", category_code=None)
    assert app.report_router().handle_batch([message(app, fire, 0)]).applied == 1
    with app.engine.connect() as conn:
        row = conn.execute(select(incidents)).one()
        orders = conn.execute(
            select(work_orders.c.level, work_orders.c.unit_code, work_orders.c.kind).order_by(
                work_orders.c.level
            )
        ).all()
    assert (row.level, row.unit_code, row.department) == (
        "district",
        "350206",
        "湖里区消防救援大队",
    )
    assert row.severity in ("II", "I")
    assert sorted(orders) == [
        ("community", "350206002008", "INFO_COPY"),
        ("district", "350206", "ACTION"),
        ("street", "350206002", "INFO_COPY"),
    ]
    # Three work orders on three level topics, one state change.
    assert sorted(_destinations(app)) == [
        "x.grid.dispatch.community",
        "x.grid.dispatch.district",
        "x.grid.dispatch.street",
        "x.grid.events.state",
    ]


def _destinations(app: App) -> list[str]:
    with app.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.destination)).scalars())


def test_replayed_batch_changes_nothing(database_url: str) -> None:
    app = make_app(database_url)
    # Five different grids: nothing here repeats anything (merging has its own test).
    batch = [message(app, report(grid_code=f"350206002008{i + 1:03d}"), i) for i in range(5)]
    router = app.report_router()
    assert router.handle_batch(batch).applied == 5
    again = router.handle_batch(batch)
    assert (again.applied, again.duplicates) == (0, 5)
    # The same report twice inside one batch is filed once as well.
    r = report(grid_code="350206002008099")
    twice = router.handle_batch([message(app, r, 10), message(app, r, 11)])
    assert (twice.applied, twice.duplicates) == (1, 1)
    assert count(app, incidents) == 6
    assert count(app, outbox) == 12


def test_poison_message_is_dead_lettered_and_the_rest_is_filed(database_url: str) -> None:
    app = make_app(database_url)
    good = [message(app, report(), i) for i in range(3)]
    poison = InboundMessage("x.grid.reports", 2, 7, b"350206002008", b"\xc3\x01not avro at all")
    outcome = app.report_router().handle_batch([good[0], poison, *good[1:]])

    assert outcome.applied == 3
    assert outcome.deadlettered == {"DECODE_FAILED": 1}
    with app.engine.connect() as conn:
        row = conn.execute(select(outbox).where(outbox.c.destination == "x.grid.deadletter")).one()
    assert row.value == poison.value
    assert row.key == poison.key
    headers = dict(row.headers)
    assert set(headers) >= {DLQ_REASON, DLQ_TOPIC, DLQ_OFFSET}
    # Replaying the poison message does not dead-letter it twice.
    assert app.report_router().handle_batch([poison]).duplicates == 1


def test_a_report_the_database_refuses_is_dead_lettered_alone(database_url: str) -> None:
    """A value the database cannot store fails the bulk write; the batch is redone one message
    at a time and only the culprit goes to the dead-letter topic."""
    app = make_app(database_url)
    bad = report(external_ref="x" * 500)  # longer than the column allows on PostgreSQL
    good = [report(), report()]
    outcome = app.report_router().handle_batch(
        [message(app, good[0], 0), message(app, bad, 1), message(app, good[1], 2)]
    )
    if app.engine.dialect.name == "sqlite":
        # SQLite does not enforce VARCHAR lengths: it stores the value, and all three are filed.
        assert (outcome.applied, outcome.deadlettered) == (3, {})
        return
    assert outcome.applied == 2
    assert outcome.deadlettered == {"APPLY_FAILED": 1}
    assert count(app, incidents) == 2
    assert count(app, outbox, outbox.c.destination == "x.grid.deadletter") == 1


def _outbox_values(app: App, destination: str) -> list[bytes]:
    with app.engine.connect() as conn:
        return list(
            conn.execute(
                select(outbox.c.value).where(outbox.c.destination == destination)
            ).scalars()
        )


def test_repeated_reports_merge_into_the_open_incident(database_url: str) -> None:
    app = make_app(database_url)
    grid = "350206002008007"
    first = report(grid_code=grid)
    app.report_router().handle_batch([message(app, first, 0)])

    again = report(grid_code=grid, reporter=Reporter(id="GW-2"))
    other_a = report(
        grid_code=grid, description="两户邻居因为楼上漏水吵了起来", category_code="DISPUTE"
    )
    other_b = report(grid_code=grid, description="楼上楼下为漏水的事吵架", category_code="DISPUTE")
    outcome = app.report_router().handle_batch(
        [message(app, m, i) for i, m in enumerate([again, other_a, other_b], start=1)]
    )
    assert (outcome.applied, outcome.merged) == (3, 2)

    with app.engine.connect() as conn:
        rows = {r.event_id: r for r in conn.execute(select(incidents)).all()}
        orders = conn.execute(select(work_orders.c.event_id)).scalars().all()
    assert rows[first.event_id].report_count == 2
    assert rows[first.event_id].state == "DISPATCHED"
    assert (rows[again.event_id].state, rows[again.event_id].merged_into) == (
        "MERGED",
        first.event_id,
    )
    assert rows[again.event_id].unit_code == rows[first.event_id].unit_code
    # A repeat inside one batch merges into the batch's own first report.
    assert rows[other_b.event_id].merged_into == other_a.event_id
    assert rows[other_a.event_id].report_count == 2
    # One work order per incident, none for the repeats.
    assert sorted(orders) == sorted([first.event_id, other_a.event_id])
    # The repeat's reporter is told, on their own event id, which incident handles it.
    states = [app.codec.decode_state_change(v) for v in _outbox_values(app, "x.grid.events.state")]
    merged = next(sc for sc in states if sc.event_id == again.event_id)
    assert merged.state == "MERGED"
    assert merged.reason is not None
    assert first.event_id in merged.reason


def test_a_report_after_the_merge_window_opens_its_own_incident(database_url: str) -> None:
    from datetime import timedelta

    grid = "350206002008008"
    early = make_app(database_url)
    first = report(grid_code=grid)
    early.report_router().handle_batch([message(early, first, 0)])
    later = App(
        Settings(database_url=database_url, topic_prefix="x."),
        clock=lambda: NOW + timedelta(hours=3),
    )
    outcome = later.report_router().handle_batch([message(later, report(grid_code=grid), 1)])
    assert (outcome.applied, outcome.merged) == (1, 0)


def test_a_graver_repeat_moves_the_open_incident_up_with_copies_below(database_url: str) -> None:
    app = make_app(database_url)
    grid = "350206002008009"
    hole = report(grid_code=grid, description="路面塌陷了一个小坑")
    app.report_router().handle_batch([message(app, hole, 0)])
    hurt = report(grid_code=grid, description="路面塌陷了，有人掉进坑里受伤了")
    outcome = app.report_router().handle_batch([message(app, hurt, 1)])
    assert (outcome.merged, outcome.regraded) == (1, 1)

    with app.engine.connect() as conn:
        first = conn.execute(select(incidents).where(incidents.c.event_id == hole.event_id)).one()
        history = conn.execute(
            select(incident_transitions.c.version, incident_transitions.c.to_state)
            .where(incident_transitions.c.event_id == hole.event_id)
            .order_by(incident_transitions.c.version)
        ).all()
        orders = conn.execute(
            select(work_orders.c.level, work_orders.c.kind, work_orders.c.active)
            .where(work_orders.c.event_id == hole.event_id)
            .order_by(work_orders.c.version, work_orders.c.level)
        ).all()
    assert (first.level, first.unit_code, first.severity) == ("district", "350206", "II")
    assert (first.version, first.state, first.report_count) == (4, "DISPATCHED", 2)
    assert [s for _, s in history] == ["FILED", "DISPATCHED", "ESCALATED", "DISPATCHED"]
    # The community's order (a general road collapse starts there, DESIGN §3) is retired; the
    # district acts, and every level below is told.
    assert ("community", "ACTION", False) in orders
    assert ("district", "ACTION", True) in orders
    assert {(lv, kind) for lv, kind, active in orders if active} == {
        ("district", "ACTION"),
        ("street", "INFO_COPY"),
        ("community", "INFO_COPY"),
    }
    states = [app.codec.decode_state_change(v) for v in _outbox_values(app, "x.grid.events.state")]
    latest = max((s for s in states if s.event_id == hole.event_id), key=lambda s: s.version)
    assert (latest.version, latest.level, latest.action) == (4, "district", "REGRADE")
    # The clocks are the district's now, under the policy of the new grade.
    with app.engine.connect() as conn:
        clocks = conn.execute(
            select(sla_timers.c.level, sla_timers.c.unit_code, sla_timers.c.clock).where(
                sla_timers.c.event_id == hole.event_id
            )
        ).all()
        terms = conn.execute(
            select(incidents.c.sla_terms).where(incidents.c.event_id == hole.event_id)
        ).scalar_one()
    assert set(clocks) == {("district", "350206", "wall_clock")}
    assert len(clocks) == 4
    assert terms["policy"] in ("urgent", "emergency")


def test_a_burst_of_waterlogging_in_one_district_opens_one_district_incident(
    database_url: str,
) -> None:
    """The bundled policy: more than 10 waterlogging reports in a district within 30 minutes."""
    app = make_app(database_url)
    router = app.report_router()
    communities = [
        u.code for u in app.org.units_at(Level.COMMUNITY) if u.code.startswith("350206")
    ][:12]
    assert len(communities) == 12
    floods = [
        report(grid_code=f"{c}001", description="路口积水很深，车都过不去了") for c in communities
    ]
    elsewhere = report(grid_code="350203003001005", description="路口积水很深，车都过不去了")
    # Ten in the first batch: not yet a burst.
    assert router.handle_batch([message(app, r, i) for i, r in enumerate(floods[:10])]).bursts == 0
    outcome = router.handle_batch(
        [message(app, r, 10 + i) for i, r in enumerate([*floods[10:], elsewhere])]
    )
    assert outcome.bursts == 1

    with app.engine.connect() as conn:
        burst = conn.execute(select(incidents).where(incidents.c.source == "BURST")).one()
        linked = set(
            conn.execute(
                select(incidents.c.event_id).where(incidents.c.burst_id == burst.event_id)
            ).scalars()
        )
        burst_orders = conn.execute(
            select(work_orders.c.level, work_orders.c.kind).where(
                work_orders.c.event_id == burst.event_id
            )
        ).all()
    assert (burst.level, burst.unit_code, burst.severity) == ("district", "350206", "II")
    assert burst.subcategory_code == "CITY_MGMT.WATERLOGGING"
    assert linked == {r.event_id for r in floods}
    assert burst.report_count == len(floods)
    assert ("district", "ACTION") in burst_orders
    # Each report keeps its own work order; the other district's report is not part of it.
    assert elsewhere.event_id not in linked

    # A later report in the window joins the live burst instead of opening another.
    late = report(grid_code=f"{communities[0]}002", description="又一处积水，水已经漫进店里")
    assert router.handle_batch([message(app, late, 99)]).bursts == 0
    with app.engine.connect() as conn:
        joined = conn.execute(
            select(incidents.c.burst_id).where(incidents.c.event_id == late.event_id)
        ).scalar_one()
        count = conn.execute(
            select(incidents.c.report_count).where(incidents.c.event_id == burst.event_id)
        ).scalar_one()
    assert joined == burst.event_id
    assert count == len(floods) + 1


def test_reports_with_coordinates_merge_within_the_policy_distance(database_url: str) -> None:
    from grid_router.domain.model import GeoPoint

    app = make_app(database_url)
    router = app.report_router()
    here = GeoPoint(24.4536, 118.0819)  # 中山路, 思明区
    first = report(grid_code=None, address="思明区中华街道中山路", location=here)
    router.handle_batch([message(app, first, 0)])
    near = report(grid_code=None, address="中山路", location=GeoPoint(24.4538, 118.0820))
    far = report(grid_code=None, address="中山路", location=GeoPoint(24.4580, 118.0819))
    assert here.distance_m(near.location) < 100 < here.distance_m(far.location)  # type: ignore[arg-type]
    outcome = router.handle_batch([message(app, near, 1), message(app, far, 2)])
    assert outcome.merged == 1
    with app.engine.connect() as conn:
        merged_into = dict(
            conn.execute(select(incidents.c.event_id, incidents.c.merged_into)).all()
        )
    assert merged_into[near.event_id] == first.event_id
    assert merged_into[far.event_id] is None


@pytest.mark.parametrize("same_batch", [False, True], ids=["filed-earlier", "same-batch"])
def test_an_earlier_located_report_nearby_places_a_coordinates_only_report(
    database_url: str, same_batch: bool
) -> None:
    from grid_router.domain.model import GeoPoint

    app = make_app(database_url)
    router = app.report_router()
    here = GeoPoint(24.4557, 118.0790)  # 中山路, in 中山社区 (思明区中华街道)
    # A grid worker's report, placed by its grid code, with the app's GPS fix.
    first = report(grid_code="350203003018001", location=here)
    # Residents' apps send only a point (converted to WGS-84 at the edge): one 40 m away, of
    # another category so that it is filed on its own; one 300 m away, beyond the policy's
    # merge distance (100 m); one in 泉州.
    reported = {
        "description": "楼上邻居装修噪音纠纷，双方争吵", "category_code": "DISPUTE",
        "grid_code": None, "source": "OPEN311",
    }  # fmt: skip
    near = report(**reported, location=GeoPoint(here.lat + 0.00036, here.lon))
    far = report(**reported, location=GeoPoint(here.lat + 0.0027, here.lon))
    away = report(**reported, location=GeoPoint(24.8740, 118.6760))
    assert 35 < here.distance_m(near.location) < 45  # type: ignore[arg-type]
    assert here.distance_m(far.location) > 290  # type: ignore[arg-type]
    later = [message(app, r, i) for i, r in enumerate((near, far, away), start=1)]
    if same_batch:
        router.handle_batch([message(app, first, 0), *later])
    else:
        router.handle_batch([message(app, first, 0)])
        router.handle_batch(later)

    i = incidents.c
    with app.engine.connect() as conn:
        rows = {
            r.event_id: r
            for r in conn.execute(
                select(i.event_id, i.level, i.unit_code, i.community_code, i.district_code,
                       i.locate_method, i.locate_detail, i.department, i.merged_into)
            )
        }  # fmt: skip
    placed = rows[near.event_id]
    assert (placed.locate_method, placed.level, placed.unit_code, placed.community_code) == (
        "coordinates", "community", "350203003018", "350203003018",
    )  # fmt: skip
    assert f"earlier report {first.event_id}, 40 m away" in placed.locate_detail
    assert placed.merged_into is None
    triaged = rows[far.event_id]
    assert (triaged.level, triaged.unit_code, triaged.community_code) == (
        "district",
        "350203",
        None,
    )
    assert triaged.department == app.policy.routing.departments.name_for(
        "OTHER", app.org.unit("350203"), app.org
    )
    assert "no earlier located report lies within the merge distance" in triaged.locate_detail
    unplaced = rows[away.event_id]
    assert (unplaced.locate_method, unplaced.level, unplaced.unit_code) == (
        "unlocated", "city", "350200",
    )  # fmt: skip
    assert "lie outside every district of 厦门市" in unplaced.locate_detail
