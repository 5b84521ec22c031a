"""SLA deadline arithmetic: wall-clock and working-time clocks on a working-day calendar.

Pure: standard library only, no clock reads. The calendar is a value handed in; building it from
the holiday package (and the operator's extra dates) is the job of `grid_router.adapters.holidays`.

Two clocks (DESIGN.md §4): emergencies count wall-clock time; ordinary matters count working time,
i.e. only the instants inside the working hours of working days. A working day is Monday to
Friday, minus statutory holidays, plus the weekend days made working days by an adjustment
(调休). A warning (黄牌) falls due at 70% of a limit and a breach (红牌) at 100%.

Every instant returned is an aware datetime in UTC. Inputs may be in any timezone; working hours
are read in the calendar's timezone (a fixed offset: China has no daylight saving time).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Final

from grid_router.domain.model import Deadlines, Level
from grid_router.exceptions import GridRouterError

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8))
"""Asia/Shanghai as a fixed offset: UTC+8 all year, no daylight saving time since 1991."""

DEFAULT_WORKING_HOURS: Final[tuple[tuple[time, time], ...]] = (
    (time(8, 30), time(12, 0)),
    (time(14, 30), time(18, 0)),
)
"""Xiamen government office hours: 08:30–12:00 and 14:30–18:00 (7 working hours a day)."""

WARNING_FRACTION: Final = 0.7
"""The share of a limit after which the warning (黄牌) falls due."""

_ONE_DAY: Final = timedelta(days=1)
_SATURDAY: Final = 5


class SlaError(GridRouterError, ValueError):
    """An SLA limit, scale, duration or calendar that cannot be used; the message says why."""


class ClockKind(StrEnum):
    """How a limit is counted."""

    WALL_CLOCK = "wall_clock"  # emergencies: every minute counts
    WORKING_TIME = "working_time"  # ordinary matters: working hours of working days only


class SlaStage(StrEnum):
    """The three clocks of a work order (the values are the `stage` label of the metrics)."""

    SIGN = "sign"  # 签收
    HANDLE = "handle"  # 处理反馈
    VERIFY = "verify"  # 核查


# --------------------------------------------------------------------------------------------
# The working-day calendar


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Which days are working days, and the working hours of each.

    `holidays` are days off even on a weekday; `adjusted_working_days` are weekend days that are
    working days (调休). `known_years` are the years whose arrangement the data covers: a date in
    any other year is judged by the weekend alone (plus any dates listed explicitly), and
    `unknown_years_touched` tells the caller so that it can log a warning. The default calendar
    knows no year at all: Monday to Friday, every week.
    """

    holidays: frozenset[date] = frozenset()
    adjusted_working_days: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()
    working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS
    tz: timezone = CHINA_STANDARD_TIME

    def __post_init__(self) -> None:
        clash = self.holidays & self.adjusted_working_days
        if clash:
            shown = ", ".join(d.isoformat() for d in sorted(clash)[:10])
            raise SlaError(
                f"{len(clash)} date(s) are both a holiday and an adjusted working day: {shown}; "
                "each date must be one or the other"
            )
        _check_working_hours(self.working_hours)

    @property
    def working_time_per_day(self) -> timedelta:
        """The working time in one full working day (7 hours with the default hours)."""
        return sum((_span(start, end) for start, end in self.working_hours), timedelta())

    def knows_year(self, year: int) -> bool:
        """Whether the calendar has the holiday arrangement of `year`."""
        return year in self.known_years

    def is_working_day(self, day: date) -> bool:
        """Holiday → no; adjusted working day → yes; otherwise Monday to Friday."""
        if day in self.holidays:
            return False
        if day in self.adjusted_working_days:
            return True
        return day.weekday() < _SATURDAY

    def unknown_years_touched(self, start: date, end: date) -> frozenset[int]:
        """The years between `start` and `end` (inclusive, either order) that the calendar does
        not know, so that the caller can warn that weekends alone were used for them. Datetimes
        are taken as dates in the calendar's timezone."""
        first, last = sorted((self._local_date(start), self._local_date(end)))
        return frozenset(y for y in range(first.year, last.year + 1) if y not in self.known_years)

    def _local_date(self, moment: date) -> date:
        if isinstance(moment, datetime):
            return _require_aware(moment).astimezone(self.tz).date()
        return moment

    def periods_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """The working periods (start, end) that end after `moment` (an aware datetime), in
        order and without end; the first is clipped to start no earlier than `moment`."""
        day = _require_aware(moment).astimezone(self.tz).date()
        while True:
            if self.is_working_day(day):
                for start_time, end_time in self.working_hours:
                    start = datetime.combine(day, start_time, self.tz)
                    end = datetime.combine(day, end_time, self.tz)
                    if end > moment:
                        yield max(start, moment), end
            day += _ONE_DAY


