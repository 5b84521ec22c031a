"""Reminders (催办) reach the open pages of every API process: each process's feed polls the
reminder table (one query per interval) and publishes new rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import insert

from grid_router.adapters.db.desk import Reminder, add_reminder
from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.live import ReminderFeed
from grid_router.adapters.db.tables import desk_reminders
from grid_router.service.live import Notice

AT = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
UNIT = "350206002008"


class Heard:
    def __init__(self) -> None:
        self.notices: list[Notice] = []
        self.arrived = threading.Event()

    def __call__(self, notice: Notice) -> None:
        self.notices.append(notice)
        self.arrived.set()


def _reminder(message: str) -> Reminder:
    return Reminder("e-1", UNIT, "殿前街道 督办员", message, AT)


def test_a_reminder_written_by_another_process_reaches_this_ones_pages(database_url: str) -> None:
    ours, theirs = make_engine(database_url), make_engine(database_url)  # two API processes
    add_reminder(theirs, _reminder("昨天的催办"))
    heard = Heard()
    feed = ReminderFeed(ours, heard, interval=0.05)
    feed.start()
    try:
        time.sleep(0.3)  # positioned after what exists: the old reminder is not pushed
        assert heard.notices == []
        add_reminder(theirs, _reminder("请今天下班前处置完毕"))
        assert heard.arrived.wait(5)
    finally:
        feed.stop()
        ours.dispose()
        theirs.dispose()
    (notice,) = heard.notices
    assert (notice.kind, notice.event_id, notice.unit_code) == ("reminder", "e-1", UNIT)
    assert notice.detail == "督办提醒（殿前街道 督办员）：请今天下班前处置完毕"
    assert notice.sent_at == AT.timestamp()


def test_a_row_committed_late_under_a_lower_id_is_still_pushed(database_url: str) -> None:
    engine = make_engine(database_url)
    heard = Heard()
    feed = ReminderFeed(engine, heard)
    row = {"event_id": "e-1", "unit_code": UNIT, "sender": "督办员", "at": AT}
    try:
        assert feed.poll() == 0  # positioned at the end (an empty table)
        with engine.begin() as conn:
            conn.execute(insert(desk_reminders).values(id=12, message="后提交的号大", **row))
        assert feed.poll() == 1
        # A transaction that took id 11 commits after 12 was seen: asked for again, found.
        with engine.begin() as conn:
            conn.execute(insert(desk_reminders).values(id=11, message="先取号后提交", **row))
        assert feed.poll() == 1
        assert feed.poll() == 0  # each once
    finally:
        engine.dispose()
    assert [n.detail for n in heard.notices] == [
        "督办提醒（督办员）：后提交的号大",
        "督办提醒（督办员）：先取号后提交",
    ]
