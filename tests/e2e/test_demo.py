"""`grid-router demo` as `make run` runs it: the whole city in one process against the test
session's broker, a drill that escalates and delivers to the bridges, a summary, and nothing
left running afterwards (README, "The two commands")."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import yaml

from grid_router.demo.runner import DEFAULT_SCALE, write_drill_policy
from grid_router.policy.load import default_policy_path, load_policy

pytestmark = pytest.mark.integration


def demo_env(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path, database_url: str | None = None
) -> dict[str, str]:
    """The demo's environment: the test broker, topics of its own, and `database_url` (a
    SQLite file of its own if None)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GRID_BRIDGE_", "GRID_POLICY", "GRID_SLA_SCALE"))
    }
    env.update(
        GRID_KAFKA_BOOTSTRAP=kafka_bootstrap,
        GRID_TOPIC_PREFIX=topic_prefix,
        GRID_CONSUMER_GROUP=f"demo-{uuid.uuid4().hex[:8]}",
        GRID_DATABASE_URL=database_url or f"sqlite:///{tmp_path / 'demo.db'}",
        GRID_API_PORT="0",
        GRID_METRICS_PORT="0",
        GRID_PARTITIONS="2",
        GRID_PHOTO_DIR=str(tmp_path / "photos"),
    )
    return env


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "grid_router.entrypoints.cli", "demo", *args]


def port_of(url: str) -> int:
    found = re.search(r":(\d+)(/|$)", url)
    assert found, url
    return int(found.group(1))


def port_is_free(port: int) -> bool:
    """Nothing listens on `port` any more, and a server could listen there again (as servers
    do, with SO_REUSEADDR: connections the demo closed may linger in TIME_WAIT)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(2)
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            s.listen(1)
        except OSError:
            return False
        return True


DRILL_SECONDS = 90


def test_the_drill_escalates_delivers_to_the_bridges_and_leaves_nothing_running(
    kafka_bootstrap: str, database_url: str, topic_prefix: str, tmp_path: Path
) -> None:
    # On SQLite and on PostgreSQL: the whole pipe, timers, outbox and bridges on each.
    summary_path = tmp_path / "summary.json"
    # 90 s at scale 240 is six hours of drill time: enough for some incidents to go round the
    # whole loop (sign, start, handle, verify, close) even when a loaded machine makes each
    # round trip slow; at 45 s a busy CI machine closed none.
    args = ["--duration", str(DRILL_SECONDS), "--rate", "8", "--seed", "7", "--no-live"]
    result = subprocess.run(
        command(*args, "--summary-json", str(summary_path)),
        env=demo_env(kafka_bootstrap, topic_prefix, tmp_path, database_url),
        capture_output=True,
        text=True,
        timeout=300,  # a hang guard only: a loaded machine takes its time to start and stop
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "Drill summary: finished" in out
    assert "Where to look" in out
    assert re.search(r"\[\s+\d+s \| city \+", out), "no progress lines in --no-live mode"

    s: dict[str, Any] = json.loads(summary_path.read_text(encoding="utf-8"))
    assert s["seed"] == 7
    assert s["interrupted"] is False
    # The drill ran its whole duration on its own clock, then ended by itself.
    assert (s["duration"], s["scale"]) == (DRILL_SECONDS, DEFAULT_SCALE)
    assert s["elapsed_seconds"] >= DRILL_SECONDS
    assert s["failed"] is None
    assert s["reports"]["sent"] > 200
    assert set(s["reports"]["by_channel"]) == {"grid", "hotline", "citymgmt"}
    assert s["reports"]["failed"] == 0, s["failure_reasons"]
    assert s["incidents"]["filed"] > 200
    assert s["incidents"]["closed"] > 0
    # The typhoon (a third in, 10 s) opens a waterlogging burst incident at its district.
    assert s["reports"]["typhoon"] > 10
    assert len(s["incidents"]["bursts"]) == 1
    # Dispatch centres that never sign: the red cards and the escalations they cause.
    assert s["sla_breaches"] > 0
    assert s["escalations"] > 0
    assert any(k.startswith("community->street:timeout") for k in s["escalations_by"])
    assert s["sla_warnings"] > 0
    # Bridge traffic, delivered to the reference far sides and received there.
    assert s["bridge_deliveries"] > 0
    by = s["bridge_deliveries_by"]
    assert by["hotline-12345"]["delivered"] > 0
    assert by["citymgmt"]["delivered"] > 0
    assert s["reference_received"]["hotline-12345"] > 0
    assert by["hotline-12345"]["parked"] == 0
    # The figures come from the metrics endpoint, scraped while it served.
    m = s["metrics"]
    assert m["scraped"] is True
    assert m["grid_escalations_total"] == s["escalations"] > 0
    assert m["grid_sla_breaches_total"] > 0
    assert m["grid_bridge_deliveries_total"] > 0
    assert m["grid_reports_received_total"] >= s["incidents"]["filed"]
    assert s["actions"]["failed"] == 0, s["failure_reasons"]
    # Nothing is left listening.
    assert port_is_free(port_of(s["api_url"]))
    assert port_is_free(port_of(s["metrics_url"]))


class Lines:
    """A child's standard output, line by line, as it comes."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.5)
            except queue.Empty:
                continue
            if line is None:
                break
            self.seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
        raise AssertionError(f"no line matching {pattern!r}; got:\n{''.join(self.seen)[-3000:]}")


def test_ctrl_c_stops_everything_cleanly_with_the_summary(
    kafka_bootstrap: str, topic_prefix: str, tmp_path: Path
) -> None:
    summary_path = tmp_path / "summary.json"
    child = subprocess.Popen(
        command("--duration", "0", "--seed", "3", "--no-live", "--summary-json", str(summary_path)),
        env=demo_env(kafka_bootstrap, topic_prefix, tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert child.stdout is not None
        lines = Lines(child.stdout)
        found = lines.wait_for(r"metrics on (http://\S+/metrics)", timeout=90)
        metrics_url = found.group(1)
        lines.wait_for(r"reports [1-9]\d+ \(", timeout=60)  # 10 or more: mid-flow
        # The metrics endpoint serves while the drill runs.
        answer = httpx.get(metrics_url, timeout=10)
        assert answer.status_code == 200
        assert "grid_reports_received_total" in answer.text
        child.send_signal(signal.SIGINT)
        lines.wait_for(r"Drill summary: stopped by Ctrl-C", timeout=60)
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    s = json.loads(summary_path.read_text(encoding="utf-8"))
    assert s["interrupted"] is True
    assert s["failed"] is None
    assert s["reports"]["sent"] > 0
    assert s["metrics"]["scraped"] is True
    assert port_is_free(port_of(s["api_url"]))
    assert port_is_free(port_of(s["metrics_url"]))
    assert port_of(s["metrics_url"]) == port_of(metrics_url)


def test_the_drill_policy_counts_wall_time_and_is_marked(tmp_path: Path) -> None:
    path = write_drill_policy(default_policy_path(), tmp_path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert {p["clock"] for p in raw["sla"]["policies"].values()} == {"wall_clock"}
    policy = load_policy(path)
    assert policy.version.endswith("+drill")
    original = load_policy(default_policy_path())
    assert policy.routing.bursts == original.routing.bursts
    assert set(policy.endpoints) == set(original.endpoints)
