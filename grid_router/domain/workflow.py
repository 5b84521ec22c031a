"""The incident workflow (DESIGN.md §4): which action may move an incident from which state, who
may take it, and where the incident ends up. Pure: the caller passes `now` and the units.

`apply(snapshot, action, actor, now=...)` returns a `Decision`: `Accepted` (the new snapshot, the
steps to record in the history, the events the service layer must act on) or `Refused` (a
reason code and a sentence an operator understands). An ordinary refusal is never an exception;
only a snapshot or actor that cannot exist (a caller's bug, corrupt stored data) raises
`WorkflowError`.

The decisions, and why:

- The main line is REPORTED → FILED → DISPATCHED → SIGNED (签收) → IN_PROGRESS → HANDLED
  (处理反馈) → VERIFIED (核查) → CLOSED (结案). HANDLE is allowed straight from SIGNED too: a grid
  worker who clears a blocked corridor on the spot should not have to send START first.
- ESCALATED, RETURNED and REOPENED are *recorded steps*, never resting states: one action records
  two steps, e.g. ESCALATE records DISPATCHED → ESCALATED → DISPATCHED. The move to the new unit
  is recorded on the step into the transient state (its from/to level and unit show who passed
  the incident to whom); the step out of it is the new work order at the new unit. A snapshot
  therefore never holds a transient state, and every action has exactly one place to resume from.
- ESCALATE (上报) takes the incident to the unit one level up that contains the current one
  (community → its street → its district → the city), and leaves it DISPATCHED there: the new
  unit must sign for it, with a fresh sign clock. At the city it is refused (`AT_TOP_LEVEL`): the
  timers re-notify the city instead. Allowed while DISPATCHED, SIGNED or IN_PROGRESS (a sign or
  handle clock is running, or the unit finds the matter beyond its authority).
- RETURN (回退) says "wrong unit": the incident goes to another unit at any level the caller chose
  (re-routing is the router's job), DISPATCHED there. This is the only way the level can go down
  after dispatch. Allowed while DISPATCHED or SIGNED: a unit that has started work owns the case.
- REOPEN (重新办理) of a VERIFIED or CLOSED incident (the reporter's callback 回访 was not
  satisfied) goes through REOPENED back to DISPATCHED at the unit that handled it: after a close
  the unit has moved on, so it signs again. VERIFY_FAIL (核查不通过) of a HANDLED incident goes
  through REOPENED to IN_PROGRESS at the same unit: it still holds the case and just carries on.
- SUSPEND (挂账) from SIGNED or IN_PROGRESS pauses the clock; the snapshot remembers
  `suspended_from` and RESUME (恢复计时) returns exactly there. A suspended incident can only be
  resumed, voided or merged.
- EXTEND (延期) does not change state; it records a step (state → same state) so the extension is
  in the history and counts as a version. Policy limits on extensions are the caller's to check.
- RECLASSIFY (改类) corrects the category or grade of an incident a unit has not yet handled
  (DISPATCHED, SIGNED or IN_PROGRESS): the router routes it again by the policy, and it is
  DISPATCHED afresh at the unit the policy names (the same unit too: the new category or grade
  brings its own clocks). The caller resolves the unit; the workflow records one step.
- Terminal states: VOIDED and MERGED are final. CLOSED is final except for REOPEN, because the
  hotline's callback can find the citizen unsatisfied after the case was closed.
- VOID (作废) and MERGE are allowed in every open state except HANDLED and VERIFIED: once the
  work is done the incident must be verified and closed, so the reporter is told the outcome.

Who may act (`WHO_MAY`): every action names which of three kinds of actor may take it.
- the *system* (role "system": the router, the SLA timers, the bridges) may take any action the
  state allows; FILE and DISPATCH are the router's alone;
- the *holder*, an actor of the unit that holds the incident, does the unit's own work: SIGN,
  START, HANDLE, and may EXTEND, RETURN, ESCALATE, SUSPEND and RESUME;
- *oversight*, a verifier (核查员) or supervisor (监督员) of any unit, checks and closes the work:
  VERIFY_PASS/VERIFY_FAIL, CLOSE, REOPEN, VOID, MERGE, and may also EXTEND, RETURN, ESCALATE,
  SUSPEND and RESUME; it never signs or handles on a unit's behalf, and a unit never verifies or
  closes its own work.
Any other unit is refused with `NOT_YOUR_WORK_ORDER`. The domain trusts the role it is given:
authenticating who is a verifier or the system is the entry point's job (a role read off the wire
must not be believed without a token that grants it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from itertools import pairwise
from typing import Final, Literal

from grid_router.domain.model import Level, State
from grid_router.exceptions import GridRouterError


class WorkflowError(GridRouterError, ValueError):
    """A snapshot or actor that cannot exist: a caller's bug or corrupt stored data."""


