"""What the demo shows: a snapshot of the city (the database, the metrics endpoint, the
reference far sides and the simulated actors' tallies), drawn as a live terminal view (rich), as
plain progress lines for pipes and CI, and as the closing summary (a table, and JSON for
`--summary-json`).
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import httpx
from prometheus_client.parser import text_string_to_metric_families
from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from sqlalchemy import Engine, and_, func, or_, select

from grid_router.adapters.db.tables import incident_transitions, incidents, outbox, work_orders
from grid_router.bridges_reference.state import ReferenceState
from grid_router.demo.city import City, DrillClock, Outage
from grid_router.demo.traffic import DRILL_SUFFIX, WORKING_STATES, DispatchLoop, Tally
from grid_router.domain.filing import BURST_SOURCE
from grid_router.domain.model import Level, State
from grid_router.domain.org import Organisation
from grid_router.domain.status import LEVEL_NAMES

LEVELS: Final = tuple(level.value for level in Level)
STATE_COLUMNS: Final = (
    (State.DISPATCHED.value, "待签收"),
    (State.SIGNED.value, "已签收"),
    (State.IN_PROGRESS.value, "处置中"),
    (State.HANDLED.value, "待核查"),
    (State.VERIFIED.value, "待结案"),
)
BRIDGES: Final = ("hotline-12345", "citymgmt", "citymgmt-progress", "public-safety")
BRIDGE_NAMES: Final = {
    "hotline-12345": "12345 热线",
    "citymgmt": "数字城管 cases",
    "citymgmt-progress": "数字城管 progress",
    "public-safety": "公共安全平台",
}
OUTCOMES: Final = ("delivered", "retrying", "parked")
# The metric counts attempts: "retrying" is a failed attempt that was tried again.
OUTCOME_WORDS: Final = {"delivered": "delivered", "retrying": "retried", "parked": "parked"}

Samples = Mapping[str, list[tuple[dict[str, str], float]]]


# --- reading the metrics endpoint ----------------------------------------------------------------


def scrape(url: str, timeout: float = 5.0) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Every sample the metrics endpoint serves, by sample name (`grid_escalations_total`)."""
    answer = httpx.get(url, timeout=timeout)
    answer.raise_for_status()
    samples: dict[str, list[tuple[dict[str, str], float]]] = collections.defaultdict(list)
    for family in text_string_to_metric_families(answer.text):
        for s in family.samples:
            samples[s.name].append((dict(s.labels), float(s.value)))
    return dict(samples)


def total(samples: Samples, name: str, **where: str) -> float:
    """The sum of `name`'s samples whose labels match `where`."""
    return sum(
        v
        for labels, v in samples.get(name, ())
        if all(labels.get(k) == x for k, x in where.items())
    )


def by(samples: Samples, name: str, *keys: str) -> dict[tuple[str, ...], float]:
    """`name`'s samples summed per value of the labels `keys`."""
    out: dict[tuple[str, ...], float] = collections.defaultdict(float)
    for labels, v in samples.get(name, ()):
        out[tuple(labels.get(k, "") for k in keys)] += v
    return dict(out)


def quantile(samples: Samples, name: str, q: float) -> float | None:
    """A quantile of a histogram (summed over its labels), from its buckets: the upper bound of
    the bucket it falls in; None without observations."""
    buckets: dict[float, float] = collections.defaultdict(float)
    for labels, v in samples.get(f"{name}_bucket", ()):
        buckets[float(labels.get("le", "inf"))] += v
    if not buckets:
        return None
    bounds = sorted(buckets)
    count = buckets[bounds[-1]]
    if count <= 0:
        return None
    for bound in bounds:
        if buckets[bound] >= q * count:
            return bound
    return None


def within(samples: Samples, name: str, q: float) -> str | None:
    """ "≤ B s" for the bucket bound B the quantile falls under, or "> B s" past the last finite
    bound; None without observations."""
    bound = quantile(samples, name, q)
    if bound is None:
        return None
    if bound != float("inf"):
        return f"≤ {bound:g} s"
    finite = [float(lb["le"]) for lb, _ in samples.get(f"{name}_bucket", ()) if lb["le"] != "+Inf"]
    return f"> {max(finite):g} s" if finite else None


# --- the snapshot --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Escalation:
    at: datetime
    event_id: str
    what: str
    from_unit: str
    to_unit: str
    timeout: bool


