"""The Grafana dashboards of grid_router, built as code with Grafana Labs' foundation SDK.

    .venv/bin/python deploy/grafana/build.py

rewrites deploy/grafana/dashboards/*.json; edit this file, never the JSON
(tests/unit/test_dashboards.py checks that the two agree).

Two dashboards, both on the Prometheus datasource of uid `prometheus`:

- `sla-overview.json` (网格化 SLA 总览): on-time rates, breaches, escalations, open incidents,
  workload and durations, for operators; one variable, `district`.
- `engine.json`: routing latency, throughput, dead letters, outbox, Kafka lag, bridges and the
  HTTP API, for whoever runs the router.

Every query must return data on a router that has just handled a few reports (the live
dashboard test runs each one): counters are shown through `sum by (...) (rate(...))`, which
gives 0-valued series once a counter exists, and a counter that may legitimately never have
moved (refused actions, bad signatures) falls back to a 0 series. Gauges read from the database
are the same on every router sharing it, so they are aggregated with `max`, never `sum`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, Self, TypeVar

from grafana_foundation_sdk.builders import (
    bargauge,
    dashboard,
    prometheus,
    stat,
    statetimeline,
    table,
    timeseries,
)
from grafana_foundation_sdk.builders.common import (
    GraphThresholdsStyleConfig,
    ReduceDataOptions,
    StackingConfig,
    VizLegendOptions,
)
from grafana_foundation_sdk.cog.builder import Builder
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models import dashboard as model
from grafana_foundation_sdk.models.common import (
    BarGaugeDisplayMode,
    BigValueGraphMode,
    GraphThresholdsStyleMode,
    LegendDisplayMode,
    LegendPlacement,
    StackingMode,
    VizOrientation,
)
from grafana_foundation_sdk.models.prometheus import PromQueryFormat

OUT = Path(__file__).resolve().parent / "dashboards"

DATASOURCE = model.DataSourceRef(type_val="prometheus", uid="prometheus")
TAGS = ["grid-router"]

# The one template variable (SLA overview only); "All" matches every district, `unknown` too.
DISTRICT = 'district=~"$district"'
RATE = "$__rate_interval"
RANGE = "$__range"

COMPLETED = "grid_sla_stages_completed_total"
BREACHES = "grid_sla_breaches_total"
REPORTS = "grid_reports_received_total"

Steps = Sequence[tuple[float | None, str]]
GOOD_RATE: Steps = ((None, "red"), (0.8, "yellow"), (0.95, "green"))


# -- PromQL ---------------------------------------------------------------------------------------


def named(expr: str) -> str:
    """`expr` (series carrying a `district` label) with the district's Chinese name added as
    `name`; series of districts without a name (`unknown`) are kept, without it.

    Every router serves `grid_district_info`, hence the `max` before the join."""
    info = "max by (district, name) (grid_district_info)"
    return f"({expr}) * on (district) group_left (name) {info} or on (district) ({expr})"


def on_time_ratio(stage: str, by: str | None) -> str:
    """The share of `stage` completions done on time over the dashboard's range.

    On-time completions that never happened make no series; `or 0 * late` puts a 0 in their
    place, so a level or district whose completions were all late shows 0, not nothing."""
    sel = f'{COMPLETED}{{stage="{stage}",{DISTRICT}'
    on_time = f'increase({sel},on_time="true"}}[{RANGE}])'
    late = f'increase({sel},on_time="false"}}[{RANGE}])'
    total = f"increase({sel}}}[{RANGE}])"
    agg = f"sum by ({by})" if by else "sum"
    return f"{agg} ({on_time} or 0 * {late}) / {agg} ({total})"


def quantile(q: float, histogram: str, by: str = "", window: str = RATE) -> str:
    """The `q` quantile of a histogram over `window`, per `by`."""
    labels = f"le, {by}" if by else "le"
    return f"histogram_quantile({q}, sum by ({labels}) (rate({histogram}_bucket[{window}])))"


def per_hour(by: str, counter: str, selector: str = "") -> str:
    """A counter's rate per hour (city events are counted in hours, not seconds)."""
    sel = f"{{{selector}}}" if selector else ""
    return f"3600 * sum by ({by}) (rate({counter}{sel}[{RATE}]))"


