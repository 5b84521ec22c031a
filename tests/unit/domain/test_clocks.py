"""SLA clocks as timers: starting them per stage and level, which survive a change of state,
pausing and resuming (挂账/恢复计时), extending (延期), reminders at the city, and the SLA terms
an incident keeps."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from grid_router.domain.clocks import (
    ON_DISPATCH,
    Card,
    ClockSettings,
    PausedClock,
    SlaTerms,
    Timer,
    deadlines_of,
    describe,
    extend,
    pause,
    reminder,
    resume,
    start,
    still_running,
)
from grid_router.domain.model import Deadlines, Level, State
from grid_router.domain.sla import (
    CHINA_STANDARD_TIME,
    ClockKind,
    ExtensionRules,
    SlaError,
    SlaLimits,
    SlaPolicy,
    SlaStage,
    WorkingCalendar,
)

M = timedelta(minutes=1)
H = timedelta(hours=1)
S = timedelta(seconds=1)


def days(first: date, last: date) -> set[date]:
    """Every date from `first` to `last`, inclusive."""
    return {first + timedelta(n) for n in range((last - first).days + 1)}


# The autumn of 2026 (国办发明电〔2025〕7号): 中秋 Fri 25 – Sun 27 September, 国庆节 Thu 1 – Wed 7
# October, and the weekend days worked in exchange.
CAL = WorkingCalendar(
    holidays=frozenset(days(date(2026, 9, 25), date(2026, 9, 27)))
    | frozenset(days(date(2026, 10, 1), date(2026, 10, 7))),
    adjusted_working_days=frozenset({date(2026, 9, 20), date(2026, 10, 10)}),
    known_years=frozenset({2026}),
)
REAL_TIME = ClockSettings(CAL)
DRILL = ClockSettings(CAL, scale=60)

EVENT = "e-1"
COMMUNITY = "350203003001"  # 仁安社区, 中华街道, 思明区
STREET = "350203003"
UNIT_AT = {
    Level.COMMUNITY: COMMUNITY,
    Level.STREET: STREET,
    Level.DISTRICT: "350203",
    Level.CITY: "350200",
}
T0 = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # Friday 09:30 in Xiamen


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Xiamen local time in 2026."""
    return datetime(2026, month, day, hour, minute, tzinfo=CHINA_STANDARD_TIME)


def policy(clock: ClockKind = ClockKind.WALL_CLOCK) -> SlaPolicy:
    """Short limits, different at each level; no verify limit at the street."""
    return SlaPolicy(
        name="test",
        clock=clock,
        limits={
            Level.COMMUNITY: SlaLimits(sign=10 * M, handle=100 * M, verify=60 * M),
            Level.STREET: SlaLimits(sign=20 * M, handle=200 * M),
            Level.DISTRICT: SlaLimits(sign=30 * M, handle=300 * M, verify=60 * M),
            Level.CITY: SlaLimits(sign=40 * M, handle=400 * M, verify=60 * M),
        },
        renotify_every=30 * M,
    )


WALL = SlaTerms(policy(), ExtensionRules(max_count=2, max_each=60 * M), "v1")
WORKING = SlaTerms(
    SlaPolicy(
        name="ordinary",
        clock=ClockKind.WORKING_TIME,
        limits={level: SlaLimits(sign=2 * H, handle=3 * H, verify=7 * H) for level in Level},
        renotify_every=30 * M,
    ),
    ExtensionRules(),
    "v1",
)


def clocks(
    now: datetime = T0,
    terms: SlaTerms = WALL,
    settings: ClockSettings = REAL_TIME,
    stages: tuple[SlaStage, ...] = ON_DISPATCH,
    level: Level = Level.COMMUNITY,
    unit: str = COMMUNITY,
) -> tuple[Timer, ...]:
    return start(EVENT, stages, terms, level, unit, now, settings)


def dues(timers: tuple[Timer, ...]) -> dict[tuple[SlaStage, Card], datetime]:
    return {(t.stage, t.card): t.due_at for t in timers}


