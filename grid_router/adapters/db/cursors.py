"""Bridge cursors on SQLAlchemy (table `bridge_cursors`): where a bridge's pull poller has read
up to, one row per bridge."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from grid_router.adapters.db.tables import bridge_cursors


class SqlBridgeCursors:
    """The cursor of each bridge that pulls (HotlinePoller's cursor store)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def get(self, bridge: str) -> str | None:
        """The bridge's stored cursor, or None before its first page."""
        c = bridge_cursors.c
        with self._engine.connect() as conn:
            found = conn.execute(select(c.cursor).where(c.bridge == bridge)).scalar_one_or_none()
        return None if found is None else str(found)

    def put(self, bridge: str, cursor: str, at: datetime) -> None:
        """Store the bridge's cursor (the last one stored wins)."""
        c = bridge_cursors.c
        changed = update(bridge_cursors).where(c.bridge == bridge)
        for _ in range(2):
            with self._engine.begin() as conn:
                if conn.execute(changed.values(cursor=cursor, updated_at=at)).rowcount:
                    return
            try:
                with self._engine.begin() as conn:
                    conn.execute(
                        insert(bridge_cursors).values(bridge=bridge, cursor=cursor, updated_at=at)
                    )
                return
            except IntegrityError:
                continue  # another poller inserted it first: update it
