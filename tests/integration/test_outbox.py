"""The outbox as the relay sees it, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.uow import SqlOutbox, SqlUnitOfWork
from grid_router.service.ports import OutboxMessage

NOW = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def test_pending_rows_come_in_order_and_go_once_sent(database_url: str) -> None:
    engine = make_engine(database_url)
    with SqlUnitOfWork(engine) as uow:
        uow.add_outbox(
            [
                OutboxMessage("t", f"k{i}".encode(), f"v{i}".encode(), (("h", b"\x00\xff"),), "e")
                for i in range(5)
            ],
            NOW,
        )
        uow.commit()
    outbox = SqlOutbox(engine)
    pending = outbox.pending(3)
    assert [p.message.value for p in pending] == [b"v0", b"v1", b"v2"]
    assert pending[0].message.headers == (("h", b"\x00\xff"),)
    outbox.mark_failed({pending[0].id: "broker said no"})
    outbox.mark_sent([p.id for p in pending[1:]], NOW)
    rest = outbox.pending(10)
    assert [p.message.value for p in rest] == [b"v0", b"v3", b"v4"]
    assert rest[0].attempts == 1
    assert outbox.count_pending() == 3
    engine.dispose()


def test_one_relay_at_a_time_sends(database_url: str) -> None:
    first, second = make_engine(database_url), make_engine(database_url)
    a, b = SqlOutbox(first), SqlOutbox(second)
    assert a.leader()
    if first.dialect.name == "postgresql":
        # Another router's relay waits while the first holds the advisory lock…
        assert not b.leader()
        a.close()
        # …and takes over once it lets go (or its connection dies).
        assert b.leader()
    else:
        # SQLite serves one router on one machine: its relay always sends.
        assert b.leader()
    a.close()
    b.close()
    first.dispose()
    second.dispose()