# --- actions ------------------------------------------------------------------------------------


class Action(StrEnum):
    """What can be done to an incident. The values are the codes on `grid.actions` and in the
    history; VERIFY on the wire becomes VERIFY_PASS or VERIFY_FAIL (see `parse_action`)."""

    FILE = "FILE"
    DISPATCH = "DISPATCH"
    SIGN = "SIGN"
    START = "START"
    HANDLE = "HANDLE"
    VERIFY_PASS = "VERIFY_PASS"
    VERIFY_FAIL = "VERIFY_FAIL"
    CLOSE = "CLOSE"
    RETURN = "RETURN"
    ESCALATE = "ESCALATE"
    REOPEN = "REOPEN"
    SUSPEND = "SUSPEND"
    RESUME = "RESUME"
    VOID = "VOID"
    EXTEND = "EXTEND"
    MERGE = "MERGE"
    RECLASSIFY = "RECLASSIFY"

    @property
    def chinese(self) -> str:
        """The operators' name of the action."""
        return _ACTION_NAMES[self]

    @property
    def label(self) -> str:
        """Code and Chinese name, as written in refusals: "SIGN (签收)"."""
        return f"{self.value} ({self.chinese})"


_ACTION_NAMES: Final[Mapping[Action, str]] = {
    Action.FILE: "立案",
    Action.DISPATCH: "派遣",
    Action.SIGN: "签收",
    Action.START: "开始处置",
    Action.HANDLE: "处理反馈",
    Action.VERIFY_PASS: "核查通过",
    Action.VERIFY_FAIL: "核查不通过",
    Action.CLOSE: "结案",
    Action.RETURN: "回退",
    Action.ESCALATE: "上报",
    Action.REOPEN: "重新办理",
    Action.SUSPEND: "挂账",
    Action.RESUME: "恢复计时",
    Action.VOID: "作废",
    Action.EXTEND: "延期",
    Action.MERGE: "合并",
    Action.RECLASSIFY: "改类",
}

STATE_NAMES: Final[Mapping[State, str]] = {
    State.REPORTED: "已上报",
    State.FILED: "已立案",
    State.DISPATCHED: "已派遣",
    State.SIGNED: "已签收",
    State.IN_PROGRESS: "处置中",
    State.HANDLED: "已处理",
    State.VERIFIED: "已核查",
    State.CLOSED: "已结案",
    State.VOIDED: "已作废",
    State.MERGED: "已合并",
    State.ESCALATED: "已上报上级",
    State.RETURNED: "已回退",
    State.REOPENED: "重新办理",
    State.SUSPENDED: "挂账",
}
"""The operators' name of each state."""


# --- refusals -----------------------------------------------------------------------------------


class RefusalCode(StrEnum):
    """Why an action was refused; stable codes for the state topic, metrics and callers."""

    UNKNOWN_ACTION = "UNKNOWN_ACTION"
    VERIFY_RESULT_MISSING = "VERIFY_RESULT_MISSING"
    TERMINAL_STATE = "TERMINAL_STATE"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    SYSTEM_ONLY = "SYSTEM_ONLY"
    VERIFIER_ONLY = "VERIFIER_ONLY"
    NOT_YOUR_WORK_ORDER = "NOT_YOUR_WORK_ORDER"
    AT_TOP_LEVEL = "AT_TOP_LEVEL"
    TARGET_REQUIRED = "TARGET_REQUIRED"
    INVALID_TARGET = "INVALID_TARGET"
    NOT_NEXT_LEVEL = "NOT_NEXT_LEVEL"
    NOT_PARENT_UNIT = "NOT_PARENT_UNIT"
    SAME_UNIT = "SAME_UNIT"
    REASON_REQUIRED = "REASON_REQUIRED"
    INVALID_EXTENSION = "INVALID_EXTENSION"
    MERGE_TARGET_REQUIRED = "MERGE_TARGET_REQUIRED"
    INPUT_NOT_ALLOWED = "INPUT_NOT_ALLOWED"