@dataclass(frozen=True, slots=True)
class Burst:
    unit_name: str
    state: str
    reports: int


@dataclass(slots=True)
class Snapshot:
    """Everything the view shows, read at one moment."""

    elapsed: float
    open: dict[tuple[str, str], int] = field(default_factory=dict)  # (level, state) -> count
    overdue: dict[str, int] = field(default_factory=dict)  # level -> count
    filed: int = 0
    merged: int = 0
    closed: int = 0
    closed_earlier: int = 0  # incidents of an earlier drill closed during this one
    bursts: list[Burst] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    busiest_unit: str | None = None
    outbox: dict[tuple[str, str], int] = field(default_factory=dict)  # (bridge, status) -> n
    metrics: dict[str, list[tuple[dict[str, str], float]]] = field(default_factory=dict)
    metrics_ok: bool = False
    metrics_error: str | None = None
    received: dict[str, int] = field(default_factory=dict)  # bridge -> accepted deliveries
    reports: dict[str, int] = field(default_factory=dict)  # channel -> sent
    typhoon_reports: int = 0
    report_failures: int = 0
    failure_reasons: list[str] = field(default_factory=list)
    transport_retries: int = 0
    actions: dict[str, int] = field(default_factory=dict)
    refused: dict[str, int] = field(default_factory=dict)
    failures: int = 0
    notices: list[str] = field(default_factory=list)
    report_rate: float = 0.0
    action_rate: float = 0.0
    misses: int = 0
    drawn: int = 0
    tokens: int = 0

    # -- figures from the metrics endpoint --------------------------------------------------------

    @property
    def escalation_total(self) -> int:
        return int(total(self.metrics, "grid_escalations_total"))

    @property
    def warning_total(self) -> int:
        return int(total(self.metrics, "grid_sla_warnings_total"))

    @property
    def breach_total(self) -> int:
        return int(total(self.metrics, "grid_sla_breaches_total"))

    @property
    def delivered_total(self) -> int:
        return int(total(self.metrics, "grid_bridge_deliveries_total", outcome="delivered"))

    def deliveries(self, bridge: str, outcome: str) -> int:
        return int(
            total(self.metrics, "grid_bridge_deliveries_total", bridge=bridge, outcome=outcome)
        )

    @property
    def open_total(self) -> int:
        return sum(self.open.values())

    @property
    def sent_total(self) -> int:
        return sum(self.reports.values())

    @property
    def action_total(self) -> int:
        return sum(self.actions.values())


