"""API tokens and idempotency keys on SQLAlchemy (tables `api_tokens`, `idempotency_keys`).

A token is shown once, when it is created, and never stored: the table keeps its SHA-256 (see
`service/auth.hash_token`), and its prefix to find the row. `authenticate` serves repeated
calls from a small in-process cache, so the API does not read the database on every request;
the price is that a revocation takes effect within `CACHE_TTL` (5 s) in other processes.
"""

from __future__ import annotations

import builtins
import hmac
import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Engine, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from grid_router.adapters.db.tables import api_tokens, idempotency_keys
from grid_router.exceptions import GridRouterError
from grid_router.service.auth import (
    DEFAULT_RATE_PER_MINUTE,
    Principal,
    Role,
    check_scope,
    hash_token,
    new_token,
    parse_prefix,
)

log = logging.getLogger(__name__)

CACHE_TTL: Final = timedelta(seconds=5)
"""How long `authenticate` trusts what it read; also the longest a revocation takes."""
TOUCH_EVERY: Final = timedelta(minutes=1)
"""`last_used_at` is written at most this often per token, not on every request."""
CACHE_SIZE: Final = 10_000
IDEMPOTENCY_KEY_MAX_LENGTH: Final = 255
IDEMPOTENCY_TTL: Final = timedelta(hours=24)
_CREATE_ATTEMPTS: Final = 5
_REMEMBER_ATTEMPTS: Final = 3


class InvalidIdempotencyKey(GridRouterError, ValueError):  # noqa: N818 - reads as the problem
    """An Idempotency-Key that is empty or longer than 255 characters."""


@dataclass(frozen=True)
class TokenInfo:
    """A stored token as `tokens list` shows it: everything but its hash."""

    prefix: str
    name: str
    role: Role
    unit_code: str | None
    grids: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


@dataclass(frozen=True, slots=True)
class _Cached:
    principal: Principal
    expires_at: datetime


def principal_of(row: Any) -> Principal:
    """The principal of an `api_tokens` row."""
    return Principal(
        token_id=row.token_id,
        prefix=row.prefix,
        name=row.name,
        role=Role(row.role),
        unit_code=row.unit_code,
        grids=frozenset(row.grids or ()),
        rate_per_minute=row.rate_per_minute,
    )


