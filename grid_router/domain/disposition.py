"""Disposition: what dispatch centres do to an incident (DispositionAction on `grid.actions`) and
what its SLA clocks do when they fall due, as changes the router records and sends.

Pure. `act` applies one action, `fire` one due timer; both take the incident as stored and its
timers, and return a `Change` (the incident after, the history steps, the work orders to send,
the state change to publish, the timers that replace the incident's timers) or a `Refused`
that says why, in words an operator can act on. The state machine itself is `workflow.apply`;
this module adds what the workflow leaves to its caller: resolving the unit an incident moves
to, the SLA clocks, the extension limits, and the messages.

The unit passed over is told: a WorkOrder of kind WITHDRAWN goes to its queue, naming where the
incident went and why, so that it drops the order instead of working on a case nobody expects
it to close.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Final

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
from grid_router.domain.model import (
    Deadlines,
    Level,
    Photo,
    Severity,
    State,
    StateChange,
    WorkOrder,
)
from grid_router.domain.org import Organisation
from grid_router.domain.routing import Departments
from grid_router.domain.sla import SlaStage, time_between
from grid_router.domain.workflow import (
    TIMERS,
    Accepted,
    Action,
    Actor,
    ClockPaused,
    ClockResumed,
    DeadlineExtended,
    RefusalCode,
    Refused,
    ReworkRequested,
    Step,
    Target,
    WorkflowSnapshot,
    WorkOrderIssued,
    WorkOrderWithdrawn,
    apply,
    is_unit_code,
    parent_code,
    parse_action,
)

ACTION_ORDER: Final = "ACTION"
WITHDRAWN: Final = "WITHDRAWN"

SLA_WARNING: Final = "SLA_WARNING"
SLA_BREACH: Final = "SLA_BREACH"

if TYPE_CHECKING:
    from grid_router.domain.reclassify import Rerouting

CLOSING_STATES: Final = frozenset({State.CLOSED, State.VOIDED})


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident as the router stores it: where it stands and what its work orders say."""

    event_id: str
    version: int
    state: State
    level: Level
    unit_code: str
    unit_name: str
    department: str | None
    category_code: str
    category_name: str
    subcategory_code: str | None
    severity: Severity
    description: str
    title: str | None
    address: str | None
    grid_code: str | None
    community_code: str | None
    street_code: str | None
    district_code: str | None
    source: str
    external_ref: str | None
    report_count: int
    sla: SlaTerms
    suspended_from: State | None = None
    extensions: int = 0
    paused: tuple[PausedClock, ...] = ()
    closed_at: datetime | None = None
    filed_at: datetime | None = None  # when the router filed it (None: not known)
    needs_triage: bool = False  # a person must confirm the category (RECLASSIFY clears it)

    @property
    def snapshot(self) -> WorkflowSnapshot:
        return WorkflowSnapshot(
            self.state, self.version, self.level, self.unit_code, self.suspended_from
        )


@dataclass(frozen=True, slots=True)
class Escalation:
    """An incident passed one level up (for metrics): from, to, and why."""

    from_level: Level
    to_level: Level
    reason: str  # "timeout" or "request"


@dataclass(frozen=True, slots=True)
class Change:
    """Everything one action or one timer changes: record it all in one transaction."""

    incident: Incident
    steps: tuple[Step, ...]
    work_orders: tuple[WorkOrder, ...]
    state_change: StateChange
    timers: tuple[Timer, ...]
    cards: tuple[tuple[SlaStage, Card], ...] = ()
    escalations: tuple[Escalation, ...] = ()
    holder_changed: bool = False


@dataclass(frozen=True, slots=True)
class Stale:
    """A timer whose clock no longer runs (the incident moved on): drop it, nothing else."""

    timers: tuple[Timer, ...]