class Watcher:
    """Reads snapshots of the running city."""

    def __init__(
        self,
        engine: Engine,
        org: Organisation,
        metrics_url: str,
        reference: ReferenceState,
        tally: Tally,
        dispatch: DispatchLoop,
        tokens: Callable[[], int],
        clock: Callable[[], datetime],
        started: datetime,
        started_mono: float,
    ) -> None:
        self._engine = engine
        self._org = org
        self._metrics_url = metrics_url
        self._reference = reference
        self._tally = tally
        self._dispatch = dispatch
        self._tokens = tokens
        self._clock = clock
        self._started = started
        self._started_mono = started_mono
        self._received_at = 0.0
        self._received: dict[str, int] = {}

    def snapshot(self, final: bool = False) -> Snapshot:
        """What the city looks like now; `final`: nothing read from a cache."""
        snap = Snapshot(elapsed=time.monotonic() - self._started_mono)
        self._read_database(snap)
        # The router counts a report once its batch is through, a moment after the database
        # shows it filed: the final figures wait (at most 10 s) until the counter has caught up.
        deadline = time.monotonic() + (10.0 if final else 0.0)
        while True:
            try:
                snap.metrics = scrape(self._metrics_url)
                snap.metrics_ok, snap.metrics_error = True, None
            except (httpx.HTTPError, ValueError) as exc:
                snap.metrics_error = str(exc)
            counted = total(snap.metrics, "grid_reports_received_total")
            if counted >= snap.filed or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        snap.received = self._reference_counts(final)
        t = self._tally
        with t.lock:
            snap.reports = dict(t.reports)
            snap.typhoon_reports = t.typhoon_reports
            snap.report_failures = sum(t.report_failures.values())
            snap.failure_reasons = list(t.failure_reasons)
            snap.transport_retries = t.transport_retries
            snap.actions = dict(t.actions)
            snap.refused = dict(t.refused)
            snap.failures = t.failures
            snap.notices = list(t.notices)
        snap.report_rate, snap.action_rate = t.rates()
        snap.misses, snap.drawn = self._dispatch.misses, self._dispatch.drawn
        snap.tokens = self._tokens()
        return snap

    def _reference_counts(self, fresh: bool) -> dict[str, int]:
        """Deliveries the reference far sides accepted, per bridge. The server copies every
        delivery it kept when asked: once a second is enough for the view."""
        if fresh or time.monotonic() - self._received_at >= 1.0:
            got = self._reference.received()
            self._received = dict(collections.Counter(d.bridge for d in got.deliveries))
            self._received_at = time.monotonic()
        return self._received

    def _read_database(self, snap: Snapshot) -> None:
        i, w, t = incidents.c, work_orders.c, incident_transitions.c
        drill = i.sla_terms["policy_version"].as_string().like(f"%{DRILL_SUFFIX}")
        since = self._started
        now = self._clock()
        with self._engine.connect() as conn:
            for level, state, n in conn.execute(
                select(i.level, i.state, func.count())
                .where(drill, i.state.in_(WORKING_STATES))
                .group_by(i.level, i.state)
            ):
                snap.open[(str(level), str(state))] = int(n)
            overdue = or_(
                and_(i.state == State.DISPATCHED.value, w.sign_by < now),
                and_(
                    i.state.in_(WORKING_STATES[:3]),
                    w.handle_by < now,
                ),
            )
            for level, n in conn.execute(
                select(i.level, func.count(func.distinct(i.event_id)))
                .select_from(incidents)
                .join(
                    work_orders,
                    and_(w.event_id == i.event_id, w.unit_code == i.unit_code, w.active),
                )
                .where(drill, w.kind == "ACTION", overdue)
                .group_by(i.level)
            ):
                snap.overdue[str(level)] = int(n)
            run = i.filed_at >= since
            snap.filed = conn.execute(
                select(func.count()).where(run, i.source != BURST_SOURCE)
            ).scalar_one()
            snap.merged = conn.execute(
                select(func.count()).where(run, i.merged_into.is_not(None))
            ).scalar_one()
            closed = i.state == State.CLOSED.value
            snap.closed = conn.execute(select(func.count()).where(run, closed)).scalar_one()
            snap.closed_earlier = conn.execute(
                select(func.count()).where(i.filed_at < since, i.closed_at >= since, closed, drill)
            ).scalar_one()
            linked: dict[str, int] = dict(
                conn.execute(
                    select(i.burst_id, func.count())
                    .where(run, i.burst_id.is_not(None))
                    .group_by(i.burst_id)
                ).all()
            )
            snap.bursts = [
                Burst(r.unit_name, r.state, int(linked.get(r.event_id, r.report_count)))
                for r in conn.execute(
                    select(i.event_id, i.unit_name, i.state, i.report_count)
                    .where(run, i.source == BURST_SOURCE)
                    .order_by(i.filed_at)
                )
            ]
            snap.escalations = [
                Escalation(
                    r.at,
                    r.event_id,
                    r.title or r.category_name,
                    r.from_unit or "",
                    r.to_unit or "",
                    str(r.actor).startswith("system:"),
                )
                for r in conn.execute(
                    select(
                        t.at, t.event_id, t.from_unit, t.to_unit, t.actor, i.category_name,
                        i.title,
                    )
                    .join(incidents, i.event_id == t.event_id)
                    # An escalation is two steps (ESCALATED, then DISPATCHED at the new
                    # unit); the first names both units.
                    .where(t.action == "ESCALATE", t.at >= since, t.from_unit != t.to_unit)
                    .order_by(t.at.desc(), t.id.desc())
                    .limit(5)
                )
            ]  # fmt: skip
            busiest = conn.execute(
                select(w.unit_code, func.count())
                .join(incidents, i.event_id == w.event_id)
                .where(run, w.kind == "ACTION", func.length(w.unit_code) == 12)
                .group_by(w.unit_code)
                .order_by(func.count().desc(), w.unit_code)
                .limit(1)
            ).first()
            snap.busiest_unit = str(busiest[0]) if busiest else None
            for dest, status, n in conn.execute(
                select(outbox.c.destination, outbox.c.status, func.count())
                .where(outbox.c.kind != "kafka")
                .group_by(outbox.c.destination, outbox.c.status)
            ):
                snap.outbox[(str(dest), str(status))] = int(n)

    def unit_name(self, code: str) -> str:
        unit = self._org.get(code)
        return unit.name if unit is not None else code