@dataclass(frozen=True, slots=True)
class Refused:
    """The action was not applied; nothing changed. `message` is written for an operator."""

    code: RefusalCode
    message: str


def parse_action(code: str, verify_passed: bool | None = None) -> Action | Refused:
    """The action named by a `grid.actions` code (DispositionAction.action), or why not.

    The wire says VERIFY plus `verify_passed`; the workflow keeps pass and fail apart because
    they lead to different states. Unknown codes are refused, not raised: senders may be newer.
    """
    normalised = code.strip().upper()
    if normalised == "VERIFY":
        if verify_passed is None:
            return Refused(
                RefusalCode.VERIFY_RESULT_MISSING,
                "VERIFY (核查) needs verify_passed: true when the matter is dealt with, "
                "false when it goes back to the unit",
            )
        return Action.VERIFY_PASS if verify_passed else Action.VERIFY_FAIL
    try:
        return Action(normalised)
    except ValueError:
        known = ", ".join(a.value for a in Action if a not in _ROUTER_ACTIONS)
        return Refused(
            RefusalCode.UNKNOWN_ACTION, f"unknown action {code!r}; known actions: VERIFY, {known}"
        )


# --- actors and units ---------------------------------------------------------------------------

SYSTEM_ROLE: Final = "system"
OVERSIGHT_ROLES: Final = frozenset({"verifier", "supervisor"})
"""Roles that check work rather than do it: 核查员 and 监督员 (who verifies in 数字城管)."""


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts, in which role, for which unit (DispositionAction.actor)."""

    role: str
    unit_code: str | None = None
    user_id: str | None = None

    def __post_init__(self) -> None:
        if self.role != SYSTEM_ROLE and not self.unit_code:
            raise WorkflowError(f"actor in role {self.role!r} must name the unit it acts for")

    @classmethod
    def system(cls, name: str) -> Actor:
        """A part of grid_router itself: "router", "timers", a bridge's name."""
        return cls(SYSTEM_ROLE, None, name)

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM_ROLE

    @property
    def is_oversight(self) -> bool:
        return self.role in OVERSIGHT_ROLES

    @property
    def label(self) -> str:
        """How the history names the actor: "system:router", "dispatcher:350203001/u-7"."""
        if self.is_system:
            return f"{SYSTEM_ROLE}:{self.user_id or 'unknown'}"
        user = f"/{self.user_id}" if self.user_id else ""
        return f"{self.role}:{self.unit_code}{user}"


ROUTER: Final = Actor.system("router")
TIMERS: Final = Actor.system("timers")


@dataclass(frozen=True, slots=True)
class Target:
    """The unit an incident is moved to; the caller resolves it, the workflow checks it."""

    level: Level
    unit_code: str


def is_unit_code(level: Level, code: str) -> bool:
    """Whether `code` is a division code of `level` (a city code ends in "00", a district's not)."""
    if not (code.isdigit() and len(code) == level.code_length):
        return False
    if level is Level.CITY:
        return code.endswith("00")
    if level is Level.DISTRICT:
        return not code.endswith("00")
    return True


def parent_code(level: Level, code: str) -> str | None:
    """The code of the unit one level up that contains unit `code` at `level`, None at the city.

    Division codes nest: a community's first 9 digits are its street, a street's first 6 its
    district, and a district's first 4 digits plus "00" its city (DESIGN.md §2).
    """
    up = level.up()
    if up is None:
        return None
    if up is Level.CITY:
        return code[:4] + "00"
    return code[: up.code_length]


# --- snapshots, steps, events -------------------------------------------------------------------

TRANSIENT_STATES: Final = frozenset({State.ESCALATED, State.RETURNED, State.REOPENED})
"""Recorded on the way through, never held by a snapshot."""
TERMINAL_STATES: Final = frozenset({State.CLOSED, State.VOIDED, State.MERGED})
"""Final; CLOSED alone can still be reopened (REOPEN_FROM_TERMINAL)."""
REOPEN_FROM_TERMINAL: Final = frozenset({State.CLOSED})
RESTING_STATES: Final = frozenset(State) - TRANSIENT_STATES
SUSPENDABLE_STATES: Final = frozenset({State.SIGNED, State.IN_PROGRESS})


