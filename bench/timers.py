"""SLA timers: how late breaches reach Kafka, and whether a sweep costs what is pending.

Files P/4 incidents (four timers each: sign and handle, warning and breach; P = --pending), then:

  lateness  `grid-router run` as deployed (the scheduler thread on the real wall clock, the
            outbox relay in its child process) with D sign breaches (D = --due) falling due
            over --window seconds and every other timer far ahead. Each breach escalates its
            incident from the community to the street; lateness is measured from the timer's
            due time to the broker's LogAppendTime of the escalated WorkOrder on
            grid.dispatch.street (the topic is created with message.timestamp.type=
            LogAppendTime). Split at the clock reading of the sweep that fired it (the time of
            its history step) and at the relay's hand-over to the producer (the CreateTime of
            the ESCALATE state change, sent in the same pass as the WorkOrder).
  sweep     `SlaScheduler.sweep()` in this process on a frozen clock, firing K breaches
            (K = --sweep-due) with 1,000 pending against P pending, side by side (interleaved,
            median of --reps); printed as a ratio, which must stay near 1.

    .venv/bin/python bench/timers.py                 # P=100000, D=1000, a fresh SQLite file
    .venv/bin/python bench/timers.py --postgres postgresql://grid:grid@127.0.0.1:5432/grid_test
    .venv/bin/python bench/timers.py --quick         # P=10000, D=200

A broker of its own is started on --kafka-port in a temporary directory and stopped at the end,
unless GRID_KAFKA_BOOTSTRAP names one. Last line: `lateness_p99_s=<x> sweep_cost_ratio=<y>`.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from sqlalchemy import bindparam, delete, func, select, text, update

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import incident_transitions, outbox, sla_timers
from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import IncidentReport, Level, Reporter
from grid_router.service.ports import InboundMessage
from grid_router.settings import Settings

SMALL_PENDING = 1000  # the pending count a sweep is compared against
FAR = timedelta(days=30)  # where every timer not under test is pushed
LOG_APPEND_TIME = 1  # Kafka's timestamp type of a broker-stamped record
LATENESS_TARGET_S = 1.0
RATIO_TARGET = 1.5  # "near 1": a sweep that scanned what is pending would be ~P/1000 times


class FrozenClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# --- set-up -----------------------------------------------------------------------------------


@contextlib.contextmanager
def database(tmp: Path, postgres: str | None, name: str) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file in `tmp`, or a schema of its own on the
    PostgreSQL server `postgres` (dropped afterwards), as tests/conftest.py makes them."""
    if postgres is None:
        url = f"sqlite:///{tmp / f'{name}.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    schema = f"bench_{name}_{uuid.uuid4().hex[:8]}"
    admin = make_engine(postgres)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in postgres else "?"
    url = f"{postgres}{sep}options=-csearch_path%3D{schema}"
    try:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class Filer:
    """Files incidents through the real router (`handle_batch` on encoded reports, as the
    router does for what it consumes): each one a community work order with four timers."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.router = app.report_router()
        self.communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
        self.filed = 0

    def file(self, n: int) -> list[str]:
        ids: list[str] = []
        for start in range(0, n, 1000):
            msgs = [self._message(self.filed + i) for i in range(start, min(start + 1000, n))]
            outcome = self.router.handle_batch(msgs)
            if outcome.applied != len(msgs) or outcome.merged or outcome.bursts:
                raise SystemExit(f"filing went astray: {outcome!r}")
            ids.extend(f.report.event_id for f in outcome.filed)
        self.filed += n
        return ids

    def _message(self, i: int) -> InboundMessage:
        # A grid of its own for every report: repeats in one grid would merge.
        community = self.communities[i % len(self.communities)]
        report = IncidentReport(
            event_id=str(uuid.uuid4()),
            reported_at=self.app.clock(),
            source="GRID_APP",
            reporter=Reporter(id=f"GW-{community}-{i % 20:02d}"),
            title="占道经营",
            description=f"第{i}号巡查：商铺在人行道上摆摊占道经营，影响行人通行，已劝离未果。",
            category_code="CITY_MGMT",
            grid_code=f"{community}{i // len(self.communities) + 1:03d}",
        )
        value = self.app.codec.encode_report(report)
        return InboundMessage(self.app.topics.reports, 0, i, report.event_id.encode(), value)


def count_timers(app: App) -> int:
    with app.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(sla_timers)).scalar_one())


def push_all_out(app: App, at: datetime) -> None:
    with app.engine.begin() as conn:
        conn.execute(update(sla_timers).values(due_at=at))


def set_breaches_due(app: App, due: dict[str, datetime]) -> None:
    """Make each incident's sign breach fall due at the time given (its other timers stay)."""
    stmt = (
        update(sla_timers)
        .where(
            sla_timers.c.event_id == bindparam("eid"),
            sla_timers.c.stage == "sign",
            sla_timers.c.card == "BREACH",
        )
        .values(due_at=bindparam("due", type_=sla_timers.c.due_at.type))
    )
    with app.engine.begin() as conn:
        conn.execute(stmt, [{"eid": e, "due": d} for e, d in due.items()])


