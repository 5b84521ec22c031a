"""The HTTP API end to end on the real broker and both databases, with the router running: a
report posted over HTTP is visible in its status view with its work order a moment later; an
action posted over HTTP moves the state; Idempotency-Key replays create nothing new; photos go
up and come back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from grid_router.adapters.db.tables import incidents
from grid_router.domain.model import Level, State
from grid_router.domain.status import summary
from grid_router.service.auth import Role
from tests.integration.api_helpers import (
    COMMUNITY,
    GRID,
    NEIGHBOUR,
    STREET,
    Api,
    api_for,
    bearer,
    running_router,
    tiny_png,
    wait_for,
)

pytestmark = pytest.mark.integration

REPORTS = "/api/v1/reports"
WORKER_NAME = "高殿社区 张三"


@pytest.fixture
def api(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> Iterator[Api]:
    with api_for(kafka_bootstrap, database_url, topic_prefix, tmp_path) as a:
        yield a


def garbage(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "description": "5号楼门口垃圾满溢，无人清运",
        "title": "垃圾满溢",
        "category_code": "CITY_MGMT",
        "grid_code": GRID,
        "address": "湖里区殿前街道高殿社区5号楼",
        "reporter": {"id": "GW-0571", "name": "林小梅", "phone": "13900001234"},
    }
    body.update(fields)
    return body


def event_in_state(api: Api, token: str, event_id: str, state: State) -> dict[str, Any]:
    """GET the incident until it is in `state` (the router applies what the API sent)."""

    def probe() -> dict[str, Any] | None:
        answer = api.client.get(f"/api/v1/events/{event_id}", headers=bearer(token))
        if answer.status_code == 404:
            return None  # not filed yet
        assert answer.status_code == 200, answer.text
        event: dict[str, Any] = answer.json()
        return event if event["state"] == state.value else None

    return wait_for(f"incident {event_id} to be {state.value}", probe)


def test_report_over_http_is_dispatched_signed_and_followed(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,), name=WORKER_NAME)
    dispatcher = api.token(Role.DISPATCHER, unit=COMMUNITY, name="高殿社区指挥中心")
    with running_router(api.app):
        photo = api.client.post(
            "/api/v1/photos",
            files={"photo": ("scene.png", tiny_png(), "image/png")},
            headers=bearer(worker),
        ).json()
        photos = [{"url": photo["url"], "sha256": photo["sha256"]}]
        answer = api.client.post(REPORTS, json=garbage(photos=photos), headers=bearer(worker))
        assert answer.status_code == 202, answer.text
        accepted = answer.json()
        event_id = accepted["event_id"]
        assert accepted == {
            "event_id": event_id,
            "status_url": f"/api/v1/events/{event_id}",
            "replayed": False,
        }

        # The reporter follows it by the status URL it was given.
        event = event_in_state(api, worker, event_id, State.DISPATCHED)
        assert (event["level"], event["level_name"]) == (Level.COMMUNITY.value, "社区")
        assert (event["unit_code"], event["unit_name"]) == (COMMUNITY, "高殿社区居委会")
        assert event["department"] == "高殿社区网格工作站"
        assert (event["category_code"], event["category_name"]) == ("CITY_MGMT", "城市管理")
        assert (event["source"], event["grid_code"]) == ("GRID_APP", GRID)
        assert (event["street_code"], event["district_code"]) == (STREET, COMMUNITY[:6])
        assert event["reporter"] == {
            "id": "GW-0571",
            "role": "grid_worker",
            "name": "林*梅",
            "phone": "139****1234",
        }
        deadlines = {k: _time(v) for k, v in event["deadlines"].items()}
        sign_by, handle_by = deadlines["sign_by"], deadlines["handle_by"]
        filed_at = _time(event["filed_at"])
        assert sign_by is not None
        assert handle_by is not None
        assert filed_at is not None
        assert filed_at < sign_by < handle_by
        assert deadlines["verify_by"] is None
        assert event["overdue"] is False
        assert [(s["action"], s["action_name"], s["to_state"]) for s in event["history"]] == [
            ("FILE", "立案", "FILED"),
            ("DISPATCH", "派遣", "DISPATCHED"),
        ]
        assert event["summary"] == summary(
            State.DISPATCHED, "高殿社区居委会", "高殿社区网格工作站", sign_by, handle_by
        )
        assert event["summary"].startswith(
            "您反映的问题已派遣至高殿社区居委会（高殿社区网格工作站）"
        )
        assert "前签收" in event["summary"]

        # Its work order is in the dispatch centre's queue.
        queue = api.client.get(f"/api/v1/units/{COMMUNITY}/queue", headers=bearer(dispatcher))
        assert queue.status_code == 200, queue.text
        [item] = [i for i in queue.json()["items"] if i["event_id"] == event_id]
        assert (item["kind"], item["state"], item["state_name"]) == (
            "ACTION",
            "DISPATCHED",
            "已派遣",
        )
        assert _time(item["sign_by"]) == sign_by
        assert item["work_order_id"].startswith(f"{event_id}:")
        assert queue.json()["unit_name"] == "高殿社区居委会"

        # A unit that cannot see it hears that it does not exist; one that can see it but does
        # not hold it (the street's verifier oversees the community) is refused by the
        # workflow. Neither sends anything.
        stranger = api.token(Role.DISPATCHER, unit=NEIGHBOUR)
        actions = f"/api/v1/events/{event_id}/actions"
        answer = api.client.post(actions, json={"action": "SIGN"}, headers=bearer(stranger))
        assert (answer.status_code, answer.json()["error"]["code"]) == (404, "NOT_FOUND")
        overseer = api.token(Role.VERIFIER, unit=STREET)
        answer = api.client.post(actions, json={"action": "SIGN"}, headers=bearer(overseer))
        assert answer.status_code == 409, answer.text
        error = answer.json()["error"]
        assert error["code"] == "NOT_YOUR_WORK_ORDER"
        assert COMMUNITY in error["message"]
        assert api.messages(api.app.topics.actions) == []

        # The dispatch centre signs; the state moves.
        answer = api.client.post(actions, json={"action": "SIGN"}, headers=bearer(dispatcher))
        assert answer.status_code == 202, answer.text
        signed = answer.json()
        assert (signed["event_id"], signed["expected_state"]) == (event_id, "SIGNED")
        assert signed["expected_unit_code"] == COMMUNITY
        event = event_in_state(api, worker, event_id, State.SIGNED)
        last = event["history"][-1]
        assert (last["action"], last["action_name"]) == ("SIGN", "签收")
        assert last["actor"] == f"dispatcher:{COMMUNITY}/高殿社区指挥中心"
        assert event["summary"].startswith("高殿社区居委会（高殿社区网格工作站）已签收您反映的问题")
        assert [m.key for m in api.messages(api.app.topics.actions)] == [event_id.encode()]
        # Signing again is refused at once: the state no longer allows it.
        answer = api.client.post(actions, json={"action": "SIGN"}, headers=bearer(dispatcher))
        assert (answer.status_code, answer.json()["error"]["code"]) == (409, "ILLEGAL_TRANSITION")

    sent = api.app.codec.decode_report(api.messages(api.app.topics.reports)[0].value)
    assert [(p.url, p.sha256) for p in sent.photos] == [(photo["url"], photo["sha256"])]


def test_idempotency_key_replay_returns_the_same_event_and_files_it_once(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    headers = {**bearer(worker), "Idempotency-Key": "gw-0571-2026-11-27-001"}
    with running_router(api.app) as router:
        first = api.client.post(REPORTS, json=garbage(), headers=headers)
        assert first.status_code == 202, first.text
        assert first.json()["replayed"] is False
        event_id = first.json()["event_id"]
        event_in_state(api, worker, event_id, State.DISPATCHED)

        again = api.client.post(REPORTS, json=garbage(), headers=headers)
        assert again.status_code == 202, again.text
        assert again.json() == {**first.json(), "replayed": True}
        # The replay is sent again (the first send may have failed after the key was stored);
        # the router recognises the event id and files nothing new.
        assert len(api.messages(api.app.topics.reports)) == 2
        wait_for("the router to skip the repeat", lambda: router.stats.duplicates or None)
        different = api.client.post(REPORTS, json=garbage(title="另一件"), headers=headers)
        assert different.status_code == 409, different.text

    with api.app.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(incidents)).scalar_one() == 1
    event = api.client.get(f"/api/v1/events/{event_id}", headers=bearer(worker)).json()
    assert [s["action"] for s in event["history"]] == ["FILE", "DISPATCH"]
    assert event["report_count"] == 1
    assert router.stats.applied == 1


def test_photo_upload_returns_a_url_that_serves_it(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    png = tiny_png()
    answer = api.client.post(
        "/api/v1/photos", files={"photo": ("scene.png", png, "image/png")}, headers=bearer(worker)
    )
    assert answer.status_code == 201, answer.text
    stored = answer.json()
    digest = hashlib.sha256(png).hexdigest()
    assert stored == {
        "url": f"/api/v1/photos/{digest}",
        "sha256": digest,
        "content_type": "image/png",
        "size": len(png),
    }
    fetched = api.client.get(stored["url"], headers=bearer(worker))
    assert fetched.status_code == 200
    assert fetched.headers["content-type"] == "image/png"
    assert fetched.content == png
    # Anyone with a token may fetch it (photos are named by their hash); nobody without one.
    assert api.client.get(stored["url"]).status_code == 401

    # Text is not a photo, whatever it claims to be.
    for name, data, kind in (
        ("notes.txt", "这不是照片".encode(), "text/plain"),
        ("fake.png", b"GIF89a not a png", "image/png"),
        ("empty.png", b"", "image/png"),
    ):
        answer = api.client.post(
            "/api/v1/photos", files={"photo": (name, data, kind)}, headers=bearer(worker)
        )
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert error["code"] == "INVALID_PHOTO"
        assert [f["path"] for f in error["fields"]] == ["photo"]
    assert sorted(p.name for p in api.app.settings.photo_dir.rglob("*.*")) == [f"{digest}.png"]


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def test_health_and_readiness_answer_probes_without_a_token(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
    assert api.client.get("/readyz").json() == {"status": "ready"}

    def unreachable() -> None:
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(api.app.engine, "connect", unreachable)
    answer = api.client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "UNAVAILABLE"
    assert api.client.get("/healthz").status_code == 200  # alive, only not ready
