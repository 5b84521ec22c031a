"""Log set-up for every process: readable lines by default, one JSON object per line with
`GRID_LOG_FORMAT=json` (for Loki, Elasticsearch or `jq`).

The router logs one line per event it files or changes, with `event_id` and `action` as fields
(see `service.worker`). Nothing personal is ever logged: no reporter, no description, no
address; only codes, levels and states.
"""

from __future__ import annotations

import logging
import sys
from typing import Literal, TextIO

from pythonjsonlogger.json import JsonFormatter

LogFormat = Literal["text", "json"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def json_formatter() -> logging.Formatter:
    """Fields: time (ISO 8601, UTC), level, logger, message, and every `extra` given."""
    return JsonFormatter(
        "%(asctime)s %(levelname)s %(name)s %(message)s",
        rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        datefmt="%Y-%m-%dT%H:%M:%S%z",
        json_ensure_ascii=False,
    )


def setup_logging(
    fmt: LogFormat = "text", verbose: bool = False, stream: TextIO | None = None
) -> None:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    # kafka-python is chatty at INFO (every connection and rebalance step), and while the broker
    # is away it logs every reconnection try, some with a traceback: an outage is said once by
    # the broker notice instead (grid_router.adapters.kafka.outage), and whatever else goes
    # wrong reaches grid_router as an exception. `--verbose` shows its warnings again.
    logging.getLogger("kafka").setLevel(logging.WARNING if verbose else logging.CRITICAL)
    logging.getLogger("alembic").setLevel(logging.WARNING)
