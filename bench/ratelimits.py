"""What counting the API's rate limits in the database costs per request, against memory.

An authenticated API request makes three limiter calls: the failed-authentication throttle's
check for the client address and for the token prefix (moving window, exact) and the token's own
hit (sliding window counter). Each is timed here alone, in this process's CPU time, on the
process's memory (`limits.MemoryStorage`, one API process) and on the database
(`adapters/db/limits.py`, what `grid-router api --workers N` uses): a fresh SQLite file, and a
fresh PostgreSQL schema when --postgres is given. Last line: `limiter_db_ms_per_request=<x>`
(SQLite, or PostgreSQL when given), then `leased_db_ms_per_request=<y>`: the same request as the
API serves it on the database since the `limiter` branch (lines "… leased": the throttle reads
nothing for an address and a prefix that have not failed, the token's hits come from a leased
block).

    .venv/bin/python bench/ratelimits.py
    .venv/bin/python bench/ratelimits.py --postgres postgresql://grid:grid@127.0.0.1:5432/grid_test
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from sqlalchemy import text

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.limits import LeasedRateLimiter, SqlLimitStorage
from grid_router.adapters.db.migrate import upgrade
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import MAX_RATE_PER_MINUTE


def cpu_ms(call: Callable[[], object], n: int) -> float:
    start = time.process_time()
    for _ in range(n):
        call()
    return (time.process_time() - start) / n * 1000


def measure_served(name: str, storage: SqlLimitStorage, n: int) -> float:
    """The same request as `grid-router api` serves it on the database since the `limiter`
    branch: the throttle's check of an address and a prefix that have not failed (read from
    the database at most once a second) and the token's hit from a leased block."""
    throttle = AuthThrottle(30, storage=storage)
    rates = LeasedRateLimiter(storage)
    check = cpu_ms(lambda: throttle.check("192.0.2.1", "abcd1234"), n) / 2
    hit = cpu_ms(lambda: rates.hit("token", MAX_RATE_PER_MINUTE, 60), n)
    per_request = 2 * check + hit
    print(
        f"{name + ' leased':<18} throttle check {check:6.3f} ms  token hit {hit:6.3f} ms  "
        f"per request (2 checks + 1 hit) {per_request:6.3f} ms of CPU"
    )
    return per_request


def measure(name: str, storage: Storage, n: int) -> float:
    throttle = MovingWindowRateLimiter(storage)
    rates = SlidingWindowCounterRateLimiter(storage)
    failures = RateLimitItemPerMinute(30)
    rate = RateLimitItemPerMinute(MAX_RATE_PER_MINUTE)
    check = cpu_ms(lambda: throttle.test(failures, "address:192.0.2.1"), n)
    hit = cpu_ms(lambda: rates.hit(rate, "token"), n)
    per_request = 2 * check + hit
    print(
        f"{name:<18} throttle check {check:6.3f} ms  token hit {hit:6.3f} ms  "
        f"per request (2 checks + 1 hit) {per_request:6.3f} ms of CPU"
    )
    return per_request


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="calls of each kind")
    parser.add_argument("--postgres", help="a PostgreSQL URL: measured in a schema of its own")
    args = parser.parse_args()

    measure("memory", MemoryStorage(), args.n)
    with tempfile.TemporaryDirectory(prefix="grid-bench-limits-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'limits.db'}"
        upgrade(make_engine(url))
        engine = make_engine(url, durable=False, pooled=True)
        result = measure("sqlite", SqlLimitStorage(engine), args.n)
        served = measure_served("sqlite", SqlLimitStorage(engine), args.n)
        engine.dispose()
    if args.postgres:
        schema = f"bench_limits_{uuid.uuid4().hex[:8]}"
        admin = make_engine(args.postgres)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            sep = "&" if "?" in args.postgres else "?"
            url = f"{args.postgres}{sep}options=-csearch_path%3D{schema}"
            upgrade(make_engine(url))
            engine = make_engine(url, durable=False, pooled=True)
            result = measure("postgresql", SqlLimitStorage(engine), args.n)
            served = measure_served("postgresql", SqlLimitStorage(engine), args.n)
            engine.dispose()
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    print(f"limiter_db_ms_per_request={result:.3f} leased_db_ms_per_request={served:.3f}")


if __name__ == "__main__":
    main()
