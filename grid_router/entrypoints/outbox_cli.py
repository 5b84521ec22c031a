"""`grid-router outbox list|retry`: bridge deliveries waiting, failing or parked."""

from __future__ import annotations

from typing import Annotated

import typer

outbox_app = typer.Typer(
    help="Bridge deliveries in the outbox: list what waits or is parked, retry parked ones.",
    no_args_is_help=True,
)


@outbox_app.command("list")
def outbox_list(
    bridge: Annotated[str | None, typer.Option(help="only this bridge")] = None,
    parked: Annotated[bool, typer.Option("--parked", help="only parked deliveries")] = False,
) -> None:
    """Deliveries not yet accepted by their bridge: attempts, last error, next attempt."""
    from rich.table import Table

    from grid_router.adapters.db.deliveries import PARKED, SqlDeliveries
    from grid_router.entrypoints.cli import _app, out

    a = _app()
    store = SqlDeliveries(a.engine)
    rows = store.rows(bridge, PARKED if parked else None)
    table = Table("id", "bridge", "idempotency key", "status", "attempts", "next attempt",
                  "last error")  # fmt: skip
    for r in rows:
        table.add_row(
            str(r.id),
            r.bridge,
            r.key,
            r.status,
            str(r.attempts),
            f"{r.next_attempt_at:%Y-%m-%d %H:%M:%S}" if r.next_attempt_at else "now",
            (r.last_error or "")[:80],
        )
    out.print(table)
    counts = store.counts()
    summary = ", ".join(f"{b} {s}: {n}" for (b, s), n in sorted(counts.items())) or "none"
    out.print(f"{len(rows)} deliveries shown; all: {summary}", highlight=False)
    a.close()


@outbox_app.command("retry")
def outbox_retry(
    ids: Annotated[list[int] | None, typer.Argument(help="ids of parked deliveries")] = None,
    bridge: Annotated[str | None, typer.Option(help="every parked delivery of this bridge")] = None,
    retry_all: Annotated[bool, typer.Option("--all", help="every parked delivery")] = False,
) -> None:
    """Put parked deliveries back in line, attempts reset; the running router sends them."""
    from grid_router.adapters.db.deliveries import SqlDeliveries
    from grid_router.entrypoints.cli import _app, out
    from grid_router.exceptions import GridRouterError

    if not (ids or bridge or retry_all):
        raise GridRouterError("say which: delivery ids, --bridge NAME, or --all")
    a = _app()
    n = SqlDeliveries(a.engine).retry(ids or (), bridge)
    out.print(f"{n} parked deliveries back in line", highlight=False)
    a.close()
