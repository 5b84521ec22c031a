"""`grid-router bridges serve-reference`: the reference far sides of the bridges (the 12345
hotline, 数字城管, the public-safety platform) on one HTTP server, for development and tests
(docs/bridges.md, "Reference servers"). Needs neither Kafka nor a database."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

bridges_app = typer.Typer(
    help="The bridges to 12345, 数字城管 and the public-safety platform.",
    no_args_is_help=True,
)

log = logging.getLogger(__name__)


def development_secret(far_side: str) -> str:
    """The secret a far side uses when its environment variable is not set (development only)."""
    return f"dev-secret-{far_side}"


def reference_secrets() -> dict[str, str]:
    """Each far side's secret, from the environment variables the policy names; a missing one
    is a development secret, with a warning."""
    from grid_router.bridges_reference import FAR_SIDES, SECRET_ENV

    secrets: dict[str, str] = {}
    for far_side in FAR_SIDES:
        env = SECRET_ENV[far_side]
        value = os.environ.get(env, "")
        if not value:
            value = development_secret(far_side)
            log.warning(
                "%s is not set: the reference %s uses the development secret %r; set the same "
                "on grid_router's side",
                env,
                far_side,
                value,
            )
        secrets[far_side] = value
    return secrets


@bridges_app.command("serve-reference")
def serve_reference(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 18300,
    grid_router_url: Annotated[
        str,
        typer.Option(help="grid_router's API base URL, for /_control/send/… (its webhooks)"),
    ] = "http://127.0.0.1:8080",
    record: Annotated[
        Path | None,
        typer.Option(help="append every accepted delivery to this JSON-lines file"),
    ] = None,
    grid_router_token: Annotated[
        str | None,
        typer.Option(
            envvar="GRID_REFERENCE_API_TOKEN",
            help="an API token sent as Authorization: Bearer to grid_router (not needed by its "
            "webhooks)",
        ),
    ] = None,
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="accept any JSON object as a payload (a policy whose payloads differ from the "
            "bundled one's); signatures and idempotency keys are still checked",
        ),
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Play the far sides of every bridge (/hotline, /citymgmt, /public-safety) until Ctrl-C.

    Secrets come from GRID_BRIDGE_HOTLINE_SECRET, GRID_BRIDGE_CITYMGMT_SECRET and
    GRID_BRIDGE_PUBLIC_SAFETY_SECRET. Point grid_router at it with
    GRID_BRIDGE_HOTLINE_URL=http://HOST:PORT/hotline (likewise /citymgmt, /public-safety).
    """
    from grid_router.bridges_reference import URL_ENV, create_reference_app, serve

    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    app = create_reference_app(
        reference_secrets(),
        grid_router_url,
        record,
        grid_router_token=grid_router_token,
        strict=not lenient,
    )
    base = f"http://{host}:{port}"
    for far_side, env in URL_ENV.items():
        log.info("%s=%s/%s", env, base, far_side)
    log.info("control API: %s/_control/ (grid_router: %s)", base, grid_router_url)
    serve(app, host, port, verbose)
