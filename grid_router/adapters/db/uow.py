"""The unit of work on SQLAlchemy: one transaction holding inbox, incidents, history and outbox.

Everything the router decides for a batch is written here and committed once; the Kafka offsets
are committed only after that (see `service/router_worker.py`).
"""

from __future__ import annotations

import base64
import functools
import itertools
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
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
    or_,
    select,
    update,
)
from sqlalchemy.engine import Dialect, RootTransaction

from grid_router.adapters.db.engine import WRITE_TRANSACTION
from grid_router.adapters.db.leader import AdvisoryLeader
from grid_router.adapters.db.tables import (
    inbox,
    incident_photos,
    incident_transitions,
    incidents,
    outbox,
    sla_timers,
    work_orders,
)
from grid_router.domain.clocks import Card, PausedClock, SlaTerms, Timer
from grid_router.domain.disposition import WITHDRAWN, Change, Incident
from grid_router.domain.filing import (
    BURST_SOURCE,
    Assignee,
    Filed,
    OpenIncident,
    Regrade,
    Transition,
)
from grid_router.domain.model import GeoPoint, Level, Severity, State, WorkOrder
from grid_router.domain.org import NearbyReport
from grid_router.domain.sla import ClockKind, SlaStage
from grid_router.domain.workflow import Step
from grid_router.service.ports import (
    InboxEntry,
    OutboxMessage,
    PendingMessage,
    PhotoRef,
)


