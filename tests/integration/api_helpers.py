"""Helpers for the HTTP API tests: the API of an App on the session broker, tokens, a clock that
can step past the token cache, "nothing was written" snapshots, and filing what the API sent
with the router's own code."""

from __future__ import annotations

import struct
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from grid_router.adapters.db.tables import metadata, rate_limit_hits, rate_limit_windows
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.clients import to_inbound
from grid_router.bootstrap import App
from grid_router.service.auth import Role
from grid_router.service.router import BatchOutcome
from grid_router.service.worker import RouterWorker
from tests.integration.kafka_helpers import make_app, read_all

COMMUNITY = "350206002008"  # 高殿社区, 殿前街道, 湖里区
GRID = f"{COMMUNITY}005"
NEIGHBOUR = "350206002007"  # 神山社区, the same street
STREET = COMMUNITY[:9]
OTHER_DISTRICT_COMMUNITY = "350203001001"  # 鸿山社区, 思明区
MAX_PHOTO_BYTES = 64 * 1024

T = TypeVar("T")


class ShiftedClock:
    """The wall clock plus an offset that a test can move forward (the token cache reads its
    expiry from the App's clock)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


@dataclass
class Api:
    """An App on the session broker and a test database, its HTTP API, and tokens."""

    app: App
    api: FastAPI
    client: TestClient
    clock: ShiftedClock
    store: SqlTokenStore

    def token(
        self,
        role: Role | str,
        *,
        unit: str | None = None,
        grids: tuple[str, ...] = (),
        rate: int = 600,
        name: str | None = None,
    ) -> str:
        """A new token (created as `grid-router tokens create` does, through the store)."""
        _, token = self.store.create(
            name or f"{role}-{uuid.uuid4().hex[:6]}", role, unit, grids, rate_per_minute=rate
        )
        return token

    def messages(self, topic: str) -> list[Any]:
        return read_all(self.app.settings.kafka_bootstrap, topic, 0.2)

    def snapshot(self) -> Snapshot:
        """Rows in every table (but the rate-limit counters, which every request touches) and
        messages on grid.reports and grid.actions, now."""
        with self.app.engine.connect() as conn:
            rows = {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
                if t not in (rate_limit_windows, rate_limit_hits)
            }
        topics = (self.app.topics.reports, self.app.topics.actions)
        return Snapshot(rows, {t: len(self.messages(t)) for t in topics})

    def file_reports(self) -> BatchOutcome:
        """Apply what is on grid.reports with the router's own code (decode, locate, decide,
        write in one transaction), as `grid-router run` would; the outbox is not sent. What
        was applied before is skipped, as the router skips a replay."""
        return self._apply(self.app.topics.reports)

    def apply_actions(self) -> BatchOutcome:
        """Apply what is on grid.actions likewise."""
        return self._apply(self.app.topics.actions)

    def _apply(self, topic: str) -> BatchOutcome:
        records = [to_inbound(r) for r in self.messages(topic)]
        router = self.app.report_router()
        return router.write(router.prepare(records))


@dataclass(frozen=True)
class Snapshot:
    rows: dict[str, int]
    messages: dict[str, int]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@contextmanager
def api_for(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path, **settings: Any
) -> Iterator[Api]:
    """The HTTP API of an App on the test broker and database (photos under `tmp_path`)."""
    app = make_app(
        kafka_bootstrap,
        database_url,
        topic_prefix,
        photo_dir=tmp_path / "photos",
        max_photo_bytes=MAX_PHOTO_BYTES,
        **settings,
    )
    clock = ShiftedClock()
    app.clock = clock
    try:
        api = app.api()
        # Errors must come back as answers (a 500 included), not as exceptions in the test.
        with TestClient(api, raise_server_exceptions=False) as client:
            yield Api(app, api, client, clock, SqlTokenStore(app.engine, app.clock))
    finally:
        app.close()


def wait_for(what: str, probe: Callable[[], T | None], timeout: float = 60.0) -> T:
    """Poll `probe` until it returns something other than None (or fail after `timeout`)."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.1)


@contextmanager
def running_router(app: App) -> Iterator[RouterWorker]:
    """The router (with its scheduler and relay, in threads) on `app`, stopped on exit."""
    worker = app.router_worker(relay_in_process=False)
    thread = threading.Thread(target=worker.run, name="router", daemon=True)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop()
        thread.join(60)
        assert not thread.is_alive(), "the router did not stop"


def tiny_png() -> bytes:
    """A valid 1×1 PNG (one white pixel)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # filter byte, one pixel
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )
