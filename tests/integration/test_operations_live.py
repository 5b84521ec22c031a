"""The dashboards are alive: a real Prometheus (Debian's package) scrapes a real router (with its
scheduler, relay, bridge senders and HTTP API) through a short scenario on a drill clock that
the test moves past the deadlines, then every panel query of every dashboard under
deploy/grafana/dashboards/ is run against it; a panel that returns nothing fails the test. The
same run checks the structured logs: one JSON object per line, a line per event filed, and
nothing personal in any of them.
"""

from __future__ import annotations

import functools
import io
import json
import logging
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from kafka import KafkaProducer
from sqlalchemy import func, select

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import incidents, work_orders
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.logs import json_formatter
from grid_router.bootstrap import App
from grid_router.bridges_reference.app import create_reference_app
from grid_router.bridges_reference.runner import ReferenceServer
from grid_router.service.auth import Role
from tests.integration.api_helpers import COMMUNITY, GRID, OTHER_DISTRICT_COMMUNITY, bearer
from tests.integration.kafka_helpers import DrillClock, make_app
from tests.integration.test_api_kafka import garbage
from tests.integration.test_sla_kafka import wall_clock_policy

__all__ = ["wall_clock_policy"]  # a fixture, used by name

ROOT = Path(__file__).resolve().parents[2]
DASHBOARDS = ROOT / "deploy" / "grafana" / "dashboards"
SECRETS = {"hotline": "hotline-s3cret", "citymgmt": "citymgmt-s3cret", "public-safety": "ps-s3"}
# Grafana's variables, as the dashboards' defaults would expand them.
VARIABLES = {
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
    "$district": ".*",
    "${district}": ".*",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def panel_queries() -> list[tuple[str, str, str]]:
    """(dashboard, panel title, expr) of every query target of every dashboard."""
    found: list[tuple[str, str, str]] = []

    def walk(dashboard: str, panels: list[dict[str, Any]]) -> None:
        for panel in panels:
            walk(dashboard, panel.get("panels", []))
            for target in panel.get("targets", []):
                if target.get("expr"):
                    found.append((dashboard, panel.get("title", "?"), target["expr"]))

    for path in sorted(DASHBOARDS.glob("*.json")):
        walk(path.stem, json.loads(path.read_text(encoding="utf-8"))["panels"])
    return found


def expand(expr: str) -> str:
    for name in sorted(VARIABLES, key=len, reverse=True):
        expr = expr.replace(name, VARIABLES[name])
    return expr


class Prometheus:
    """Debian's Prometheus, scraping `target` every second, with its data in `data_dir`."""

    def __init__(self, target: str, data_dir: Path) -> None:
        binary = shutil.which("prometheus")
        if binary is None:
            pytest.fail("prometheus is not installed: `apt-get install -y prometheus` (.ci/run)")
        config = data_dir / "prometheus.yml"
        config.write_text(
            "global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
            "scrape_configs:\n"
            "  - job_name: grid-router\n"
            f"    static_configs: [{{targets: ['{target}']}}]\n",
            encoding="utf-8",
        )
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = (data_dir / "prometheus.log").open("w")
        self._process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={data_dir / 'tsdb'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=self.url, timeout=10)
        wait_until("Prometheus ready", self._ready)

    def _ready(self) -> bool:
        if self._process.poll() is not None:
            pytest.fail(f"prometheus exited with {self._process.returncode}; see its log")
        try:
            return self.client.get("/-/ready").status_code == 200
        except httpx.TransportError:
            return False

    def query(self, expr: str) -> list[Any]:
        answer = self.client.get("/api/v1/query", params={"query": expr})
        body = answer.json()
        assert body.get("status") == "success", f"{expr}: {body.get('error')}"
        result: list[Any] = body["data"]["result"]
        return result

    def has(self, expr: str) -> bool:
        return bool(self.query(expr))

    def scrapes(self) -> int:
        """How many times the target has been scraped (its `up` samples of the last hour)."""
        found = self.query("count_over_time(up[1h])")
        return int(found[0]["value"][1]) if found else 0

    def stop(self) -> None:
        self.client.close()
        self._process.terminate()
        self._process.wait(30)
        self._log.close()


def wait_until(what: str, condition: Callable[[], bool], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def live_app(
    kafka_bootstrap: str,
    topic_prefix: str,
    tmp_path: Path,
    wall_clock_policy: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[tuple[App, str]]:
    """A router, its API and its metrics on the session broker, bridged to the reference far
    sides; yields the app and the API's base URL."""
    with ReferenceServer(create_reference_app(SECRETS, None, None)) as far:
        for name, key in (("HOTLINE", "hotline"), ("CITYMGMT", "citymgmt")):
            monkeypatch.setenv(f"GRID_BRIDGE_{name}_URL", f"{far.url}/{key}")
            monkeypatch.setenv(f"GRID_BRIDGE_{name}_SECRET", SECRETS[key])
        app = make_app(
            kafka_bootstrap,
            f"sqlite:///{tmp_path / 'grid.db'}",
            topic_prefix,
            DrillClock(datetime.now(UTC)),
            policy=wall_clock_policy,
            photo_dir=tmp_path / "photos",
        )
        upgrade(app.engine)
        worker = app.router_worker(relay_in_process=False)
        try:
            with ReferenceServer(app.api()) as api:
                thread = threading.Thread(target=worker.run, name="router", daemon=True)
                thread.start()
                try:
                    yield app, api.url
                finally:
                    worker.stop()
                    thread.join(60)
        finally:
            app.close()


def state_of(app: App, event_id: str) -> str | None:
    with app.engine.connect() as conn:
        found = conn.execute(select(incidents.c.state).where(incidents.c.event_id == event_id))
        return found.scalar_one_or_none()


def filed(app: App, event_id: str) -> bool:
    return state_of(app, event_id) is not None


def last_sign_deadline(app: App) -> datetime:
    """The latest sign deadline of the work orders in force."""
    c = work_orders.c
    with app.engine.connect() as conn:
        latest: datetime | None = conn.execute(
            select(func.max(c.sign_by)).where(c.active)
        ).scalar_one()
    assert latest is not None, "no work order with a sign deadline"
    return latest


def test_every_dashboard_panel_has_data_and_the_logs_are_clean(
    live_app: tuple[App, str], tmp_path: Path
) -> None:
    queries = panel_queries()
    assert queries, f"no dashboard panels found under {DASHBOARDS}"
    app, api_url = live_app
    logs = io.StringIO()
    handler = logging.StreamHandler(logs)
    handler.setFormatter(json_formatter())
    logging.getLogger("grid_router").addHandler(handler)
    logging.getLogger("grid_router").setLevel(logging.INFO)
    prometheus = Prometheus(f"127.0.0.1:{app.serve_metrics(port=0, host='127.0.0.1')}", tmp_path)
    try:
        _scenario(app, api_url, prometheus)
        empty = [
            f"{dashboard} / {title}: {expr}"
            for dashboard, title, expr in queries
            if not prometheus.has(expand(expr))
        ]
    finally:
        prometheus.stop()
        logging.getLogger("grid_router").removeHandler(handler)
    assert not empty, "panels without data:\n" + "\n".join(empty)
    _check_logs(logs.getvalue())


def _scenario(app: App, api_url: str, prometheus: Prometheus) -> None:
    """Reports through the API; one signed, handled, verified and closed in time; the rest left
    unsigned, so they breach and escalate; one undecodable message; bridge traffic to 数字城管."""
    store = SqlTokenStore(app.engine, app.clock)
    worker = store.create("worker", Role.GRID_WORKER, None, (GRID,))[1]
    operator = store.create("operator", Role.OPERATOR)[1]
    dispatcher = store.create("dispatcher", Role.DISPATCHER, COMMUNITY)[1]
    verifier = store.create("verifier", Role.VERIFIER, COMMUNITY[:9])[1]
    with httpx.Client(base_url=api_url, timeout=30) as http:
        ids = []
        for n, body in enumerate(
            [
                garbage(),
                garbage(description="7号楼旁垃圾桶破损，垃圾散落一地"),
                garbage(description="菜市场门口占道经营，影响通行", title="占道经营"),
            ]
        ):
            answer = http.post(
                "/api/v1/reports", json=body, headers={**bearer(worker), "Idempotency-Key": f"k{n}"}
            )
            assert answer.status_code == 202, answer.text
            ids.append(answer.json()["event_id"])
        other = garbage(
            grid_code=None, community_code=OTHER_DISTRICT_COMMUNITY, address="思明区鸿山社区"
        )
        answer = http.post("/api/v1/reports", json=other, headers=bearer(operator))
        assert answer.status_code == 202, answer.text
        assert http.post("/api/v1/reports", json={}, headers=bearer(worker)).status_code == 422

        first = ids[0]
        wait_until("the first report filed", lambda: filed(app, first))
        steps: list[tuple[str, dict[str, Any]]] = [
            (dispatcher, {"action": "SIGN"}),
            (dispatcher, {"action": "HANDLE", "result": "已清运"}),
            (verifier, {"action": "VERIFY", "verify_passed": True, "reason": "现场核查已清理"}),
            (verifier, {"action": "CLOSE"}),
        ]
        for token, action in steps:
            wait_accepted(http, f"/api/v1/events/{first}/actions", action, token)
        assert http.get(f"/api/v1/events/{first}", headers=bearer(operator)).status_code == 200
        wait_until("the first report closed", lambda: state_of(app, first) == "CLOSED")
        # The others were never signed: the drill clock passes their sign deadlines.
        assert isinstance(app.clock, DrillClock)
        app.clock.jump_to(last_sign_deadline(app) + timedelta(seconds=1))

    with KafkaProducer(bootstrap_servers=app.settings.kafka_bootstrap) as producer:
        producer.send(app.topics.reports, key=b"x", value=b"\x00not avro").get(30)

    signals = [
        'grid_time_to_close_seconds_count{job="grid-router"}',
        "grid_escalations_total",
        'grid_bridge_deliveries_total{outcome="delivered"}',
        "grid_deadletter_total",
        "grid_consumer_lag",
        "grid_sla_stages_completed_total",
        "grid_sla_breaches_total",
        "grid_sla_warnings_total",
    ]
    for signal in signals:
        wait_until(f"Prometheus to see {signal}", functools.partial(prometheus.has, signal))
    # Two more scrapes, so that every rate has two samples after the last change.
    scraped = prometheus.scrapes()
    wait_until("two more scrapes", lambda: prometheus.scrapes() >= scraped + 2)


def wait_accepted(http: httpx.Client, path: str, body: dict[str, Any], token: str) -> None:
    """POST an action once the state allows it (the router applies the one before it)."""
    deadline = time.monotonic() + 30
    while True:
        answer = http.post(path, json=body, headers=bearer(token))
        if answer.status_code == 202:
            return
        if answer.status_code != 409 or time.monotonic() > deadline:
            raise AssertionError(f"{body['action']}: {answer.status_code} {answer.text}")
        time.sleep(0.1)


def _check_logs(text: str) -> None:
    lines = [json.loads(line) for line in text.splitlines()]  # every line is one JSON object
    assert lines
    events = [line for line in lines if line.get("event_id")]
    assert {line["action"] for line in events} >= {"DISPATCH", "SIGN", "ESCALATE", "CLOSE"}, {
        line["action"] for line in events
    }
    personal = ["林小梅", "13900001234", "垃圾满溢", "湖里区殿前街道高殿社区5号楼", "GW-0571"]
    for line in text.splitlines():
        for secret in personal:
            assert secret not in line, f"{secret!r} logged: {line}"