class _BulkInsert:
    """Multi-row INSERT statements straight to the driver.

    The router writes seven rows per report. Row-at-a-time `executemany` costs a trip through
    the driver per row, and on SQLite each trip releases and re-takes the GIL, which stalls
    behind the thread decoding the next batch. One `INSERT … VALUES (…), (…), …` per chunk of
    rows makes it a handful of trips per batch. Only the bind processors the dialect needs
    (e.g. SQLite's datetime-to-text) are applied.

    On PostgreSQL the rows go as one array per column instead (`INSERT … SELECT * FROM
    unnest(%b::type[], …)`, the arrays sent in binary): psycopg parses a statement's text for
    its placeholders on every execution unless the text is short enough for its cache, and
    parsing a VALUES list of thousands of placeholders cost more than the insert itself
    (`bench/profile_router.py --database-url`, docs/benchmarks.md). The unnest statement is
    short and parsed once.
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
        self._arrays: str | None = None
        if dialect.name == "postgresql":
            # The base type without its length: an explicit cast to varchar(n) would cut a value
            # short where the insert's own assignment refuses it.
            types = [table.c[c].type.dialect_impl(dialect).compile(dialect) for c in columns]
            casts = ", ".join(f"%b::{re.sub(r'[(].*[)]', '', t)}[]" for t in types)
            self._arrays = (
                f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                f"SELECT * FROM unnest({casts})"
            )
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

    def run(
        self, conn: Connection, rows: Sequence[tuple[Any, ...]], returning: str = ""
    ) -> list[Any]:
        """Insert `rows`; with `returning` (a column), the values of that column inserted, in
        no promised order (SQLite and PostgreSQL both leave it unspecified)."""
        if not rows:
            return []
        if self.processors:
            rows = self._processed(rows)
        tail = f" RETURNING {returning}" if returning else ""
        if self._arrays is not None:
            result = conn.exec_driver_sql(
                self._arrays + tail, tuple(list(column) for column in zip(*rows, strict=True))
            )
            return list(result.scalars()) if returning else []
        out: list[Any] = []
        for start in range(0, len(rows), self._chunk):
            chunk = rows[start : start + self._chunk]
            params = tuple(itertools.chain.from_iterable(chunk))
            result = conn.exec_driver_sql(self._statement(len(chunk)) + tail, params)
            if returning:
                out.extend(result.scalars())
        return out

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
        self._insert(sla_timers, TIMER_COLUMNS, [_timer_row(t) for f in filings for t in f.timers])

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
        dlat, dlon = _box(point, meters)
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

    def located_near(self, point: GeoPoint, meters: float) -> list[NearbyReport]:
        """Earlier reports within `meters` of `point` that their grid code, community code or
        address placed in a community or street (never one placed by its own point, so that
        one guess cannot lead to the next), nearest first."""
        i = incidents.c
        dlat, dlon = _box(point, meters)
        stmt = select(i.event_id, i.lat, i.lon, i.community_code, i.street_code).where(
            i.lat.between(point.lat - dlat, point.lat + dlat),
            i.lon.between(point.lon - dlon, point.lon + dlon),
            i.locate_method.in_(EXACT_METHODS),
            or_(i.community_code.is_not(None), i.street_code.is_not(None)),
        )
        found: list[NearbyReport] = []
        for row in self.conn.execute(stmt):
            d = point.distance_m(GeoPoint(row.lat, row.lon))
            if d <= meters:
                found.append(NearbyReport(row.event_id, row.community_code or row.street_code, d))
        return sorted(found, key=lambda n: n.distance_m)

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

    def live_bursts(self, refs: Iterable[str], since: datetime) -> dict[str, str]:
        """Per burst reference among `refs`, the newest open burst incident a report joined
        since `since`."""
        wanted = sorted(set(refs))
        if not wanted:
            return {}
        i = incidents.c
        stmt = (
            select(i.external_ref, i.event_id)
            .where(
                i.source == BURST_SOURCE,
                i.external_ref.in_(bindparam("refs", expanding=True)),
                i.state.not_in(CLOSED_STATES),
                i.updated_at >= bindparam("since", type_=i.updated_at.type),
            )
            .order_by(i.filed_at.desc())
        )
        found: dict[str, str] = {}
        for ref, event_id in self.conn.execute(stmt, {"refs": wanted, "since": since}):
            found.setdefault(ref, event_id)
        return found

    def unlinked(self, subcategories: Iterable[str], since: datetime) -> dict[str, list[str]]:
        """Per district, the incidents of these subcategories since `since` that no burst
        links, oldest first."""
        i = incidents.c
        stmt = (
            select(i.district_code, i.event_id)
            .where(
                i.district_code.is_not(None),
                i.subcategory_code.in_(bindparam("subs", expanding=True)),
                i.burst_id.is_(None),
                i.merged_into.is_(None),
                i.source != BURST_SOURCE,
                i.filed_at >= bindparam("since", type_=i.filed_at.type),
            )
            .order_by(i.filed_at, i.event_id)
        )
        found: dict[str, list[str]] = {}
        rows = self.conn.execute(stmt, {"subs": sorted(subcategories), "since": since})
        for district, event_id in rows:
            found.setdefault(district, []).append(event_id)
        return found

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
                sla_terms=bindparam("terms"),
                updated_at=at,
            )
        )
        self.conn.execute(
            stmt,
            [
                {"eid": r.event_id, "v": r.version, "st": r.state_change.state,
                 "sev": r.severity, "lvl": r.assignee.level, "unit": r.assignee.unit_code,
                 "uname": r.assignee.unit_name, "dept": r.assignee.department,
                 "terms": r.sla.to_json() if r.sla else None}
                for r in regrades
            ],
        )  # fmt: skip
        self.replace_timers([r.event_id for r in regrades], [t for r in regrades for t in r.timers])
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

    # --- dispositions and SLA timers -------------------------------------------------------
    #
    # An incident's timers are only ever touched by a transaction that holds the incident's row
    # lock (`incidents_for_update`). On PostgreSQL that is what makes concurrent routers and
    # schedulers safe: the lock is taken on the incident first, then its timers, in every path,
    # so two transactions cannot deadlock over them or fire one timer twice. On SQLite every
    # write transaction holds the database lock (BEGIN IMMEDIATE), which is stronger still.

    def incidents_for_update(
        self, event_ids: Iterable[str], fallback: SlaTerms, *, skip_locked: bool = False
    ) -> dict[str, Incident]:
        """The incidents `event_ids` that exist, locked for this transaction. With
        `skip_locked`, incidents another transaction holds are left out instead of waited for.
        `fallback` stands in for SLA terms an incident does not have (filed before SLA terms
        were kept, or merged)."""
        ids = sorted(set(event_ids))
        if not ids:
            return {}
        stmt = (
            select(incidents)
            .where(incidents.c.event_id.in_(bindparam("ids", expanding=True)))
            .order_by(incidents.c.event_id)
        )
        if self.conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=skip_locked)
        rows = self.conn.execute(stmt, {"ids": ids})
        return {row.event_id: incident_from_row(row, fallback) for row in rows}

    def timers_of(self, event_ids: Iterable[str]) -> dict[str, tuple[Timer, ...]]:
        """The pending timers of `event_ids`, in due order (call with the incidents locked)."""
        ids = sorted(set(event_ids))
        found: dict[str, list[Timer]] = {i: [] for i in ids}
        if not ids:
            return {}
        stmt = (
            select(sla_timers)
            .where(sla_timers.c.event_id.in_(bindparam("ids", expanding=True)))
            .order_by(sla_timers.c.due_at, sla_timers.c.id)
        )
        for row in self.conn.execute(stmt, {"ids": ids}):
            found[row.event_id].append(timer_from_row(row))
        return {k: tuple(v) for k, v in found.items()}

    def due_event_ids(self, now: datetime, limit: int) -> list[str]:
        """The incidents with a timer due at `now`, soonest first, at most `limit` timers' worth.
        Read without locks: the caller locks the incidents and reads their timers again."""
        stmt = (
            select(sla_timers.c.event_id)
            .where(sla_timers.c.due_at <= now)
            .order_by(sla_timers.c.due_at)
            .limit(limit)
        )
        return list(dict.fromkeys(self.conn.execute(stmt).scalars()))

    def next_due(self) -> datetime | None:
        """When the soonest pending timer falls due (None without timers)."""
        value = self.conn.execute(select(func.min(sla_timers.c.due_at))).scalar()
        return as_utc(value)

    def replace_timers(self, event_ids: Sequence[str], timers: Sequence[Timer]) -> None:
        """Make `timers` the pending timers of `event_ids` (the incidents locked)."""
        if not event_ids:
            return
        self.conn.execute(
            delete(sla_timers).where(sla_timers.c.event_id.in_(bindparam("ids", expanding=True))),
            {"ids": list(event_ids)},
        )
        self._insert(sla_timers, TIMER_COLUMNS, [_timer_row(t) for t in timers])

    def save_changes(self, changes: Sequence[Change], at: datetime) -> None:
        """Record what actions and timers changed: the incidents (one change each: the last
        change of an incident in a batch is the one its row takes), their history, their work
        orders and their timers."""
        if not changes:
            return
        last = {c.incident.event_id: c for c in changes}
        stmt = (
            update(incidents)
            .where(incidents.c.event_id == bindparam("eid"))
            .values(
                version=bindparam("v"), state=bindparam("st"), level=bindparam("lvl"),
                unit_code=bindparam("unit"), unit_name=bindparam("uname"),
                department=bindparam("dept"), suspended_from=bindparam("susp"),
                clock_paused=bindparam("paused"), extensions=bindparam("ext"),
                closed_at=bindparam("closed"), category_code=bindparam("cat"),
                category_name=bindparam("catname"), subcategory_code=bindparam("sub"),
                severity=bindparam("sev"), needs_triage=bindparam("triage"), updated_at=at,
            )
        )  # fmt: skip
        self.conn.execute(
            stmt,
            [
                {"eid": i.event_id, "v": i.version, "st": i.state, "lvl": i.level,
                 "unit": i.unit_code, "uname": i.unit_name, "dept": i.department,
                 "susp": i.suspended_from, "ext": i.extensions, "closed": i.closed_at,
                 "paused": [p.to_json() for p in i.paused] or None,
                 "cat": i.category_code, "catname": i.category_name, "sub": i.subcategory_code,
                 "sev": i.severity, "triage": i.needs_triage}
                for i in (c.incident for c in last.values())
            ],
        )  # fmt: skip
        retire = [
            {"eid": c.incident.event_id, "v": c.incident.version}
            for c in changes
            if c.holder_changed or any(wo.kind != WITHDRAWN for wo in c.work_orders)
        ]
        if retire:
            self.conn.execute(
                update(work_orders)
                .where(
                    work_orders.c.event_id == bindparam("eid"),
                    work_orders.c.version < bindparam("v"),
                    work_orders.c.active,
                )
                .values(active=False),
                retire,
            )
        self._insert(
            incident_transitions,
            TRANSITION_COLUMNS,
            [_step_row(c.incident.event_id, s) for c in changes for s in c.steps],
        )
        self._insert(
            work_orders,
            WORK_ORDER_COLUMNS,
            [_work_order_row(wo) for c in changes for wo in c.work_orders],
        )
        self.replace_timers(list(last), [t for c in last.values() for t in c.timers])

    def add_photos(self, photos: Sequence[PhotoRef], at: datetime) -> None:
        self._insert(
            incident_photos,
            PHOTO_COLUMNS,
            [
                (p.event_id, p.action_id, p.action, p.position, p.url, _sha256(p.sha256), at)
                for p in photos
            ],
        )

    # --- outbox --------------------------------------------------------------------------

    def add_outbox(self, messages: Sequence[OutboxMessage], at: datetime) -> list[int]:
        """Write `messages` to the outbox; returns the ids of the Kafka ones (the rows the
        committing process may publish at once and forget once acknowledged)."""
        kafka = [m for m in messages if m.kind == "kafka"]
        others = [m for m in messages if m.kind != "kafka"]
        self._insert(outbox, OUTBOX_COLUMNS, [_outbox_row(m, at) for m in others])
        rows = [_outbox_row(m, at) for m in kafka]
        ids = _bulk(outbox, OUTBOX_COLUMNS, self.conn.dialect).run(self.conn, rows, "id")
        return [int(i) for i in ids]

    def forget_outbox(self, ids: Sequence[int]) -> None:
        """Delete outbox rows Kafka has acknowledged (in this transaction)."""
        _forget(self.conn, ids)

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
    "created_at", "sign_by", "handle_by",
)  # fmt: skip
TIMER_COLUMNS = (
    "event_id", "stage", "card", "due_at", "level", "unit_code", "started_at", "limit_ms",
    "clock", "repeat",
)  # fmt: skip
PHOTO_COLUMNS = ("event_id", "action_id", "action", "position", "url", "sha256", "at")
OUTBOX_COLUMNS = ("destination", "kind", "event_id", "key", "value", "headers", "created_at")
INCIDENT_COLUMNS = (
    "event_id", "version", "state", "category_code", "category_name", "subcategory_code",
    "severity", "level", "unit_code", "unit_name", "department", "grid_code", "community_code",
    "street_code", "district_code", "locate_method", "locate_detail", "source", "external_ref",
    "title", "description", "address", "lat", "lon", "reporter_id", "reporter_role",
    "reporter_name", "reporter_phone", "report_count", "reported_at", "filed_at", "updated_at",
    "app_category_code", "severity_hint", "merged_into", "sla_terms", "needs_triage",
)  # fmt: skip


EXACT_METHODS = ("grid_code", "community_code", "address")
"""How a report was located when its place, not a guess from its point, is known."""


def _sha256(value: str | None) -> str | None:
    """A photo's SHA-256 as stored: lower-case hex, or None when what was sent is not one."""
    if value is None:
        return None
    value = value.lower()
    return value if len(value) == 64 and all(c in "0123456789abcdef" for c in value) else None


