"""The SLA clocks of one incident, as timers: when each falls due and what it does then.

Pure. A running clock of a stage (sign, handle, verify) is two timers: a warning (黄牌) at 70% of
the limit and a breach (红牌) at 100%. The router stores them in the database, indexed by due
time, and the scheduler fires them (DESIGN.md §4, §6). At the city, where nobody is above to
pass the incident to, a breach is followed by reminders on the policy's interval.

The timers of an incident are always handled as a whole: an operation takes the incident's
timers and returns the set that replaces them, so that no rule about cancelling has to be
remembered in the service layer (`still_running` says which survive a change of state).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from grid_router.domain.model import Deadlines, Level, State
from grid_router.domain.sla import (
    WARNING_FRACTION,
    ClockKind,
    ExtensionRules,
    SlaError,
    SlaLimits,
    SlaPolicy,
    SlaStage,
    WorkingCalendar,
    add_time,
    scaled,
    stage_deadline,
    time_between,
)


class Card(StrEnum):
    """What a timer does when it falls due."""

    WARNING = "WARNING"  # 黄牌: 70% of the limit used
    BREACH = "BREACH"  # 红牌: the limit is used up; the incident is passed one level up
    REMINDER = "REMINDER"  # the city is reminded of a breach it still holds


RUNS_IN: Final[Mapping[SlaStage, frozenset[State]]] = {
    SlaStage.SIGN: frozenset({State.DISPATCHED}),
    SlaStage.HANDLE: frozenset({State.DISPATCHED, State.SIGNED, State.IN_PROGRESS}),
    SlaStage.VERIFY: frozenset({State.HANDLED}),
}
"""The states in which each stage's clock runs; leaving them stops it."""

ON_DISPATCH: Final = (SlaStage.SIGN, SlaStage.HANDLE)
"""The clocks a unit given a work order is held to: both count from the dispatch."""


@dataclass(frozen=True, slots=True)
class ClockSettings:
    """The calendar working time is counted on, and the drill clock (GRID_SLA_SCALE)."""

    calendar: WorkingCalendar
    scale: float = 1.0


@dataclass(frozen=True, slots=True)
class Timer:
    """One timer of one incident's clock, held against the unit at `level`/`unit_code`.

    `started_at`, `limit` (after scaling and extensions) and `clock` describe the clock the
    timer belongs to, so that it can be extended, paused and resumed without the policy.
    `repeat` counts the reminders already sent (REMINDER timers only).
    """

    event_id: str
    stage: SlaStage
    card: Card
    due_at: datetime
    level: Level
    unit_code: str
    started_at: datetime
    limit: timedelta
    clock: ClockKind
    repeat: int = 0


