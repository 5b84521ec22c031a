"""Settings from the environment (DESIGN §7). Read once, at the wiring point."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from grid_router.shipped import SCHEMAS_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_cache_dir() -> Path:
    """Where downloaded artefacts (Kafka's jars) are cached, outside the repository."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "grid-router"


def default_data_dir() -> Path:
    """Where the local development broker keeps its log segments."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "grid-router"


class Settings(BaseSettings):
    """Every setting of grid_router, from `GRID_*` environment variables."""

    model_config = SettingsConfigDict(env_prefix="GRID_", extra="ignore")

    kafka_bootstrap: str = Field(default="127.0.0.1:9092", description="Kafka bootstrap servers")
    database_url: str = Field(
        default="sqlite:///grid_router.db", description="SQLAlchemy URL; a SQLite file by default"
    )
    policy: Path | None = Field(default=None, description="routing/SLA/taxonomy policy file")
    api_host: str = Field(default="127.0.0.1", description="address the HTTP API listens on")
    api_port: int = 8080
    api_workers: int = Field(
        default=1,
        ge=1,
        description="processes serving the HTTP API on its port (`grid-router api --workers`); "
        "above 1, rate limits are counted in the database (api_shared_limits), so they hold "
        "across them",
    )
    api_shared_limits: bool = Field(
        default=False,
        description="count per-token rate limits and failed authentications in the database, "
        "so that they hold across API processes (on by itself with more than one worker; turn "
        "it on for several API hosts or replicas on one database); off: in each process",
    )
    photo_dir: Path = Field(
        default=Path("photos"), description="where uploaded photos are stored (local disk)"
    )
    max_photo_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, description="per photo")
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, description="per JSON request")
    metrics_port: int | None = Field(
        default=None,
        description="Prometheus metrics port; unset: 9464 for `run`, and `api` serves /metrics "
        "on its own HTTP port, so that both start side by side with the defaults",
    )
    # "text" (readable lines) or "json" (one object per line, with event_id and action fields).
    log_format: Literal["text", "json"] = "text"
    topic_prefix: str = ""
    sla_scale: float = Field(
        default=1.0, gt=0, description="divides every SLA limit (drills, demo)"
    )
    partitions: int = Field(default=6, ge=1, description="partitions per topic for `topics create`")
    replication_factor: int = Field(
        default=1, ge=1, description="replicas per partition for `topics create` (3 on a cluster)"
    )
    consumer_group: str = "grid-router"
    batch_size: int = Field(
        default=1000, ge=1, description="most messages the router takes per batch"
    )
    kafka_cache_dir: Path = Field(default_factory=lambda: default_cache_dir() / "kafka")
    kafka_data_dir: Path = Field(default_factory=lambda: default_data_dir() / "kafka")
    kafka_port: int = Field(default=9092, description="port of the local development broker")
    relay_process: bool = Field(
        default=True, description="run the outbox relay in a child process (uses a second core)"
    )
    # On by default: on a quiet machine, publishing from the router's own process measured
    # faster than the relay's child process at 20, 100 and 500 reports/s, and moved more reports
    # in bulk (docs/benchmarks.md, "Report to work order latency", bench/latency.py).
    publish_after_commit: bool = Field(
        default=True,
        description="the router and SLA scheduler send a transaction's Kafka messages as soon "
        "as it commits; the outbox relay then only sweeps rows older than outbox_sweep_after",
    )
    outbox_sweep_after: float = Field(
        default=5.0,
        gt=0,
        description="seconds an outbox row waits before the relay sends it, when the process "
        "that committed it publishes it itself (publish_after_commit)",
    )
    schemas_dir: Path = SCHEMAS_DIR
    bridge_hotline_poll: bool = Field(
        default=False,
        description="pull the 12345 hotline's new tickets (GET {base}/tickets) in `grid-router "
        "run`, for hotlines that cannot call the webhook; needs the hotline bridge on",
    )
    bridge_hotline_poll_seconds: float = Field(
        default=30.0, gt=0, description="seconds between polls while no tickets come"
    )