def _outbox_row(m: OutboxMessage, at: datetime) -> tuple[Any, ...]:
    return (m.topic, m.kind, m.event_id, m.key, m.value, json.dumps(encode_headers(m.headers)), at)


def _forget(conn: Connection, ids: Sequence[int]) -> None:
    stmt = delete(outbox).where(outbox.c.id.in_(bindparam("ids", expanding=True)))
    for start in range(0, len(ids), 10_000):  # below every driver's parameter limit
        conn.execute(stmt, {"ids": list(ids[start : start + 10_000])})


def _box(point: GeoPoint, meters: float) -> tuple[float, float]:
    """Half the sides, in degrees of latitude and longitude, of a box `meters` around `point`
    (a coarse SQL filter; the exact distance is checked after)."""
    dlat = meters / 111_320
    return dlat, meters / (111_320 * max(math.cos(math.radians(point.lat)), 0.01))


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
        json.dumps(f.sla.to_json()) if f.sla else None, f.decided.awaits_category_check,
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


def _step_row(event_id: str, s: Step) -> tuple[Any, ...]:
    return (
        event_id, s.version, s.from_state, s.to_state, s.action, s.actor.label, s.from_level,
        s.from_unit, s.to_level, s.to_unit, s.reason, s.at,
    )  # fmt: skip


