"""`grid-router classify` and `routes test`: the router's decision for a report, without Kafka
or a database. Both call `domain.filing.decide`, exactly as the router does, with one
difference: a report that only its coordinates place is placed in its district by the boundary,
since the earlier located reports that could name its community are in the database (the
location's detail says the rule was skipped)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from grid_router.domain.filing import Decided
from grid_router.entrypoints.contracts import ReportSubmission

# The report fields `classify` reads; anything else on an input line (an id, a label) is ignored.
INPUT_FIELDS = frozenset(
    {
        "description", "title", "category_code", "subcategory_code", "grid_code",
        "community_code", "address", "source", "severity_hint", "reported_at", "location",
    }
)  # fmt: skip


def parse_lines(
    lines: Iterator[str],
) -> Iterator[tuple[int, dict[str, Any], ReportSubmission | str]]:
    """Each non-empty line as (line number, the object, its submission or an error message)."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {}, f"not JSON: {exc.msg} at column {exc.colno}"
            continue
        if not isinstance(obj, dict):
            yield number, {}, "expected a JSON object with at least a description"
            continue
        fields = {k: v for k, v in obj.items() if k in INPUT_FIELDS}
        try:
            yield number, obj, ReportSubmission.model_validate(fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            yield number, obj, problems


def decision_record(decided: Decided) -> dict[str, Any]:
    """The decision as DESIGN §7's `classify` output (plus the route taken)."""
    c, route = decided.classification, decided.route
    return {
        "category_code": c.category_code,
        "category_name": c.category_name,
        "subcategory_code": c.subcategory_code,
        "subcategory_name": c.subcategory_name,
        "severity": str(c.severity),
        "level": str(route.level),
        "unit_code": route.unit.code,
        "unit_name": route.unit.name,
        "department": route.department,
        "confidence": round(c.confidence, 3),
        "needs_triage": c.needs_triage,
        "reason": route.reason,
        "route": list(route.path),
        "info_copies": [
            {"level": str(t.level), "unit_code": t.unit.code, "department": t.department}
            for t in route.info_copies
        ],
        "located_by": decided.location.method,
        # How the place was found or why it was not, e.g. that a point was placed in its
        # district only because a dry run has no database of earlier reports to consult.
        "location_detail": decided.location.detail,
        "explanation": c.explanation,
    }


def describe(decided: Decided) -> list[str]:
    """The decision as lines a duty officer reads (`routes test`)."""
    c, route, loc = decided.classification, decided.route, decided.location
    lines = [
        f"located by   {loc.method}: "
        + " > ".join(u.name for u in (loc.district, loc.street, loc.community) if u)
        + (f" ({loc.detail})" if loc.detail else ""),
        f"classified   {c.category_code} {c.category_name}"
        + (f" / {c.subcategory_code} {c.subcategory_name}" if c.subcategory_code else "")
        + f", grade {c.severity} {c.severity.chinese}, confidence {c.confidence:.2f}"
        + (" (needs triage)" if c.needs_triage else ""),
        f"             {c.explanation}",
        f"route path   {' > '.join(route.path)}",
    ]
    if len(route.matched) > len(route.path):
        lines.append(f"also matched {', '.join(r for r in route.matched if r not in route.path)}")
    lines.append(
        f"decision     {route.reason}: {route.level} {route.unit.name} · {route.department}"
    )
    lines.extend(f"assisting    {t}" for t in route.assisting)
    lines.extend(
        f"info copy    {t.level} {t.unit.name} · {t.department}" for t in route.info_copies
    )
    lines.append(f"SLA policy   {route.sla}")
    lines.extend(f"why          {r}" for r in route.reasons)
    return lines
