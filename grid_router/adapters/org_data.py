"""The bundled organisation: Xiamen's divisions, read from the package data."""

from __future__ import annotations

import functools
from importlib import resources

from grid_router.domain.org import Organisation

DIVISIONS_FILE = "xiamen-divisions.csv"


def divisions_csv_text() -> str:
    """The text of the bundled `grid_router/data/xiamen-divisions.csv`."""
    return resources.files("grid_router.data").joinpath(DIVISIONS_FILE).read_text("utf-8")


@functools.cache
def load_default_organisation() -> Organisation:
    """Xiamen's 1 city, 6 districts, 54 street-level units and 555 communities, as bundled in
    `grid_router/data/xiamen-divisions.csv`. Parsed once per process and shared: an
    `Organisation` is read-only."""
    return Organisation.from_csv_text(divisions_csv_text())