@dataclass(frozen=True, slots=True)
class WorkflowSnapshot:
    """Where an incident stands: its state, how many steps it has recorded, and who holds it.

    `suspended_from` is set exactly when the state is SUSPENDED: the state RESUME returns to.
    """

    state: State
    version: int
    level: Level
    unit_code: str
    suspended_from: State | None = None

    def __post_init__(self) -> None:
        if self.state in TRANSIENT_STATES:
            raise WorkflowError(
                f"{self.state} is a recorded step, not a state an incident can rest in"
            )
        if self.version < 0:
            raise WorkflowError(f"version must not be negative, got {self.version}")
        if not is_unit_code(self.level, self.unit_code):
            raise WorkflowError(f"{self.unit_code!r} is not a {self.level} division code")
        if (self.state is State.SUSPENDED) != (self.suspended_from is not None):
            raise WorkflowError("suspended_from must be set exactly when the state is SUSPENDED")
        if self.suspended_from is not None and self.suspended_from not in SUSPENDABLE_STATES:
            raise WorkflowError(f"an incident cannot be suspended from {self.suspended_from}")

    @classmethod
    def reported(cls, level: Level, unit_code: str) -> WorkflowSnapshot:
        """A report not yet filed, placed where it was located (version 0: nothing recorded)."""
        return cls(State.REPORTED, 0, level, unit_code)

    @property
    def is_terminal(self) -> bool:
        return self.state in TERMINAL_STATES


@dataclass(frozen=True, slots=True)
class Step:
    """One recorded step of the history: who moved the incident from what to what, and where."""

    version: int
    from_state: State
    to_state: State
    action: str  # an Action, or a record of the system such as SLA_WARNING
    actor: Actor
    from_level: Level
    from_unit: str
    to_level: Level
    to_unit: str
    reason: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class WorkOrderIssued:
    """A unit was given the incident to act on: send it a WorkOrder and start its sign clock."""

    level: Level
    unit_code: str
    cause: Action
    from_level: Level | None = None
    from_unit: str | None = None


@dataclass(frozen=True, slots=True)
class WorkOrderWithdrawn:
    """A unit no longer holds the incident (passed over, returned, voided, merged): tell it and
    cancel its clocks."""

    level: Level
    unit_code: str
    cause: Action


@dataclass(frozen=True, slots=True)
class ReworkRequested:
    """Verification failed: the unit holding the incident must work on it again."""

    level: Level
    unit_code: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class ClockPaused:
    """The incident was suspended while in `state`; its running clock stops, keeping what is
    left."""

    state: State


@dataclass(frozen=True, slots=True)
class ClockResumed:
    """The incident is back in `state`; its clock runs again from where it stopped."""

    state: State


@dataclass(frozen=True, slots=True)
class DeadlineExtended:
    """The running clock of `state` gets `minutes` more."""

    state: State
    minutes: int
    reason: str


@dataclass(frozen=True, slots=True)
class OutcomeReached:
    """The incident reached a final outcome: tell the channel that reported it."""

    outcome: State
    merged_into: str | None = None


Event = (
    WorkOrderIssued
    | WorkOrderWithdrawn
    | ReworkRequested
    | ClockPaused
    | ClockResumed
    | DeadlineExtended
    | OutcomeReached
)


@dataclass(frozen=True, slots=True)
class Accepted:
    """The action was applied: record `steps` (versions snapshot.version+1 …), keep `snapshot`,
    act on `events`."""

    snapshot: WorkflowSnapshot
    steps: tuple[Step, ...]
    events: tuple[Event, ...]


Decision = Accepted | Refused

ClockStage = Literal["sign", "handle", "verify"]


def running_clock(state: State) -> ClockStage | None:
    """The SLA clock that runs while an incident rests in `state` (values of sla.SlaStage)."""
    return _CLOCKS.get(state)


_CLOCKS: Final[Mapping[State, ClockStage]] = {
    State.DISPATCHED: "sign",
    State.SIGNED: "handle",
    State.IN_PROGRESS: "handle",
    State.HANDLED: "verify",
}


# --- the transition table -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Route:
    """Where an action leads from one state: through `via` (a transient step), to `to`.
    `to` None means back to the state the incident was suspended from (RESUME)."""

    to: State | None
    via: State | None = None


_S = State
_OPEN_BEFORE_HANDLED = (_S.REPORTED, _S.FILED, _S.DISPATCHED, _S.SIGNED, _S.IN_PROGRESS)