def in_range(by: str, counter: str, selector: str = "") -> str:
    """How much a counter grew over the dashboard's range."""
    sel = f"{{{selector}}}" if selector else ""
    return f"sum by ({by}) (increase({counter}{sel}[{RANGE}]))"


def or_zero(expr: str, label: str) -> str:
    """`expr`, or one series {label="none"} of 0 while the counter behind it has no series
    (`on ()`: the 0 only when `expr` is empty, never beside real series)."""
    return f'{expr} or on () label_replace(vector(0), "{label}", "none", "", "")'


# -- Panels ---------------------------------------------------------------------------------------

Target = prometheus.Dataquery


def q(expr: str, legend: str = "__auto", *, instant: bool = False, tabular: bool = False) -> Target:
    """One Prometheus query of a panel (its refId is given by `panel`)."""
    target = Target().expr(expr).legend_format(legend).datasource(DATASOURCE)
    target = target.instant() if instant else target.range()
    return target.format(PromQueryFormat.TABLE) if tabular else target


class _Panel(Protocol):
    """What every panel builder of the SDK offers and `panel` uses."""

    def title(self, title: str) -> Self: ...
    def description(self, description: str) -> Self: ...
    def datasource(self, datasource: model.DataSourceRef) -> Self: ...
    def span(self, w: int) -> Self: ...
    def height(self, h: int) -> Self: ...
    def unit(self, unit: str) -> Self: ...
    def thresholds(self, thresholds: Builder[model.ThresholdsConfig]) -> Self: ...
    def with_target(self, target: Target) -> Self: ...


P = TypeVar("P", bound=_Panel)


def panel(
    builder: P,
    title: str,
    description: str,
    targets: Sequence[Target],
    *,
    unit: str = "short",
    w: int = 12,
    h: int = 8,
    steps: Steps = (),
) -> P:
    """A panel on the Prometheus datasource with its queries, refIds A, B, …"""
    p = builder.title(title).description(description).datasource(DATASOURCE)
    p = p.span(w).height(h).unit(unit)
    if steps:
        p = p.thresholds(thresholds(steps))
    for i, target in enumerate(targets):
        p = p.with_target(target.ref_id(chr(ord("A") + i)))
    return p


def thresholds(steps: Steps) -> dashboard.ThresholdsConfig:
    """Threshold steps from the lowest (value None: from minus infinity) up."""
    return (
        dashboard.ThresholdsConfig()
        .mode(model.ThresholdsMode.ABSOLUTE)
        .steps([model.Threshold(value=v, color=c) for v, c in steps])
    )


def series(
    title: str,
    description: str,
    targets: Sequence[Target],
    *,
    unit: str = "short",
    w: int = 12,
    stacked: bool = False,
    line_at: float | None = None,
) -> timeseries.Panel:
    """A time series panel; `line_at` draws a red threshold line (an alert's threshold)."""
    steps: Steps = ((None, "green"), (line_at, "red")) if line_at is not None else ()
    p = panel(timeseries.Panel(), title, description, targets, unit=unit, w=w, steps=steps)
    legend = VizLegendOptions().display_mode(LegendDisplayMode.LIST)
    p = p.legend(legend.placement(LegendPlacement.BOTTOM).show_legend(True))
    p = p.fill_opacity(10).line_width(1).min(0)
    if stacked:
        p = p.stacking(StackingConfig().mode(StackingMode.NORMAL))
    if line_at is not None:
        p = p.thresholds_style(GraphThresholdsStyleConfig().mode(GraphThresholdsStyleMode.LINE))
    return p


def bars(
    title: str,
    description: str,
    targets: Sequence[Target],
    *,
    unit: str = "short",
    w: int = 12,
    h: int = 8,
    steps: Steps = (),
) -> bargauge.Panel:
    """Horizontal bars, one per series, of the last value (instant queries)."""
    p = panel(bargauge.Panel(), title, description, targets, unit=unit, w=w, h=h, steps=steps)
    p = p.display_mode(BarGaugeDisplayMode.GRADIENT).orientation(VizOrientation.HORIZONTAL)
    p = p.reduce_options(ReduceDataOptions().calcs(["lastNotNull"]).values(False))
    return p.show_unfilled(True).min(0)