def without(timers: tuple[Timer, ...], stage: SlaStage, card: Card) -> tuple[Timer, ...]:
    """The timers after the one of (stage, card) went off."""
    return tuple(t for t in timers if (t.stage, t.card) != (stage, card))


SW, SB = (SlaStage.SIGN, Card.WARNING), (SlaStage.SIGN, Card.BREACH)
HW, HB = (SlaStage.HANDLE, Card.WARNING), (SlaStage.HANDLE, Card.BREACH)
VW, VB = (SlaStage.VERIFY, Card.WARNING), (SlaStage.VERIFY, Card.BREACH)


# --------------------------------------------------------------------------------------------
# start


@pytest.mark.parametrize(
    ("level", "stages", "expected"),
    [
        (Level.COMMUNITY, ON_DISPATCH, {SW: 7 * M, SB: 10 * M, HW: 70 * M, HB: 100 * M}),
        (Level.STREET, ON_DISPATCH, {SW: 14 * M, SB: 20 * M, HW: 140 * M, HB: 200 * M}),
        (Level.CITY, ON_DISPATCH, {SW: 28 * M, SB: 40 * M, HW: 280 * M, HB: 400 * M}),
        (Level.COMMUNITY, (SlaStage.VERIFY,), {VW: 42 * M, VB: 60 * M}),
        (Level.DISTRICT, (SlaStage.HANDLE,), {HW: 210 * M, HB: 300 * M}),
        # No verify limit at the street: no clock at all.
        (Level.STREET, (SlaStage.VERIFY,), {}),
        (Level.STREET, (SlaStage.SIGN, SlaStage.VERIFY), {SW: 14 * M, SB: 20 * M}),
    ],
)
def test_start_gives_a_warning_at_70_percent_and_a_breach_at_the_limit(
    level: Level,
    stages: tuple[SlaStage, ...],
    expected: dict[tuple[SlaStage, Card], timedelta],
) -> None:
    timers = clocks(stages=stages, level=level, unit=UNIT_AT[level])
    assert dues(timers) == {key: T0 + offset for key, offset in expected.items()}
    assert len(timers) == len(expected)
    limits = WALL.policy.at(level)
    for t in timers:
        assert (t.event_id, t.level, t.unit_code) == (EVENT, level, UNIT_AT[level])
        assert (t.started_at, t.limit, t.clock, t.repeat) == (
            T0,
            limits.for_stage(t.stage),
            ClockKind.WALL_CLOCK,
            0,
        )


def test_start_lists_each_stage_warning_first() -> None:
    assert [(t.stage, t.card) for t in clocks()] == [SW, SB, HW, HB]


@pytest.mark.parametrize(
    ("now", "stage", "warn_at", "due_at"),
    [
        # Friday 17:00, 2 working hours: 1 h on Friday, the rest on Monday morning.
        (at(11, 27, 17), SlaStage.SIGN, at(11, 30, 8, 54), at(11, 30, 9, 30)),
        # Started at lunch time: counts from 14:30.
        (at(11, 27, 12, 30), SlaStage.SIGN, at(11, 27, 15, 54), at(11, 27, 16, 30)),
        # Started on a Saturday: counts from Monday 08:30.
        (at(11, 28, 10), SlaStage.HANDLE, at(11, 30, 10, 36), at(11, 30, 11, 30)),
        # Wednesday 30 September 17:00, 3 working hours: 国庆节 1–7 October is skipped.
        (at(9, 30, 17), SlaStage.HANDLE, at(10, 8, 9, 36), at(10, 8, 10, 30)),
        # Friday 9 October 17:00: Saturday 10 October is worked (调休).
        (at(10, 9, 17), SlaStage.SIGN, at(10, 10, 8, 54), at(10, 10, 9, 30)),
        # Thursday 24 September 17:00: 中秋 Friday 25 – Sunday 27 is off.
        (at(9, 24, 17), SlaStage.SIGN, at(9, 28, 8, 54), at(9, 28, 9, 30)),
    ],
)
def test_working_time_clocks_skip_nights_weekends_and_holidays(
    now: datetime, stage: SlaStage, warn_at: datetime, due_at: datetime
) -> None:
    timers = clocks(now, WORKING, stages=(stage,))
    assert dues(timers) == {(stage, Card.WARNING): warn_at, (stage, Card.BREACH): due_at}
    assert all(t.clock is ClockKind.WORKING_TIME and t.started_at == now for t in timers)
    assert all(t.due_at.tzinfo is UTC for t in timers)