def _span(start: time, end: time) -> timedelta:
    return datetime.combine(date.min, end) - datetime.combine(date.min, start)


def _check_working_hours(hours: tuple[tuple[time, time], ...]) -> None:
    if not hours:
        raise SlaError("working hours are empty: give at least one (start, end) period a day")
    previous_end: time | None = None
    for start, end in hours:
        if start.tzinfo is not None or end.tzinfo is not None:
            raise SlaError(
                f"working hours {start}–{end} carry a timezone; give local times and set the "
                "calendar's timezone instead"
            )
        if start >= end:
            raise SlaError(
                f"working period {start:%H:%M}–{end:%H:%M} does not end after it starts; "
                "periods may not cross midnight"
            )
        if previous_end is not None and start < previous_end:
            raise SlaError(
                f"working period {start:%H:%M}–{end:%H:%M} starts before the previous one ends "
                f"({previous_end:%H:%M}); list the periods in order, without overlap"
            )
        previous_end = end


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise SlaError(f"{moment.isoformat()} has no timezone; SLA arithmetic needs aware times")
    return moment


def _require_not_negative(duration: timedelta) -> timedelta:
    if duration < timedelta():
        raise SlaError(f"a duration of {duration} is negative; SLA durations count forwards")
    return duration


# --------------------------------------------------------------------------------------------
# Adding time, measuring time


def add_wall_clock(start: datetime, duration: timedelta) -> datetime:
    """`start` plus `duration` of wall-clock time, in UTC."""
    return _require_aware(start).astimezone(UTC) + _require_not_negative(duration)


def add_working_time(start: datetime, duration: timedelta, calendar: WorkingCalendar) -> datetime:
    """The instant, in UTC, at which `duration` of working time has elapsed after `start`.

    A start outside working hours starts the clock at the next working period. A duration that
    runs out exactly at the end of a period ends there (12:00, not 14:30). A zero duration is due
    at `start` itself.
    """
    _require_not_negative(duration)
    moment = _require_aware(start).astimezone(UTC)
    if not duration:
        return moment
    remaining = duration
    # One step per working period: 15 working days is about 30 steps, whatever the precision.
    for period_start, period_end in calendar.periods_from(moment):
        available = period_end - period_start
        if remaining <= available:
            return (period_start + remaining).astimezone(UTC)
        remaining -= available
    raise AssertionError("unreachable: the working periods never run out")


def working_time_between(start: datetime, end: datetime, calendar: WorkingCalendar) -> timedelta:
    """The working time from `start` to `end`; zero if `end` is not after `start`."""
    begin = _require_aware(start).astimezone(UTC)
    finish = _require_aware(end).astimezone(UTC)
    total = timedelta()
    for period_start, period_end in calendar.periods_from(begin):
        if period_start >= finish:
            break
        total += min(period_end, finish) - period_start
    return total


def add_time(
    start: datetime, duration: timedelta, kind: ClockKind, calendar: WorkingCalendar | None
) -> datetime:
    """`start` plus `duration` on the clock `kind` (the calendar is needed for working time)."""
    if kind is ClockKind.WALL_CLOCK:
        return add_wall_clock(start, duration)
    return add_working_time(start, duration, _require_calendar(calendar))


def time_between(
    start: datetime, end: datetime, kind: ClockKind, calendar: WorkingCalendar | None
) -> timedelta:
    """The time from `start` to `end` counted on the clock `kind`; zero if `end` is not later."""
    if kind is ClockKind.WALL_CLOCK:
        return max(_require_aware(end) - _require_aware(start), timedelta())
    return working_time_between(start, end, _require_calendar(calendar))


def _require_calendar(calendar: WorkingCalendar | None) -> WorkingCalendar:
    if calendar is None:
        raise SlaError("working time needs a working calendar, and none was given")
    return calendar


