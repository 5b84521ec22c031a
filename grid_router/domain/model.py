"""Core values of the domain: levels, grades, states, reports, work orders.

Everything here is a frozen dataclass or an enum; nothing reads a clock or does I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Level(StrEnum):
    """The four levels of the chain 市-区-街-社, lowest first."""

    COMMUNITY = "community"
    STREET = "street"
    DISTRICT = "district"
    CITY = "city"

    @property
    def rank(self) -> int:
        return _LEVEL_ORDER.index(self)

    @property
    def code_length(self) -> int:
        """Length of a division code at this level (national statistical codes)."""
        return _CODE_LENGTHS[self]

    def up(self) -> Level | None:
        """The next level up, or None at the city."""
        i = self.rank + 1
        return _LEVEL_ORDER[i] if i < len(_LEVEL_ORDER) else None


_LEVEL_ORDER = (Level.COMMUNITY, Level.STREET, Level.DISTRICT, Level.CITY)
# A city code and a district code are both 6 digits; a city code ends in "00".
_CODE_LENGTHS = {Level.COMMUNITY: 12, Level.STREET: 9, Level.DISTRICT: 6, Level.CITY: 6}


class Severity(StrEnum):
    """The four grades of the emergency response law; IV is the least serious."""

    IV = "IV"  # 一般
    III = "III"  # 较大
    II = "II"  # 重大
    I = "I"  # 特别重大  # noqa: E741

    @property
    def chinese(self) -> str:
        return {"IV": "一般", "III": "较大", "II": "重大", "I": "特别重大"}[self.value]


class State(StrEnum):
    """Incident states: the seven steps of digital city management plus hotline operations."""

    REPORTED = "REPORTED"
    FILED = "FILED"
    DISPATCHED = "DISPATCHED"
    SIGNED = "SIGNED"
    IN_PROGRESS = "IN_PROGRESS"
    HANDLED = "HANDLED"
    VERIFIED = "VERIFIED"
    CLOSED = "CLOSED"
    VOIDED = "VOIDED"
    MERGED = "MERGED"
    ESCALATED = "ESCALATED"
    RETURNED = "RETURNED"
    REOPENED = "REOPENED"
    SUSPENDED = "SUSPENDED"


class Source(StrEnum):
    """Where a report came from."""

    GRID_APP = "GRID_APP"  # a grid worker's mobile app
    HOTLINE = "HOTLINE"  # 12345 市长热线
    CITY_MGMT = "CITY_MGMT"  # 数字城管
    OPEN311 = "OPEN311"  # citizen apps through Open311
    CLI = "CLI"  # an operator at the command line
    OTHER = "OTHER"


UNLOCATED = "UNLOCATED"
"""Reason (and Kafka key) for a report that could not be placed in any community."""


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who reported. Name and phone are personal data: masked in logs and views."""

    id: str
    role: str = "grid_worker"
    name: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Photo:
    url: str
    sha256: str | None = None


@dataclass(frozen=True, slots=True)
class GeoPoint:
    """WGS-84 latitude and longitude in degrees."""

    lat: float
    lon: float

    def distance_m(self, other: GeoPoint) -> float:
        """Great-circle distance in metres (haversine; plenty for "the same spot")."""
        p1, p2 = math.radians(self.lat), math.radians(other.lat)
        dp, dl = p2 - p1, math.radians(other.lon - self.lon)
        h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


EARTH_RADIUS_M = 6_371_008.8

EVENT_ID_CHARACTERS = "A-Za-z0-9_.:-"
EVENT_ID_PATTERN = f"^[{EVENT_ID_CHARACTERS}]{{1,64}}$"
"""What an event id may be: a UUID as the API and the bridges make them, or a submitter's own id
of letters, digits and `_.:-`, at most 64 characters (the incidents table's key). Nothing else
is filed: an id no URL or query can name back would be an incident nobody can follow."""


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """One report of an incident as submitted by an app, a bridge or the CLI.

    `event_id` is chosen by the submitter (a UUID); the incident the report opens takes it as
    its own event id, so the submitter can follow the incident without waiting for the router.
    """

    event_id: str
    reported_at: datetime
    source: str
    reporter: Reporter
    description: str
    title: str | None = None
    category_code: str | None = None
    subcategory_code: str | None = None
    severity_hint: str | None = None
    grid_code: str | None = None
    community_code: str | None = None
    address: str | None = None
    location: GeoPoint | None = None
    photos: tuple[Photo, ...] = ()
    external_ref: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Deadlines:
    sign_by: datetime | None = None
    handle_by: datetime | None = None
    verify_by: datetime | None = None


@dataclass(frozen=True, slots=True)
class WorkOrder:
    """An order to a unit at one level to act on an incident (or, as an information copy, to
    know about it)."""

    work_order_id: str
    event_id: str
    version: int
    level: Level
    unit_code: str
    unit_name: str
    department: str | None
    category_code: str
    category_name: str
    subcategory_code: str | None
    severity: Severity
    reason: str
    kind: str  # "ACTION" or "INFO_COPY"
    description: str
    title: str | None
    address: str | None
    grid_code: str | None
    community_code: str | None
    street_code: str | None
    district_code: str | None
    source: str
    external_ref: str | None
    created_at: datetime
    deadlines: Deadlines = field(default_factory=Deadlines)
    escalated_from_level: Level | None = None
    escalated_from_unit: str | None = None
    report_count: int = 1
    # The category awaits a person's confirmation (a grave report dispatched by its grade).
    needs_triage: bool = False


@dataclass(frozen=True, slots=True)
class StateChange:
    """The latest state of an event after one router transaction; published on the compacted
    state topic. `version` grows by one per recorded transition."""

    event_id: str
    version: int
    state: State
    previous_state: State | None
    action: str
    actor: str
    level: Level
    unit_code: str
    category_code: str
    severity: Severity
    at: datetime
    reason: str | None = None
