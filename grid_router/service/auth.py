"""Who may call the HTTP API, and for what: roles, the authenticated principal, API tokens.

Pure: the standard library and the domain only. Storing tokens is `adapters/db/tokens.py`'s job;
reading the bearer token off a request is the API's.

Roles (one per token):

- `grid_worker` (网格员) reports incidents, only in the grids (15-digit codes) or whole
  communities (12-digit codes) assigned to the token, and must name one of them in each report.
  It sees no unit's queue: it follows its own reports by the event ids the API gave back.
- `dispatcher`, a dispatch centre, acts as the unit that holds work orders (signs, handles,
  returns, escalates) and sees only its own unit's work orders. It may report within its unit's
  area.
- `verifier` (核查员/监督员 of a unit) verifies and closes within the unit's area: it sees its own
  unit and every unit inside it (a street's verifier sees the street and its communities), and
  may report within that area.
- `operator`, city operations, sees everything, may report anywhere and acts as a supervisor.
- `bridge`, a bridge to 12345 or 数字城管: reports anywhere (the hotline covers the whole city),
  sees every unit so that it can follow what it forwarded, and acts as the system. Its requests
  are signed as well (HMAC); that is checked by the API, not here.

A token is `grt_<prefix>_<secret>`: the 8-hex-digit prefix names the token in lists, logs and
`tokens revoke`; the secret is 32 random bytes. Only the SHA-256 of the whole token is stored.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from grid_router.domain.org import GRID_CODE_LENGTH, InvalidGridCode, parse_grid_code
from grid_router.exceptions import GridRouterError

COMMUNITY_CODE_LENGTH: Final = 12
UNIT_CODE_LENGTHS: Final = (6, 9, 12)
"""A district or the city (6 digits), a street or town (9), a community or village (12)."""

DEFAULT_RATE_PER_MINUTE: Final = 600
MAX_RATE_PER_MINUTE: Final = 1_000_000
NAME_MAX_LENGTH: Final = 128


class TokenScopeError(GridRouterError, ValueError):
    """A token asked for with a role, unit, grids or rate that do not fit together."""


class Role(StrEnum):
    """What a token's holder is; see the module docstring for what each may do."""

    GRID_WORKER = "grid_worker"
    DISPATCHER = "dispatcher"
    VERIFIER = "verifier"
    OPERATOR = "operator"
    BRIDGE = "bridge"

    @classmethod
    def parse(cls, text: str) -> Role:
        """The role named by `text` (case and surrounding space ignored); raises
        `TokenScopeError` naming the roles there are."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            known = ", ".join(r.value for r in cls)
            raise TokenScopeError(f"unknown role {text!r}; the roles are {known}") from None


# The actor role (DispositionAction.actor.role, see domain/workflow.py) each role acts as.
_WIRE_ROLES: Final[dict[Role, str]] = {
    Role.GRID_WORKER: "grid_worker",
    Role.DISPATCHER: "dispatcher",
    Role.VERIFIER: "verifier",
    Role.OPERATOR: "supervisor",
    Role.BRIDGE: "system",
}

# Roles whose scope is everything: no unit, no grids.
_CITY_WIDE: Final = frozenset({Role.OPERATOR, Role.BRIDGE})
# Roles that belong to a unit.
_UNIT_ROLES: Final = frozenset({Role.DISPATCHER, Role.VERIFIER})


def _digits(text: str) -> bool:
    # str.isdigit alone accepts full-width and superscript digits, which are not codes.
    return text.isascii() and text.isdigit()


def area_prefix(unit_code: str) -> str:
    """The code prefix shared by every division inside the unit: its own code, except for the
    city, whose districts share only its first 4 digits (350200 → 3502: 350203, 350206, …)."""
    if len(unit_code) == 6 and unit_code.endswith("00"):
        return unit_code[:4]
    return unit_code


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: the token it presented and what that token grants.

    `grids` holds 15-digit grid codes and 12-digit community codes; a community code grants
    every grid of the community. Only a grid worker has grids; only a dispatcher or verifier
    has a unit.
    """

    token_id: str
    prefix: str
    name: str
    role: Role
    unit_code: str | None
    grids: frozenset[str] = field(default_factory=frozenset)
    rate_per_minute: int = DEFAULT_RATE_PER_MINUTE

    @property
    def wire_role(self) -> str:
        """The actor role this principal acts as on grid.actions (DispositionAction): an
        operator acts as a supervisor (监督员), a bridge as the system."""
        return _WIRE_ROLES[self.role]

    @property
    def label(self) -> str:
        """How logs name the caller without its secret: "dispatcher:350206002/a1b2c3d4"."""
        where = f":{self.unit_code}" if self.unit_code else ""
        return f"{self.role}{where}/{self.prefix}"

    def may_report_at(self, grid_code: str | None, community_code: str | None) -> bool:
        """Whether this caller may submit a report naming this grid and community code.

        - operator and bridge: anywhere, with or without codes (the router locates by address);
        - grid worker: the report must name a place, and every code it names must lie in the
          worker's grids: the grid code must be one of them or in one of their communities, and
          a community code must be one of their communities or the community of the (allowed)
          grid code given with it. An address alone is refused: the router would place it
          wherever the text says, outside the worker's grids;
        - dispatcher and verifier: likewise must name a place, and every code must lie in the
          unit's area (start with its code).

        Codes are checked for form (a malformed grid code is ignored by the router, which then
        falls back to the next input). Whether a code exists is not checked here: the router
        also falls back when a well-formed code names no community, so the API must check the
        codes against the organisation (`Organisation.validate_grid_code`, `Organisation.get`)
        before accepting a report from a caller this method limits.
        """
        if self.role in _CITY_WIDE:
            return True
        grid = (grid_code or "").strip() or None
        community = (community_code or "").strip() or None
        if grid is None and community is None:
            return False
        if grid is not None and not _is_grid_code(grid):
            return False
        if community is not None and not (
            len(community) == COMMUNITY_CODE_LENGTH and _digits(community)
        ):
            return False
        if self.role is Role.GRID_WORKER:
            if grid is not None:
                grid_community = grid[:COMMUNITY_CODE_LENGTH]
                if grid not in self.grids and grid_community not in self.grids:
                    return False
                return community in (None, grid_community) or community in self.grids
            return community in self.grids
        if self.role in _UNIT_ROLES and self.unit_code:
            prefix = area_prefix(self.unit_code)
            return all(code.startswith(prefix) for code in (grid, community) if code is not None)
        return False

    def sees_unit(self, unit_code: str) -> bool:
        """Whether this caller may see (and, by its role, act on) the work of unit `unit_code`.

        Operator and bridge: every unit. Dispatcher: its own unit only. Verifier: its own unit
        and every unit inside it. Grid worker: none (it follows its own reports by event id).
        The API answers a unit it may not see exactly as it answers an unknown one, so that a
        403 never tells whether another unit's incident exists.
        """
        if self.role in _CITY_WIDE:
            return True
        if self.unit_code is None:
            return False
        if self.role is Role.DISPATCHER:
            return unit_code == self.unit_code
        if self.role is Role.VERIFIER:
            return unit_code.startswith(area_prefix(self.unit_code))
        return False


