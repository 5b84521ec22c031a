"""Who is calling: bearer tokens, checked against the token store, and a rate limit per token.

401 says what is missing (no token, or one that is not valid) and nothing else; a revoked, an
unknown and a malformed token get the same answer. Too many invalid tokens a minute from one
address or under one prefix are answered 429 (throttle.py).
"""

from __future__ import annotations

import logging
import math
import time
from typing import Annotated, Protocol

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage, Storage
from limits.strategies import MovingWindowRateLimiter, SlidingWindowCounterRateLimiter
from sqlalchemy.exc import SQLAlchemyError

from grid_router.adapters.db.limits import LeasedRateLimiter, SqlLimitStorage
from grid_router.entrypoints.api.errors import ApiError
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import Principal, parse_prefix

log = logging.getLogger("grid_router.api")

BEARER = HTTPBearer(
    auto_error=False,
    description="An API token from `grid-router tokens create`: `Authorization: Bearer grt_…`",
)


class Authenticator(Protocol):
    def authenticate(self, token: str) -> Principal | None: ...


class RateLimits:
    """One minute's requests per token. By default in this process's memory, as a moving
    window (exact). Given the database's storage (`adapters/db/limits.py`, when several API
    processes serve one database), as the `limits` library's sliding window counter there, one
    row per token and minute, taken in blocks (`LeasedRateLimiter`): each process leases a
    second's worth of a token's limit in one transaction and spends it in memory."""

    def __init__(self, storage: Storage | None = None) -> None:
        self._leased = LeasedRateLimiter(storage) if isinstance(storage, SqlLimitStorage) else None
        self._limiter: MovingWindowRateLimiter | SlidingWindowCounterRateLimiter = (
            MovingWindowRateLimiter(MemoryStorage())
            if storage is None
            else SlidingWindowCounterRateLimiter(storage)
        )

    def close(self) -> None:
        """Give the unspent leased requests back (when the process stops); a database that is
        away keeps them counted until their minute ends."""
        if self._leased is not None:
            try:
                self._leased.give_back()
            except SQLAlchemyError as exc:
                log.warning("could not give unspent rate-limit leases back: %s", exc)

    def check(self, who: Principal) -> None:
        item = RateLimitItemPerMinute(who.rate_per_minute)
        if self._leased is not None:
            if self._leased.hit(who.token_id, item.amount, item.get_expiry()):
                return
        elif self._limiter.hit(item, who.token_id):
            return
        reset, _ = self._limiter.get_window_stats(item, who.token_id)
        wait = max(1, math.ceil(reset - time.time()))
        raise ApiError(
            429,
            "RATE_LIMITED",
            f"this token may make {who.rate_per_minute} requests a minute; retry in {wait} s",
            headers={"Retry-After": str(wait)},
        )


def authenticate(request: Request, token: str | None) -> Principal:
    """The principal for `token`, rate-limited; raises 401 or 429."""
    tokens: Authenticator = request.app.state.tokens
    if not token:
        raise ApiError(
            401,
            "UNAUTHENTICATED",
            "no API token: send `Authorization: Bearer <token>` (tokens come from "
            "`grid-router tokens create`)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    throttle: AuthThrottle = request.app.state.auth_throttle
    address = client_address(request)
    prefix = parse_prefix(token)
    throttle.check(address, prefix)
    who = tokens.authenticate(token)
    if who is None:
        throttle.failed(address, prefix)
        raise ApiError(
            401,
            "UNAUTHENTICATED",
            "the API token is not valid (unknown, malformed or revoked)",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )
    request.app.state.rate_limits.check(who)
    request.state.token_prefix = who.prefix
    return who


def client_address(request: Request) -> str | None:
    """The address the request came from (the peer: put a balancer's own address range in
    front only if it passes the client's on)."""
    return request.client.host if request.client else None


def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Principal:
    return authenticate(request, credentials.credentials if credentials else None)


Caller = Annotated[Principal, Depends(_caller)]
"""The authenticated caller of an endpoint."""
