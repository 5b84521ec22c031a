"""Topic names of DESIGN §5, with the configurable prefix."""

from __future__ import annotations

from dataclasses import dataclass

from grid_router.domain.model import Level


@dataclass(frozen=True, slots=True)
class Topics:
    """The topic layout. Every name is `prefix + default name`."""

    prefix: str = ""

    @property
    def reports(self) -> str:
        return f"{self.prefix}grid.reports"

    @property
    def actions(self) -> str:
        return f"{self.prefix}grid.actions"

    @property
    def state(self) -> str:
        return f"{self.prefix}grid.events.state"

    @property
    def deadletter(self) -> str:
        return f"{self.prefix}grid.deadletter"

    def dispatch(self, level: Level) -> str:
        return f"{self.prefix}grid.dispatch.{level.value}"

    def all(self) -> list[str]:
        return [
            self.reports,
            self.actions,
            *(self.dispatch(level) for level in Level),
            self.state,
            self.deadletter,
        ]

    def compacted(self) -> frozenset[str]:
        """Topics whose cleanup policy is compaction (the latest value per key is kept)."""
        return frozenset({self.state})
