"""The incident workflow state machine: every legal transition, the refusals and their reasons,
who may act, and properties over random action sequences."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grid_router.domain.model import Level, State
from grid_router.domain.workflow import (
    RESTING_STATES,
    TERMINAL_STATES,
    TIMERS,
    TRANSIENT_STATES,
    TRANSITIONS,
    Accepted,
    Action,
    Actor,
    ClockPaused,
    ClockResumed,
    DeadlineExtended,
    Decision,
    OutcomeReached,
    RefusalCode,
    Refused,
    ReworkRequested,
    Step,
    Target,
    WorkflowError,
    WorkflowSnapshot,
    WorkOrderIssued,
    WorkOrderWithdrawn,
    allowed_actions,
    apply,
    is_unit_code,
    parent_code,
    parse_action,
    running_clock,
)

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
S = State

# 思明区 · 中华街道-like codes: a community, the street, district and city that contain it, and
# neighbours at each level.
COMMUNITY = Target(Level.COMMUNITY, "350203001001")
STREET = Target(Level.STREET, "350203001")
DISTRICT = Target(Level.DISTRICT, "350203")
CITY = Target(Level.CITY, "350200")
OTHER_COMMUNITY = Target(Level.COMMUNITY, "350203001002")
OTHER_STREET = Target(Level.STREET, "350203002")
OTHER_DISTRICT = Target(Level.DISTRICT, "350206")
FAR_COMMUNITY = Target(Level.COMMUNITY, "350206002008")
UNITS = (
    COMMUNITY,
    STREET,
    DISTRICT,
    CITY,
    OTHER_COMMUNITY,
    OTHER_STREET,
    OTHER_DISTRICT,
    FAR_COMMUNITY,
)
PARENT = {COMMUNITY: STREET, STREET: DISTRICT, DISTRICT: CITY, FAR_COMMUNITY: None}

ROUTER = Actor.system("router")
VERIFIER = Actor("verifier", DISTRICT.unit_code, "v-1")
SUPERVISOR = Actor("supervisor", CITY.unit_code, "s-1")
STRANGER = Actor("dispatcher", OTHER_COMMUNITY.unit_code, "d-9")

ROUTER_ACTIONS = {Action.FILE, Action.DISPATCH}
HOLDER_ACTIONS = {
    Action.SIGN,
    Action.START,
    Action.HANDLE,
    Action.RETURN,
    Action.ESCALATE,
    Action.SUSPEND,
    Action.RESUME,
    Action.EXTEND,
    Action.RECLASSIFY,
}

OVERSIGHT_ONLY = {
    Action.VERIFY_PASS,
    Action.VERIFY_FAIL,
    Action.CLOSE,
    Action.REOPEN,
    Action.VOID,
    Action.MERGE,
}


def holder(at: Target = COMMUNITY) -> Actor:
    return Actor("dispatcher", at.unit_code, "d-1")


def snap(state: State, at: Target = COMMUNITY, version: int = 5) -> WorkflowSnapshot:
    suspended_from = S.IN_PROGRESS if state is S.SUSPENDED else None
    return WorkflowSnapshot(state, version, at.level, at.unit_code, suspended_from)


def natural_actor(action: Action, snapshot: WorkflowSnapshot) -> Actor:
    """The actor who would ordinarily take `action`."""
    if action in ROUTER_ACTIONS:
        return ROUTER
    if action in HOLDER_ACTIONS:
        return Actor("dispatcher", snapshot.unit_code, "d-1")
    return VERIFIER


@dataclass(frozen=True)
class Inputs:
    target: Target | None = None
    reason: str | None = None
    extend_minutes: int | None = None
    merged_into: str | None = None


def good_inputs(action: Action, snapshot: WorkflowSnapshot) -> Inputs:
    """Inputs that satisfy `action`, so that only the state and the actor decide."""
    here = Target(snapshot.level, snapshot.unit_code)
    if action is Action.ESCALATE:
        up = snapshot.level.up()
        code = parent_code(snapshot.level, snapshot.unit_code)
        return Inputs(Target(up, code) if up and code else None, "beyond our authority")
    if action is Action.RETURN:
        other = OTHER_COMMUNITY if here != OTHER_COMMUNITY else COMMUNITY
        return Inputs(other, "wrong unit")
    if action is Action.EXTEND:
        return Inputs(reason="waiting for the owner", extend_minutes=120)
    if action is Action.MERGE:
        return Inputs(merged_into="e-first")
    if action is Action.RECLASSIFY:
        return Inputs(OTHER_STREET, "not a fire hazard: a neighbour dispute")
    return Inputs(
        reason="because" if action in {Action.REOPEN, Action.SUSPEND, Action.VOID} else None
    )


def act(
    snapshot: WorkflowSnapshot,
    action: Action,
    actor: Actor | None = None,
    inputs: Inputs | None = None,
) -> Decision:
    chosen = inputs if inputs is not None else good_inputs(action, snapshot)
    return apply(
        snapshot,
        action,
        actor if actor is not None else natural_actor(action, snapshot),
        now=NOW,
        target=chosen.target,
        reason=chosen.reason,
        extend_minutes=chosen.extend_minutes,
        merged_into=chosen.merged_into,
    )


def accepted(decision: Decision) -> Accepted:
    assert isinstance(decision, Accepted), decision
    return decision


def refused(decision: Decision) -> Refused:
    assert isinstance(decision, Refused), decision
    return decision


# --- the transition table, written out independently of the module -----------------------------

OPEN_FOR_VOID = (S.REPORTED, S.FILED, S.DISPATCHED, S.SIGNED, S.IN_PROGRESS, S.SUSPENDED)
LEGAL: list[tuple[State, Action, tuple[State, ...]]] = [
    (S.REPORTED, Action.FILE, (S.FILED,)),
    (S.FILED, Action.DISPATCH, (S.DISPATCHED,)),
    (S.DISPATCHED, Action.SIGN, (S.SIGNED,)),
    (S.SIGNED, Action.START, (S.IN_PROGRESS,)),
    (S.SIGNED, Action.HANDLE, (S.HANDLED,)),
    (S.IN_PROGRESS, Action.HANDLE, (S.HANDLED,)),
    (S.HANDLED, Action.VERIFY_PASS, (S.VERIFIED,)),
    (S.HANDLED, Action.VERIFY_FAIL, (S.REOPENED, S.IN_PROGRESS)),
    (S.VERIFIED, Action.CLOSE, (S.CLOSED,)),
    (S.VERIFIED, Action.REOPEN, (S.REOPENED, S.DISPATCHED)),
    (S.CLOSED, Action.REOPEN, (S.REOPENED, S.DISPATCHED)),
    (S.DISPATCHED, Action.RETURN, (S.RETURNED, S.DISPATCHED)),
    (S.SIGNED, Action.RETURN, (S.RETURNED, S.DISPATCHED)),
    (S.DISPATCHED, Action.ESCALATE, (S.ESCALATED, S.DISPATCHED)),
    (S.SIGNED, Action.ESCALATE, (S.ESCALATED, S.DISPATCHED)),
    (S.IN_PROGRESS, Action.ESCALATE, (S.ESCALATED, S.DISPATCHED)),
    (S.SIGNED, Action.SUSPEND, (S.SUSPENDED,)),
    (S.IN_PROGRESS, Action.SUSPEND, (S.SUSPENDED,)),
    (S.SUSPENDED, Action.RESUME, (S.IN_PROGRESS,)),  # snap() suspends from IN_PROGRESS
    (S.SIGNED, Action.EXTEND, (S.SIGNED,)),
    (S.IN_PROGRESS, Action.EXTEND, (S.IN_PROGRESS,)),
    (S.DISPATCHED, Action.RECLASSIFY, (S.DISPATCHED,)),
    (S.SIGNED, Action.RECLASSIFY, (S.DISPATCHED,)),
    (S.IN_PROGRESS, Action.RECLASSIFY, (S.DISPATCHED,)),
    *((s, Action.VOID, (S.VOIDED,)) for s in OPEN_FOR_VOID),
    *((s, Action.MERGE, (S.MERGED,)) for s in OPEN_FOR_VOID),
]
LEGAL_PAIRS = {(state, action) for state, action, _ in LEGAL}
ILLEGAL_PAIRS = [
    (state, action)
    for state in sorted(RESTING_STATES)
    for action in Action
    if (state, action) not in LEGAL_PAIRS
]


def test_the_module_table_is_the_specified_one() -> None:
    table = {(state, action) for action, routes in TRANSITIONS.items() for state in routes}
    assert table == LEGAL_PAIRS


@pytest.mark.parametrize(("state", "action", "path"), LEGAL, ids=str)
def test_every_legal_transition_records_its_path(
    state: State, action: Action, path: tuple[State, ...]
) -> None:
    before = snap(state)
    decision = accepted(act(before, action))
    steps = decision.steps
    assert tuple(s.to_state for s in steps) == path
    assert tuple(s.from_state for s in steps) == (state, *path[:-1])
    assert [s.version for s in steps] == list(range(6, 6 + len(path)))
    assert decision.snapshot.state is path[-1]
    assert decision.snapshot.version == before.version + len(path)
    assert all(s.action is action and s.at == NOW for s in steps)


@pytest.mark.parametrize(("state", "action"), ILLEGAL_PAIRS, ids=str)
def test_every_other_pair_is_refused_even_for_the_system(state: State, action: Action) -> None:
    refusal = refused(act(snap(state), action, ROUTER))
    expected = (
        RefusalCode.TERMINAL_STATE if state in TERMINAL_STATES else RefusalCode.ILLEGAL_TRANSITION
    )
    assert refusal.code is expected
    assert f"cannot {action.label} incident in state {state}" in refusal.message


@pytest.mark.parametrize(
    ("state", "action", "words"),
    [
        (S.DISPATCHED, Action.HANDLE, "it must be signed (签收) first"),
        (S.DISPATCHED, Action.START, "it must be signed (签收) first"),
        (S.FILED, Action.SIGN, "it must be dispatched (派遣) to a unit first"),
        (S.IN_PROGRESS, Action.VERIFY_PASS, "it must be handled (处理反馈) first"),
        (S.IN_PROGRESS, Action.CLOSE, "it must be verified (核查) first"),
        (S.HANDLED, Action.CLOSE, "it must be verified (核查) first"),
        (S.HANDLED, Action.REOPEN, "use VERIFY_FAIL (核查不通过)"),
        (S.IN_PROGRESS, Action.SIGN, "it has already been started"),
        (S.IN_PROGRESS, Action.RETURN, "ESCALATE (上报) it"),
        (S.SUSPENDED, Action.HANDLE, "RESUME (恢复计时) it first"),
        (S.CLOSED, Action.HANDLE, "only REOPEN (重新办理) can open it again"),
        (S.VOIDED, Action.REOPEN, "voided (作废) and that is final"),
        (S.MERGED, Action.SIGN, "act on that incident instead"),
    ],
)
def test_refusals_say_why_in_an_operators_words(state: State, action: Action, words: str) -> None:
    assert words in refused(act(snap(state), action, ROUTER)).message


def test_the_brief_example_reads_as_written() -> None:
    message = refused(act(snap(S.DISPATCHED), Action.HANDLE)).message
    assert message == (
        "cannot HANDLE (处理反馈) incident in state DISPATCHED (已派遣): "
        "it must be signed (签收) first"
    )


# --- who may act ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "action", "actor", "code"),
    [
        (S.DISPATCHED, Action.SIGN, holder(), None),
        (S.DISPATCHED, Action.SIGN, ROUTER, None),
        (S.DISPATCHED, Action.SIGN, STRANGER, RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.DISPATCHED, Action.SIGN, VERIFIER, RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.DISPATCHED, Action.SIGN, holder(STREET), RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.IN_PROGRESS, Action.HANDLE, STRANGER, RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.HANDLED, Action.VERIFY_PASS, VERIFIER, None),
        (S.HANDLED, Action.VERIFY_PASS, SUPERVISOR, None),
        (S.HANDLED, Action.VERIFY_PASS, ROUTER, None),
        (S.HANDLED, Action.VERIFY_PASS, holder(), RefusalCode.VERIFIER_ONLY),
        (S.HANDLED, Action.VERIFY_FAIL, holder(), RefusalCode.VERIFIER_ONLY),
        (S.VERIFIED, Action.CLOSE, holder(), RefusalCode.VERIFIER_ONLY),
        (S.CLOSED, Action.REOPEN, STRANGER, RefusalCode.VERIFIER_ONLY),
        (S.SIGNED, Action.VOID, holder(), RefusalCode.VERIFIER_ONLY),
        (S.REPORTED, Action.FILE, VERIFIER, RefusalCode.SYSTEM_ONLY),
        (S.FILED, Action.DISPATCH, holder(), RefusalCode.SYSTEM_ONLY),
        (S.IN_PROGRESS, Action.ESCALATE, holder(), None),
        (S.IN_PROGRESS, Action.ESCALATE, TIMERS, None),
        (S.IN_PROGRESS, Action.ESCALATE, VERIFIER, None),
        (S.IN_PROGRESS, Action.ESCALATE, STRANGER, RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.SIGNED, Action.RETURN, SUPERVISOR, None),
        (S.SIGNED, Action.EXTEND, STRANGER, RefusalCode.NOT_YOUR_WORK_ORDER),
        (S.SUSPENDED, Action.RESUME, holder(), None),
    ],
)
def test_who_may_act(state: State, action: Action, actor: Actor, code: RefusalCode | None) -> None:
    decision = act(snap(state), action, actor)
    assert (decision.code if isinstance(decision, Refused) else None) is code


def test_not_your_work_order_names_the_holder() -> None:
    message = refused(act(snap(S.DISPATCHED, STREET), Action.SIGN, holder())).message
    assert message == (
        "dispatcher:350203001001/d-1 does not hold this incident: it is held by street unit "
        "350203001, so only that unit may SIGN (签收) it"
    )


def test_a_unit_that_lost_the_incident_by_escalation_can_no_longer_act() -> None:
    up = accepted(act(snap(S.DISPATCHED), Action.ESCALATE, TIMERS)).snapshot
    assert refused(act(up, Action.SIGN, holder())).code is RefusalCode.NOT_YOUR_WORK_ORDER
    accepted(act(up, Action.SIGN, holder(STREET)))


def test_the_role_of_a_unit_actor_is_required_to_name_the_unit() -> None:
    with pytest.raises(WorkflowError, match="must name the unit"):
        Actor("dispatcher")
    assert Actor.system("timers").label == "system:timers"
    assert ROUTER.label == "system:router"


# --- escalation, return, reopen ------------------------------------------------------------------


def test_escalation_climbs_community_street_district_city_then_stops() -> None:
    snapshot = accepted(act(snap(S.REPORTED, version=0), Action.FILE)).snapshot
    snapshot = accepted(act(snapshot, Action.DISPATCH)).snapshot
    climbed = [snapshot.unit_code]
    for expected in (STREET, DISTRICT, CITY):
        decision = accepted(act(snapshot, Action.ESCALATE, TIMERS))
        into, out = decision.steps
        # The move is recorded on the step into ESCALATED; the step out is the new work order.
        assert (into.from_state, into.to_state) == (S.DISPATCHED, S.ESCALATED)
        assert (into.from_level, into.from_unit) == (snapshot.level, snapshot.unit_code)
        assert (into.to_level, into.to_unit) == (expected.level, expected.unit_code)
        assert (out.from_state, out.to_state) == (S.ESCALATED, S.DISPATCHED)
        assert out.from_unit == out.to_unit == expected.unit_code
        assert decision.events == (
            WorkOrderWithdrawn(snapshot.level, snapshot.unit_code, Action.ESCALATE),
            WorkOrderIssued(
                expected.level,
                expected.unit_code,
                Action.ESCALATE,
                from_level=snapshot.level,
                from_unit=snapshot.unit_code,
            ),
        )
        snapshot = decision.snapshot
        climbed.append(snapshot.unit_code)
    assert climbed == ["350203001001", "350203001", "350203", "350200"]
    assert snapshot.version == 2 + 3 * 2
    refusal = refused(act(snapshot, Action.ESCALATE, TIMERS))
    assert refusal.code is RefusalCode.AT_TOP_LEVEL
    assert "already at the city" in refusal.message


@pytest.mark.parametrize(
    ("at", "target", "reason", "code"),
    [
        (COMMUNITY, None, "x", RefusalCode.TARGET_REQUIRED),
        (COMMUNITY, DISTRICT, "x", RefusalCode.NOT_NEXT_LEVEL),
        (COMMUNITY, COMMUNITY, "x", RefusalCode.NOT_NEXT_LEVEL),
        (COMMUNITY, OTHER_STREET, "x", RefusalCode.NOT_PARENT_UNIT),
        (STREET, OTHER_DISTRICT, "x", RefusalCode.NOT_PARENT_UNIT),
        (COMMUNITY, Target(Level.STREET, "35020300"), "x", RefusalCode.INVALID_TARGET),
        (DISTRICT, Target(Level.CITY, "350203"), "x", RefusalCode.INVALID_TARGET),
        (CITY, None, "x", RefusalCode.AT_TOP_LEVEL),
        (CITY, CITY, "x", RefusalCode.AT_TOP_LEVEL),
        (COMMUNITY, STREET, None, RefusalCode.REASON_REQUIRED),
        (COMMUNITY, STREET, "  ", RefusalCode.REASON_REQUIRED),
    ],
)
def test_escalation_refusals(
    at: Target, target: Target | None, reason: str | None, code: RefusalCode
) -> None:
    decision = act(snap(S.IN_PROGRESS, at), Action.ESCALATE, TIMERS, Inputs(target, reason))
    assert refused(decision).code is code


def test_return_reroutes_to_another_unit_at_any_level_and_the_new_unit_signs() -> None:
    decision = accepted(
        act(snap(S.SIGNED, STREET), Action.RETURN, inputs=Inputs(COMMUNITY, "a neighbour dispute"))
    )
    assert [(s.from_state, s.to_state) for s in decision.steps] == [
        (S.SIGNED, S.RETURNED),
        (S.RETURNED, S.DISPATCHED),
    ]
    assert (decision.snapshot.level, decision.snapshot.unit_code) == (
        Level.COMMUNITY,
        COMMUNITY.unit_code,
    )
    assert decision.steps[0].reason == "a neighbour dispute"
    assert decision.events == (
        WorkOrderWithdrawn(Level.STREET, STREET.unit_code, Action.RETURN),
        WorkOrderIssued(
            Level.COMMUNITY,
            COMMUNITY.unit_code,
            Action.RETURN,
            from_level=Level.STREET,
            from_unit=STREET.unit_code,
        ),
    )


@pytest.mark.parametrize(
    ("target", "reason", "code"),
    [
        (None, "wrong unit", RefusalCode.TARGET_REQUIRED),
        (COMMUNITY, "wrong unit", RefusalCode.SAME_UNIT),
        (Target(Level.DISTRICT, "350200"), "wrong unit", RefusalCode.INVALID_TARGET),
        (OTHER_COMMUNITY, None, RefusalCode.REASON_REQUIRED),
    ],
)
def test_return_refusals(target: Target | None, reason: str | None, code: RefusalCode) -> None:
    assert (
        refused(act(snap(S.DISPATCHED), Action.RETURN, inputs=Inputs(target, reason))).code is code
    )


def test_failed_verification_sends_the_work_back_to_the_same_unit_in_progress() -> None:
    decision = accepted(
        act(snap(S.HANDLED), Action.VERIFY_FAIL, VERIFIER, Inputs(reason="垃圾未清运"))
    )
    assert decision.snapshot.state is S.IN_PROGRESS
    assert decision.snapshot.unit_code == COMMUNITY.unit_code
    assert decision.events == (ReworkRequested(Level.COMMUNITY, COMMUNITY.unit_code, "垃圾未清运"),)


def test_reopening_a_closed_incident_dispatches_it_again_to_the_unit_that_handled_it() -> None:
    decision = accepted(act(snap(S.CLOSED, STREET), Action.REOPEN, Actor.system("bridge-12345")))
    assert decision.snapshot == WorkflowSnapshot(S.DISPATCHED, 7, Level.STREET, STREET.unit_code)
    assert decision.events == (WorkOrderIssued(Level.STREET, STREET.unit_code, Action.REOPEN),)


# --- suspend, extend, outcome, inputs ---------------------------------------------------------


@pytest.mark.parametrize("state", [S.SIGNED, S.IN_PROGRESS])
def test_a_suspended_incident_resumes_where_it_was(state: State) -> None:
    suspended = accepted(act(snap(state), Action.SUSPEND))
    assert suspended.snapshot.state is S.SUSPENDED
    assert suspended.snapshot.suspended_from is state
    assert suspended.events == (ClockPaused(state),)
    resumed = accepted(act(suspended.snapshot, Action.RESUME))
    assert resumed.snapshot == snap(state, version=7)
    assert resumed.steps[0].to_state is state
    assert resumed.events == (ClockResumed(state),)


def test_extension_records_a_step_without_changing_state() -> None:
    decision = accepted(act(snap(S.IN_PROGRESS), Action.EXTEND))
    (step,) = decision.steps
    assert step.from_state is step.to_state is S.IN_PROGRESS
    assert step.reason == "+120 min: waiting for the owner"
    assert decision.snapshot == snap(S.IN_PROGRESS, version=6)
    assert decision.events == (DeadlineExtended(S.IN_PROGRESS, 120, "waiting for the owner"),)


@pytest.mark.parametrize("minutes", [None, 0, -30])
def test_an_extension_needs_a_positive_number_of_minutes(minutes: int | None) -> None:
    decision = act(snap(S.SIGNED), Action.EXTEND, inputs=Inputs(reason="r", extend_minutes=minutes))
    assert refused(decision).code is RefusalCode.INVALID_EXTENSION


@pytest.mark.parametrize(
    ("state", "action"), [(S.SIGNED, a) for a in (Action.SUSPEND, Action.VOID, Action.EXTEND)]
)
def test_actions_that_must_say_why(state: State, action: Action) -> None:
    inputs = Inputs(extend_minutes=30 if action is Action.EXTEND else None, reason=" ")
    refusal = refused(act(snap(state), action, inputs=inputs))
    assert refusal.code is RefusalCode.REASON_REQUIRED
    assert refusal.message == f"{action.label} must say why (reason)"


@pytest.mark.parametrize(
    ("state", "action", "inputs", "code"),
    [
        (S.DISPATCHED, Action.SIGN, Inputs(target=STREET), RefusalCode.INPUT_NOT_ALLOWED),
        (S.DISPATCHED, Action.SIGN, Inputs(extend_minutes=5), RefusalCode.INPUT_NOT_ALLOWED),
        (
            S.SIGNED,
            Action.VOID,
            Inputs(reason="r", merged_into="e-2"),
            RefusalCode.INPUT_NOT_ALLOWED,
        ),
        (S.SIGNED, Action.MERGE, Inputs(), RefusalCode.MERGE_TARGET_REQUIRED),
        (S.SIGNED, Action.MERGE, Inputs(merged_into=" "), RefusalCode.MERGE_TARGET_REQUIRED),
        (S.VERIFIED, Action.REOPEN, Inputs(), RefusalCode.REASON_REQUIRED),
    ],
)
def test_inputs_are_checked(
    state: State, action: Action, inputs: Inputs, code: RefusalCode
) -> None:
    assert refused(act(snap(state), action, inputs=inputs)).code is code


def test_merge_and_void_withdraw_the_work_order_and_report_the_outcome() -> None:
    merged = accepted(act(snap(S.SIGNED), Action.MERGE))
    assert merged.steps[0].reason == "merged into e-first"
    assert merged.events == (
        WorkOrderWithdrawn(Level.COMMUNITY, COMMUNITY.unit_code, Action.MERGE),
        OutcomeReached(S.MERGED, "e-first"),
    )
    # Nobody held a work order yet: only the outcome.
    voided = accepted(act(snap(S.FILED), Action.VOID))
    assert voided.events == (OutcomeReached(S.VOIDED),)


def test_the_whole_loop_from_report_to_close() -> None:
    snapshot = WorkflowSnapshot.reported(Level.COMMUNITY, COMMUNITY.unit_code)
    history: list[Step] = []
    for action in (
        Action.FILE,
        Action.DISPATCH,
        Action.SIGN,
        Action.START,
        Action.HANDLE,
        Action.VERIFY_PASS,
        Action.CLOSE,
    ):
        decision = accepted(act(snapshot, action))
        history.extend(decision.steps)
        snapshot = decision.snapshot
    assert [(s.version, s.to_state) for s in history] == [
        (1, S.FILED),
        (2, S.DISPATCHED),
        (3, S.SIGNED),
        (4, S.IN_PROGRESS),
        (5, S.HANDLED),
        (6, S.VERIFIED),
        (7, S.CLOSED),
    ]
    assert snapshot.is_terminal


def test_the_router_places_an_unlocated_report_at_the_city_triage() -> None:
    start = WorkflowSnapshot.reported(Level.COMMUNITY, COMMUNITY.unit_code)
    filed = accepted(act(start, Action.FILE, inputs=Inputs(target=CITY, reason="UNLOCATED")))
    assert (filed.snapshot.level, filed.snapshot.unit_code) == (Level.CITY, "350200")
    dispatched = accepted(act(filed.snapshot, Action.DISPATCH))
    assert dispatched.events == (WorkOrderIssued(Level.CITY, "350200", Action.DISPATCH),)


# --- the small helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "verify_passed", "expected"),
    [
        ("SIGN", None, Action.SIGN),
        (" sign ", None, Action.SIGN),
        ("VERIFY", True, Action.VERIFY_PASS),
        ("VERIFY", False, Action.VERIFY_FAIL),
        ("VERIFY_FAIL", None, Action.VERIFY_FAIL),
        ("VERIFY", None, RefusalCode.VERIFY_RESULT_MISSING),
        ("TRANSFER", None, RefusalCode.UNKNOWN_ACTION),
    ],
)
def test_parse_action(
    code: str, verify_passed: bool | None, expected: Action | RefusalCode
) -> None:
    parsed = parse_action(code, verify_passed)
    assert (parsed.code if isinstance(parsed, Refused) else parsed) is expected


def test_every_action_has_a_chinese_name() -> None:
    assert {a: a.chinese for a in Action}[Action.SIGN] == "签收"
    assert all(a.chinese for a in Action)
    assert Action.RETURN.label == "RETURN (回退)"


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"state": S.ESCALATED}, "recorded step"),
        ({"version": -1}, "negative"),
        ({"unit_code": "350203"}, "not a community division code"),
        ({"state": S.SUSPENDED}, "suspended_from"),
        ({"suspended_from": S.SIGNED}, "suspended_from"),
        ({"state": S.SUSPENDED, "suspended_from": S.HANDLED}, "cannot be suspended from"),
    ],
)
def test_impossible_snapshots_are_errors_not_refusals(
    fields: dict[str, object], words: str
) -> None:
    base: dict[str, object] = {
        "state": S.IN_PROGRESS,
        "version": 3,
        "level": Level.COMMUNITY,
        "unit_code": COMMUNITY.unit_code,
        "suspended_from": None,
    }
    with pytest.raises(WorkflowError, match=words):
        WorkflowSnapshot(**{**base, **fields})  # type: ignore[arg-type]


def test_division_codes_and_their_parents() -> None:
    assert [parent_code(t.level, t.unit_code) for t in (COMMUNITY, STREET, DISTRICT, CITY)] == [
        "350203001",
        "350203",
        "350200",
        None,
    ]
    assert is_unit_code(Level.CITY, "350200")
    assert not is_unit_code(Level.DISTRICT, "350200")
    assert not is_unit_code(Level.STREET, "35020300a")


def test_clocks_and_allowed_actions_per_state() -> None:
    assert [
        running_clock(s) for s in (S.FILED, S.DISPATCHED, S.IN_PROGRESS, S.HANDLED, S.SUSPENDED)
    ] == [
        None,
        "sign",
        "handle",
        "verify",
        None,
    ]
    assert allowed_actions(S.CLOSED) == {Action.REOPEN}
    assert allowed_actions(S.VOIDED) == allowed_actions(S.MERGED) == frozenset()
    assert allowed_actions(S.SUSPENDED) == {Action.RESUME, Action.VOID, Action.MERGE}


# --- properties over random action sequences ----------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One random attempt: an action, who tries it, and with what inputs."""

    action: Action
    actor_kind: str
    spoil: str | None  # the input to replace with a random value, None to keep them all good
    target: Target | None
    reason: str | None
    extend_minutes: int | None
    merged_into: str | None

    def actor(self, snapshot: WorkflowSnapshot) -> Actor:
        return {
            "natural": natural_actor(self.action, snapshot),
            "holder": Actor("handler", snapshot.unit_code, "h-1"),
            "verifier": VERIFIER,
            "system": TIMERS,
            "stranger": STRANGER,
        }[self.actor_kind]

    def inputs(self, snapshot: WorkflowSnapshot) -> Inputs:
        good = good_inputs(self.action, snapshot)
        if self.spoil is None:
            return good
        # One input replaced by a random value: each check gets a chance to be the one that
        # matters, which fully random inputs would rarely give it.
        return replace(good, **{self.spoil: getattr(self, self.spoil)})


