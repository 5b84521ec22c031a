"""The routing policy file format (YAML), as strict pydantic models.

Modelled on Alertmanager's `config/config.go`: unknown keys are errors, values have exact types
(a quoted "III" is a grade, a bare 3 is not), and every problem names its path in the file.
Cross-checks that need more than one field (category codes, department completeness, route
names, templates, SLA levels and calendar dates) are in `grid_router.policy.load`.

Durations (SLA limits, reminder intervals, extensions) are strings of hours and minutes, `30m`,
`2h`, `1h30m`, parsed by `parse_duration`: the unit is always visible, and days are refused
because a working-time "day" would be ambiguous.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

LevelName = Literal["community", "street", "district", "city"]
GradeName = Literal["IV", "III", "II", "I"]
SourceName = Literal["GRID_APP", "HOTLINE", "CITY_MGMT", "OPEN311", "CLI", "OTHER"]
InfoCopiesName = Literal["policy", "always", "never"]
ClockName = Literal["wall_clock", "working_time"]  # the values of domain.sla.ClockKind

LEVEL_NAMES: tuple[str, ...] = get_args(LevelName)
GRADE_NAMES: tuple[str, ...] = get_args(GradeName)

# A route name is used in audit rows, SLA timers and metrics labels: keep it plain.
_ROUTE_NAME = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
_TIME_RANGE = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?$")
_DAY_UNIT = re.compile(r"\d\s*(?:d|days?|w|weeks?)(?![a-z])", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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
    needs_triage: bool | None = None

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


class GradeCountsSpec(_Strict):
    """How many people or households make a grade (DESIGN §3 gives the defaults)."""

    mass_casualties: int = Field(default=10, ge=2, le=1000)
    gathering: int = Field(default=30, ge=2, le=10000)
    outage_households: int = Field(default=100, ge=2, le=100000)
    # Several people taken ill at once and not yet well ("五六个工人拉肚子"): III. The grading reads
    # counts of three to nine here; ten or more are `mass_casualties`.
    several_ill: int = Field(default=3, ge=3, le=9)
    # As many people taken ill at once and told mild ("医生说问题不大", "都还能走"), no children
    # among them, are III where their drip or clinic would make it II (or their count, I).
    mildly_ill: int = Field(default=5, ge=2, le=100)


class GradingSpec(_Strict):
    """Severity grade → start level, and from which grade every level below gets a copy."""

    start_level: dict[GradeName, LevelName]
    info_copies_from: GradeName | None = None
    counts: GradeCountsSpec = Field(default_factory=GradeCountsSpec)


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


# --------------------------------------------------------------------------------------------
# SLA: durations, calendar, extensions, policies


def parse_duration(text: str) -> timedelta:
    """Parse a duration of hours and minutes: "30m", "2h", "1h30m" (spaces ignored). Days are
    refused: on a working-time clock a "day" could mean 24 hours or one working day (7 hours on
    the default hours). Zero and negative durations are refused. Raises ValueError saying what
    is wrong."""
    compact = "".join(text.split())
    if _DAY_UNIT.search(compact):
        raise ValueError(
            f"duration {text!r} is in days: working time makes a day ambiguous: write hours, "
            "7h is one working day on the default hours"
        )
    if compact.startswith("-"):
        raise ValueError(f"duration {text!r} is negative; it must be longer than zero")
    m = _DURATION.match(compact)
    if m is None or not any(m.groups()):
        raise ValueError(f"duration {text!r} must be hours and minutes such as 30m, 2h or 1h30m")
    hours, minutes = (int(g) if g else 0 for g in m.groups())
    total = timedelta(hours=hours, minutes=minutes)
    if m.group(1) and minutes >= 60:
        raise ValueError(
            f"duration {text!r} has 60 minutes or more after the hours; write "
            f"{format_duration(total)}"
        )
    if not total:
        raise ValueError(f"duration {text!r} is zero; it must be longer than zero")
    return total


def format_duration(duration: timedelta) -> str:
    """A duration as `parse_duration` reads it: 90 minutes → "1h30m" (seconds are dropped)."""
    minutes = int(duration.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h{rest}m"
    return f"{hours}h" if hours else f"{rest}m"


def _duration(value: Any) -> Any:
    if isinstance(value, str):
        return parse_duration(value)
    if isinstance(value, timedelta):
        return value
    raise ValueError(
        f"a duration must be a string with its unit, such as 30m, 2h or 1h30m (got {value!r})"
    )


Duration = Annotated[timedelta, BeforeValidator(_duration)]
"""A duration in the file: "30m", "2h", "1h30m" (see `parse_duration`)."""


def parse_working_period(text: str) -> tuple[time, time]:
    """Parse a working period "HH:MM-HH:MM" (local time). Unlike a route's time_of_day, a
    working period may not cross midnight, nor end at 24:00. Raises ValueError saying what is
    wrong."""
    m = _TIME_RANGE.match(text.replace(" ", ""))
    if m is None:
        raise ValueError(f"working period {text!r} must look like 08:30-12:00 (HH:MM-HH:MM)")
    sh, sm, eh, em = (int(g) for g in m.groups())
    if sh > 23 or sm > 59 or eh > 23 or em > 59:
        raise ValueError(f"working period {text!r} has an impossible time (a period ends by 23:59)")
    start, end = time(sh, sm), time(eh, em)
    if start >= end:
        raise ValueError(
            f"working period {text!r} does not end after it starts; periods may not cross midnight"
        )
    return start, end


def _working_period(value: Any) -> Any:
    if isinstance(value, str):
        return parse_working_period(value)
    raise ValueError(f"a working period must be a string such as '08:30-12:00' (got {value!r})")


def _iso_date(value: Any) -> Any:
    # YAML reads an unquoted 2025-10-01 as a date already; a quoted one is a string.
    if isinstance(value, datetime):
        raise ValueError(f"{value.isoformat()} has a time of day; give the date alone (2025-10-01)")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the calendar") from None
    raise ValueError(f"a date must be an ISO date such as 2025-10-01 (got {value!r})")


WorkingPeriod = Annotated[tuple[time, time], BeforeValidator(_working_period)]
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
PolicyName = Annotated[str, Field(pattern=_ROUTE_NAME, max_length=64)]


class CalendarSpec(_Strict):
    """The working-day calendar the working-time clock counts on: working hours, and dates that
    override the statutory holiday calendar (the `chinesecalendar` package)."""

    working_hours: list[WorkingPeriod] = Field(min_length=1)
    extra_holidays: list[IsoDate] = Field(default_factory=list)
    extra_working_days: list[IsoDate] = Field(default_factory=list)
    known_years: list[Annotated[int, Field(ge=2000, le=2100)]] = Field(default_factory=list)


class ExtensionsSpec(_Strict):
    """Extensions (延期): how many per incident, and how long each may be."""

    max_count: int = Field(ge=0, le=100)
    max_each: Duration


class LevelLimitsSpec(_Strict):
    """The limits at one level; a stage left out has no clock at that level."""

    sign: Duration | None = None
    handle: Duration | None = None
    verify: Duration | None = None


class SlaPolicySpec(_Strict):
    """One SLA policy, as routes name it with `sla:`."""

    clock: ClockName
    renotify_every: Duration
    limits: dict[LevelName, LevelLimitsSpec]


class SlaSpec(_Strict):
    """The `sla` section: the calendar, the extension rules and the named policies."""

    calendar: CalendarSpec
    extensions: ExtensionsSpec
    policies: dict[PolicyName, SlaPolicySpec] = Field(min_length=1)


ActionCode = Annotated[str, Field(pattern=r"^[A-Z][A-Z_]{1,31}$")]
EnvName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,63}$")]
FactName = Annotated[str, Field(pattern=r"^[a-z][a-z_]*$")]


class BridgeWhenSpec(_Strict):
    """Which changes of which incidents a bridge carries; every key given must hold."""

    sources: list[SourceName] = Field(default_factory=list)
    categories: list[NonEmpty] = Field(default_factory=list)
    min_grade: GradeName | None = None
    actions: list[ActionCode] = Field(default_factory=list)
    require: list[FactName] = Field(default_factory=list)


class PayloadFieldSpec(_Strict):
    """A payload field taken from a fact through a value map (`fact` + `map`), or a literal
    (`value`)."""

    fact: FactName | None = None
    map: dict[NonEmpty, str] = Field(default_factory=dict)
    value: str | int | float | bool | None = None


class BridgeSpec(_Strict):
    """One bridge to an outside system: where it is (environment variables, so that addresses
    and secrets stay out of the policy file), what it carries, and in what shape."""

    description: str | None = None
    url_env: EnvName
    secret_env: EnvName
    path: Annotated[str, Field(pattern=r"^/")]
    when: BridgeWhenSpec = Field(default_factory=BridgeWhenSpec)
    payload: dict[NonEmpty, FactName | PayloadFieldSpec] = Field(min_length=1)
    max_attempts: int = Field(default=12, ge=1, le=1000)
    timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    # Backoff between attempts: exponential from `backoff_first_seconds`, at most
    # `backoff_max_seconds`, with jitter; the circuit opens after `breaker_failures` failed
    # deliveries in a row and lets a trial call through after `breaker_reset_seconds`.
    backoff_first_seconds: float = Field(default=2.0, gt=0, le=3600)
    backoff_max_seconds: float = Field(default=600.0, gt=0, le=86400)
    breaker_failures: int = Field(default=5, ge=1, le=1000)
    breaker_reset_seconds: float = Field(default=30.0, gt=0, le=3600)


class AccessSpec(_Strict):
    """What the API shows without a token, and when failed authentication is throttled."""

    # Categories whose incidents Open311 shows to anyone (the public view: service, status,
    # agency, times, the street or community; never the reporter, text or coordinates).
    public_categories: list[NonEmpty] = Field(default_factory=list)
    # Failed authentications (bad tokens, bad bridge signatures) allowed per minute from one
    # client address, and for one token prefix, before answers become 429 with Retry-After.
    failed_auth_per_minute: int = Field(default=30, ge=1, le=1_000_000)


class PolicyFile(_Strict):
    """The whole policy file."""

    version: NonEmpty
    taxonomy: NonEmpty
    # The learned category model (`grid-router model train`), next to the policy; without it
    # the lexicon alone decides the category.
    model: NonEmpty | None = None
    description: str | None = None
    grading: GradingSpec
    category_floors: dict[NonEmpty, LevelName] = Field(default_factory=dict)
    departments: dict[NonEmpty, dict[LevelName, NonEmpty]]
    sla: SlaSpec
    merge: MergeSpec = Field(default_factory=MergeSpec)
    bursts: list[BurstSpec] = Field(default_factory=list)
    bridges: dict[Annotated[str, Field(pattern=_ROUTE_NAME)], BridgeSpec] = Field(
        default_factory=dict
    )
    route: RouteSpec
    access: AccessSpec = Field(default_factory=AccessSpec)
