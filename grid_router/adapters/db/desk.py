"""The dispatch desk's side of the database: browser sessions, reminders (催办), the yellow and
red cards of work orders, the supervision board's figures and the resident's status lookup.

Sessions store the SHA-256 of the cookie and the id of the API token it was opened with, never
the token: every request reads the session joined with its token, so a revoked token ends its
sessions at once, in every API process.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    case,
    delete,
    func,
    insert,
    or_,
    select,
)

from grid_router.adapters.db.tables import (
    api_tokens,
    desk_reminders,
    desk_sessions,
    incident_photos,
    incident_transitions,
    incidents,
    work_orders,
)
from grid_router.adapters.db.tokens import principal_of
from grid_router.adapters.db.views import OPEN_STATES
from grid_router.domain.model import State
from grid_router.service.auth import Principal

SESSION_TTL: Final = timedelta(hours=12)
YELLOW: Final = "yellow"
RED: Final = "red"
_CARD_STEPS: Final = {"SLA_WARNING": YELLOW, "SLA_BREACH": RED}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class DeskSession:
    who: Principal
    csrf: str


class SessionStore:
    """Desk sessions in the database (table `desk_sessions`)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def open(self, who: Principal, now: datetime) -> tuple[str, str]:
        """A new session for `who`: (the cookie's secret, the CSRF token of its forms)."""
        secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self._engine.begin() as conn:
            conn.execute(delete(desk_sessions).where(desk_sessions.c.expires_at < now))
            conn.execute(
                insert(desk_sessions).values(
                    session_hash=_digest(secret),
                    token_id=who.token_id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=now + SESSION_TTL,
                )
            )
        return secret, csrf

    def find(self, secret: str, now: datetime) -> DeskSession | None:
        """The live session of cookie `secret`: unexpired, its token not revoked."""
        s, t = desk_sessions.c, api_tokens.c
        with self._engine.connect() as conn:
            row = conn.execute(
                select(s.csrf, api_tokens)
                .join(api_tokens, t.token_id == s.token_id)
                .where(s.session_hash == _digest(secret), s.expires_at > now)
                .where(t.revoked_at.is_(None))
            ).first()
        if row is None:
            return None
        who = principal_of(row)
        return DeskSession(who, row.csrf)

    def close(self, secret: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                delete(desk_sessions).where(desk_sessions.c.session_hash == _digest(secret))
            )


# --- reminders (催办) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Reminder:
    event_id: str
    unit_code: str
    sender: str
    message: str
    at: datetime


def add_reminder(engine: Engine, reminder: Reminder) -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(desk_reminders).values(
                event_id=reminder.event_id,
                unit_code=reminder.unit_code,
                sender=reminder.sender,
                message=reminder.message,
                at=reminder.at,
            )
        )


def reminders(
    conn: Connection, *, unit_code: str | None = None, event_id: str | None = None, since: datetime
) -> list[Reminder]:
    """Reminders sent to a unit, or about an incident, since `since`; newest first."""
    r = desk_reminders.c
    query = select(desk_reminders).where(r.at >= since).order_by(r.at.desc()).limit(20)
    if unit_code is not None:
        query = query.where(r.unit_code == unit_code)
    if event_id is not None:
        query = query.where(r.event_id == event_id)
    return [reminder_of(x) for x in conn.execute(query)]


def reminder_of(row: Any) -> Reminder:
    """A `desk_reminders` row as a Reminder."""
    return Reminder(row.event_id, row.unit_code, row.sender, row.message, row.at)


# --- photos (现场照片) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PhotoRecord:
    event_id: str  # the incident, or the repeat merged into it, that carried the photo
    action: str  # REPORT or the action's code
    url: str
    sha256: str | None
    at: datetime


def photos(conn: Connection, event_ids: Sequence[str]) -> list[PhotoRecord]:
    """The photos the reports and actions of these incidents carried, oldest first."""
    if not event_ids:
        return []
    p = incident_photos.c
    query = (
        select(p.event_id, p.action, p.url, p.sha256, p.at)
        .where(p.event_id.in_(list(event_ids)))
        .order_by(p.at, p.id)
    )
    return [PhotoRecord(x.event_id, x.action, x.url, x.sha256, x.at) for x in conn.execute(query)]


def photo_of(conn: Connection, event_ids: Sequence[str], sha256: str) -> bool:
    """Whether a report or an action of these incidents carried the photo `sha256`."""
    p = incident_photos.c
    query = select(p.id).where(p.sha256 == sha256, p.event_id.in_(list(event_ids))).limit(1)
    return bool(event_ids) and conn.execute(query).first() is not None


# --- cards ---------------------------------------------------------------------------------


def cards(conn: Connection, orders: Iterable[tuple[str, int]]) -> dict[str, str]:
    """The card (yellow or red) each work order has earned since it was issued: `orders` are
    (event id, work order version); the answer is keyed by event id (no card: absent)."""
    since = dict(orders)
    if not since:
        return {}
    t = incident_transitions.c
    rows = conn.execute(
        select(t.event_id, t.version, t.action).where(
            t.event_id.in_(list(since)), t.action.in_(list(_CARD_STEPS))
        )
    )
    found: dict[str, str] = {}
    for event_id, version, action in rows:
        if version > since[event_id] and found.get(event_id) != RED:
            found[event_id] = _CARD_STEPS[action]
    return found


