"""From recorded changes to bridge deliveries in the outbox (same transaction as the change).

The router and the scheduler call `Bridging.messages_for_*` with what they have just decided;
the facts of the change are gathered here and matched against the policy's bridge rules
(`grid_router.domain.bridges`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from grid_router.adapters.db.deliveries import BRIDGE, IDEMPOTENCY_HEADER, delivery_value
from grid_router.domain.bridges import BridgeRule, deliveries
from grid_router.domain.disposition import Change
from grid_router.domain.filing import Filed, Regrade
from grid_router.domain.model import Level, Severity, StateChange, WorkOrder
from grid_router.domain.status import action_name, state_name
from grid_router.domain.taxonomy import Taxonomy
from grid_router.service.ports import OutboxMessage

_RESULT_ACTIONS = frozenset({"HANDLE", "CLOSE"})


@dataclass(frozen=True, slots=True)
class Bridging:
    """The enabled bridges' rules, and the taxonomy to name subcategories and event classes."""

    rules: tuple[BridgeRule, ...]
    taxonomy: Taxonomy

    def for_filed(self, filed: Filed) -> list[OutboxMessage]:
        if not self.rules:
            return []
        r, c = filed.report, filed.classification
        facts = self._facts(filed.state_change)
        facts.update(
            external_ref=r.external_ref, source=r.source, title=r.title,
            description=r.description, address=r.address, reported_at=_iso(r.reported_at),
            category_name=c.category_name, subcategory_code=c.subcategory_code,
            unit_name=filed.assignee.unit_name, department=filed.assignee.department,
            report_count=1,
        )  # fmt: skip
        facts.update(_location(filed))
        return self._messages(facts)

    def for_regrade(self, regrade: Regrade) -> list[OutboxMessage]:
        if not self.rules or not regrade.work_orders:
            return []
        facts = self._facts(regrade.state_change)
        facts.update(_order_facts(regrade.work_orders[0]))
        return self._messages(facts)

    def for_change(self, change: Change) -> list[OutboxMessage]:
        if not self.rules:
            return []
        i = change.incident
        facts = self._facts(change.state_change)
        facts.update(
            external_ref=i.external_ref, source=i.source, title=i.title,
            description=i.description, address=i.address, category_name=i.category_name,
            subcategory_code=i.subcategory_code, unit_name=i.unit_name,
            department=i.department, grid_code=i.grid_code, community_code=i.community_code,
            street_code=i.street_code, district_code=i.district_code,
            report_count=i.report_count,
        )  # fmt: skip
        return self._messages(facts)

    def _facts(self, sc: StateChange) -> dict[str, Any]:
        return {
            "event_id": sc.event_id,
            "version": sc.version,
            "state": sc.state.value,
            "state_name": state_name(sc.state),
            "previous_state": sc.previous_state.value if sc.previous_state else None,
            "action": sc.action,
            "action_name": action_name(sc.action),
            "actor": sc.actor,
            "reason": sc.reason,
            "result": sc.reason if sc.action in _RESULT_ACTIONS else None,
            "at": _iso(sc.at),
            "level": sc.level.value,
            "unit_code": sc.unit_code,
            "category_code": sc.category_code,
            "severity": sc.severity.value,
            "severity_name": Severity(sc.severity).chinese,
        }

    def _messages(self, facts: dict[str, Any]) -> list[OutboxMessage]:
        sub = facts.get("subcategory_code")
        found = self.taxonomy.subcategory(sub) if isinstance(sub, str) else None
        if found is not None:
            facts.setdefault("subcategory_name", found.name)
            facts.setdefault("event_class", found.group)
        return [
            OutboxMessage(
                topic=d.bridge,
                key=d.event_id.encode(),
                value=delivery_value(d.path, d.payload),
                headers=((IDEMPOTENCY_HEADER, d.key.encode()),),
                event_id=d.event_id,
                kind=BRIDGE,
            )
            for d in deliveries(self.rules, facts)
        ]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _location(filed: Filed) -> Mapping[str, Any]:
    loc = filed.location
    units = {lvl: loc.unit_at(lvl) for lvl in (Level.COMMUNITY, Level.STREET, Level.DISTRICT)}
    return {
        "grid_code": loc.grid_code,
        **{f"{lvl.value}_code": (u.code if u else None) for lvl, u in units.items()},
    }


def _order_facts(wo: WorkOrder) -> Mapping[str, Any]:
    return {
        "external_ref": wo.external_ref, "source": wo.source, "title": wo.title,
        "description": wo.description, "address": wo.address,
        "category_name": wo.category_name, "subcategory_code": wo.subcategory_code,
        "unit_name": wo.unit_name, "department": wo.department, "grid_code": wo.grid_code,
        "community_code": wo.community_code, "street_code": wo.street_code,
        "district_code": wo.district_code, "report_count": wo.report_count,
    }  # fmt: skip
