"""Bridges: which changes of which incidents are told to which outside system, and in what words.

Pure. A bridge is configuration (the policy's `bridges` section), not code: which incidents
(sources, categories, lowest grade), which changes (the state topic's action codes: FILE,
DISPATCH, SIGN, HANDLE, ESCALATE, SLA_BREACH …), where (a path on the destination's base URL,
with `{field}` placeholders) and the payload (each output field taken from a fact of the change,
optionally translated through a value map, or a literal). The 12345 hotline, digital city
management (数字城管) and the public-safety platform are three entries of one mechanism.

A delivery is keyed by (bridge, event id, version): the far side drops a repeat by that key,
and deliveries of one incident are sent in version order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from grid_router.domain.model import Severity

FACTS: Final = frozenset(
    {
        "event_id", "version", "external_ref", "source", "state", "state_name",
        "previous_state", "action", "action_name", "actor", "reason", "result", "at",
        "level", "unit_code", "unit_name", "department", "category_code", "category_name",
        "subcategory_code", "subcategory_name", "event_class", "severity", "severity_name",
        "title", "description", "address", "grid_code", "community_code", "street_code",
        "district_code", "reported_at", "report_count",
    }
)  # fmt: skip
"""The facts of a change a payload or a path may use."""

_PLACEHOLDER: Final = re.compile(r"\{([a-z_]+)\}")
_GRADE_ORDER: Final = (Severity.IV, Severity.III, Severity.II, Severity.I)


@dataclass(frozen=True, slots=True)
class Field:
    """One payload field: the fact it is taken from and an optional value map (a value not in
    the map is passed as it is), or a literal."""

    fact: str | None = None
    map: Mapping[str, str] = field(default_factory=dict)
    literal: Any = None

    def value(self, facts: Mapping[str, Any]) -> Any:
        if self.fact is None:
            return self.literal
        raw = facts.get(self.fact)
        if raw is None:
            return None
        return self.map.get(str(raw), raw)


@dataclass(frozen=True, slots=True)
class BridgeRule:
    """One bridge: which changes it carries, where, and in what shape."""

    name: str
    path: str
    payload: Mapping[str, Field]
    sources: frozenset[str] = frozenset()  # empty: any
    categories: frozenset[str] = frozenset()  # empty: any
    min_grade: Severity | None = None
    actions: frozenset[str] = frozenset()  # empty: any
    require: frozenset[str] = frozenset()  # facts that must be present (e.g. external_ref)

    def matches(self, facts: Mapping[str, Any]) -> bool:
        if self.sources and facts.get("source") not in self.sources:
            return False
        if self.categories and facts.get("category_code") not in self.categories:
            return False
        if self.actions and facts.get("action") not in self.actions:
            return False
        if self.min_grade is not None:
            grade = facts.get("severity")
            if grade not in _GRADE_ORDER or _GRADE_ORDER.index(Severity(grade)) < (
                _GRADE_ORDER.index(self.min_grade)
            ):
                return False
        return all(facts.get(f) not in (None, "") for f in self.require)

    def render_path(self, facts: Mapping[str, Any]) -> str:
        return _PLACEHOLDER.sub(lambda m: _path_part(facts.get(m.group(1))), self.path)

    def render(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        return {name: f.value(facts) for name, f in self.payload.items()}


def _path_part(value: Any) -> str:
    from urllib.parse import quote

    return quote(str(value if value is not None else ""), safe="")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One call to make: to `bridge`, at `path`, with `payload`, once per `key`."""

    bridge: str
    event_id: str
    version: int
    path: str
    payload: dict[str, Any]

    @property
    def key(self) -> str:
        return f"{self.bridge}:{self.event_id}:{self.version}"


def deliveries(rules: tuple[BridgeRule, ...], facts: Mapping[str, Any]) -> list[Delivery]:
    """The deliveries one change makes (one per bridge whose rule it matches)."""
    return [
        Delivery(
            r.name,
            str(facts["event_id"]),
            int(facts["version"]),
            r.render_path(facts),
            r.render(facts),
        )
        for r in rules
        if r.matches(facts)
    ]


def unknown_facts(rule_path: str, payload: Mapping[str, Field]) -> list[str]:
    """Facts a path or payload names that do not exist (for the policy check)."""
    named = set(_PLACEHOLDER.findall(rule_path)) | {
        f.fact for f in payload.values() if f.fact is not None
    }
    return sorted(named - FACTS)
