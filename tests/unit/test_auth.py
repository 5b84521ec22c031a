"""API tokens and roles (service/auth.py): the token format, hashing, and what each role's
principal may report, see and act as."""

from __future__ import annotations

import hashlib
import re

import pytest

from grid_router.service.auth import (
    Principal,
    Role,
    TokenScopeError,
    check_scope,
    hash_token,
    new_token,
    parse_prefix,
)

COMMUNITY = "350206002008"  # 高殿社区, 殿前街道, 湖里区
GRID = COMMUNITY + "005"
OTHER_GRID_SAME_COMMUNITY = COMMUNITY + "006"
NEIGHBOUR_COMMUNITY = "350206002007"
STREET = COMMUNITY[:9]
DISTRICT = COMMUNITY[:6]
OTHER_DISTRICT = "350203"  # 思明区
OTHER_DISTRICT_GRID = "350203001001001"


def principal(
    role: Role, unit_code: str | None = None, grids: frozenset[str] = frozenset()
) -> Principal:
    return Principal(
        token_id="t-1",
        prefix="0123abcd",
        name="test",
        role=role,
        unit_code=unit_code,
        grids=grids,
        rate_per_minute=60,
    )


# --- token format ----------------------------------------------------------------------------


def test_a_new_token_is_scheme_prefix_and_a_43_character_secret() -> None:
    prefix, token = new_token()
    assert re.fullmatch(r"[0-9a-f]{8}", prefix)
    scheme, token_prefix, secret = token.split("_", 2)
    assert (scheme, token_prefix) == ("grt", prefix)
    assert len(secret) == 43
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", secret)
    assert parse_prefix(token) == prefix


def test_tokens_and_prefixes_do_not_repeat() -> None:
    tokens = [new_token()[1] for _ in range(200)]
    assert len(set(tokens)) == 200
    assert len({parse_prefix(t) for t in tokens}) == 200


@pytest.mark.parametrize(
    "text",
    [
        "",
        "grt_",
        "grt_0123abcd",
        "grt_0123abcd_",
        "grt_0123ABCD_" + "a" * 43,  # the prefix is lowercase
        "grt_0123abc_" + "a" * 43,  # 7 hex digits
        "grt_0123abcg_" + "a" * 43,  # not hex
        "grt_0123abcd_" + "a" * 42,  # secret too short
        "grt_0123abcd_" + "a" * 44,  # secret too long
        "grt_0123abcd_" + "a" * 42 + "=",  # padding is not URL-safe base64 as issued
        "xyz_0123abcd_" + "a" * 43,
        "Bearer grt_0123abcd_" + "a" * 43,
        "grt_0123abcd_" + "a" * 43 + "\n",
    ],
)
def test_malformed_tokens_have_no_prefix(text: str) -> None:
    assert parse_prefix(text) is None


def test_a_secret_may_contain_underscores_and_dashes() -> None:
    token = "grt_0123abcd_" + "_-" * 21 + "x"
    assert parse_prefix(token) == "0123abcd"