def single(
    title: str,
    description: str,
    target: Target,
    *,
    unit: str = "short",
    w: int = 6,
    h: int = 5,
    steps: Steps = (),
) -> stat.Panel:
    """One big number (or one per series)."""
    p = panel(stat.Panel(), title, description, [target], unit=unit, w=w, h=h, steps=steps)
    p = p.graph_mode(BigValueGraphMode.NONE)
    return p.reduce_options(ReduceDataOptions().calcs(["lastNotNull"]).values(False))


def grid(title: str, description: str, target: Target, *, rename: dict[str, str]) -> table.Panel:
    """A table of one instant query: its Time column hidden, its columns renamed."""
    organize = model.DataTransformerConfig(
        id_val="organize",
        options={"excludeByName": {"Time": True}, "renameByName": rename},
    )
    return panel(table.Panel(), title, description, [target]).with_transformation(organize)


def switches(title: str, description: str, target: Target, *, w: int = 8) -> statetimeline.Panel:
    """A state timeline of a 0/1 gauge: 0 closed (green), 1 open (red)."""
    closed = model.ValueMappingResult(text="closed", color="green", index=0)
    opened = model.ValueMappingResult(text="open", color="red", index=1)
    steps: Steps = ((None, "green"), (1, "red"))
    p = panel(statetimeline.Panel(), title, description, [target], w=w, steps=steps)
    return p.mappings([model.ValueMap(options={"0": closed, "1": opened})])


def base(uid: str, title: str, description: str, since: str) -> dashboard.Dashboard:
    """A dashboard with the common settings and a link to the other grid-router dashboards."""
    others = (
        dashboard.DashboardLink("Grid router")
        .type(model.DashboardLinkType.DASHBOARDS)
        .tags(TAGS)
        .as_dropdown(False)
        .include_vars(False)
        .keep_time(True)
    )
    return (
        dashboard.Dashboard(title)
        .uid(uid)
        .description(description)
        .tags(TAGS)
        .readonly()
        .timezone("browser")
        .time(since, "now")
        .refresh("1m")
        .tooltip(model.DashboardCursorSync.CROSSHAIR)
        .link(others)
    )


def section(
    d: dashboard.Dashboard, title: str, panels: Sequence[Builder[model.Panel]]
) -> dashboard.Dashboard:
    """A row, then its panels laid left to right, 24 columns a line."""
    d = d.with_row(dashboard.Row(title).datasource(DATASOURCE))
    for p in panels:
        d = d.with_panel(p)
    return d


# -- SLA overview ---------------------------------------------------------------------------------