def _a(role: Role) -> str:
    return f"{'an' if role is Role.OPERATOR else 'a'} {role}"


def _is_grid_code(code: str) -> bool:
    try:
        parse_grid_code(code)
    except InvalidGridCode:
        return False
    return True


# --- scope checks --------------------------------------------------------------------------


def check_scope(
    name: str,
    role: Role,
    unit_code: str | None,
    grids: Iterable[str],
    rate_per_minute: int,
) -> tuple[str, str | None, frozenset[str]]:
    """Check that a token's name, unit, grids and rate fit its role and are well formed; return
    the name, unit code and grids cleaned of surrounding space. Raises `TokenScopeError` naming
    what is wrong.

    Only the form of the codes is checked; whether they exist in the organisation is the
    caller's job (the CLI checks them against `App.org`).
    """
    clean_name = name.strip()
    if not clean_name:
        raise TokenScopeError("a token needs a name saying who holds it (--name)")
    if len(clean_name) > NAME_MAX_LENGTH:
        raise TokenScopeError(
            f"token name has {len(clean_name)} characters; at most {NAME_MAX_LENGTH}"
        )
    if isinstance(rate_per_minute, bool) or not 1 <= rate_per_minute <= MAX_RATE_PER_MINUTE:
        raise TokenScopeError(
            f"rate {rate_per_minute} per minute: it must be at least 1 and at most "
            f"{MAX_RATE_PER_MINUTE:,}"
        )
    unit = (unit_code or "").strip() or None
    codes = frozenset(c.strip() for c in grids if c.strip())

    if role in _UNIT_ROLES:
        if unit is None:
            raise TokenScopeError(
                f"{_a(role)} token acts for a unit: give its division code (--unit)"
            )
    elif unit is not None:
        scope = {
            Role.GRID_WORKER: "its grids (--grid), not by a unit",
            Role.OPERATOR: "the whole city",
            Role.BRIDGE: "the whole city",
        }[role]
        raise TokenScopeError(f"{_a(role)} token is scoped by {scope}; leave out the unit code")
    if unit is not None and not (len(unit) in UNIT_CODE_LENGTHS and _digits(unit)):
        raise TokenScopeError(
            f"unit code {unit!r} is not a division code: 6 digits for a district (or the "
            "city), 9 for a street or town, 12 for a community or village"
        )

    if role is Role.GRID_WORKER:
        if not codes:
            raise TokenScopeError(
                "a grid_worker token needs at least one grid (15 digits) or community "
                "(12 digits) code (--grid)"
            )
    elif codes:
        raise TokenScopeError(
            f"only grid_worker tokens are assigned grids; {_a(role)} token's scope is "
            + ("its unit" if role in _UNIT_ROLES else "the whole city")
        )
    for code in sorted(codes):
        if len(code) == COMMUNITY_CODE_LENGTH and _digits(code):
            continue
        if len(code) == GRID_CODE_LENGTH:
            try:
                parse_grid_code(code)
            except InvalidGridCode as exc:
                raise TokenScopeError(str(exc)) from None
            continue
        raise TokenScopeError(
            f"{code!r} is neither a grid code (15 digits) nor a community code (12 digits)"
        )
    return clean_name, unit, codes