@dataclass(frozen=True, slots=True)
class SlaTerms:
    """The SLA policy an incident was filed under, kept with it: a later policy change does not
    move the goalposts of incidents already open (DESIGN.md §4)."""

    policy: SlaPolicy
    extensions: ExtensionRules
    policy_version: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-able dict, for the incident's row."""
        p = self.policy
        return {
            "policy": p.name,
            "policy_version": self.policy_version,
            "clock": p.clock.value,
            "renotify_every_s": p.renotify_every.total_seconds(),
            "limits": {
                level.value: {
                    stage.value: limit.total_seconds()
                    for stage in SlaStage
                    if (limit := p.at(level).for_stage(stage)) is not None
                }
                for level in Level
            },
            "extensions": {
                "max_count": self.extensions.max_count,
                "max_each_s": self.extensions.max_each.total_seconds(),
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SlaTerms:
        """The terms `to_json` wrote; raises SlaError on anything else."""
        try:
            limits = {
                Level(level): SlaLimits(
                    **{stage: timedelta(seconds=s) for stage, s in by_stage.items()}
                )
                for level, by_stage in data["limits"].items()
            }
            policy = SlaPolicy(
                name=data["policy"],
                clock=ClockKind(data["clock"]),
                limits=limits,
                renotify_every=timedelta(seconds=data["renotify_every_s"]),
            )
            ext = data["extensions"]
            rules = ExtensionRules(ext["max_count"], timedelta(seconds=ext["max_each_s"]))
            return cls(policy, rules, data["policy_version"])
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise SlaError(f"stored SLA terms cannot be read ({exc!r}): {dict(data)!r}") from exc


def start(
    event_id: str,
    stages: Iterable[SlaStage],
    terms: SlaTerms,
    level: Level,
    unit_code: str,
    now: datetime,
    settings: ClockSettings,
) -> tuple[Timer, ...]:
    """Start the clocks of `stages` for the unit at `level`, now; a stage without a limit at
    that level gets no timers."""
    limits = terms.policy.at(level)
    clock = terms.policy.clock
    timers: list[Timer] = []
    for stage in stages:
        limit = limits.for_stage(stage)
        if limit is None:
            continue
        d = stage_deadline(stage, now, limit, clock, settings.calendar, settings.scale)
        base = Timer(
            event_id, stage, Card.BREACH, d.due_at, level, unit_code, d.started_at, d.limit, clock
        )
        timers += [replace(base, card=Card.WARNING, due_at=d.warn_at), base]
    return tuple(timers)


def still_running(timers: Iterable[Timer], state: State, unit_code: str) -> tuple[Timer, ...]:
    """The timers that survive the incident moving to `state` held by `unit_code`: a clock stops
    when its stage is over (signing stops the sign clock) or the unit no longer holds it."""
    return tuple(t for t in timers if state in RUNS_IN[t.stage] and t.unit_code == unit_code)


def deadlines_of(timers: Iterable[Timer]) -> Deadlines:
    """The breach instants, as a WorkOrder carries them."""
    due = {t.stage: t.due_at for t in timers if t.card is Card.BREACH}
    return Deadlines(
        sign_by=due.get(SlaStage.SIGN),
        handle_by=due.get(SlaStage.HANDLE),
        verify_by=due.get(SlaStage.VERIFY),
    )


def reminder(fired: Timer, every: timedelta, now: datetime, settings: ClockSettings) -> Timer:
    """The next reminder to the city after `fired` (a breach or a reminder) went off at `now`."""
    step = scaled(every, settings.scale)
    due = add_time(max(now, fired.due_at), step, fired.clock, settings.calendar)
    return replace(fired, card=Card.REMINDER, due_at=due, repeat=fired.repeat + 1)


# --- suspending (挂账) and extending (延期) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PausedClock:
    """A clock stopped by a suspension: what was left of it, on its own clock."""

    stage: SlaStage
    remaining: timedelta
    limit: timedelta
    clock: ClockKind
    warned: bool
    card: Card = Card.BREACH  # REMINDER: the city's reminders, after a breach it still holds
    repeat: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage.value,
            "remaining_s": self.remaining.total_seconds(),
            "limit_s": self.limit.total_seconds(),
            "clock": self.clock.value,
            "warned": self.warned,
            "card": self.card.value,
            "repeat": self.repeat,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PausedClock:
        """The clock `to_json` wrote; raises SlaError on anything else."""
        try:
            return cls(
                SlaStage(data["stage"]),
                timedelta(seconds=data["remaining_s"]),
                timedelta(seconds=data["limit_s"]),
                ClockKind(data["clock"]),
                bool(data["warned"]),
                Card(data.get("card", Card.BREACH.value)),
                int(data.get("repeat", 0)),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            raise SlaError(f"a stored paused clock cannot be read ({exc!r}): {data!r}") from exc


def pause(
    timers: Iterable[Timer], now: datetime, settings: ClockSettings
) -> tuple[PausedClock, ...]:
    """Stop every running clock at `now`, keeping what is left of each (nothing left: zero,
    so that the breach falls due as soon as the clock runs again)."""
    timers = tuple(timers)
    paused = []
    for last in (t for t in timers if t.card is not Card.WARNING):
        left = time_between(now, last.due_at, last.clock, settings.calendar)
        warned = not any(t.stage is last.stage and t.card is Card.WARNING for t in timers)
        paused.append(
            PausedClock(last.stage, left, last.limit, last.clock, warned, last.card, last.repeat)
        )
    return tuple(paused)


def resume(
    event_id: str,
    paused: Iterable[PausedClock],
    level: Level,
    unit_code: str,
    now: datetime,
    settings: ClockSettings,
) -> tuple[Timer, ...]:
    """Run the paused clocks again from `now`: each breach (or the city's next reminder) falls
    due when what was left has elapsed, and a warning not yet given falls due at the same point
    of the limit as before.

    Known limitation: the resumed clock starts at `now` with what was left as its limit, so a
    second suspension before the warning, or an extension after a resume, places the warning
    by the shortened limit (a little late), and a breach message names the shortened limit."""
    timers: list[Timer] = []
    cal = settings.calendar
    for p in paused:
        breach = Timer(
            event_id,
            p.stage,
            p.card,
            add_time(now, p.remaining, p.clock, cal),
            level,
            unit_code,
            now,
            p.remaining,
            p.clock,
            p.repeat,
        )
        if not p.warned and p.card is Card.BREACH:
            before_warning = max(p.remaining - p.limit * (1 - WARNING_FRACTION), timedelta())
            warn_at = add_time(now, before_warning, p.clock, cal)
            timers.append(replace(breach, card=Card.WARNING, due_at=warn_at))
        timers.append(breach)
    return tuple(timers)


def extend(
    timers: Iterable[Timer], stage: SlaStage, by: timedelta, settings: ClockSettings
) -> tuple[Timer, ...] | None:
    """The timers after `stage`'s clock got `by` more (divided by the drill scale like the limit
    it extends); None if that clock is not running. A warning already given is not repeated."""
    timers = tuple(timers)
    breach = next((t for t in timers if t.stage is stage and t.card is Card.BREACH), None)
    if breach is None:
        return None
    limit = breach.limit + scaled(by, settings.scale)
    cal = settings.calendar
    out = []
    for t in timers:
        if t.stage is not stage:
            out.append(t)
            continue
        fraction = 1.0 if t.card is Card.BREACH else WARNING_FRACTION
        due = add_time(t.started_at, limit * fraction, t.clock, cal)
        out.append(replace(t, due_at=due, limit=limit))
    return tuple(out)


def describe(limit: timedelta, clock: ClockKind) -> str:
    """A limit as operators say it: "30 min", "2 h", "21 working h"."""
    minutes = limit.total_seconds() / 60
    working = " working" if clock is ClockKind.WORKING_TIME else ""
    if minutes >= 120 and minutes % 60 == 0:
        return f"{int(minutes // 60)}{working} h"
    if minutes >= 1:
        return f"{minutes:.0f}{working} min"
    return f"{limit.total_seconds():.1f}{working} s"


__all__ = [
    "ON_DISPATCH",
    "RUNS_IN",
    "Card",
    "ClockSettings",
    "PausedClock",
    "SlaError",
    "SlaTerms",
    "Timer",
    "deadlines_of",
    "describe",
    "extend",
    "pause",
    "reminder",
    "resume",
    "start",
    "still_running",
]


# The action that completes each stage's clock (the rest stop or move clocks without completing
# the stage: a return, an escalation, a suspension).
_COMPLETES: Final[Mapping[str, SlaStage]] = {
    "SIGN": SlaStage.SIGN,
    "HANDLE": SlaStage.HANDLE,
    "VERIFY_PASS": SlaStage.VERIFY,
    "VERIFY_FAIL": SlaStage.VERIFY,
}


@dataclass(frozen=True, slots=True)
class Completion:
    """A stage done by the unit holding it: how long it took from the start of its clock, and
    whether that was before the breach (the figures behind the on-time rates)."""

    stage: SlaStage
    level: Level
    took: timedelta
    on_time: bool


def completion(action: str, running: Iterable[Timer], at: datetime) -> Completion | None:
    """The stage `action` completes at `at`, judged by the timers running before it; None when
    the action completes no stage or the stage had no running clock (paused, or none set)."""
    stage = _COMPLETES.get(action)
    clock = [t for t in running if t.stage == stage]
    if stage is None or not clock:
        return None
    breach = next((t for t in clock if t.card == Card.BREACH), None)
    # Without its breach timer the clock has breached already (only the city's reminders run).
    on_time = breach is not None and at <= breach.due_at
    return Completion(stage, clock[0].level, at - clock[0].started_at, on_time)
