"""Reminders (催办) for the live feed of one API process: a reminder is written to the database
by whichever API process received it and goes through no topic, so each API process polls the
table, one query every half second whatever the number of open pages, and publishes the new
rows to its own pages (service/live.py).

Rows are read by id. On PostgreSQL a row with a lower id may commit after a higher one is
seen; the ids skipped over are asked for again, in the same query, for a few seconds."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Final

from sqlalchemy import Engine, func, or_, select

from grid_router.adapters.db.desk import Reminder, reminder_of
from grid_router.adapters.db.outage import database_unavailable
from grid_router.adapters.db.tables import desk_reminders
from grid_router.service.live import FeedThread, Notice

log = logging.getLogger(__name__)

INTERVAL_SECONDS: Final = 0.5
BATCH: Final = 500
GAP_SECONDS: Final = 5.0  # how long an id skipped over is asked for again
MAX_GAPS: Final = 200


def reminder_notice(reminder: Reminder, version: int = 0) -> Notice:
    """The notice open pages of the reminded unit show (the banner's text)."""
    shown = f"督办提醒（{reminder.sender}）：{reminder.message}"
    return Notice(
        "reminder", reminder.event_id, reminder.unit_code, version, shown, reminder.at.timestamp()
    )


class ReminderFeed(FeedThread):
    """A daemon thread from `start` to `stop`: new reminder rows, from any API process, to
    `publish` (the process's LiveHub). Starts after the rows that exist when it starts."""

    thread_name = "desk-reminders"

    def __init__(
        self,
        engine: Engine,
        publish: Callable[[Notice], None],
        interval: float = INTERVAL_SECONDS,
    ) -> None:
        super().__init__()
        self._engine = engine
        self._publish = publish
        self._interval = interval
        self._last: int | None = None  # the highest id seen; None until the first query
        self._gaps: dict[int, float] = {}  # ids skipped over → when first missed

    def _run(self) -> None:
        while True:
            try:
                self.poll()
            except Exception as exc:  # the database away: keep trying, pages keep their content
                if not database_unavailable(exc):  # an outage is said once, by the engine
                    log.warning("reminder feed: polling failed, retrying", exc_info=True)
            if self._stop.wait(self._interval):
                return

    def poll(self) -> int:
        """One query: publish the reminders added since the last one; returns how many."""
        r = desk_reminders.c
        with self._engine.connect() as conn:
            if self._last is None:
                self._last = int(
                    conn.execute(select(func.coalesce(func.max(r.id), 0))).scalar_one()
                )
                return 0
            wanted = r.id > self._last
            if self._gaps:
                wanted = or_(wanted, r.id.in_(sorted(self._gaps)))
            rows = conn.execute(
                select(desk_reminders).where(wanted).order_by(r.id).limit(BATCH)
            ).all()
        now = time.monotonic()
        for row in rows:
            self._advance(row.id, now)
            self._publish(reminder_notice(reminder_of(row)))
        self._gaps = {i: t for i, t in self._gaps.items() if now - t < GAP_SECONDS}
        return len(rows)

    def _advance(self, row_id: int, now: float) -> None:
        self._gaps.pop(row_id, None)
        last = self._last or 0
        if row_id > last:
            for skipped in range(max(last + 1, row_id - MAX_GAPS), row_id):
                self._gaps.setdefault(skipped, now)
            self._last = row_id
