"""A database outage told apart from a bug, and said once.

While PostgreSQL is down (stopped, restarting, unreachable) every loop of a process fails the
same way at once: the router's writer, the outbox relay, the SLA scheduler, each bridge sender,
the API's requests. None of them should die or print a traceback per try: they wait and try
again, and the process says ONE line when the outage is noticed and one when it is over.

`database_unavailable(exc)` is what a loop asks of an error; `OutageNotice` keeps the one line
each way per database and process. `make_engine` wires every engine to the notice of its
database (SQLAlchemy's `handle_error` and pool `connect` events), so the loops need not.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from typing import Final, TypeVar

from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

log = logging.getLogger("grid_router.database")

RETRY_AFTER_SECONDS: Final = 5
"""What the API tells a client to wait while the database is down (its `Retry-After`)."""

STALE_GRACE_SECONDS: Final = 30.0
"""After a recovery, how long a connection made before it may still fail without that being
said as a new outage."""

# SQLite fails as a whole file only in these ways; its other OperationalErrors ("no such
# table", a syntax error) are bugs or a database never migrated, not an outage to wait out.
_SQLITE_OUTAGE: Final = ("locked", "busy", "unable to open", "disk i/o", "readonly database")


def database_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the database cannot be reached or used now, as
    opposed to a bug or a refused statement."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if _unavailable(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, DBAPIError):
        if exc.connection_invalidated:
            return True
        if isinstance(exc, OperationalError | InterfaceError):
            # PostgreSQL's (and any other server's) operational errors are about the
            # connection; SQLite's say more, and only some of them are an outage.
            return not isinstance(exc.orig, sqlite3.Error) or _unavailable_driver(exc.orig)
        return False
    return _unavailable_driver(exc)


def _unavailable_driver(exc: BaseException) -> bool:
    if isinstance(exc, sqlite3.OperationalError):
        message = str(exc).lower()
        return any(word in message for word in _SQLITE_OUTAGE)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError)


def _first_line(exc: BaseException) -> str:
    orig = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = str(orig).strip().splitlines()
    return (text[0] if text else type(orig).__name__)[:200]


class OutageNotice:
    """The state of one database as this process sees it: up, or down since when. The first
    failure that is an outage logs one line and the first success after it logs one line;
    everything in between is quiet. Subclasses say it of another part (`adapters.kafka.outage`)."""

    BEGIN: str = "database %s is unavailable; waiting for it (%s)"
    END: str = "database %s is back after %.1f s; carrying on"
    PART: str = "database"  # the `extra` field naming the part in JSON logs
    logger: logging.Logger = log

    def __init__(self, name: str) -> None:
        self.name = name
        self._lock = threading.Lock()
        self._down_since: float | None = None
        self._back_at = float("-inf")

    @property
    def down(self) -> bool:
        return self._down_since is not None

    def is_outage(self, exc: BaseException) -> bool:
        """Whether `exc` says the part is away (as opposed to a bug or a refusal)."""
        return database_unavailable(exc)

    def reason(self, exc: BaseException) -> str:
        return _first_line(exc)

    def failed(self, exc: BaseException, stale: bool = False) -> bool:
        """Record a failure; True if it is an outage (the caller waits and tries again).
        `stale`: it broke a connection made before the database came back (a pooled one, or
        one a lock holder keeps); shortly after a recovery that is the old outage's leftover,
        not a new one, and is not said again."""
        if not self.is_outage(exc):
            return False
        with self._lock:
            if self._down_since is not None:
                return True
            if stale and time.monotonic() - self._back_at < STALE_GRACE_SECONDS:
                return True
            self._down_since = time.monotonic()
        self.logger.error(
            self.BEGIN, self.name, self.reason(exc),
            extra={self.PART: self.name, "outage": "begin"},
        )  # fmt: skip
        return True

    def ok(self) -> None:
        """Record a success (a connection made): ends an outage, if there was one."""
        if self._down_since is None:
            return
        with self._lock:
            since, self._down_since = self._down_since, None
            if since is not None:
                self._back_at = time.monotonic()
        if since is not None:
            self.logger.warning(
                self.END, self.name, time.monotonic() - since,
                extra={self.PART: self.name, "outage": "end"},
            )  # fmt: skip


_NOTICES: dict[tuple[type[OutageNotice], str], OutageNotice] = {}
_NOTICES_LOCK = threading.Lock()
_N = TypeVar("_N", bound=OutageNotice)


def shared_notice(kind: type[_N], name: str) -> _N:
    """The one notice of `kind` for the part called `name` in this process."""
    with _NOTICES_LOCK:
        notice = _NOTICES.get((kind, name))
        if notice is None:
            notice = _NOTICES[(kind, name)] = kind(name)
    assert isinstance(notice, kind)
    return notice


def notice_for(url: str) -> OutageNotice:
    """The one notice of database `url` in this process (shared by all its engines)."""
    return shared_notice(OutageNotice, make_url(url).render_as_string(hide_password=True))


def await_database(engine: Engine, max_wait: float = 2.0) -> None:
    """Return once `engine`'s database answers: a process started while it is down waits for it
    (said once by the engine's notice) instead of failing, and so never loops through restarts.
    Raises what is not an outage (a wrong password, a database that does not exist)."""
    wait = 0.2
    while True:
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return
        except Exception as exc:
            if not database_unavailable(exc):
                raise
        time.sleep(wait)
        wait = min(wait * 2, max_wait)
