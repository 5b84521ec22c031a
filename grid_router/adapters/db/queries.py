"""Read-only queries over stored incidents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine, select

from grid_router.adapters.db.tables import incidents
from grid_router.domain.model import GeoPoint, IncidentReport, Reporter


@dataclass(frozen=True, slots=True)
class RoutedAs:
    """How an incident was classified and routed when it was filed."""

    category_code: str
    subcategory_code: str | None
    severity: str
    level: str
    unit_code: str
    department: str | None


def stored_reports(
    engine: Engine, limit: int | None = None
) -> Iterator[tuple[IncidentReport, RoutedAs]]:
    """Each stored incident as the report that opened it, with the decision made at filing,
    newest first."""
    stmt = select(incidents).order_by(incidents.c.filed_at.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    with engine.connect() as conn:
        for row in conn.execute(stmt):
            report = IncidentReport(
                event_id=row.event_id,
                reported_at=row.reported_at,
                source=row.source,
                reporter=Reporter(row.reporter_id, row.reporter_role),
                description=row.description,
                title=row.title,
                category_code=row.app_category_code,
                severity_hint=row.severity_hint,
                grid_code=row.grid_code,
                community_code=row.community_code,
                address=row.address,
                location=GeoPoint(row.lat, row.lon) if row.lat is not None else None,
                external_ref=row.external_ref,
            )
            yield (
                report,
                RoutedAs(
                    row.category_code,
                    row.subcategory_code,
                    row.severity,
                    row.level,
                    row.unit_code,
                    row.department,
                ),
            )