def test_the_hash_is_sha256_hex_of_the_whole_token() -> None:
    _, token = new_token()
    digest = hash_token(token)
    assert digest == hashlib.sha256(token.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert token.split("_", 2)[2] not in digest
    assert hash_token(token) == digest
    assert hash_token(token[:-1] + ("a" if token[-1] != "a" else "b")) != digest


# --- reporting -------------------------------------------------------------------------------

WORKER_BY_GRID = principal(Role.GRID_WORKER, grids=frozenset({GRID}))
WORKER_BY_COMMUNITY = principal(Role.GRID_WORKER, grids=frozenset({COMMUNITY}))


@pytest.mark.parametrize(
    ("who", "grid_code", "community_code", "allowed"),
    [
        # a grid worker assigned one grid
        (WORKER_BY_GRID, GRID, None, True),
        (WORKER_BY_GRID, GRID, COMMUNITY, True),  # the app sends both
        (WORKER_BY_GRID, f" {GRID} ", None, True),
        (WORKER_BY_GRID, OTHER_GRID_SAME_COMMUNITY, None, False),
        (WORKER_BY_GRID, None, COMMUNITY, False),  # the whole community is not theirs
        (WORKER_BY_GRID, GRID, NEIGHBOUR_COMMUNITY, False),  # the router could fall back to it
        (WORKER_BY_GRID, None, None, False),  # an address alone could be anywhere
        (WORKER_BY_GRID, "", "", False),
        # a grid worker assigned a whole community
        (WORKER_BY_COMMUNITY, GRID, None, True),
        (WORKER_BY_COMMUNITY, OTHER_GRID_SAME_COMMUNITY, COMMUNITY, True),
        (WORKER_BY_COMMUNITY, None, COMMUNITY, True),
        (WORKER_BY_COMMUNITY, NEIGHBOUR_COMMUNITY + "001", None, False),
        (WORKER_BY_COMMUNITY, None, NEIGHBOUR_COMMUNITY, False),
        (WORKER_BY_COMMUNITY, OTHER_DISTRICT_GRID, COMMUNITY, False),
        # malformed codes are refused: the router would ignore them and use the next input
        (WORKER_BY_COMMUNITY, COMMUNITY + "000", None, False),
        (WORKER_BY_COMMUNITY, COMMUNITY + "00x", None, False),
        (WORKER_BY_COMMUNITY, COMMUNITY + "００１", None, False),  # full-width digits
        (WORKER_BY_COMMUNITY, None, COMMUNITY + "1", False),
        # a dispatcher: within its unit's area
        (principal(Role.DISPATCHER, STREET), GRID, COMMUNITY, True),
        (principal(Role.DISPATCHER, STREET), None, COMMUNITY, True),
        (principal(Role.DISPATCHER, COMMUNITY), GRID, None, True),
        (principal(Role.DISPATCHER, STREET), OTHER_DISTRICT_GRID, None, False),
        (principal(Role.DISPATCHER, STREET), GRID, "350206003001", False),
        (principal(Role.DISPATCHER, STREET), None, None, False),
        # a verifier: within its unit's area; a city verifier anywhere in the city
        (principal(Role.VERIFIER, DISTRICT), GRID, None, True),
        (principal(Role.VERIFIER, DISTRICT), OTHER_DISTRICT_GRID, None, False),
        (principal(Role.VERIFIER, "350200"), OTHER_DISTRICT_GRID, None, True),
        (principal(Role.VERIFIER, "350200"), "350100001001001", None, False),
        # operators and bridges: anywhere, even with no codes (located by address)
        (principal(Role.OPERATOR), GRID, None, True),
        (principal(Role.OPERATOR), None, None, True),
        (principal(Role.BRIDGE), OTHER_DISTRICT_GRID, NEIGHBOUR_COMMUNITY, True),
        (principal(Role.BRIDGE), None, None, True),
    ],
)
def test_who_may_report_where(
    who: Principal, grid_code: str | None, community_code: str | None, allowed: bool
) -> None:
    assert who.may_report_at(grid_code, community_code) is allowed


# --- seeing units ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "unit_code", "sees"),
    [
        (principal(Role.DISPATCHER, STREET), STREET, True),
        (principal(Role.DISPATCHER, STREET), COMMUNITY, False),  # not even its communities
        (principal(Role.DISPATCHER, STREET), DISTRICT, False),
        (principal(Role.DISPATCHER, STREET), "350206003", False),
        (principal(Role.DISPATCHER, COMMUNITY), COMMUNITY, True),
        (principal(Role.DISPATCHER, COMMUNITY), NEIGHBOUR_COMMUNITY, False),
        (principal(Role.VERIFIER, STREET), STREET, True),
        (principal(Role.VERIFIER, STREET), COMMUNITY, True),
        (principal(Role.VERIFIER, STREET), NEIGHBOUR_COMMUNITY, True),
        (principal(Role.VERIFIER, STREET), DISTRICT, False),  # not the unit above
        (principal(Role.VERIFIER, STREET), "350206003", False),
        (principal(Role.VERIFIER, DISTRICT), COMMUNITY, True),
        (principal(Role.VERIFIER, DISTRICT), OTHER_DISTRICT, False),
        (principal(Role.VERIFIER, "350200"), OTHER_DISTRICT, True),
        (principal(Role.VERIFIER, "350200"), "350200", True),
        (principal(Role.OPERATOR), COMMUNITY, True),
        (principal(Role.OPERATOR), OTHER_DISTRICT, True),
        (principal(Role.BRIDGE), STREET, True),
        (WORKER_BY_COMMUNITY, COMMUNITY, False),
        (WORKER_BY_GRID, STREET, False),
    ],
)
def test_who_sees_which_unit(who: Principal, unit_code: str, sees: bool) -> None:
    assert who.sees_unit(unit_code) is sees