def sla_overview() -> dashboard.Dashboard:
    """网格化 SLA 总览: how units keep their time limits, level by level, district by district."""
    district = (
        dashboard.QueryVariable("district")
        .label("District (区)")
        .description(
            "Xiamen's district codes (350203 思明区 … 350213 翔安区); All also matches reports "
            "the router could not place (unknown)."
        )
        .datasource(DATASOURCE)
        .query("label_values(grid_district_info, district)")
        .refresh(model.VariableRefresh.ON_TIME_RANGE_CHANGED)
        .sort(model.VariableSort.ALPHABETICAL_ASC)
        .multi(True)
        .include_all(True)
        .all_value(".*")
    )
    d = base(
        "grid-sla-overview",
        "Grid router · SLA overview (网格化 SLA 总览)",
        "On-time signing and handling, breaches (红牌), escalations up the chain "
        "community → street → district → city, open incidents, workload and durations.",
        "now-24h",
    ).with_variable(district)
    by_district = "{{name}} {{district}}"

    d = section(
        d,
        "On-time performance · 按时率",
        [
            single(
                "On-time sign rate · 签收按时率",
                "Share of work orders signed (签收) within their limit, over the dashboard's "
                "range.",
                q(on_time_ratio("sign", None), "on time", instant=True),
                unit="percentunit",
                steps=GOOD_RATE,
            ),
            single(
                "On-time handle rate · 处置按时率",
                "Share of incidents handled (处理反馈) within their limit, over the dashboard's "
                "range.",
                q(on_time_ratio("handle", None), "on time", instant=True),
                unit="percentunit",
                steps=GOOD_RATE,
            ),
            single(
                "SLA breaches in range · 红牌",
                "Limits used up (red cards) over the dashboard's range, every stage and level.",
                q(f"sum(increase({BREACHES}{{{DISTRICT}}}[{RANGE}]))", "breaches", instant=True),
                steps=((None, "green"), (1, "red")),
            ),
            single(
                "Open incidents · 在办案件",
                "Incidents not closed now, every level and state (the whole city: this "
                "database gauge has no district).",
                q("sum(max by (level, state) (grid_open_incidents))", "open", instant=True),
            ),
            *(
                bars(
                    f"On-time {stage} rate by level · 各级{zh}按时率",
                    f"Share of {stage} stages completed on time by the level holding the "
                    "incident, over the dashboard's range.",
                    [q(on_time_ratio(stage, "level"), "{{level}}", instant=True)],
                    unit="percentunit",
                    w=6,
                    steps=GOOD_RATE,
                )
                for stage, zh in (("sign", "签收"), ("handle", "处置"))
            ),
            *(
                bars(
                    f"On-time {stage} rate by district · 各区{zh}按时率",
                    f"Share of {stage} stages completed on time per district, over the "
                    "dashboard's range.",
                    [q(named(on_time_ratio(stage, "district")), by_district, instant=True)],
                    unit="percentunit",
                    w=6,
                    steps=GOOD_RATE,
                )
                for stage, zh in (("sign", "签收"), ("handle", "处置"))
            ),
            series(
                "Stage completions per hour, on time and late · 按时与超时",
                "Sign, handle and verify stages completed per hour, on time (true) or late "
                "(false).",
                [
                    q(
                        per_hour("stage, on_time", COMPLETED, DISTRICT),
                        "{{stage}} on time: {{on_time}}",
                    )
                ],
                w=24,
            ),
        ],
    )
    d = section(
        d,
        "Breaches and escalations · 超时与升级",
        [
            series(
                "SLA breaches per hour by stage and level · 红牌",
                "Red cards per hour, on the level that held the clock when its limit ran out.",
                [q(per_hour("stage, level", BREACHES, DISTRICT), "{{stage}} · {{level}}")],
            ),
            grid(
                "SLA breaches in range by district, stage and level",
                "Red cards over the dashboard's range per district (with its name), stage and "
                "level.",
                q(
                    named(in_range("district, stage, level", BREACHES, DISTRICT)),
                    instant=True,
                    tabular=True,
                ),
                rename={"name": "district name", "Value": "breaches"},
            ),
            series(
                "Escalations per hour, from → to · 上报",
                "Incidents passed one level up per hour (timeout: a breach; request: the unit "
                "asked). The metric has no district: the district filter does not apply.",
                [
                    q(
                        per_hour("from_level, to_level", "grid_escalations_total"),
                        "{{from_level}} → {{to_level}}",
                    )
                ],
            ),
            bars(
                "Escalations in range, from → to and reason",
                "Escalations over the dashboard's range by levels and reason (whole city).",
                [
                    q(
                        in_range("from_level, to_level, reason", "grid_escalations_total"),
                        "{{from_level}} → {{to_level}} ({{reason}})",
                        instant=True,
                    )
                ],
            ),
        ],
    )
    d = section(
        d,
        "Workload · 工作量",
        [
            series(
                "Open incidents by level · 各级在办",
                "Incidents not closed, stacked by the level holding them (whole city).",
                [q("sum by (level) (max by (level, state) (grid_open_incidents))", "{{level}}")],
                stacked=True,
            ),
            grid(
                "Open incidents by level and state",
                "Incidents not closed now, per level and state (REPORTED … SUSPENDED).",
                q("max by (level, state) (grid_open_incidents)", instant=True, tabular=True),
                rename={"Value": "open"},
            ),
            series(
                "Reports received per hour by district · 各区上报",
                "Reports filed per hour (merged repeats too), per district.",
                [q(named(per_hour("district", REPORTS, DISTRICT)), by_district)],
            ),
            series(
                "Reports received per hour by source · 来源",
                "Reports filed per hour by where they came from: grid workers, 12345, 数字城管 …",
                [q(per_hour("source", REPORTS, DISTRICT), "{{source}}")],
            ),
            series(
                "Work orders dispatched per hour by level · 派单",
                "Work orders a unit must act on, per hour, by level (information copies not "
                "counted; whole city).",
                [q(per_hour("level", "grid_workorders_dispatched_total"), "{{level}}")],
            ),
            bars(
                "Time since the last report by district · 最近上报",
                "How long ago each district last filed a report; GridDistrictSilent fires after "
                "6 hours.",
                [
                    q(
                        named(
                            "time() - max by (district) "
                            f"(grid_district_last_report_timestamp_seconds{{{DISTRICT}}})"
                        ),
                        by_district,
                        instant=True,
                    )
                ],
                unit="s",
                steps=((None, "green"), (3 * 3600, "yellow"), (6 * 3600, "red")),
            ),
        ],
    )
    return section(
        d,
        "Durations · 时长",
        [
            bars(
                f"Time to {what} p50 / p90 by level · {zh}",
                f"Percentiles of the time to {what} over the dashboard's range, by level (whole "
                "city: the histogram has no district).",
                [
                    q(quantile(0.5, metric, "level", RANGE), "p50 {{level}}", instant=True),
                    q(quantile(0.9, metric, "level", RANGE), "p90 {{level}}", instant=True),
                ],
                unit="s",
            )
            for metric, what, zh in (
                ("grid_time_to_sign_seconds", "sign", "签收时长"),
                ("grid_time_to_close_seconds", "close", "结案时长"),
            )
        ],
    )


