"""A report's point at the HTTP edge: sent in WGS-84, GCJ-02 or BD-09, encoded in WGS-84; a bad
coordinate system or an out-of-range coordinate is a 422 naming the field. On fakes."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from grid_router.domain.model import GeoPoint

# The Open311 tests' API on fakes serves /api/v1/reports too.
from tests.unit.test_open311 import FakeDesk, client, desk

__all__ = ["client", "desk"]

REPORTS = "/api/v1/reports"
OPERATOR = {"Authorization": "Bearer operator"}
ZHONGSHAN_ROAD = GeoPoint(24.4557, 118.0790)  # WGS-84


@pytest.mark.parametrize(
    "location",
    [
        {"lat": 24.4557, "lon": 118.0790},
        {"lat": 24.4557, "lon": 118.0790, "coord_system": "WGS84"},
        {"lat": 24.453051, "lon": 118.083973, "coord_system": "GCJ02"},
        {"lat": 24.459393, "lon": 118.090382, "coord_system": "BD09"},
        {"lat": 24.453051, "lon": 118.083973, "coord_system": "gcj-02"},
    ],
)
def test_the_point_is_encoded_in_wgs84(
    client: TestClient, desk: FakeDesk, location: dict[str, Any]
) -> None:
    body = {"description": "路灯坏了，晚上很黑", "location": location}
    answer = client.post(REPORTS, json=body, headers=OPERATOR)
    assert answer.status_code == 202, answer.text
    (report,) = desk.reports
    assert report.location is not None
    assert report.location.distance_m(ZHONGSHAN_ROAD) < 1.0


@pytest.mark.parametrize(
    ("location", "path", "says"),
    [
        ({"lat": 24.45, "lon": 118.08, "coord_system": "UTM"}, "location.coord_system",
         "unknown coordinate system 'UTM'; use WGS84"),
        ({"lat": 24.45, "lon": 118.08, "coord_system": 2000}, "location.coord_system",
         "coord_system is a string"),
        ({"lat": 118.08, "lon": 24.45}, "location.lat", "less than or equal to 90"),
        ({"lat": 24.45, "lon": 218.08}, "location.lon", "less than or equal to 180"),
    ],
)  # fmt: skip
def test_a_bad_point_is_a_422_naming_the_field(
    client: TestClient, desk: FakeDesk, location: dict[str, Any], path: str, says: str
) -> None:
    answer = client.post(
        REPORTS, json={"description": "路灯坏了", "location": location}, headers=OPERATOR
    )
    assert answer.status_code == 422, answer.text
    [field] = answer.json()["error"]["fields"]
    assert field["path"] == path
    assert says in field["message"]
    assert desk.reports == []
