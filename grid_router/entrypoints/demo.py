"""`grid-router demo`: the city in a box, on embedded defaults.

Starts (or reuses) the local Kafka broker, creates the topics, migrates the SQLite database,
runs the router, submits the bundled sample reports from Xiamen's grids and the 12345 hotline,
and shows the work orders as each unit's dispatch queue receives them from Kafka.
"""

from __future__ import annotations

import json
import os
import threading
import time
from importlib import resources

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import incidents, outbox
from grid_router.adapters.kafka.admin import create_topics
from grid_router.adapters.kafka.queue import follow_unit_queue
from grid_router.bootstrap import App
from grid_router.entrypoints.contracts import ReportSubmission
from grid_router.exceptions import GridRouterError
from grid_router.service.intake import ReportIntake


def sample_submissions() -> list[ReportSubmission]:
    text = resources.files("grid_router.data").joinpath("sample-reports.jsonl").read_text("utf-8")
    return [ReportSubmission.model_validate(json.loads(line)) for line in text.splitlines() if line]


def run_demo(console: Console, timeout: float = 120.0) -> None:
    a = App()
    s = a.settings
    if "GRID_KAFKA_BOOTSTRAP" not in os.environ:
        from grid_router.adapters.kafka.launcher import LocalKafka

        console.print(
            "[bold]1.[/bold] starting the local Kafka broker (first run fetches its jars)…"
        )
        broker = LocalKafka(
            cache_dir=s.kafka_cache_dir, data_dir=s.kafka_data_dir, port=s.kafka_port
        )
        broker.start()
        st = broker.status()
        console.print(f"   Kafka {st.version} on {st.bootstrap}, log {st.log_file}")
    else:
        console.print(f"[bold]1.[/bold] using your Kafka at {s.kafka_bootstrap}")
    created = create_topics(s.kafka_bootstrap, a.topics, s.partitions)
    console.print(
        f"[bold]2.[/bold] topics ready ({len(created)} created, {len(a.topics.all())} in all)"
    )
    upgrade(a.engine)
    console.print(f"[bold]3.[/bold] database migrated: {a.engine.url}")

    worker = a.router_worker()
    thread = threading.Thread(target=worker.run, name="router", daemon=True)
    thread.start()
    console.print("[bold]4.[/bold] router running; submitting the sample reports…")
    try:
        intake = ReportIntake(a.producer(), a.codec, a.topics)
        ids = [intake.submit(sub.to_report(a.clock())) for sub in sample_submissions()]
        _wait_routed(a, ids, timeout)
        _show(console, a, ids)
    finally:
        worker.stop()
        thread.join(timeout=30)
        a.close()
    console.print(
        "\nThe broker keeps running for you: follow a queue with "
        "[bold]grid-router queue --unit CODE[/bold]; "
        "stop it with [bold]grid-router kafka stop[/bold]."
    )


def _wait_routed(a: App, ids: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with a.engine.connect() as conn:
            filed = conn.execute(
                select(incidents.c.event_id).where(incidents.c.event_id.in_(ids))
            ).all()
            unsent = conn.execute(select(outbox.c.id).where(outbox.c.event_id.in_(ids))).all()
        if len(filed) == len(ids) and not unsent:
            return
        time.sleep(0.2)
    raise GridRouterError(
        f"the sample reports were not all routed within {timeout:.0f}s; see the router log above"
    )


def _show(console: Console, a: App, ids: list[str]) -> None:
    with a.engine.connect() as conn:
        rows = conn.execute(
            select(incidents).where(incidents.c.event_id.in_(ids)).order_by(incidents.c.filed_at)
        ).all()
    table = Table(title="Filed and dispatched", show_lines=False)
    for col in ("event", "category", "grade", "level", "unit · department", "located by", "state"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r.event_id[:8],
            r.category_name,
            r.severity,
            r.level,
            f"{r.unit_name} · {r.department or '-'}",
            r.locate_method,
            # A sample that repeats an incident still open from an earlier run merges into it.
            f"MERGED into {r.merged_into[:8]}" if r.merged_into else r.state,
        )
    console.print(table)
    console.print("\n[bold]5.[/bold] what each unit's dispatch queue on Kafka now holds:")
    wanted = set(ids)
    for unit_code in sorted({r.unit_code for r in rows}):
        unit = a.org.unit(unit_code)
        for wo in follow_unit_queue(
            a.settings.kafka_bootstrap,
            a.topics.dispatch(unit.level),
            unit_code,
            a.codec,
            idle_timeout=1.0,
        ):
            if wo.event_id in wanted:
                console.print(
                    f"   {a.topics.dispatch(unit.level)} [{unit_code} {unit.name} · "
                    f"{wo.department}] {wo.event_id[:8]} {wo.kind} {wo.category_name} "
                    f"{wo.severity} {wo.reason}: {wo.description[:40]}",
                    highlight=False,
                )
