"""The JSON shape of a submitted report, validated strictly (the CLI now, the HTTP API later)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from grid_router.adapters.datum import CoordSystem, parse_coord_system, to_wgs84
from grid_router.domain.model import GeoPoint, IncidentReport, Photo, Reporter, Source

Digits15 = Annotated[str, StringConstraints(pattern=r"^\d{15}$")]
Digits12 = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]

NO_NUL: Final = r"^[^\x00]*$"
"""Declared on every free string: the database cannot store a NUL character (PostgreSQL)."""
NOT_BLANK: Final = r"^[^\x00]*[^\x00\s][^\x00]*$"
"""Declared on free text that must say something: no NUL, and not only white space."""


@dataclass(frozen=True)
class Storable:
    """Free text as the database can keep it, declared in the JSON Schema as it is enforced (the
    OpenAPI document must say exactly what is accepted): no NUL character anywhere (`NO_NUL`)
    and, with `strip`, not blank (`NOT_BLANK`), surrounding white space then removed. Lengths
    are those of the text as sent, before stripping."""

    strip: bool = True

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self._check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        found = handler(schema)
        found.setdefault("pattern", NOT_BLANK if self.strip else NO_NUL)
        return found

    def _check(self, value: str) -> str:
        if "\x00" in value:
            raise ValueError("contains a NUL character (\\u0000), which cannot be stored")
        if not self.strip:
            return value
        if not value.strip():
            raise ValueError("is blank: say something")
        return value.strip()


Text = Annotated[str, StringConstraints(min_length=1, max_length=5000), Storable()]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=500), Storable()]
# Text no longer than the database column that keeps it.
Text64 = Annotated[str, StringConstraints(min_length=1, max_length=64), Storable()]
Text128 = Annotated[str, StringConstraints(min_length=1, max_length=128), Storable()]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReporterIn(_Strict):
    id: Text64 = Field(description="reporter's account id (a grid worker's staff number)")
    role: Literal["grid_worker", "citizen", "hotline_agent", "supervisor", "operator"] = (
        "grid_worker"
    )
    name: Text128 | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{3,20}$")] | None = None


class PhotoIn(_Strict):
    url: Annotated[str, StringConstraints(min_length=1, max_length=2000), Storable(strip=False)]
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None


def _coord_system(value: object) -> CoordSystem:
    if isinstance(value, CoordSystem):
        return value
    if not isinstance(value, str):
        raise ValueError("coord_system is a string: WGS84, GCJ02 or BD09")
    return parse_coord_system(value)


CoordSystemIn = Annotated[
    CoordSystem,
    BeforeValidator(_coord_system),
    WithJsonSchema(
        {
            "type": "string",
            "enum": [c.value for c in CoordSystem],
            "description": "datum of the coordinates: WGS84 (GPS, the default), GCJ02 (高德, "
            "腾讯, WeChat) or BD09 (百度); case, dashes and underscores are ignored",
        }
    ),
]
"""A coordinate system as sent: `WGS84`, `GCJ02` or `BD09` (also `gcj-02`, `bd09ll`, `gps`)."""


class GeoPointIn(_Strict):
    """Where the report is, in degrees, in the datum `coord_system` names. The point is
    converted to WGS-84 before the report is encoded: every message and row downstream is
    WGS-84."""

    lat: float = Field(
        strict=True, ge=-90, le=90, allow_inf_nan=False, description="latitude, degrees"
    )
    lon: float = Field(
        strict=True, ge=-180, le=180, allow_inf_nan=False, description="longitude, degrees"
    )
    coord_system: CoordSystemIn = Field(
        CoordSystem.WGS84,
        description="datum of lat/lon: WGS84 (GPS, the default), GCJ02 (高德, 腾讯, WeChat) or "
        "BD09 (百度)",
    )

    def to_wgs84(self) -> GeoPoint:
        """The point in WGS-84."""
        return to_wgs84(self.lat, self.lon, self.coord_system)


def _date_time_text(value: object) -> object:
    """Types are strict: a date-time is ISO 8601 text (a number is not read as Unix time)."""
    if isinstance(value, str | datetime):
        return value
    raise ValueError("a date-time is ISO 8601 text, e.g. 2026-05-01T08:00:00+08:00")


class ReportSubmission(_Strict):
    """One incident report. Only `description` is required; place it with `grid_code`,
    `community_code`, `address` or `location` (an unplaceable report goes to the city triage
    queue)."""

    event_id: uuid.UUID | None = Field(None, description="chosen by the submitter; default new")
    reported_at: Annotated[datetime, BeforeValidator(_date_time_text)] | None = Field(
        None, description="when observed; default now"
    )
    source: Source = Source.CLI
    reporter: ReporterIn = ReporterIn(id="cli", role="operator")
    description: Text
    title: ShortText | None = None
    category_code: Annotated[str, StringConstraints(pattern=r"^[A-Z_]{2,32}$")] | None = None
    subcategory_code: Text64 | None = None
    severity_hint: Literal["IV", "III", "II", "I"] | None = None
    grid_code: Digits15 | None = None
    community_code: Digits12 | None = None
    address: ShortText | None = None
    location: GeoPointIn | None = None
    photos: list[PhotoIn] = Field(default_factory=list, max_length=20)
    external_ref: Text128 | None = None
    attributes: dict[
        Annotated[str, Storable(strip=False)],
        Annotated[str, StringConstraints(max_length=500), Storable(strip=False)],
    ] = Field(
        default_factory=dict,
        max_length=50,
        json_schema_extra={"propertyNames": {"pattern": NO_NUL}},
    )

    def to_report(self, now: datetime) -> IncidentReport:
        reported_at = self.reported_at or now
        if reported_at.tzinfo is None:
            reported_at = reported_at.replace(tzinfo=UTC)
        return IncidentReport(
            event_id=str(self.event_id or uuid.uuid4()),
            reported_at=reported_at,
            source=self.source.value,
            reporter=Reporter(
                id=self.reporter.id,
                role=self.reporter.role,
                name=self.reporter.name,
                phone=self.reporter.phone,
            ),
            description=self.description,
            title=self.title,
            category_code=self.category_code,
            subcategory_code=self.subcategory_code,
            severity_hint=self.severity_hint,
            grid_code=self.grid_code,
            community_code=self.community_code,
            address=self.address,
            location=self.location.to_wgs84() if self.location else None,
            photos=tuple(Photo(p.url, p.sha256) for p in self.photos),
            external_ref=self.external_ref,
            attributes=dict(self.attributes),
        )
