"""The one exception root of grid_router; each package adds its own subclasses."""


class GridRouterError(Exception):
    """Base of every error grid_router raises on purpose."""


class ConfigurationError(GridRouterError):
    """A setting or file an operator supplied is wrong; the message says what to change."""


class BrokerUnavailableError(GridRouterError):
    """Kafka cannot be reached now; what was asked is to be tried again once it answers (the
    outage is said once by the process's broker notice, not by whoever catches this)."""
