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
The API takes the per-token counter in leased blocks (`LeasedRateLimiter`: one transaction per
block of hits, not per hit), and reads the failed-authentication hits only for keys that failed
lately (`recent_hit_keys`, entrypoints/api/throttle.py).

Taking a hit is one short transaction: read the window, refuse if it is full, else add the hit.
On SQLite the transaction takes the write lock up front, so processes queue. On PostgreSQL two
processes racing for the last place may both get past the read: the counter then reads its new
count back and the one over the limit takes its hit back and refuses (as the library's own
storages do); the moving window can let one hit per racing process through.
The engine given should be a non-durable one (`make_engine(url, durable=False)`): a counter lost
in a crash only forgets who was close to their limit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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
_GIVE_BACK = text(
    "UPDATE rate_limit_windows SET hits = CASE WHEN hits > :amount THEN hits - :amount ELSE 0 END "
    "WHERE key = :key"
)
_RECENT = text("SELECT key, max(at) FROM rate_limit_hits WHERE at > :since GROUP BY key")
_NTH_HIT = text(
    "SELECT at FROM rate_limit_hits WHERE key = :key ORDER BY at DESC LIMIT 1 OFFSET :offset"
)
_HIT = text("INSERT INTO rate_limit_hits (key, at) VALUES (:key, :at)")
_MOVING = text("SELECT min(at), count(*) FROM rate_limit_hits WHERE key = :key AND at > :since")

PURGE_EVERY = 60.0
"""Seconds between two deletions of expired counters by one process."""


@dataclass(frozen=True, slots=True)
class Lease:
    """Hits counted at once in the database for one process to spend (`lease_sliding_window`)."""

    window: str
    """The key of the fixed window they were counted in (where unspent ones are given back)."""
    granted: int
    taken_at: float
    window_end: float
    """Unix time the window ends: the lease may not be spent after it."""


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

    def lease_sliding_window(
        self,
        key: str,
        limit: int,
        expiry: int,
        wanted: int,
        give_back: Sequence[tuple[str, int]] = (),
    ) -> Lease:
        """Count up to `wanted` hits of `key` at once in its current window, as many as the
        limit leaves room for (none if it is full), in one transaction that first gives back
        `give_back`'s unspent hits (window key, count) of earlier leases. The caller spends
        the lease in memory until the window ends (`LeasedRateLimiter`)."""
        now = self._clock()
        previous_key, current_key = self.sliding_window_keys(key, expiry, now)
        window_end = (int(now / expiry) + 1) * expiry
        with self._write() as conn:
            returns = [{"key": k, "amount": n} for k, n in give_back if n > 0]
            if returns:
                conn.execute(_GIVE_BACK, returns)
            previous, previous_ttl, current, _ = self._window(
                conn, previous_key, current_key, expiry, now
            )
            weighted = previous * previous_ttl / expiry
            granted = min(wanted, limit - floor(weighted + current))
            if granted <= 0:
                return Lease(current_key, 0, now, window_end)
            current = self._add(conn, current_key, 2 * expiry, granted, now)
            over = floor(weighted + current) - limit
            if over > 0:
                # Other processes took places meanwhile (PostgreSQL): give back the excess.
                returned = min(over, granted)
                self._add(conn, current_key, 2 * expiry, -returned, now)
                granted -= returned
        self._purge_now_and_then(now, expiry)
        return Lease(current_key, granted, now, window_end)

    def give_back(self, returns: Sequence[tuple[str, int]]) -> None:
        """Take unspent leased hits (window key, count) back from their windows."""
        rows = [{"key": k, "amount": n} for k, n in returns if n > 0]
        if rows:
            with self._write() as conn:
                conn.execute(_GIVE_BACK, rows)

    def recent_hit_keys(self, since: float) -> dict[str, float]:
        """The keys of the moving window (the failed-authentication throttle) hit after
        `since`, each with the time of its latest hit."""
        with self._engine.connect() as conn:
            return {key: float(at) for key, at in conn.execute(_RECENT, {"since": since}).all()}

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


