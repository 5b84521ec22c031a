"""The Grafana dashboards (deploy/grafana/): the checked-in JSON is what build.py writes, and
every panel queries metrics grid_router serves, on the `prometheus` datasource, in PromQL that
parses once Grafana's variables are put in."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import yaml

from tests.unit.metric_names import metric_names_in, served_metric_names

ROOT = Path(__file__).resolve().parents[2]
GRAFANA = ROOT / "deploy" / "grafana"
BUILD = GRAFANA / "build.py"
DASHBOARDS = GRAFANA / "dashboards"
REBUILD = "edit deploy/grafana/build.py and run `.venv/bin/python deploy/grafana/build.py`"

# What Grafana puts in place of its variables, as the live dashboard test does.
SUBSTITUTIONS = {
    "$district": ".*",
    "$__rate_interval": "1m",
    "$__interval": "15s",
    "$__range": "5m",
}

Json = dict[str, Any]


def _rendered() -> dict[str, str]:
    """build.py's output, by file name, generated in this process."""
    spec = importlib.util.spec_from_file_location("grid_router_dashboards_build", BUILD)
    assert spec is not None
    assert spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return {name: cast(str, build.render(d)) for name, d in build.dashboards().items()}


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return _rendered()


@pytest.fixture(scope="module")
def dashboards(rendered: dict[str, str]) -> dict[str, Json]:
    return {name: cast(Json, json.loads(text)) for name, text in rendered.items()}


def _panels(dashboard: Json) -> Iterator[Json]:
    """Every panel, rows and the panels inside collapsed rows included."""
    for panel in dashboard["panels"]:
        yield panel
        yield from panel.get("panels", [])


def _queries(dashboards: dict[str, Json]) -> Iterator[tuple[str, str]]:
    """(where, expr) of every panel target."""
    for name, dashboard in dashboards.items():
        for panel in _panels(dashboard):
            for target in panel.get("targets", []):
                yield f"{name} / {panel['title']} / {target['refId']}", target["expr"]


def _substituted(expr: str) -> str:
    for variable, value in SUBSTITUTIONS.items():
        expr = expr.replace(variable, value)
    return expr


def test_checked_in_json_is_what_build_py_writes(rendered: dict[str, str]) -> None:
    on_disk = {p.name for p in DASHBOARDS.glob("*.json")}
    assert on_disk == set(rendered), f"deploy/grafana/dashboards/ holds {on_disk}: {REBUILD}"
    for name, text in rendered.items():
        committed = (DASHBOARDS / name).read_text(encoding="utf-8")
        assert committed == text, f"dashboards/{name} is not build.py's output: {REBUILD}"


def test_the_two_dashboards_have_their_uids(dashboards: dict[str, Json]) -> None:
    uids = {name: d["uid"] for name, d in dashboards.items()}
    assert uids == {"sla-overview.json": "grid-sla-overview", "engine.json": "grid-engine"}


def test_every_panel_has_the_datasource_and_a_unique_title(dashboards: dict[str, Json]) -> None:
    titles: list[str] = []
    for name, dashboard in dashboards.items():
        for panel in _panels(dashboard):
            title = panel.get("title")
            assert title, f"{name}: a {panel['type']} panel has no title"
            titles.append(title)
            assert panel.get("datasource") == {"type": "prometheus", "uid": "prometheus"}, (
                f"{name} / {title}: datasource {panel.get('datasource')}"
            )
            if panel["type"] != "row":
                assert panel.get("targets"), f"{name} / {title} has no query"
            for target in panel.get("targets", []):
                assert target["datasource"]["uid"] == "prometheus", f"{name} / {title}"
    duplicates = sorted({t for t in titles if titles.count(t) > 1})
    assert not duplicates, f"titles used twice: {duplicates}"


def test_every_metric_in_a_query_is_served(dashboards: dict[str, Json]) -> None:
    served = served_metric_names()
    used: set[str] = set()
    for where, expr in _queries(dashboards):
        names = metric_names_in(expr)
        assert names, f"{where}: no metric in {expr!r}"
        unknown = names - served
        assert not unknown, f"{where}: {sorted(unknown)} not in grid_router's metrics"
        used |= names
    # The headline metrics of the contract are all on a dashboard.
    for name in (
        "grid_sla_stages_completed_total",
        "grid_sla_breaches_total",
        "grid_escalations_total",
        "grid_open_incidents",
        "grid_routing_latency_seconds_bucket",
        "grid_outbox_oldest_pending_age_seconds",
        "grid_consumer_lag",
        "grid_bridge_deliveries_total",
        "grid_deadletter_total",
        "grid_api_requests_total",
    ):
        assert name in used, f"no panel shows {name}"


def test_only_the_district_variable_and_only_grafana_windows(
    dashboards: dict[str, Json],
) -> None:
    for name, dashboard in dashboards.items():
        variables = dashboard.get("templating", {}).get("list", [])
        assert len(variables) <= 1, f"{name} has more than one variable"
        for v in variables:
            assert v["name"] == "district"
            assert v["query"] == "label_values(grid_district_info, district)"
            assert (v["multi"], v["includeAll"], v["allValue"]) == (True, True, ".*")
            assert v["datasource"]["uid"] == "prometheus"
        for where, expr in _queries({name: dashboard}):
            uses = expr.count("$district")
            assert not uses or variables, f"{where}: $district on a dashboard without it"
            assert uses == expr.count('district=~"$district"'), (
                f'{where}: filter with district=~"$district"'
            )
            windows = set(re.findall(r"\[([^\[\]]*)\]", expr))
            assert windows <= {"$__rate_interval", "$__range"}, f"{where}: windows {windows}"


def _balanced(expr: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for c in re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr):
        if c in "([{":
            stack.append(c)
        elif c in pairs and (not stack or stack.pop() != pairs[c]):
            return False
    return not stack


def test_every_query_parses(dashboards: dict[str, Json], tmp_path: Path) -> None:
    """Brackets balance, and Prometheus' own parser (promtool, offline) accepts every query
    once Grafana's variables are replaced."""
    queries = list(_queries(dashboards))
    for where, expr in queries:
        assert _balanced(expr), f"{where}: unbalanced brackets in {expr!r}"
        assert "$" not in _substituted(expr), f"{where}: a variable Grafana would not fill"
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is missing: install Debian's `prometheus` package (CI does)")
    rules = [
        {"record": f"dashboard:query_{i}", "expr": _substituted(expr)}
        for i, (_, expr) in enumerate(queries)
    ]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))
    done = subprocess.run(
        [promtool, "check", "rules", str(path)], capture_output=True, text=True, check=False
    )
    where = "\n".join(f"dashboard:query_{i}: {w}" for i, (w, _) in enumerate(queries))
    assert done.returncode == 0, f"{done.stdout}{done.stderr}\n{where}"
