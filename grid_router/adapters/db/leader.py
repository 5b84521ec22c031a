"""One sender at a time among several processes on one PostgreSQL database.

The outbox relay and each bridge's sender must send alone: if every router's copy sent, each
message would go out once per router, and out of order. A session advisory lock elects the
sender; when its connection dies, the lock passes on. Advisory locks are per database, not per
schema, so the lock is named by the schema too: two deployments (or two test runs) in one
database each elect their own sender. SQLite serves one machine, whose one router sends alone.
"""

from __future__ import annotations

import contextlib
import hashlib

from sqlalchemy import Connection, Engine, text


class AdvisoryLeader:
    """The election for one role (e.g. "relay", "bridge:hotline-12345") on `engine`."""

    def __init__(self, engine: Engine, role: str) -> None:
        self._engine = engine
        self._role = role
        self._conn: Connection | None = None

    def held(self) -> bool:
        """Whether this process may send now (taking the lock if it is free)."""
        if self._engine.dialect.name != "postgresql":
            return True
        try:
            if self._conn is not None:
                self._conn.exec_driver_sql("SELECT 1")
                return True
            conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
            name = f"grid-router:{schema}:{self._role}"
            key = int.from_bytes(hashlib.sha256(name.encode()).digest()[:7])
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar_one()
            if got:
                self._conn = conn
                return True
            conn.close()
            return False
        except Exception:
            self.release()
            raise

    def release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        # A pooled connection outlives close(), and its session would keep the lock: end the
        # session itself, so the next process can take over at once.
        with contextlib.suppress(Exception):
            conn.invalidate()
        with contextlib.suppress(Exception):
            conn.close()