TRANSITIONS: Final[Mapping[Action, Mapping[State, Route]]] = {
    Action.FILE: {_S.REPORTED: Route(_S.FILED)},
    Action.DISPATCH: {_S.FILED: Route(_S.DISPATCHED)},
    Action.SIGN: {_S.DISPATCHED: Route(_S.SIGNED)},
    Action.START: {_S.SIGNED: Route(_S.IN_PROGRESS)},
    Action.HANDLE: {_S.SIGNED: Route(_S.HANDLED), _S.IN_PROGRESS: Route(_S.HANDLED)},
    Action.VERIFY_PASS: {_S.HANDLED: Route(_S.VERIFIED)},
    Action.VERIFY_FAIL: {_S.HANDLED: Route(_S.IN_PROGRESS, via=_S.REOPENED)},
    Action.CLOSE: {_S.VERIFIED: Route(_S.CLOSED)},
    Action.REOPEN: {
        _S.VERIFIED: Route(_S.DISPATCHED, via=_S.REOPENED),
        _S.CLOSED: Route(_S.DISPATCHED, via=_S.REOPENED),
    },
    Action.RETURN: {s: Route(_S.DISPATCHED, via=_S.RETURNED) for s in (_S.DISPATCHED, _S.SIGNED)},
    Action.ESCALATE: {
        s: Route(_S.DISPATCHED, via=_S.ESCALATED)
        for s in (_S.DISPATCHED, _S.SIGNED, _S.IN_PROGRESS)
    },
    Action.SUSPEND: {s: Route(_S.SUSPENDED) for s in (_S.SIGNED, _S.IN_PROGRESS)},
    Action.RESUME: {_S.SUSPENDED: Route(None)},
    Action.EXTEND: {s: Route(s) for s in (_S.SIGNED, _S.IN_PROGRESS)},
    Action.VOID: {s: Route(_S.VOIDED) for s in (*_OPEN_BEFORE_HANDLED, _S.SUSPENDED)},
    Action.MERGE: {s: Route(_S.MERGED) for s in (*_OPEN_BEFORE_HANDLED, _S.SUSPENDED)},
    Action.RECLASSIFY: {
        s: Route(_S.DISPATCHED) for s in (_S.DISPATCHED, _S.SIGNED, _S.IN_PROGRESS)
    },
}
"""Every legal (action, state) pair and where it leads; anything else is refused."""


def allowed_actions(state: State) -> frozenset[Action]:
    """The actions the state allows (before asking who acts): for status views and the CLI."""
    return frozenset(a for a, routes in TRANSITIONS.items() if state in routes)


class Authority(StrEnum):
    """Kinds of actor besides the system, which may take any action the state allows."""

    HOLDER = "holder"  # an actor of the unit that holds the incident
    OVERSIGHT = "oversight"  # a verifier or supervisor of any unit


_H, _O = Authority.HOLDER, Authority.OVERSIGHT
_ROUTER_ACTIONS = frozenset({Action.FILE, Action.DISPATCH})

WHO_MAY: Final[Mapping[Action, frozenset[Authority]]] = {
    Action.FILE: frozenset(),
    Action.DISPATCH: frozenset(),
    Action.SIGN: frozenset({_H}),
    Action.START: frozenset({_H}),
    Action.HANDLE: frozenset({_H}),
    Action.VERIFY_PASS: frozenset({_O}),
    Action.VERIFY_FAIL: frozenset({_O}),
    Action.CLOSE: frozenset({_O}),
    Action.REOPEN: frozenset({_O}),
    Action.VOID: frozenset({_O}),
    Action.MERGE: frozenset({_O}),
    Action.RETURN: frozenset({_H, _O}),
    Action.ESCALATE: frozenset({_H, _O}),
    Action.SUSPEND: frozenset({_H, _O}),
    Action.RESUME: frozenset({_H, _O}),
    Action.EXTEND: frozenset({_H, _O}),
    Action.RECLASSIFY: frozenset({_H, _O}),
}
"""Who besides the system may take each action (an empty set: the system alone)."""


class _Move(StrEnum):
    """What an action does to the unit holding the incident."""

    STAY = "stay"
    PLACE = "place"  # the router's routing decision: any unit, target optional
    UP = "up"  # the containing unit one level up, target required
    ELSEWHERE = "elsewhere"  # any other unit, target required