# --- the live view -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scene:
    """What stays the same during the run: the settings shown and where to look."""

    seed: int
    rate: float
    duration: float | None
    clock: DrillClock
    city: City
    outage: Outage | None
    api_url: str
    metrics_url: str
    database: str
    kafka: str
    broker_note: str
    operator_token: str
    unit_name: Callable[[str], str]


def _clock_text(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    return f"{seconds // 60}:{seconds % 60:02d}"


def header(scene: Scene, snap: Snapshot) -> Text:
    limit = f" / {_clock_text(scene.duration)}" if scene.duration else " (Ctrl-C stops)"
    minutes = scene.clock.scale / 60
    return Text.assemble(
        ("厦门市网格化服务管理 · grid_router", "bold"),
        f"   drill ×{scene.clock.scale:g} (1 s = {minutes:g} min)   ",
        ("⏱ ", "dim"),
        (f"{_clock_text(snap.elapsed)}{limit}", "bold"),
        f"   city time +{scene.clock.describe(snap.elapsed)}",
        f"   seed {scene.seed} · {scene.rate:g} reports/s",
    )


def typhoon_line(scene: Scene, snap: Snapshot) -> Text:
    typhoon = scene.city.typhoon
    if typhoon is None:
        return Text("no typhoon in this drill", style="dim")
    name = f"台风「{typhoon.name}」"
    where = typhoon.district.name
    status = typhoon.status(snap.elapsed)
    if status == "coming":
        wait = typhoon.starts_at - snap.elapsed
        return Text(f"{name} makes landfall on {where} in {wait:.0f} s", style="cyan")
    burst = (
        f" · burst incident (突发聚集) opened at {snap.bursts[0].unit_name}: "
        f"{snap.bursts[0].reports} reports linked"
        if snap.bursts
        else ""
    )
    if status == "landfall":
        return Text(
            f"{name} over {where}: {snap.typhoon_reports} reports of 积水, 倒树, 广告牌{burst}",
            style="bold yellow",
        )
    return Text(f"{name} passed over {where}: {snap.typhoon_reports} reports{burst}", style="cyan")


def queues_table(snap: Snapshot, compact: bool = False) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, pad_edge=False)
    table.add_column("level", no_wrap=True)
    for _, name in STATE_COLUMNS:
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("超时" if compact else "overdue", justify="right", style="red", no_wrap=True)
    for level in LEVELS:
        counts = [snap.open.get((level, state), 0) for state, _ in STATE_COLUMNS]
        name = LEVEL_NAMES[Level(level)]
        table.add_row(
            name if compact else f"{name} {level}",
            *(str(n) if n else "·" for n in counts),
            str(snap.overdue.get(level, 0) or "·"),
        )
    totals = [sum(snap.open.get((lv, st), 0) for lv in LEVELS) for st, _ in STATE_COLUMNS]
    table.add_row(
        Text("all", style="bold"),
        *(Text(str(n), style="bold") for n in totals),
        Text(str(sum(snap.overdue.values())), style="bold red"),
        end_section=True,
    )
    return table


def queues_panel(snap: Snapshot, compact: bool = False) -> Panel:
    bursts = len(snap.bursts)
    foot = Text(
        f"this drill: filed {snap.filed} · merged into open ones {snap.merged} · closed "
        f"{snap.closed}"
        + (f" · bursts {bursts}" if bursts else "")
        + (f" · earlier drills' closed {snap.closed_earlier}" if snap.closed_earlier else ""),
        style="dim",
    )
    return Panel(
        Group(queues_table(snap, compact), foot),
        title="Queues · open incidents by level (drill)",
        border_style="blue",
    )


