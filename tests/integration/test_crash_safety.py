"""Crash safety: 10,000 reports in flight, the router killed with SIGKILL at a seeded random
moment mid-stream (some filed, some not yet) and restarted. Every report must come out as
exactly one work order (by event id and version). The seed is printed (GRID_CRASH_SEED replays
it) and the test asserts that the kill did land mid-stream."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from grid_router.adapters.db.tables import incidents, outbox
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from tests.integration.kafka_helpers import make_app, read_all

N_REPORTS = 10_000


def _produce(app: App, n: int) -> set[str]:
    from grid_router.domain.model import IncidentReport, Reporter
    from grid_router.service.intake import report_key

    producer = app.producer()
    ids: set[str] = set()
    now = datetime.now(UTC)
    # Every report in a grid of its own: repeats would merge, and this test is about delivery.
    communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
    for i in range(n):
        community = communities[i % len(communities)]
        report = IncidentReport(
            event_id=str(uuid.uuid4()),
            reported_at=now,
            source="GRID_APP",
            reporter=Reporter(id=f"GW-{i % 50}"),
            description=f"第{i}号巡查：小区门口垃圾满溢，无人清运",
            category_code="CITY_MGMT",
            # Every 97th report has an address only, every 101st nothing at all.
            grid_code=(
                None
                if i % 97 == 0 or i % 101 == 0
                else f"{community}{i // len(communities) + 1:03d}"
            ),
            address="湖里区殿前街道高殿社区" if i % 97 == 0 else None,
        )
        producer.send(
            app.topics.reports, key=report_key(report), value=app.codec.encode_report(report)
        )
        ids.add(report.event_id)
    producer.flush(timeout=120)
    return ids


def _start_router(app: App, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "GRID_KAFKA_BOOTSTRAP": app.settings.kafka_bootstrap,
        "GRID_DATABASE_URL": app.settings.database_url,
        "GRID_TOPIC_PREFIX": app.settings.topic_prefix,
        "GRID_METRICS_PORT": "0",
        "GRID_CONSUMER_GROUP": app.settings.consumer_group,
        "GRID_BATCH_SIZE": "500",
    }
    with log.open("ab") as fh:
        return subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
        )


def _filed(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(incidents)).scalar_one())


def _pending(app: App) -> int:
    with app.engine.connect() as conn:
        stmt = select(func.count()).select_from(outbox)
        return int(conn.execute(stmt).scalar_one())


def _wait(condition: object, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; router log:\n{log.read_text()[-3000:]}")


def test_sigkill_mid_stream_loses_nothing_and_repeats_nothing_undroppable(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = make_app(kafka_bootstrap, database_url, topic_prefix)
    log = tmp_path / "router.log"
    seed = int(os.environ.get("GRID_CRASH_SEED") or random.SystemRandom().randrange(2**32))
    print(f"crash test seed {seed} (GRID_CRASH_SEED={seed} replays the kill point)")
    kill_after = random.Random(seed).randint(N_REPORTS // 10, N_REPORTS * 7 // 10)

    router = _start_router(app, log)
    ids = _produce(app, N_REPORTS)
    _wait(lambda: _filed(app) >= kill_after, 180, f"{kill_after} filed", log)
    router.send_signal(signal.SIGKILL)
    router.wait(timeout=30)
    filed_at_kill, pending_at_kill = _filed(app), _pending(app)
    # What this test is about: a kill in the middle of the stream, not before it or after it.
    assert kill_after <= filed_at_kill < N_REPORTS, (
        f"seed {seed}: the kill did not land mid-stream ({filed_at_kill} of {N_REPORTS} filed)"
    )

    router = _start_router(app, log)
    _wait(lambda: _filed(app) == N_REPORTS and _pending(app) == 0, 300, "all filed and sent", log)
    router.send_signal(signal.SIGTERM)
    assert router.wait(timeout=60) == 0, log.read_text()[-3000:]

    work_orders: dict[str, set[int]] = defaultdict(set)
    raw = 0
    for level in Level:
        for rec in read_all(kafka_bootstrap, app.topics.dispatch(level)):
            wo = app.codec.decode_work_order(rec.value)
            work_orders[wo.event_id].add(wo.version)
            raw += 1
    print(
        f"seed {seed}: killed after {filed_at_kill} filed with {pending_at_kill} unsent; "
        f"{raw} work-order messages for {len(work_orders)} events "
        f"({raw - len(work_orders)} repeats to drop by (event id, version))"
    )
    assert set(work_orders) == ids, f"{len(ids - set(work_orders))} reports lost"
    assert all(len(versions) == 1 for versions in work_orders.values())
    assert _filed(app) == N_REPORTS
    app.close()
