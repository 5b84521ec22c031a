"""The chaos drill, short (issue 15 §2; the long run is `bench/chaos.py`, its figures in
docs/reliability.md): reports and signings flow while the router (with its relay) is SIGKILLed
five times at seeded moments, and the hotline's and 数字城管's far side is down for ten minutes of
drill time, on SQLite and on PostgreSQL (a private cluster). Then every report has exactly one
lead work order in the database and on Kafka, every signing was applied once, every bridge
delivery arrived once per idempotency key. The seed is printed; GRID_CHAOS_SEED replays it.

Neither the broker nor PostgreSQL is stopped here: the broker's restart alone takes half a
minute on the shared machine (the bench kills it), and PostgreSQL's outage has a test of its own
(tests/integration/test_database_outage.py; the bench stops it too). The drill's code is the
bench's (`tests/chaos/`).
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from grid_router.adapters.kafka.launcher import LocalKafka
from tests.chaos.checks import run_drill
from tests.chaos.drill import DrillConfig
from tests.chaos.postgres import PrivatePostgres


@pytest.fixture(params=["sqlite", "postgres"])
def chaos_db(request: pytest.FixtureRequest) -> Iterator[tuple[str, PrivatePostgres | None]]:
    if request.param == "sqlite":
        yield "sqlite", None
        return
    with PrivatePostgres() as pg:
        yield "postgres", pg


@pytest.mark.timeout(300)
def test_short_chaos_drill_loses_nothing_and_doubles_nothing(
    local_kafka: LocalKafka,
    kafka_bootstrap: str,
    chaos_db: tuple[str, PrivatePostgres | None],
    tmp_path: Path,
) -> None:
    db, postgres = chaos_db
    seed = int(os.environ.get("GRID_CHAOS_SEED") or random.SystemRandom().randrange(2**31))
    print(f"chaos drill on {db}, seed {seed} (GRID_CHAOS_SEED={seed} replays it)")
    config = DrillConfig(
        db="sqlite" if db == "sqlite" else "postgres",
        reports=150,
        kills=5,
        seed=seed,
        workdir=tmp_path,
        rate=10.0,  # a 15 s stream: a kill every 3 s, each once the router is up again
        scale=120.0,  # ten minutes of drill time are five seconds
        far_side_outage=timedelta(minutes=10),
        broker_kill=False,
        postgres_outage=0,  # tests/integration/test_database_outage.py stops PostgreSQL
        settle_timeout=120.0,
    )
    result = run_drill(config, local_kafka, postgres)
    print(result.line())
    assert result.passed, result.problems
    assert result.figures["router_kills_mid_stream"] >= 5
