"""The migrations build exactly the schema the code declares, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import current_revision, upgrade
from grid_router.adapters.db.tables import metadata


def test_migrated_schema_matches_the_tables(database_url: str) -> None:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
    engine.dispose()


def test_upgrade_is_idempotent_and_reaches_head(database_url: str) -> None:
    engine = make_engine(database_url)
    head = current_revision(engine)
    upgrade(engine)
    assert current_revision(engine) == head == "0011"
    engine.dispose()