def test_the_drill_scale_divides_every_limit() -> None:
    timers = clocks(settings=DRILL)
    assert dues(timers) == {SW: T0 + 7 * S, SB: T0 + 10 * S, HW: T0 + 70 * S, HB: T0 + 100 * S}
    assert {t.stage: t.limit for t in timers} == {SlaStage.SIGN: 10 * S, SlaStage.HANDLE: 100 * S}


def test_the_drill_scale_keeps_the_working_calendar() -> None:
    # 2 working hours at scale 60 are 2 working minutes, still counted from Monday 08:30.
    timers = clocks(at(11, 28, 10), WORKING, DRILL, stages=(SlaStage.SIGN,))
    assert dues(timers) == {
        SW: at(11, 30, 8, 31) + 24 * S,
        SB: at(11, 30, 8, 32),
    }


# --------------------------------------------------------------------------------------------
# still_running


ALL_STAGES = (SlaStage.SIGN, SlaStage.HANDLE, SlaStage.VERIFY)


@pytest.mark.parametrize(
    ("state", "unit", "running"),
    [
        (State.DISPATCHED, COMMUNITY, {SlaStage.SIGN, SlaStage.HANDLE}),
        (State.SIGNED, COMMUNITY, {SlaStage.HANDLE}),
        (State.IN_PROGRESS, COMMUNITY, {SlaStage.HANDLE}),
        (State.HANDLED, COMMUNITY, {SlaStage.VERIFY}),
        (State.VERIFIED, COMMUNITY, set()),
        (State.SUSPENDED, COMMUNITY, set()),
        (State.CLOSED, COMMUNITY, set()),
        (State.VOIDED, COMMUNITY, set()),
        # Another unit holds the incident: none of this unit's clocks runs.
        (State.DISPATCHED, STREET, set()),
        (State.SIGNED, "350203003003", set()),
        (State.HANDLED, STREET, set()),
    ],
)
def test_still_running_keeps_the_clocks_of_the_state_and_the_unit(
    state: State, unit: str, running: set[SlaStage]
) -> None:
    timers = clocks(stages=ALL_STAGES)
    kept = still_running(timers, state, unit)
    assert {t.stage for t in kept} == running
    assert kept == tuple(t for t in timers if t.stage in running)  # whole, in order


def test_still_running_keeps_the_reminders_of_the_city() -> None:
    breach = clocks(level=Level.CITY, unit="350200")[1]
    nxt = reminder(breach, 30 * M, breach.due_at, REAL_TIME)
    assert still_running((nxt,), State.DISPATCHED, "350200") == (nxt,)
    assert still_running((nxt,), State.SIGNED, "350200") == ()


# --------------------------------------------------------------------------------------------
# deadlines_of


def test_deadlines_of_gives_the_breach_instants() -> None:
    assert deadlines_of(clocks(stages=ALL_STAGES)) == Deadlines(
        sign_by=T0 + 10 * M, handle_by=T0 + 100 * M, verify_by=T0 + 60 * M
    )
    assert deadlines_of(clocks()) == Deadlines(sign_by=T0 + 10 * M, handle_by=T0 + 100 * M)
    assert deadlines_of(clocks(stages=(SlaStage.VERIFY,))) == Deadlines(verify_by=T0 + 60 * M)
    assert deadlines_of(()) == Deadlines()


def test_deadlines_of_ignores_warnings_and_reminders() -> None:
    sign_warning, sign_breach, *_ = clocks()
    nxt = reminder(sign_breach, 30 * M, sign_breach.due_at, REAL_TIME)
    assert deadlines_of((sign_warning, nxt)) == Deadlines()