def escalations_panel(scene: Scene, snap: Snapshot, recent: int = 4) -> Panel:
    table = Table(box=None, expand=True, show_header=True, pad_edge=False)
    table.add_column("from → to", no_wrap=True)
    table.add_column("timeout", justify="right")
    table.add_column("asked", justify="right")
    table.add_column("regrade", justify="right")
    counts = by(snap.metrics, "grid_escalations_total", "from_level", "to_level", "reason")
    pairs = sorted(
        {(f, t) for f, t, _ in counts}, key=lambda p: LEVELS.index(p[0]) if p[0] in LEVELS else 9
    )
    for f, t in pairs:
        row = [counts.get((f, t, r), 0) for r in ("timeout", "request", "regrade")]
        table.add_row(f"{f} → {t}", *(str(int(n)) if n else "·" for n in row))
    if not pairs:
        table.add_row(Text("none yet", style="dim"), "", "", "")
    lines: list[RenderableType] = [table, Text("")]
    for e in snap.escalations[:recent]:
        why = "红牌" if e.timeout else "上报"
        lines.append(
            Text.assemble(
                (f"{why} ", "red" if e.timeout else "magenta"),
                (f"{e.what} ", ""),
                (f"{scene.unit_name(e.from_unit)} → {scene.unit_name(e.to_unit)}", "dim"),
                overflow="ellipsis",
                no_wrap=True,
            )
        )
    return Panel(
        Group(*lines),
        title=f"Escalations (上报) · {snap.escalation_total}",
        border_style="magenta",
    )


def sla_panel(snap: Snapshot) -> Panel:
    table = Table(box=None, expand=True, pad_edge=False)
    table.add_column("level")
    table.add_column("黄牌", justify="right", style="yellow")
    table.add_column("红牌", justify="right", style="red")
    table.add_column("签收及时", justify="right")
    warnings = by(snap.metrics, "grid_sla_warnings_total", "level")
    breaches = by(snap.metrics, "grid_sla_breaches_total", "level")
    done = by(snap.metrics, "grid_sla_stages_completed_total", "stage", "level", "on_time")
    for level in LEVELS:
        on_time = done.get(("sign", level, "true"), 0)
        late = done.get(("sign", level, "false"), 0)
        signed = f"{int(on_time)}/{int(on_time + late)}" if on_time + late else "·"
        table.add_row(
            LEVEL_NAMES[Level(level)],
            str(int(warnings.get((level,), 0)) or "·"),
            str(int(breaches.get((level,), 0)) or "·"),
            signed,
        )
    stages = by(snap.metrics, "grid_sla_breaches_total", "stage")
    foot = " · ".join(f"{s} {int(n)}" for (s,), n in sorted(stages.items()) if n)
    return Panel(
        Group(table, Text(f"红牌 by clock: {foot}" if foot else "", style="dim")),
        title=f"SLA · 黄牌 {snap.warning_total} · 红牌 {snap.breach_total}",
        border_style="yellow",
    )


def bridges_panel(scene: Scene, snap: Snapshot) -> Panel:
    table = Table(box=None, expand=True, pad_edge=False)
    table.add_column("bridge", no_wrap=True)
    table.add_column("delivered", justify="right", style="green", no_wrap=True)
    table.add_column("retried", justify="right", no_wrap=True)
    table.add_column("parked", justify="right", style="red", no_wrap=True)
    table.add_column("waiting", justify="right", no_wrap=True)
    table.add_column("received", justify="right", no_wrap=True)
    circuits = by(snap.metrics, "grid_bridge_circuit_open", "bridge")
    for bridge in BRIDGES:
        waiting = snap.outbox.get((bridge, "pending"), 0)
        parked_now = snap.outbox.get((bridge, "parked"), 0)
        table.add_row(
            Text(BRIDGE_NAMES[bridge], style="red" if circuits.get((bridge,), 0) else ""),
            str(snap.deliveries(bridge, "delivered")),
            str(snap.deliveries(bridge, "retrying") or "·"),
            str(max(snap.deliveries(bridge, "parked"), parked_now) or "·"),
            str(waiting or "·"),
            str(snap.received.get(bridge, 0)),
        )
    inbound = Text(
        f"in: 12345 tickets {snap.reports.get('hotline', 0)} · 回访 "
        f"{sum(n for k, n in snap.actions.items() if k.startswith('回访'))} · 数字城管 cases "
        f"{snap.reports.get('citymgmt', 0)} · statuses "
        f"{sum(n for k, n in snap.actions.items() if k.startswith('数字城管'))}",
        style="dim",
    )
    lines: list[RenderableType] = [table, inbound]
    tripped = [BRIDGE_NAMES[b] for (b,), n in sorted(circuits.items()) if n and b in BRIDGE_NAMES]
    if tripped:
        lines.append(Text(f"circuit open: {', '.join(tripped)}", style="bold red"))
    outage = scene.outage
    if outage is not None:
        state = outage.status(snap.elapsed)
        if state == "down":
            lines.append(Text(f"{outage.name} is down: deliveries retry", style="bold red"))
        elif state == "over":
            lines.append(Text(f"{outage.name} was down for {outage.lasts:g} s", style="dim"))
        else:
            wait = outage.starts_at - snap.elapsed
            lines.append(Text(f"{outage.name} goes down in {wait:.0f} s", style="dim"))
    return Panel(
        Group(*lines),
        title=f"Bridges · {snap.delivered_total} delivered",
        border_style="green",
    )