@dataclass(frozen=True, slots=True)
class Context:
    """What disposition needs besides the incident: the organisation (unit names, which unit
    contains which), the departments of the policy, and the clocks."""

    org: Organisation
    departments: Departments
    clocks: ClockSettings
    rerouting: Rerouting | None = None
    """The routing policy, for RECLASSIFY (改类); None refuses it."""


@dataclass(frozen=True, slots=True)
class ActionRequest:
    """One DispositionAction, as read off `grid.actions`."""

    action_id: str
    event_id: str
    action: str
    actor: Actor
    at: datetime
    reason: str | None = None
    result: str | None = None
    verify_passed: bool | None = None
    extend_minutes: int | None = None
    target_unit: str | None = None
    photos: tuple[Photo, ...] = ()  # references only (URL and SHA-256), as sent
    attributes: dict[str, str] = field(default_factory=dict)
    category_code: str | None = None  # RECLASSIFY: the corrected category
    severity: str | None = None  # RECLASSIFY: the corrected grade


# --- actions ------------------------------------------------------------------------------------


def act(
    incident: Incident,
    timers: tuple[Timer, ...],
    request: ActionRequest,
    ctx: Context,
    now: datetime,
) -> Change | Refused:
    """Apply `request` to `incident`, at `now`."""
    parsed = parse_action(request.action, request.verify_passed)
    if isinstance(parsed, Refused):
        return parsed
    action = parsed
    if action in (Action.FILE, Action.DISPATCH, Action.MERGE):
        return Refused(
            RefusalCode.SYSTEM_ONLY,
            f"{action.label} is done by the router as reports come in, not sent as an action",
        )
    if action is Action.RECLASSIFY:
        return _reclassify(incident, timers, request, ctx, now)
    target = _target(incident, action, request.target_unit)
    if isinstance(target, Refused):
        return target
    reason = request.reason
    if action in (Action.HANDLE, Action.CLOSE) and request.result:
        reason = request.result if not reason else f"{reason}; {request.result}"
    decision = apply(
        incident.snapshot,
        action,
        request.actor,
        now=now,
        target=target,
        reason=reason,
        extend_minutes=request.extend_minutes if action is Action.EXTEND else None,
    )
    if isinstance(decision, Refused):
        return decision
    # The policy's extension limits, once the workflow has said the actor may extend at all.
    if action is Action.EXTEND:
        refusal = _check_extension(incident, timers, request.extend_minutes)
        if refusal is not None:
            return refusal
    moved_to = decision.snapshot.unit_code
    if moved_to != incident.unit_code and moved_to not in ctx.org:
        return Refused(
            RefusalCode.INVALID_TARGET,
            f"{action.label} refused: no unit has code {moved_to!r} in {ctx.org.city.name}; "
            "name a unit of the organisation",
        )
    escalations = (
        (Escalation(incident.level, decision.snapshot.level, "request"),)
        if action is Action.ESCALATE
        else ()
    )
    return _changed(
        incident, timers, decision, action.value, request.actor.label, ctx, now, escalations
    )


def _reclassify(
    incident: Incident,
    timers: tuple[Timer, ...],
    request: ActionRequest,
    ctx: Context,
    now: datetime,
) -> Change | Refused:
    # Imported here: reclassify builds on this module (the change, the work orders).
    from grid_router.domain.reclassify import reclassify

    if ctx.rerouting is None:
        return Refused(
            RefusalCode.SYSTEM_ONLY,
            f"{Action.RECLASSIFY.label} needs the routing policy, which this process lacks",
        )
    return reclassify(incident, timers, request, ctx, ctx.rerouting, now)