# --------------------------------------------------------------------------------------------
# reminder


@pytest.mark.parametrize(
    ("settings", "late", "every_after_due"),
    [
        (REAL_TIME, timedelta(), 30 * M),
        (DRILL, timedelta(), 30 * S),
        # The scheduler ran late: the next reminder counts from when this one went off.
        (REAL_TIME, 5 * M, 35 * M),
        (DRILL, 5 * M, 5 * M + 30 * S),
    ],
)
def test_a_reminder_follows_renotify_every_divided_by_the_scale(
    settings: ClockSettings, late: timedelta, every_after_due: timedelta
) -> None:
    breach = clocks(level=Level.CITY, unit="350200", settings=settings)[1]
    first = reminder(breach, 30 * M, breach.due_at + late, settings)
    assert (first.card, first.repeat, first.due_at) == (
        Card.REMINDER,
        1,
        breach.due_at + every_after_due,
    )
    assert (first.stage, first.level, first.unit_code, first.started_at, first.limit) == (
        breach.stage,
        breach.level,
        breach.unit_code,
        breach.started_at,
        breach.limit,
    )
    second = reminder(first, 30 * M, first.due_at, settings)
    assert (second.card, second.repeat) == (Card.REMINDER, 2)
    assert second.due_at == first.due_at + scaled_interval(settings)


def scaled_interval(settings: ClockSettings) -> timedelta:
    return 30 * M / settings.scale


def test_a_reminder_on_working_time_waits_for_the_next_working_period() -> None:
    # The sign clock of 2 working hours started Friday 15:45 breaches at 17:45; the reminder
    # 30 working minutes later is Monday 08:45.
    breach = clocks(at(11, 27, 15, 45), WORKING, stages=(SlaStage.SIGN,))[1]
    assert breach.due_at == at(11, 27, 17, 45)
    assert reminder(breach, 30 * M, breach.due_at, REAL_TIME).due_at == at(11, 30, 8, 45)


# --------------------------------------------------------------------------------------------
# pause and resume


def test_pause_keeps_what_is_left_of_each_clock() -> None:
    paused = pause(clocks(), T0 + 5 * M, REAL_TIME)
    assert paused == (
        PausedClock(SlaStage.SIGN, 5 * M, 10 * M, ClockKind.WALL_CLOCK, warned=False),
        PausedClock(SlaStage.HANDLE, 95 * M, 100 * M, ClockKind.WALL_CLOCK, warned=False),
    )


def test_pause_remembers_a_warning_already_given() -> None:
    timers = without(clocks(), *SW)  # the sign warning went off at T0 + 7 min
    paused = pause(timers, T0 + 8 * M, REAL_TIME)
    assert [(p.stage, p.remaining, p.warned) for p in paused] == [
        (SlaStage.SIGN, 2 * M, True),
        (SlaStage.HANDLE, 92 * M, False),
    ]


def test_pause_after_the_breach_is_due_leaves_nothing() -> None:
    paused = pause(clocks(), T0 + 15 * M, REAL_TIME)
    assert paused[0].remaining == timedelta()
    resumed = resume(EVENT, paused[:1], Level.COMMUNITY, COMMUNITY, T0 + H, REAL_TIME)
    assert dues(resumed) == {SW: T0 + H, SB: T0 + H}  # both fall due as soon as it runs again


def test_resume_runs_the_clocks_on_from_where_they_stopped() -> None:
    paused = pause(clocks(), T0 + 5 * M, REAL_TIME)
    back = T0 + 3 * H
    resumed = resume(EVENT, paused, Level.COMMUNITY, COMMUNITY, back, REAL_TIME)
    # Each breach after what was left; each warning at the same point of the limit as before
    # (70% of 10 min is 7 min: 2 min after 5 used; 70 of 100 min: 65 after 5 used).
    assert dues(resumed) == {
        SW: back + 2 * M,
        SB: back + 5 * M,
        HW: back + 65 * M,
        HB: back + 95 * M,
    }
    assert all(
        (t.event_id, t.level, t.unit_code, t.started_at)
        == (EVENT, Level.COMMUNITY, COMMUNITY, back)
        for t in resumed
    )