_MOVES: Final[Mapping[Action, _Move]] = {
    Action.FILE: _Move.PLACE,
    Action.DISPATCH: _Move.PLACE,
    Action.ESCALATE: _Move.UP,
    Action.RETURN: _Move.ELSEWHERE,
    Action.RECLASSIFY: _Move.PLACE,
}

REASON_REQUIRED: Final = frozenset(
    {
        Action.RETURN,
        Action.ESCALATE,
        Action.REOPEN,
        Action.SUSPEND,
        Action.VOID,
        Action.EXTEND,
        Action.RECLASSIFY,
    }
)
"""Actions that must say why (DispositionAction.reason), as the schema documents."""


# --- apply --------------------------------------------------------------------------------------


def apply(
    snapshot: WorkflowSnapshot,
    action: Action,
    actor: Actor,
    *,
    now: datetime,
    target: Target | None = None,
    reason: str | None = None,
    extend_minutes: int | None = None,
    merged_into: str | None = None,
) -> Decision:
    """Apply `action` by `actor` to the incident in `snapshot`, at `now`.

    `target` is the unit for ESCALATE and RETURN (required) and for FILE and DISPATCH (optional:
    the router's routing decision); `extend_minutes` is for EXTEND, `merged_into` (the event id of
    the open incident this one duplicates) for MERGE.
    """
    refusal = (
        _check_state(snapshot, action)
        or _check_actor(snapshot, action, actor)
        or _check_inputs(snapshot, action, target, reason, extend_minutes, merged_into)
    )
    if refusal is not None:
        return refusal

    route = TRANSITIONS[action][snapshot.state]
    final = route.to if route.to is not None else snapshot.suspended_from
    assert final is not None  # a SUSPENDED snapshot always knows where from (__post_init__)
    path = (snapshot.state, final) if route.via is None else (snapshot.state, route.via, final)

    to_level = target.level if target else snapshot.level
    to_unit = target.unit_code if target else snapshot.unit_code
    note = _step_reason(action, reason, extend_minutes, merged_into)
    steps = tuple(
        Step(
            version=snapshot.version + i,
            from_state=a,
            to_state=b,
            action=action,
            actor=actor,
            # The move is recorded on the first step: into ESCALATED/RETURNED it shows who passed
            # the incident to whom; the step out of it is the new unit's work order.
            from_level=snapshot.level if i == 1 else to_level,
            from_unit=snapshot.unit_code if i == 1 else to_unit,
            to_level=to_level,
            to_unit=to_unit,
            reason=note,
            at=now,
        )
        for i, (a, b) in enumerate(pairwise(path), start=1)
    )
    new = WorkflowSnapshot(
        state=final,
        version=snapshot.version + len(steps),
        level=to_level,
        unit_code=to_unit,
        suspended_from=snapshot.state if final is State.SUSPENDED else None,
    )
    events = _events(snapshot, new, action, reason, extend_minutes, merged_into)
    return Accepted(new, steps, events)


def _check_state(snapshot: WorkflowSnapshot, action: Action) -> Refused | None:
    state = snapshot.state
    if state in TRANSITIONS[action]:
        return None
    head = f"cannot {action.label} incident in state {state} ({STATE_NAMES[state]})"
    if snapshot.is_terminal:
        return Refused(RefusalCode.TERMINAL_STATE, f"{head}: {_FINAL[state]}")
    return Refused(RefusalCode.ILLEGAL_TRANSITION, f"{head}: {_why_not(action, state)}")


_FINAL: Final[Mapping[State, str]] = {
    State.CLOSED: "it is closed (结案); only REOPEN (重新办理) can open it again",
    State.VOIDED: "it was voided (作废) and that is final; file a new report if the matter is real",
    State.MERGED: "it was merged into another incident; act on that incident instead",
}

