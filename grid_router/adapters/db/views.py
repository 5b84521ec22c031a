"""Read models for the HTTP API: one incident's status with its history, one unit's queue.

Read-only and lock-free: the router is the only writer of incident state; these views show what
it has committed. Personal data of reporters never leaves this module unmasked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import Connection, and_, case, func, or_, select

from grid_router.adapters.db.tables import incident_transitions, incidents, sla_timers, work_orders
from grid_router.domain.clocks import Card
from grid_router.domain.model import State
from grid_router.domain.sla import SlaStage

OPEN_STATES: Final = (
    State.DISPATCHED.value,
    State.SIGNED.value,
    State.IN_PROGRESS.value,
    State.HANDLED.value,
    State.VERIFIED.value,
    State.SUSPENDED.value,
)


def mask_name(name: str | None) -> str | None:
    """林小梅 → 林*梅, 王五 → 王*: enough for the reporter to recognise, not to identify."""
    if not name:
        return name
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str | None) -> str | None:
    """13900001234 → 139****1234."""
    if not phone:
        return phone
    digits = phone.strip()
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


@dataclass(frozen=True, slots=True)
class Step:
    version: int
    at: datetime
    action: str
    from_state: str | None
    to_state: str
    actor: str
    from_level: str | None
    from_unit: str | None
    to_level: str | None
    to_unit: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class Deadline:
    stage: str
    card: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class EventRecord:
    """An incident as stored, with what the status view needs around it."""

    row: object  # the incidents row (attribute access)
    history: tuple[Step, ...]
    deadlines: tuple[Deadline, ...]
    merged_reports: tuple[str, ...]
    units: frozenset[str]  # every unit that has had a work order for it


def event_record(conn: Connection, event_id: str) -> EventRecord | None:
    row = conn.execute(select(incidents).where(incidents.c.event_id == event_id)).first()
    if row is None:
        return None
    t = incident_transitions.c
    history = tuple(
        Step(
            r.version,
            r.at,
            r.action,
            r.from_state,
            r.to_state,
            r.actor,
            r.from_level,
            r.from_unit,
            r.to_level,
            r.to_unit,
            r.reason,
        )
        for r in conn.execute(
            select(incident_transitions).where(t.event_id == event_id).order_by(t.version)
        )
    )
    timers = tuple(
        Deadline(r.stage, r.card, r.due_at)
        for r in conn.execute(
            select(sla_timers.c.stage, sla_timers.c.card, sla_timers.c.due_at)
            .where(sla_timers.c.event_id == event_id)
            .order_by(sla_timers.c.due_at)
        )
    )
    merged = tuple(
        conn.execute(
            select(incidents.c.event_id)
            .where(incidents.c.merged_into == event_id)
            .order_by(incidents.c.filed_at)
        ).scalars()
    )
    units = frozenset(
        conn.execute(
            select(work_orders.c.unit_code).where(work_orders.c.event_id == event_id).distinct()
        ).scalars()
    )
    return EventRecord(row, history, timers, merged, units)


def breach_due(deadlines: Sequence[Deadline], stage: SlaStage) -> datetime | None:
    """When the running clock of `stage` breaches (None if it does not run)."""
    return next(
        (d.due_at for d in deadlines if d.stage == stage.value and d.card != Card.WARNING.value),
        None,
    )


@dataclass(frozen=True, slots=True)
class QueueItem:
    work_order_id: str
    event_id: str
    version: int
    kind: str
    reason: str
    state: str
    category_code: str
    category_name: str
    subcategory_code: str | None
    severity: str
    title: str | None
    description: str
    address: str | None
    grid_code: str | None
    report_count: int
    created_at: datetime
    sign_by: datetime | None
    handle_by: datetime | None
    overdue: bool
    unit_code: str = ""
    community_code: str | None = None
    needs_triage: bool = False


def unit_queue(
    conn: Connection,
    unit_code: str,
    now: datetime,
    *,
    kind: str = "ACTION",
    state: str | None = None,
    category: str | None = None,
    overdue_only: bool = False,
    limit: int = 50,
    offset: int = 0,
    area: bool = False,
) -> tuple[list[QueueItem], int]:
    """The unit's open work orders, overdue first, then by the next deadline; and how many
    there are in all (for paging). With `area`, `unit_code` is a code prefix: the work orders
    of every unit inside it (a verifier's area)."""
    w, i = work_orders.c, incidents.c
    waiting_sign = and_(i.state == State.DISPATCHED.value, w.sign_by < now)
    working = i.state.in_([State.DISPATCHED.value, State.SIGNED.value, State.IN_PROGRESS.value])
    overdue = case((or_(waiting_sign, and_(working, w.handle_by < now)), 1), else_=0)
    next_deadline = case(
        (i.state == State.DISPATCHED.value, func.coalesce(w.sign_by, w.handle_by)),
        else_=w.handle_by,
    )
    where = [
        w.unit_code.startswith(unit_code, autoescape=True) if area else w.unit_code == unit_code,
        w.active,
        w.kind == kind,
        i.state.in_(OPEN_STATES),
    ]
    if state:
        where.append(i.state == state)
    if category:
        where.append(i.category_code == category)
    if overdue_only:
        where.append(overdue == 1)
    base = select(work_orders).join(incidents, i.event_id == w.event_id).where(*where)
    total = conn.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = conn.execute(
        select(
            w.work_order_id, w.event_id, w.version, w.kind, w.reason, w.created_at, w.sign_by,
            w.handle_by, i.state, i.category_code, i.category_name, i.subcategory_code,
            i.severity, i.title, i.description, i.address, i.grid_code, i.report_count,
            overdue.label("overdue"), w.unit_code, i.community_code, i.needs_triage,
        )
        .join(incidents, i.event_id == w.event_id)
        .where(*where)
        .order_by(overdue.desc(), next_deadline.is_(None), next_deadline, w.created_at)
        .limit(limit)
        .offset(offset)
    )  # fmt: skip
    items = [
        QueueItem(
            r.work_order_id,
            r.event_id,
            r.version,
            r.kind,
            r.reason,
            r.state,
            r.category_code,
            r.category_name,
            r.subcategory_code,
            r.severity,
            r.title,
            r.description,
            r.address,
            r.grid_code,
            r.report_count,
            r.created_at,
            r.sign_by,
            r.handle_by,
            bool(r.overdue),
            r.unit_code,
            r.community_code,
            bool(r.needs_triage),
        )
        for r in rows
    ]
    return items, int(total)
