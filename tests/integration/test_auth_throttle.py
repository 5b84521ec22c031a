"""Failed authentication is throttled (issue 15 §5): made-up tokens, api_keys and bridge
signatures from one address get 401 up to the policy's `access.failed_auth_per_minute`, then 429
with Retry-After, counted in `grid_auth_throttled_total` and logged once per burst; another
address is not slowed, and a good token's last use shows in `tokens list`."""

from __future__ import annotations

import logging
import secrets
import time

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from grid_router.adapters.db.limits import SqlLimitStorage
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.bootstrap import App
from grid_router.entrypoints.api.security import RateLimits
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import Role
from grid_router.service.bridges import SIGNATURE_HEADER, TIMESTAMP_HEADER
from tests.integration.test_bridges_inbound import Bridged, bridged  # noqa: F401 (a fixture)

pytestmark = pytest.mark.integration

LIMIT = 30  # the bundled policy's access.failed_auth_per_minute


@pytest.fixture
def app(bridged: Bridged) -> App:  # noqa: F811 (the imported fixture)
    """The App of the bridges' tests (their secrets set), whose policy sets the limit."""
    assert bridged.app.policy.failed_auth_per_minute == LIMIT
    return bridged.app


@pytest.fixture(params=["in this process", "in the database"])
def served(app: App, request: pytest.FixtureRequest) -> FastAPI:
    """The API with the failures counted in its memory (one process), or in the database as
    `grid-router api --workers N` counts them (a process then checks in the database before
    the credentials only what failed lately, and every failure before counting it)."""
    api = app.api()
    if request.param == "in the database":
        storage = SqlLimitStorage(app.limits_engine)
        api.state.auth_throttle = AuthThrottle(LIMIT, app.metrics, storage)
        api.state.rate_limits = RateLimits(storage)
    return api


def made_up() -> str:
    return f"grt_{secrets.token_hex(4)}_{secrets.token_urlsafe(32)}"


def test_made_up_tokens_from_one_address_are_throttled(
    app: App, served: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    api = served
    attacker = TestClient(api, raise_server_exceptions=False, client=("203.0.113.9", 4000))
    neighbour = TestClient(api, raise_server_exceptions=False, client=("198.51.100.7", 4000))
    good = SqlTokenStore(app.engine, app.clock).create("运营", Role.OPERATOR)[1]
    caplog.set_level(logging.WARNING, "grid_router.api")

    statuses = []
    for i in range(300):
        url = "/api/v1/units/350206002008/queue"
        if i % 3 == 1:  # Open311 reads with a bad api_key
            url = "/open311/v2/requests.json?api_key=" + made_up()
            answer = attacker.get(url)
        elif i % 3 == 2:  # and bridge webhooks with bad signatures
            answer = attacker.post(
                "/bridges/12345/tickets", content=b"{}",
                headers={TIMESTAMP_HEADER: str(int(time.time())), SIGNATURE_HEADER: "sha256=0"},
            )  # fmt: skip
        else:
            answer = attacker.get(url, headers={"Authorization": f"Bearer {made_up()}"})
        statuses.append(answer.status_code)
        if answer.status_code == 429:
            assert 1 <= int(answer.headers["Retry-After"]) <= 60
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429] * (300 - LIMIT)
    throttled = [r for r in caplog.records if "authentication throttled" in r.getMessage()]
    assert len(throttled) == 1, "logged once per burst"
    metrics = app.metrics.registry.get_sample_value
    assert metrics("grid_auth_throttled_total", {"by": "address"}) == 300 - LIMIT

    # Even the good token is held back at the throttled address; elsewhere it is not.
    assert attacker.get("/api/v1/units/350206002008/queue", headers=bearer(good)).status_code == 429
    answer = neighbour.get("/api/v1/units/350206002008/queue", headers=bearer(good))
    assert answer.status_code == 200, answer.text
    listed = SqlTokenStore(app.engine, app.clock).list()
    assert [t.last_used_at is not None for t in listed] == [True]


def test_one_token_prefix_guessed_from_many_addresses_is_throttled(
    app: App, served: FastAPI
) -> None:
    api = served
    holder, _ = SqlTokenStore(app.engine, app.clock).create("网格员", Role.OPERATOR)
    guessed = f"grt_{holder.prefix}_{secrets.token_urlsafe(32)}"
    statuses = []
    for i in range(LIMIT + 5):
        client = TestClient(api, raise_server_exceptions=False, client=(f"192.0.2.{i}", 4000))
        statuses.append(client.get("/api/v1/units/350206002008/queue", headers=bearer(guessed)))
    assert [a.status_code for a in statuses] == [401] * LIMIT + [429] * 5
    assert "token prefix" in statuses[-1].json()["error"]["message"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
