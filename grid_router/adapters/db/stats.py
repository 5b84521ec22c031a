"""The database's side of the metrics: what is open, what waits in the outbox, and when each
district last reported (read at scrape time, see `service.metrics.DatabaseGauges`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from sqlalchemy import Engine, func, select

from grid_router.adapters.db.tables import incidents, outbox
from grid_router.adapters.db.uow import CLOSED_STATES, as_utc
from grid_router.service.metrics import DatabaseGauges


def gauge_reader(
    engine: Engine, districts: Mapping[str, str], clock: Callable[[], datetime]
) -> Callable[[], DatabaseGauges]:
    """A function that reads the gauges in one short read-only transaction."""
    i = incidents.c
    open_q = (
        select(i.level, i.state, func.count())
        .where(i.state.not_in(CLOSED_STATES))
        .group_by(i.level, i.state)
    )
    outbox_q = select(func.count(), func.min(outbox.c.created_at))
    last_q = (
        select(i.district_code, func.max(i.filed_at))
        .where(i.district_code.is_not(None))
        .group_by(i.district_code)
    )

    def read() -> DatabaseGauges:
        with engine.connect() as conn:
            open_ = {(str(lv), str(st)): int(n) for lv, st, n in conn.execute(open_q)}
            pending, oldest = conn.execute(outbox_q).one()
            last = {str(d): as_utc(at) for d, at in conn.execute(last_q)}
        oldest_at = as_utc(oldest)
        age = (clock() - oldest_at).total_seconds() if oldest_at is not None else 0.0
        return DatabaseGauges(
            open_incidents=open_,
            outbox_pending=int(pending),
            outbox_oldest_age_seconds=max(age, 0.0),
            last_report_at={d: at for d, at in last.items() if at is not None},
            districts=dict(districts),
        )

    return read
