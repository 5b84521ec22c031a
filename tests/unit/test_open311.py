"""Open311 GeoReport v2 (entrypoints/api/open311.py) without a database or Kafka: the service
list from the real taxonomy, the XML, the error shapes, the status mapping, and the HTTP layer
on fake tokens and a fake report desk."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from fastapi.testclient import TestClient
from kafka.errors import KafkaTimeoutError

from grid_router.adapters.db.open311_queries import RequestRecord
from grid_router.adapters.db.views import Deadline
from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import GeoPoint, IncidentReport, State
from grid_router.entrypoints.api.app import ApiParts, create_api
from grid_router.entrypoints.api.open311_spec import (
    CST,
    Catalogue,
    Open311Error,
    RequestForm,
    ServiceOut,
    agency,
    clean_phone,
    date_range,
    error_response,
    parse_datetime,
    report_from,
    reporter_name,
    request_out,
    service_status,
    services_of,
    split_list,
    to_xml,
)
from grid_router.policy.taxonomy import load_default_taxonomy
from grid_router.service.auth import Principal, Role
from grid_router.service.desk import Submitted

NOW = datetime(2026, 5, 9, 7, 30, tzinfo=UTC)
GARBAGE = "CITY_MGMT.GARBAGE_BIN_OVERFLOW"
SERVICE_KEYS = [
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
]  # fmt: skip
REQUEST_KEYS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "lat", "long", "media_url",
]  # fmt: skip


def catalogue() -> Catalogue:
    return Catalogue(load_default_taxonomy())


# --- the service list ------------------------------------------------------------------------


def test_every_subcategory_of_the_taxonomy_is_a_service() -> None:
    taxonomy = load_default_taxonomy()
    services = services_of(taxonomy)
    subs = [(s, c) for c in taxonomy.categories for s in c.subcategories]
    assert [s.service_code for s in services] == [s.code for s, _ in subs]
    for service, (sub, category) in zip(services, subs, strict=True):
        assert list(service.model_dump()) == SERVICE_KEYS
        assert service.service_name == sub.name
        assert service.group == category.name
        assert service.metadata is False
        assert service.type == "realtime"
        assert sub.name in (service.description or "")
        keywords = (service.keywords or "").split(", ")
        assert 1 <= len(keywords) <= 5
        assert all(k in sub.keywords for k in keywords)


def test_a_city_management_service_names_its_digital_city_class() -> None:
    found = catalogue().service(GARBAGE)
    assert found is not None
    garbage = next(s for s in catalogue().services if s.service_code == GARBAGE)
    assert garbage.group == "城市管理"
    assert garbage.description == f"城市管理（{found[0].group}）：{found[0].name}"


# --- XML ---------------------------------------------------------------------------------------


def test_services_as_xml_follow_the_spark_convention() -> None:
    service = ServiceOut(
        service_code="FIRE.ACTIVE_FIRE", service_name="火灾", description=None, metadata=False,
        type="realtime", keywords="着火, 起火", group="消防安全",
    )  # fmt: skip
    data = to_xml("services", [service, service])
    assert data.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<services>')
    root = ET.fromstring(data)
    assert [e.tag for e in root] == ["service", "service"]
    first = root[0]
    assert [e.tag for e in first] == SERVICE_KEYS
    assert first.findtext("metadata") == "false"
    assert first.findtext("keywords") == "着火, 起火"
    assert b"<description />" in data  # null: an empty element


def test_xml_escapes_markup_and_drops_characters_xml_cannot_carry() -> None:
    data = to_xml("errors", [{"code": 400, "description": "<b>&\x00\x1b \ud800ok</b>"}])
    root = ET.fromstring(data)
    assert root[0].tag == "error"
    assert root[0].findtext("description") == "<b>& ok</b>"
    assert root[0].findtext("code") == "400"


def test_nested_lists_and_times_in_xml() -> None:
    moment = datetime(2026, 5, 9, 15, 30, tzinfo=CST)
    data = to_xml("service_definition", {"service_code": GARBAGE, "attributes": [], "at": moment})
    root = ET.fromstring(data)
    assert root.findtext("service_code") == GARBAGE
    attributes = root.find("attributes")
    assert attributes is not None
    assert len(attributes) == 0
    assert root.findtext("at") == "2026-05-09T15:30:00+08:00"


# --- errors ------------------------------------------------------------------------------------


def test_error_shapes_in_both_formats() -> None:
    json_answer = error_response(400, ["service_code was not provided"], "json")
    assert json_answer.status_code == 400
    assert json_answer.body == b'[{"code":400,"description":"service_code was not provided"}]'
    xml_answer = error_response(403, ["a", "b"], "xml", {"WWW-Authenticate": "Bearer"})
    assert xml_answer.status_code == 403
    assert xml_answer.headers["content-type"] == "text/xml; charset=utf-8"
    assert xml_answer.headers["www-authenticate"] == "Bearer"
    root = ET.fromstring(bytes(xml_answer.body))
    assert root.tag == "errors"
    assert [(e.findtext("code"), e.findtext("description")) for e in root] == [
        ("403", "a"),
        ("403", "b"),
    ]


# --- status, names, arguments --------------------------------------------------------------


@pytest.mark.parametrize("state", list(State))
def test_only_closed_voided_and_merged_are_closed(state: State) -> None:
    closed = state in (State.CLOSED, State.VOIDED, State.MERGED)
    assert service_status(state.value) == ("closed" if closed else "open")


def test_agency_names_the_unit_and_its_department() -> None:
    assert agency("殿前街道", "城管科") == "殿前街道（城管科）"
    assert agency("殿前街道", "殿前街道") == "殿前街道"
    assert agency("殿前街道", None) == "殿前街道"


@pytest.mark.parametrize(
    ("first", "last", "name"),
    [
        ("小梅", "林", "林小梅"),
        ("John", "Smith", "John Smith"),
        ("小梅", None, "小梅"),
        ("  ", " 林 ", "林"),
        (None, None, None),
    ],
)
def test_reporter_name_puts_a_chinese_family_name_first(
    first: str | None, last: str | None, name: str | None
) -> None:
    assert reporter_name(first, last) == name


def test_phone_numbers_are_cleaned_or_refused() -> None:
    assert clean_phone("(0592) 123.4567") == "05921234567"
    assert clean_phone("+86 139-0000-1234") == "+86139-0000-1234"
    assert clean_phone("  ") is None
    with pytest.raises(ValueError, match="call me"):
        clean_phone("call me")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-05-01T00:00:00Z", datetime(2026, 5, 1, tzinfo=UTC)),
        ("2026-05-01T08:00:00+08:00", datetime(2026, 5, 1, tzinfo=UTC)),
        ("2026-05-01T08:00:00 08:00", datetime(2026, 5, 1, tzinfo=UTC)),  # "+" unencoded
        ("2026-05-01T08:00:00", datetime(2026, 5, 1, tzinfo=UTC)),  # Xiamen time
        ("2026-05-01", datetime(2026, 4, 30, 16, tzinfo=UTC)),
        (None, None),
    ],
)
def test_dates_are_w3_date_times(text: str | None, expected: datetime | None) -> None:
    assert parse_datetime(text, "start_date") == expected


def test_a_bad_date_is_a_400_naming_the_argument() -> None:
    with pytest.raises(Open311Error) as caught:
        parse_datetime("yesterday", "end_date")
    assert caught.value.status == 400
    assert "end_date" in caught.value.descriptions[0]
    with pytest.raises(Open311Error):
        parse_datetime("", "end_date")  # the document says date-time; an empty one is not


def test_the_date_range_is_at_most_90_days_and_never_an_error() -> None:
    days90 = timedelta(days=90)
    assert date_range(None, None, NOW) == (NOW - days90, NOW)
    assert date_range(NOW, None, NOW) == (NOW, NOW + days90)
    assert date_range(None, NOW, NOW) == (NOW - days90, NOW)
    assert date_range(NOW - days90, NOW, NOW) == (NOW - days90, NOW)
    # No schema can say that one argument comes before another: a longer span is cut to its
    # last 90 days, and a start after the end is answered with what lies between, nothing.
    assert date_range(NOW - days90 - timedelta(seconds=1), NOW, NOW) == (NOW - days90, NOW)
    assert date_range(NOW, NOW - timedelta(1), NOW) == (NOW, NOW - timedelta(1))


def test_comma_lists_drop_blanks_and_repeats() -> None:
    assert split_list(" a, ,b,a,") == ["a", "b"]
    assert split_list(None) == []


# --- POST requests: what report it makes --------------------------------------------------


def make_report(**fields: Any) -> IncidentReport:
    form = RequestForm(**{"service_code": GARBAGE, "address_string": "兴华路5号", **fields})
    return report_from(form, catalogue(), "open311:i厦门", NOW, "json")


def test_a_request_becomes_a_citizens_open311_report() -> None:
    report = make_report(
        lat=24.5, long=118.1, description=" 垃圾桶满了 ", first_name="小梅", last_name="林",
        phone="139 0000 1234", email="lin@example.com", device_id="dev-1",
        media_url="https://example.com/a.jpg",
        sent={"attribute[COLOUR]": ["green"], "attribute[BINS][]": ["1", "2"], "x": ["y"]},
    )  # fmt: skip
    assert report.source == "OPEN311"
    assert report.reported_at == NOW
    assert (report.reporter.role, report.reporter.name) == ("citizen", "林小梅")
    assert report.reporter.phone == "13900001234"
    assert report.reporter.id == "open311:i厦门"
    assert (report.category_code, report.subcategory_code) == ("CITY_MGMT", GARBAGE)
    assert report.description == "垃圾桶满了"
    assert report.title == catalogue().subcategories[GARBAGE][0].name
    assert report.address == "兴华路5号"
    assert report.location == GeoPoint(24.5, 118.1)
    assert [p.url for p in report.photos] == ["https://example.com/a.jpg"]
    assert report.attributes == {
        "COLOUR": "green",
        "BINS": "1,2",
        "open311.email": "lin@example.com",
        "open311.device_id": "dev-1",
    }


def test_without_a_description_the_service_name_describes_it() -> None:
    report = make_report(account_id="acct-7")
    assert report.description == catalogue().subcategories[GARBAGE][0].name
    assert report.reporter.id == "acct-7"
    assert report.location is None


@pytest.mark.parametrize(
    ("fields", "status", "said"),
    [
        ({"service_code": None}, 400, "service_code was not provided"),
        ({"service_code": " "}, 400, "service_code was not provided"),
        ({"service_code": "FIRE.NOPE"}, 404, "service_code FIRE.NOPE was not found"),
        ({"address_string": None}, 400, "a location is required"),
        ({"address_string": None, "address_id": "A-1"}, 400, "address_id is not supported"),
        ({"lat": 24.5}, 400, "lat and long must be sent together"),
        ({"phone": "call me"}, 400, "phone:"),
        ({"media_url": "ftp://x"}, 400, "media_url:"),
        ({"sent": {"attribute[a b]": ["x"]}}, 400, "attribute[a b]:"),
    ],
)
def test_bad_requests_are_refused_as_the_spec_says(
    fields: dict[str, Any], status: int, said: str
) -> None:
    with pytest.raises(Open311Error) as caught:
        make_report(**fields)
    assert caught.value.status == status
    assert said in caught.value.descriptions[0]


def test_every_bad_argument_is_named_at_once() -> None:
    with pytest.raises(Open311Error) as caught:
        make_report(address_string=None, phone="x", media_url="mailto:a")
    assert len(caught.value.descriptions) == 3


# --- GET requests: one incident as a service request ----------------------------------------


def incident(**fields: Any) -> SimpleNamespace:
    row: dict[str, Any] = {
        "event_id": "e-1", "state": "SIGNED", "category_code": "CITY_MGMT",
        "category_name": "城市管理", "subcategory_code": GARBAGE, "unit_code": "350206002008",
        "unit_name": "高殿社区居委会", "department": "环卫", "grid_code": None,
        "community_code": "350206002008", "title": None, "description": "垃圾桶满了",
        "address": "兴华路5号", "lat": 24.5, "lon": 118.1, "reported_at": NOW,
        "updated_at": NOW + timedelta(minutes=5), "closed_at": None, "merged_into": None,
    }  # fmt: skip
    return SimpleNamespace(**{**row, **fields})


def test_an_open_incident_as_a_service_request() -> None:
    handle_by = NOW + timedelta(hours=4, microseconds=5)
    deadlines = (
        Deadline("handle", "WARNING", NOW + timedelta(hours=3)),
        Deadline("handle", "RED", handle_by),
    )
    out = request_out(RequestRecord(incident(), deadlines), catalogue())
    dumped = out.model_dump(mode="json")
    assert list(dumped) == REQUEST_KEYS
    assert dumped["status"] == "open"
    assert dumped["status_notes"] == (
        "高殿社区居委会（环卫）已签收您反映的问题，正在处理，应于2026-05-09 19:30前办结。"
    )
    assert dumped["agency_responsible"] == "高殿社区居委会（环卫）"
    assert (dumped["service_code"], dumped["service_name"]) == (
        GARBAGE,
        catalogue().subcategories[GARBAGE][0].name,
    )
    assert dumped["requested_datetime"] == "2026-05-09T15:30:00+08:00"
    assert dumped["updated_datetime"] == "2026-05-09T15:35:00+08:00"
    assert dumped["expected_datetime"] == "2026-05-09T19:30:00+08:00"
    assert (dumped["lat"], dumped["long"], dumped["media_url"]) == (24.5, 118.1, None)


def test_a_merged_incident_is_closed_and_says_where_it_went() -> None:
    closed_at = NOW + timedelta(minutes=1)
    row = incident(state="MERGED", merged_into="e-0", closed_at=closed_at, subcategory_code=None)
    out = request_out(RequestRecord(row, ()), catalogue())
    assert out.status == "closed"
    assert "e-0" in (out.status_notes or "")
    assert out.updated_datetime == closed_at
    assert (out.service_code, out.service_name) == ("CITY_MGMT", "城市管理")
    assert out.expected_datetime is None


# --- the HTTP layer, on fakes ---------------------------------------------------------------

TOKENS = {
    "bridge": Principal("t1", "aaaaaaaa", "i厦门", Role.BRIDGE, None),
    "operator": Principal("t2", "bbbbbbbb", "ops", Role.OPERATOR, None),
    "worker": Principal(
        "t3", "cccccccc", "gw", Role.GRID_WORKER, None, frozenset({"350206002008"})
    ),
}


class FakeTokens:
    def authenticate(self, token: str) -> Principal | None:
        return TOKENS.get(token)


class FakeDesk:
    def __init__(self) -> None:
        self.reports: list[IncidentReport] = []
        self.fail: Exception | None = None

    def submit(
        self, who: Principal, report: IncidentReport, sent: dict[str, Any], key: str | None
    ) -> Submitted:
        if self.fail is not None:
            raise self.fail
        assert "api_key" not in sent
        self.reports.append(report)
        return Submitted(report.event_id, replayed=False)


@pytest.fixture
def desk() -> FakeDesk:
    return FakeDesk()


@pytest.fixture
def client(desk: FakeDesk) -> Iterator[TestClient]:
    nothing: Any = None
    reports: Any = desk
    parts = ApiParts(
        engine=nothing, org=load_default_organisation(), tokens=FakeTokens(), reports=reports,
        actions=nothing,
        photos=nothing, clock=lambda: NOW, max_body_bytes=100_000, max_photo_bytes=1000,
        taxonomy=load_default_taxonomy(),
    )  # fmt: skip
    with TestClient(create_api(parts), raise_server_exceptions=False) as c:
        yield c


FORM = {"service_code": GARBAGE, "address_string": "湖里区殿前街道高殿社区兴华路5号"}


def test_services_in_json_and_xml(client: TestClient) -> None:
    as_json = client.get("/open311/v2/services.json")
    assert as_json.status_code == 200
    assert len(as_json.json()) == len(catalogue().services)
    assert list(as_json.json()[0]) == SERVICE_KEYS
    as_xml = client.get("/open311/v2/services.xml")
    assert as_xml.headers["content-type"] == "text/xml; charset=utf-8"
    assert len(ET.fromstring(as_xml.content)) == len(catalogue().services)


def test_a_service_definition_and_an_unknown_service(client: TestClient) -> None:
    found = client.get(f"/open311/v2/services/{GARBAGE}.json")
    assert found.json() == {"service_code": GARBAGE, "attributes": []}
    as_xml = ET.fromstring(client.get(f"/open311/v2/services/{GARBAGE}.xml").content)
    assert as_xml.tag == "service_definition"
    missing = client.get("/open311/v2/services/NOPE.json")
    assert missing.status_code == 404
    assert missing.json() == [{"code": 404, "description": "service_code NOPE was not found"}]
    assert client.get("/open311/v2/services/NOPE.xml").content.startswith(b"<?xml")


def test_posting_a_request_answers_201_with_its_id(client: TestClient, desk: FakeDesk) -> None:
    answer = client.post("/open311/v2/requests.json", data={**FORM, "api_key": "bridge"})
    assert answer.status_code == 201, answer.text
    (report,) = desk.reports
    assert answer.json() == [
        {
            "service_request_id": report.event_id,
            "service_notice": answer.json()[0]["service_notice"],
            "account_id": None,
        }
    ]
    assert report.reporter.id == "open311:i厦门"
    by_bearer = client.post(
        "/open311/v2/requests.xml", data=FORM, headers={"Authorization": "Bearer operator"}
    )
    assert by_bearer.status_code == 201
    root = ET.fromstring(by_bearer.content)
    assert root.tag == "service_requests"
    assert root[0].findtext("service_request_id") == desk.reports[-1].event_id


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_missing_or_bad_api_key_is_401_in_the_spec_shape(
    client: TestClient, desk: FakeDesk, fmt: str
) -> None:
    for key in (None, "nope"):
        data = FORM if key is None else {**FORM, "api_key": key}
        answer = client.post(f"/open311/v2/requests.{fmt}", data=data)
        assert answer.status_code == 401
        assert "www-authenticate" in answer.headers
        if fmt == "json":
            assert answer.json()[0]["code"] == 401
            assert ("no api_key" in answer.json()[0]["description"]) == (key is None)
        else:
            assert ET.fromstring(answer.content)[0].findtext("code") == "401"
    got = client.get(f"/open311/v2/requests/e-1.{fmt}", params={"api_key": "nope"})
    assert got.status_code == 401
    assert desk.reports == []


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_id_no_request_can_have_is_400(client: TestClient, fmt: str) -> None:
    """The path's id is declared as the query's ids are (letters, digits, `_.:-`, at most 64),
    so that what the document admits is what the server answers; a well-formed unknown id is
    404 (tests/integration/test_open311_kafka.py)."""
    for bad in ("4b71%0D41b", "a%20b", "x" * 65):
        answer = client.get(f"/open311/v2/requests/{bad}.{fmt}", params={"api_key": "bridge"})
        assert answer.status_code == 400, bad
        if fmt == "json":
            assert answer.json()[0]["code"] == 400
            assert "service_request_id" in answer.json()[0]["description"]


def test_a_request_must_be_form_encoded(client: TestClient, desk: FakeDesk) -> None:
    answer = client.post(
        "/open311/v2/requests.json", json=FORM, headers={"Authorization": "Bearer bridge"}
    )
    assert answer.status_code == 400
    assert "form-encoded" in answer.json()[0]["description"]
    assert desk.reports == []


def test_a_grid_workers_token_may_not_submit(client: TestClient, desk: FakeDesk) -> None:
    answer = client.post("/open311/v2/requests.json", data={**FORM, "api_key": "worker"})
    assert answer.status_code == 403
    assert "grid_worker" in answer.json()[0]["description"]
    assert desk.reports == []


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"address_string": "x"}, 400),
        ({"service_code": "FIRE.NOPE", "address_string": "x"}, 404),
        ({**FORM, "lat": "north"}, 400),
        ({**FORM, "lat": "91", "long": "0"}, 400),
        ({**FORM, "description": "x" * 4001}, 400),
    ],
)
def test_invalid_arguments_are_400_never_422(
    client: TestClient, desk: FakeDesk, form: dict[str, str], status: int
) -> None:
    answer = client.post("/open311/v2/requests.json", data={**form, "api_key": "bridge"})
    assert answer.status_code == status
    assert all(e["code"] == status for e in answer.json())
    assert desk.reports == []


def test_kafka_down_is_503_in_the_spec_shape(client: TestClient, desk: FakeDesk) -> None:
    desk.fail = KafkaTimeoutError("no ack")
    answer = client.post("/open311/v2/requests.json", data={**FORM, "api_key": "bridge"})
    assert answer.status_code == 503
    assert answer.json()[0]["code"] == 503


@pytest.mark.parametrize(
    "query",
    [
        {"status": "pending"},
        {"start_date": "soon"},
        {"start_date": ""},
        {"status": "open,"},
        {"service_code": "FIRE NOPE"},
    ],
)
def test_bad_query_arguments_are_400(client: TestClient, query: dict[str, str]) -> None:
    answer = client.get("/open311/v2/requests.json", params={**query, "api_key": "bridge"})
    assert answer.status_code == 400
    assert answer.json()[0]["code"] == 400


def test_only_unknown_services_match_nothing(client: TestClient) -> None:
    """The document admits any well-formed code: an unknown one is no 400 but an empty list
    (nor is a span too long or reversed: see the date range test)."""
    answer = client.get(
        "/open311/v2/requests.json", params={"service_code": "FIRE.NOPE", "api_key": "bridge"}
    )
    assert (answer.status_code, answer.json()) == (200, [])


def test_unknown_paths_under_open311_answer_in_its_shape(client: TestClient) -> None:
    missing = client.get("/open311/v2/nothing.xml")
    assert missing.status_code == 404
    assert ET.fromstring(missing.content)[0].findtext("code") == "404"
    wrong_method = client.delete("/open311/v2/services.json")
    assert wrong_method.status_code == 405
    assert wrong_method.json()[0]["code"] == 405


def test_the_api_v1_error_shape_is_unchanged(client: TestClient) -> None:
    answer = client.get("/api/v1/events/e-1")
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "UNAUTHENTICATED"
    assert client.get("/api/v1/nothing").json()["error"]["code"] == "NOT_FOUND"


def test_every_open311_route_is_documented_with_its_format(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    ours = {p: ops for p, ops in paths.items() if p.startswith("/open311/")}
    assert sorted(ours) == sorted(
        f"/open311/v2/{r}.{fmt}"
        for r in (
            "services",
            "services/{service_code}",
            "requests",
            "requests/{service_request_id}",
        )
        for fmt in ("json", "xml")
    )
    for path, ops in ours.items():
        media = "text/xml" if path.endswith(".xml") else "application/json"
        for op in ops.values():
            responses = op["responses"]
            success = responses.get("200") or responses["201"]
            assert list(success["content"]) == [media]
            for status, response in responses.items():
                if status not in ("200", "201", "413"):
                    assert list(response["content"]) == [media], (path, status)
            assert "HTTPValidationError" not in str(responses)
    post = ours["/open311/v2/requests.json"]["post"]
    assert "application/x-www-form-urlencoded" in post["requestBody"]["content"]


def test_a_point_in_gcj02_is_converted_to_wgs84(client: TestClient, desk: FakeDesk) -> None:
    # 中山路 as 高德 shows it (GCJ-02); the report carries its WGS-84 point.
    sent = {**FORM, "lat": "24.453051", "long": "118.083973", "coord_system": "GCJ02"}
    answer = client.post("/open311/v2/requests.json", data={**sent, "api_key": "bridge"})
    assert answer.status_code == 201, answer.text
    (report,) = desk.reports
    assert report.location is not None
    assert report.location.distance_m(GeoPoint(24.4557, 118.0790)) < 1.0
    assert "coord_system" not in report.attributes


def test_an_unknown_coordinate_system_is_a_400_naming_it(
    client: TestClient, desk: FakeDesk
) -> None:
    sent = {**FORM, "lat": "24.45", "long": "118.08", "coord_system": "UTM", "api_key": "bridge"}
    answer = client.post("/open311/v2/requests.json", data=sent)
    assert answer.status_code == 400
    [error] = answer.json()
    assert "coord_system" in error["description"]
    assert "unknown coordinate system 'UTM'" in error["description"]
    assert desk.reports == []


def test_the_public_view_shows_no_reporter_text_or_coordinates() -> None:
    from grid_router.adapters.org_data import load_default_organisation
    from grid_router.entrypoints.api.open311_spec import place_of

    row = SimpleNamespace(
        event_id="e-1", state="DISPATCHED", category_code="CITY_MGMT", category_name="城市管理",
        subcategory_code=GARBAGE, unit_code="350206002008", unit_name="高殿社区居委会",
        department="高殿社区网格工作站", grid_code=None, community_code="350206002008",
        title=None, description="林小梅家门口的垃圾桶满了", address="兴华路5号", lat=24.5,
        lon=118.1, reported_at=NOW, updated_at=NOW, closed_at=None, merged_into=None,
    )  # fmt: skip
    org = load_default_organisation()
    place = place_of(org, row)
    assert place == "湖里区殿前街道高殿社区居委会"
    public = request_out(RequestRecord(row, (), "public"), catalogue(), place)
    assert (public.description, public.address, public.lat, public.long) == (
        None, place, None, None,
    )  # fmt: skip
    full = request_out(RequestRecord(row, ()), catalogue())
    assert (full.description, full.address, full.lat) == (row.description, "兴华路5号", 24.5)
    unlocated = SimpleNamespace(**{**vars(row), "community_code": None, "unit_code": "350200"})
    assert place_of(org, unlocated) is None