def _work_order_row(wo: WorkOrder) -> tuple[Any, ...]:
    # The full reason travels on Kafka; the row keeps its head for the queue views.
    return (
        wo.work_order_id, wo.event_id, wo.version, wo.level, wo.unit_code, wo.kind,
        wo.reason[:64], wo.kind != WITHDRAWN, wo.created_at, wo.deadlines.sign_by,
        wo.deadlines.handle_by,
    )  # fmt: skip


def _timer_row(t: Timer) -> tuple[Any, ...]:
    return (
        t.event_id, t.stage, t.card, t.due_at, t.level, t.unit_code, t.started_at,
        round(t.limit.total_seconds() * 1000), t.clock, t.repeat,
    )  # fmt: skip


def timer_from_row(row: Any) -> Timer:
    return Timer(
        event_id=row.event_id,
        stage=SlaStage(row.stage),
        card=Card(row.card),
        due_at=row.due_at,
        level=Level(row.level),
        unit_code=row.unit_code,
        started_at=row.started_at,
        limit=timedelta(milliseconds=row.limit_ms),
        clock=ClockKind(row.clock),
        repeat=row.repeat,
    )


def incident_from_row(row: Any, fallback: SlaTerms) -> Incident:
    return Incident(
        event_id=row.event_id,
        version=row.version,
        state=State(row.state),
        level=Level(row.level),
        unit_code=row.unit_code,
        unit_name=row.unit_name,
        department=row.department,
        category_code=row.category_code,
        category_name=row.category_name,
        subcategory_code=row.subcategory_code,
        severity=Severity(row.severity),
        description=row.description,
        title=row.title,
        address=row.address,
        grid_code=row.grid_code,
        community_code=row.community_code,
        street_code=row.street_code,
        district_code=row.district_code,
        source=row.source,
        external_ref=row.external_ref,
        report_count=row.report_count,
        sla=SlaTerms.from_json(row.sla_terms) if row.sla_terms else fallback,
        suspended_from=State(row.suspended_from) if row.suspended_from else None,
        extensions=row.extensions,
        paused=tuple(PausedClock.from_json(p) for p in row.clock_paused or ()),
        closed_at=row.closed_at,
        filed_at=row.filed_at,
        needs_triage=bool(row.needs_triage),
    )


