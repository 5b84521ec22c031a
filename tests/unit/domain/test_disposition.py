"""Disposition: the actions of dispatch centres (`act`) and the SLA timers falling due (`fire`),
on a hand-built incident at a real community of Xiamen (仁安社区, 中华街道, 思明区), with short
wall-clock limits so that the figures are obvious."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.clocks import (
    ON_DISPATCH,
    Card,
    ClockSettings,
    PausedClock,
    SlaTerms,
    Timer,
    start,
    still_running,
)
from grid_router.domain.disposition import (
    ACTION_ORDER,
    SLA_BREACH,
    SLA_WARNING,
    WITHDRAWN,
    ActionRequest,
    Change,
    Context,
    Escalation,
    Incident,
    Stale,
    act,
    fire,
)
from grid_router.domain.model import Deadlines, Level, Severity, State, WorkOrder
from grid_router.domain.sla import (
    CHINA_STANDARD_TIME,
    ClockKind,
    ExtensionRules,
    SlaLimits,
    SlaPolicy,
    SlaStage,
    WorkingCalendar,
)
from grid_router.domain.workflow import TIMERS, Actor, RefusalCode, Refused
from grid_router.policy.load import load_default_policy

ORG = load_default_organisation()
DEPARTMENTS = load_default_policy().routing.departments
CTX = Context(ORG, DEPARTMENTS, ClockSettings(WorkingCalendar()))

COMMUNITY = "350203003001"  # 仁安社区居委会, the first community of 中华街道, 思明区
NEIGHBOUR = "350203003003"  # 镇海社区居委会, the next one
STREET = COMMUNITY[:9]  # 中华街道
DISTRICT = COMMUNITY[:6]  # 思明区
CITY = "350200"  # 厦门市
UNIT_AT = {
    Level.COMMUNITY: COMMUNITY,
    Level.STREET: STREET,
    Level.DISTRICT: DISTRICT,
    Level.CITY: CITY,
}

M = timedelta(minutes=1)
H = timedelta(hours=1)
T0 = datetime(2026, 11, 27, 1, 30, tzinfo=UTC)  # Friday 09:30 in Xiamen: the dispatch

POLICY = SlaPolicy(
    name="test",
    clock=ClockKind.WALL_CLOCK,
    limits={
        Level.COMMUNITY: SlaLimits(sign=10 * M, handle=100 * M, verify=60 * M),
        Level.STREET: SlaLimits(sign=20 * M, handle=200 * M, verify=60 * M),
        Level.DISTRICT: SlaLimits(sign=30 * M, handle=300 * M, verify=60 * M),
        Level.CITY: SlaLimits(sign=40 * M, handle=400 * M, verify=60 * M),
    },
    renotify_every=30 * M,
)
TERMS = SlaTerms(POLICY, ExtensionRules(max_count=2, max_each=60 * M), "test-1")

HOLDER = Actor("dispatcher", COMMUNITY, "d-1")
VERIFIER = Actor("verifier", DISTRICT, "v-1")
STRANGER = Actor("dispatcher", NEIGHBOUR, "d-9")


def department(unit: str) -> str:
    return DEPARTMENTS.name_for("CITY_MGMT", ORG.unit(unit), ORG)


def incident(
    state: State = State.DISPATCHED, level: Level = Level.COMMUNITY, version: int = 2
) -> Incident:
    """The incident as stored: filed (version 1) and dispatched (version 2) to `level`."""
    unit = UNIT_AT[level]
    return Incident(
        event_id="e-1",
        version=version,
        state=state,
        level=level,
        unit_code=unit,
        unit_name=ORG.unit(unit).name,
        department=department(unit),
        category_code="CITY_MGMT",
        category_name="城市管理",
        subcategory_code=None,
        severity=Severity.IV,
        description="小区门口垃圾满溢，无人清运",
        title="垃圾满溢",
        address="思明区中华街道仁安社区",
        grid_code=None,
        community_code=COMMUNITY,
        street_code=STREET,
        district_code=DISTRICT,
        source="GRID_APP",
        external_ref=None,
        report_count=1,
        sla=TERMS,
    )


def clocks_of(
    level: Level = Level.COMMUNITY,
    now: datetime = T0,
    stages: tuple[SlaStage, ...] = ON_DISPATCH,
    ctx: Context = CTX,
) -> tuple[Timer, ...]:
    return start("e-1", stages, TERMS, level, UNIT_AT[level], now, ctx.clocks)


DISPATCHED = (incident(), clocks_of())


def request(
    action: str,
    actor: Actor = HOLDER,
    *,
    at: datetime = T0,
    reason: str | None = None,
    result: str | None = None,
    verify_passed: bool | None = None,
    extend_minutes: int | None = None,
    target_unit: str | None = None,
) -> ActionRequest:
    return ActionRequest(
        action_id=f"a-{action}",
        event_id="e-1",
        action=action,
        actor=actor,
        at=at,
        reason=reason,
        result=result,
        verify_passed=verify_passed,
        extend_minutes=extend_minutes,
        target_unit=target_unit,
    )


def checked(before: Incident, result: Change | Refused | Stale, now: datetime) -> Change:
    """`result` as a Change, after checking what every change must satisfy: consecutive
    versions, steps that join up, a state change that says what the incident is after, timers
    that run in its state at its unit, work orders at the version after."""
    assert isinstance(result, Change), result
    after = result.incident
    assert [s.version for s in result.steps] == list(range(before.version + 1, after.version + 1))
    assert result.steps[0].from_state is before.state
    assert result.steps[-1].to_state is after.state
    assert all(a.to_state is b.from_state for a, b in pairwise(result.steps))
    assert all(s.at == now for s in result.steps)
    sc = result.state_change
    assert (sc.event_id, sc.version, sc.state, sc.previous_state) == (
        after.event_id,
        after.version,
        after.state,
        before.state,
    )
    assert (sc.level, sc.unit_code, sc.category_code, sc.severity, sc.at) == (
        after.level,
        after.unit_code,
        after.category_code,
        after.severity,
        now,
    )
    assert still_running(result.timers, after.state, after.unit_code) == result.timers
    assert all(t.level is after.level and t.event_id == after.event_id for t in result.timers)
    for order in result.work_orders:
        assert order.version == after.version
        assert order.created_at == now
        if order.kind == WITHDRAWN:
            assert (order.level, order.unit_code) == (before.level, before.unit_code)
            assert order.unit_name == before.unit_name
        else:
            assert (order.level, order.unit_code) == (after.level, after.unit_code)
            assert (order.unit_name, order.department) == (after.unit_name, after.department)
    return result


def do(
    state: tuple[Incident, tuple[Timer, ...]], req: ActionRequest
) -> tuple[Incident, tuple[Timer, ...]]:
    """The incident and its timers after `req`, which must be accepted."""
    before, timers = state
    change = checked(before, act(before, timers, req, CTX, req.at), req.at)
    return change.incident, change.timers


def acted(state: tuple[Incident, tuple[Timer, ...]], req: ActionRequest) -> Change:
    before, timers = state
    return checked(before, act(before, timers, req, CTX, req.at), req.at)


def refused(state: tuple[Incident, tuple[Timer, ...]], req: ActionRequest) -> Refused:
    before, timers = state
    result = act(before, timers, req, CTX, req.at)
    assert isinstance(result, Refused), result
    assert result.message
    return result


def fired(
    state: tuple[Incident, tuple[Timer, ...]], timer: Timer, now: datetime | None = None
) -> Change:
    before, timers = state
    when = timer.due_at if now is None else now
    return checked(before, fire(before, timers, timer, CTX, when), when)


def the(timers: tuple[Timer, ...], stage: SlaStage, card: Card) -> Timer:
    (found,) = (t for t in timers if (t.stage, t.card) == (stage, card))
    return found


def dues(timers: tuple[Timer, ...]) -> dict[tuple[SlaStage, Card], datetime]:
    return {(t.stage, t.card): t.due_at for t in timers}


def kinds(orders: tuple[WorkOrder, ...]) -> list[tuple[str, str]]:
    return [(o.kind, o.unit_code) for o in orders]


# The main line, one step at a time.
SIGNED = do(DISPATCHED, request("SIGN", at=T0 + 5 * M))
IN_PROGRESS = do(SIGNED, request("START", at=T0 + 10 * M))
HANDLED = do(IN_PROGRESS, request("HANDLE", at=T0 + 30 * M, result="已清运"))
VERIFIED = do(HANDLED, request("VERIFY", VERIFIER, at=T0 + 40 * M, verify_passed=True))

SW, SB = (SlaStage.SIGN, Card.WARNING), (SlaStage.SIGN, Card.BREACH)
HW, HB = (SlaStage.HANDLE, Card.WARNING), (SlaStage.HANDLE, Card.BREACH)
VW, VB = (SlaStage.VERIFY, Card.WARNING), (SlaStage.VERIFY, Card.BREACH)


# --------------------------------------------------------------------------------------------
# act: the main line


def test_the_dispatched_incident_runs_sign_and_handle_clocks() -> None:
    assert dues(DISPATCHED[1]) == {
        SW: T0 + 7 * M,
        SB: T0 + 10 * M,
        HW: T0 + 70 * M,
        HB: T0 + 100 * M,
    }


def test_sign_by_the_holder_stops_the_sign_clock_and_keeps_the_handle_clock() -> None:
    change = acted(DISPATCHED, request("SIGN", at=T0 + 5 * M))
    after = change.incident
    assert (after.state, after.version, after.unit_code) == (State.SIGNED, 3, COMMUNITY)
    assert change.timers == tuple(t for t in DISPATCHED[1] if t.stage is SlaStage.HANDLE)
    assert change.work_orders == ()
    assert change.escalations == ()
    assert not change.holder_changed
    (step,) = change.steps
    assert (step.action, step.actor, step.from_state, step.to_state) == (
        "SIGN",
        HOLDER,
        State.DISPATCHED,
        State.SIGNED,
    )
    assert (change.state_change.action, change.state_change.actor) == (
        "SIGN",
        "dispatcher:350203003001/d-1",
    )


@pytest.mark.parametrize("actor", [STRANGER, VERIFIER, Actor("dispatcher", STREET, "d-2")])
def test_sign_by_another_unit_is_refused(actor: Actor) -> None:
    refusal = refused(DISPATCHED, request("SIGN", actor))
    assert refusal.code is RefusalCode.NOT_YOUR_WORK_ORDER
    assert COMMUNITY in refusal.message


def test_start_keeps_the_handle_clock() -> None:
    change = acted(SIGNED, request("START", at=T0 + 10 * M))
    assert change.incident.state is State.IN_PROGRESS
    assert change.timers == SIGNED[1]


@pytest.mark.parametrize("before", [SIGNED, IN_PROGRESS], ids=["signed", "in_progress"])
def test_handle_starts_the_verify_clock(before: tuple[Incident, tuple[Timer, ...]]) -> None:
    now = T0 + 30 * M
    change = acted(before, request("HANDLE", at=now, reason="现场处置", result="已清运"))
    assert change.incident.state is State.HANDLED
    assert dues(change.timers) == {VW: now + 42 * M, VB: now + 60 * M}
    assert change.steps[-1].reason == "现场处置; 已清运"
    assert change.state_change.reason == "现场处置; 已清运"
    assert change.work_orders == ()


def test_verify_pass_stops_every_clock() -> None:
    change = acted(HANDLED, request("VERIFY", VERIFIER, at=T0 + 40 * M, verify_passed=True))
    assert change.incident.state is State.VERIFIED
    assert change.state_change.action == "VERIFY_PASS"
    assert change.timers == ()
    assert change.work_orders == ()


def test_verify_fail_sends_the_incident_back_with_a_fresh_handle_clock() -> None:
    now = T0 + 40 * M
    change = acted(
        HANDLED, request("VERIFY", VERIFIER, at=now, verify_passed=False, reason="仍有垃圾")
    )
    after = change.incident
    assert (after.state, after.unit_code) == (State.IN_PROGRESS, COMMUNITY)
    assert [(s.from_state, s.to_state) for s in change.steps] == [
        (State.HANDLED, State.REOPENED),
        (State.REOPENED, State.IN_PROGRESS),
    ]
    assert change.state_change.action == "VERIFY_FAIL"
    assert dues(change.timers) == {HW: now + 70 * M, HB: now + 100 * M}
    # The unit is told, with its new handling deadline.
    (order,) = change.work_orders
    assert (order.kind, order.unit_code) == (ACTION_ORDER, COMMUNITY)
    assert order.reason == "VERIFY_FAIL: 仍有垃圾"
    assert order.deadlines == Deadlines(handle_by=now + 100 * M)


def test_verify_needs_its_result() -> None:
    refusal = refused(HANDLED, request("VERIFY", VERIFIER, at=T0 + 40 * M))
    assert refusal.code is RefusalCode.VERIFY_RESULT_MISSING


def test_verify_by_the_unit_itself_is_refused() -> None:
    refusal = refused(HANDLED, request("VERIFY", HOLDER, verify_passed=True))
    assert refusal.code is RefusalCode.VERIFIER_ONLY


def test_close_clears_the_timers_and_records_when() -> None:
    now = T0 + 50 * M
    change = acted(VERIFIED, request("CLOSE", VERIFIER, at=now, result="已回访"))
    after = change.incident
    assert (after.state, after.closed_at) == (State.CLOSED, now)
    assert change.timers == ()
    assert change.holder_changed
    assert change.work_orders == ()
    assert VERIFIED[0].closed_at is None


def test_void_withdraws_the_work_order() -> None:
    now = T0 + 3 * M
    change = acted(DISPATCHED, request("VOID", VERIFIER, at=now, reason="重复上报"))
    assert (change.incident.state, change.incident.closed_at) == (State.VOIDED, now)
    assert kinds(change.work_orders) == [(WITHDRAWN, COMMUNITY)]
    assert change.timers == ()
    assert change.holder_changed


def test_reopen_after_close_dispatches_again_with_fresh_clocks() -> None:
    closed = do(VERIFIED, request("CLOSE", VERIFIER, at=T0 + 50 * M))
    now = T0 + 5 * H
    change = acted(closed, request("REOPEN", VERIFIER, at=now, reason="回访不满意"))
    assert (change.incident.state, change.incident.closed_at) == (State.DISPATCHED, None)
    (order,) = change.work_orders
    assert (order.kind, order.unit_code, order.escalated_from_level) == (
        ACTION_ORDER,
        COMMUNITY,
        None,
    )
    assert order.deadlines == Deadlines(sign_by=now + 10 * M, handle_by=now + 100 * M)
    assert dues(change.timers) == dues(clocks_of(now=now))


# --------------------------------------------------------------------------------------------
# act: passing the incident to another unit


def test_return_without_a_target_goes_to_the_unit_above() -> None:
    now = T0 + 3 * M
    change = acted(DISPATCHED, request("RETURN", at=now, reason="不属于本社区"))
    after = change.incident
    assert (after.state, after.level, after.unit_code) == (State.DISPATCHED, Level.STREET, STREET)
    assert (after.unit_name, after.department) == ("中华街道", "中华街道城管执法中队")
    assert after.version == 4
    assert [(s.from_state, s.to_state, s.from_unit, s.to_unit) for s in change.steps] == [
        (State.DISPATCHED, State.RETURNED, COMMUNITY, STREET),
        (State.RETURNED, State.DISPATCHED, STREET, STREET),
    ]
    withdrawn, order = change.work_orders
    assert (withdrawn.kind, withdrawn.unit_code) == (WITHDRAWN, COMMUNITY)
    assert withdrawn.reason == "RETURN: now held by 中华街道 (350203003)"
    assert withdrawn.deadlines == Deadlines()
    assert (order.kind, order.level, order.unit_code) == (ACTION_ORDER, Level.STREET, STREET)
    assert order.reason == "RETURN: 不属于本社区"
    assert (order.escalated_from_level, order.escalated_from_unit) == (None, None)
    assert order.deadlines == Deadlines(sign_by=now + 20 * M, handle_by=now + 200 * M)
    assert dues(change.timers) == dues(clocks_of(Level.STREET, now))
    assert all(t.unit_code == STREET for t in change.timers)
    assert change.escalations == ()
    assert change.holder_changed


def test_return_with_a_target_goes_to_that_unit() -> None:
    now = T0 + 8 * M
    change = acted(SIGNED, request("RETURN", at=now, reason="属镇海社区", target_unit=NEIGHBOUR))
    after = change.incident
    assert (after.state, after.level, after.unit_code) == (
        State.DISPATCHED,
        Level.COMMUNITY,
        NEIGHBOUR,
    )
    assert after.unit_name == ORG.unit(NEIGHBOUR).name
    assert kinds(change.work_orders) == [(WITHDRAWN, COMMUNITY), (ACTION_ORDER, NEIGHBOUR)]
    order = change.work_orders[1]
    assert order.deadlines == Deadlines(sign_by=now + 10 * M, handle_by=now + 100 * M)
    assert order.escalated_from_level is None
    assert {(t.unit_code, t.started_at) for t in change.timers} == {(NEIGHBOUR, now)}
    assert dues(change.timers) == {
        SW: now + 7 * M,
        SB: now + 10 * M,
        HW: now + 70 * M,
        HB: now + 100 * M,
    }


@pytest.mark.parametrize(
    ("target", "code"),
    [
        ("350203003999", RefusalCode.INVALID_TARGET),  # well formed, but no such community
        ("3502", RefusalCode.INVALID_TARGET),
        (COMMUNITY, RefusalCode.SAME_UNIT),
    ],
)
def test_return_to_a_unit_that_cannot_take_it_is_refused(target: str, code: RefusalCode) -> None:
    refusal = refused(DISPATCHED, request("RETURN", reason="错派", target_unit=target))
    assert refusal.code is code


def test_return_at_the_city_must_name_a_target() -> None:
    at_city = (incident(level=Level.CITY), clocks_of(Level.CITY))
    refusal = refused(at_city, request("RETURN", Actor("dispatcher", CITY), reason="错派"))
    assert refusal.code is RefusalCode.TARGET_REQUIRED


def test_return_at_the_city_with_a_target() -> None:
    at_city = (incident(level=Level.CITY), clocks_of(Level.CITY))
    req = request("RETURN", Actor("dispatcher", CITY), reason="属思明区", target_unit=DISTRICT)
    change = acted(at_city, req)
    assert (change.incident.level, change.incident.unit_code) == (Level.DISTRICT, DISTRICT)
    assert kinds(change.work_orders) == [(WITHDRAWN, CITY), (ACTION_ORDER, DISTRICT)]


def test_escalate_by_the_holder_goes_one_level_up() -> None:
    now = T0 + 20 * M
    change = acted(SIGNED, request("ESCALATE", at=now, reason="超出社区处置能力"))
    after = change.incident
    assert (after.state, after.level, after.unit_code) == (State.DISPATCHED, Level.STREET, STREET)
    assert [(s.action, s.from_state, s.to_state) for s in change.steps] == [
        ("ESCALATE", State.SIGNED, State.ESCALATED),
        ("ESCALATE", State.ESCALATED, State.DISPATCHED),
    ]
    withdrawn, order = change.work_orders
    assert (withdrawn.kind, withdrawn.unit_code) == (WITHDRAWN, COMMUNITY)
    assert (order.kind, order.unit_code) == (ACTION_ORDER, STREET)
    assert (order.escalated_from_level, order.escalated_from_unit) == (Level.COMMUNITY, COMMUNITY)
    assert order.deadlines == Deadlines(sign_by=now + 20 * M, handle_by=now + 200 * M)
    assert change.escalations == (Escalation(Level.COMMUNITY, Level.STREET, "request"),)
    assert dues(change.timers) == dues(clocks_of(Level.STREET, now))


def test_escalate_naming_the_wrong_unit_is_refused() -> None:
    xiagang = "350203001"  # 厦港街道, not the street that contains 仁安社区
    refusal = refused(SIGNED, request("ESCALATE", reason="超出能力", target_unit=xiagang))
    assert refusal.code is RefusalCode.NOT_PARENT_UNIT


def test_escalate_at_the_city_is_refused() -> None:
    at_city = (incident(level=Level.CITY), clocks_of(Level.CITY))
    refusal = refused(at_city, request("ESCALATE", Actor("dispatcher", CITY), reason="x"))
    assert refusal.code is RefusalCode.AT_TOP_LEVEL


# --------------------------------------------------------------------------------------------
# act: suspending and extending


def test_suspend_keeps_the_paused_clocks_and_resume_restores_them() -> None:
    paused_at = T0 + 30 * M
    change = acted(IN_PROGRESS, request("SUSPEND", at=paused_at, reason="等待产权单位"))
    suspended = change.incident
    assert (suspended.state, suspended.suspended_from) == (State.SUSPENDED, State.IN_PROGRESS)
    assert suspended.paused == (
        PausedClock(SlaStage.HANDLE, 70 * M, 100 * M, ClockKind.WALL_CLOCK, warned=False),
    )
    assert change.timers == ()

    back = T0 + 3 * H
    resumed = acted((suspended, change.timers), request("RESUME", at=back, reason="产权单位已到场"))
    after = resumed.incident
    assert (after.state, after.suspended_from, after.paused) == (State.IN_PROGRESS, None, ())
    assert dues(resumed.timers) == {HW: back + 40 * M, HB: back + 70 * M}
    assert resumed.work_orders == ()


def test_resume_does_not_repeat_a_warning_already_given() -> None:
    warned = fired(IN_PROGRESS, the(IN_PROGRESS[1], *HW))  # at T0 + 70 min
    suspended = do(
        (warned.incident, warned.timers), request("SUSPEND", at=T0 + 80 * M, reason="等待")
    )
    assert [p.warned for p in suspended[0].paused] == [True]
    resumed = do(suspended, request("RESUME", at=T0 + 5 * H, reason="继续"))
    assert dues(resumed[1]) == {HB: T0 + 5 * H + 20 * M}


def test_suspend_while_dispatched_is_refused() -> None:
    refusal = refused(DISPATCHED, request("SUSPEND", reason="等待"))
    assert refusal.code is RefusalCode.ILLEGAL_TRANSITION


def test_extend_within_the_limits_moves_the_handle_breach_and_counts() -> None:
    now = T0 + 20 * M
    change = acted(SIGNED, request("EXTEND", at=now, reason="需协调物业", extend_minutes=30))
    after = change.incident
    assert (after.state, after.version, after.extensions) == (State.SIGNED, 4, 1)
    (step,) = change.steps
    assert (step.from_state, step.to_state, step.reason) == (
        State.SIGNED,
        State.SIGNED,
        "+30 min: 需协调物业",
    )
    assert dues(change.timers) == {HW: T0 + 91 * M, HB: T0 + 130 * M}
    assert change.work_orders == ()

    again = acted((after, change.timers), request("EXTEND", reason="再延", extend_minutes=60))
    assert again.incident.extensions == 2
    assert dues(again.timers) == {HW: T0 + 133 * M, HB: T0 + 190 * M}

    third = refused(
        (again.incident, again.timers), request("EXTEND", reason="又延", extend_minutes=10)
    )
    assert third.code is RefusalCode.INVALID_EXTENSION
    assert "(2)" in third.message


@pytest.mark.parametrize(
    ("before", "minutes", "code"),
    [
        (SIGNED, 61, RefusalCode.INVALID_EXTENSION),  # more than max_each (60 min)
        ((replace(SIGNED[0], extensions=2), SIGNED[1]), 10, RefusalCode.INVALID_EXTENSION),
        ((SIGNED[0], ()), 10, RefusalCode.INVALID_EXTENSION),  # no handle clock runs
        (SIGNED, 0, RefusalCode.INVALID_EXTENSION),
        (SIGNED, None, RefusalCode.INVALID_EXTENSION),
        (HANDLED, 10, RefusalCode.ILLEGAL_TRANSITION),  # the work is done: nothing to extend
        (DISPATCHED, 10, RefusalCode.ILLEGAL_TRANSITION),  # sign first
    ],
    ids=["too_long", "too_many", "no_clock", "zero", "missing", "handled", "dispatched"],
)
def test_extend_beyond_the_limits_is_refused(
    before: tuple[Incident, tuple[Timer, ...]], minutes: int | None, code: RefusalCode
) -> None:
    refusal = refused(before, request("EXTEND", reason="延期", extend_minutes=minutes))
    assert refusal.code is code


# --------------------------------------------------------------------------------------------
# act: what is not an action


@pytest.mark.parametrize(
    ("action", "code"),
    [
        ("FROB", RefusalCode.UNKNOWN_ACTION),
        ("", RefusalCode.UNKNOWN_ACTION),
        ("FILE", RefusalCode.SYSTEM_ONLY),
        ("DISPATCH", RefusalCode.SYSTEM_ONLY),
        ("MERGE", RefusalCode.SYSTEM_ONLY),
    ],
)
def test_what_is_not_a_dispatch_centre_action_is_refused(action: str, code: RefusalCode) -> None:
    refusal = refused(DISPATCHED, request(action, VERIFIER, reason="x"))
    assert refusal.code is code


def test_actions_are_read_in_any_case() -> None:
    change = acted(DISPATCHED, request(" sign "))
    assert change.incident.state is State.SIGNED


def test_a_target_on_an_action_that_does_not_move_is_refused() -> None:
    refusal = refused(DISPATCHED, request("SIGN", target_unit=STREET))
    assert refusal.code is RefusalCode.INPUT_NOT_ALLOWED


# --------------------------------------------------------------------------------------------
# fire: warnings and breaches


def test_a_warning_is_recorded_and_its_timer_dropped() -> None:
    timer = the(DISPATCHED[1], *SW)
    change = fired(DISPATCHED, timer)
    after = change.incident
    assert (after.state, after.version, after.unit_code) == (State.DISPATCHED, 3, COMMUNITY)
    (step,) = change.steps
    assert (step.action, step.actor, step.from_state, step.to_state) == (
        SLA_WARNING,
        TIMERS,
        State.DISPATCHED,
        State.DISPATCHED,
    )
    assert (
        step.reason
        == "黄牌 warning: 70% of the time to sign (10 min) used by 仁安社区居委会 (350203003001)"
    )
    assert change.timers == tuple(t for t in DISPATCHED[1] if t != timer)
    assert change.cards == ((SlaStage.SIGN, Card.WARNING),)
    assert change.work_orders == ()
    assert change.escalations == ()
    assert not change.holder_changed
    assert (change.state_change.action, change.state_change.actor) == (SLA_WARNING, "system:timers")


def test_a_sign_breach_at_the_community_escalates_to_its_street() -> None:
    timer = the(DISPATCHED[1], *SB)
    now = timer.due_at  # T0 + 10 min
    change = fired(DISPATCHED, timer)
    after = change.incident
    assert (after.state, after.level, after.unit_code, after.version) == (
        State.DISPATCHED,
        Level.STREET,
        STREET,
        5,
    )
    assert (after.unit_name, after.department) == ("中华街道", "中华街道城管执法中队")
    assert [(s.version, s.action, s.actor, s.from_state, s.to_state) for s in change.steps] == [
        (3, SLA_BREACH, TIMERS, State.DISPATCHED, State.DISPATCHED),
        (4, "ESCALATE", TIMERS, State.DISPATCHED, State.ESCALATED),
        (5, "ESCALATE", TIMERS, State.ESCALATED, State.DISPATCHED),
    ]
    assert change.steps[0].reason == (
        "红牌 breach: not signed (签收) within 10 min by 仁安社区居委会 (350203003001)"
    )
    assert change.steps[1].reason == f"SLA_BREACH: {change.steps[0].reason}"
    assert (change.steps[1].from_unit, change.steps[1].to_unit) == (COMMUNITY, STREET)
    withdrawn, order = change.work_orders
    assert (withdrawn.kind, withdrawn.level, withdrawn.unit_code) == (
        WITHDRAWN,
        Level.COMMUNITY,
        COMMUNITY,
    )
    assert withdrawn.reason == "ESCALATE: now held by 中华街道 (350203003)"
    assert (order.kind, order.level, order.unit_code) == (ACTION_ORDER, Level.STREET, STREET)
    assert (order.escalated_from_level, order.escalated_from_unit) == (Level.COMMUNITY, COMMUNITY)
    assert order.deadlines == Deadlines(sign_by=now + 20 * M, handle_by=now + 200 * M)
    assert order.reason.startswith("ESCALATE: SLA_BREACH: 红牌 breach")
    assert change.escalations == (Escalation(Level.COMMUNITY, Level.STREET, "timeout"),)
    assert change.cards == ((SlaStage.SIGN, Card.BREACH),)
    assert change.timers == clocks_of(Level.STREET, now)
    assert (change.state_change.action, change.state_change.previous_state) == (
        "ESCALATE",
        State.DISPATCHED,
    )
    assert change.holder_changed


def test_a_handle_breach_escalates_a_signed_incident() -> None:
    timer = the(IN_PROGRESS[1], *HB)
    change = fired(IN_PROGRESS, timer)
    after = change.incident
    assert (after.state, after.level, after.unit_code) == (State.DISPATCHED, Level.STREET, STREET)
    assert change.steps[0].reason == (
        "红牌 breach: not handled (处理反馈) within 100 min by 仁安社区居委会 (350203003001)"
    )
    assert change.cards == ((SlaStage.HANDLE, Card.BREACH),)
    assert change.escalations == (Escalation(Level.COMMUNITY, Level.STREET, "timeout"),)
    assert change.timers == clocks_of(Level.STREET, timer.due_at)  # the street signs again


def next_breach(timers: tuple[Timer, ...]) -> Timer:
    return min((t for t in timers if t.card is Card.BREACH), key=lambda t: t.due_at)


def test_breaches_climb_community_street_district_city() -> None:
    state = DISPATCHED
    climbed = []
    for _ in range(3):
        timer = next_breach(state[1])
        change = fired(state, timer)
        assert change.escalations[0].reason == "timeout"
        order = change.work_orders[-1]
        climbed.append(
            (
                change.incident.level,
                change.incident.unit_code,
                change.incident.unit_name,
                order.escalated_from_unit,
                order.deadlines.sign_by - timer.due_at if order.deadlines.sign_by else None,
            )
        )
        state = (change.incident, change.timers)
    assert climbed == [
        (Level.STREET, STREET, "中华街道", COMMUNITY, 20 * M),
        (Level.DISTRICT, DISTRICT, "思明区", STREET, 30 * M),
        (Level.CITY, CITY, "厦门市", DISTRICT, 40 * M),
    ]
    after = state[0]
    assert (after.version, after.department) == (2 + 3 * 3, "厦门市城市管理行政执法局")
    # Dispatched at T0; breaches at 10, 10 + 20 and 30 + 30 min: the city signs by 100 min.
    assert dues(state[1])[SB] == T0 + 100 * M


def at_the_city() -> tuple[Incident, tuple[Timer, ...]]:
    return incident(level=Level.CITY), clocks_of(Level.CITY)


def test_a_breach_at_the_city_reminds_the_city() -> None:
    state = at_the_city()
    timer = the(state[1], *SB)
    now = timer.due_at  # T0 + 40 min
    change = fired(state, timer)
    after = change.incident
    assert (after.state, after.level, after.unit_code, after.version) == (
        State.DISPATCHED,
        Level.CITY,
        CITY,
        3,
    )
    (step,) = change.steps
    assert (step.action, step.from_state, step.to_state) == (
        SLA_BREACH,
        State.DISPATCHED,
        State.DISPATCHED,
    )
    (order,) = change.work_orders
    assert (order.kind, order.unit_code, order.version) == (ACTION_ORDER, CITY, 3)
    assert order.reason == f"SLA_REMINDER: {step.reason}"
    assert order.deadlines == Deadlines(handle_by=T0 + 400 * M)  # the sign breach is past
    assert change.escalations == ()
    assert not change.holder_changed
    nxt = the(change.timers, SlaStage.SIGN, Card.REMINDER)
    assert (nxt.due_at, nxt.repeat, nxt.unit_code) == (now + 30 * M, 1, CITY)
    assert change.timers == (*(t for t in state[1] if t != timer), nxt)

    again = fired((after, change.timers), nxt)
    (step,) = again.steps
    assert step.reason == (
        "红牌 reminder #1: still not signed (签收), 70 min after the clock started, "
        "by 厦门市 (350200)"
    )
    (order,) = again.work_orders
    assert (order.kind, order.unit_code, order.version) == (ACTION_ORDER, CITY, 4)
    assert again.cards == ((SlaStage.SIGN, Card.REMINDER),)
    third = the(again.timers, SlaStage.SIGN, Card.REMINDER)
    assert (third.due_at, third.repeat) == (now + 60 * M, 2)


def test_a_reminder_on_working_time_counts_working_time() -> None:
    working = SlaTerms(replace(POLICY, clock=ClockKind.WORKING_TIME), TERMS.extensions, "w")
    dispatched = datetime(2026, 11, 27, 15, 45, tzinfo=CHINA_STANDARD_TIME)  # a Friday
    timers = start("e-1", ON_DISPATCH, working, Level.CITY, CITY, dispatched, CTX.clocks)
    state = (replace(incident(level=Level.CITY), sla=working), timers)
    breach = the(timers, *SB)  # 40 working minutes: 16:25
    first = fired(state, breach)
    nxt = the(first.timers, SlaStage.SIGN, Card.REMINDER)
    monday = datetime(2026, 11, 30, 8, 30, tzinfo=CHINA_STANDARD_TIME)
    assert nxt.due_at == breach.due_at + 30 * M  # 16:55, still on Friday
    later = fired((first.incident, first.timers), nxt, monday + 15 * M)
    # Friday 15:45–18:00 and Monday 08:30–08:45: 150 working minutes, not the 65 hours between.
    assert "150 working min after the clock started" in (later.steps[0].reason or "")


def test_a_verify_breach_is_recorded_without_escalation() -> None:
    warned = fired(HANDLED, the(HANDLED[1], *VW))
    timer = the(warned.timers, *VB)
    change = fired((warned.incident, warned.timers), timer)
    after = change.incident
    assert (after.state, after.level, after.unit_code) == (
        State.HANDLED,
        Level.COMMUNITY,
        COMMUNITY,
    )
    (step,) = change.steps
    assert (step.action, step.from_state, step.to_state) == (
        SLA_BREACH,
        State.HANDLED,
        State.HANDLED,
    )
    assert change.work_orders == ()
    assert change.escalations == ()
    assert change.cards == ((SlaStage.VERIFY, Card.BREACH),)
    assert change.timers == ()


@pytest.mark.parametrize(
    ("state", "stage", "card"),
    [
        (SIGNED, *SW),  # signed: the sign clock has stopped
        (SIGNED, *SB),
        (HANDLED, *HB),  # handled: the handle clock has stopped
        (VERIFIED, *VB),
    ],
    ids=["sign_warning_after_signing", "sign_breach_after_signing", "handled", "verified"],
)
def test_a_timer_whose_clock_stopped_is_stale(
    state: tuple[Incident, tuple[Timer, ...]], stage: SlaStage, card: Card
) -> None:
    timer = the(DISPATCHED[1] + HANDLED[1], stage, card)
    timers = (*state[1], timer)
    result = fire(state[0], timers, timer, CTX, timer.due_at)
    assert result == Stale(state[1])


def test_a_timer_of_the_unit_passed_over_is_stale() -> None:
    escalated = fired(DISPATCHED, the(DISPATCHED[1], *SB))
    old = the(DISPATCHED[1], *HB)
    timers = (*escalated.timers, old)
    result = fire(escalated.incident, timers, old, CTX, old.due_at)
    assert result == Stale(escalated.timers)


def test_a_timer_of_a_suspended_incident_is_stale() -> None:
    suspended, _ = do(IN_PROGRESS, request("SUSPEND", at=T0 + 30 * M, reason="等待"))
    old = the(IN_PROGRESS[1], *HB)
    assert fire(suspended, (old,), old, CTX, old.due_at) == Stale(())


def test_suspending_at_the_city_keeps_its_reminders() -> None:
    state = at_the_city()
    breach = the(state[1], *SB)
    reminded = fired(state, breach)
    signed_late = acted(
        (reminded.incident, reminded.timers), request("SIGN", Actor("dispatcher", CITY, "c-1"))
    )
    # Signed: the sign reminders stop; the handle clock runs on.
    assert all(t.stage is SlaStage.HANDLE for t in signed_late.timers)
    state = at_the_city()
    reminded = fired(state, the(state[1], *SB))
    late = the(reminded.timers, SlaStage.SIGN, Card.REMINDER)
    # A city that cannot sign yet and suspends (挂账) keeps its reminder for when it resumes.
    city = Actor("supervisor", CITY, "s-1")
    suspended = acted(
        (replace(reminded.incident, state=State.SIGNED), tuple(
            replace(t, stage=SlaStage.HANDLE) for t in reminded.timers
            if t.stage is SlaStage.HANDLE or t is late
        )),
        request("SUSPEND", city, at=late.due_at - 10 * M, reason="等待上级批复"),
    )  # fmt: skip
    assert suspended.timers == ()
    assert Card.REMINDER in {p.card for p in suspended.incident.paused}
    resumed = acted(
        (suspended.incident, suspended.timers),
        request("RESUME", city, at=late.due_at, reason="批复"),
    )
    again = [t for t in resumed.timers if t.card is Card.REMINDER]
    assert [(t.due_at, t.repeat) for t in again] == [(late.due_at + 10 * M, late.repeat)]
