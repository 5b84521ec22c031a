"""Helpers for the desk's browser tests: the API on a real uvicorn server (with its live feed),
the router beside it, and Chromium from Debian's packages driven by Playwright."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.bootstrap import App
from grid_router.service.auth import Role
from grid_router.settings import PROJECT_ROOT
from tests.integration.api_helpers import running_router
from tests.integration.kafka_helpers import make_app

DOCS = PROJECT_ROOT / "docs"
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")


def chromium_path() -> str:
    for path in (*CHROMIUM_PATHS, shutil.which("chromium") or ""):
        if path and Path(path).exists():
            return path
    pytest.fail(
        "Chromium is missing: install Debian's `chromium` package "
        "(`apt-get install -y chromium chromium-driver`; .ci/run does)"
    )


@dataclass
class Desk:
    """A running API (uvicorn, live feed on) and router on the test broker and a SQLite file."""

    app: App
    url: str
    store: SqlTokenStore

    def token(self, role: Role, *, unit: str | None = None, grids: tuple[str, ...] = (),
              name: str | None = None) -> str:  # fmt: skip
        _, token = self.store.create(name or f"{role}-{time.monotonic_ns()}", role, unit, grids)
        return token

    def post(self, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
        answer = httpx.post(
            self.url + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30
        )
        assert answer.status_code in (201, 202), answer.text
        result: dict[str, Any] = answer.json()
        return result

    def event(self, token: str, event_id: str) -> dict[str, Any] | None:
        answer = httpx.get(
            f"{self.url}/api/v1/events/{event_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        if answer.status_code == 404:
            return None
        result: dict[str, Any] = answer.json()
        return result


@contextmanager
def running_desk(kafka_bootstrap: str, topic_prefix: str, tmp_path: Path) -> Iterator[Desk]:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    app = make_app(kafka_bootstrap, url, topic_prefix, photo_dir=tmp_path / "photos")
    upgrade(app.engine)
    api = app.api()
    config = uvicorn.Config(
        api, host="127.0.0.1", port=0, log_level="warning", lifespan="on",
        timeout_graceful_shutdown=1,
    )  # fmt: skip
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="desk-api", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive(), "the API did not start"
        assert time.monotonic() < deadline, "the API did not start in time"
        time.sleep(0.02)
    port = int(server.servers[0].sockets[0].getsockname()[1])
    assert api.state.live_feed.ready.wait(60), "the live feed did not reach the topics"
    try:
        with running_router(app):
            yield Desk(app, f"http://127.0.0.1:{port}", SqlTokenStore(app.engine, app.clock))
    finally:
        server.should_exit = True
        thread.join(15)
        app.close()


def wait_until(what: str, probe: Any, timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
