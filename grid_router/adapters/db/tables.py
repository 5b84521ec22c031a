"""The database schema (SQLAlchemy Core). The database is the source of truth for incident state.

Migrations under `migrations/versions/` must produce exactly this schema; a test compares them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """A point in time, always handed back as an aware UTC datetime.

    PostgreSQL stores `timestamptz`. SQLite has no time type: SQLAlchemy stores text, and this
    type normalises to UTC first so that text comparisons in SQL order correctly.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: grid_router stores aware UTC times")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


TS = UtcDateTime()

incidents = Table(
    "incidents",
    metadata,
    Column("event_id", String(64), primary_key=True, comment="UUID chosen by the submitter"),
    Column("version", Integer, nullable=False, comment="grows by one per transition"),
    Column("state", String(16), nullable=False),
    Column("category_code", String(32), nullable=False),
    Column("category_name", String(64), nullable=False),
    Column("subcategory_code", String(64)),
    Column("severity", String(4), nullable=False),
    Column("level", String(16), nullable=False, comment="level currently responsible"),
    Column("unit_code", String(12), nullable=False, comment="unit currently responsible"),
    Column("unit_name", String(128), nullable=False),
    Column("department", String(128)),
    Column("grid_code", String(15)),
    Column("community_code", String(12)),
    Column("street_code", String(9)),
    Column("district_code", String(6)),
    Column("locate_method", String(16), nullable=False),
    Column("locate_detail", Text),
    Column("source", String(16), nullable=False),
    Column("external_ref", String(128)),
    Column("title", Text),
    Column("description", Text, nullable=False),
    Column("address", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("reporter_id", String(64), nullable=False),
    Column("reporter_role", String(32), nullable=False),
    Column("reporter_name", String(128), comment="personal data: masked in views"),
    Column("reporter_phone", String(32), comment="personal data: masked in views"),
    Column("report_count", Integer, nullable=False, server_default=text("1")),
    Column("reported_at", TS, nullable=False),
    Column("filed_at", TS, nullable=False),
    Column("updated_at", TS, nullable=False),
    Column("closed_at", TS),
    Column("app_category_code", String(32), comment="category the reporter picked, as sent"),
    Column("severity_hint", String(4), comment="grade hint, as sent"),
    Column("merged_into", String(64), comment="event id of the open incident this report repeated"),
    Index("ix_incidents_unit_state", "unit_code", "state"),
    Column(
        "burst_id",
        String(64),
        comment="event id of the burst incident (突发聚集) this report belongs to",
    ),
    Column("sla_terms", JSON, comment="the SLA policy in force when filed, kept with the incident"),
    Column("suspended_from", String(16), comment="state RESUME returns to (挂账)"),
    Column("clock_paused", JSON, comment="what was left of each clock when suspended"),
    Column("extensions", Integer, nullable=False, server_default=text("0"), comment="延期 used"),
    Column(
        "needs_triage",
        Boolean,
        nullable=False,
        server_default=text("false"),
        comment="a person must confirm the category (graded II/I and routed while unsure)",
    ),
    Index("ix_incidents_grid_category", "grid_code", "category_code"),
    Index("ix_incidents_district_subcategory", "district_code", "subcategory_code"),
    # Only bridged reports carry an external reference; the rest stay out of this index.
    Index(
        "ix_incidents_external_ref",
        "source",
        "external_ref",
        sqlite_where=text("external_ref IS NOT NULL"),
        postgresql_where=text("external_ref IS NOT NULL"),
    ),
)

incident_transitions = Table(
    "incident_transitions",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column(
        "event_id",
        String(64),
        ForeignKey("incidents.event_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("version", Integer, nullable=False, comment="incident version after this step"),
    Column("from_state", String(16)),
    Column("to_state", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(128), nullable=False, comment="who: system:router, unit:<code>, …"),
    Column("from_level", String(16)),
    Column("from_unit", String(12)),
    Column("to_level", String(16)),
    Column("to_unit", String(12)),
    Column("reason", Text),
    Column("at", TS, nullable=False),
    Index("ix_incident_transitions_event_version", "event_id", "version", unique=True),
)

work_orders = Table(
    "work_orders",
    metadata,
    Column("work_order_id", String(80), primary_key=True),
    Column(
        "event_id",
        String(64),
        ForeignKey("incidents.event_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("version", Integer, nullable=False),
    Column("level", String(16), nullable=False),
    Column("unit_code", String(12), nullable=False),
    Column("kind", String(16), nullable=False, comment="ACTION or INFO_COPY"),
    Column("reason", String(64), nullable=False),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("created_at", TS, nullable=False),
    Column("sign_by", TS),
    Column("handle_by", TS),
    Index("ix_work_orders_unit_active", "unit_code", "active"),
    Index("ix_work_orders_event", "event_id"),
    # The supervision board's on-time rates read the orders issued this week.
    Index("ix_work_orders_created_at", "created_at"),
    sqlite_with_rowid=False,
)

inbox = Table(
    "inbox",
    metadata,
    Column(
        "message_id",
        String(128),
        primary_key=True,
        comment="event/action id, or topic/partition/offset for undecodable messages",
    ),
    Column("topic", String(255), nullable=False),
    Column("partition", Integer, nullable=False),
    Column("offset", BigInteger, nullable=False),
    Column("outcome", String(16), nullable=False, comment="APPLIED or DEADLETTER"),
    Column("consumed_at", TS, nullable=False),
    # The row is its key; a separate rowid B-tree would double every insert on SQLite.
    sqlite_with_rowid=False,
)

# Kafka rows are deleted once the broker acknowledged them (Kafka holds them from then on), so
# the table holds only what is pending and needs no index beyond its key.
outbox = Table(
    "outbox",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("destination", String(255), nullable=False, comment="Kafka topic or bridge name"),
    Column("kind", String(16), nullable=False, comment="'kafka' (bridges add their own kinds)"),
    Column("event_id", String(64)),
    Column("key", LargeBinary),
    Column("value", LargeBinary, nullable=False),
    Column("headers", JSON, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("attempts", Integer, nullable=False, server_default=text("0")),
    Column("last_error", Text),
    Column(
        "status",
        String(16),
        nullable=False,
        server_default=text("'pending'"),
        comment="pending, or parked after too many failed attempts (bridges)",
    ),
    Column("next_attempt_at", TS, comment="a bridge delivery waits until then (backoff)"),
    Index("ix_outbox_destination_id", "destination", "id"),
)

# The SLA clocks (DESIGN.md §6: timers live in the database, not in memory). One row per pending
# warning, breach or reminder; a row is deleted when it fires or its clock stops. The scheduler
# reads only what is due, through the due-time index, so a sweep costs what is due.
sla_timers = Table(
    "sla_timers",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column(
        "event_id",
        String(64),
        ForeignKey("incidents.event_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("stage", String(8), nullable=False, comment="sign, handle or verify"),
    Column("card", String(16), nullable=False, comment="WARNING, BREACH or REMINDER"),
    Column("due_at", TS, nullable=False),
    Column("level", String(16), nullable=False, comment="level of the unit held to the clock"),
    Column("unit_code", String(12), nullable=False),
    Column("started_at", TS, nullable=False, comment="when the clock started"),
    Column("limit_ms", BigInteger, nullable=False, comment="the limit after scale and extensions"),
    Column("clock", String(16), nullable=False, comment="wall_clock or working_time"),
    Column("repeat", Integer, nullable=False, server_default=text("0")),
    Index("ix_sla_timers_due_at", "due_at"),
    Index("ix_sla_timers_event_id", "event_id"),
)

# API tokens (docs/api.md): only the SHA-256 of a token is stored, never the token. The prefix
# names a token in lists, logs and `tokens revoke`, and is how a presented token is looked up.
# A token is revoked, never deleted, so that its name stays known to the history.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String(36), primary_key=True, comment="uuid4"),
    Column("prefix", String(8), nullable=False, comment="8 hex digits: grt_<prefix>_<secret>"),
    Column("token_hash", String(64), nullable=False, unique=True, comment="SHA-256 of the token"),
    Column("name", String(128), nullable=False, comment="who holds the token"),
    Column("role", String(16), nullable=False),
    Column("unit_code", String(12), comment="unit of a dispatcher or verifier"),
    Column("grids", JSON, nullable=False, comment="grid and community codes of a grid worker"),
    Column("rate_per_minute", Integer, nullable=False),
    Column("created_at", TS, nullable=False),
    Column("last_used_at", TS, comment="updated at most once a minute"),
    Column("revoked_at", TS),
    Index("ix_api_tokens_prefix", "prefix", unique=True),
)

# Idempotency-Key of each API request that created something: a retry with the same key gets
# the first answer. Rows older than a day may be purged (SqlTokenStore.purge_idempotency).
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column(
        "token_id",
        String(36),
        ForeignKey("api_tokens.token_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("key", String(255), primary_key=True, comment="the caller's Idempotency-Key"),
    Column("body_sha256", String(64), nullable=False, comment="SHA-256 of the request body"),
    Column("event_id", String(64), nullable=False, comment="what the first request created"),
    Column("created_at", TS, nullable=False),
    Index("ix_idempotency_keys_created_at", "created_at"),
    sqlite_with_rowid=False,
)

# Where a bridge's pull poller has read up to (the 12345 hotline's `GET /tickets?since=`): the
# far side's opaque cursor, stored once every ticket before it is durably in Kafka.
bridge_cursors = Table(
    "bridge_cursors",
    metadata,
    Column("bridge", String(64), primary_key=True, comment="the bridge's name in the policy"),
    Column("cursor", Text, nullable=False, comment="the far side's cursor, as it gave it"),
    Column("updated_at", TS, nullable=False),
)

# The dispatch desk's sign-ins (调度台): a browser session holds an API token's id, never the
# token. Only the SHA-256 of the session cookie is stored; revoking the token ends its sessions.
desk_sessions = Table(
    "desk_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True, comment="SHA-256 of the cookie value"),
    Column(
        "token_id",
        String(36),
        ForeignKey("api_tokens.token_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("csrf", String(64), nullable=False, comment="the CSRF token of this session's forms"),
    Column("created_at", TS, nullable=False),
    Column("expires_at", TS, nullable=False),
    Index("ix_desk_sessions_token_id", "token_id"),
)

# Reminders (催办) a supervisor sent to a unit about one incident: shown on the unit's desk.
desk_reminders = Table(
    "desk_reminders",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False),
    Column("unit_code", String(12), nullable=False, comment="the unit reminded"),
    Column("sender", String(128), nullable=False, comment="who sent it: role:unit/name"),
    Column("message", Text, nullable=False),
    Column("at", TS, nullable=False),
    Index("ix_desk_reminders_unit_code_at", "unit_code", "at"),
    Index("ix_desk_reminders_event_id", "event_id"),
)

# References to the photos (现场照片) a report or an action carried: only the URL and SHA-256, as
# on Kafka; the bytes live in the photo store (adapters/photos.py) or wherever the URL points.
# Written by the router in the transaction that files the report or applies the action.
incident_photos = Table(
    "incident_photos",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column(
        "event_id",
        String(64),
        ForeignKey("incidents.event_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("action_id", String(128), comment="the action that carried it; null: the report"),
    Column("action", String(32), nullable=False, comment="REPORT, or the action's code"),
    Column("position", Integer, nullable=False, comment="its place among the message's photos"),
    Column("url", Text, nullable=False),
    Column(
        "sha256",
        String(64),
        comment="lower-case hex SHA-256 of the bytes (null: none sent, or not one)",
    ),
    Column("at", TS, nullable=False),
    Index("ix_incident_photos_event_id", "event_id"),
    Index("ix_incident_photos_sha256", "sha256"),
)

# Rate-limit counters shared by every API process (adapters/db/limits.py): hits of one key in
# one fixed window (key "<limit key>/<window number>"), forgotten once the window has expired.
# Not durable data: losing them on a crash only forgets who was near their limit.
rate_limit_windows = Table(
    "rate_limit_windows",
    metadata,
    Column("key", String(255), primary_key=True),
    Column("hits", Integer, nullable=False),
    Column("expires_at", Float, nullable=False, comment="Unix time the counter may be dropped"),
    Index("ix_rate_limit_windows_expires_at", "expires_at"),
    sqlite_with_rowid=False,
)

# The same for small limits counted exactly (a moving window: one row per hit, at most the
# limit's worth per key in its window): the failed-authentication throttle.
rate_limit_hits = Table(
    "rate_limit_hits",
    metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("key", String(255), nullable=False),
    Column("at", Float, nullable=False, comment="Unix time of the hit"),
    Index("ix_rate_limit_hits_key_at", "key", "at"),
)