# -- Engine ---------------------------------------------------------------------------------------


def engine() -> dashboard.Dashboard:
    """How the router itself is doing: latency, throughput, backlogs, bridges, the API."""
    d = base(
        "grid-engine",
        "Grid router · Engine",
        "Routing latency, throughput, dead letters, the outbox, Kafka consumer lag, the "
        "bridges to 12345 and 数字城管, and the HTTP API.",
        "now-3h",
    )
    d = section(
        d,
        "Routing",
        [
            single(
                "Processes up",
                "grid-router processes answering Prometheus' scrapes (job grid-router), by "
                "component: router, api.",
                q('sum by (component) (up{job="grid-router"})', "{{component}}", instant=True),
                h=8,
                steps=((None, "red"), (1, "green")),
            ),
            series(
                "Routing latency p50 / p99",
                "From a report's Kafka timestamp to its filing committed, work orders in the "
                "outbox.",
                [
                    q(quantile(0.5, "grid_routing_latency_seconds"), "p50"),
                    q(quantile(0.99, "grid_routing_latency_seconds"), "p99"),
                ],
                unit="s",
                w=9,
            ),
            series(
                "Throughput: reports, actions, timers",
                "Reports filed, dispatch actions applied and SLA timers fired, per second.",
                [
                    q(f"sum(rate({REPORTS}[{RATE}]))", "reports filed"),
                    q(f"sum(rate(grid_actions_applied_total[{RATE}]))", "actions applied"),
                    q(f"sum(rate(grid_sla_timers_fired_total[{RATE}]))", "timers fired"),
                ],
                unit="ops",
                w=9,
            ),
            series(
                "Actions applied by action",
                "Dispatch actions applied per second: SIGN, HANDLE, VERIFY, CLOSE, RETURN, "
                "ESCALATE …",
                [q(f"sum by (action) (rate(grid_actions_applied_total[{RATE}]))", "{{action}}")],
                unit="ops",
                w=8,
            ),
            series(
                "Refused actions by code",
                "Dispatch actions the workflow refused, per second, by reason code ('none' "
                "while nothing was refused).",
                [
                    q(
                        or_zero(
                            f"sum by (code) (rate(grid_actions_refused_total[{RATE}]))", "code"
                        ),
                        "{{code}}",
                    )
                ],
                unit="ops",
                w=8,
            ),
            series(
                "Dead letters per minute by reason",
                "Messages sent to grid.deadletter per minute (`grid-router dlq list` shows them).",
                [q(f"60 * sum by (reason) (rate(grid_deadletter_total[{RATE}]))", "{{reason}}")],
                w=8,
            ),
            bars(
                "Dead letters since router start by reason",
                "Dead letters counted by the running routers (a counter born at 1 shows here, "
                "not in the rate); GridDeadLetters fires on any new one.",
                [q("sum by (reason) (grid_deadletter_total)", "{{reason}}", instant=True)],
                w=24,
                h=6,
                steps=((None, "green"), (1, "red")),
            ),
        ],
    )
    d = section(
        d,
        "Outbox and Kafka",
        [
            series(
                "Outbox rows pending",
                "Outbox rows not yet sent: Kafka messages and bridge calls (database gauge).",
                [q("max(grid_outbox_pending)", "pending")],
                w=8,
            ),
            series(
                "Oldest pending outbox row age",
                "Age of the oldest outbox row not yet sent; GridOutboxStuck fires above 5 minutes.",
                [q("max(grid_outbox_oldest_pending_age_seconds)", "oldest")],
                unit="s",
                w=8,
                line_at=300,
            ),
            series(
                "Time since each SLA scheduler's last sweep",
                "The scheduler's heartbeat per router (it sweeps several times a second); "
                "GridSchedulerStalled fires above 2 minutes.",
                [
                    q(
                        "time() - max by (instance) (grid_scheduler_last_sweep_timestamp_seconds)",
                        "{{instance}}",
                    )
                ],
                unit="s",
                w=8,
                line_at=120,
            ),
            series(
                "Consumer lag by topic and partition",
                "Messages not yet consumed per assigned partition; GridConsumerLagHigh fires "
                "above 1000 on a topic.",
                [q("max by (topic, partition) (grid_consumer_lag)", "{{topic}} [{{partition}}]")],
                w=8,
            ),
        ],
    )
    d = section(
        d,
        "Bridges · 12345 and 数字城管",
        [
            series(
                "Bridge deliveries by bridge and outcome",
                "Deliveries to the far sides per second: delivered, retrying, parked, "
                "circuit_open.",
                [
                    q(
                        f"sum by (bridge, outcome) (rate(grid_bridge_deliveries_total[{RATE}]))",
                        "{{bridge}} {{outcome}}",
                    )
                ],
                unit="ops",
                w=8,
            ),
            switches(
                "Bridge circuit breakers",
                "Open while a bridge's breaker holds deliveries back; GridBridgeCircuitOpen "
                "fires after 5 minutes.",
                q("max by (bridge) (grid_bridge_circuit_open)", "{{bridge}}"),
            ),
            series(
                "Bad webhook signatures by bridge",
                "Inbound webhook calls refused for a bad or missing signature, per second "
                "('none' while there were none).",
                [
                    q(
                        or_zero(
                            f"sum by (bridge) (rate(grid_bridge_bad_signatures_total[{RATE}]))",
                            "bridge",
                        ),
                        "{{bridge}}",
                    )
                ],
                unit="ops",
                w=8,
            ),
        ],
    )
    five_xx = f'sum(rate(grid_api_requests_total{{status=~"5.."}}[{RATE}]))'
    return section(
        d,
        "HTTP API",
        [
            series(
                "API requests by status",
                "Requests per second by HTTP status.",
                [q(f"sum by (status) (rate(grid_api_requests_total[{RATE}]))", "{{status}}")],
                unit="reqps",
                w=6,
            ),
            series(
                "API requests by route",
                "Requests per second by route template and method.",
                [
                    q(
                        f"sum by (route, method) (rate(grid_api_requests_total[{RATE}]))",
                        "{{method}} {{route}}",
                    )
                ],
                unit="reqps",
                w=6,
            ),
            series(
                "API latency p50 / p99",
                "Request duration percentiles, every route.",
                [
                    q(quantile(0.5, "grid_api_request_duration_seconds"), "p50"),
                    q(quantile(0.99, "grid_api_request_duration_seconds"), "p99"),
                ],
                unit="s",
                w=6,
            ),
            series(
                "API 5xx ratio",
                "Share of requests answered 5xx; GridApiErrorsHigh fires above 5% for 10 minutes.",
                [
                    q(
                        f"({five_xx} or vector(0)) / sum(rate(grid_api_requests_total[{RATE}]))",
                        "5xx",
                    )
                ],
                unit="percentunit",
                w=6,
                line_at=0.05,
            ),
        ],
    )


# -- Output ---------------------------------------------------------------------------------------


def dashboards() -> dict[str, dashboard.Dashboard]:
    """The dashboards by file name."""
    return {"sla-overview.json": sla_overview(), "engine.json": engine()}


def render(builder: dashboard.Dashboard) -> str:
    """A dashboard's JSON as checked in: panel ids 1, 2, … in order, keys sorted."""
    built = builder.build()
    for i, p in enumerate(built.panels or [], start=1):
        p.id_val = i
    return JSONEncoder(sort_keys=True, indent=2, ensure_ascii=False).encode(built) + "\n"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, builder in dashboards().items():
        path = OUT / name
        path.write_text(render(builder), encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