# The main line in order, and what "having reached" each state means, for "must be … first".
_MAIN_LINE: Final = (
    State.REPORTED,
    State.FILED,
    State.DISPATCHED,
    State.SIGNED,
    State.IN_PROGRESS,
    State.HANDLED,
    State.VERIFIED,
    State.CLOSED,
)
_REACHED: Final[Mapping[State, str]] = {
    State.FILED: "filed (立案)",
    State.DISPATCHED: "dispatched (派遣) to a unit",
    State.SIGNED: "signed (签收)",
    State.IN_PROGRESS: "started (开始处置)",
    State.HANDLED: "handled (处理反馈)",
    State.VERIFIED: "verified (核查)",
    State.CLOSED: "closed (结案)",
}
# Common mistakes that deserve a better hint than the generic one.
_HINTS: Final[Mapping[tuple[Action, State], str]] = {
    (Action.REOPEN, State.HANDLED): "it is waiting for verification; use VERIFY_FAIL (核查不通过) "
    "to send it back to the unit",
    (Action.RETURN, State.IN_PROGRESS): "the unit has started work on it; ESCALATE (上报) it if "
    "it is beyond the unit's authority",
    (Action.ESCALATE, State.HANDLED): "it has been handled and is waiting for verification (核查)",
}


def _why_not(action: Action, state: State) -> str:
    """Why `action` does not apply in (non-terminal) `state`, in an operator's words."""
    hint = _HINTS.get((action, state))
    if hint is not None:
        return hint
    if state is State.SUSPENDED:
        return "it is suspended (挂账); RESUME (恢复计时) it first"
    allowed = TRANSITIONS[action]
    if state in _MAIN_LINE:
        later = [s for s in _MAIN_LINE if s in allowed and _rank(s) > _rank(state)]
        earlier = [s for s in _MAIN_LINE if s in allowed and _rank(s) < _rank(state)]
        if later and not earlier:
            return f"it must be {_REACHED[later[0]]} first"
        if earlier and not later:
            return f"it has already been {_REACHED[state]}; {action} is only for " + _list(allowed)
    return f"{action} is only for " + _list(allowed)


def _rank(state: State) -> int:
    return _MAIN_LINE.index(state)


def _list(states: Mapping[State, Route]) -> str:
    return "incidents " + " or ".join(str(s) for s in states)


def _check_actor(snapshot: WorkflowSnapshot, action: Action, actor: Actor) -> Refused | None:
    if actor.is_system:
        return None
    may = WHO_MAY[action]
    holds = actor.unit_code == snapshot.unit_code
    if (Authority.HOLDER in may and holds) or (Authority.OVERSIGHT in may and actor.is_oversight):
        return None
    who = actor.label
    if not may:
        return Refused(
            RefusalCode.SYSTEM_ONLY,
            f"{action.label} is done by the router, not by {who}; dispatch centres act on "
            "the work orders it sends",
        )
    if Authority.HOLDER not in may:
        return Refused(
            RefusalCode.VERIFIER_ONLY,
            f"{action.label} must be done by a verifier (核查员) or supervisor (监督员), not by "
            f"{who}: a unit does not verify or close its own work",
        )
    others = "" if Authority.OVERSIGHT not in may else ", a verifier or a supervisor"
    return Refused(
        RefusalCode.NOT_YOUR_WORK_ORDER,
        f"{who} does not hold this incident: it is held by {snapshot.level} unit "
        f"{snapshot.unit_code}, so only that unit{others} may {action.label} it",
    )


def _check_inputs(
    snapshot: WorkflowSnapshot,
    action: Action,
    target: Target | None,
    reason: str | None,
    extend_minutes: int | None,
    merged_into: str | None,
) -> Refused | None:
    move = _MOVES.get(action, _Move.STAY)
    # Inputs meant for another action are refused rather than ignored: a target on SIGN, say,
    # means the sender expected a move that is not going to happen.
    stray = [
        name
        for name, given, wanted in (
            ("a target unit", target is not None, move is not _Move.STAY),
            ("extend_minutes", extend_minutes is not None, action is Action.EXTEND),
            ("merged_into", merged_into is not None, action is Action.MERGE),
        )
        if given and not wanted
    ]
    if stray:
        return Refused(
            RefusalCode.INPUT_NOT_ALLOWED,
            f"{action.label} takes no {' or '.join(stray)}; leave it out",
        )
    refusal = _check_target(snapshot, action, move, target)
    if refusal is not None:
        return refusal
    if action in REASON_REQUIRED and not (reason and reason.strip()):
        return Refused(RefusalCode.REASON_REQUIRED, f"{action.label} must say why (reason)")
    if action is Action.EXTEND and (extend_minutes is None or extend_minutes <= 0):
        return Refused(
            RefusalCode.INVALID_EXTENSION,
            f"{action.label} needs extend_minutes, a positive number of minutes; got "
            f"{extend_minutes}",
        )
    if action is Action.MERGE and not (merged_into and merged_into.strip()):
        return Refused(
            RefusalCode.MERGE_TARGET_REQUIRED,
            f"{action.label} must name the open incident this one duplicates (merged_into)",
        )
    return None


