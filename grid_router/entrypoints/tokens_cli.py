"""`grid-router tokens create|list|revoke`: the API tokens (docs/api.md, "Tokens and roles").

These commands use the database and the organisation only; they never touch Kafka.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from grid_router.exceptions import GridRouterError

if TYPE_CHECKING:
    from grid_router.adapters.db.tokens import SqlTokenStore
    from grid_router.domain.org import Organisation

tokens_app = typer.Typer(
    help="API tokens of the HTTP API: create (shown once), list, revoke.",
    no_args_is_help=True,
)

_ROLES_HELP = (
    "grid_worker (reports in its --grid codes), dispatcher (a dispatch centre: its --unit's "
    "work orders), verifier (verifies and closes in its --unit's area), operator (city "
    "operations: everything), bridge (12345 / 数字城管 bridge)"
)


def _store(a: Any) -> SqlTokenStore:
    from sqlalchemy import inspect

    from grid_router.adapters.db.tokens import SqlTokenStore

    if not inspect(a.engine).has_table("api_tokens"):
        raise GridRouterError(
            f"the database {a.engine.url!r} has no token table yet: run `grid-router db upgrade`"
        )
    return SqlTokenStore(a.engine, a.clock)


def _check_codes(org: Organisation, unit: str | None, grids: list[str]) -> None:
    """Check that the unit and every grid or community code exist in the organisation."""
    from grid_router.domain.model import Level

    if unit is not None:
        org.unit(unit)
    for code in grids:
        if len(code) == Level.COMMUNITY.code_length:
            found = org.get(code)
            if found is None or found.level is not Level.COMMUNITY:
                what = f"is the {found.level.value} {found.name}" if found else "is not known"
                raise GridRouterError(
                    f"community code {code} {what}; give a community (12 digits) of "
                    f"{org.city.name} or one of its grid codes (15 digits)"
                )
        else:
            org.validate_grid_code(code)


@tokens_app.command("create")
def tokens_create(
    name: Annotated[str, typer.Option("--name", help="who holds the token (person or system)")],
    role: Annotated[str, typer.Option("--role", help=_ROLES_HELP)],
    unit: Annotated[
        str | None,
        typer.Option("--unit", help="division code of a dispatcher's or verifier's unit"),
    ] = None,
    grid: Annotated[
        list[str] | None,
        typer.Option(
            "--grid",
            help="a grid worker's grid (15 digits) or whole community (12 digits); repeatable",
        ),
    ] = None,
    rate: Annotated[int, typer.Option("--rate", help="requests per minute allowed")] = 600,
) -> None:
    """Create a token and print it ONCE: only its hash is stored, so it cannot be shown again."""
    from grid_router.entrypoints.cli import _app, err, out
    from grid_router.service.auth import Role, check_scope

    parsed = Role.parse(role)
    # Form first (clear messages about lengths and roles), then existence in the organisation.
    _, clean_unit, codes = check_scope(name, parsed, unit, grid or (), rate)
    a = _app()
    try:
        _check_codes(a.org, clean_unit, sorted(codes))
        principal, token = _store(a).create(name, parsed, clean_unit, codes, rate)
    finally:
        a.close()
    # The token alone on stdout, so that `TOKEN=$(grid-router tokens create …)` captures it.
    out.print(token, highlight=False, soft_wrap=True)
    scope = principal.unit_code or ", ".join(sorted(principal.grids)) or "the whole city"
    err.print(
        f"created token {principal.prefix} for {principal.name} ({principal.role}, {scope}, "
        f"{principal.rate_per_minute}/min). Copy the token now: it will not be shown again. "
        f"Revoke it with `grid-router tokens revoke {principal.prefix}`.",
        highlight=False,
        soft_wrap=True,
    )


def _when(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M}" if at is not None else "-"


def _grids(codes: tuple[str, ...], shown: int = 3) -> str:
    if len(codes) <= shown:
        return "\n".join(codes) or "-"
    return "\n".join(codes[:shown]) + f"\n(+{len(codes) - shown} more)"


@tokens_app.command("list")
def tokens_list() -> None:
    """Show every token (revoked ones too) by prefix; never the token or its hash."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    from grid_router.entrypoints.cli import _app, out

    a = _app()
    try:
        infos = _store(a).list()
    finally:
        a.close()
    if not infos:
        out.print("no API tokens: create one with `grid-router tokens create`")
        return
    table = Table(title="API tokens (times in UTC)", box=box.SIMPLE_HEAD)
    table.add_column("prefix", no_wrap=True, min_width=8)
    for column in ("name", "role", "unit", "grids", "rate/min", "created", "last used", "revoked"):
        table.add_column(column, overflow="fold")
    for info in infos:
        table.add_row(
            info.prefix,
            info.name,
            str(info.role),
            info.unit_code or "-",
            _grids(info.grids),
            str(info.rate_per_minute),
            _when(info.created_at),
            _when(info.last_used_at),
            _when(info.revoked_at),
            style="dim" if info.revoked else None,
        )
    # Piped into a file or grep, rows stay whole rather than squeezed into 80 columns.
    console = out if out.is_terminal else Console(width=200)
    console.print(table, highlight=False)


@tokens_app.command("revoke")
def tokens_revoke(
    prefix: Annotated[str, typer.Argument(help="the token's prefix (see `tokens list`)")],
) -> None:
    """Revoke a token; the API stops accepting it within 5 seconds."""
    from grid_router.adapters.db.tokens import CACHE_TTL
    from grid_router.entrypoints.cli import _app, out
    from grid_router.service.auth import parse_prefix

    # A whole token pasted by mistake is taken by its prefix (and not echoed back).
    wanted = parse_prefix(prefix.strip()) or prefix.strip().lower()
    a = _app()
    try:
        store = _store(a)
        revoked = store.revoke(wanted)
        info = next((t for t in store.list() if t.prefix == wanted), None)
    finally:
        a.close()
    if info is None:
        raise GridRouterError(f"no API token has prefix {wanted!r}; see `grid-router tokens list`")
    if not revoked:
        out.print(
            f"token {wanted} ({info.name}) was already revoked at {_when(info.revoked_at)} UTC",
            highlight=False,
        )
        return
    out.print(
        f"revoked token {wanted} ({info.name}); the API stops accepting it within "
        f"{CACHE_TTL.total_seconds():g} s",
        highlight=False,
    )