@pytest.mark.parametrize(
    ("role", "wire"),
    [
        (Role.GRID_WORKER, "grid_worker"),
        (Role.DISPATCHER, "dispatcher"),
        (Role.VERIFIER, "verifier"),
        (Role.OPERATOR, "supervisor"),
        (Role.BRIDGE, "system"),
    ],
)
def test_wire_roles(role: Role, wire: str) -> None:
    assert principal(role, STREET).wire_role == wire


def test_role_values_and_parsing() -> None:
    assert [r.value for r in Role] == [
        "grid_worker",
        "dispatcher",
        "verifier",
        "operator",
        "bridge",
    ]
    assert Role.parse(" Dispatcher ") is Role.DISPATCHER
    with pytest.raises(TokenScopeError, match="unknown role 'boss'; the roles are grid_worker"):
        Role.parse("boss")


def test_a_label_names_the_token_without_its_secret() -> None:
    assert principal(Role.DISPATCHER, STREET).label == "dispatcher:350206002/0123abcd"
    assert principal(Role.OPERATOR).label == "operator/0123abcd"


# --- scope checks ----------------------------------------------------------------------------


def test_a_valid_scope_is_returned_cleaned() -> None:
    assert check_scope(" 网格员 ", Role.GRID_WORKER, None, [f" {GRID}", COMMUNITY, GRID], 60) == (
        "网格员",
        None,
        frozenset({GRID, COMMUNITY}),
    )
    assert check_scope("d", Role.DISPATCHER, f"{STREET} ", (), 1) == ("d", STREET, frozenset())
    assert check_scope("op", Role.OPERATOR, None, (), 600) == ("op", None, frozenset())


@pytest.mark.parametrize(
    ("name", "role", "unit", "grids", "rate", "message"),
    [
        ("d", Role.DISPATCHER, None, (), 60, "dispatcher token acts for a unit"),
        ("v", Role.VERIFIER, "  ", (), 60, "verifier token acts for a unit"),
        ("w", Role.GRID_WORKER, None, (), 60, "needs at least one grid"),
        ("w", Role.GRID_WORKER, STREET, (GRID,), 60, "scoped by its grids"),
        ("o", Role.OPERATOR, "350200", (), 60, "an operator token is scoped by the whole city"),
        ("b", Role.BRIDGE, None, (GRID,), 60, "only grid_worker tokens are assigned grids"),
        ("d", Role.DISPATCHER, STREET, (GRID,), 60, "only grid_worker tokens are assigned"),
        ("d", Role.DISPATCHER, "35020600", (), 60, "'35020600' is not a division code"),
        ("d", Role.DISPATCHER, "35020600200x", (), 60, "is not a division code"),
        ("w", Role.GRID_WORKER, None, (STREET,), 60, "neither a grid code"),
        ("w", Role.GRID_WORKER, None, (COMMUNITY + "000",), 60, "grid numbers run from 001"),
        ("w", Role.GRID_WORKER, None, ("35020600200800x",), 60, "other than the digits"),
        ("", Role.OPERATOR, None, (), 60, "needs a name"),
        ("x" * 129, Role.OPERATOR, None, (), 60, "at most 128"),
        ("o", Role.OPERATOR, None, (), 0, "at least 1"),
        ("o", Role.OPERATOR, None, (), 1_000_001, "at most 1,000,000"),
    ],
)
def test_scopes_that_do_not_fit_are_refused_with_the_reason(
    name: str, role: Role, unit: str | None, grids: tuple[str, ...], rate: int, message: str
) -> None:
    with pytest.raises(TokenScopeError, match=re.escape(message)):
        check_scope(name, role, unit, grids, rate)