def test_resume_does_not_repeat_a_warning_already_given() -> None:
    timers = without(clocks(), *SW)
    paused = pause(timers, T0 + 8 * M, REAL_TIME)
    resumed = resume(EVENT, paused, Level.COMMUNITY, COMMUNITY, T0 + H, REAL_TIME)
    assert dues(resumed) == {SB: T0 + H + 2 * M, HW: T0 + H + 62 * M, HB: T0 + H + 92 * M}


@pytest.mark.parametrize(
    ("started", "paused_at", "resumed_at", "warn_at", "due_at"),
    [
        # 2 working hours from Friday 09:30; paused at 10:30 with 1 h left, resumed on Monday.
        (at(11, 27, 9, 30), at(11, 27, 10, 30), at(11, 30, 10), at(11, 30, 10, 24), at(11, 30, 11)),
        # Paused on Wednesday 30 September at 17:30 with 1.5 h left; resumed during the
        # holiday: the clock still waits for Thursday 8 October.
        (at(9, 30, 17), at(9, 30, 17, 30), at(10, 3, 10), at(10, 8, 9, 24), at(10, 8, 10)),
        # Paused in the lunch break: what is left is counted in working time, not wall clock.
        (at(11, 27, 11), at(11, 27, 13), at(11, 27, 15), at(11, 27, 15, 24), at(11, 27, 16)),
    ],
)
def test_pause_and_resume_on_working_time(
    started: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    warn_at: datetime,
    due_at: datetime,
) -> None:
    timers = clocks(started, WORKING, stages=(SlaStage.SIGN,))
    paused = pause(timers, paused_at, REAL_TIME)
    assert len(paused) == 1
    assert paused[0].clock is ClockKind.WORKING_TIME
    resumed = resume(EVENT, paused, Level.COMMUNITY, COMMUNITY, resumed_at, REAL_TIME)
    assert dues(resumed) == {SW: warn_at, SB: due_at}


def test_pause_of_no_clock_is_nothing() -> None:
    assert pause((), T0, REAL_TIME) == ()
    assert resume(EVENT, (), Level.COMMUNITY, COMMUNITY, T0, REAL_TIME) == ()


def test_a_paused_clock_round_trips_through_json() -> None:
    for p in pause(clocks(), T0 + 5 * M, REAL_TIME):
        assert PausedClock.from_json(json.loads(json.dumps(p.to_json()))) == p


# --------------------------------------------------------------------------------------------
# extend


@pytest.mark.parametrize(
    ("settings", "by", "handle_warning", "handle_breach"),
    [
        (REAL_TIME, 60 * M, T0 + 112 * M, T0 + 160 * M),  # 70% of 160 min
        (REAL_TIME, 30 * M, T0 + 91 * M, T0 + 130 * M),
        (DRILL, 60 * M, T0 + 112 * S, T0 + 160 * S),  # the extension is scaled like the limit
    ],
)
def test_extend_moves_the_breach_and_the_warning(
    settings: ClockSettings, by: timedelta, handle_warning: datetime, handle_breach: datetime
) -> None:
    timers = clocks(settings=settings)
    extended = extend(timers, SlaStage.HANDLE, by, settings)
    assert extended is not None
    assert dues(extended) == {
        **dues(timers),
        HW: handle_warning,
        HB: handle_breach,
    }
    limit = 100 * M / settings.scale + by / settings.scale
    assert {t.limit for t in extended if t.stage is SlaStage.HANDLE} == {limit}
    assert [t for t in extended if t.stage is SlaStage.SIGN] == list(timers[:2])  # untouched


def test_extend_does_not_repeat_a_warning_already_given() -> None:
    timers = without(clocks(), *HW)
    extended = extend(timers, SlaStage.HANDLE, 60 * M, REAL_TIME)
    assert extended is not None
    assert dues(extended) == {SW: T0 + 7 * M, SB: T0 + 10 * M, HB: T0 + 160 * M}


