"""API tokens and idempotency keys on the real databases (SQLite and PostgreSQL): created,
authenticated, listed without their secret, revoked; stored only hashed; idempotency keys
remembered once, even when two requests race with the same key."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, update

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.tables import api_tokens, idempotency_keys
from grid_router.adapters.db.tokens import (
    CACHE_TTL,
    InvalidIdempotencyKey,
    SqlTokenStore,
    TokenInfo,
)
from grid_router.service.auth import Role, TokenScopeError, hash_token, parse_prefix

START = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
COMMUNITY = "350206002008"
GRID = COMMUNITY + "005"
STREET = COMMUNITY[:9]


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def store(engine: Engine, clock: Clock) -> SqlTokenStore:
    return SqlTokenStore(engine, clock)


def test_create_authenticate_list_revoke(
    engine: Engine, store: SqlTokenStore, clock: Clock
) -> None:
    created, token = store.create("高殿社区 张三", Role.GRID_WORKER, grids=[GRID, COMMUNITY])
    assert parse_prefix(token) == created.prefix
    assert created.grids == frozenset({GRID, COMMUNITY})
    assert created.rate_per_minute == 600

    who = store.authenticate(token)
    assert who == created
    assert who is not None
    assert who.may_report_at(GRID, COMMUNITY)

    [info] = store.list()
    assert info == TokenInfo(
        prefix=created.prefix,
        name="高殿社区 张三",
        role=Role.GRID_WORKER,
        unit_code=None,
        grids=(COMMUNITY, GRID),
        created_at=START,
        last_used_at=START,
        revoked_at=None,
        rate_per_minute=600,
    )
    assert token not in repr(info)
    assert hash_token(token) not in repr(info)

    # Another process revokes it (another store: this one's cache does not hear of it).
    other = SqlTokenStore(engine, clock)
    clock.advance(timedelta(seconds=1))
    assert other.revoke(created.prefix) is True
    assert other.revoke(created.prefix) is False  # already revoked
    assert other.authenticate(token) is None
    # Within the cache's lifetime this process may still take it; past it, never.
    assert store.authenticate(token) == created
    clock.advance(CACHE_TTL)
    assert store.authenticate(token) is None
    [info] = store.list()
    assert info.revoked_at == START + timedelta(seconds=1)


def test_revoking_in_this_process_takes_effect_at_once(store: SqlTokenStore) -> None:
    created, token = store.create("殿前街道指挥中心", "dispatcher", unit_code=STREET)
    assert store.authenticate(token) == created
    assert store.revoke(created.prefix) is True
    assert store.authenticate(token) is None
    assert store.revoke("ffffffff") is False


def test_unknown_and_malformed_tokens_are_refused(store: SqlTokenStore) -> None:
    created, token = store.create("ops", Role.OPERATOR)
    secret = token.split("_", 2)[2]
    other_secret = ("A" if secret[0] != "A" else "B") + secret[1:]
    assert store.authenticate(f"grt_{created.prefix}_{other_secret}") is None  # right prefix
    assert store.authenticate(f"grt_00000000_{secret}") is None  # right secret
    assert store.authenticate(token[:-1]) is None
    assert store.authenticate("") is None
    assert store.authenticate(f"Bearer {token}") is None
    assert store.authenticate(token) == created


def test_a_token_is_never_stored_in_clear(engine: Engine, store: SqlTokenStore) -> None:
    tokens = [
        store.create("网格员", Role.GRID_WORKER, grids=[GRID])[1],
        store.create("核查员", Role.VERIFIER, unit_code=STREET)[1],
        store.create("12345", Role.BRIDGE)[1],
    ]
    with engine.connect() as conn:
        stored = ["|".join(str(value) for value in row) for row in conn.execute(select(api_tokens))]
    assert len(stored) == 3
    for token in tokens:
        secret = token.split("_", 2)[2]
        for row in stored:
            assert token not in row
            assert secret not in row
            # Not even a long piece of it.
            assert secret[:16] not in row
            assert secret[-16:] not in row
        assert any(hash_token(token) in row for row in stored)


def test_scope_errors_store_nothing(engine: Engine, store: SqlTokenStore) -> None:
    with pytest.raises(TokenScopeError, match="acts for a unit"):
        store.create("x", Role.VERIFIER)
    with pytest.raises(TokenScopeError, match="at least one grid"):
        store.create("x", "grid_worker")
    with pytest.raises(TokenScopeError, match="unknown role"):
        store.create("x", "mayor")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(api_tokens)).scalar_one() == 0


def test_last_used_is_written_at_most_once_a_minute(
    engine: Engine, store: SqlTokenStore, clock: Clock
) -> None:
    created, token = store.create("ops", Role.OPERATOR)
    writes: list[datetime | None] = []

    def last_used() -> datetime | None:
        with engine.connect() as conn:
            value: datetime | None = conn.execute(
                select(api_tokens.c.last_used_at).where(api_tokens.c.prefix == created.prefix)
            ).scalar_one()
        return value

    assert last_used() is None
    for _ in range(30):  # 30 requests over 58 seconds
        assert store.authenticate(token) is not None
        writes.append(last_used())
        clock.advance(timedelta(seconds=2))
    assert set(writes) == {START}
    assert clock() == START + timedelta(minutes=1)
    store.authenticate(token)
    assert last_used() == START + timedelta(minutes=1)
    # A second API process that just started does not write it again within the minute.
    clock.advance(timedelta(seconds=5))
    SqlTokenStore(engine, clock).authenticate(token)
    assert last_used() == START + timedelta(minutes=1)


def test_a_cache_of_zero_reads_the_database_every_time(engine: Engine, clock: Clock) -> None:
    store = SqlTokenStore(engine, clock, cache_ttl=timedelta(0))
    created, token = store.create("ops", Role.OPERATOR)
    assert store.authenticate(token) == created
    with engine.begin() as conn:
        conn.execute(
            update(api_tokens)
            .where(api_tokens.c.prefix == created.prefix)
            .values(revoked_at=clock())
        )
    assert store.authenticate(token) is None


# --- idempotency keys ------------------------------------------------------------------------


def test_an_idempotency_key_remembers_the_first_request(
    engine: Engine, store: SqlTokenStore, clock: Clock
) -> None:
    first, _ = store.create("网格员", Role.GRID_WORKER, grids=[GRID])
    second, _ = store.create("另一个网格员", Role.GRID_WORKER, grids=[GRID])
    body, other_body = "a" * 64, "b" * 64

    assert store.remember_idempotency(first.token_id, "key-1", body, "event-1") is None
    # A retry with the same body gets the first event id ...
    assert store.remember_idempotency(first.token_id, "key-1", body, "event-2") == (
        body,
        "event-1",
    )
    # ... and one with another body the stored hash, so that the caller can refuse it.
    assert store.remember_idempotency(first.token_id, "key-1", other_body, "event-3") == (
        body,
        "event-1",
    )
    # Keys belong to a token: another token's key of the same name is its own.
    assert store.remember_idempotency(second.token_id, "key-1", other_body, "event-4") is None
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(idempotency_keys)).scalar_one() == 2

    with pytest.raises(InvalidIdempotencyKey, match="1 to 255 characters"):
        store.remember_idempotency(first.token_id, "", body, "event-5")
    with pytest.raises(InvalidIdempotencyKey, match="got 256"):
        store.remember_idempotency(first.token_id, "k" * 256, body, "event-5")
    assert store.remember_idempotency(first.token_id, "k" * 255, body, "event-5") is None


def test_old_idempotency_keys_are_purged(store: SqlTokenStore, clock: Clock) -> None:
    who, _ = store.create("ops", Role.OPERATOR)
    store.remember_idempotency(who.token_id, "old", "a" * 64, "event-1")
    clock.advance(timedelta(hours=20))
    store.remember_idempotency(who.token_id, "new", "a" * 64, "event-2")
    clock.advance(timedelta(hours=5))
    assert store.purge_idempotency() == 1  # "old" is 25 h old, "new" 5 h
    assert store.remember_idempotency(who.token_id, "old", "b" * 64, "event-3") is None
    assert store.remember_idempotency(who.token_id, "new", "b" * 64, "event-4") == (
        "a" * 64,
        "event-2",
    )
    clock.advance(timedelta(seconds=1))
    assert store.purge_idempotency(timedelta(0)) == 2


def _race(engine: Engine, clock: Clock, token_id: str, key: str, body: str) -> dict[str, Any]:
    """Two request handlers, each with its own store, remember `key` at the same moment; what
    each was answered, by the event id it proposed."""
    barrier = threading.Barrier(2)
    answers: dict[str, Any] = {}

    def submit(event_id: str) -> None:
        store = SqlTokenStore(engine, clock)
        try:
            barrier.wait(timeout=30)
            answers[event_id] = store.remember_idempotency(token_id, key, body, event_id)
        except BaseException as exc:  # the test sees it among the answers
            answers[event_id] = exc

    threads = [threading.Thread(target=submit, args=(e,)) for e in ("event-a", "event-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return answers


def test_concurrent_first_requests_with_one_key_agree(engine: Engine, clock: Clock) -> None:
    who, _ = SqlTokenStore(engine, clock).create("12345", Role.BRIDGE)
    body = "c" * 64
    for round_ in range(5):
        key = f"race-{round_}"
        answers = _race(engine, clock, who.token_id, key, body)
        assert len(answers) == 2
        # Exactly one request created the key; the other was told of it.
        [winner] = [e for e, a in answers.items() if a is None]
        [told] = [a for a in answers.values() if a is not None]
        assert told == (body, winner)
        with engine.connect() as conn:
            rows = conn.execute(
                select(idempotency_keys.c.event_id).where(idempotency_keys.c.key == key)
            ).all()
        assert [r.event_id for r in rows] == [winner]