LEASE_SECONDS = 1.0
"""How long a process may spend a lease before giving back what is left of it."""
BLOCK_MAX = 100
"""The most hits one lease takes."""


def block_size(limit: int, expiry: int, block_max: int = BLOCK_MAX) -> int:
    """The hits one lease asks for: one second's worth of the limit (`limit // expiry` for a
    limit per `expiry` seconds), at least 1 and at most `block_max`. A limit of 20 a minute is
    leased one hit at a time (exact); 600 a minute, 10 at a time; 6,000 or more, 100."""
    return max(1, min(block_max, limit // expiry))


@dataclass(slots=True)
class _Held:
    lock: threading.Lock
    window: str = ""
    left: int = 0
    until: float = 0.0


class LeasedRateLimiter:
    """A per-key rate limit shared by every process through `SqlLimitStorage`'s sliding window
    counter, at about one transaction per block of hits instead of one per hit.

    A process takes a block of a key's allowance in one transaction (`block_size`: a second's
    worth of the limit, or what is left under it) and spends it in memory; it goes back to the
    database when the block is spent, after `LEASE_SECONDS`, or when the counter's fixed window
    ends, and gives back what it did not spend in the same transaction.

    The limit holds as it did hit by hit: every hit a process allows was counted in the
    database, in the fixed window it is spent in, before it was spent (a lease never outlives
    its window), so the database's count of each window is at least what was allowed in it,
    and the sliding estimate over those counts never passes the limit. What the blocks cost is
    the other way: hits leased but not yet spent are counted while unused, so a key busy in P
    processes may be refused while another process still holds part of a block: at most
    (P - 1) x (block - 1) places, freed within `LEASE_SECONDS` if that process serves the key
    again (else they stay counted in that window, whose weight in the sliding estimate fades
    over the next). Limits under 120 a minute lease one hit at a time and are as exact as before.
    """

    def __init__(
        self,
        storage: SqlLimitStorage,
        clock: Callable[[], float] = time.time,
        lease_seconds: float = LEASE_SECONDS,
        block_max: int = BLOCK_MAX,
    ) -> None:
        self._storage = storage
        self._clock = clock
        self._lease_seconds = lease_seconds
        self._block_max = block_max
        self._held: dict[str, _Held] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, expiry: int) -> bool:
        """Take one hit of `key`'s `limit` per `expiry` seconds; False if there is no room."""
        with self._lock:
            held = self._held.get(key)
            if held is None:
                if len(self._held) >= _HELD_MAX:
                    self._forget_idle()
                held = self._held[key] = _Held(threading.Lock())
        with held.lock:  # one thread per key leases; the others then spend its block
            now = self._clock()
            if held.left > 0 and now < held.until:
                held.left -= 1
                return True
            lease = self._storage.lease_sliding_window(
                key, limit, expiry, block_size(limit, expiry, self._block_max),
                [(held.window, held.left)],
            )  # fmt: skip
            held.window = lease.window
            held.left = max(lease.granted - 1, 0)
            held.until = min(lease.window_end, lease.taken_at + self._lease_seconds)
            return lease.granted > 0

    def unspent(self) -> int:
        """Hits this process has leased and not spent yet (any key, expired leases included)."""
        with self._lock:
            return sum(held.left for held in self._held.values())

    def give_back(self) -> None:
        """Give back every unspent hit (when the process stops)."""
        with self._lock:
            helds = list(self._held.values())
        returns = []
        for held in helds:
            with held.lock:
                if held.left:
                    returns.append((held.window, held.left))
                    held.left = 0
        self._storage.give_back(returns)

    def _forget_idle(self) -> None:
        """Drop the keys whose lease has expired (their unspent hits stay counted: see the
        class docstring); called with `_lock` held when the table is full."""
        now = self._clock()
        for key in [k for k, held in self._held.items() if held.until <= now]:
            del self._held[key]


_HELD_MAX = 10_000