def test_extend_on_working_time_counts_working_time() -> None:
    # 3 working hours from Wednesday 30 September 17:00 end on Thursday 8 October at 10:30;
    # one more working hour ends at 11:30.
    timers = clocks(at(9, 30, 17), WORKING, stages=(SlaStage.HANDLE,))
    extended = extend(timers, SlaStage.HANDLE, H, REAL_TIME)
    assert extended is not None
    assert dues(extended) == {HW: at(10, 8, 10, 18), HB: at(10, 8, 11, 30)}


@pytest.mark.parametrize(
    "timers",
    [
        (),
        clocks(stages=(SlaStage.SIGN,)),
        without(clocks(), *HB),  # only the warning is left: no clock to extend
    ],
)
def test_extend_of_a_clock_that_does_not_run_is_none(timers: tuple[Timer, ...]) -> None:
    assert extend(timers, SlaStage.HANDLE, 30 * M, REAL_TIME) is None


# --------------------------------------------------------------------------------------------
# SLA terms


@pytest.mark.parametrize("terms", [WALL, WORKING])
def test_sla_terms_round_trip_through_json(terms: SlaTerms) -> None:
    stored = json.loads(json.dumps(terms.to_json()))
    assert SlaTerms.from_json(stored) == terms


def test_sla_terms_as_stored() -> None:
    data = WALL.to_json()
    assert data["policy"] == "test"
    assert data["policy_version"] == "v1"
    assert data["clock"] == "wall_clock"
    assert data["renotify_every_s"] == 1800
    assert data["limits"]["street"] == {"sign": 1200, "handle": 12000}  # no verify limit
    assert data["limits"]["community"]["verify"] == 3600
    assert data["extensions"] == {"max_count": 2, "max_each_s": 3600}


def corrupt(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    """The stored terms of WALL, changed by `change`."""
    data: dict[str, Any] = json.loads(json.dumps(WALL.to_json()))
    change(data)
    return data


@pytest.mark.parametrize(
    "data",
    [
        {},
        corrupt(lambda d: d.pop("policy")),
        corrupt(lambda d: d.pop("policy_version")),
        corrupt(lambda d: d.pop("extensions")),
        corrupt(lambda d: d["extensions"].pop("max_each_s")),
        corrupt(lambda d: d.update(clock="sundial")),
        corrupt(lambda d: d.update(renotify_every_s="soon")),
        corrupt(lambda d: d.update(renotify_every_s=0)),
        corrupt(lambda d: d["limits"].update(province={"sign": 60})),
        corrupt(lambda d: d["limits"].pop("city")),
        corrupt(lambda d: d["limits"]["community"].update(sign_by=60)),
        corrupt(lambda d: d["limits"]["community"].update(sign=-60)),
        corrupt(lambda d: d["limits"]["community"].update(sign=None)),
        corrupt(lambda d: d.update(limits=[])),
        corrupt(lambda d: d["limits"].update(city=[60, 60])),
    ],
)
def test_corrupt_sla_terms_raise_sla_error(data: dict[str, Any]) -> None:
    with pytest.raises(SlaError, match="stored SLA terms cannot be read"):
        SlaTerms.from_json(data)


# --------------------------------------------------------------------------------------------
# describe


@pytest.mark.parametrize(
    ("limit", "clock", "text"),
    [
        (30 * M, ClockKind.WALL_CLOCK, "30 min"),
        (2 * H, ClockKind.WALL_CLOCK, "2 h"),
        (90 * M, ClockKind.WALL_CLOCK, "90 min"),
        (21 * H, ClockKind.WORKING_TIME, "21 working h"),
        (10 * S, ClockKind.WALL_CLOCK, "10.0 s"),
    ],
)
def test_describe_says_a_limit_as_operators_do(
    limit: timedelta, clock: ClockKind, text: str
) -> None:
    assert describe(limit, clock) == text