def throughput_panel(snap: Snapshot) -> Panel:
    latency = within(snap.metrics, "grid_routing_latency_seconds", 0.95)
    applied = int(total(snap.metrics, "grid_actions_applied_total"))
    refused = int(total(snap.metrics, "grid_actions_refused_total"))
    lines = [
        Text.assemble(
            ("reports ", ""),
            (f"{snap.report_rate:.1f}/s", "bold"),
            ("  actions ", ""),
            (f"{snap.action_rate:.1f}/s", "bold"),
        ),
        Text(f"reports sent {snap.sent_total}"),
        Text(
            f" grid {snap.reports.get('grid', 0)} · 12345 {snap.reports.get('hotline', 0)}"
            f" · 数字城管 {snap.reports.get('citymgmt', 0)}",
            style="dim",
        ),
        Text(f"actions applied {applied}"),
        Text(f" refused {refused + sum(snap.refused.values())} (raced)", style="dim"),
        Text(
            f"routing p95 {latency}" if latency is not None else "routing p95 –",
            style="dim",
        ),
        Text(f"never signed: {snap.misses} of {snap.drawn} orders", style="dim"),
    ]
    return Panel(Group(*lines), title="Throughput", border_style="cyan")


WIDE: Final = 150
MEDIUM: Final = 110


def _row(*cells: tuple[RenderableType, int]) -> Table:
    grid = Table.grid(expand=True)
    for _, ratio in cells:
        grid.add_column(ratio=ratio)
    grid.add_row(*(cell for cell, _ in cells))
    return grid


def live_view(scene: Scene, snap: Snapshot, width: int = WIDE, height: int = 60) -> RenderableType:
    """The live view for a terminal `width` columns wide: side by side on a wide one, stacked
    on a narrow one."""
    head = Panel(Group(header(scene, snap), typhoon_line(scene, snap)), border_style="bright_blue")
    parts: list[RenderableType] = [head]
    if width >= WIDE:
        parts.append(_row((queues_panel(snap), 3), (escalations_panel(scene, snap), 2)))
        parts.append(
            _row(
                (sla_panel(snap), 5), (bridges_panel(scene, snap), 10), (throughput_panel(snap), 6)
            )
        )
    elif width >= MEDIUM:
        parts.append(_row((queues_panel(snap, True), 3), (escalations_panel(scene, snap), 2)))
        parts.append(_row((sla_panel(snap), 1), (throughput_panel(snap), 1)))
        parts.append(bridges_panel(scene, snap))
    else:
        parts.append(queues_panel(snap, compact=True))
        parts.append(escalations_panel(scene, snap, recent=2 if height < 60 else 4))
        parts.append(_row((sla_panel(snap), 1), (throughput_panel(snap), 1)))
        parts.append(bridges_panel(scene, snap))
    if snap.notices:
        parts.append(
            Panel(
                Group(*(Text(n, overflow="ellipsis", no_wrap=True) for n in snap.notices[-3:])),
                title="notices",
                border_style="red",
            )
        )
    parts.append(
        Text(
            f" API {scene.api_url} (docs {scene.api_url}/docs) · metrics {scene.metrics_url} · "
            f"database {scene.database} · Ctrl-C stops",
            style="dim",
            overflow="ellipsis",
            no_wrap=True,
        )
    )
    return Group(*parts)