# --- supervision (督办) ---------------------------------------------------------------------


@dataclass
class UnitFigures:
    """One unit's (or area's) figures on the supervision board."""

    code: str
    open: int = 0
    overdue: int = 0
    yellow: int = 0
    red: int = 0
    on_time_today: list[int] = field(default_factory=lambda: [0, 0])  # [on time, due]
    on_time_week: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, other: UnitFigures) -> None:
        self.open += other.open
        self.overdue += other.overdue
        self.yellow += other.yellow
        self.red += other.red
        for mine, theirs in ((self.on_time_today, other.on_time_today),
                             (self.on_time_week, other.on_time_week)):  # fmt: skip
            mine[0] += theirs[0]
            mine[1] += theirs[1]


def rate(pair: Sequence[int]) -> float | None:
    """On-time share of `[on time, due]`, None when nothing was due."""
    return pair[0] / pair[1] if pair[1] else None


def area_figures(
    conn: Connection, prefix: str, now: datetime, today: datetime, week: datetime
) -> dict[str, UnitFigures]:
    """Figures per unit code of every unit whose code starts with `prefix`: open, overdue,
    carded work orders now; on-time signing (签收) of the orders issued since `today` and
    since `week` (an order counts once its sign deadline has passed or it was signed)."""
    w, i, t = work_orders.c, incidents.c, incident_transitions.c
    found: dict[str, UnitFigures] = defaultdict(lambda: UnitFigures(""))
    in_area = (w.unit_code.startswith(prefix, autoescape=True), w.active, w.kind == "ACTION")
    deadline = case((i.state == State.DISPATCHED.value, w.sign_by), else_=w.handle_by)
    late = case((and_(i.state.in_(_CLOCKED), deadline < now), 1), else_=0)
    for unit_code, count, overdue in conn.execute(
        select(w.unit_code, func.count(), func.sum(late))
        .join(incidents, i.event_id == w.event_id)
        .where(*in_area, i.state.in_(OPEN_STATES))
        .group_by(w.unit_code)
    ):
        found[unit_code].open += int(count)
        found[unit_code].overdue += int(overdue or 0)
    # A card counts when earned since the order was issued (a step after its version).
    breach = func.max(case((t.action == "SLA_BREACH", 1), else_=0))
    for unit_code, red in conn.execute(
        select(w.unit_code, breach)
        .join(incidents, i.event_id == w.event_id)
        .join(incident_transitions, and_(t.event_id == w.event_id, t.version > w.version))
        .where(*in_area, i.state.in_(OPEN_STATES), t.action.in_(list(_CARD_STEPS)))
        .group_by(w.unit_code, w.event_id)
    ):
        found[unit_code].red += int(red)
        found[unit_code].yellow += 1 - int(red)
    for unit_code, week_on, week_due, today_on, today_due in conn.execute(
        _on_time(prefix, now, today, week)
    ):
        f = found[unit_code]
        f.on_time_week[0] += int(week_on)
        f.on_time_week[1] += int(week_due)
        f.on_time_today[0] += int(today_on)
        f.on_time_today[1] += int(today_due)
    for code, f in found.items():
        f.code = code
    return dict(found)


def _on_time(prefix: str, now: datetime, today: datetime, week: datetime) -> Select[Any]:
    """One grouped query: per unit, (on time, due) of signing (签收) for the orders issued since
    `week`, then the same for those issued since `today`. An order is due once signed or once
    its sign deadline has passed; on time when its first signing by that unit after it was
    issued came by the deadline."""
    w, t = work_orders.c, incident_transitions.c
    # A join grouped per order, not a correlated subquery: SQLite would flatten the
    # subquery into the outer one and look each order's signing up once per aggregate.
    signed = and_(
        t.event_id == w.event_id,
        t.to_unit == w.unit_code,
        t.action == "SIGN",
        t.version > w.version,
    )
    issued = (
        select(w.unit_code, w.created_at, w.sign_by, func.min(t.at).label("signed_at"))
        .select_from(work_orders)
        .outerjoin(incident_transitions, signed)
        .where(w.unit_code.startswith(prefix, autoescape=True), w.kind == "ACTION")
        # Bounded on both sides, so that SQLite (without statistics) takes the index.
        .where(w.created_at.between(week, now), w.sign_by.is_not(None))
        .group_by(w.work_order_id, w.unit_code, w.created_at, w.sign_by)
        .subquery()
    )
    o = issued.c
    due = or_(o.signed_at.is_not(None), o.sign_by < now)
    on_time = and_(o.signed_at.is_not(None), o.signed_at <= o.sign_by)
    issued_today = o.created_at >= today

    def count(*conditions: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((and_(*conditions), 1), else_=0))

    return select(
        o.unit_code,
        count(on_time),
        count(due),
        count(on_time, issued_today),
        count(due, issued_today),
    ).group_by(o.unit_code)


_CLOCKED: Final = frozenset({State.DISPATCHED.value, State.SIGNED.value, State.IN_PROGRESS.value})


# --- the resident's status page -------------------------------------------------------------


def find_public(conn: Connection, key: str) -> Any | None:
    """The incident whose event id, or else external ticket number, is `key`."""
    i = incidents.c
    return conn.execute(
        select(incidents)
        .where(or_(i.event_id == key, i.external_ref == key))
        .order_by((i.event_id == key).desc())
        .limit(1)
    ).first()