def moves(actions: st.SearchStrategy[Action]) -> st.SearchStrategy[Move]:
    return st.builds(
        Move,
        action=actions,
        actor_kind=st.sampled_from(
            ["natural", "natural", "natural", "holder", "verifier", "system", "stranger"]
        ),
        spoil=st.sampled_from(
            [None, None, None, None, "target", "target", "reason", "extend_minutes", "merged_into"]
        ),
        # Mostly a real unit: the one holding the incident, a neighbour, a parent or not.
        target=st.one_of(
            st.sampled_from(UNITS),
            st.sampled_from(UNITS),
            st.sampled_from(UNITS),
            st.none(),
            st.builds(Target, st.sampled_from(list(Level)), st.text("0123456789", max_size=13)),
        ),
        reason=st.sampled_from([None, "", " ", "reason"]),
        extend_minutes=st.sampled_from([None, -1, 0, 30]),
        merged_into=st.sampled_from([None, "", "e-first"]),
    )


ANY_ACTION = st.sampled_from(list(Action))


def likely_actions(state: State) -> st.SearchStrategy[Action]:
    """Mostly an action the state allows, other than VOID and MERGE (which would end most walks
    within a step or two), sometimes any action at all: walks then reach every state."""
    onward = sorted(allowed_actions(state) - {Action.VOID, Action.MERGE})
    if not onward:
        return ANY_ACTION
    return st.one_of(st.sampled_from(onward), st.sampled_from(onward), ANY_ACTION)


