"""Metric names for the dashboards' and the alert rules' tests: the series grid_router serves
(read from its metrics contract, grid_router/service/metrics.py) and the metric names a PromQL
expression uses."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from grid_router.service.metrics import DatabaseGauges, GridMetrics

ROOT = Path(__file__).resolve().parents[2]
API_PACKAGE = ROOT / "grid_router" / "entrypoints" / "api"

# Series Prometheus itself writes for every scrape target.
PROMETHEUS_SERIES = frozenset({"up"})

# Suffixes of the series of each metric type, as exposed (prometheus_client drops a counter's
# `_total` from its family name; `_created` is left out: no query should need it).
_SUFFIXES = {
    "counter": ("_total",),
    "histogram": ("_bucket", "_sum", "_count"),
    "summary": ("", "_sum", "_count"),
    "info": ("_info",),
}


def served_metric_names() -> frozenset[str]:
    """Every series name of the router's and the API's metrics, and Prometheus' own `up`."""
    metrics = GridMetrics()
    metrics.router_started()
    metrics.watch_database(
        lambda: DatabaseGauges(
            open_incidents={}, outbox_pending=0, outbox_oldest_age_seconds=0.0, last_report_at={}
        )
    )
    names = set(PROMETHEUS_SERIES)
    names.update(name + "_total" for name in _watched_counts())
    for family in metrics.registry.collect():
        names.update(family.name + s for s in _SUFFIXES.get(family.type, ("",)))
    return frozenset(names)


def _watched_counts() -> Iterator[str]:
    """Names of the counters the API passes to `GridMetrics.watch_counts` (counts it keeps
    itself, such as refused webhook signatures), read from its source."""
    for path in sorted(API_PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "watch_counts"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield node.args[0].value


# What is not a metric name in PromQL: strings, label matchers, range and subquery brackets,
# label lists of grouping and matching, then keywords and function calls.
_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`""")
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGE = re.compile(r"\[[^\[\]]*\]")
_LABEL_LIST = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_IDENTIFIER = re.compile(r"(?<![\w.:$])([A-Za-z_:][\w:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "atan2", "group_left", "group_right", "inf", "nan"}
)


def metric_names_in(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (Grafana's $variables are ignored)."""
    bare = _STRING.sub('""', expr)
    bare = _MATCHERS.sub("", bare)
    bare = _RANGE.sub("", bare)
    bare = _LABEL_LIST.sub("", bare)
    return {name for name in _IDENTIFIER.findall(bare) if name.lower() not in _KEYWORDS}
