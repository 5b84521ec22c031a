"""Rate-limit counters in the database, so that every API process counts against one limit.

A storage for two of the `limits` library's strategies:

- the sliding window counter (`SlidingWindowCounterRateLimiter`), for per-token rates (up to a
  million a minute): one row per key and fixed window (table `rate_limit_windows`); a key's
  count is the current window's hits plus the previous window's weighted by how much of it
  still overlaps the last `expiry` seconds. The window arithmetic is the library's
  (`TimestampedSlidingWindow`, the same formulas as its memory storage). It is an estimate:
  exact for hits spread evenly, and hits bunched at the end of one window and the start of the
  next can pass up to about twice the limit within one window's length.
- the moving window (`MovingWindowRateLimiter`), exact, for small limits such as the
  failed-authentication throttle: one row per hit (table `rate_limit_hits`), never more than
  the limit's worth per key inside the window.

This module only keeps the counts where all API processes, on one host or several, see them.

Taking a hit is one short transaction: read the window, refuse if it is full, else add the hit.
On SQLite the transaction takes the write lock up front, so processes queue. On PostgreSQL two
processes racing for the last place may both get past the read: the counter then reads its new
count back and the one over the limit takes its hit back and refuses (as the library's own
storages do); the moving window can let one hit per racing process through.
The engine given should be a non-durable one (`make_engine(url, durable=False)`): a counter lost
in a crash only forgets who was close to their limit.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from math import floor

from limits.storage import Storage
from limits.storage.base import (
    MovingWindowSupport,
    SlidingWindowCounterSupport,
    TimestampedSlidingWindow,
)
from sqlalchemy import Connection, Engine, delete, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from grid_router.adapters.db.engine import WRITE_TRANSACTION
from grid_router.adapters.db.tables import rate_limit_hits as hits
from grid_router.adapters.db.tables import rate_limit_windows as windows

# Plain SQL, the same on SQLite and PostgreSQL, built once: these run on every API request, and
# building and compiling SQLAlchemy expressions each time cost milliseconds.
_COUNTS = text(
    "SELECT key, hits FROM rate_limit_windows WHERE key IN (:previous, :current) "
    "AND expires_at > :now"
)
_ADD = text(
    "INSERT INTO rate_limit_windows (key, hits, expires_at) VALUES (:key, :amount, :expires) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN rate_limit_windows.expires_at <= :now THEN excluded.hits "
    "ELSE rate_limit_windows.hits + excluded.hits END, "
    "expires_at = CASE WHEN rate_limit_windows.expires_at <= :now THEN excluded.expires_at "
    "ELSE rate_limit_windows.expires_at END "
    "RETURNING hits"
)
_NTH_HIT = text(
    "SELECT at FROM rate_limit_hits WHERE key = :key ORDER BY at DESC LIMIT 1 OFFSET :offset"
)
_HIT = text("INSERT INTO rate_limit_hits (key, at) VALUES (:key, :at)")
_MOVING = text("SELECT min(at), count(*) FROM rate_limit_hits WHERE key = :key AND at > :since")

PURGE_EVERY = 60.0
"""Seconds between two deletions of expired counters by one process."""


class SqlLimitStorage(
    Storage, MovingWindowSupport, SlidingWindowCounterSupport, TimestampedSlidingWindow
):
    """The `limits` storage on grid_router's database (see the module docstring)."""

    STORAGE_SCHEME = None  # built from an engine, not from a storage URI

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        super().__init__()
        self._engine = engine
        self._clock = clock
        self._insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert
        self._purged_at = clock()
        self._longest = 0

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    # --- the sliding window counter --------------------------------------------------------

    def acquire_sliding_window_entry(
        self, key: str, limit: int, expiry: int, amount: int = 1
    ) -> bool:
        if amount > limit:
            return False
        now = self._clock()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        with self._write() as conn:
            previous, previous_ttl, current, _ = self._window(
                conn, previous_key, current_key, expiry, now
            )
            weighted = previous * previous_ttl / expiry
            if floor(weighted + current) + amount > limit:
                return False
            current = self._add(conn, current_key, 2 * expiry, amount, now)
            if floor(weighted + current) > limit:
                # Another process took the last place meanwhile: give this hit back.
                self._add(conn, current_key, 2 * expiry, -amount, now)
                return False
        self._purge_now_and_then(now, expiry)
        return True

    def get_sliding_window(self, key: str, expiry: int) -> tuple[int, float, int, float]:
        now = self._clock()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        with self._engine.connect() as conn:
            return self._window(conn, previous_key, current_key, expiry, now)

    def clear_sliding_window(self, key: str, expiry: int) -> None:
        for window_key in self.sliding_window_keys(key, expiry, self._clock()):
            self.clear(window_key)

    # --- the moving window (exact; one row per hit: for small limits) ----------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = self._clock()
        # The limit-th most recent hit: if it is still inside the window, the window is full.
        with self._write() as conn:
            at = conn.execute(_NTH_HIT, {"key": key, "offset": limit - amount}).scalar()
            if at is not None and at > now - expiry:
                return False
            conn.execute(_HIT, [{"key": key, "at": now}] * amount)
        self._purge_now_and_then(now, expiry)
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = self._clock()
        with self._engine.connect() as conn:
            oldest, count = conn.execute(_MOVING, {"key": key, "since": now - expiry}).one()
        return (float(oldest) if oldest is not None else now), int(count)

    # --- the plain storage interface ---------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        with self._write() as conn:
            return self._add(conn, key, expiry, amount, self._clock())

    def get(self, key: str) -> int:
        with self._engine.connect() as conn:
            return self._counts(conn, [key], self._clock()).get(key, 0)

    def get_expiry(self, key: str) -> float:
        now = self._clock()
        stmt = select(windows.c.expires_at).where(windows.c.key == key)
        with self._engine.connect() as conn:
            expires = conn.execute(stmt).scalar()
        return float(expires) if expires is not None and expires > now else now

    def check(self) -> bool:
        try:
            with self._engine.connect() as conn:
                conn.execute(select(1))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        with self._engine.begin() as conn:
            return conn.execute(delete(windows)).rowcount + conn.execute(delete(hits)).rowcount

    def clear(self, key: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(delete(windows).where(windows.c.key == key))
            conn.execute(delete(hits).where(hits.c.key == key))

    # --- statements ----------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A transaction, committed on leaving. On SQLite it takes the write lock at BEGIN, so
        that the read and the write after it are not refused halfway by another process's."""
        options = {WRITE_TRANSACTION: True}
        with self._engine.connect().execution_options(**options) as conn, conn.begin():
            yield conn

    def _counts(self, conn: Connection, keys: list[str], now: float) -> dict[str, int]:
        previous, current = (keys * 2)[:2]
        params = {"previous": previous, "current": current, "now": now}
        return {key: int(hits) for key, hits in conn.execute(_COUNTS, params).all()}

    def _window(
        self, conn: Connection, previous_key: str, current_key: str, expiry: int, now: float
    ) -> tuple[int, float, int, float]:
        counts = self._counts(conn, [previous_key, current_key], now)
        previous, current = counts.get(previous_key, 0), counts.get(current_key, 0)
        # As the library's memory storage computes them.
        previous_ttl = (1 - (((now - expiry) / expiry) % 1)) * expiry if previous else 0.0
        current_ttl = (1 - ((now / expiry) % 1)) * expiry + expiry
        return previous, previous_ttl, current, current_ttl

    def _add(self, conn: Connection, key: str, expiry: int, amount: int, now: float) -> int:
        """Add `amount` to the counter of `key` (a fresh one if it expired); its new count."""
        params = {"key": key, "amount": amount, "expires": now + expiry, "now": now}
        return int(conn.execute(_ADD, params).scalar_one())

    def decr(self, key: str, amount: int = 1) -> int:
        """Take `amount` hits back from `key` (never below zero)."""
        with self._write() as conn:
            conn.execute(
                update(windows).where(windows.c.key == key).values(hits=windows.c.hits - amount)
            )
            return self._counts(conn, [key], self._clock()).get(key, 0)

    def _purge_now_and_then(self, now: float, expiry: int) -> None:
        """Forget expired counters, and hits older than the longest window seen (`expiry`)."""
        self._longest = max(self._longest, expiry)
        if now - self._purged_at < PURGE_EVERY:
            return
        self._purged_at = now
        with self._engine.begin() as conn:
            conn.execute(delete(windows).where(windows.c.expires_at <= now))
            conn.execute(delete(hits).where(hits.c.at <= now - self._longest))
