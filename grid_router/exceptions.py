"""The one exception root of grid_router; each package adds its own subclasses."""


class GridRouterError(Exception):
    """Base of every error grid_router raises on purpose."""


class ConfigurationError(GridRouterError):
    """A setting or file an operator supplied is wrong; the message says what to change."""
