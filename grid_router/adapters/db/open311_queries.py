"""The read query behind Open311 GeoReport v2 `GET requests` (entrypoints/api/open311.py).

Read-only, like `views.py`: incidents as the router committed them, newest report first, with
their SLA deadlines. Only the columns a service request shows are read (no reporter's name or
phone). Which incidents a caller may see, and in which view, is decided by the caller's
function (`may_see`, and the policy's public categories); the SQL here only narrows the rows to
a superset of those, so that a page of 1000 is not read for a token that may see a handful.

A caller without a token (`who` None) is shown the public view of the public categories; a
token sees its own scope in full, and the public view of the public categories beyond it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    exists,
    false,
    or_,
    select,
    true,
)

from grid_router.adapters.db.tables import incidents, sla_timers, work_orders
from grid_router.adapters.db.views import Deadline
from grid_router.domain.model import State
from grid_router.service.auth import COMMUNITY_CODE_LENGTH, Principal, Role, area_prefix

CLOSED_STATES: Final = frozenset({State.CLOSED.value, State.VOIDED.value, State.MERGED.value})
"""States an Open311 client sees as `closed`; every other state is `open`."""

MAX_REQUESTS: Final = 1000
"""GeoReport v2: at most 1000 requests per answer."""

_i = incidents.c
_COLUMNS: Final = (
    _i.event_id, _i.state, _i.category_code, _i.category_name, _i.subcategory_code,
    _i.unit_code, _i.unit_name, _i.department, _i.grid_code, _i.community_code, _i.title,
    _i.description, _i.address, _i.lat, _i.lon, _i.reported_at, _i.updated_at, _i.closed_at,
    _i.merged_into,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RequestFilter:
    """What `GET requests` asked for. `event_ids`, when given, overrides everything else (the
    spec's service_request_id); otherwise requests reported in [start, end] are read."""

    event_ids: tuple[str, ...] = ()
    subcategory_codes: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    open: bool = True
    closed: bool = True
    limit: int = MAX_REQUESTS


View = Literal["full", "public"]
"""How much of an incident a caller is shown: everything its scope allows, or the public view."""


@dataclass(frozen=True, slots=True)
class RequestRecord:
    row: Any  # the incident's columns in `_COLUMNS` (attribute access)
    deadlines: tuple[Deadline, ...]
    view: View = "full"


Visible = Callable[[Any, frozenset[str]], View | None]
"""(incident row, units that had a work order for it) → the caller's view of it, or None."""


def service_requests(
    conn: Connection,
    who: Principal | None,
    wanted: RequestFilter,
    visible: Visible,
    public_categories: frozenset[str] = frozenset(),
) -> list[RequestRecord]:
    """The incidents `wanted` names that `visible` lets `who` see, newest report first, at most
    `wanted.limit` of them, each with the view `visible` gave it."""
    stmt = _statement(who, wanted, public_categories)
    found: list[tuple[Any, View]] = []
    chunk = max(wanted.limit, 1)
    offset = 0
    while len(found) < wanted.limit:
        rows = conn.execute(stmt.limit(chunk).offset(offset)).all()
        if not rows:
            break
        units = _units(conn, [r.event_id for r in rows])
        for r in rows:
            view = visible(r, units.get(r.event_id, frozenset()))
            if view is not None:
                found.append((r, view))
                if len(found) == wanted.limit:
                    break
        if len(rows) < chunk:
            break
        offset += chunk
    deadlines = _deadlines(conn, [r.event_id for r, _ in found])
    return [RequestRecord(r, tuple(deadlines.get(r.event_id, ())), v) for r, v in found]


def _statement(
    who: Principal | None, wanted: RequestFilter, public_categories: frozenset[str]
) -> Select[Any]:
    scope = _scope(who) if who is not None else false()
    if public_categories:
        scope = or_(scope, _i.category_code.in_(sorted(public_categories)))
    where: list[ColumnElement[bool]] = [scope]
    if wanted.event_ids:
        where.append(_i.event_id.in_(wanted.event_ids))
    else:
        if wanted.start is not None:
            where.append(_i.reported_at >= wanted.start)
        if wanted.end is not None:
            where.append(_i.reported_at <= wanted.end)
        codes: list[ColumnElement[bool]] = []
        if wanted.subcategory_codes:
            codes.append(_i.subcategory_code.in_(wanted.subcategory_codes))
        if wanted.category_codes:
            codes.append(_i.category_code.in_(wanted.category_codes))
        if codes:
            where.append(or_(*codes))
        if not (wanted.open and wanted.closed):
            closed = _i.state.in_(sorted(CLOSED_STATES))
            where.append(closed if wanted.closed else ~closed)
            if not (wanted.open or wanted.closed):
                where.append(false())
    return select(*_COLUMNS).where(*where).order_by(_i.reported_at.desc(), _i.event_id)


def _scope(who: Principal) -> ColumnElement[bool]:
    """A condition every incident `who` may see meets (exact for units, wider for grids)."""
    if who.role in (Role.OPERATOR, Role.BRIDGE):
        return true()
    if who.role is Role.GRID_WORKER:
        grids = sorted(g for g in who.grids if len(g) > COMMUNITY_CODE_LENGTH)
        communities = sorted(g for g in who.grids if len(g) == COMMUNITY_CODE_LENGTH)
        conditions: list[ColumnElement[bool]] = []
        if grids:
            conditions.append(_i.grid_code.in_(grids))
        if communities:
            conditions.append(_i.community_code.in_(communities))
            conditions += [_i.grid_code.startswith(c, autoescape=True) for c in communities]
        return or_(*conditions) if conditions else false()
    if who.unit_code is None:
        return false()
    w = work_orders.c
    if who.role is Role.DISPATCHER:
        held = _i.unit_code == who.unit_code
        ordered = w.unit_code == who.unit_code
    elif who.role is Role.VERIFIER:
        prefix = area_prefix(who.unit_code)
        held = _i.unit_code.startswith(prefix, autoescape=True)
        ordered = w.unit_code.startswith(prefix, autoescape=True)
    else:  # pragma: no cover - every role is handled above
        return false()
    return or_(held, exists().where(and_(w.event_id == _i.event_id, ordered)))


def _units(conn: Connection, event_ids: Sequence[str]) -> dict[str, frozenset[str]]:
    w = work_orders.c
    units: dict[str, set[str]] = {}
    rows = conn.execute(select(w.event_id, w.unit_code).where(w.event_id.in_(event_ids)).distinct())
    for event_id, unit_code in rows:
        units.setdefault(event_id, set()).add(unit_code)
    return {e: frozenset(u) for e, u in units.items()}


def _deadlines(conn: Connection, event_ids: Sequence[str]) -> dict[str, list[Deadline]]:
    if not event_ids:
        return {}
    t = sla_timers.c
    found: dict[str, list[Deadline]] = {}
    rows = conn.execute(
        select(t.event_id, t.stage, t.card, t.due_at)
        .where(t.event_id.in_(event_ids))
        .order_by(t.event_id, t.due_at)
    )
    for r in rows:
        found.setdefault(r.event_id, []).append(Deadline(r.stage, r.card, r.due_at))
    return found
