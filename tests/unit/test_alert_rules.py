"""The Prometheus alert rules (deploy/prometheus/rules/): promtool accepts them and their unit
tests (deploy/prometheus/tests/) pass; every alert is tested firing and quiet, and every metric
they read is one grid_router serves."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from tests.unit.metric_names import metric_names_in, served_metric_names

ROOT = Path(__file__).resolve().parents[2]
RULES = sorted((ROOT / "deploy" / "prometheus" / "rules").glob("*.yml"))
TESTS = sorted((ROOT / "deploy" / "prometheus" / "tests").glob("*.yml"))
SEVERITIES = {"warning", "critical"}

Json = dict[str, Any]


def _promtool(*args: str) -> None:
    """Run promtool from the repository's root; fail with its output unless it succeeds."""
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail(
            "promtool is missing: install Debian's `prometheus` package "
            "(apt-get install -y prometheus; CI does) to check the alert rules"
        )
    done = subprocess.run(
        [promtool, *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, f"promtool {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def _load(path: Path) -> Json:
    return cast(Json, yaml.safe_load(path.read_text(encoding="utf-8")))


def _alerts() -> list[Json]:
    return [
        rule
        for path in RULES
        for group in _load(path)["groups"]
        for rule in group["rules"]
        if "alert" in rule
    ]


def test_there_are_rules_and_tests() -> None:
    assert RULES, "no rule files in deploy/prometheus/rules/"
    assert TESTS, "no rule tests in deploy/prometheus/tests/"


def test_promtool_checks_the_rules() -> None:
    _promtool("check", "rules", *(str(p.relative_to(ROOT)) for p in RULES))


def test_promtool_unit_tests_pass() -> None:
    _promtool("test", "rules", *(str(p.relative_to(ROOT)) for p in TESTS))


def test_every_alert_is_tested_firing_and_quiet() -> None:
    firing: set[str] = set()
    quiet: set[str] = set()
    for path in TESTS:
        for case in _load(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = [a["alert"] for a in _alerts()]
    assert len(names) == len(set(names)), f"an alert name is used twice: {names}"
    for name in names:
        assert name in firing, f"no test case where {name} fires"
        assert name in quiet, f"no test case where {name} stays quiet"
    unknown = (firing | quiet) - set(names)
    assert not unknown, f"tests of alerts that do not exist: {sorted(unknown)}"


def test_every_alert_has_for_severity_and_annotations() -> None:
    for alert in _alerts():
        name = alert["alert"]
        assert re.fullmatch(r"\d+[smh]", str(alert.get("for", ""))), f"{name}: no `for:`"
        assert alert.get("labels", {}).get("severity") in SEVERITIES, f"{name}: severity"
        annotations = alert.get("annotations", {})
        assert annotations.get("summary"), f"{name}: no summary"
        assert annotations.get("description"), f"{name}: no description"


def test_every_metric_in_the_rules_is_served() -> None:
    served = served_metric_names()
    expected = {
        "grid_sla_breaches_total",
        "grid_sla_stages_completed_total",
        "grid_district_last_report_timestamp_seconds",
        "grid_deadletter_total",
        "grid_outbox_oldest_pending_age_seconds",
        "grid_consumer_lag",
        "grid_bridge_circuit_open",
        "up",
        "grid_api_requests_total",
    }
    used: set[str] = set()
    for alert in _alerts():
        names = metric_names_in(alert["expr"])
        # Metrics the annotations look up (the district's name).
        for text in alert.get("annotations", {}).values():
            names |= set(re.findall(r"\bgrid_\w+", text))
        unknown = names - served
        assert not unknown, f"{alert['alert']}: {sorted(unknown)} not in grid_router's metrics"
        used |= names
    assert expected <= used, f"no alert reads {sorted(expected - used)}"
