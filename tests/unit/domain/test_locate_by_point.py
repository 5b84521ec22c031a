"""Placing a report that carries only coordinates: by an earlier located report nearby, else in
its district (whose triage desk finds the community), else UNLOCATED with a sentence saying the
point is not in Xiamen. Pure: the boundaries are a fake of the port."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.classify import Classifier
from grid_router.domain.filing import Decided, decide
from grid_router.domain.model import UNLOCATED, GeoPoint, IncidentReport, Level, Reporter
from grid_router.domain.org import NearbyReport
from grid_router.domain.routing import TRIAGE, TRIAGE_CATEGORY
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_default_taxonomy

NOW = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # 09:30 in Xiamen


class Boxes:
    """A fake of the DistrictBoundaries port: 思明 is a box around Xiamen island's south."""

    def district_at(self, point: GeoPoint) -> str | None:
        if 24.42 <= point.lat <= 24.48 and 118.05 <= point.lon <= 118.20:
            return "350203"
        return None


BARE = load_default_organisation()
ORG = BARE.with_boundaries(Boxes())
CLASSIFIER = Classifier(load_default_taxonomy(), place_names=[u.name for u in ORG])
POLICY = load_default_policy().routing
ZHONGSHAN_ROAD = GeoPoint(24.4557, 118.0790)
QUANZHOU = GeoPoint(24.8740, 118.6760)
SIMING = ORG.unit("350203")


def decided(
    point: GeoPoint | None,
    nearby: Sequence[NearbyReport] | None = None,
    org: object = ORG,
    **fields: object,
) -> Decided:
    base: dict[str, object] = {
        "event_id": "e-1",
        "reported_at": NOW,
        "source": "OPEN311",
        "reporter": Reporter(id="i厦门", role="citizen"),
        "description": "小区门口垃圾满溢，无人清运",
        "category_code": "CITY_MGMT",
        "location": point,
    }
    base.update(fields)
    return decide(IncidentReport(**base), org, CLASSIFIER, POLICY, nearby)  # type: ignore[arg-type]


TRIAGE_DESK = POLICY.departments.name_for(TRIAGE_CATEGORY, SIMING, ORG)
ZHONGSHAN = "350203003018"  # 中山社区, 中华街道


@pytest.mark.parametrize(
    ("point", "nearby", "method", "level", "unit", "reason", "says"),
    [
        # In a district by its boundary, and nobody could look for earlier reports (a dry run).
        (ZHONGSHAN_ROAD, None, "coordinates", Level.DISTRICT, "350203", TRIAGE,
         "lie in 思明区 by its boundary; earlier reports near it were not consulted"),
        # Looked, found none within the merge distance.
        (ZHONGSHAN_ROAD, (), "coordinates", Level.DISTRICT, "350203", TRIAGE,
         "no earlier located report lies within the merge distance"),
        # An earlier report located to a community names it; the community's unit acts.
        (ZHONGSHAN_ROAD, (NearbyReport("e-0", ZHONGSHAN, 42.0),), "coordinates",
         Level.COMMUNITY, ZHONGSHAN, "ROUTED",
         "earlier report e-0, 42 m away, was located in 中山社区居委会"),
        # A community beats a nearer street: it says more.
        (ZHONGSHAN_ROAD,
         (NearbyReport("e-1", "350203003", 10.0), NearbyReport("e-2", ZHONGSHAN, 80.0)),
         "coordinates", Level.COMMUNITY, ZHONGSHAN, "ROUTED", "e-2, 80 m away"),
        # Only a street known: the street acts, as for an address naming a street.
        (ZHONGSHAN_ROAD, (NearbyReport("e-1", "350203003", 10.0),), "coordinates",
         Level.STREET, "350203003", "ROUTED", "was located in 中华街道"),
        # Outside every district: UNLOCATED, with the sentence saying so.
        (QUANZHOU, (), "unlocated", Level.CITY, "350200", UNLOCATED,
         "coordinates 24.87400, 118.67600 (WGS-84) lie outside every district of 厦门市"),
    ],
)  # fmt: skip
def test_a_coordinates_only_report_is_placed(
    point: GeoPoint,
    nearby: Sequence[NearbyReport] | None,
    method: str,
    level: Level,
    unit: str,
    reason: str,
    says: str,
) -> None:
    d = decided(point, nearby)
    assert d.location.method == method
    assert (d.route.level, d.route.unit.code, d.route.reason) == (level, unit, reason)
    assert says in (d.location.detail or "")


def test_the_district_triage_desk_takes_a_point_placed_in_a_district_only() -> None:
    d = decided(ZHONGSHAN_ROAD, ())
    assert d.location.needs_placement
    assert d.route.triage
    assert d.route.department == TRIAGE_DESK
    assert d.route.info_copies == ()
    assert any("sent to the district triage desk" in r for r in d.route.reasons)


def test_a_grave_report_placed_in_a_district_is_routed_by_its_grade_at_once() -> None:
    d = decided(
        ZHONGSHAN_ROAD, (), description="居民楼着火了，有人被困在楼上", category_code="FIRE"
    )
    assert d.classification.severity in ("II", "I")
    assert not d.route.triage
    assert d.route.level.rank >= Level.DISTRICT.rank
    assert d.route.department != TRIAGE_DESK


def test_the_unlocated_sentence_explains_every_input() -> None:
    d = decided(QUANZHOU, ())
    assert d.route.reason == UNLOCATED
    assert d.location.detail == (
        "no grid code given; no community code given; address '小区门口垃圾满溢，无人清运' "
        "names no district, street or community of 厦门市; coordinates 24.87400, 118.67600 "
        "(WGS-84) lie outside every district of 厦门市: the point is not in this city (check "
        "that it is not in GCJ-02 or BD-09 sent as WGS-84)"
    )
    assert "outside every district of 厦门市" in d.route.reasons[-1]


def test_without_boundaries_a_point_alone_places_nothing() -> None:
    d = decided(ZHONGSHAN_ROAD, None, org=BARE)
    assert d.route.reason == UNLOCATED
    assert "no district boundaries are loaded" in (d.location.detail or "")


def test_a_grid_code_wins_over_the_point() -> None:
    d = decided(QUANZHOU, (), grid_code="350206002008005")
    assert (d.location.method, d.route.unit.code) == ("grid_code", "350206002008")


def test_the_address_wins_over_the_point() -> None:
    d = decided(ZHONGSHAN_ROAD, (), address="湖里区殿前街道高殿社区")
    assert (d.location.method, d.route.unit.code) == ("address", "350206002008")


def test_a_point_only_district_placement_of_a_grid_workers_fire_hazard_waits_at_triage() -> None:
    # FIRE starts at the street at least; with no street known the district's desk places it.
    d = decided(
        ZHONGSHAN_ROAD, (), description="楼道里堆满杂物，堵住了消防通道", category_code="FIRE"
    )
    assert (d.route.level, d.route.reason) == (Level.DISTRICT, TRIAGE)