# --- tokens --------------------------------------------------------------------------------

TOKEN_SCHEME: Final = "grt"
PREFIX_LENGTH: Final = 8
SECRET_BYTES: Final = 32
SECRET_LENGTH: Final = 43
"""`secrets.token_urlsafe(32)`: 32 bytes in unpadded URL-safe base64."""

_TOKEN_RE: Final = re.compile(
    rf"{TOKEN_SCHEME}_(?P<prefix>[0-9a-f]{{{PREFIX_LENGTH}}})_[A-Za-z0-9_-]{{{SECRET_LENGTH}}}"
)


def new_prefix() -> str:
    """A fresh prefix: 8 lowercase hex digits."""
    return secrets.token_hex(PREFIX_LENGTH // 2)


def new_token(prefix: str | None = None) -> tuple[str, str]:
    """A fresh token, as (prefix, token): `grt_<prefix>_<secret>`."""
    prefix = prefix or new_prefix()
    token = f"{TOKEN_SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    if parse_prefix(token) != prefix:  # pragma: no cover - a wrong prefix argument
        raise ValueError(f"prefix {prefix!r} is not {PREFIX_LENGTH} lowercase hex digits")
    return prefix, token


def parse_prefix(token: str) -> str | None:
    """The prefix of a well-formed token, or None if `token` is not one."""
    match = _TOKEN_RE.fullmatch(token)
    return match.group("prefix") if match else None


def hash_token(token: str) -> str:
    """The SHA-256 of the whole token, as 64 hex digits: what the database stores.

    A fast hash is right here, unlike for passwords. Password hashes are slow (bcrypt, scrypt,
    Argon2) because passwords are guessable: a slow hash makes trying a dictionary against a
    stolen table expensive. A token's secret is 256 random bits; no dictionary helps, and
    trying 2^256 values is impossible at any hash speed. A slow hash would only make every API
    request pay tens of milliseconds of CPU and invite denial of service.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
