"""Creating engines: SQLite (embedded default, WAL mode) or PostgreSQL (production)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.pool import NullPool, QueuePool

from grid_router.adapters.db.outage import notice_for
from grid_router.exceptions import ConfigurationError


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain `postgresql://` URLs (the driver the project installs)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, *, durable: bool = True, pooled: bool = False, **kwargs: Any) -> Engine:
    """An engine for `url` with the settings grid_router relies on.

    SQLite runs in WAL mode with `synchronous=FULL`: an acknowledged transaction survives a
    power cut, which matters because Kafka offsets are committed right after it.

    `durable=False` is for writes whose loss is harmless, such as the relay forgetting rows
    Kafka already acknowledged (a lost forget re-sends a message consumers drop by version).
    Such commits skip the wait for the disk (SQLite `synchronous=NORMAL`, PostgreSQL
    `synchronous_commit=off`), so they do not hold up the router's durable ones.

    `pooled=True` keeps SQLite connections open between uses (a pool of up to 5), for many tiny
    transactions such as the API's rate-limit counters: opening a connection and closing it
    (which checkpoints the WAL when it is the last) costs milliseconds each time.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigurationError(
            f"GRID_DATABASE_URL {url!r} is not a database URL: {exc}. "
            "Use e.g. sqlite:///grid_router.db or postgresql://user:pass@host/db"
        ) from exc
    if parsed.get_backend_name() == "sqlite":
        # Each thread (router, relay) gets its own connection; NullPool avoids sharing a
        # SQLite connection across threads and keeps file locks short-lived.
        engine = create_engine(
            url,
            poolclass=QueuePool if pooled else NullPool,
            connect_args={"check_same_thread": False, "timeout": 30},
            **kwargs,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if not durable:
            event.listen(engine, "connect", _sqlite_fast_commit)
        # pysqlite's own transaction handling is unreliable; issue BEGIN ourselves (the
        # documented recipe). See `_sqlite_begin` for which transactions lock up front.
        event.listen(engine, "begin", _sqlite_begin)
        return _watched(engine, url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, **kwargs)
        if not durable:
            event.listen(engine, "connect", _postgres_fast_commit)
        return _watched(engine, url)
    raise ConfigurationError(
        f"unsupported database {parsed.get_backend_name()!r} in GRID_DATABASE_URL: "
        "use sqlite:///FILE or postgresql://…"
    )


def _watched(engine: Engine, url: str) -> Engine:
    """`engine`, reporting outages to its database's notice: one line when a failure says the
    database is unavailable, one when a connection is made again (`adapters.db.outage`)."""
    notice = notice_for(url)

    def failed(context: ExceptionContext) -> None:
        if not context.is_pre_ping:  # a stale pooled connection, replaced at once if it can be
            # A connection that was open before the failure (not one being made) is stale.
            notice.failed(context.original_exception, stale=context.connection is not None)

    event.listen(engine, "handle_error", failed)
    event.listen(engine, "connect", lambda _conn, _record: notice.ok())
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level, so that the "begin" listener decides when a transaction
    # starts (the documented SQLAlchemy recipe for SQLite).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB: the router's indexes stay in memory
    cursor.close()


def _sqlite_fast_commit(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA synchronous=NORMAL")


def _postgres_fast_commit(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    dbapi_connection.commit()


# Execution option of a connection whose transactions read and then write (a unit of work).
WRITE_TRANSACTION = "grid_write_transaction"


def _sqlite_begin(conn: Any) -> None:
    # A transaction that reads and then writes takes the write lock up front (IMMEDIATE):
    # upgrading a read lock later fails at once with SQLITE_BUSY when another connection has
    # written meanwhile, without waiting. Every other transaction starts deferred, so that
    # readers (the relay polling the outbox, a status view) never hold up the router.
    if conn.get_execution_options().get(WRITE_TRANSACTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")
