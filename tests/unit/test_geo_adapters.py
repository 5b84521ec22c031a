"""Datum conversion (GCJ-02, BD-09 → WGS-84) and the district boundaries' point-in-polygon."""

from __future__ import annotations

import pytest

from grid_router.adapters.boundaries import (
    GeoJsonBoundaries,
    Polygon,
    load_default_boundaries,
    point_in_ring,
)
from grid_router.adapters.datum import CoordSystem, from_wgs84, parse_coord_system, to_wgs84
from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import GeoPoint
from grid_router.exceptions import ConfigurationError

# (place, WGS-84, GCJ-02, BD-09). The GCJ-02 and BD-09 columns were computed with the widely
# copied coordTransform formulas (an implementation independent of prcoords, which the
# project uses), rounded to 1e-6 degree (about 0.1 m).
PAIRS = [
    ("鼓浪屿 日光岩", (24.4477, 118.0645), (24.445035, 118.069461), (24.451333, 118.075879)),
    ("中山路 步行街", (24.4557, 118.0790), (24.453051, 118.083973), (24.459393, 118.090382)),
    ("集美学村", (24.5760, 118.0973), (24.573344, 118.102282), (24.579479, 118.108734)),
]


@pytest.mark.parametrize(("place", "wgs", "gcj", "bd"), PAIRS)
def test_gcj02_and_bd09_convert_to_wgs84_within_a_metre(
    place: str, wgs: tuple[float, float], gcj: tuple[float, float], bd: tuple[float, float]
) -> None:
    truth = GeoPoint(*wgs)
    for system, sent in ((CoordSystem.GCJ02, gcj), (CoordSystem.BD09, bd)):
        converted = to_wgs84(*sent, system)
        assert truth.distance_m(converted) < 1.0, (place, system, converted)
        # The datums differ by far more than a community is wide in Xiamen: ignoring them
        # would misplace the report.
        assert truth.distance_m(GeoPoint(*sent)) > 400, (place, system)


@pytest.mark.parametrize(("place", "wgs", "gcj", "bd"), PAIRS)
def test_wgs84_converts_forward_to_the_known_pairs(
    place: str, wgs: tuple[float, float], gcj: tuple[float, float], bd: tuple[float, float]
) -> None:
    point = GeoPoint(*wgs)
    assert from_wgs84(point, CoordSystem.GCJ02) == pytest.approx(gcj, abs=2e-6), place
    assert from_wgs84(point, CoordSystem.BD09) == pytest.approx(bd, abs=2e-6), place
    assert to_wgs84(*wgs, CoordSystem.WGS84) == point


def test_outside_china_gcj02_is_wgs84() -> None:
    # GCJ-02 is defined only inside China; London stays where it is.
    assert to_wgs84(51.5, -0.12, CoordSystem.GCJ02) == GeoPoint(51.5, -0.12)


@pytest.mark.parametrize(
    ("text", "system"),
    [
        ("WGS84", CoordSystem.WGS84),
        ("wgs-84", CoordSystem.WGS84),
        ("gps", CoordSystem.WGS84),
        ("GCJ02", CoordSystem.GCJ02),
        ("gcj_02", CoordSystem.GCJ02),
        ("BD09", CoordSystem.BD09),
        ("bd09ll", CoordSystem.BD09),
    ],
)
def test_coordinate_system_names(text: str, system: CoordSystem) -> None:
    assert parse_coord_system(text) is system


def test_an_unknown_coordinate_system_names_the_ones_allowed() -> None:
    with pytest.raises(ValueError, match=r"unknown coordinate system 'UTM'; use WGS84"):
        parse_coord_system("UTM")


# One WGS-84 point well inside each district (their landmarks), and points outside Xiamen.
DISTRICT_POINTS = [
    ("思明 中山路", (24.4557, 118.0790), "350203"),
    ("思明 鼓浪屿", (24.4477, 118.0645), "350203"),
    ("海沧 区政府", (24.4846, 118.0325), "350205"),
    ("湖里 五缘湾", (24.5128, 118.1468), "350206"),
    ("集美 集美学村", (24.5760, 118.0973), "350211"),
    ("同安 大同街道", (24.7232, 118.1520), "350212"),
    ("翔安 新店", (24.6185, 118.2480), "350213"),
    ("泉州 市区", (24.8740, 118.6760), None),
    ("厦门湾外的海", (24.3000, 118.2000), None),
    ("漳州 龙海", (24.4450, 117.8180), None),
]


@pytest.mark.parametrize(("place", "point", "district"), DISTRICT_POINTS)
def test_a_point_falls_in_its_district_or_in_none(
    place: str, point: tuple[float, float], district: str | None
) -> None:
    assert load_default_boundaries().district_at(GeoPoint(*point)) == district, place


def test_every_district_has_a_boundary() -> None:
    org = load_default_organisation()
    assert sorted(load_default_boundaries().district_codes) == [d.code for d in org.districts]


SQUARE = ((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0))


@pytest.mark.parametrize(
    ("lon", "lat", "inside"),
    [(5, 5, True), (0.5, 9.5, True), (-1, 5, False), (11, 5, False), (5, 10.5, False)],
)
def test_point_in_ring(lon: float, lat: float, inside: bool) -> None:
    assert point_in_ring(lon, lat, SQUARE) is inside


def test_a_hole_is_outside_and_the_rest_inside() -> None:
    hole = ((4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0))
    boundaries = GeoJsonBoundaries({"350203": (Polygon.of([SQUARE, hole]),)})
    assert boundaries.district_at(GeoPoint(5, 5)) is None
    assert boundaries.district_at(GeoPoint(lat=2, lon=5)) == "350203"


def test_a_district_without_a_boundary_is_an_error() -> None:
    org = load_default_organisation()
    text = '{"features": [{"properties": {"name": "思明区"}, "geometry": {"type": "Polygon", '
    text += '"coordinates": [[[0, 0], [1, 0], [1, 1]]]}}]}'
    with pytest.raises(ConfigurationError, match="no boundary for 同安区, 海沧区"):
        GeoJsonBoundaries.from_geojson(text, org)


def test_features_must_name_the_districts() -> None:
    org = load_default_organisation()
    text = '{"features": [{"properties": {"name": "鼓浪屿区"}, "geometry": {}}]}'
    with pytest.raises(
        ConfigurationError, match=r"feature 1 \(鼓浪屿区\) is no district of 厦门市"
    ):
        GeoJsonBoundaries.from_geojson(text, org)
