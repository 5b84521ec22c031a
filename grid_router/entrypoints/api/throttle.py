"""Failed authentication, throttled (issue 15 §5): bad API tokens, bad Open311 api_keys and bad
bridge signatures are counted per client address and per token prefix in a moving one-minute
window, in the database for `grid-router api` (every API process counts together). Past the
policy's `access.failed_auth_per_minute`, that address or prefix is answered 429 with
Retry-After, before its credentials are even checked, until the window has room again (with
the database, a process checks before the credentials only the addresses and prefixes it knows
failed lately, and every failure before it is counted: `AuthThrottle`).
A good token is never slowed by someone else's failures under another prefix and address.

Each throttled answer is counted (`grid_auth_throttled_total{by}`); the log says it once per
burst, when an address or prefix starts being throttled, not once per request.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Final, NoReturn

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from grid_router.adapters.db.limits import SqlLimitStorage
from grid_router.entrypoints.api.errors import ApiError
from grid_router.service.metrics import GridMetrics

log = logging.getLogger("grid_router.api")

DEFAULT_FAILURES_PER_MINUTE: Final = 30


WATCH_REFRESH_SECONDS: Final = 1.0
"""With a shared store: how often a process reads which addresses and prefixes failed lately."""


class AuthThrottle:
    """Failures per client address and per token prefix in a moving one-minute window, counted
    in `storage`: the database when several API processes serve one database (they then count
    together), this process's memory by default.

    In memory every request's check reads the counts (they cost nothing). In the database a
    request whose address and prefix have not failed within the minute reads nothing: each
    process keeps the keys it knows to be throttled (until their window has room) and the keys
    with any failure in the last minute (its own, and every process's as read from the store at
    most `WATCH_REFRESH_SECONDS` ago), and only those are checked in the store before the
    credentials. A failure is always checked in the store before it is counted (`failed`), so
    bad credentials get 429 past the limit exactly as in one process, whichever process answers.
    What a process may miss for up to `WATCH_REFRESH_SECONDS` is an address or prefix that
    failed nowhere it knew of and was throttled meanwhile by another: a valid token from it is
    then let through instead of 429 (a made-up one is not)."""

    def __init__(
        self,
        per_minute: int = DEFAULT_FAILURES_PER_MINUTE,
        metrics: GridMetrics | None = None,
        storage: Storage | None = None,
        clock: Callable[[], float] = time.time,
        watch_refresh: float = WATCH_REFRESH_SECONDS,
    ) -> None:
        self.per_minute = per_minute
        self._item = RateLimitItemPerMinute(per_minute)
        self._window = self._item.get_expiry()
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._shared = storage if isinstance(storage, SqlLimitStorage) else None
        self._metrics = metrics
        self._clock = clock
        self._watch_refresh = watch_refresh
        self._throttled: set[str] = set()
        self._known: dict[str, float] = {}  # throttled, until this time
        self._watch: dict[str, float] = {}  # failed lately: checked in the store until this time
        self._watch_read_at = -math.inf
        self._lock = threading.Lock()
        self._reading = threading.Lock()

    def check(self, address: str | None, prefix: str | None) -> None:
        """Raise 429 if `address` or `prefix` has failed too often in the last minute."""
        for by, key in (("address", address), ("token_prefix", prefix)):
            if key is None:
                continue
            name = f"{by}:{key}"
            if self._shared is None or self._watched(name):
                self._check(by, name)
            elif self._throttled:
                with self._lock:
                    self._throttled.discard(name)  # the burst is over

    def failed(self, address: str | None, prefix: str | None) -> None:
        """Count one failed authentication against `address` and `prefix`; with a shared
        store, raise 429 instead if either is already throttled (read from the store)."""
        keys = [(by, key) for by, key in (("address", address), ("token_prefix", prefix)) if key]
        if self._shared is not None:
            for by, key in keys:
                self._check(by, f"{by}:{key}")
        until = self._clock() + self._window
        for by, key in keys:
            self._limiter.hit(self._item, f"{by}:{key}")
            if self._shared is not None:
                with self._lock:
                    self._watch[f"{by}:{key}"] = until

    def _check(self, by: str, name: str) -> None:
        """Raise 429 if `name` is throttled (from what this process knows, else the store)."""
        now = self._clock()
        with self._lock:
            known = self._known.get(name)
        if known is not None and known > now:
            self._refuse(by, name, known, now)
        if self._limiter.test(self._item, name):
            with self._lock:
                self._throttled.discard(name)  # the burst is over
                self._known.pop(name, None)
            return
        reset, _ = self._limiter.get_window_stats(self._item, name)
        if self._shared is not None:
            with self._lock:
                self._known[name] = reset
        self._refuse(by, name, reset, now)

    def _refuse(self, by: str, name: str, reset: float, now: float) -> NoReturn:
        wait = max(1, math.ceil(reset - now))
        with self._lock:
            first = name not in self._throttled
            self._throttled.add(name)
        if first:
            log.warning(
                "authentication throttled for %s %s: more than %d failures in a minute "
                "(answered 429 until the window has room)", by, name.split(":", 1)[1],
                self.per_minute,
            )  # fmt: skip
        if self._metrics is not None:
            self._metrics.auth_throttled.labels(by).inc()
        raise ApiError(
            429,
            "TOO_MANY_FAILURES",
            f"more than {self.per_minute} failed authentications a minute from this "
            f"{'address' if by == 'address' else 'token prefix'}; retry in {wait} s with "
            "valid credentials",
            headers={"Retry-After": str(wait)},
        )

    def _watched(self, name: str) -> bool:
        """Whether `name` is throttled or failed lately, as this process knows (shared store)."""
        assert self._shared is not None
        now = self._clock()
        if now - self._watch_read_at >= self._watch_refresh and self._reading.acquire(False):
            try:  # one thread reads; the others go on with what was read before
                recent = self._shared.recent_hit_keys(now - self._window)
                with self._lock:
                    self._watch = {k: t for k, t in self._watch.items() if t > now}
                    for key, at in recent.items():
                        self._watch[key] = max(self._watch.get(key, 0.0), at + self._window)
                    self._known = {k: t for k, t in self._known.items() if t > now}
                    self._watch_read_at = now
            finally:
                self._reading.release()
        with self._lock:
            return self._watch.get(name, 0.0) > now or self._known.get(name, 0.0) > now