def trim_timers(app: App, target: int) -> None:
    """Delete timers (any: none of them is under test) until exactly `target` are pending."""
    excess = count_timers(app) - target
    if excess < 0:
        raise SystemExit(f"fewer than {target} timers pending")
    if excess == 0:
        return
    with app.engine.begin() as conn:
        ids = list(
            conn.execute(select(sla_timers.c.id).order_by(sla_timers.c.id).limit(excess)).scalars()
        )
        conn.execute(
            delete(sla_timers).where(sla_timers.c.id.in_(bindparam("ids", expanding=True))),
            {"ids": ids},
        )


def forget(app: App, event_ids: Sequence[str]) -> None:
    """Drop the timers of `event_ids` and the whole outbox (no relay runs in the sweep part)."""
    with app.engine.begin() as conn:
        conn.execute(
            delete(sla_timers).where(sla_timers.c.event_id.in_(bindparam("ids", expanding=True))),
            {"ids": list(event_ids)},
        )
        conn.execute(delete(outbox))


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


# --- lateness ---------------------------------------------------------------------------------


def create_bench_topics(bootstrap: str, topics: Topics, partitions: int) -> None:
    """The topics of `topics`, the street dispatch topic stamped by the broker on append."""
    from kafka.admin import KafkaAdminClient, NewTopic

    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    config = {"message.timestamp.type": "LogAppendTime"}
    admin.create_topics([NewTopic(topics.dispatch(Level.STREET), partitions, 1, None, config)])
    admin.close()
    create_topics(bootstrap, topics, partitions)


def read_stamps(
    app: App, topic: str, want: set[str], pick: Callable[[bytes], str | None], timeout: float
) -> dict[str, tuple[float, int]]:
    """Read `topic` from the beginning until every incident of `want` has a record that `pick`
    accepts (it returns the record's event id, or None), or `timeout` passes: event id →
    (timestamp s, timestamp type) of its first such record."""
    consumer = KafkaConsumer(
        bootstrap_servers=app.settings.kafka_bootstrap, enable_auto_commit=False
    )
    found: dict[str, tuple[float, int]] = {}
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        deadline = time.monotonic() + timeout
        while len(found) < len(want) and time.monotonic() < deadline:
            for batch in consumer.poll(timeout_ms=200, max_records=5000).values():
                for record in batch:
                    event_id = pick(record.value)
                    if event_id in want:
                        found.setdefault(
                            event_id, (record.timestamp / 1000.0, record.timestamp_type)
                        )
    finally:
        consumer.close()
    return found


def read_escalations(app: App, want: set[str], timeout: float) -> dict[str, tuple[float, int]]:
    """The escalated WorkOrders on grid.dispatch.street (stamped by the broker on append)."""

    def pick(value: bytes) -> str | None:
        order = app.codec.decode_work_order(value)
        return order.event_id if order.escalated_from_unit is not None else None

    return read_stamps(app, app.topics.dispatch(Level.STREET), want, pick, timeout)


def read_handovers(app: App, want: set[str], timeout: float) -> dict[str, tuple[float, int]]:
    """The ESCALATE state changes on grid.events.state, stamped by the relay's producer when
    it was handed the message (CreateTime), in the same pass as the escalated WorkOrder."""

    def pick(value: bytes) -> str | None:
        change = app.codec.decode_state_change(value)
        return change.event_id if change.action == "ESCALATE" else None

    return read_stamps(app, app.topics.state, want, pick, timeout)


