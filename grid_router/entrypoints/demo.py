"""`grid-router demo` (what `make run` runs): the city in a box, on embedded defaults.

Starts or reuses the local Kafka broker, creates the topics, migrates the SQLite database, runs
the router, SLA scheduler, outbox relay, bridges, HTTP API and the reference far sides (12345
hotline, 数字城管, public safety), and simulates Xiamen on a drill clock: grid workers reporting
from real communities, hotline tickets, dispatch centres that sign most work orders in time and
miss some (so the SLA clocks escalate them), and a typhoon. The package `grid_router.demo` does
the work; this module is the command's entry.
"""

from __future__ import annotations

from rich.console import Console

from grid_router.demo.runner import DemoOptions, run


def run_demo(console: Console, options: DemoOptions | None = None) -> int:
    """Run the demo; returns the exit status (0: ended and stopped cleanly, Ctrl-C included)."""
    return run(options or DemoOptions(), console)
