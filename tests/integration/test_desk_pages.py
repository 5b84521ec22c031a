"""The desk's pages over HTTP, on the real broker and both databases, with the router running:
sign-in and its cookie, CSRF, scope (another unit's incident is the same 404 as an unknown
one), text shown as text, actions through the API's path, revocation, the resident's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from grid_router.domain.model import State
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
)
from tests.integration.test_api_kafka import event_in_state

pytestmark = pytest.mark.integration

EVIL = '<script>alert("x")</script><img src=x onerror="alert(1)">5号楼垃圾满溢'


@pytest.fixture
def api(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> Iterator[Api]:
    with api_for(kafka_bootstrap, database_url, topic_prefix, tmp_path) as a:
        yield a


def sign_in(api: Api, token: str) -> str:
    """Sign in through the form; returns the session's CSRF token."""
    api.client.cookies.clear()
    form = api.client.get("/desk/signin")
    nonce = re.search(r'name="nonce" value="([^"]+)"', form.text)
    assert nonce is not None, form.text
    answer = api.client.post(
        "/desk/signin", data={"nonce": nonce.group(1), "token": token}, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "samesite=strict" in cookie.lower()
    return csrf_of(api.client.get("/desk/queue").text)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def test_a_dispatcher_signs_from_the_desk_and_strangers_see_nothing(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    dispatcher = api.token(Role.DISPATCHER, unit=COMMUNITY, name="高殿社区指挥中心")
    stranger = api.token(Role.DISPATCHER, unit=NEIGHBOUR)
    with running_router(api.app):
        answer = api.client.post(
            "/api/v1/reports",
            json={"grid_code": GRID, "category_code": "CITY_MGMT", "description": EVIL},
            headers=bearer(worker),
        )
        event_id = answer.json()["event_id"]
        quarrel = api.client.post(
            "/api/v1/reports",
            json={"grid_code": GRID, "category_code": "DISPUTE", "description": "邻居吵架"},
            headers=bearer(worker),
        ).json()["event_id"]
        event_in_state(api, worker, event_id, State.DISPATCHED)
        event_in_state(api, worker, quarrel, State.DISPATCHED)

        # Without a session: the sign-in page.
        api.client.cookies.clear()
        assert api.client.get("/desk/queue", follow_redirects=False).headers["location"] == (
            "/desk/signin"
        )
        csrf = sign_in(api, dispatcher)
        queue = api.client.get("/desk/queue")
        assert event_id in queue.text
        assert "<script>alert" not in queue.text
        page = api.client.get(f"/desk/events/{event_id}")
        assert page.status_code == 200
        assert "&lt;script&gt;" in page.text
        assert 'onerror="alert(1)"' not in page.text
        assert "签收" in page.text
        assert "核查通过" not in page.text  # not the dispatcher's to do

        # A form without its CSRF token is refused and sends nothing.
        act = f"/desk/events/{event_id}/act"
        refused = api.client.post(act, data={"action": "SIGN"})
        assert refused.status_code == 403
        assert api.messages(api.app.topics.actions) == []
        done = api.client.post(act, data={"action": "SIGN", "csrf": csrf}, follow_redirects=False)
        assert done.status_code == 303, done.text
        event_in_state(api, worker, event_id, State.SIGNED)
        again = api.client.post(act, data={"action": "SIGN", "csrf": csrf})
        assert again.status_code == 409
        assert "操作未被接受" in again.text

        # Another unit: the same 404 as an unknown incident.
        sign_in(api, stranger)
        theirs = api.client.get(f"/desk/events/{event_id}")
        unknown = api.client.get("/desk/events/no-such-event")
        assert theirs.status_code == unknown.status_code == 404
        assert theirs.text == unknown.text.replace("no-such-event", event_id)
        assert event_id not in api.client.get("/desk/queue").text

        # Revoking the token ends its sessions at once.
        sign_in(api, dispatcher)
        prefix = dispatcher.split("_")[1]
        assert api.store.revoke(prefix)
        gone = api.client.get("/desk/queue", follow_redirects=False)
        assert (gone.status_code, gone.headers["location"]) == (303, "/desk/signin")

    # The resident's page: no sign-in, nothing personal, a 404 that says nothing.
    api.client.cookies.clear()
    status = api.client.get(f"/status/{event_id}")
    assert status.status_code == 200
    assert "已签收" in status.text
    assert "<script>" not in status.text
    assert "onerror" not in status.text
    missing = api.client.get("/status/nothing-here")
    assert missing.status_code == 404
    # A category the policy does not mark public (access.public_categories) is not shown.
    hidden = api.client.get(f"/status/{quarrel}")
    assert (hidden.status_code, hidden.text) == (404, missing.text)


def test_supervision_board_and_a_reminder(api: Api) -> None:
    worker = api.token(Role.GRID_WORKER, grids=(GRID,))
    city = api.token(Role.OPERATOR, name="市网格中心")
    verifier = api.token(Role.VERIFIER, unit=STREET)
    with running_router(api.app):
        answer = api.client.post(
            "/api/v1/reports",
            json={"grid_code": GRID, "category_code": "CITY_MGMT", "description": "垃圾满溢"},
            headers=bearer(worker),
        )
        event_id = answer.json()["event_id"]
        event_in_state(api, worker, event_id, State.DISPATCHED)
        csrf = sign_in(api, city)
        board = api.client.get("/desk/supervision")
        assert board.status_code == 200
        assert "湖里区" in board.text
        drilled = api.client.get(f"/desk/supervision?unit={STREET}")
        assert "高殿社区" in drilled.text
        sent = api.client.post(
            f"/desk/events/{event_id}/remind",
            data={"csrf": csrf, "message": "请今天办结"},
            follow_redirects=False,
        )
        assert sent.status_code == 303
        sign_in(api, verifier)
        assert api.client.get(f"/desk/supervision?unit={STREET}").status_code == 200
        assert api.client.get("/desk/supervision?unit=350203").status_code == 404
        page = api.client.get(f"/desk/events/{event_id}").text
        assert "请今天办结" in page
        assert "市网格中心" in page
