"""Photo references (现场照片) of reports and actions are recorded by the router, in the
transaction that files the report or applies the action, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from sqlalchemy import select

from grid_router.adapters.db.desk import photo_of, photos
from grid_router.adapters.db.tables import incident_photos
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Photo, Reporter
from grid_router.service.intake import new_action
from grid_router.service.ports import InboundMessage
from grid_router.settings import Settings

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
A = "a" * 64
B = "b" * 64
C = "c" * 64
UNIT = "350206002008"


def _app(database_url: str) -> App:
    return App(Settings(database_url=database_url, topic_prefix="x."), clock=lambda: NOW)


def _report(app: App, offset: int, *pictures: Photo) -> tuple[str, InboundMessage]:
    event_id = str(uuid.uuid4())
    r = IncidentReport(
        event_id=event_id,
        reported_at=NOW,
        source="GRID_APP",
        reporter=Reporter(id="GW-1"),
        description="小区门口垃圾满溢，无人清运",
        category_code="CITY_MGMT",
        grid_code=f"{UNIT}005",
        photos=pictures,
    )
    value = app.codec.encode_report(r)
    return event_id, InboundMessage("x.grid.reports", 0, offset, b"k", value)


def _action(
    app: App, event_id: str, offset: int, action: str, pictures: Sequence[Mapping[str, str]]
) -> InboundMessage:
    body = new_action(
        event_id, action, unit_code=UNIT, role="dispatcher", user_id="u-1", at=NOW,
        result="已清运完毕" if action == "HANDLE" else None,
    )  # fmt: skip
    body["photos"] = [dict(p) for p in pictures]
    value = app.codec.encode_action(body)
    return InboundMessage("x.grid.actions", 0, offset, event_id.encode(), value)


def test_the_photos_of_a_report_and_of_a_handed_in_result_are_recorded(database_url: str) -> None:
    app = _app(database_url)
    router = app.report_router()
    event_id, filed = _report(
        app, 0, Photo(f"/api/v1/photos/{A}", A), Photo("https://img.example/b.jpg", None)
    )
    plain_id, plain = _report(app, 1)
    assert router.handle_batch([filed, plain]).applied == 2

    hand_in = [{"url": f"/api/v1/photos/{B}", "sha256": B}]
    # In one batch: signed, started, handed in with a photo; then a refused second hand-in,
    # whose photo is not the incident's.
    batch = [
        _action(app, event_id, 0, "SIGN", []),
        _action(app, event_id, 1, "START", []),
        _action(app, event_id, 2, "HANDLE", hand_in),
        _action(app, event_id, 3, "HANDLE", [{"url": f"/api/v1/photos/{C}", "sha256": C}]),
    ]
    outcome = router.handle_batch(batch)
    assert outcome.actions == 3
    assert sum(outcome.refused.values()) == 1
    # A replayed batch records nothing twice.
    assert router.handle_batch(batch).duplicates == 4

    with app.engine.connect() as conn:
        rows = conn.execute(select(incident_photos).order_by(incident_photos.c.id)).all()
        shown = photos(conn, [event_id])
        assert photo_of(conn, [event_id], B)
        assert not photo_of(conn, [event_id], C)
        assert not photo_of(conn, [plain_id], A)
        assert photos(conn, [plain_id]) == []
    assert [(r.event_id, r.action, r.position, r.url, r.sha256) for r in rows] == [
        (event_id, "REPORT", 0, f"/api/v1/photos/{A}", A),
        (event_id, "REPORT", 1, "https://img.example/b.jpg", None),
        (event_id, "HANDLE", 0, f"/api/v1/photos/{B}", B),
    ]
    assert rows[0].action_id is None
    assert rows[2].action_id == app.codec.decode_action(batch[2].value or b"")["action_id"]
    assert [p.url for p in shown] == [r.url for r in rows]
    assert all(r.at == NOW for r in rows)


def test_a_sha256_that_is_not_one_is_kept_as_none(database_url: str) -> None:
    app = _app(database_url)
    event_id, filed = _report(app, 0, Photo("https://img.example/x.jpg", "not-a-hash" * 10))
    assert app.report_router().handle_batch([filed]).applied == 1
    with app.engine.connect() as conn:
        (row,) = conn.execute(select(incident_photos)).all()
    assert (row.event_id, row.url, row.sha256) == (event_id, "https://img.example/x.jpg", None)
