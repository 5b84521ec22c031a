"""Which stage an action completes, how long it took, and whether it was on time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from grid_router.domain.clocks import Card, Timer, completion
from grid_router.domain.model import Level
from grid_router.domain.sla import ClockKind, SlaStage

START = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
LIMIT = timedelta(hours=1)


def clock(stage: SlaStage, *cards: Card, level: Level = Level.COMMUNITY) -> list[Timer]:
    due = {Card.WARNING: START + LIMIT * 0.7, Card.BREACH: START + LIMIT,
           Card.REMINDER: START + LIMIT * 2}  # fmt: skip
    return [
        Timer("e", stage, c, due[c], level, "350206002008", START, LIMIT, ClockKind.WALL_CLOCK)
        for c in cards
    ]


RUNNING = clock(SlaStage.SIGN, Card.WARNING, Card.BREACH) + clock(
    SlaStage.HANDLE, Card.WARNING, Card.BREACH
)


@pytest.mark.parametrize(
    ("action", "stage"),
    [("SIGN", SlaStage.SIGN), ("HANDLE", SlaStage.HANDLE)],
)
def test_an_action_completes_its_stage_on_time(action: str, stage: SlaStage) -> None:
    done = completion(action, RUNNING, START + timedelta(minutes=50))
    assert done is not None
    assert (done.stage, done.level, done.on_time) == (stage, Level.COMMUNITY, True)
    assert done.took == timedelta(minutes=50)


def test_after_the_warning_but_before_the_breach_is_still_on_time() -> None:
    running = clock(SlaStage.SIGN, Card.BREACH)  # the warning has fired
    done = completion("SIGN", running, START + LIMIT)
    assert done is not None
    assert done.on_time


def test_past_the_breach_due_time_is_late() -> None:
    done = completion("SIGN", RUNNING, START + LIMIT + timedelta(seconds=1))
    assert done is not None
    assert not done.on_time


def test_with_only_the_citys_reminders_left_it_is_late() -> None:
    running = clock(SlaStage.SIGN, Card.REMINDER, level=Level.CITY)
    done = completion("SIGN", running, START + timedelta(minutes=1))
    assert done is not None
    assert (done.level, done.on_time) == (Level.CITY, False)


@pytest.mark.parametrize("action", ["START", "RETURN", "ESCALATE", "SUSPEND", "EXTEND"])
def test_other_actions_complete_nothing(action: str) -> None:
    assert completion(action, RUNNING, START) is None


def test_a_stage_without_a_running_clock_completes_nothing() -> None:
    assert completion("VERIFY_PASS", RUNNING, START) is None
