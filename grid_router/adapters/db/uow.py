"""The unit of work on SQLAlchemy: one transaction holding inbox, incidents, history and outbox.

Everything the router decides for a batch is written here and committed once; the Kafka offsets
are committed only after that (see `service/router_worker.py`).
"""

from __future__ import annotations

import base64
import contextlib
import functools
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import Any, Self

from sqlalchemy import (
    JSON,
    Connection,
    Engine,
    Table,
    bindparam,
    delete,
    func,
    select,
    text,
    update,
)
from sqlalchemy.engine import Dialect, RootTransaction

from grid_router.adapters.db.engine import WRITE_TRANSACTION
from grid_router.adapters.db.tables import (
    inbox,
    incident_transitions,
    incidents,
    outbox,
    work_orders,
)
from grid_router.domain.filing import (
    BURST_SOURCE,
    Assignee,
    Filed,
    OpenIncident,
    Regrade,
    Transition,
)
from grid_router.domain.model import GeoPoint, Level, Severity, State, WorkOrder
from grid_router.service.ports import (
    InboxEntry,
    OutboxMessage,
    PendingMessage,
)


class _BulkInsert:
    """Multi-row INSERT statements straight to the driver.

    The router writes seven rows per report. Row-at-a-time `executemany` costs a trip through
    the driver per row, and on SQLite each trip releases and re-takes the GIL, which stalls
    behind the thread decoding the next batch. One `INSERT … VALUES (…), (…), …` per chunk of
    rows makes it a handful of trips per batch. Only the bind processors the dialect needs
    (e.g. SQLite's datetime-to-text) are applied.
    """

    # Bound parameters per statement: SQLite's default limit is 32,766, PostgreSQL's 65,535.
    MAX_PARAMETERS = 32_000

    def __init__(self, table: Table, columns: Sequence[str], dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        self._mark = "?" if dialect.paramstyle == "qmark" else "%s"
        self._head = (
            f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) VALUES "
        )
        self._row = f"({', '.join(self._mark for _ in columns)})"
        self._chunk = max(1, self.MAX_PARAMETERS // len(columns))
        self._statements: dict[int, str] = {}
        # JSON columns take text the caller serialised: drivers disagree on what else they take.
        procs = [
            None
            if isinstance(table.c[c].type, JSON)
            else table.c[c].type.dialect_impl(dialect).bind_processor(dialect)
            for c in columns
        ]
        self.processors = [(i, p) for i, p in enumerate(procs) if p is not None]

    def _statement(self, rows: int) -> str:
        if rows not in self._statements:
            self._statements[rows] = self._head + ", ".join([self._row] * rows)
        return self._statements[rows]

    def run(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self.processors:
            rows = self._processed(rows)
        for start in range(0, len(rows), self._chunk):
            chunk = rows[start : start + self._chunk]
            params = tuple(itertools.chain.from_iterable(chunk))
            conn.exec_driver_sql(self._statement(len(chunk)), params)

    def _processed(self, rows: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        # Most values a processor sees in one batch repeat (every row's timestamps are the
        # batch's `now`): convert each distinct one once.
        done: dict[tuple[int, Any], Any] = {}
        fixed = []
        for row in rows:
            values = list(row)
            for i, proc in self.processors:
                value = values[i]
                if value is not None:
                    key = (i, value)
                    if key not in done:
                        done[key] = proc(value)
                    values[i] = done[key]
            fixed.append(tuple(values))
        return fixed


@functools.cache
def _bulk(table: Table, columns: tuple[str, ...], dialect: Dialect) -> _BulkInsert:
    return _BulkInsert(table, columns, dialect)


def encode_headers(headers: Iterable[tuple[str, bytes]]) -> list[list[str]]:
    # Header values are arbitrary bytes (a dead letter keeps the original's); JSON needs text.
    return [[k, base64.b64encode(v).decode("ascii")] for k, v in headers]


def decode_headers(raw: list[list[str]]) -> tuple[tuple[str, bytes], ...]:
    return tuple((k, base64.b64decode(v)) for k, v in raw)


class SqlUnitOfWork:
    """A transaction on `engine`; rolled back on exit unless `commit()` was called."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._tx: RootTransaction | None = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its `with` block")
        return self._conn

    def __enter__(self) -> Self:
        self._conn = self._engine.connect().execution_options(**{WRITE_TRANSACTION: True})
        self._tx = self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._tx is not None and self._tx.is_active:
                self._tx.rollback()
        finally:
            self.conn.close()
            self._conn = None
            self._tx = None

    def commit(self) -> None:
        assert self._tx is not None
        self._tx.commit()

    def savepoint(self) -> Any:
        return self.conn.begin_nested()

    # --- inbox -------------------------------------------------------------------------

    def seen(self, message_ids: Iterable[str]) -> set[str]:
        ids = list(message_ids)
        if not ids:
            return set()
        stmt = select(inbox.c.message_id).where(
            inbox.c.message_id.in_(bindparam("ids", expanding=True))
        )
        return set(self.conn.execute(stmt, {"ids": ids}).scalars())

    def record_inbox(self, entries: Sequence[InboxEntry], at: datetime) -> None:
        self._insert(
            inbox,
            INBOX_COLUMNS,
            [(e.message_id, e.topic, e.partition, e.offset, e.outcome, at) for e in entries],
        )

    # --- incidents -----------------------------------------------------------------------

    def add_filings(self, filings: Sequence[Filed], at: datetime) -> None:
        self._insert(incidents, INCIDENT_COLUMNS, [_incident_row(f, at) for f in filings])
        self._insert(
            incident_transitions,
            TRANSITION_COLUMNS,
            [_transition_row(f.report.event_id, t, at) for f in filings for t in f.transitions],
        )
        self._insert(
            work_orders,
            WORK_ORDER_COLUMNS,
            [_work_order_row(wo) for f in filings for wo in f.work_orders],
        )

    def open_incidents(
        self, keys: Iterable[tuple[str, str]], since: datetime
    ) -> dict[tuple[str, str], OpenIncident]:
        """The oldest open incident per (grid code, category) filed since `since`."""
        wanted = set(keys)
        if not wanted:
            return {}
        i = incidents.c
        stmt = (
            select(i.event_id, i.grid_code, i.category_code, i.severity, i.level, i.unit_code,
                   i.unit_name, i.department, i.version, i.state)
            .where(
                i.grid_code.in_(bindparam("grids", expanding=True)),
                i.state.not_in(CLOSED_STATES),
                i.merged_into.is_(None),
                i.filed_at >= bindparam("since", type_=incidents.c.filed_at.type),
            )
            .order_by(i.filed_at)
        )  # fmt: skip
        found: dict[tuple[str, str], OpenIncident] = {}
        rows = self.conn.execute(stmt, {"grids": sorted({g for g, _ in wanted}), "since": since})
        for row in rows:
            key = (row.grid_code, row.category_code)
            if key in wanted and key not in found:
                found[key] = _open_incident(row)
        return found

    def open_incident_near(
        self, category: str, point: GeoPoint, meters: float, since: datetime
    ) -> OpenIncident | None:
        """The nearest open incident of `category` within `meters` of `point`, filed since
        `since` (a bounding box in SQL, the exact distance here)."""
        i = incidents.c
        dlat = meters / 111_320
        dlon = meters / (111_320 * max(math.cos(math.radians(point.lat)), 0.01))
        stmt = select(
            i.event_id, i.lat, i.lon, i.severity, i.level, i.unit_code, i.unit_name,
            i.department, i.version, i.state,
        ).where(
            i.category_code == category,
            i.lat.between(point.lat - dlat, point.lat + dlat),
            i.lon.between(point.lon - dlon, point.lon + dlon),
            i.state.not_in(CLOSED_STATES),
            i.merged_into.is_(None),
            i.filed_at >= bindparam("since", type_=i.filed_at.type),
        )  # fmt: skip
        best: tuple[float, OpenIncident] | None = None
        for row in self.conn.execute(stmt, {"since": since}):
            d = point.distance_m(GeoPoint(row.lat, row.lon))
            if d <= meters and (best is None or d < best[0]):
                best = (d, _open_incident(row))
        return best[1] if best else None

    def count_repeats(self, repeats: Mapping[str, int], at: datetime) -> None:
        """Add merged reports to the report count of the incidents they repeated."""
        if not repeats:
            return
        stmt = (
            update(incidents)
            .where(incidents.c.event_id == bindparam("eid"))
            .values(report_count=incidents.c.report_count + bindparam("n"), updated_at=at)
        )
        self.conn.execute(stmt, [{"eid": e, "n": n} for e, n in repeats.items()])

    def live_burst(self, ref: str, since: datetime) -> str | None:
        """The open burst incident named `ref` that a report joined since `since`, if any."""
        i = incidents.c
        stmt = (
            select(i.event_id)
            .where(
                i.source == BURST_SOURCE,
                i.external_ref == ref,
                i.state.not_in(CLOSED_STATES),
                i.updated_at >= bindparam("since", type_=i.updated_at.type),
            )
            .order_by(i.filed_at.desc())
            .limit(1)
        )
        return self.conn.execute(stmt, {"since": since}).scalar_one_or_none()

    def unlinked(
        self, district_code: str, subcategories: Iterable[str], since: datetime
    ) -> list[str]:
        """Incidents of these subcategories in the district since `since` that no burst links."""
        i = incidents.c
        stmt = select(i.event_id).where(
            i.district_code == district_code,
            i.subcategory_code.in_(bindparam("subs", expanding=True)),
            i.burst_id.is_(None),
            i.merged_into.is_(None),
            i.source != BURST_SOURCE,
            i.filed_at >= bindparam("since", type_=i.filed_at.type),
        )
        return list(
            self.conn.execute(stmt, {"subs": sorted(subcategories), "since": since}).scalars()
        )

    def link_bursts(self, links: Mapping[str, Sequence[str]], at: datetime) -> None:
        """Link member incidents to their burst; the burst's report count is its members."""
        for burst_id, members in links.items():
            self.conn.execute(
                update(incidents)
                .where(incidents.c.event_id.in_(bindparam("ids", expanding=True)))
                .values(burst_id=burst_id),
                {"ids": list(members)},
            )
            linked = (
                select(func.count())
                .select_from(incidents)
                .where(incidents.c.burst_id == burst_id)
                .scalar_subquery()
            )
            self.conn.execute(
                update(incidents)
                .where(incidents.c.event_id == burst_id)
                .values(report_count=linked, updated_at=at)
            )

    def apply_regrades(self, regrades: Sequence[Regrade], at: datetime) -> None:
        """Move open incidents up after a graver repeat: new holder, grade and version, the
        history, and the new work orders; the orders of the level left behind go inactive."""
        if not regrades:
            return
        stmt = (
            update(incidents)
            .where(incidents.c.event_id == bindparam("eid"))
            .values(
                version=bindparam("v"),
                state=bindparam("st"),
                severity=bindparam("sev"),
                level=bindparam("lvl"),
                unit_code=bindparam("unit"),
                unit_name=bindparam("uname"),
                department=bindparam("dept"),
                updated_at=at,
            )
        )
        self.conn.execute(
            stmt,
            [
                {"eid": r.event_id, "v": r.version, "st": r.state_change.state,
                 "sev": r.severity, "lvl": r.assignee.level, "unit": r.assignee.unit_code,
                 "uname": r.assignee.unit_name, "dept": r.assignee.department}
                for r in regrades
            ],
        )  # fmt: skip
        retire = (
            update(work_orders)
            .where(
                work_orders.c.event_id == bindparam("eid"), work_orders.c.version < bindparam("v")
            )
            .values(active=False)
        )
        self.conn.execute(retire, [{"eid": r.event_id, "v": r.version} for r in regrades])
        self._insert(
            incident_transitions,
            TRANSITION_COLUMNS,
            [_transition_row(r.event_id, t, at) for r in regrades for t in r.transitions],
        )
        self._insert(
            work_orders,
            WORK_ORDER_COLUMNS,
            [_work_order_row(wo) for r in regrades for wo in r.work_orders],
        )

    # --- outbox --------------------------------------------------------------------------

    def add_outbox(self, messages: Sequence[OutboxMessage], at: datetime) -> None:
        self._insert(
            outbox,
            OUTBOX_COLUMNS,
            [
                (
                    m.topic,
                    "kafka",
                    m.event_id,
                    m.key,
                    m.value,
                    json.dumps(encode_headers(m.headers)),
                    at,
                )
                for m in messages
            ],
        )

    def _insert(
        self, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
    ) -> None:
        _bulk(table, columns, self.conn.dialect).run(self.conn, rows)


INBOX_COLUMNS = ("message_id", "topic", "partition", "offset", "outcome", "consumed_at")
TRANSITION_COLUMNS = (
    "event_id", "version", "from_state", "to_state", "action", "actor",
    "from_level", "from_unit", "to_level", "to_unit", "reason", "at",
)  # fmt: skip
WORK_ORDER_COLUMNS = (
    "work_order_id", "event_id", "version", "level", "unit_code", "kind", "reason", "active",
    "created_at",
)  # fmt: skip
OUTBOX_COLUMNS = ("destination", "kind", "event_id", "key", "value", "headers", "created_at")
INCIDENT_COLUMNS = (
    "event_id", "version", "state", "category_code", "category_name", "subcategory_code",
    "severity", "level", "unit_code", "unit_name", "department", "grid_code", "community_code",
    "street_code", "district_code", "locate_method", "locate_detail", "source", "external_ref",
    "title", "description", "address", "lat", "lon", "reporter_id", "reporter_role",
    "reporter_name", "reporter_phone", "report_count", "reported_at", "filed_at", "updated_at",
    "app_category_code", "severity_hint", "merged_into",
)  # fmt: skip


def _incident_row(f: Filed, at: datetime) -> tuple[Any, ...]:
    r, c, a, loc = f.report, f.classification, f.assignee, f.location
    community, street, district = (
        loc.unit_at(level) for level in (Level.COMMUNITY, Level.STREET, Level.DISTRICT)
    )
    return (
        r.event_id, f.version, f.state_change.state, c.category_code, c.category_name,
        c.subcategory_code, c.severity, a.level, a.unit_code, a.unit_name, a.department,
        loc.grid_code, community.code if community else None, street.code if street else None,
        district.code if district else None, loc.method,
        loc.detail, r.source, r.external_ref, r.title, r.description, r.address,
        r.location.lat if r.location else None, r.location.lon if r.location else None,
        r.reporter.id, r.reporter.role, r.reporter.name, r.reporter.phone, 1, r.reported_at,
        at, at, r.category_code, r.severity_hint, f.merged_into,
    )  # fmt: skip


def _open_incident(row: Any) -> OpenIncident:
    """An incident row (with the holder's columns) as an incident repeats may merge into."""
    holder = Assignee(Level(row.level), row.unit_code, row.unit_name, row.department)
    return OpenIncident(row.event_id, Severity(row.severity), holder, row.version, State(row.state))


def _transition_row(event_id: str, t: Transition, at: datetime) -> tuple[Any, ...]:
    return (
        event_id, t.version, t.from_state, t.to_state, t.action, t.actor, t.from_level,
        t.from_unit, t.to_level, t.to_unit, t.reason, at,
    )  # fmt: skip


def _work_order_row(wo: WorkOrder) -> tuple[Any, ...]:
    return (
        wo.work_order_id, wo.event_id, wo.version, wo.level, wo.unit_code, wo.kind, wo.reason,
        True, wo.created_at,
    )  # fmt: skip


# States in which an incident is no longer open for repeats to merge into.
CLOSED_STATES = (State.CLOSED.value, State.VOIDED.value, State.MERGED.value)


# Key of the PostgreSQL advisory lock that makes one relay at a time the outbox's sender.
RELAY_LOCK_KEY = 0x67726964  # "grid"


class SqlOutbox:
    """The relay's access to the outbox: short transactions, never held across a Kafka send."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._leader_conn: Connection | None = None

    def leader(self) -> bool:
        """Whether this relay may send now. Several routers share one PostgreSQL outbox; if all
        their relays sent it, every message would go out once per router, and out of order. A
        session advisory lock elects one sender; when its connection dies, the lock passes on.
        SQLite serves one machine, and its one router's relay sends alone."""
        if self._engine.dialect.name != "postgresql":
            return True
        try:
            if self._leader_conn is not None:
                self._leader_conn.exec_driver_sql("SELECT 1")
                return True
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": RELAY_LOCK_KEY}
            ).scalar_one()
            if got:
                self._leader_conn = conn
                return True
            conn.close()
            return False
        except Exception:
            self._drop_leadership()
            raise

    def _drop_leadership(self) -> None:
        conn, self._leader_conn = self._leader_conn, None
        if conn is None:
            return
        # A pooled connection outlives close(), and its session would keep the lock: end the
        # session itself, so the next relay can take over at once.
        with contextlib.suppress(Exception):
            conn.invalidate()
        with contextlib.suppress(Exception):
            conn.close()

    def close(self) -> None:
        self._drop_leadership()

    def pending(self, limit: int) -> list[PendingMessage]:
        stmt = (
            select(
                outbox.c.id,
                outbox.c.destination,
                outbox.c.key,
                outbox.c.value,
                outbox.c.headers,
                outbox.c.event_id,
                outbox.c.attempts,
            )
            .where(outbox.c.kind == "kafka")
            .order_by(outbox.c.id)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(stmt).all()
        return [
            PendingMessage(
                id=row.id,
                message=OutboxMessage(
                    topic=row.destination,
                    key=row.key,
                    value=row.value,
                    headers=decode_headers(row.headers),
                    event_id=row.event_id,
                ),
                attempts=row.attempts,
            )
            for row in rows
        ]

    def mark_sent(self, ids: Sequence[int], at: datetime) -> None:
        """Forget rows Kafka has acknowledged: from now on the topic is their record."""
        if not ids:
            return
        stmt = delete(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True)))
        with self._engine.begin() as conn:
            conn.execute(stmt, {"ids": list(ids)})

    def mark_failed(self, failures: dict[int, str]) -> None:
        if not failures:
            return
        stmt = (
            update(outbox)
            .where(outbox.c.id == bindparam("oid"))
            .values(attempts=outbox.c.attempts + 1, last_error=bindparam("err"))
        )
        with self._engine.begin() as conn:
            conn.execute(stmt, [{"oid": i, "err": e[:2000]} for i, e in failures.items()])

    def count_pending(self) -> int:
        stmt = select(func.count()).select_from(outbox)
        with self._engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())
