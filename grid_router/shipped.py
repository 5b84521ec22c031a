"""Files the checkout keeps beside the package (`schemas/`, `deploy/kafka/`) and a wheel ships
inside it (`grid_router/_shipped/`, copied there by `setup.py` when the wheel is built), so that
an installed `grid-router` works from any directory and a checkout needs no copy.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

PACKAGE_DIR: Final = Path(__file__).resolve().parent
SHIPPED_DIR: Final = PACKAGE_DIR / "_shipped"


def shipped(name: str, in_checkout: str) -> Path:
    """The installed copy `_shipped/<name>` if this is an installed wheel, else the checkout's
    `<in_checkout>` (relative to the checkout's root)."""
    inside = SHIPPED_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / in_checkout


SCHEMAS_DIR: Final = shipped("schemas", "schemas")
"""The Avro schemas, one file per version."""
KAFKA_PROJECT_DIR: Final = shipped("kafka", "deploy/kafka")
"""The Maven project pinning Apache Kafka for the local development broker."""