def scaled(limit: timedelta, scale: float) -> timedelta:
    """`limit` divided by the drill-clock scale (GRID_SLA_SCALE), to the microsecond.

    With working time the DURATION is divided and the calendar kept: at scale 60 a 2-hour limit
    is 2 working minutes, so a drill started on a Friday evening still waits for Monday morning.
    Scaling the calendar too (shrinking nights and weekends) would make a drill's timings depend
    on when it runs in a way nobody could reason about; run drills in working hours instead.
    """
    if not (math.isfinite(scale) and scale > 0):
        raise SlaError(
            f"SLA scale {scale!r} must be a finite number greater than 0 (1 = real time)"
        )
    return limit / scale


def elapsed_fraction(
    start: datetime,
    now: datetime,
    limit: timedelta,
    kind: ClockKind,
    calendar: WorkingCalendar | None,
    scale: float = 1.0,
) -> float:
    """How much of `limit` (divided by `scale`) has been used from `start` to `now`: 0 at the
    start, 0.7 at the warning, 1.0 at the breach, more after it. Working time is counted exactly
    as `add_working_time` counts it, so the computed deadline is at exactly 1.0."""
    effective = scaled(_require_positive(limit, "limit"), scale)
    if not effective:
        raise SlaError(f"limit {limit} divided by scale {scale} is shorter than a microsecond")
    return time_between(start, now, kind, calendar) / effective


def _require_positive(duration: timedelta, what: str) -> timedelta:
    if duration <= timedelta():
        raise SlaError(f"SLA {what} {duration} must be longer than zero")
    return duration


# --------------------------------------------------------------------------------------------
# Limits and deadlines


@dataclass(frozen=True, slots=True)
class SlaLimits:
    """The time limits of one policy entry (category × grade × level); None where a stage has
    no limit. Each is measured from the instant its clock starts, see `deadlines`."""

    sign: timedelta | None = None
    handle: timedelta | None = None
    verify: timedelta | None = None

    def __post_init__(self) -> None:
        for stage in SlaStage:
            limit = self.for_stage(stage)
            if limit is not None:
                _require_positive(limit, f"time to {stage.value}")

    def for_stage(self, stage: SlaStage) -> timedelta | None:
        """The limit of `stage`, or None."""
        match stage:
            case SlaStage.SIGN:
                return self.sign
            case SlaStage.HANDLE:
                return self.handle
            case SlaStage.VERIFY:
                return self.verify


@dataclass(frozen=True, slots=True)
class StageDeadline:
    """One running clock: started at `started_at`, warning at `warn_at` (70% of `limit`), breach
    at `due_at` (100%). `limit` is the limit in force after scaling and extensions; `scale` is
    kept so that an extension is scaled like the limit it extends."""

    stage: SlaStage
    kind: ClockKind
    started_at: datetime
    limit: timedelta
    scale: float
    warn_at: datetime
    due_at: datetime


def stage_deadline(
    stage: SlaStage,
    started_at: datetime,
    limit: timedelta,
    kind: ClockKind,
    calendar: WorkingCalendar | None,
    scale: float = 1.0,
) -> StageDeadline:
    """The warning and breach instants of one stage whose clock starts at `started_at`."""
    effective = scaled(_require_positive(limit, f"time to {stage.value}"), scale)
    return _stage(stage, started_at, effective, kind, calendar, scale)


def _stage(
    stage: SlaStage,
    started_at: datetime,
    effective: timedelta,
    kind: ClockKind,
    calendar: WorkingCalendar | None,
    scale: float,
) -> StageDeadline:
    start = _require_aware(started_at).astimezone(UTC)
    return StageDeadline(
        stage=stage,
        kind=kind,
        started_at=start,
        limit=effective,
        scale=scale,
        warn_at=add_time(start, effective * WARNING_FRACTION, kind, calendar),
        due_at=add_time(start, effective, kind, calendar),
    )


def extend(
    deadline: StageDeadline, by: timedelta, calendar: WorkingCalendar | None
) -> StageDeadline:
    """The deadline after an extension (延期) by `by`, counted on the deadline's own clock and
    divided by its scale. The breach moves to `by` after the old one, and the warning to 70% of
    the lengthened limit."""
    extra = scaled(_require_positive(by, "extension"), deadline.scale)
    return _stage(
        deadline.stage,
        deadline.started_at,
        deadline.limit + extra,
        deadline.kind,
        calendar,
        deadline.scale,
    )


