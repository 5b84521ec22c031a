"""What the router benchmarks share: the broker, a fresh deployment's settings, a report."""

from __future__ import annotations

import os
import uuid
from datetime import datetime
from typing import Any

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.settings import Settings


def bench_broker(base: Settings) -> str:
    """GRID_KAFKA_BOOTSTRAP if set, else the local development broker (started if needed)."""
    os.environ.setdefault("GRID_METRICS_PORT", "0")  # the router's metrics on any free port
    if "GRID_KAFKA_BOOTSTRAP" in os.environ:
        return base.kafka_bootstrap
    from grid_router.adapters.kafka.launcher import LocalKafka

    return LocalKafka(base.kafka_cache_dir, base.kafka_data_dir, base.kafka_port).start()


def fresh_settings(base: Settings, bootstrap: str, url: str, prefix: str, **extra: Any) -> Settings:
    """Settings of a deployment of its own: migrated database `url`, topics under `prefix`."""
    upgrade(make_engine(url))
    return base.model_copy(
        update={
            "kafka_bootstrap": bootstrap,
            "database_url": url,
            "topic_prefix": prefix,
            "consumer_group": f"{prefix}router",
            **extra,
        }
    )


def street_report(i: int, community: str, grid: int, at: datetime) -> IncidentReport:
    """Report number `i`: a pavement stall in grid `grid` of `community` (a grid of its own
    per report: repeats in one grid would merge into one work order)."""
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=at,
        source="GRID_APP",
        reporter=Reporter(id=f"GW-{community}-{i % 20:02d}"),
        title="占道经营",
        description=f"第{i}号巡查：商铺在人行道上摆摊占道经营，影响行人通行，已劝离未果。",
        category_code="CITY_MGMT",
        grid_code=f"{community}{grid:03d}",
    )
