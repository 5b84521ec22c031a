"""Open311 GeoReport v2 end to end, on the real broker and both databases: a citizen app posts a
request (form-encoded, api_key), the router files it, and the app follows it in JSON and XML;
and the spec's errors, with nothing sent to Kafka."""

from __future__ import annotations

import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.bootstrap import App
from grid_router.service.auth import Role
from tests.integration.kafka_helpers import make_app, read_all

pytestmark = pytest.mark.integration

GARBAGE = "CITY_MGMT.GARBAGE_BIN_OVERFLOW"
COMMUNITY = "350206002008"  # 高殿社区, 殿前街道, 湖里区
OTHER_COMMUNITY = "350203001001"  # 鸿山社区, 思明区
FORM = {
    "service_code": GARBAGE,
    "address_string": "湖里区殿前街道高殿社区兴华路5号",
    "lat": "24.5051",
    "long": "118.1302",
    "description": "小区门口垃圾桶满了，好几天没人清运",
    "first_name": "小梅",
    "last_name": "林",
    "phone": "139 0000 1234",
}


@dataclass
class Open311:
    app: App
    client: TestClient
    tokens: SqlTokenStore

    def token(self, role: Role, name: str, unit: str | None = None) -> str:
        return self.tokens.create(name, role, unit)[1]

    def reports_sent(self) -> int:
        return len(read_all(self.app.settings.kafka_bootstrap, self.app.topics.reports, 0.2))


