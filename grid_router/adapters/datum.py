"""Coordinate systems (datums) Chinese apps send, converted to WGS-84 at the edges.

Maps published in China are obfuscated by law: 高德/腾讯 and most mini-programs give GCJ-02
("Mars coordinates"), Baidu gives BD-09 (GCJ-02 shifted once more), and only a raw GPS fix is
WGS-84. The two differ by about 500 m in Xiamen, which is more than a community is wide, so a
report's point is converted to WGS-84 before it is encoded; everything downstream (the
IncidentReport's `location`, the database, the district boundaries) is WGS-84.

The conversion is prcoords' (CC0): its "bored" inverses iterate the published forward
transform to a fixed point (better than 1 cm), where the common one-step inverses are off by
a metre or more.
"""

from __future__ import annotations

import warnings
from enum import StrEnum
from typing import Final

import prcoords  # type: ignore[import-untyped]

from grid_router.domain.model import GeoPoint


class CoordSystem(StrEnum):
    """The datum a submitted point is in."""

    WGS84 = "WGS84"  # GPS, and Open311 by its specification
    GCJ02 = "GCJ02"  # 国测局坐标: 高德, 腾讯, WeChat location, i厦门
    BD09 = "BD09"  # 百度坐标


ALIASES: Final = {
    "WGS84": CoordSystem.WGS84,
    "GPS": CoordSystem.WGS84,
    "GCJ02": CoordSystem.GCJ02,
    "BD09": CoordSystem.BD09,
    "BD09LL": CoordSystem.BD09,
}


def parse_coord_system(text: str) -> CoordSystem:
    """`WGS84`, `GCJ02` or `BD09`, written in any case and with or without a dash or
    underscore (`gcj-02`, `bd09ll`); raises ValueError naming the values allowed."""
    key = text.strip().upper().replace("-", "").replace("_", "")
    found = ALIASES.get(key)
    if found is None:
        raise ValueError(
            f"unknown coordinate system {text!r}; use WGS84 (GPS), GCJ02 (高德, 腾讯, WeChat) "
            "or BD09 (百度)"
        )
    return found


def _in_china(lat: float, lon: float) -> bool:
    # GCJ-02 is defined only inside China; outside it a point is already WGS-84 (prcoords
    # would warn and return it as is).
    return bool(prcoords.sanity_in_china_p(prcoords.Coords(lat, lon)))


def to_wgs84(lat: float, lon: float, system: CoordSystem) -> GeoPoint:
    """The WGS-84 point for (`lat`, `lon`) given in `system`."""
    if system is CoordSystem.WGS84:
        return GeoPoint(lat, lon)
    if system is CoordSystem.BD09:
        lat, lon = prcoords.bd_gcj_bored((lat, lon))
    if not _in_china(lat, lon):
        return GeoPoint(lat, lon)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wgs = prcoords.gcj_wgs_bored((lat, lon))
    return GeoPoint(float(wgs.lat), float(wgs.lon))


def from_wgs84(point: GeoPoint, system: CoordSystem) -> tuple[float, float]:
    """(lat, lon) of a WGS-84 point in `system` (for tests, the demo and answers to apps)."""
    if system is CoordSystem.WGS84 or not _in_china(point.lat, point.lon):
        gcj = prcoords.Coords(point.lat, point.lon)
    else:
        gcj = prcoords.wgs_gcj((point.lat, point.lon))
    if system is CoordSystem.BD09:
        bd = prcoords.gcj_bd(gcj)
        return float(bd.lat), float(bd.lon)
    return float(gcj.lat), float(gcj.lon)