# Built once: making a strategy at every step of every walk costs more than the walk itself.
LIKELY_MOVES = {state: moves(likely_actions(state)) for state in RESTING_STATES}


starts = st.sampled_from(UNITS).map(lambda t: WorkflowSnapshot.reported(t.level, t.unit_code))


def check_accepted(old: WorkflowSnapshot, action: Action, decision: Accepted) -> None:
    new, steps = decision.snapshot, decision.steps
    assert new.state in RESTING_STATES
    # Versions grow by one per recorded step, and the steps chain from the old to the new state.
    assert steps
    assert [s.version for s in steps] == list(range(old.version + 1, new.version + 1))
    assert steps[0].from_state is old.state
    assert steps[-1].to_state is new.state
    assert all(a.to_state is b.from_state for a, b in pairwise(steps))
    assert all(s.to_state in TRANSIENT_STATES for s in steps[:-1])
    assert (steps[0].from_level, steps[0].from_unit) == (old.level, old.unit_code)
    assert (steps[-1].to_level, steps[-1].to_unit) == (new.level, new.unit_code)
    assert all(s.action is action and s.at == NOW for s in steps)
    # The level moves exactly one up on escalation, to another unit on return, anywhere at the
    # router's first placement, and otherwise not at all.
    if action is Action.ESCALATE:
        assert new.level.rank == old.level.rank + 1
        assert new.unit_code == parent_code(old.level, old.unit_code)
    elif action is Action.RETURN:
        assert new.unit_code != old.unit_code
    elif action is Action.RECLASSIFY:
        assert new.state is State.DISPATCHED  # at the unit the policy names, the same one too
    elif action not in ROUTER_ACTIONS:
        assert (new.level, new.unit_code) == (old.level, old.unit_code)


