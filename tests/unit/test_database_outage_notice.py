"""Telling a database outage from a bug, and saying it once each way (adapters/db/outage.py)."""

from __future__ import annotations

import logging
import sqlite3

import psycopg
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from grid_router.adapters.db.outage import OutageNotice, database_unavailable


def _wrapped(orig: BaseException, kind: type[Exception] = OperationalError) -> Exception:
    return kind("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (_wrapped(psycopg.OperationalError("connection refused")), True),
        (_wrapped(sqlite3.OperationalError("database is locked")), True),
        (_wrapped(sqlite3.OperationalError("unable to open database file")), True),
        (_wrapped(sqlite3.OperationalError("no such table: incidents")), False),
        (_wrapped(psycopg.errors.UndefinedTable("no such table"), ProgrammingError), False),
        (_wrapped(sqlite3.IntegrityError("UNIQUE constraint failed"), IntegrityError), False),
        (ValueError("a bug"), False),
    ],
)
def test_an_outage_is_told_from_a_bug(error: Exception, outage: bool) -> None:
    assert database_unavailable(error) is outage


def test_an_outage_found_behind_another_error_counts() -> None:
    outer = RuntimeError("the router could not write a batch")
    outer.__cause__ = _wrapped(psycopg.OperationalError("server closed the connection"))
    assert database_unavailable(outer)


def test_the_notice_says_it_once_each_way(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="grid_router.database")
    notice = OutageNotice("postgresql://grid@db/grid")
    down = _wrapped(psycopg.OperationalError("connection refused"))
    assert not notice.failed(ValueError("a bug"))  # not an outage: not said, not down
    assert not notice.down
    for _ in range(50):
        assert notice.failed(down)
    assert notice.down
    for _ in range(50):
        notice.ok()
    assert not notice.down
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 2, lines
    assert "is unavailable; waiting for it (connection refused)" in lines[0]
    assert "is back after" in lines[1]


def test_a_stale_connection_failing_just_after_recovery_is_no_new_outage(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="grid_router.database")
    notice = OutageNotice("postgresql://grid@db/grid")
    down = _wrapped(psycopg.OperationalError("server closed the connection unexpectedly"))
    assert notice.failed(down)
    notice.ok()
    assert notice.failed(down, stale=True)  # a connection from before: quiet
    assert not notice.down
    assert notice.failed(down)  # a new connection failing: a new outage, said
    assert notice.down
    assert len(caplog.records) == 3, [r.getMessage() for r in caplog.records]
