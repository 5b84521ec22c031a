"""Serving the HTTP API in one process or several (`grid-router api --workers N`).

With several, uvicorn's supervisor binds the port once and starts N worker processes that
accept on it; each builds its own application from the same settings (`worker_app`) and the
supervisor restarts one that dies. What must hold across them does, because it is in the
database: tokens, idempotency keys, reminders, and (`GRID_API_SHARED_LIMITS`, turned on here)
the rate-limit and failed-authentication counters (`adapters/db/limits.py`; a worker takes a
token's requests from the database in leased blocks and reads the failures only for addresses
and prefixes that failed lately). Each worker holds its own Kafka producer and live feed.
"""

from __future__ import annotations

import atexit
import gc
import os
from typing import Final

from fastapi import FastAPI

from grid_router.exceptions import ConfigurationError

_VERBOSE: Final = "GRID_API_WORKER_VERBOSE"
"""How the supervisor tells its workers about `--verbose` (they are fresh interpreters)."""


def freeze_heap() -> None:
    """Move what exists now (the organisation, the policy, the application: it lives as long
    as the process) out of the collector's sight; otherwise each full collection under load
    walks it all and stops every request for about 100 ms (docs/benchmarks.md, HTTP API)."""
    gc.collect()
    gc.freeze()


def worker_app() -> FastAPI:
    """The application of one worker process (uvicorn calls this in each, `factory=True`)."""
    from grid_router.adapters.logs import setup_logging
    from grid_router.bootstrap import App
    from grid_router.entrypoints.api.app import serve_metrics_at
    from grid_router.settings import Settings

    settings = Settings()
    setup_logging(settings.log_format, os.environ.get(_VERBOSE) == "1")
    app = App(settings)
    atexit.register(app.close)
    served = app.api()
    serve_metrics_at(served, app.metrics.registry)
    freeze_heap()
    return served


def serve_workers(host: str, port: int, workers: int, verbose: bool) -> None:
    """Serve the API with `workers` processes on one port until SIGTERM or Ctrl-C."""
    import uvicorn

    if os.environ.get("GRID_METRICS_PORT"):
        raise ConfigurationError(
            "GRID_METRICS_PORT is set, but with --workers above 1 each worker would need a "
            "port of its own: unset it (each worker then answers /metrics on the API's port)"
        )
    os.environ[_VERBOSE] = "1" if verbose else "0"
    # The workers read their settings afresh: count the limits where all of them see them.
    os.environ["GRID_API_SHARED_LIMITS"] = "true"
    uvicorn.run(
        f"{__name__}:worker_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info" if verbose else "warning",
        # Our own access log line carries the token prefix; uvicorn's would repeat it.
        access_log=False,
    )