@settings(max_examples=300)
@given(start=starts, length=st.integers(0, 60), data=st.data())
def test_random_sequences_keep_the_invariants(
    start: WorkflowSnapshot, length: int, data: st.DataObject
) -> None:
    snapshot = start
    recorded = 0
    suspended_from: State | None = None
    for _ in range(length):
        move = data.draw(LIKELY_MOVES[snapshot.state])
        actor, inputs = move.actor(snapshot), move.inputs(snapshot)
        decision = act(snapshot, move.action, actor, inputs)
        # Pure: the same question gets the same answer.
        assert decision == act(snapshot, move.action, actor, inputs)
        if snapshot.state in {S.VOIDED, S.MERGED} or (
            snapshot.state is S.CLOSED and move.action is not Action.REOPEN
        ):
            assert refused(decision).code is RefusalCode.TERMINAL_STATE
        if (
            move.action is Action.ESCALATE
            and snapshot.level is Level.CITY
            and snapshot.state in TRANSITIONS[Action.ESCALATE]
        ):
            assert isinstance(decision, Refused)
        # Who may act: an outsider changes nothing, and no unit verifies or closes its own work.
        outsider = actor.unit_code != snapshot.unit_code or move.action in OVERSIGHT_ONLY
        if outsider and not (actor.is_system or actor.is_oversight):
            assert isinstance(decision, Refused)
        if isinstance(decision, Refused):
            assert decision.message
            continue  # a refused action changes nothing: the snapshot stays as it was
        check_accepted(snapshot, move.action, decision)
        new = decision.snapshot
        if move.action is Action.SUSPEND:
            suspended_from = snapshot.state
            assert new.suspended_from is suspended_from
        if move.action is Action.RESUME:
            assert new.state is suspended_from
        recorded += len(decision.steps)
        snapshot = new
    assert snapshot.version == start.version + recorded


