"""The routing policy file format (YAML), as strict pydantic models.

Modelled on Alertmanager's `config/config.go`: unknown keys are errors, values have exact types
(a quoted "III" is a grade, a bare 3 is not), and every problem names its path in the file.
Cross-checks that need more than one field (category codes, department completeness, route
names, templates) are in `grid_router.policy.load`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

LevelName = Literal["community", "street", "district", "city"]
GradeName = Literal["IV", "III", "II", "I"]
SourceName = Literal["GRID_APP", "HOTLINE", "CITY_MGMT", "OPEN311", "CLI", "OTHER"]
InfoCopiesName = Literal["policy", "always", "never"]

LEVEL_NAMES: tuple[str, ...] = get_args(LevelName)
GRADE_NAMES: tuple[str, ...] = get_args(GradeName)

# A route name is used in audit rows, SLA timers and metrics labels: keep it plain.
_ROUTE_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


NonEmpty = Annotated[str, Field(min_length=1)]


class MatchSpec(_Strict):
    """What a route matches. Every key given must hold; within a key, any listed value."""

    category: list[NonEmpty] | None = None
    subcategory: list[NonEmpty] | None = None
    severity: list[GradeName] | None = None
    source: list[SourceName] | None = None
    district: list[Annotated[str, Field(pattern=r"^\d{6}$")]] | None = None
    street: list[Annotated[str, Field(pattern=r"^\d{9}$")]] | None = None
    time_of_day: list[NonEmpty] | None = None
    confidence_below: Annotated[float, Field(gt=0, le=1)] | None = None

    @field_validator(
        "category",
        "subcategory",
        "severity",
        "source",
        "district",
        "street",
        "time_of_day",
        mode="before",
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        # `severity: III` reads as naturally as `severity: [III, II]`; accept both.
        return [value] if isinstance(value, str) else value

    @field_validator("time_of_day")
    @classmethod
    def _time_ranges(cls, value: list[str] | None) -> list[str] | None:
        for text in value or ():
            parse_time_range(text)
        return value


def parse_time_range(text: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """Parse "HH:MM-HH:MM" (local time; end exclusive; "24:00" allowed as an end; an end at or
    before the start crosses midnight). Raises ValueError saying what is wrong."""
    m = _TIME_RANGE.match(text.replace(" ", ""))
    if m is None:
        raise ValueError(f"time range {text!r} must look like 22:00-06:00 (HH:MM-HH:MM)")
    sh, sm, eh, em = (int(g) for g in m.groups())
    if sh > 23 or sm > 59 or em > 59 or eh > 24 or (eh == 24 and em != 0):
        raise ValueError(f"time range {text!r} has an impossible time")
    if (sh, sm) == (eh, em):
        raise ValueError(
            f"time range {text!r} starts and ends at the same time; for all day omit time_of_day"
        )
    return (sh, sm), (eh, em)


class RouteSpec(_Strict):
    """One route. Children inherit sla, info_copies, level, min_level, department and
    department_from from their parent unless they set them; `triage` is not inherited."""

    name: Annotated[str, Field(pattern=_ROUTE_NAME, max_length=64)]
    description: str | None = None
    match: MatchSpec | None = None
    continue_: bool = Field(default=False, alias="continue")
    level: LevelName | None = None
    min_level: LevelName | None = None
    department: dict[LevelName, NonEmpty] | None = None
    department_from: NonEmpty | None = None
    triage: bool = False
    sla: NonEmpty | None = None
    info_copies: InfoCopiesName | None = None
    routes: list[RouteSpec] = Field(default_factory=list)


class GradingSpec(_Strict):
    """Severity grade → start level, and from which grade every level below gets a copy."""

    start_level: dict[GradeName, LevelName]
    info_copies_from: GradeName | None = None


class MergeSpec(_Strict):
    """Repeated reports of one incident: same category, same grid (or, for reports with
    coordinates, within `distance_m`), while the first is open and within `window_minutes` of
    it, merge into the first."""

    window_minutes: int = Field(default=120, gt=0, le=7 * 24 * 60)
    distance_m: float = Field(default=100.0, gt=0, le=5000)


class BurstSpec(_Strict):
    """A burst (突发聚集): more than `threshold` reports of these subcategories in one district
    within `window_minutes` open one incident at `grade` that links them (e.g. waterlogging in a
    typhoon)."""

    name: Annotated[str, Field(pattern=_ROUTE_NAME)]
    subcategories: list[NonEmpty] = Field(min_length=1)
    threshold: int = Field(gt=1)
    window_minutes: int = Field(gt=0, le=24 * 60)
    grade: GradeName = "II"


class PolicyFile(_Strict):
    """The whole policy file."""

    version: NonEmpty
    taxonomy: NonEmpty
    description: str | None = None
    grading: GradingSpec
    category_floors: dict[NonEmpty, LevelName] = Field(default_factory=dict)
    departments: dict[NonEmpty, dict[LevelName, NonEmpty]]
    sla_policies: list[Annotated[str, Field(pattern=_ROUTE_NAME)]] = Field(min_length=1)
    merge: MergeSpec = Field(default_factory=MergeSpec)
    bursts: list[BurstSpec] = Field(default_factory=list)
    route: RouteSpec
