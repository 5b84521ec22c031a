"""Reference servers of the bridges' far sides: the 12345 hotline, 数字城管 and the public-safety
platform, in one HTTP server that behaves as docs/bridges.md and docs/bridges/*.yaml say, with a
control API for test harnesses (`grid-router bridges serve-reference`; docs/bridges.md,
"Reference servers")."""

from grid_router.bridges_reference.app import (
    BRIDGES,
    FAR_SIDES,
    SECRET_ENV,
    URL_ENV,
    create_reference_app,
)
from grid_router.bridges_reference.runner import ReferenceServer, serve

__all__ = [
    "BRIDGES",
    "FAR_SIDES",
    "SECRET_ENV",
    "URL_ENV",
    "ReferenceServer",
    "create_reference_app",
    "serve",
]
