"""What the chaos drill proves at its end, read from the database, from Kafka and from what the
far side recorded; each check is a figure and a list of problems (empty: it holds)."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from grid_router.adapters.db.tables import (
    inbox,
    incident_transitions,
    incidents,
    outbox,
    work_orders,
)
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level
from tests.chaos.drill import BROKER_BEGIN, BROKER_END, DrillConfig, Timeline
from tests.integration.kafka_helpers import read_all

OUTAGE_BEGIN = "is unavailable; waiting for it"
OUTAGE_END = "is back after"


@dataclass(slots=True)
class Verdict:
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    def line(self) -> str:
        """The machine-readable last line of a run."""
        return json.dumps(
            {"verdict": "PASS" if self.passed else "FAIL", **self.figures,
             "problems": self.problems[:20]},
            ensure_ascii=False, sort_keys=False,
        )  # fmt: skip

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


def verdict(
    config: DrillConfig,
    timeline: Timeline,
    app: App,
    reports: list[IncidentReport],
    signed: dict[str, list[dict[str, Any]]],
    record: Path,
) -> Verdict:
    v = Verdict()
    v.figures.update(
        db=config.db, seed=config.seed, reports=len(reports), actions=len(signed),
        router_kills=len(timeline.router_kills), broker_kills=len(timeline.broker_kills),
        postgres_outage_s=round(timeline.postgres_outage[1] - timeline.postgres_outage[0], 1)
        if timeline.postgres_outage else 0,
        far_side_outage_drill_min=round(
            (timeline.far_side_outage[1] - timeline.far_side_outage[0]) * config.scale / 60, 1
        ) if timeline.far_side_outage else 0,
        send_retries=timeline.send_retries, duration_s=round(timeline.duration, 1),
        settled_after_s=round(timeline.settled_after or 0, 1),
    )  # fmt: skip
    v.figures["unexpected_exits"] = len(timeline.exits)
    v.expect(not timeline.exits, f"processes exited on their own: {timeline.exits[:5]}")
    mid = [t for t in timeline.router_kills if t < (timeline.stream_end or 0)]
    v.figures["router_kills_mid_stream"] = len(mid)
    v.expect(len(mid) >= config.kills, "fewer router kills while the stream ran than asked")
    if timeline.far_side_outage is not None:
        v.expect(
            v.figures["far_side_outage_drill_min"] >= config.far_side_outage.total_seconds() / 60,
            "the far side was down for less drill time than asked",
        )
    ids = {r.event_id for r in reports}
    _database(v, app, ids, set(signed))
    _kafka(v, app, ids)
    _bridges(v, reports, set(signed), record)
    if config.db == "postgres" and config.postgres_outage > 0:
        _outage(v, timeline)
    if timeline.broker_kills:
        _broker_outage(v, timeline)
    return v


def _broker_outage(v: Verdict, t: Timeline) -> None:
    """While the broker was away: the router lived through it, said so once and once that
    Kafka answered again (its relay child at most once each way), and logged no traceback."""
    lines = t.broker_log.splitlines()
    said = {
        who: (sum(BROKER_BEGIN in x for x in said), sum(BROKER_END in x for x in said))
        for who, said in _by_process(
            [x for x in lines if BROKER_BEGIN in x or BROKER_END in x]
        ).items()
    }
    v.figures.update(
        broker_outage_log_lines=sum(b + e for b, e in said.values()),
        broker_outage_tracebacks=t.broker_log.count("Traceback"),
    )
    v.expect(
        said.get("router") == (1, 1) and all(b <= 1 and e <= b for b, e in said.values()),
        f"broker outage: lines per process {said} (one each way per process)",
    )
    v.expect("Traceback" not in t.broker_log, "broker outage: tracebacks logged meanwhile")
    v.expect(bool(t.router_survived_broker), "broker outage: the router did not live through it")


def _database(v: Verdict, app: App, ids: set[str], signed: set[str]) -> None:
    with app.engine.connect() as conn:
        filed = {r.event_id for r in conn.execute(select(incidents.c.event_id))}
        leads = Counter(
            r.event_id
            for r in conn.execute(
                select(work_orders.c.event_id).where(work_orders.c.kind == "ACTION")
            )
        )
        signings = Counter(
            r.event_id
            for r in conn.execute(
                select(incident_transitions.c.event_id).where(
                    incident_transitions.c.action == "SIGN"
                )
            )
        )
        applied = conn.execute(
            select(func.count()).select_from(inbox).where(inbox.c.outcome == "APPLIED")
        ).scalar_one()
        deadletters = conn.execute(
            select(func.count()).select_from(inbox).where(inbox.c.outcome != "APPLIED")
        ).scalar_one()
        left = conn.execute(select(func.count()).select_from(outbox)).scalar_one()
    v.figures.update(
        filed=len(filed & ids),
        lead_work_orders_db=sum(leads[e] for e in ids),
        signings_applied=sum(signings.values()),
        inbox_applied=int(applied),
        deadlettered=int(deadletters),
        outbox_left=int(left),
    )
    v.expect(filed == ids, f"database: {len(ids - filed)} reports not filed, "
             f"{len(filed - ids)} incidents nobody reported")  # fmt: skip
    wrong = [e for e in ids if leads[e] != 1]
    v.expect(not wrong, f"database: {len(wrong)} reports without exactly one lead work order "
             f"(e.g. {wrong[:3]})")  # fmt: skip
    twice = [e for e, n in signings.items() if n != 1 or e not in signed]
    missing = signed - set(signings)
    v.expect(not twice and not missing, f"database: {len(missing)} signings not applied, "
             f"{len(twice)} applied twice or unasked")  # fmt: skip
    v.expect(deadletters == 0, f"database: {deadletters} messages dead-lettered")
    v.expect(left == 0, f"database: {left} outbox rows never sent (or parked)")


def _kafka(v: Verdict, app: App, ids: set[str]) -> None:
    versions: dict[str, set[int]] = defaultdict(set)
    raw = 0
    for level in Level:
        for rec in read_all(app.settings.kafka_bootstrap, app.topics.dispatch(level)):
            wo = app.codec.decode_work_order(rec.value)
            if wo.kind == "ACTION":
                versions[wo.event_id].add(wo.version)
                raw += 1
    v.figures.update(
        lead_work_orders_kafka=sum(len(versions[e]) for e in ids),
        work_order_messages_kafka=raw,
        repeats_dropped_by_version=raw - sum(len(s) for s in versions.values()),
    )
    lost = ids - set(versions)
    doubled = [e for e in ids if len(versions.get(e, ())) > 1]
    v.expect(not lost, f"kafka: {len(lost)} reports without a work order")
    v.expect(not doubled, f"kafka: {len(doubled)} reports with more than one lead work order")
    v.expect(set(versions) <= ids, "kafka: work orders for events nobody reported")


def _bridges(v: Verdict, reports: list[IncidentReport], signed: set[str], record: Path) -> None:
    lines = [json.loads(line) for line in record.read_text("utf-8").splitlines() if line]
    payloads: dict[str, set[str]] = defaultdict(set)
    first: dict[str, dict[str, Any]] = {}
    for line in lines:
        payloads[line["idempotency_key"]].add(json.dumps(line["payload"], sort_keys=True))
        first.setdefault(line["idempotency_key"], line)
    conflicts = [k for k, p in payloads.items() if len(p) > 1]
    steps: dict[str, list[tuple[int, str]]] = defaultdict(list)
    cases: Counter[str] = Counter()
    for line in first.values():
        p = line["payload"]
        if line["bridge"] == "hotline-12345":
            steps[p["ticket_no"]].append((p["version"], p["status_code"]))
        elif line["bridge"] == "citymgmt":
            cases[p["case_no"]] += 1
    wrong = []
    for r in reports:
        if r.external_ref is None:
            continue
        expected = ["DISPATCH", "SIGN"] if r.event_id in signed else ["DISPATCH"]
        if [code for _, code in sorted(steps.get(r.external_ref, []))] != expected:
            wrong.append(r.external_ref)
    ids = {r.event_id for r in reports}
    v.figures.update(
        bridge_keys=len(first),
        bridge_receipts=len(lines),
        bridge_repeats_dropped_by_key=len(lines) - len(first),
    )
    v.expect(not conflicts, f"bridges: {len(conflicts)} keys received with different payloads")
    v.expect(not wrong, f"bridges: {len(wrong)} tickets whose progress is not exactly once "
             f"each (e.g. {wrong[:3]})")  # fmt: skip
    v.expect(set(cases) == ids, f"bridges: {len(ids - set(cases))} 数字城管 cases missing, "
             f"{len(set(cases) - ids)} unasked")  # fmt: skip


def _outage(v: Verdict, t: Timeline) -> None:
    """While PostgreSQL was away: each process said so once and once that it was back, no
    traceback, the router never died, the API answered 503 with Retry-After and was not ready,
    and it became ready again by itself."""
    log = t.outage_log
    begins = [line for line in log.splitlines() if OUTAGE_BEGIN in line]
    ends = [line for line in log.splitlines() if OUTAGE_END in line]
    v.figures.update(
        outage_log_lines=len(begins) + len(ends),
        outage_tracebacks=log.count("Traceback"),
        api_probes_while_down=len(t.api_while_down),
        api_ready_again_after_s=round(t.api_ready_again_after or -1, 1),
    )
    # Per process: never said twice; the router and the API (alive throughout) say both. A
    # relay child killed with its router before its backoff retried never says it is back.
    said = {
        who: (sum(OUTAGE_BEGIN in x for x in lines), sum(OUTAGE_END in x for x in lines))
        for who, lines in _by_process(begins + ends).items()
    }
    v.expect(
        all(b <= 1 and e <= 1 for b, e in said.values())
        and said.get("router") == (1, 1)
        and said.get("api") == (1, 1),
        f"outage: lines per process {said} (one each way per process)",
    )
    v.expect("Traceback" not in log, "outage: tracebacks logged while PostgreSQL was away")
    v.expect(bool(t.router_survived_outage), "outage: the router did not live through it")
    ok = [
        p for p in t.api_while_down
        if all(p[k]["status"] == 503 and p[k]["retry_after"] and p[k]["code"] == "UNAVAILABLE"
               for k in ("readyz", "status"))
    ]  # fmt: skip
    v.expect(
        bool(t.api_while_down) and len(ok) == len(t.api_while_down),
        f"outage: the API answered {t.api_while_down[:2]} while the database was away",
    )


def run_drill(config: DrillConfig, kafka: Any, postgres: Any = None, say: Any = print) -> Verdict:
    """Run the drill and judge it (the drill's processes are stopped by then)."""
    from tests.chaos.drill import Drill

    drill = Drill(config, kafka, postgres, say)
    app, reports, record = drill.run()
    try:
        started = time.monotonic()
        result = verdict(config, drill.timeline, app, reports, drill.signed, record)
        say(f"checked in {time.monotonic() - started:.1f} s")
        return result
    finally:
        app.close()


def _by_process(lines: list[str]) -> dict[str, list[str]]:
    """The outage lines of the router, its relay child (`relay:`) and the API (`api.log`,
    marked by the drill with `[api]`)."""
    out: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        who = "api" if line.startswith("[api]") else "relay" if " relay: " in line else "router"
        out[who].append(line)
    return out