def as_utc(value: Any) -> datetime | None:
    """A timestamp from an aggregate (SQLAlchemy does not apply column types to func.min)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# States in which an incident is no longer open for repeats to merge into.
CLOSED_STATES = (State.CLOSED.value, State.VOIDED.value, State.MERGED.value)


class SqlOutbox:
    """The relay's access to the outbox: short transactions, never held across a Kafka send."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._leader = AdvisoryLeader(engine, "relay")

    def leader(self) -> bool:
        """Whether this relay may send now: one relay among the routers sharing a PostgreSQL
        outbox (see `AdvisoryLeader`)."""
        return self._leader.held()

    def close(self) -> None:
        self._leader.release()

    def last_id(self) -> int:
        """The newest outbox row's id (0 when empty): a watermark for `pending`."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.max(outbox.c.id))).scalar() or 0)

    def pending(self, limit: int, up_to: int | None = None) -> list[PendingMessage]:
        """The oldest unsent Kafka rows, those with an id ≤ `up_to` if given."""
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
        if up_to is not None:
            stmt = stmt.where(outbox.c.id <= up_to)
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
        with self._engine.begin() as conn:
            _forget(conn, ids)

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
        """Kafka messages not yet acknowledged (bridge deliveries are counted per bridge)."""
        stmt = select(func.count()).select_from(outbox).where(outbox.c.kind == "kafka")
        with self._engine.connect() as conn:
            return int(conn.execute(stmt).scalar_one())