def _target(incident: Incident, action: Action, unit: str | None) -> Target | Refused | None:
    """The unit ESCALATE and RETURN move the incident to: ESCALATE always goes to the unit
    above; RETURN goes where the sender says, or without a target back to the unit above, whose
    dispatch centre re-dispatches it (回退至上级派遣中心)."""
    if action not in (Action.ESCALATE, Action.RETURN):
        return None if unit is None else _target_of(unit)  # the workflow refuses a stray one
    if unit is not None:
        return _target_of(unit)
    up = incident.level.up()
    parent = parent_code(incident.level, incident.unit_code)
    if up is None or parent is None:
        if action is Action.ESCALATE:
            return None  # the workflow says AT_TOP_LEVEL
        return Refused(
            RefusalCode.TARGET_REQUIRED,
            f"{action.label} at the city must name the unit that takes the incident over "
            "(target_unit_code): there is no dispatch centre above the city to send it back to",
        )
    return Target(up, parent)


def _target_of(unit_code: str) -> Target | Refused:
    level = level_of_code(unit_code)
    if level is None:
        return Refused(
            RefusalCode.INVALID_TARGET,
            f"{unit_code!r} is not a division code: 12 digits for a community, 9 for a street, "
            "6 for a district or the city (350200)",
        )
    return Target(level, unit_code)


def level_of_code(code: str) -> Level | None:
    """The level a division code names, by its length (and "00" at the end for the city)."""
    return next((level for level in Level if is_unit_code(level, code)), None)