def breach_steps(app: App, event_ids: Sequence[str]) -> dict[str, datetime]:
    """When the sweep that fired each incident's breach read its clock (the history's time)."""
    stmt = select(incident_transitions.c.event_id, incident_transitions.c.at).where(
        incident_transitions.c.action == "SLA_BREACH",
        incident_transitions.c.event_id.in_(bindparam("ids", expanding=True)),
    )
    with app.engine.connect() as conn:
        return dict(conn.execute(stmt, {"ids": list(event_ids)}).all())


def wait_until_fired(app: App, event_ids: Sequence[str], timeout: float) -> None:
    """Until no sign breach of `event_ids` is pending and no Kafka message is left unsent."""
    pending_breaches = (
        select(func.count())
        .select_from(sla_timers)
        .where(
            sla_timers.c.event_id.in_(bindparam("ids", expanding=True)),
            sla_timers.c.stage == "sign",
            sla_timers.c.card == "BREACH",
            sla_timers.c.level == "community",
        )
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with app.engine.connect() as conn:
            left = conn.execute(pending_breaches, {"ids": list(event_ids)}).scalar_one()
            unsent = conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.kind == "kafka")
            ).scalar_one()
        if left == 0 and unsent == 0:
            return
        time.sleep(0.5)
    raise SystemExit(f"after {timeout:.0f}s, {left} breaches unfired and {unsent} rows unsent")


@dataclass
class Lateness:
    to_kafka: list[float]  # due → LogAppendTime on grid.dispatch.street
    to_sweep: list[float]  # due → the clock reading of the sweep that fired it
    to_relay: list[float]  # due → the relay's producer was handed the state change
    sweeps: int  # sweeps that fired a measured breach
    type_ok: bool  # every record stamped LogAppendTime
    offsets: list[float]  # when each fell due, in seconds from the window's start


