"""Failed authentication, throttled (issue 15 §5): bad API tokens, bad Open311 api_keys and bad
bridge signatures are counted per client address and per token prefix in a moving one-minute
window, in the database for `grid-router api` (every API process counts together). Past the
policy's `access.failed_auth_per_minute`, that address or prefix is answered 429 with
Retry-After, before its credentials are even checked, until the window has room again.
A good token is never slowed by someone else's failures under another prefix and address.

Each throttled answer is counted (`grid_auth_throttled_total{by}`); the log says it once per
burst, when an address or prefix starts being throttled, not once per request.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from typing import Final

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from grid_router.entrypoints.api.errors import ApiError
from grid_router.service.metrics import GridMetrics

log = logging.getLogger("grid_router.api")

DEFAULT_FAILURES_PER_MINUTE: Final = 30


class AuthThrottle:
    """Failures per client address and per token prefix in a moving one-minute window, counted
    in `storage`: the database when several API processes serve one database (they then count
    together), this process's memory by default."""

    def __init__(
        self,
        per_minute: int = DEFAULT_FAILURES_PER_MINUTE,
        metrics: GridMetrics | None = None,
        storage: Storage | None = None,
    ) -> None:
        self.per_minute = per_minute
        self._item = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(storage or MemoryStorage())
        self._metrics = metrics
        self._throttled: set[str] = set()
        self._lock = threading.Lock()

    def check(self, address: str | None, prefix: str | None) -> None:
        """Raise 429 if `address` or `prefix` has failed too often in the last minute."""
        for by, key in (("address", address), ("token_prefix", prefix)):
            if key is None:
                continue
            name = f"{by}:{key}"
            if self._limiter.test(self._item, name):
                with self._lock:
                    self._throttled.discard(name)  # the burst is over
                continue
            reset, _ = self._limiter.get_window_stats(self._item, name)
            wait = max(1, math.ceil(reset - time.time()))
            with self._lock:
                first = name not in self._throttled
                self._throttled.add(name)
            if first:
                log.warning(
                    "authentication throttled for %s %s: more than %d failures in a minute "
                    "(answered 429 until the window has room)", by, key, self.per_minute,
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

    def failed(self, address: str | None, prefix: str | None) -> None:
        """Count one failed authentication against `address` and `prefix`."""
        for by, key in (("address", address), ("token_prefix", prefix)):
            if key is not None:
                self._limiter.hit(self._item, f"{by}:{key}")
