"""Open311 as its clients read it: two GeoReport v2 client libraries from PyPI, unmodified
(civicbot's `Open311Client`, which posts form-encoded requests and reads JSON, and georeport's
`GeoReport`, which reads JSON and XML and never sends an api_key), against `grid-router api`'s
application on a real HTTP port, the real broker, a running router and both databases.

A citizen app posts with its api_key and follows the request without one, in JSON and XML, and
sees the public view: no reporter, no text, no coordinates, the community as the address. A
category the policy does not mark public is not shown without a key, and the 404 is the one an
unknown id gets, byte for byte. No library posts XML, so that post is made by hand and read
with xmltodict, as georeport reads XML.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import xmltodict
from civicbot.http import HttpError, HttpTransport, RateLimiter
from civicbot.open311 import Open311Client
from civicbot.registry import Endpoint
from georeport import GeoReport
from requests import HTTPError

from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.bridges_reference.runner import ReferenceServer
from grid_router.service.auth import Role
from tests.integration.api_helpers import running_router, wait_for
from tests.integration.kafka_helpers import make_app

pytestmark = pytest.mark.integration

GARBAGE = "CITY_MGMT.GARBAGE_BIN_OVERFLOW"
THEFT = "PUBLIC_SECURITY.THEFT"
PLACE = "湖里区殿前街道高殿社区居委会"
POSTED = {
    "lat": 24.5051,
    "lng": 118.1302,
    "address_string": "湖里区殿前街道高殿社区兴华路5号",
    "description": "小区门口垃圾桶满了，好几天没人清运",
    "first_name": "小梅",
    "last_name": "林",
    "phone": "139 0000 1234",
}
PRIVATE = ("林", "小梅", "1234", "兴华路", "垃圾桶满了", "24.5051", "118.1302")


def _shown(request: dict[str, Any]) -> str:
    return repr(request)


@pytest.fixture
def served(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> Iterator[tuple[str, str]]:
    """(Open311 base URL, a bridge token) of the API on a real port, with a router running."""
    app = make_app(kafka_bootstrap, database_url, topic_prefix, photo_dir=tmp_path / "photos")
    try:
        token = SqlTokenStore(app.engine, app.clock).create("i厦门", Role.BRIDGE)[1]
        with running_router(app), ReferenceServer(app.api()) as server:
            yield f"{server.url}/open311/v2", token
    finally:
        app.close()


def _civicbot(base: str, fmt: str = "json") -> Open311Client:
    endpoint = Endpoint(id="xiamen", name="厦门", base_url=base, write=True)
    # Its politeness delay between calls to one host is for public servers, not this one.
    transport = HttpTransport(rate_limiter=RateLimiter(min_interval=0.0))
    return Open311Client(endpoint, transport=transport, fmt=fmt)


def _followed(what: str, read: Any) -> Any:
    """What `read()` gives once the router has filed the request (404 until then)."""

    def probe() -> Any:
        try:
            return read()
        except HttpError as exc:
            if exc.status != 404:
                raise
        except HTTPError as exc:
            if exc.response is None or exc.response.status_code != 404:
                raise
        return None

    return wait_for(what, probe, timeout=60)


def test_client_libraries_post_and_follow_in_json_and_xml(served: tuple[str, str]) -> None:
    base, bridge = served
    civic = _civicbot(base)
    services = civic.list_services()
    assert GARBAGE in {s["service_code"] for s in services}

    prepared = civic.create_request(
        GARBAGE, dry_run=False, confirm="SEND", api_key=bridge, **POSTED
    )
    ((created,),) = [prepared.response]
    request_id = created["service_request_id"]

    # Followed without a key, as the libraries do: the public view.
    seen = _followed("the request filed", lambda: civic.get_request(request_id))
    assert seen["service_request_id"] == request_id
    assert (seen["status"], seen["service_code"]) == ("open", GARBAGE)
    assert seen["status_notes"].startswith("您反映的问题已派遣至高殿社区居委会")
    assert seen["agency_responsible"].startswith("高殿社区居委会")
    assert (seen["address"], seen["description"], seen["lat"], seen["long"]) == (
        PLACE,
        None,
        None,
        None,
    )
    assert not [p for p in PRIVATE if p in _shown(seen)]

    as_json = GeoReport(base).get_service_request(request_id)
    assert as_json == seen
    as_xml = GeoReport(base, output_format="xml").get_service_request(request_id)
    assert (as_xml["service_request_id"], as_xml["status"], as_xml["address"]) == (
        request_id,
        "open",
        PLACE,
    )
    assert as_xml["status_notes"] == seen["status_notes"]
    assert as_xml["description"] is None  # an empty element
    listed = GeoReport(base).get_service_requests(status="open", service_code=GARBAGE)
    assert [r["service_request_id"] for r in listed] == [request_id]
    xml_services = GeoReport(base, output_format="xml").get_service_list()
    assert GARBAGE in {s["service_code"] for s in xml_services}

    # A key widens the view to its scope: the bridge sees the text and the place it gave.
    keyed = httpx.get(f"{base}/requests/{request_id}.json", params={"api_key": bridge}).json()
    assert (keyed[0]["description"], keyed[0]["lat"]) == (POSTED["description"], 24.5051)

    # Posting in XML (by hand: no client library does it), then following with georeport.
    form = {
        "service_code": GARBAGE,
        "address_string": POSTED["address_string"],
        "description": "路灯下的垃圾桶倒了",
        "api_key": bridge,
    }
    posted = httpx.post(f"{base}/requests.xml", data=form)
    assert posted.status_code == 201, posted.text
    xml_id = xmltodict.parse(posted.content)["service_requests"]["request"]["service_request_id"]
    xml_client = GeoReport(base, output_format="xml")
    followed = _followed("the XML request filed", lambda: xml_client.get_service_request(xml_id))
    assert (followed["service_request_id"], followed["address"]) == (xml_id, PLACE)
    both = GeoReport(base).get_service_requests(service_request_id=f"{request_id},{xml_id}")
    assert {r["service_request_id"] for r in both} == {request_id, xml_id}


def test_a_category_not_public_is_hidden_without_a_key(served: tuple[str, str]) -> None:
    base, bridge = served
    civic = _civicbot(base)
    prepared = civic.create_request(
        THEFT,
        dry_run=False,
        confirm="SEND",
        api_key=bridge,
        address_string="湖里区殿前街道高殿社区兴华路5号",
        description="电动车电瓶被偷了",
    )
    request_id = prepared.response[0]["service_request_id"]
    url = f"{base}/requests/{request_id}.json"
    wait_for(
        "the theft filed",
        lambda: True if httpx.get(url, params={"api_key": bridge}).status_code == 200 else None,
    )
    for fmt in ("json", "xml"):
        hidden = httpx.get(f"{base}/requests/{request_id}.{fmt}")
        unknown = httpx.get(f"{base}/requests/{request_id[:-4]}abcd.{fmt}")
        assert hidden.status_code == unknown.status_code == 404
        assert hidden.content.replace(request_id.encode(), b"ID") == unknown.content.replace(
            f"{request_id[:-4]}abcd".encode(), b"ID"
        )
    with pytest.raises(HTTPError) as raised:
        GeoReport(base).get_service_request(request_id)
    assert raised.value.response is not None
    assert raised.value.response.status_code == 404
    assert GeoReport(base).get_service_requests(service_code=THEFT) == []
    assert [r["service_request_id"] for r in civic.list_requests(service_code=THEFT)] == []
