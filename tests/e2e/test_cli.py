"""The command line as an operator uses it: `report` in, `run` routing, `queue` out."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from grid_router.bootstrap import App
from grid_router.entrypoints.relay_process import settings_env
from tests.integration.kafka_helpers import make_app


@pytest.fixture
def app(kafka_bootstrap: str, tmp_path: Path, topic_prefix: str) -> Iterator[App]:
    from grid_router.adapters.db.engine import make_engine
    from grid_router.adapters.db.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgrade(make_engine(url))
    a = make_app(kafka_bootstrap, url, topic_prefix)
    yield a
    a.close()


@pytest.fixture
def db_app(kafka_bootstrap: str, database_url: str, topic_prefix: str) -> Iterator[App]:
    """An App on each kind of database (SQLite and PostgreSQL, migrated), for the tests where
    the database matters: the pipeline from `report` through `run` to `queue`. (The drill of
    test_demo.py signs, handles and closes on both; `act` here stays on SQLite, for CI's time.)"""
    a = make_app(kafka_bootstrap, database_url, topic_prefix)
    yield a
    a.close()


def cli(
    app: App, *args: str, stdin: str = "", timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grid_router.entrypoints.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=settings_env(app.settings),
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def running_router(app: App, tmp_path: Path) -> Iterator[None]:
    """`grid-router run` in a child process, its output in router.log; stopped with SIGTERM,
    which must end it cleanly."""
    with (tmp_path / "router.log").open("w") as log:
        router = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=settings_env(app.settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            yield
        finally:
            router.terminate()
            assert router.wait(timeout=60) == 0


def test_bad_report_is_refused_with_every_field_named_and_nothing_sent(app: App) -> None:
    result = cli(app, "report", stdin=json.dumps({"grid_code": "12345", "title": ""}))
    assert result.returncode == 2
    assert "grid_code" in result.stderr
    assert "description: Field required" in result.stderr
    assert "title" in result.stderr
    assert result.stdout == ""


def test_report_then_run_then_queue_shows_the_work_order(db_app: App, tmp_path: Path) -> None:
    app = db_app
    report = {
        "source": "GRID_APP",
        "reporter": {"id": "GW-350206002008-03"},
        "grid_code": "350206002008005",
        "category_code": "FIRE",
        "description": "高殿社区12号楼楼道里电动车充电",
    }
    submitted = cli(app, "report", stdin=json.dumps(report))
    assert submitted.returncode == 0, submitted.stderr
    event_id = submitted.stdout.strip()
    assert len(event_id) == 36

    port = free_port()
    app.settings = app.settings.model_copy(update={"metrics_port": port, "log_format": "json"})
    with running_router(app, tmp_path):
        # Fire hazards start at the street (the category floor): 殿前街道's queue.
        queue = cli(app, "queue", "--unit", "350206002", "--max", "1", "--timeout", "60")
        # The router serves its metrics and counts the report once its batch has committed.
        counted = 'grid_reports_received_total{category="FIRE",district="350206",source="GRID_APP"}'
        deadline = time.monotonic() + 30
        while f"{counted} 1.0" not in (text := metrics(port)):
            assert time.monotonic() < deadline, text
            time.sleep(0.2)
        assert 'grid_open_incidents{level="street",state="DISPATCHED"} 1.0' in text
    assert queue.returncode == 0, queue.stderr
    assert event_id in queue.stdout
    assert "殿前街道" in queue.stdout
    assert "消防安全" in queue.stdout
    # GRID_LOG_FORMAT=json: every line of the router's log is one JSON object, and the report
    # has its line, without the reporter or the description.
    lines = [json.loads(line) for line in (tmp_path / "router.log").read_text().splitlines()]
    [filed] = [line for line in lines if line.get("event_id") == event_id]
    assert (filed["action"], filed["level"], filed["unit"]) == ("DISPATCH", "street", "350206002")
    assert "电动车" not in (tmp_path / "router.log").read_text()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def metrics(port: int) -> str:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    except httpx.TransportError:
        return ""


def test_act_signs_and_a_stranger_is_told_why_not(app: App, tmp_path: Path) -> None:
    report = {
        "source": "GRID_APP",
        "reporter": {"id": "GW-350206002008-03"},
        "grid_code": "350206002008005",
        "category_code": "CITY_MGMT",
        "description": "5号楼门口垃圾满溢，无人清运",
    }
    event_id = cli(app, "report", stdin=json.dumps(report)).stdout.strip()
    with running_router(app, tmp_path):
        cli(app, "queue", "--unit", "350206002008", "--max", "1", "--timeout", "60")
        stranger = cli(app, "act", event_id, "sign", "--unit", "350206002007")
        signed = cli(app, "act", event_id, "SIGN", "--unit", "350206002008")
        early = cli(app, "act", event_id, "CLOSE", "--unit", "350206002", "--role", "verifier")
    assert stranger.returncode == 2, stranger.stderr
    assert "SIGN refused (NOT_YOUR_WORK_ORDER)" in stranger.stderr
    assert signed.returncode == 0, signed.stderr
    assert f"{event_id} v3 DISPATCHED → SIGNED at community:350206002008" in signed.stdout
    assert early.returncode == 2
    assert "ILLEGAL_TRANSITION" in early.stderr


def test_dead_letters_are_listed_and_replayed_to_their_source(app: App, tmp_path: Path) -> None:
    producer = app.producer()
    producer.send(app.topics.reports, key=b"350206002008", value=b"not avro").get(timeout=30)
    with running_router(app, tmp_path):
        from tests.integration.kafka_helpers import read_topic

        read_topic(app.settings.kafka_bootstrap, app.topics.deadletter, lambda rs: len(rs) >= 1)
        listed = cli(app, "dlq", "list")
        assert listed.returncode == 0, listed.stderr
        assert "DECODE_FAILED" in listed.stdout
        assert f"from {app.topics.reports}/" in listed.stdout
        assert "1 dead letters" in listed.stdout
        position = listed.stdout.split()[0]

        assert cli(app, "dlq", "replay", "9:999").returncode == 2
        replayed = cli(app, "dlq", "replay", position)
        assert replayed.returncode == 0, replayed.stderr
        assert f"{position} → {app.topics.reports}" in replayed.stdout
        # Still not Avro, so the router dead-letters it again, marked as a replay.
        again = read_topic(
            app.settings.kafka_bootstrap, app.topics.deadletter, lambda rs: len(rs) >= 2
        )
    assert len(again) == 2
    assert again[-1].value == b"not avro"
    assert ("grid.dlq.replayed-from", f"{app.topics.deadletter}/{position}".encode()) in [
        (k, v) for k, v in again[-1].headers
    ]


def test_unreachable_kafka_is_one_clear_line_not_a_traceback() -> None:
    import os

    result = subprocess.run(
        [sys.executable, "-m", "grid_router.entrypoints.cli", "report"],
        input=json.dumps({"description": "楼道堆放杂物"}),
        capture_output=True,
        text=True,
        env={**os.environ, "GRID_KAFKA_BOOTSTRAP": "127.0.0.1:1"},
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "127.0.0.1:1" in result.stderr
    assert "GRID_KAFKA_BOOTSTRAP" in result.stderr


def test_policy_check_reports_every_problem_and_passes_the_bundled_policy(tmp_path: Path) -> None:
    def check(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "policy", "check", *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert check().returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: '1'\nbogus: 2\n", encoding="utf-8")
    result = check(str(bad))
    assert result.returncode == 1
    assert "bogus: unknown key 'bogus'" in result.stdout
    assert "route: is required but missing" in result.stdout
    assert "problem(s)" in result.stdout


def _run(*args: str, stdin: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "grid_router.entrypoints.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_classify_is_json_lines_in_and_out_with_the_routers_decision() -> None:
    lines = [
        {"id": "a", "description": "湖里区殿前街道高殿社区12号楼着火了，火很大，有人被困"},
        {"id": "b", "description": "井盖没了", "grid_code": "350203003001002"},
        {"id": "c", "description": "x", "grid_code": "12"},
    ]
    result = _run("classify", stdin="\n".join(json.dumps(x, ensure_ascii=False) for x in lines))
    assert result.returncode == 1  # one line was bad
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    fire, manhole, bad = out
    for key in ("category_code", "category_name", "severity", "level", "unit_code"):
        assert key in fire
    assert (fire["category_code"], fire["level"], fire["unit_code"]) == (
        "FIRE",
        "district",
        "350206",
    )
    assert fire["department"] == "湖里区消防救援大队"
    assert fire["severity"] in ("II", "I")
    assert {c["unit_code"] for c in fire["info_copies"]} == {"350206002", "350206002008"}
    assert "被困" in fire["explanation"]
    assert 0 <= fire["confidence"] <= 1
    assert manhole["category_code"] == "CITY_MGMT"
    assert "grid_code" in bad["error"]
    assert bad["line"] == 3


def test_routes_test_prints_the_route_path_and_the_decision() -> None:
    report = {"source": "HOTLINE", "description": "思明区中华街道有家饭店卖的菜吃了拉肚子"}
    result = _run("routes", "test", stdin=json.dumps(report, ensure_ascii=False))
    assert result.returncode == 0, result.stderr
    assert "route path   default > " in result.stdout
    assert "FOOD_DRUG" in result.stdout
    assert "decision     ROUTED: street 中华街道" in result.stdout


def test_topics_create_uses_the_replication_setting(app: App) -> None:
    # One broker cannot hold two replicas: the setting reaches Kafka, which says why not.
    app.settings = app.settings.model_copy(
        update={"replication_factor": 2, "topic_prefix": app.settings.topic_prefix + "rf."}
    )
    result = cli(app, "topics", "create")
    assert result.returncode == 2, result.stdout
    assert "replication factor of 2 cannot be reached" in result.stderr
    # The default, one replica, is what the single development broker takes.
    app.settings = app.settings.model_copy(update={"replication_factor": 1})
    created = cli(app, "topics", "create")
    assert created.returncode == 0, created.stderr
    assert "created" in created.stdout