class SqlTokenStore:
    """Creates, lists, revokes and checks API tokens; remembers idempotency keys.

    Safe to share between threads (the API's worker threads): the cache has a lock, and each
    call takes its own connection. `clock` gives aware UTC times; the cache's expiry is read
    from it too, so a test can step past it.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        *,
        cache_ttl: timedelta = CACHE_TTL,
        touch_every: timedelta = TOUCH_EVERY,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._cache_ttl = cache_ttl
        self._touch_every = touch_every
        self._cache_size = cache_size
        self._lock = threading.Lock()
        # Keyed by the token's hash, so the cache holds no secret.
        self._cache: dict[str, _Cached] = {}
        self._touched: dict[str, datetime] = {}

    # --- tokens ---------------------------------------------------------------------------

    def create(
        self,
        name: str,
        role: Role | str,
        unit_code: str | None = None,
        grids: Iterable[str] = (),
        rate_per_minute: int = DEFAULT_RATE_PER_MINUTE,
    ) -> tuple[Principal, str]:
        """Store a new token; return its principal and the token itself, which is not stored
        and cannot be shown again. Raises `TokenScopeError` if the role, unit, grids or rate
        do not fit together or are malformed; whether the codes exist is the caller's check."""
        role = role if isinstance(role, Role) else Role.parse(role)
        clean_name, unit, codes = check_scope(name, role, unit_code, grids, rate_per_minute)
        token_id = str(uuid.uuid4())
        now = self._clock()
        for attempt in range(1, _CREATE_ATTEMPTS + 1):
            prefix, token = new_token()
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(api_tokens).values(
                            token_id=token_id,
                            prefix=prefix,
                            token_hash=hash_token(token),
                            name=clean_name,
                            role=role.value,
                            unit_code=unit,
                            grids=sorted(codes),
                            rate_per_minute=rate_per_minute,
                            created_at=now,
                        )
                    )
            except IntegrityError:
                # Two tokens drew the same 32-bit prefix (about one in 4 billion per stored
                # token): draw again. Anything else fails every attempt and is raised.
                if attempt == _CREATE_ATTEMPTS:
                    raise
                continue
            principal = Principal(
                token_id=token_id,
                prefix=prefix,
                name=clean_name,
                role=role,
                unit_code=unit,
                grids=codes,
                rate_per_minute=rate_per_minute,
            )
            return principal, token
        raise AssertionError("unreachable")  # pragma: no cover

    def list(self) -> builtins.list[TokenInfo]:
        """Every token, revoked ones included, oldest first."""
        stmt = select(
            api_tokens.c.prefix,
            api_tokens.c.name,
            api_tokens.c.role,
            api_tokens.c.unit_code,
            api_tokens.c.grids,
            api_tokens.c.rate_per_minute,
            api_tokens.c.created_at,
            api_tokens.c.last_used_at,
            api_tokens.c.revoked_at,
        ).order_by(api_tokens.c.created_at, api_tokens.c.prefix)
        with self._engine.connect() as conn:
            return [
                TokenInfo(
                    prefix=row.prefix,
                    name=row.name,
                    role=Role(row.role),
                    unit_code=row.unit_code,
                    grids=tuple(sorted(row.grids or ())),
                    created_at=row.created_at,
                    last_used_at=row.last_used_at,
                    revoked_at=row.revoked_at,
                    rate_per_minute=row.rate_per_minute,
                )
                for row in conn.execute(stmt)
            ]

    def revoke(self, prefix: str) -> bool:
        """Revoke the token with `prefix`; False if there is no such token or it was already
        revoked. This process stops accepting it at once, others within `CACHE_TTL`."""
        prefix = prefix.strip().lower()
        with self._engine.begin() as conn:
            result = conn.execute(
                update(api_tokens)
                .where(api_tokens.c.prefix == prefix, api_tokens.c.revoked_at.is_(None))
                .values(revoked_at=self._clock())
            )
        with self._lock:
            for digest in [d for d, c in self._cache.items() if c.principal.prefix == prefix]:
                del self._cache[digest]
        return result.rowcount == 1

    def authenticate(self, token: str) -> Principal | None:
        """The principal of `token`, or None if it is malformed, unknown or revoked.

        What was read is cached for `CACHE_TTL`: a token revoked by another process is still
        accepted for up to that long. `last_used_at` is written at most once per `TOUCH_EVERY`
        per token.
        """
        prefix = parse_prefix(token)
        if prefix is None:
            return None
        # The cache is keyed by the hash, so finding an entry compares hashes, not secrets: its
        # timing tells an attacker nothing about a token they do not already hold.
        digest = hash_token(token)
        now = self._clock()
        with self._lock:
            hit = self._cache.get(digest)
        if hit is not None and now < hit.expires_at:
            principal: Principal | None = hit.principal
        else:
            principal = self._load(prefix, digest)
            with self._lock:
                if principal is None:
                    self._cache.pop(digest, None)
                else:
                    self._remember(digest, principal, now)
        if principal is not None:
            self._touch(principal.token_id, now)
        return principal

    def _load(self, prefix: str, digest: str) -> Principal | None:
        with self._engine.connect() as conn:
            row = conn.execute(select(api_tokens).where(api_tokens.c.prefix == prefix)).first()
        # Unknown tokens are not cached: the cache would otherwise fill with an attacker's
        # guesses. Limiting failed attempts is the API's job.
        if row is None or not hmac.compare_digest(row.token_hash, digest):
            return None
        if row.revoked_at is not None:
            return None
        return principal_of(row)

    def _remember(self, digest: str, principal: Principal, now: datetime) -> None:
        """Cache `principal` (the lock is held)."""
        if self._cache_ttl <= timedelta(0):
            return
        if len(self._cache) >= self._cache_size:
            for stale in [d for d, c in self._cache.items() if c.expires_at <= now]:
                del self._cache[stale]
            while len(self._cache) >= self._cache_size:
                del self._cache[next(iter(self._cache))]  # the oldest entry
        self._cache[digest] = _Cached(principal, now + self._cache_ttl)

    def _touch(self, token_id: str, now: datetime) -> None:
        """Record that the token was used, at most once per `TOUCH_EVERY`. The condition in
        SQL keeps several API processes from each writing it once a minute."""
        with self._lock:
            last = self._touched.get(token_id)
            if last is not None and now - last < self._touch_every:
                return
            self._touched[token_id] = now
        try:
            with self._engine.begin() as conn:
                conn.execute(
                    update(api_tokens)
                    .where(
                        api_tokens.c.token_id == token_id,
                        or_(
                            api_tokens.c.last_used_at.is_(None),
                            api_tokens.c.last_used_at <= now - self._touch_every,
                        ),
                    )
                    .values(last_used_at=now)
                )
        except SQLAlchemyError as exc:
            # Bookkeeping only: a busy database must not turn a valid token away.
            log.warning("could not record the use of token %s: %s", token_id, exc)

    # --- idempotency keys -------------------------------------------------------------------

    def remember_idempotency(
        self, token_id: str, key: str, body_sha256: str, event_id: str
    ) -> tuple[str, str] | None:
        """Remember that `token_id`'s request with Idempotency-Key `key` and this body created
        `event_id`. Returns None if the key is new (the caller goes ahead), else the stored
        (body_sha256, event_id) of the first request with the key: the caller answers with
        that event id if the bodies agree, and refuses the request if they do not.

        Two concurrent first requests with one key both try to insert; the loser's insert
        conflicts, and it reads the winner's row in a fresh transaction.
        """
        if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise InvalidIdempotencyKey(
                f"Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters; "
                f"got {len(key)}"
            )
        where = (idempotency_keys.c.token_id == token_id, idempotency_keys.c.key == key)
        for attempt in range(1, _REMEMBER_ATTEMPTS + 1):
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(idempotency_keys).values(
                            token_id=token_id,
                            key=key,
                            body_sha256=body_sha256,
                            event_id=event_id,
                            created_at=self._clock(),
                        )
                    )
            except IntegrityError:
                # PostgreSQL has aborted that transaction; read in a new one.
                with self._engine.connect() as conn:
                    row = conn.execute(
                        select(idempotency_keys.c.body_sha256, idempotency_keys.c.event_id).where(
                            *where
                        )
                    ).first()
                if row is not None:
                    return row.body_sha256, row.event_id
                # Purged between the two statements, or an unknown token_id (the foreign key):
                # try again, and let the last attempt's error out.
                if attempt == _REMEMBER_ATTEMPTS:
                    raise
                continue
            return None
        raise AssertionError("unreachable")  # pragma: no cover

    def purge_idempotency(self, older_than: timedelta = IDEMPOTENCY_TTL) -> int:
        """Forget idempotency keys created more than `older_than` ago; return how many. Not
        scheduled by anything yet: a retry later than that creates a second incident."""
        cutoff = self._clock() - older_than
        with self._engine.begin() as conn:
            result = conn.execute(
                delete(idempotency_keys).where(idempotency_keys.c.created_at < cutoff)
            )
        return result.rowcount
