"""Rate limits shared through the database in leased blocks, and the failed-authentication
throttle read from it only for keys that failed lately (adapters/db/limits.py,
entrypoints/api/throttle.py), on SQLite and PostgreSQL. Each "process" here is a limiter or a
throttle with an engine and a storage of its own on one database, as each API worker has."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.limits import (
    LEASE_SECONDS,
    LeasedRateLimiter,
    SqlLimitStorage,
    block_size,
)
from grid_router.entrypoints.api.errors import ApiError
from grid_router.entrypoints.api.security import RateLimits
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import Principal, Role

pytestmark = pytest.mark.integration

MINUTE = 60
START = 1_800_000_000.0  # the start of a fixed one-minute window (divisible by 60)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def engines(database_url: str) -> Iterator[list[Engine]]:
    made = [make_engine(database_url, durable=False, pooled=True) for _ in range(2)]
    yield made
    for engine in made:
        engine.dispose()


def window_counts(engine: Engine, key: str) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT key, hits FROM rate_limit_windows WHERE key LIKE :k"), {"k": f"{key}/%"}
        ).all()
    return {k: int(hits) for k, hits in rows}


def statements(engine: Engine) -> list[str]:
    """The SQL statements on the rate-limit tables that `engine` runs from now on."""
    seen: list[str] = []

    def record(*args: Any) -> None:
        if "rate_limit" in args[2]:
            seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    return seen


def test_block_size_is_a_second_of_the_limit_between_1_and_100() -> None:
    assert block_size(20, MINUTE) == 1
    assert block_size(119, MINUTE) == 1
    assert block_size(600, MINUTE) == 10
    assert block_size(1_000_000, MINUTE) == 100


def test_two_processes_share_a_small_limit_exactly(engines: list[Engine]) -> None:
    clock = Clock(START + 5)
    a, b = (LeasedRateLimiter(SqlLimitStorage(e, clock), clock) for e in engines)
    rng = random.Random(14)
    allowed = 0
    for _ in range(50):
        if rng.choice((a, b)).hit("token-small", 20, MINUTE):
            allowed += 1
        else:  # refused only once the 20 are spent, whichever process asks
            assert allowed == 20
        clock.now += 0.01
    assert allowed == 20
    assert a.unspent() == b.unspent() == 0


def test_two_processes_never_pass_the_limit_and_lose_at_most_a_block(
    engines: list[Engine],
) -> None:
    limit = 600
    block = block_size(limit, MINUTE)
    clock = Clock(START + 1)
    a, b = (LeasedRateLimiter(SqlLimitStorage(e, clock), clock) for e in engines)
    rng = random.Random(7)
    allowed = 0
    for _ in range(2 * limit):
        allowed += rng.choice((a, b)).hit("token-big", limit, MINUTE)
        clock.now += 0.001  # all inside one second: no lease expires
    unspent = a.unspent() + b.unspent()
    assert allowed <= limit
    # Refused while the other process held part of its block: at most (2 - 1) x (block - 1).
    assert allowed >= limit - (block - 1), (allowed, unspent)
    # The database counted every allowed hit, and the unspent ones besides.
    assert window_counts(engines[0], "token-big") == {
        f"token-big/{int(START // MINUTE)}": allowed + unspent
    }


def test_racing_threads_in_two_processes_never_pass_the_limit(engines: list[Engine]) -> None:
    limit = 1200  # blocks of 20
    limiters = [LeasedRateLimiter(SqlLimitStorage(e)) for e in engines]
    allowed = [0] * 8
    start = threading.Barrier(8)

    def run(i: int) -> None:
        start.wait()
        for _ in range(250):
            allowed[i] += limiters[i % 2].hit("token-race", limit, MINUTE)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 2,000 hits within a few seconds against 1,200 a minute: if the run crossed into the next
    # minute, the sliding estimate still caps the two windows' hits at the limit plus the part
    # of the first window that has faded (at most a little over the limit, never 2,000).
    assert limit - 2 * block_size(limit, MINUTE) <= sum(allowed) <= limit + 100, allowed


def test_an_expired_lease_is_given_back_in_the_next_transaction(engines: list[Engine]) -> None:
    clock = Clock(START + 10)
    a = LeasedRateLimiter(SqlLimitStorage(engines[0], clock), clock)
    b = LeasedRateLimiter(SqlLimitStorage(engines[1], clock), clock)
    window = f"token-back/{int(START // MINUTE)}"
    assert a.hit("token-back", 600, MINUTE)
    assert window_counts(engines[0], "token-back") == {window: 10}  # a block of 10, 1 spent
    assert a.unspent() == 9

    clock.now += LEASE_SECONDS  # a's lease has expired: its next hit gives 9 back
    assert a.hit("token-back", 600, MINUTE)
    assert window_counts(engines[0], "token-back") == {window: 1 + 10}
    assert b.hit("token-back", 600, MINUTE)
    assert window_counts(engines[0], "token-back") == {window: 1 + 10 + 10}

    a.give_back()  # a stops
    b.give_back()
    assert a.unspent() == b.unspent() == 0
    assert window_counts(engines[0], "token-back") == {window: 3}


def test_a_lease_never_outlives_its_window(engines: list[Engine]) -> None:
    clock = Clock(START + MINUTE - 0.1)  # a tenth of a second before the window ends
    a = LeasedRateLimiter(SqlLimitStorage(engines[0], clock), clock)
    assert a.hit("token-edge", 600, MINUTE)
    clock.now = START + MINUTE + 0.01  # within LEASE_SECONDS, but in the next window
    assert a.hit("token-edge", 600, MINUTE)
    first, second = int(START // MINUTE), int(START // MINUTE) + 1
    # The first window keeps only the hit spent in it; the second counts its own block.
    assert window_counts(engines[0], "token-edge") == {
        f"token-edge/{first}": 1,
        f"token-edge/{second}": 10,
    }


def test_a_full_limit_refuses_in_every_process(engines: list[Engine]) -> None:
    clock = Clock(START + 30)
    a, b = (LeasedRateLimiter(SqlLimitStorage(e, clock), clock) for e in engines)
    for _ in range(120):
        assert a.hit("token-full", 120, MINUTE)  # blocks of 2
    assert not b.hit("token-full", 120, MINUTE)
    assert not a.hit("token-full", 120, MINUTE)


def throttles(engines: list[Engine], clock: Clock, refresh: float) -> list[AuthThrottle]:
    return [
        AuthThrottle(30, storage=SqlLimitStorage(e, clock), clock=clock, watch_refresh=refresh)
        for e in engines
    ]


def test_a_clean_address_is_checked_without_reading_the_store(engines: list[Engine]) -> None:
    clock = Clock(START)
    (a, _) = throttles(engines, clock, refresh=1.0)
    a.check("192.0.2.1", "abcd1234")  # the first check reads the recent failures once
    seen = statements(engines[0])
    for _ in range(100):
        a.check("192.0.2.1", "abcd1234")
        clock.now += 0.001
    assert seen == []
    clock.now += 1.0  # then once a second at most
    for _ in range(100):
        a.check("192.0.2.1", "abcd1234")
    assert len(seen) == 1


def test_failures_in_one_process_throttle_the_other_exactly(engines: list[Engine]) -> None:
    clock = Clock(START)
    a, b = throttles(engines, clock, refresh=1.0)
    b.check("203.0.113.9", None)  # b read the store before any failure: the address is clean
    for _ in range(30):
        a.check("203.0.113.9", None)
        a.failed("203.0.113.9", None)
        clock.now += 0.01
    # b's snapshot is older than the failures, but a failure is checked in the store first.
    b.check("203.0.113.9", None)  # a good credential within the refresh interval: let through
    with pytest.raises(ApiError) as refused:
        b.failed("203.0.113.9", None)
    assert refused.value.status == 429
    # Once b has read the store again, a good credential from there is refused too.
    clock.now += 1.0
    with pytest.raises(ApiError):
        b.check("203.0.113.9", None)
    # A process that found it throttled refuses it again without reading anything, until
    # the window has room.
    with pytest.raises(ApiError):
        a.check("203.0.113.9", None)
    seen = statements(engines[0])
    with pytest.raises(ApiError) as known:
        a.check("203.0.113.9", None)
    assert seen == []
    assert 1 <= int(known.value.headers["Retry-After"]) <= 60
    clock.now = START + MINUTE + 0.5  # the first failures have left the window
    a.check("203.0.113.9", None)


def test_the_api_gives_its_unspent_leases_back_when_it_stops(engines: list[Engine]) -> None:
    limits = RateLimits(SqlLimitStorage(engines[0]))
    who = Principal(
        token_id="token-stop", prefix="abcd1234", name="网格员", role=Role.OPERATOR,
        unit_code=None, grids=frozenset(), rate_per_minute=600,
    )  # fmt: skip
    limits.check(who)
    assert sum(window_counts(engines[0], "token-stop").values()) == 10  # a block of 10
    limits.close()
    assert sum(window_counts(engines[0], "token-stop").values()) == 1
