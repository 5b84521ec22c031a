"""Bridge deliveries: outbox rows of kind "bridge", one destination at a time.

A delivery row is written in the same transaction as the change it reports (the router's or the
scheduler's), so nothing is lost; it is deleted once the far side accepted it. Failures are
tracked per row (attempts, last error, next attempt's time) and so per destination: a dead
hotline never delays a 数字城管 delivery. An incident's deliveries to one bridge go in order:
while its oldest pending delivery waits (backoff) or is parked, the later ones wait behind it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, update

from grid_router.adapters.db.leader import AdvisoryLeader
from grid_router.adapters.db.tables import outbox
from grid_router.adapters.db.uow import as_utc, decode_headers

BRIDGE = "bridge"
PENDING = "pending"
PARKED = "parked"
IDEMPOTENCY_HEADER = "idempotency_key"


@dataclass(frozen=True, slots=True)
class PendingDelivery:
    id: int
    bridge: str
    event_id: str
    key: str  # the idempotency key: bridge:event id:version
    path: str
    payload: dict[str, Any]
    attempts: int


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    """A delivery as `grid-router outbox list` shows it."""

    id: int
    bridge: str
    event_id: str | None
    key: str
    status: str
    attempts: int
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None


def _key(headers: list[list[str]]) -> str:
    return dict(decode_headers(headers)).get(IDEMPOTENCY_HEADER, b"").decode()


def delivery_value(path: str, payload: dict[str, Any]) -> bytes:
    """What a delivery row stores: where to call and what to send."""
    return json.dumps({"path": path, "payload": payload}, ensure_ascii=False).encode()


class SqlDeliveries:
    """The deliveries of the outbox, for the bridge senders and the `outbox` commands."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._leaders: dict[str, AdvisoryLeader] = {}

    def leader(self, bridge: str) -> bool:
        """Whether this process may send `bridge`'s deliveries now: one sender per bridge among
        the routers (see `AdvisoryLeader`), so that an incident's deliveries keep their order."""
        if bridge not in self._leaders:
            self._leaders[bridge] = AdvisoryLeader(self._engine, f"bridge:{bridge}")
        return self._leaders[bridge].held()

    def close(self) -> None:
        for leader in self._leaders.values():
            leader.release()

    def due(self, bridge: str, now: datetime, limit: int = 100) -> list[PendingDelivery]:
        """The deliveries of `bridge` to try now, oldest first: for each incident only its
        oldest unsent delivery, and only if it is pending and its backoff has passed."""
        o = outbox.c
        rows = (
            self._read(
                select(o.id, o.event_id, o.value, o.headers, o.attempts, o.status,
                       o.next_attempt_at)
                .where(o.kind == BRIDGE, o.destination == bridge)
                .order_by(o.id)
                .limit(limit * 10)
            )
        )  # fmt: skip
        seen: set[str | None] = set()
        found: list[PendingDelivery] = []
        for r in rows:
            if r.event_id in seen:
                continue  # behind an older delivery of the same incident
            seen.add(r.event_id)
            if r.status != PENDING or (r.next_attempt_at is not None and r.next_attempt_at > now):
                continue
            body = json.loads(r.value)
            key = _key(r.headers) or f"{bridge}:{r.event_id}:{r.id}"
            found.append(
                PendingDelivery(
                    r.id,
                    bridge,
                    r.event_id or "",
                    str(key),
                    body["path"],
                    body["payload"],
                    r.attempts,
                )
            )
            if len(found) >= limit:
                break
        return found

    def next_attempt(self, bridge: str) -> datetime | None:
        """When the soonest waiting delivery of `bridge` may be tried (None: none waits)."""
        o = outbox.c
        value = self._read(
            select(func.min(o.next_attempt_at)).where(
                o.kind == BRIDGE, o.destination == bridge, o.status == PENDING
            )
        )[0][0]
        return as_utc(value)

    def delivered(self, delivery_id: int) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(outbox).where(outbox.c.id == delivery_id))

    def failed(self, delivery_id: int, error: str, retry_at: datetime | None) -> None:
        """Count a failed attempt: wait until `retry_at`, or park the delivery when None."""
        values: dict[str, Any] = {
            "attempts": outbox.c.attempts + 1,
            "last_error": error[:2000],
            "next_attempt_at": retry_at,
        }
        if retry_at is None:
            values["status"] = PARKED
        with self._engine.begin() as conn:
            conn.execute(update(outbox).where(outbox.c.id == delivery_id).values(**values))

    def rows(self, bridge: str | None = None, status: str | None = None) -> list[DeliveryRow]:
        o = outbox.c
        stmt = select(outbox).where(o.kind == BRIDGE).order_by(o.id)
        if bridge:
            stmt = stmt.where(o.destination == bridge)
        if status:
            stmt = stmt.where(o.status == status)
        return [
            DeliveryRow(
                r.id,
                r.destination,
                r.event_id,
                _key(r.headers),
                r.status,
                r.attempts,
                r.last_error,
                r.created_at,
                r.next_attempt_at,
            )
            for r in self._read(stmt)
        ]

    def retry(self, ids: Sequence[int] = (), bridge: str | None = None) -> int:
        """Put parked deliveries (these ids, or all of `bridge`, or all) back in line now."""
        o = outbox.c
        stmt = (
            update(outbox)
            .where(o.kind == BRIDGE, o.status == PARKED)
            .values(status=PENDING, attempts=0, next_attempt_at=None)
        )
        if ids:
            stmt = stmt.where(o.id.in_(bindparam("ids", expanding=True)))
        if bridge:
            stmt = stmt.where(o.destination == bridge)
        with self._engine.begin() as conn:
            return conn.execute(stmt, {"ids": list(ids)} if ids else {}).rowcount

    def counts(self) -> dict[tuple[str, str], int]:
        """Deliveries per (bridge, status)."""
        o = outbox.c
        rows = self._read(
            select(o.destination, o.status, func.count())
            .where(o.kind == BRIDGE)
            .group_by(o.destination, o.status)
        )
        return {(r[0], r[1]): int(r[2]) for r in rows}

    def _read(self, stmt: Any) -> list[Any]:
        with self._engine.connect() as conn:
            return list(conn.execute(stmt).all())