def _check_target(
    snapshot: WorkflowSnapshot, action: Action, move: _Move, target: Target | None
) -> Refused | None:
    if move is _Move.STAY:
        return None
    up = snapshot.level.up()
    if move is _Move.UP and up is None:
        return Refused(
            RefusalCode.AT_TOP_LEVEL,
            f"cannot {action.label}: the incident is already at the city, the top level",
        )
    if target is None:
        if move is _Move.PLACE:
            return None
        return Refused(
            RefusalCode.TARGET_REQUIRED, f"{action.label} must name the unit that takes it over"
        )
    if not is_unit_code(target.level, target.unit_code):
        return Refused(
            RefusalCode.INVALID_TARGET,
            f"{target.unit_code!r} is not a {target.level} division code "
            f"({target.level.code_length} digits)",
        )
    if move is _Move.UP:
        if target.level is not up:
            return Refused(
                RefusalCode.NOT_NEXT_LEVEL,
                f"{action.label} goes one level up, from {snapshot.level} to {up}, "
                f"not to {target.level}",
            )
        parent = parent_code(snapshot.level, snapshot.unit_code)
        if target.unit_code != parent:
            return Refused(
                RefusalCode.NOT_PARENT_UNIT,
                f"{action.label} goes to the {up} that contains {snapshot.unit_code}, "
                f"which is {parent}, not {target.unit_code}",
            )
    if move is _Move.ELSEWHERE and target.unit_code == snapshot.unit_code:
        return Refused(
            RefusalCode.SAME_UNIT,
            f"{action.label} must name another unit than {snapshot.unit_code}, which holds it",
        )
    return None


def _step_reason(
    action: Action, reason: str | None, extend_minutes: int | None, merged_into: str | None
) -> str | None:
    """The reason written on the history's steps: what the actor said, plus what the action's own
    inputs add, so the history alone tells the story."""
    if action is Action.EXTEND:
        return f"+{extend_minutes} min: {reason}"
    if action is Action.MERGE:
        return f"merged into {merged_into}" + (f": {reason}" if reason else "")
    return reason


def _events(
    old: WorkflowSnapshot,
    new: WorkflowSnapshot,
    action: Action,
    reason: str | None,
    extend_minutes: int | None,
    merged_into: str | None,
) -> tuple[Event, ...]:
    events: list[Event] = []
    moved = (old.level, old.unit_code) != (new.level, new.unit_code)
    # A unit held a work order unless the incident was still waiting to be filed or dispatched.
    held = old.state not in (State.REPORTED, State.FILED)
    if held and (moved or new.state in (State.VOIDED, State.MERGED)):
        events.append(WorkOrderWithdrawn(old.level, old.unit_code, action))
    if new.state is State.DISPATCHED:
        events.append(
            WorkOrderIssued(
                new.level,
                new.unit_code,
                action,
                from_level=old.level if moved else None,
                from_unit=old.unit_code if moved else None,
            )
        )
    if action is Action.VERIFY_FAIL:
        events.append(ReworkRequested(new.level, new.unit_code, reason))
    if action is Action.SUSPEND:
        events.append(ClockPaused(old.state))
    if action is Action.RESUME:
        events.append(ClockResumed(new.state))
    if action is Action.EXTEND:
        # Both checked by _check_inputs.
        assert extend_minutes is not None
        assert reason is not None
        events.append(DeadlineExtended(new.state, extend_minutes, reason))
    if new.state in TERMINAL_STATES:
        events.append(OutcomeReached(new.state, merged_into))
    return tuple(events)


def offered_actions(snapshot: WorkflowSnapshot, actor: Actor) -> tuple[Action, ...]:
    """The actions `actor` may take on the incident in `snapshot`, inputs aside (what a desk
    offers): the state allows them and the actor has the authority. The router's own actions
    (FILE, DISPATCH, MERGE) are never offered."""
    return tuple(
        action
        for action in Action
        if action not in _ROUTER_ACTIONS
        and action is not Action.MERGE
        and _check_state(snapshot, action) is None
        and _check_actor(snapshot, action, actor) is None
    )
