"""Shared fixtures. Integration tests run against ONE real Kafka broker per test run, started by
the project's own launcher, and against both SQLite and PostgreSQL."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.kafka.launcher import LocalKafka
from grid_router.settings import Settings

TEST_KAFKA_PORT = int(os.environ.get("GRID_TEST_KAFKA_PORT", "39092"))

# Property tests check what holds, not how fast a shared, loaded machine draws examples: no
# deadline per example and no "input generation is slow" health check.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")


@pytest.fixture(scope="session")
def local_kafka() -> Iterator[LocalKafka]:
    """The one real broker of the test run, started by the project's own launcher with its data
    in a fresh temporary directory, and stopped at the end."""
    with tempfile.TemporaryDirectory(prefix="grid-kafka-") as data_dir:
        broker = LocalKafka(
            cache_dir=Settings().kafka_cache_dir, data_dir=Path(data_dir), port=TEST_KAFKA_PORT
        )
        broker.start(timeout=180)
        try:
            yield broker
        finally:
            broker.stop()


@pytest.fixture
def kafka_bootstrap(local_kafka: LocalKafka) -> str:
    # start() is a no-op when the broker runs; it brings it back if a test stopped it.
    return local_kafka.start(timeout=180)


@pytest.fixture
def topic_prefix() -> str:
    """Topics named per test, so tests never see each other's messages."""
    return f"t{uuid.uuid4().hex[:10]}."


def _postgres_url() -> str:
    url = os.environ.get("GRID_TEST_POSTGRES_URL")
    if not url:
        pytest.fail(
            "GRID_TEST_POSTGRES_URL is not set: run the tests with `make test`, which starts "
            "PostgreSQL (scripts/postgres-up), or point it at a database you own"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database of each kind. PostgreSQL tests get a schema of their own."""
    from grid_router.adapters.db.migrate import upgrade

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'grid.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    base = _postgres_url()
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