@settings(max_examples=200)
@given(
    state=st.sampled_from(sorted(TERMINAL_STATES)),
    at=st.sampled_from(UNITS),
    move=moves(ANY_ACTION),
)
def test_terminal_states_refuse_everything_but_reopening_a_closed_incident(
    state: State, at: Target, move: Move
) -> None:
    snapshot = WorkflowSnapshot(state, 9, at.level, at.unit_code)
    decision = act(snapshot, move.action, move.actor(snapshot), move.inputs(snapshot))
    if state is S.CLOSED and move.action is Action.REOPEN:
        return  # the documented exception, checked by the table tests
    assert refused(decision).code is RefusalCode.TERMINAL_STATE


def test_offered_actions_are_those_the_state_and_the_actor_allow() -> None:
    from grid_router.domain.workflow import offered_actions

    dispatched = snap(S.DISPATCHED)
    assert offered_actions(dispatched, holder()) == (
        Action.SIGN,
        Action.RETURN,
        Action.ESCALATE,
        Action.RECLASSIFY,
    )
    assert offered_actions(dispatched, STRANGER) == ()
    assert offered_actions(snap(S.HANDLED), VERIFIER) == (Action.VERIFY_PASS, Action.VERIFY_FAIL)
    assert offered_actions(snap(S.HANDLED), holder()) == ()
    assert Action.VOID in offered_actions(dispatched, SUPERVISOR)