def measure_lateness(app: App, ids: list[str], due: int, window: float, log_path: Path) -> Lateness:
    chosen = ids[:: max(1, len(ids) // due)][:due]
    chosen_set = set(chosen)
    probe = next(e for e in reversed(ids) if e not in chosen_set)
    from grid_router.entrypoints.relay_process import settings_env

    with log_path.open("wb") as log:
        router = subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=settings_env(app.settings),
            stderr=log,
        )
        try:
            # Ready when one breach made due now has come out escalated on Kafka: the
            # scheduler and the relay both run.
            set_breaches_due(app, {probe: app.clock()})
            if probe not in read_escalations(app, {probe}, timeout=180):
                raise SystemExit(f"the router never escalated the probe; see {log_path}")
            start = app.clock() + timedelta(seconds=2)
            deadlines = {
                e: start + timedelta(seconds=window * i / due) for i, e in enumerate(chosen)
            }
            set_breaches_due(app, deadlines)
            time.sleep(max(0.0, (start - app.clock()).total_seconds() + window))
            wait_until_fired(app, chosen, timeout=120)
        finally:
            router.send_signal(signal.SIGTERM)
            router.wait(timeout=120)
    on_kafka = read_escalations(app, chosen_set, timeout=60)
    fired = breach_steps(app, chosen)
    handed = read_handovers(app, chosen_set, timeout=60)
    if len(on_kafka) != due or len(fired) != due or len(handed) != due:
        raise SystemExit(
            f"of {due} breaches, {len(fired)} fired, {len(handed)} handed to the producer and "
            f"{len(on_kafka)} escalations on Kafka; see {log_path}"
        )
    return Lateness(
        to_kafka=[on_kafka[e][0] - deadlines[e].timestamp() for e in chosen],
        to_sweep=[(fired[e] - deadlines[e]).total_seconds() for e in chosen],
        to_relay=[handed[e][0] - deadlines[e].timestamp() for e in chosen],
        sweeps=len(set(fired.values())),
        type_ok=all(t == LOG_APPEND_TIME for _, t in on_kafka.values()),
        offsets=[(deadlines[e] - start).total_seconds() for e in chosen],
    )


# --- sweep cost -------------------------------------------------------------------------------


@dataclass
class SweepSide:
    """One database of the side-by-side comparison, on a frozen clock."""

    label: str
    app: App
    filer: Filer
    pending: int
    sweep_s: list[float]
    query_s: list[float]
    idle_s: list[float]

    @classmethod
    def of(cls, label: str, settings: Settings, clock: FrozenClock, pending: int) -> SweepSide:
        app = App(settings, clock=clock)
        return cls(label, app, Filer(app), pending, [], [], [])

    def one_sweep(self, k: int) -> None:
        """File K incidents and make their sign breaches due (not timed), time the due query
        and one sweep, then forget the K incidents' timers so that the next round starts
        from the same pending count."""
        now = self.app.clock()
        fresh = self.filer.file(k)
        set_breaches_due(self.app, dict.fromkeys(fresh, now - timedelta(seconds=1)))
        if (n := count_timers(self.app)) != self.pending:
            raise SystemExit(f"{self.label}: {n} timers pending, expected {self.pending}")
        scheduler = self.app.scheduler()
        with self.app.uow() as uow:
            t0 = time.perf_counter()
            due = uow.due_event_ids(now, 500)
            self.query_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        outcome = scheduler.sweep()
        self.sweep_s.append(time.perf_counter() - t0)
        escalated = sum(len(c.escalations) for c in outcome.changes)
        if len(due) != k or outcome.fired != k or escalated != k:
            raise SystemExit(
                f"{self.label}: {len(due)} due, {outcome.fired} fired, {escalated} escalated, "
                f"expected {k} each"
            )
        forget(self.app, fresh)

    def idle_sweep(self) -> None:
        """A sweep with nothing due and the wait that follows it: what the scheduler does
        several times a second between deadlines."""
        scheduler = self.app.scheduler()
        t0 = time.perf_counter()
        outcome = scheduler.sweep()
        scheduler.wait_time()
        self.idle_s.append(time.perf_counter() - t0)
        assert outcome.fired == 0


def measure_sweeps(sides: Sequence[SweepSide], k: int, reps: int, idle: int) -> None:
    for _ in range(2):  # warm-up, not counted
        for side in sides:
            side.one_sweep(k)
    for side in sides:
        side.sweep_s.clear()
        side.query_s.clear()
    for r in range(reps):
        for side in sides if r % 2 == 0 else reversed(sides):
            side.one_sweep(k)
    for r in range(idle):
        for side in sides if r % 2 == 0 else reversed(sides):
            side.idle_sweep()


# --- main -------------------------------------------------------------------------------------


def start_kafka(base: Settings, tmp: Path, port: int, stack: contextlib.ExitStack) -> str:
    if "GRID_KAFKA_BOOTSTRAP" in os.environ:
        return base.kafka_bootstrap
    from grid_router.adapters.kafka.launcher import LocalKafka

    broker = LocalKafka(base.kafka_cache_dir, tmp / "kafka", port)
    bootstrap = broker.start(timeout=180)
    stack.callback(broker.stop)
    return bootstrap


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pending", type=int, default=100_000, help="timers pending")
    parser.add_argument("--due", type=int, default=1000, help="breaches falling due")
    parser.add_argument("--window", type=float, default=5.0, help="seconds they fall due over")
    parser.add_argument("--sweep-due", type=int, default=100, help="breaches per timed sweep")
    parser.add_argument("--reps", type=int, default=21, help="timed sweeps per side")
    parser.add_argument("--postgres", metavar="URL", default=None, help="default: SQLite files")
    parser.add_argument("--kafka-port", type=int, default=29092, help="its controller: +1")
    parser.add_argument("--quick", action="store_true", help="10,000 pending, 200 due")
    args = parser.parse_args()
    if args.quick:
        args.pending, args.due, args.reps = 10_000, 200, 7
    k = args.sweep_due
    if not 0 < 4 * k < SMALL_PENDING or args.pending <= 4 * args.due or args.pending % 4:
        parser.error("need 4 × --sweep-due < 1000, --pending a multiple of 4 and > 4 × --due")

    os.environ.setdefault("GRID_METRICS_PORT", "0")  # the router's metrics on any free port
    base = Settings()
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grid-bench-")))
        bootstrap = start_kafka(base, tmp, args.kafka_port, stack)
        topics = Topics(prefix)
        create_bench_topics(bootstrap, topics, base.partitions)
        stack.callback(delete_topics, bootstrap, topics.all())
        big_url = stack.enter_context(database(tmp, args.postgres, "big"))
        small_url = stack.enter_context(database(tmp, args.postgres, "small"))

        def settings(url: str) -> Settings:
            return base.model_copy(
                update={
                    "kafka_bootstrap": bootstrap,
                    "database_url": url,
                    "topic_prefix": prefix,
                    "consumer_group": f"{prefix}router",
                }
            )

        app = App(settings(big_url))
        stack.callback(app.close)
        dialect = app.engine.dialect.name
        print(f"filing {args.pending // 4} incidents ({args.pending} timers) in {dialect}…")
        t0 = time.perf_counter()
        ids = Filer(app).file(args.pending // 4)
        push_all_out(app, app.clock() + FAR)
        print(f"  {time.perf_counter() - t0:.1f}s")
        print(f"`grid-router run`: {args.due} sign breaches due over {args.window:.0f}s…")
        late = measure_lateness(app, ids, args.due, args.window, tmp / "router.log")

        print(f"sweeps firing {k} breaches, {SMALL_PENDING} vs {args.pending} pending…")
        clock = FrozenClock(datetime.now(UTC))
        small = SweepSide.of("small", settings(small_url), clock, SMALL_PENDING)
        big = SweepSide.of("big", settings(big_url), clock, args.pending)
        for side in (small, big):
            stack.callback(side.app.close)
        small.filer.file((SMALL_PENDING - 4 * k) // 4)
        push_all_out(small.app, clock.now + FAR)
        trim_timers(small.app, SMALL_PENDING - 4 * k)
        big.filer.filed = args.pending // 4  # fresh grids after those filed above
        trim_timers(big.app, args.pending - 4 * k)
        forget(small.app, [])  # the outbox rows of the filing
        measure_sweeps([small, big], k, args.reps, idle=30)

    report(args, dialect, late, small, big)


def report(
    args: argparse.Namespace, dialect: str, late: Lateness, small: SweepSide, big: SweepSide
) -> None:
    k = args.sweep_due

    def row(label: str, values: list[float], note: str) -> str:
        return (
            f"{label:<22} {len(values):>5} {percentile(values, 50):>7.3f} "
            f"{percentile(values, 99):>7.3f} {max(values):>7.3f}  {note}"
        )

    print()
    print(
        f"SLA timers on {dialect}: {args.pending:,} pending, {args.due:,} sign breaches due "
        f"over {args.window:.0f}s (community → street)"
    )
    print(f"{'lateness (s)':<22} {'n':>5} {'p50':>7} {'p99':>7} {'max':>7}")
    print(row("due → swept", late.to_sweep, f"clock reading of the firing sweep; {late.sweeps} "
              "sweeps fired them"))  # fmt: skip
    print(row("due → relay sends", late.to_relay, "CreateTime of the state change, same pass"))
    print(row("due → on Kafka", late.to_kafka, "broker LogAppendTime of the escalated WorkOrder"
              + ("" if late.type_ok else " (NOT LogAppendTime!)")))  # fmt: skip
    buckets: dict[int, list[float]] = {}
    for offset, value in zip(late.offsets, late.to_kafka, strict=True):
        buckets.setdefault(int(offset), []).append(value)
    print(
        "due → on Kafka, p99 per second of the window: "
        + " ".join(f"{percentile(v, 99):.2f}" for _, v in sorted(buckets.items()))
    )
    print()
    print(f"one sweep firing {k} breaches (frozen clock; median of {args.reps}, interleaved)")
    print(f"{'pending':>9} {'sweep ms':>9} {'per timer ms':>13} {'due query ms':>13} "
          f"{'idle sweep ms':>14}")  # fmt: skip
    med = statistics.median
    for side in (small, big):
        print(
            f"{side.pending:>9,} {ms(med(side.sweep_s)):>9} {med(side.sweep_s) / k * 1000:>13.2f} "
            f"{ms(med(side.query_s)):>13} {ms(med(side.idle_s)):>14}"
        )
    ratio = med(big.sweep_s) / med(small.sweep_s)
    print(
        f"{'ratio':>9} {ratio:>9.2f} {'':>13} {med(big.query_s) / med(small.query_s):>13.2f} "
        f"{med(big.idle_s) / med(small.idle_s):>14.2f}"
    )
    p99 = percentile(late.to_kafka, 99)
    print()
    verdict = "PASS" if p99 <= LATENESS_TARGET_S else "MISS"
    print(f"target p99 lateness ≤ {LATENESS_TARGET_S:.0f} s: {verdict} ({p99:.3f} s)")
    verdict = "PASS" if ratio <= RATIO_TARGET else "MISS"
    print(f"target sweep cost ratio near 1 (≤ {RATIO_TARGET}): {verdict} ({ratio:.2f})")
    print(f"lateness_p99_s={p99:.3f} sweep_cost_ratio={ratio:.2f}")


if __name__ == "__main__":
    main()
