"""The supervision board's on-time rates, counted in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, insert

from grid_router.adapters.db.desk import area_figures
from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.tables import incident_transitions, incidents, work_orders

A, B = "350206002008", "350206002009"
NOW = datetime(2026, 12, 9, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Xiamen
TODAY = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)  # 00:00 in Xiamen
WEEK = TODAY - timedelta(days=2)  # Monday 00:00 in Xiamen
H = timedelta(hours=1)

Order = tuple[int, str, str, datetime, datetime]  # version, unit, kind, created, sign by
Signing = tuple[int, str, datetime]  # version, unit, at
CASES: dict[str, tuple[list[Order], list[Signing]]] = {
    "on time today": ([(1, A, "ACTION", NOW - H, NOW - H / 2)], [(2, A, NOW - H * 0.7)]),
    "late on Monday": ([(1, A, "ACTION", WEEK + H, WEEK + 2 * H)], [(2, A, WEEK + 3 * H)]),
    "not due yet": ([(1, A, "ACTION", NOW - H / 6, NOW + H / 2)], []),
    "overdue unsigned": ([(1, A, "ACTION", NOW - 2 * H, NOW - H)], []),
    "last week": ([(1, A, "ACTION", WEEK - 24 * H, WEEK - 23 * H)], [(2, A, WEEK - 22 * H)]),
    "a copy": ([(1, A, "INFO_COPY", NOW - H, NOW - H / 2)], []),
    # Signed on time by B; escalated to A, whose own signing came late: B's does not count.
    "escalated": (
        [(1, B, "ACTION", NOW - 2 * H, NOW - H), (3, A, "ACTION", NOW - H / 2, NOW - H / 3)],
        [(2, B, NOW - 1.5 * H), (4, A, NOW - H / 4)],
    ),
}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_on_time_signing_today_and_this_week(engine: Engine) -> None:
    with engine.begin() as conn:
        for n, (name, (orders, signings)) in enumerate(CASES.items()):
            event_id = f"e{n}"
            conn.execute(
                insert(incidents).values(
                    event_id=event_id, version=5, state="SIGNED", category_code="CITY_MGMT",
                    category_name="城市管理", severity="IV", level="COMMUNITY", unit_code=A,
                    unit_name="A", locate_method="GRID", source="GRID_APP", description=name,
                    reporter_id="t", reporter_role="grid_worker", reported_at=WEEK - 48 * H,
                    filed_at=WEEK - 48 * H, updated_at=NOW,
                )
            )  # fmt: skip
            for version, unit, kind, created, sign_by in orders:
                conn.execute(
                    insert(work_orders).values(
                        work_order_id=f"{event_id}-{version}", event_id=event_id,
                        version=version, level="COMMUNITY", unit_code=unit, kind=kind,
                        reason="ROUTED", active=False, created_at=created, sign_by=sign_by,
                    )
                )  # fmt: skip
            for version, unit, at in signings:
                conn.execute(
                    insert(incident_transitions).values(
                        event_id=event_id, version=version, from_state="DISPATCHED",
                        to_state="SIGNED", action="SIGN", actor=f"unit:{unit}", to_unit=unit,
                        at=at,
                    )
                )  # fmt: skip
    with engine.connect() as conn:
        figures = area_figures(conn, "350206", NOW, TODAY, WEEK)
    # A: due this week = on time today, late on Monday, overdue unsigned, escalated (late).
    assert (figures[A].on_time_week, figures[A].on_time_today) == ([1, 4], [1, 3])
    assert (figures[B].on_time_week, figures[B].on_time_today) == ([1, 1], [1, 1])
    with engine.connect() as conn:
        assert area_figures(conn, B, NOW, TODAY, WEEK)[B].on_time_week == [1, 1]
        assert A not in area_figures(conn, B, NOW, TODAY, WEEK)
