"""`grid-router api --workers 2`: two processes serve one port, and a token's rate limit and the
failed-authentication throttle still hold for the two together (the counters are in the
database, the rate taken in leased blocks), on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.service.auth import Role
from tests.integration.kafka_helpers import make_app

RATE = 20  # the token's requests a minute
SENT = 50
FAILED_AUTH_LIMIT = 30  # the bundled policy's access.failed_auth_per_minute
COMMUNITY = "350206002008"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _children_cpu(parent: int) -> dict[int, float]:
    """CPU seconds of each live child process of `parent`."""
    tick = os.sysconf("SC_CLK_TCK")
    cpu = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent:
            cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    return cpu


def _status(url: str, token: str) -> int:
    # A connection of its own per request, so that the two processes share the requests.
    with httpx.Client(timeout=30) as client:
        return client.get(url, headers={"Authorization": f"Bearer {token}"}).status_code


def _wait_listening(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180  # two interpreters loading the policy and the model
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), 0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"the API did not listen within 180 s:\n{log.read_text()[-3000:]}")


def _burst(store: SqlTokenStore, url: str) -> Counter[int]:
    """The statuses of SENT requests (8 at a time) under a fresh token allowed RATE a minute,
    all inside one clock minute: the shared count is a sliding window counter, exact within
    one clock minute (across two it may allow more, by design). A burst that crossed into the
    next minute is repeated once with a fresh token."""
    for _ in range(2):
        while time.time() % 60 > 45:  # room for the burst before the minute ends
            time.sleep(0.2)
        _, token = store.create("调度员", Role.DISPATCHER, COMMUNITY, (), rate_per_minute=RATE)
        minute = int(time.time() // 60)
        with ThreadPoolExecutor(8) as pool:
            statuses = Counter(pool.map(_status, [url] * SENT, [token] * SENT))
        if int(time.time() // 60) == minute:
            return statuses
    raise AssertionError("two bursts in a row crossed a minute boundary: the machine is too slow")


# Both databases: several API processes (or hosts) sharing one PostgreSQL database is the
# production shape, and `grid-router api --workers N` on SQLite is the small-host one (20 s
# here on a quiet machine, part of it waiting for room in the clock minute; PostgreSQL 7 s).
def test_two_workers_share_one_rate_limit_and_one_failed_auth_throttle(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    app = make_app(kafka_bootstrap, database_url, topic_prefix, photo_dir=tmp_path / "photos")
    store = SqlTokenStore(app.engine, app.clock)
    port = _free_port()
    log = tmp_path / "api.log"
    env = {
        **os.environ,
        "GRID_KAFKA_BOOTSTRAP": kafka_bootstrap,
        "GRID_DATABASE_URL": database_url,
        "GRID_TOPIC_PREFIX": topic_prefix,
        "GRID_PHOTO_DIR": str(tmp_path / "photos"),
    }
    env.pop("GRID_METRICS_PORT", None)
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "api", "--workers", "2",
             "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_listening(port, server, log)
        queue = f"http://127.0.0.1:{port}/api/v1/units/{COMMUNITY}/queue"
        before = _children_cpu(server.pid)

        statuses = _burst(store, queue)
        assert statuses == {200: RATE, 429: SENT - RATE}, statuses

        # Made-up tokens from one address: 401 up to the throttle's limit, then 429, whichever
        # process answers (one at a time: the moving window is exact without races).
        made_up = f"grt_{uuid.uuid4().hex[:8]}_{'x' * 43}"
        failures = [_status(queue, made_up) for _ in range(FAILED_AUTH_LIMIT + 10)]
        assert failures == [401] * FAILED_AUTH_LIMIT + [429] * 10, failures

        after = _children_cpu(server.pid)
        busy = [pid for pid in after if after[pid] - before.get(pid, after[pid]) > 0.05]
        assert len(busy) >= 2, f"requests were not shared by two processes: {before} → {after}"
    finally:
        server.terminate()
        assert server.wait(timeout=60) == 0, log.read_text()[-3000:]
        app.close()
