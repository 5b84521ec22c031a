"""Bridges under faults, end to end: real Kafka, real databases, the reference far sides on real
HTTP. While the hotline is down, then answers 500, then 429, then times out, 1,000 hotline
tickets flow and a third of them are signed; when it is back, every outcome has arrived exactly
once per idempotency key, in order per ticket, and 数字城管 got its cases all along. Then the
same after the router is killed with SIGKILL in the middle of deliveries.

The bundled policy is used with shorter backoff and circuit-breaker times (a drill's), so that
the test runs in seconds; the mechanism is the same.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import select

from grid_router.adapters.db.tables import incidents
from grid_router.bootstrap import App
from grid_router.bridges_reference.app import create_reference_app
from grid_router.bridges_reference.runner import ReferenceServer
from grid_router.domain.model import IncidentReport, Reporter
from grid_router.entrypoints.relay_process import settings_env
from grid_router.policy.load import default_policy_path
from grid_router.service.intake import ActionIntake, ReportIntake, new_action
from tests.integration.kafka_helpers import make_app

SECRETS = {"hotline": "hotline-s3cret", "citymgmt": "citymgmt-s3cret", "public-safety": "ps-s3"}
TICKETS = 1000
SIGNED = 300
KILLED_TICKETS = 400  # enough to be killed in the middle of deliveries


@pytest.fixture
def drill_policy(tmp_path: Path) -> Path:
    source = default_policy_path()
    (tmp_path / "taxonomy.yaml").write_text(
        (source.parent / "taxonomy.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    policy = yaml.safe_load(source.read_text(encoding="utf-8"))
    for bridge in policy["bridges"].values():
        bridge.update(
            backoff_first_seconds=0.2, backoff_max_seconds=2, breaker_failures=3,
            breaker_reset_seconds=1, timeout_seconds=1, max_attempts=1000,
        )  # fmt: skip
    path = tmp_path / "drill.yaml"
    path.write_text(yaml.safe_dump(policy, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def far_side() -> Iterator[httpx.Client]:
    app = create_reference_app(SECRETS, None, None)
    with ReferenceServer(app) as server, httpx.Client(base_url=server.url, timeout=10) as c:
        yield c


@pytest.fixture
def app(
    kafka_bootstrap: str,
    database_url: str,
    topic_prefix: str,
    drill_policy: Path,
    far_side: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[App]:
    base = str(far_side.base_url).rstrip("/")
    for far, name in (("hotline", "HOTLINE"), ("citymgmt", "CITYMGMT")):
        monkeypatch.setenv(f"GRID_BRIDGE_{name}_URL", f"{base}/{far}")
        monkeypatch.setenv(f"GRID_BRIDGE_{name}_SECRET", SECRETS[far])
    a = make_app(kafka_bootstrap, database_url, topic_prefix, policy=drill_policy)
    yield a
    a.close()


def set_mode(far_side: httpx.Client, far: str, mode: str, **kw: Any) -> None:
    far_side.post(f"/_control/mode/{far}", json={"mode": mode, **kw}).raise_for_status()


def received(far_side: httpx.Client, bridge: str) -> dict[str, Any]:
    answer = far_side.get("/_control/received", params={"bridge": bridge})
    answer.raise_for_status()
    data: dict[str, Any] = answer.json()
    return data


def wait_for(what: str, condition: Callable[[], bool], timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def tickets(n: int) -> list[IncidentReport]:
    return [
        IncidentReport(
            event_id=str(uuid.uuid4()),
            reported_at=datetime.now(UTC),
            source="HOTLINE",
            reporter=Reporter(id="agent-7", role="hotline_agent"),
            description="小区门口垃圾桶满溢，好几天没人清运",
            category_code="CITY_MGMT",
            # A grid each, so that no ticket merges into another.
            grid_code=f"35020600200{7 + i % 2}{i // 2 + 1:03d}",
            external_ref=f"GD2026{i:06d}",
        )
        for i in range(n)
    ]


def holders(app: App, ids: list[str]) -> dict[str, str]:
    with app.engine.connect() as conn:
        rows = conn.execute(
            select(incidents.c.event_id, incidents.c.unit_code).where(incidents.c.event_id.in_(ids))
        ).all()
    return {r.event_id: r.unit_code for r in rows}


def check_hotline(far_side: httpx.Client, reports: list[IncidentReport], signed: set[str]) -> None:
    """Every expected progress once per key, and per ticket in version order."""
    got = received(far_side, "hotline-12345")
    deliveries = got["deliveries"]
    keys = [d["idempotency_key"] for d in deliveries]
    assert len(keys) == len(set(keys)), "the far side recorded a key twice"
    by_ticket: dict[str, list[tuple[int, str]]] = {}
    for d in deliveries:  # in arrival order
        p = d["payload"]
        by_ticket.setdefault(p["ticket_no"], []).append((p["version"], p["status_code"]))
    for r in reports:
        assert r.external_ref is not None
        steps = by_ticket.get(r.external_ref, [])
        expected = ["DISPATCH", "SIGN"] if r.event_id in signed else ["DISPATCH"]
        assert [code for _, code in steps] == expected, (r.external_ref, steps)
        versions = [v for v, _ in steps]
        assert versions == sorted(versions)


def send_and_sign(app: App, reports: list[IncidentReport], n_signed: int = SIGNED) -> set[str]:
    ReportIntake(app.producer(), app.codec, app.topics).submit_all(reports)

    def filed() -> bool:
        return len(holders(app, [r.event_id for r in reports])) == len(reports)

    wait_for("the tickets to be filed", filed)
    who = holders(app, [r.event_id for r in reports[:n_signed]])
    now = datetime.now(UTC)
    ActionIntake(app.producer(), app.codec, app.topics).submit_all(
        [
            new_action(e, "SIGN", unit_code=u, role="dispatcher", user_id="d-1", at=now)
            for e, u in who.items()
        ]
    )
    return set(who)


def test_a_failing_hotline_loses_nothing_and_never_holds_up_citymgmt(
    app: App, far_side: httpx.Client
) -> None:
    set_mode(far_side, "hotline", "down")
    worker = app.router_worker(relay_in_process=False)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    try:
        reports = tickets(TICKETS)
        signed = send_and_sign(app, reports)
        # 数字城管 gets every case while the hotline is down.
        wait_for(
            "数字城管 to receive every case",
            lambda: len(received(far_side, "citymgmt")["deliveries"]) == TICKETS,
        )
        stats = received(far_side, "hotline-12345")["stats"]["hotline"]
        assert stats["accepted"] == 0
        # The circuit breaker stops the hammering: far fewer calls than deliveries.
        assert stats["calls"] < TICKETS
        for mode, kw in (
            ("error", {"calls": 10}),
            ("throttle", {"seconds": 1, "calls": 6}),
            ("slow", {"seconds": 1.5, "calls": 3}),  # the sender gives up after 1 s
        ):
            set_mode(far_side, "hotline", mode, **kw)
            wait_for(f"the hotline to see its {mode} calls", lambda: _mode_used(far_side))
        set_mode(far_side, "hotline", "ok")
        expected = TICKETS + len(signed)
        wait_for(
            "every hotline delivery",
            lambda: len(received(far_side, "hotline-12345")["deliveries"]) >= expected,
        )
    finally:
        worker.stop()
        thread.join(60)
    check_hotline(far_side, reports, signed)
    cases = received(far_side, "citymgmt")
    assert sorted(d["payload"]["case_no"] for d in cases["deliveries"]) == sorted(
        r.event_id for r in reports
    )


def _mode_used(far_side: httpx.Client) -> bool:
    # A mode given for K calls falls back to "ok" once they are used up.
    modes = far_side.get("/_control/mode").json()
    hotline = next(m for m in modes if m["far_side"] == "hotline")
    return bool(hotline["mode"] == "ok")


def test_a_router_killed_in_the_middle_of_deliveries_loses_and_repeats_nothing(
    app: App, far_side: httpx.Client, tmp_path: Path
) -> None:
    set_mode(far_side, "hotline", "slow", seconds=0.05)  # keep deliveries in flight
    env = {**os.environ, **settings_env(app.settings)}
    log = (tmp_path / "router.log").open("w")

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    router = start()
    try:
        reports = tickets(KILLED_TICKETS)
        signed = send_and_sign(app, reports, KILLED_TICKETS // 3)
        wait_for(
            "deliveries under way",
            lambda: len(received(far_side, "hotline-12345")["deliveries"]) >= 100,
        )
        router.send_signal(signal.SIGKILL)
        router.wait(30)
        set_mode(far_side, "hotline", "ok")
        router = start()
        expected = KILLED_TICKETS + len(signed)
        wait_for(
            "every hotline delivery after the restart",
            lambda: len(received(far_side, "hotline-12345")["deliveries"]) >= expected,
        )
        wait_for(
            "数字城管 to receive every case",
            lambda: len(received(far_side, "citymgmt")["deliveries"]) == KILLED_TICKETS,
        )
    finally:
        router.terminate()
        router.wait(60)
    check_hotline(far_side, reports, signed)
    # Repeats after the kill are allowed on the wire and dropped by key at the far side.
    counts = received(far_side, "hotline-12345")["counts"]
    assert len(counts) == KILLED_TICKETS + len(signed)