def progress_line(scene: Scene, snap: Snapshot) -> str:
    """One plain line of progress (`--no-live`)."""
    typhoon = scene.city.typhoon
    storm = ""
    if typhoon is not None:
        storm = {
            "coming": f" · typhoon at {typhoon.starts_at:.0f}s",
            "landfall": f" · TYPHOON over {typhoon.district.name} ({snap.typhoon_reports})",
            "passed": f" · typhoon passed ({snap.typhoon_reports} reports)",
        }[typhoon.status(snap.elapsed)]
    if snap.bursts:
        storm += f", burst incident at {snap.bursts[0].unit_name}"
    if scene.outage is not None and scene.outage.status(snap.elapsed) == "down":
        storm += f" · {scene.outage.name} DOWN"
    return (
        f"[{snap.elapsed:5.0f}s | city +{scene.clock.describe(snap.elapsed)}] "
        f"reports {snap.sent_total} (grid {snap.reports.get('grid', 0)}, 12345 "
        f"{snap.reports.get('hotline', 0)}, 数字城管 {snap.reports.get('citymgmt', 0)}) · "
        f"filed {snap.filed} · open {snap.open_total} · closed {snap.closed} · "
        f"actions {snap.action_total} · escalations {snap.escalation_total} · "
        f"黄牌 {snap.warning_total} 红牌 {snap.breach_total} · "
        f"bridge deliveries {snap.delivered_total}{storm}"
    )


# --- the summary ---------------------------------------------------------------------------------


def summary_data(
    scene: Scene, snap: Snapshot, interrupted: bool, broker_started: bool
) -> dict[str, Any]:
    """The run's figures, as `--summary-json` writes them."""
    m = snap.metrics
    escalations_by = {
        f"{f}->{t}:{r}": int(n)
        for (f, t, r), n in sorted(
            by(m, "grid_escalations_total", "from_level", "to_level", "reason").items()
        )
        if n
    }
    seen = {b for (b,) in by(m, "grid_bridge_deliveries_total", "bridge")}
    deliveries = {
        bridge: {outcome: snap.deliveries(bridge, outcome) for outcome in OUTCOMES}
        for bridge in sorted(seen | set(BRIDGES))
    }
    return {
        "seed": scene.seed,
        "rate": scene.rate,
        "duration": scene.duration,
        "scale": scene.clock.scale,
        "elapsed_seconds": round(snap.elapsed, 1),
        "drill_time": scene.clock.describe(snap.elapsed),
        "interrupted": interrupted,
        "reports": {
            "sent": snap.sent_total,
            "by_channel": dict(snap.reports),
            "typhoon": snap.typhoon_reports,
            "failed": snap.report_failures,
        },
        "incidents": {
            "filed": snap.filed,
            "merged": snap.merged,
            "closed": snap.closed,
            "open": snap.open_total,
            "open_by_level": {
                level: sum(n for (lv, _), n in snap.open.items() if lv == level) for level in LEVELS
            },
            "bursts": [
                {"unit": b.unit_name, "reports": b.reports, "state": b.state} for b in snap.bursts
            ],
        },
        "actions": {
            "sent": dict(snap.actions),
            "refused": dict(snap.refused),
            "failed": snap.failures,
            "sent_again_after_a_lost_answer": snap.transport_retries,
            "never_signed_work_orders": snap.misses,
            "work_orders_seen": snap.drawn,
            "api_tokens_created": snap.tokens,
        },
        "failure_reasons": snap.failure_reasons,
        "escalations": snap.escalation_total,
        "escalations_by": escalations_by,
        "sla_warnings": snap.warning_total,
        "sla_breaches": snap.breach_total,
        "bridge_deliveries": snap.delivered_total,
        "bridge_deliveries_by": deliveries,
        "reference_received": dict(snap.received),
        "metrics": {
            "url": scene.metrics_url,
            "scraped": snap.metrics_ok,
            "error": snap.metrics_error,
            "grid_reports_received_total": int(total(m, "grid_reports_received_total")),
            "grid_escalations_total": snap.escalation_total,
            "grid_sla_warnings_total": snap.warning_total,
            "grid_sla_breaches_total": snap.breach_total,
            "grid_bridge_deliveries_total": int(total(m, "grid_bridge_deliveries_total")),
            "grid_actions_applied_total": int(total(m, "grid_actions_applied_total")),
        },
        "api_url": scene.api_url,
        "metrics_url": scene.metrics_url,
        "database": scene.database,
        "kafka_bootstrap": scene.kafka,
        "broker_started_by_demo": broker_started,
    }