@dataclass(frozen=True, slots=True)
class SlaDeadlines:
    """The clocks of one work order, all started at `filed_at`.

    `unknown_years` lists the years the working-time arithmetic crossed without knowing their
    holidays (weekends alone were used); the caller logs a warning for them once.
    """

    filed_at: datetime
    kind: ClockKind
    scale: float
    sign: StageDeadline | None = None
    handle: StageDeadline | None = None
    verify: StageDeadline | None = None
    unknown_years: frozenset[int] = frozenset()

    @property
    def sign_by(self) -> datetime | None:
        return self.sign.due_at if self.sign else None

    @property
    def handle_by(self) -> datetime | None:
        return self.handle.due_at if self.handle else None

    @property
    def verify_by(self) -> datetime | None:
        return self.verify.due_at if self.verify else None

    def stages(self) -> tuple[StageDeadline, ...]:
        """The clocks that run, in stage order."""
        return tuple(s for s in (self.sign, self.handle, self.verify) if s is not None)

    def as_work_order_deadlines(self) -> Deadlines:
        """The breach instants, as carried on a WorkOrder."""
        return Deadlines(sign_by=self.sign_by, handle_by=self.handle_by, verify_by=self.verify_by)


def deadlines(
    filed_at: datetime,
    limits: SlaLimits,
    kind: ClockKind,
    calendar: WorkingCalendar | None,
    scale: float = 1.0,
) -> SlaDeadlines:
    """Every stage's warning and breach instants, each limit measured from `filed_at`.

    The limits are therefore cumulative (a verify limit counts from filing, not from handling).
    A stage whose clock starts later, such as verification after the handling feedback, takes
    `stage_deadline` with its own start. `scale` divides every limit (see `scaled`); a calendar
    is needed for working time and ignored for wall-clock time.
    """
    start = _require_aware(filed_at).astimezone(UTC)
    by_stage: dict[SlaStage, StageDeadline] = {}
    for stage in SlaStage:
        limit = limits.for_stage(stage)
        if limit is not None:
            by_stage[stage] = stage_deadline(stage, start, limit, kind, calendar, scale)
    unknown: frozenset[int] = frozenset()
    if kind is ClockKind.WORKING_TIME and by_stage:
        last_due = max(s.due_at for s in by_stage.values())
        unknown = _require_calendar(calendar).unknown_years_touched(start, last_due)
    return SlaDeadlines(
        filed_at=start,
        kind=kind,
        scale=scale,
        sign=by_stage.get(SlaStage.SIGN),
        handle=by_stage.get(SlaStage.HANDLE),
        verify=by_stage.get(SlaStage.VERIFY),
        unknown_years=unknown,
    )


# --------------------------------------------------------------------------------------------
# SLA policies: the limits a route's `sla` name stands for


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """One named SLA policy, as a route's `sla` names it (routes choose it by category and
    grade): how its clocks count, the limits at each level, and how often the city is reminded
    of a breach it holds (the city cannot be passed over; it is reminded instead)."""

    name: str
    clock: ClockKind
    limits: Mapping[Level, SlaLimits]
    renotify_every: timedelta

    def __post_init__(self) -> None:
        missing = [lvl.value for lvl in Level if lvl not in self.limits]
        if missing:
            raise SlaError(f"SLA policy {self.name!r} has no limits for {', '.join(missing)}")
        _require_positive(self.renotify_every, "reminder interval")

    def at(self, level: Level) -> SlaLimits:
        return self.limits[level]


@dataclass(frozen=True, slots=True)
class ExtensionRules:
    """How far a unit may extend (延期) its clock: at most `max_count` extensions per incident,
    each at most `max_each` (counted on the clock being extended)."""

    max_count: int = 2
    max_each: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class SlaRules:
    """Every SLA policy of a policy file, and the extension rules they share."""

    policies: Mapping[str, SlaPolicy]
    extensions: ExtensionRules = ExtensionRules()

    def policy(self, name: str) -> SlaPolicy:
        """The policy called `name`; raises SlaError naming the known ones."""
        try:
            return self.policies[name]
        except KeyError:
            known = ", ".join(sorted(self.policies)) or "none"
            raise SlaError(f"unknown SLA policy {name!r}; the policy file has {known}") from None