@pytest.fixture
def open311(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> Iterator[Open311]:
    app = make_app(kafka_bootstrap, database_url, topic_prefix, photo_dir=tmp_path / "photos")
    try:
        with TestClient(app.api(), raise_server_exceptions=False) as client:
            yield Open311(app, client, SqlTokenStore(app.engine, app.clock))
    finally:
        app.close()


def poll(client: TestClient, url: str, params: dict[str, str], timeout: float = 60) -> Any:
    """GET `url` until it answers 200 (the router has filed the request), or fail."""
    deadline = time.monotonic() + timeout
    answer = client.get(url, params=params)
    while answer.status_code == 404 and time.monotonic() < deadline:
        time.sleep(0.1)
        answer = client.get(url, params=params)
    assert answer.status_code == 200, answer.text
    return answer


def test_a_citizen_request_is_filed_and_followed(open311: Open311) -> None:
    app, client = open311.app, open311.client
    bridge = open311.token(Role.BRIDGE, "i厦门")
    worker = app.router_worker(relay_in_process=False)
    thread = threading.Thread(target=worker.run, name="router", daemon=True)
    thread.start()
    try:
        posted = client.post("/open311/v2/requests.json", data={**FORM, "api_key": bridge})
        assert posted.status_code == 201, posted.text
        (created,) = posted.json()
        request_id = created["service_request_id"]
        assert created["account_id"] is None
        assert created["service_notice"]

        answer = poll(client, f"/open311/v2/requests/{request_id}.json", {"api_key": bridge})
    finally:
        worker.stop()
        thread.join(60)
    assert not thread.is_alive(), "the router did not stop"

    (found,) = answer.json()
    assert found["service_request_id"] == request_id
    assert found["status"] == "open"
    assert found["status_notes"].startswith("您反映的问题已派遣至高殿社区居委会")
    assert found["agency_responsible"].startswith("高殿社区居委会")
    assert (found["service_code"], found["description"]) == (GARBAGE, FORM["description"])
    assert found["address"] == FORM["address_string"]
    assert (found["lat"], found["long"]) == (24.5051, 118.1302)
    assert found["requested_datetime"].endswith("+08:00")
    assert found["media_url"] is None

    as_xml = client.get(f"/open311/v2/requests/{request_id}.xml", params={"api_key": bridge})
    assert as_xml.headers["content-type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(as_xml.content)
    assert root.tag == "service_requests"
    assert root[0].findtext("service_request_id") == request_id
    assert root[0].findtext("status") == "open"
    assert root[0].findtext("status_notes") == found["status_notes"]

    def listed(**params: str) -> list[str]:
        got = client.get("/open311/v2/requests.json", params={**params, "api_key": bridge})
        assert got.status_code == 200, got.text
        return [r["service_request_id"] for r in got.json()]

    assert listed() == [request_id]
    assert listed(status="open", service_code=GARBAGE) == [request_id]
    assert listed(status="closed") == []
    assert listed(service_code="FIRE.ACTIVE_FIRE") == []
    assert listed(service_request_id=f"{request_id},nope", status="closed") == [request_id]

    # The unit holding it sees it in full; another unit only the public view (urban management
    # is a public category; test_open311_clients.py covers a category that is not).
    holder = open311.token(Role.DISPATCHER, "高殿", COMMUNITY)
    stranger = open311.token(Role.DISPATCHER, "鸿山", OTHER_COMMUNITY)
    url = f"/open311/v2/requests/{request_id}.json"
    held = client.get(url, headers={"Authorization": f"Bearer {holder}"})
    assert held.json()[0]["description"] == FORM["description"]
    (public,) = client.get(url, params={"api_key": stranger}).json()
    assert (public["description"], public["lat"]) == (None, None)
    assert public["address"] == "湖里区殿前街道高殿社区居委会"
    street_verifier = open311.tokens.create("殿前核查", Role.VERIFIER, COMMUNITY[:9])[1]
    grid_worker = open311.tokens.create("网格员", Role.GRID_WORKER, grids=[COMMUNITY])[1]
    for token in (street_verifier, grid_worker):
        seen = client.get("/open311/v2/requests.json", params={"api_key": token})
        assert [r["service_request_id"] for r in seen.json()] == [request_id]
    elsewhere = open311.tokens.create("鸿山网格员", Role.GRID_WORKER, grids=[OTHER_COMMUNITY])[1]
    beyond = client.get("/open311/v2/requests.json", params={"api_key": elsewhere}).json()
    assert [(r["service_request_id"], r["description"]) for r in beyond] == [(request_id, None)]

    # The reporter's name and phone are masked in the status view.
    event = client.get(
        f"/api/v1/events/{request_id}", headers={"Authorization": f"Bearer {bridge}"}
    )
    reporter = event.json()["reporter"]
    assert (reporter["role"], reporter["name"], reporter["phone"]) == (
        "citizen",
        "林*梅",
        "139****1234",
    )
    assert event.json()["source"] == "OPEN311"


def test_the_spec_errors_send_nothing(open311: Open311) -> None:
    client = open311.client
    bridge = open311.token(Role.BRIDGE, "i厦门")
    dispatcher = open311.token(Role.DISPATCHER, "高殿", COMMUNITY)

    def post(fmt: str, **form: str) -> httpx.Response:
        answer: httpx.Response = client.post(f"/open311/v2/requests.{fmt}", data=form)
        return answer

    bad_key = post("json", **FORM, api_key="grt_00000000_" + "x" * 43)
    assert bad_key.status_code == 401
    ((code, said),) = [(e["code"], e["description"]) for e in bad_key.json()]
    assert code == 401
    assert "not valid" in said
    bad_key_xml = post("xml", **FORM, api_key="nope")
    assert bad_key_xml.status_code == 401
    error = ET.fromstring(bad_key_xml.content)
    assert (error.tag, error[0].tag, error[0].findtext("code")) == ("errors", "error", "401")
    no_code = post("json", **{k: v for k, v in FORM.items() if k != "service_code"}, api_key=bridge)
    assert no_code.status_code == 400
    ((code, said),) = [(e["code"], e["description"]) for e in no_code.json()]
    assert (code, said.split(":")[0]) == (400, "service_code"), said
    unknown = post("xml", **{**FORM, "service_code": "FIRE.NOPE"}, api_key=bridge)
    assert unknown.status_code == 404
    assert "FIRE.NOPE" in (ET.fromstring(unknown.content)[0].findtext("description") or "")
    nowhere = post("json", service_code=GARBAGE, api_key=bridge)
    assert nowhere.status_code == 400
    assert post("json", **FORM, api_key=dispatcher).status_code == 403
    assert client.get("/open311/v2/requests.json", params={"api_key": "nope"}).status_code == 401
    assert client.get("/open311/v2/requests.json", params={"api_key": bridge}).json() == []

    assert open311.reports_sent() == 0