def summary_view(scene: Scene, snap: Snapshot, how: str) -> RenderableType:
    """The closing table; `how` the run ended ("finished", "stopped by Ctrl-C")."""
    m = snap.metrics
    table = Table(
        title=f"Drill summary: {how} after {_clock_text(snap.elapsed)} "
        f"({scene.clock.describe(snap.elapsed)} of city time, seed {scene.seed})",
        box=box.SIMPLE_HEAD,
        show_header=False,
        title_justify="left",
    )
    table.add_column("what", style="bold")
    table.add_column("figures")
    rows: list[tuple[str, str]] = [
        (
            "reports",
            f"{snap.sent_total} sent: grid app {snap.reports.get('grid', 0)}, 12345 hotline "
            f"{snap.reports.get('hotline', 0)}, 数字城管 {snap.reports.get('citymgmt', 0)}"
            + (f" ({snap.typhoon_reports} in the typhoon)" if snap.typhoon_reports else "")
            + (f"; {snap.report_failures} failed" if snap.report_failures else ""),
        ),
        (
            "incidents",
            f"{snap.filed} filed, {snap.merged} merged into open ones, {snap.closed} closed; "
            f"{snap.open_total} open at the end"
            + (
                f" (earlier drills' incidents included; {snap.closed_earlier} of them closed)"
                if snap.closed_earlier
                else ""
            ),
        ),
    ]
    for b in snap.bursts:
        rows.append(("burst (突发聚集)", f"{b.unit_name}: {b.reports} reports linked ({b.state})"))
    esc = by(m, "grid_escalations_total", "from_level", "to_level", "reason")
    rows.append(
        (
            "escalations",
            f"{snap.escalation_total}: "
            + (
                ", ".join(f"{f}→{t} {r} {int(n)}" for (f, t, r), n in sorted(esc.items()) if n)
                or "none"
            ),
        )
    )
    rows.append(
        ("SLA cards", f"黄牌 (warnings) {snap.warning_total}, 红牌 (breaches) {snap.breach_total}")
    )
    rows.append(
        (
            "actions",
            f"{snap.action_total} sent by dispatch centres, verifiers and callers; "
            f"{int(total(m, 'grid_actions_applied_total'))} applied, "
            f"{int(total(m, 'grid_actions_refused_total'))} refused by the router, "
            f"{sum(snap.refused.values())} refused by the API (409)",
        )
    )
    for bridge in BRIDGES:
        parts = [f"{snap.deliveries(bridge, o)} {OUTCOME_WORDS[o]}" for o in OUTCOMES]
        rows.append(
            (
                f"bridge {bridge}",
                ", ".join(parts) + f"; the far side received {snap.received.get(bridge, 0)}",
            )
        )
    latency = within(m, "grid_routing_latency_seconds", 0.95)
    if latency is not None:
        rows.append(("routing latency", f"95% of reports filed in {latency}"))
    rows.append(
        (
            "metrics",
            f"from {scene.metrics_url}" if snap.metrics_ok else f"unreadable: {snap.metrics_error}",
        )
    )
    for what, figures in rows:
        table.add_row(what, figures)
    return table


def where_to_look(scene: Scene, snap: Snapshot) -> list[Text]:
    """The closing lines: where the drill's traces are, and what to try next."""
    unit = snap.busiest_unit or "350206002008"
    lines = [
        Text("Where to look", style="bold"),
        Text(f"  database         {scene.database}"),
        Text(f"  Kafka            {scene.kafka} ({scene.broker_note})"),
        Text(f"  HTTP API         {scene.api_url} (docs {scene.api_url}/docs), during the drill"),
        Text(f"  metrics          {scene.metrics_url}, during the drill"),
        Text(f"  operator token   {scene.operator_token}"),
        Text("  the API again    grid-router api   (on this database, same token)"),
        Text(
            f"  a busy queue     grid-router queue --unit {unit} --no-follow   "
            f"({scene.unit_name(unit)})"
        ),
        Text("  the city's queue grid-router queue --unit 350200 --no-follow"),
        Text("  deliveries       grid-router outbox list"),
    ]
    if "demo did not start" not in scene.broker_note:
        lines.append(Text("  stop the broker  grid-router kafka stop"))
    return lines