def _check_extension(
    incident: Incident, timers: tuple[Timer, ...], minutes: int | None
) -> Refused | None:
    rules = incident.sla.extensions
    if minutes is None or minutes <= 0:
        return None  # the workflow explains what EXTEND needs
    if incident.extensions >= rules.max_count:
        return Refused(
            RefusalCode.INVALID_EXTENSION,
            f"EXTEND (延期) refused: the incident has had {incident.extensions} extension(s), "
            f"the most the policy allows ({rules.max_count}); ESCALATE (上报) it if more time "
            "is needed",
        )
    if timedelta(minutes=minutes) > rules.max_each:
        allowed = int(rules.max_each.total_seconds() // 60)
        return Refused(
            RefusalCode.INVALID_EXTENSION,
            f"EXTEND (延期) by {minutes} min refused: the policy allows at most {allowed} min per "
            "extension",
        )
    if not any(t.stage is SlaStage.HANDLE and t.card is Card.BREACH for t in timers):
        return Refused(
            RefusalCode.INVALID_EXTENSION,
            "EXTEND (延期) refused: no handling clock is running for this incident",
        )
    return None


# --- timers -------------------------------------------------------------------------------------


def fire(
    incident: Incident, timers: tuple[Timer, ...], timer: Timer, ctx: Context, now: datetime
) -> Change | Stale:
    """What `timer` (one of `timers`, fallen due) does to `incident` at `now`."""
    rest = tuple(t for t in timers if t != timer)
    if still_running((timer,), incident.state, incident.unit_code) == ():
        return Stale(rest)
    limit = describe(timer.limit, timer.clock)
    where = f"{incident.unit_name} ({incident.unit_code})"
    stage = _STAGE_WORDS[timer.stage]
    if timer.card is Card.WARNING:
        reason = f"黄牌 warning: 70% of the time to {stage} ({limit}) used by {where}"
        return _recorded(incident, rest, SLA_WARNING, reason, now, ((timer.stage, timer.card),))
    elapsed = time_between(timer.started_at, now, timer.clock, ctx.clocks.calendar)
    reason = (
        f"红牌 breach: not {_STAGE_DONE[timer.stage]} within {limit} by {where}"
        if timer.card is Card.BREACH
        else f"红牌 reminder #{timer.repeat}: still not {_STAGE_DONE[timer.stage]}, "
        f"{describe(elapsed, timer.clock)} after the clock started, by {where}"
    )
    breached = _recorded(incident, rest, SLA_BREACH, reason, now, ((timer.stage, timer.card),))
    if timer.stage is SlaStage.VERIFY:
        # The unit did its work: the breach is recorded and published on the state topic, for
        # the verifier's own dispatch centre; nobody is passed over.
        return breached
    up = incident.level.up()
    if up is None:
        return _remind_city(breached, timer, reason, ctx, now)
    after = breached.incident
    target = Target(up, parent_code(incident.level, incident.unit_code) or "")
    decision = apply(
        after.snapshot,
        Action.ESCALATE,
        TIMERS,
        now=now,
        target=target,
        reason=f"SLA_BREACH: {reason}",
    )
    if isinstance(decision, Refused):  # cannot happen for a running sign or handle clock
        raise AssertionError(f"timer escalation refused: {decision.message}")
    moved = _changed(
        after,
        breached.timers,
        decision,
        Action.ESCALATE.value,
        TIMERS.label,
        ctx,
        now,
        escalations=(Escalation(incident.level, up, "timeout"),),
    )
    return replace(moved, steps=breached.steps + moved.steps, cards=breached.cards)


_STAGE_WORDS: Final = {SlaStage.SIGN: "sign", SlaStage.HANDLE: "handle", SlaStage.VERIFY: "verify"}
_STAGE_DONE: Final = {
    SlaStage.SIGN: "signed (签收)",
    SlaStage.HANDLE: "handled (处理反馈)",
    SlaStage.VERIFY: "verified (核查)",
}


def _recorded(
    incident: Incident,
    timers: tuple[Timer, ...],
    action: str,
    reason: str,
    now: datetime,
    cards: tuple[tuple[SlaStage, Card], ...],
) -> Change:
    """A step that records a card without moving the incident (state → same state)."""
    version = incident.version + 1
    step = Step(
        version,
        incident.state,
        incident.state,
        action,
        TIMERS,
        incident.level,
        incident.unit_code,
        incident.level,
        incident.unit_code,
        reason,
        now,
    )
    after = replace(incident, version=version)
    state_change = _state_change(after, incident.state, action, TIMERS.label, reason, now)
    return Change(after, (step,), (), state_change, timers, cards=cards)


def _remind_city(
    breached: Change, timer: Timer, reason: str, ctx: Context, now: datetime
) -> Change:
    """At the city nobody is above: the city's queue gets the work order again, and the next
    reminder is set."""
    incident = breached.incident
    nxt = reminder(timer, incident.sla.policy.renotify_every, now, ctx.clocks)
    timers = (*breached.timers, nxt)
    order = work_order(incident, ACTION_ORDER, f"SLA_REMINDER: {reason}", now, deadlines_of(timers))
    return replace(breached, work_orders=(order,), timers=timers)


# --- the common part ------------------------------------------------------------------------------


def _changed(
    incident: Incident,
    timers: tuple[Timer, ...],
    decision: Accepted,
    action: str,
    actor: str,
    ctx: Context,
    now: datetime,
    escalations: tuple[Escalation, ...] = (),
) -> Change:
    new = decision.snapshot
    moved = (new.level, new.unit_code) != (incident.level, incident.unit_code)
    unit_name, department = incident.unit_name, incident.department
    if moved:
        unit = ctx.org.unit(new.unit_code)
        unit_name = unit.name
        try:
            department = ctx.departments.name_for(incident.category_code, unit, ctx.org)
        except KeyError:
            department = None
    after = replace(
        incident,
        version=new.version,
        state=new.state,
        level=new.level,
        unit_code=new.unit_code,
        unit_name=unit_name,
        department=department,
        suspended_from=new.suspended_from,
        closed_at=now if new.state in CLOSING_STATES else None,
    )
    running = still_running(timers, new.state, new.unit_code)
    orders: list[WorkOrder] = []
    rework = False
    for event in decision.events:
        match event:
            case WorkOrderWithdrawn():
                where = (
                    f"now held by {after.unit_name} ({after.unit_code})"
                    if moved
                    else (f"now {new.state.value}")
                )
                withdrawn = replace(incident, version=new.version)  # to the unit it had
                orders.append(work_order(withdrawn, WITHDRAWN, f"{action}: {where}", now))
            case WorkOrderIssued():
                running = start(
                    after.event_id,
                    ON_DISPATCH,
                    after.sla,
                    after.level,
                    after.unit_code,
                    now,
                    ctx.clocks,
                )
            case ReworkRequested():
                rework = True
                running = start(
                    after.event_id,
                    (SlaStage.HANDLE,),
                    after.sla,
                    after.level,
                    after.unit_code,
                    now,
                    ctx.clocks,
                )
            case ClockPaused():
                after = replace(after, paused=pause(timers, now, ctx.clocks))
                running = ()
            case ClockResumed():
                running = resume(
                    after.event_id, incident.paused, after.level, after.unit_code, now, ctx.clocks
                )
                after = replace(after, paused=())
            case DeadlineExtended(minutes=minutes):
                extended = extend(running, SlaStage.HANDLE, timedelta(minutes=minutes), ctx.clocks)
                running = extended if extended is not None else running
                after = replace(after, extensions=after.extensions + 1)
            case _:
                pass
    if new.state is State.HANDLED and incident.state is not State.HANDLED:
        running = start(
            after.event_id,
            (SlaStage.VERIFY,),
            after.sla,
            after.level,
            after.unit_code,
            now,
            ctx.clocks,
        )
    if any(isinstance(e, WorkOrderIssued) for e in decision.events):
        why = decision.steps[0].reason
        up = moved and action == Action.ESCALATE.value
        orders.append(
            work_order(
                after,
                ACTION_ORDER,
                f"{action}: {why}" if why else action,
                now,
                deadlines_of(running),
                escalated_from=(incident.level, incident.unit_code) if up else None,
            )
        )
    if rework:
        # Verification failed: the unit gets the order again, with its new handling deadline.
        why = decision.steps[-1].reason
        orders.append(
            work_order(after, ACTION_ORDER, f"{action}: {why}" if why else action, now,
                       deadlines_of(running))
        )  # fmt: skip
    last = decision.steps[-1]
    state_change = _state_change(after, incident.state, action, actor, last.reason, now)
    return Change(
        after,
        decision.steps,
        tuple(orders),
        state_change,
        running,
        escalations=escalations,
        holder_changed=moved or new.is_terminal,
    )


def _state_change(
    after: Incident, previous: State, action: str, actor: str, reason: str | None, now: datetime
) -> StateChange:
    return StateChange(
        event_id=after.event_id,
        version=after.version,
        state=after.state,
        previous_state=previous,
        action=action,
        actor=actor,
        level=after.level,
        unit_code=after.unit_code,
        category_code=after.category_code,
        severity=after.severity,
        at=now,
        reason=reason,
    )


def work_order(
    incident: Incident,
    kind: str,
    reason: str,
    now: datetime,
    deadlines: Deadlines | None = None,
    *,
    escalated_from: tuple[Level, str] | None = None,
) -> WorkOrder:
    """A work order about `incident` (at its version) to the unit holding it."""
    return WorkOrder(
        work_order_id=f"{incident.event_id}:{incident.version}:{incident.unit_code}:{kind}",
        event_id=incident.event_id,
        version=incident.version,
        level=incident.level,
        unit_code=incident.unit_code,
        unit_name=incident.unit_name,
        department=incident.department,
        category_code=incident.category_code,
        category_name=incident.category_name,
        subcategory_code=incident.subcategory_code,
        severity=incident.severity,
        reason=reason[:500],
        kind=kind,
        description=incident.description,
        title=incident.title,
        address=incident.address,
        grid_code=incident.grid_code,
        community_code=incident.community_code,
        street_code=incident.street_code,
        district_code=incident.district_code,
        source=incident.source,
        external_ref=incident.external_ref,
        created_at=now,
        deadlines=deadlines or Deadlines(),
        escalated_from_level=escalated_from[0] if escalated_from else None,
        escalated_from_unit=escalated_from[1] if escalated_from else None,
        report_count=incident.report_count,
        needs_triage=incident.needs_triage,
    )
