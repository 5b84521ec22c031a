"""Schemathesis against the OpenAPI document the API serves (GET /openapi.json of the in-process
ASGI application), on the session broker: for every operation, generated requests (valid and
invalid) never get a server error, and every answer has a documented status code and content
type and matches the schema of that status.

Authenticated as an operator, who may call every operation. POST /api/v1/reports really sends
to Kafka. An incident and a photo exist beforehand, and the operations that read them are also
called on those, so that their 200 answers are validated too (generated ids find nothing).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTERED
from schemathesis.checks import load_all_checks
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance
from starlette.types import ASGIApp, Receive, Scope, Send

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.kafka.launcher import LocalKafka
from grid_router.entrypoints.api.openapi import openapi_document
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import Role
from tests.integration.api_helpers import COMMUNITY, GRID, Api, api_for, bearer, tiny_png

pytestmark = [
    pytest.mark.integration,
    # Schemathesis draws from `random` inside its strategies (its concern, not ours).
    pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies"),
]

load_all_checks()
CHECKS: list[Any] = list(REGISTERED.get_all())
"""Every check (`--checks all`): no 5xx; documented statuses, types, headers and schemas;
schema-valid requests accepted and schema-violating ones refused; 405s with `Allow`."""
NOT_EXPRESSIBLE = {
    # A photo's bytes must decode as a JPEG, PNG or WebP image, which no schema can say.
    ("POST", "/api/v1/photos"): [positive_data_acceptance],
}


class Proxy:
    """The ASGI application under test: the API that the `served` fixture builds on the test
    broker and database. Schemathesis reads the document when this module is imported, before
    any fixture runs (its lazy `from_fixture` loader does not work on pytest 9.2: it sets
    `Node._nodeid`, which pytest no longer has), so until then only GET /openapi.json is
    answered, with `openapi_document()`; the fixture checks that the real API serves exactly
    that document."""

    def __init__(self) -> None:
        self.target: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.target is not None:
            await self.target(scope, receive, send)
            return
        assert scope["type"] == "http", scope["type"]
        assert scope["path"] == "/openapi.json", "the API is not served yet"
        body = json.dumps(openapi_document()).encode()
        headers = [(b"content-type", b"application/json")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


APP = Proxy()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@dataclass
class Served:
    api: Api
    headers: dict[str, str]  # an operator's
    dispatcher: dict[str, str]  # the dispatch centre of COMMUNITY
    event_id: str
    photo: str


@pytest.fixture(scope="module")
def served(local_kafka: LocalKafka, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The API on the session broker and a fresh SQLite database (the read models' SQL runs on
    both databases in the other API tests), with an operator token, one filed incident and one
    photo; shared by every operation of this module."""
    tmp = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{tmp / 'grid.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    prefix = f"t{uuid.uuid4().hex[:10]}."
    with api_for(local_kafka.start(timeout=180), url, prefix, tmp) as api:
        served = api.client.get("/openapi.json")
        assert served.status_code == 200
        assert served.json() == schema.raw_schema, "the API serves another document"
        headers = bearer(api.token(Role.OPERATOR, rate=1_000_000))
        # Schemathesis also sends made-up credentials, from one address: the throttle of failed
        # authentication (test_auth_throttle.py) would answer the rest of the run 429.
        api.api.state.auth_throttle = AuthThrottle(1_000_000)
        report = {
            "description": "5号楼门口垃圾满溢",
            "grid_code": GRID,
            "category_code": "CITY_MGMT",
        }
        answer = api.client.post("/api/v1/reports", json=report, headers=headers)
        assert answer.status_code == 202, answer.text
        assert api.file_reports().applied == 1
        files = {"photo": ("a.png", tiny_png(), "image/png")}
        photo = api.client.post("/api/v1/photos", files=files, headers=headers)
        assert photo.status_code == 201, photo.text
        APP.target = api.api
        try:
            yield Served(
                api,
                headers,
                bearer(api.token(Role.DISPATCHER, unit=COMMUNITY, rate=1_000_000)),
                answer.json()["event_id"],
                photo.json()["sha256"],
            )
        finally:
            APP.target = None


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
@schema.parametrize()
def test_every_operation_conforms_to_the_served_document(case: Any, served: Served) -> None:
    excluded = list(NOT_EXPRESSIBLE.get((case.method.upper(), case.path), []))
    if case.method.upper() == "GET":
        # A read ignores a query parameter it does not know ("?=null"): OpenAPI 3.1 cannot
        # declare that undeclared query parameters are refused, so a "schema-violating
        # request accepted" there is no contract mismatch. Reads' declared parameters are still
        # checked by every positive check and by the 422s of the other cases.
        excluded.append(negative_data_rejection)
    case.call_and_validate(headers=served.headers, checks=CHECKS, excluded_checks=excluded)


def test_answers_about_a_real_incident_conform(served: Served) -> None:
    """The operations that read what exists, called on what exists: their 200s (and a 409)
    validated against the document too."""
    event = {"event_id": served.event_id}
    calls: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
        ("/api/v1/events/{event_id}", "GET", {"path_parameters": event}, served.headers),
        ("/api/v1/units/{unit_code}/queue", "GET",
         {"path_parameters": {"unit_code": COMMUNITY}}, served.headers),
        ("/api/v1/units/{unit_code}/queue", "GET",
         {"path_parameters": {"unit_code": COMMUNITY}, "query": {"kind": "INFO_COPY"}},
         served.dispatcher),
        ("/api/v1/photos/{sha256}", "GET", {"path_parameters": {"sha256": served.photo}},
         served.headers),
        ("/api/v1/events/{event_id}/actions", "POST",
         {"path_parameters": event, "body": {"action": "CLOSE"}}, served.headers),
        ("/api/v1/events/{event_id}/actions", "POST",
         {"path_parameters": event, "body": {"action": "SIGN"}}, served.dispatcher),
    ]  # fmt: skip
    statuses = []
    for path, method, parts, headers in calls:
        case = schema[path][method].Case(**parts)
        statuses.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)
    assert statuses == [200, 200, 200, 200, 409, 202]
