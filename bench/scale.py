"""Scale-out: k routers on one PostgreSQL database, then a router killed mid-stream.

For each k (default 1, 2, 3), in one run: a fresh database on the PostgreSQL server of
--database-url (created, migrated and dropped here), topics of their own with --partitions
partitions, k `grid-router run` processes in one consumer group (each with its outbox relay in a
child process; one relay at a time sends, by PostgreSQL advisory lock). Once the group is
stable with every member holding partitions, N reports are produced as a stream and the run is
timed from the first send to the Kafka CreateTime of the last work order. The same with one
router on a fresh SQLite file, for "one router on PostgreSQL vs on SQLite".

CPU per report is read from /proc over the same window: each router's main process, its relay
child, and PostgreSQL (the postmaster and all its backends, the exited ones included; only when
the server runs on this host) and the machine as a whole (/proc/stat), so that a flat curve can
be told apart from a saturated machine.

Then the kill: two routers, N reports; once about a third are filed the first router (whose
relay started first and normally holds the sending lock) is killed with SIGKILL. Its partitions
move to the other router once the broker's session timeout expires. When everything is filed and
sent, every report must have exactly one lead (ACTION) work order in the database and exactly
one distinct lead work order on Kafka (repeated messages of the same work order and version are
counted: consumers drop them by (event id, version)).

    .venv/bin/python bench/scale.py --database-url postgresql://grid:grid@127.0.0.1:5432/postgres
    .venv/bin/python bench/scale.py --database-url … --n 5000 --routers 1,2  # shorter

Last line: `scale_reports_per_s k1=… k2=… k3=… sqlite_k1=… pg_vs_sqlite_k1=… kill_lost=…
kill_doubled_db=… kill_doubled_kafka=…`. GRID_KAFKA_BOOTSTRAP names the broker (default: the
local development broker, started if needed).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from common import bench_broker, fresh_settings, street_report
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient
from kafka.consumer.fetcher import ConsumerRecord
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from throughput import last_create_time

from grid_router.adapters.db.engine import make_engine, normalise_url
from grid_router.adapters.db.tables import incidents, outbox, work_orders
from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.clients import KafkaBatchConsumer
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.domain.model import Level
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.intake import report_key
from grid_router.settings import Settings

TICK = os.sysconf("SC_CLK_TCK")
LOGS = Path(tempfile.gettempdir()) / f"grid-bench-scale-{os.getpid()}"


# --- CPU from /proc ------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU s, CPU s of its reaped children) of a live process, else None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    own = (int(fields[11]) + int(fields[12])) / TICK
    reaped = (int(fields[13]) + int(fields[14])) / TICK
    return int(fields[1]), own, reaped


def tree_cpu(root: int) -> tuple[float, float]:
    """CPU seconds of `root` itself and of its descendants (live ones, and those it reaped)."""
    parents: dict[int, list[int]] = defaultdict(list)
    stats: dict[int, tuple[int, float, float]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))) is not None:
            stats[int(entry.name)] = st
            parents[st[0]].append(int(entry.name))
    if root not in stats:
        return 0.0, 0.0
    _, own, children = stats[root]
    todo = list(parents[root])
    while todo:
        pid = todo.pop()
        children += stats[pid][1] + stats[pid][2]
        todo.extend(parents[pid])
    return own, children


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / TICK, sum(values) / TICK


def postmaster_pid(url: str) -> int | None:
    """The pid of the PostgreSQL server behind `url`, if it runs on this host."""
    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as conn:
            backend = int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())
    finally:
        engine.dispose()
    st = _stat(backend)
    return st[0] if st else None


# --- databases -----------------------------------------------------------------------------


@contextmanager
def fresh_database(server_url: str, name: str) -> Iterator[str]:
    """A new PostgreSQL database on the server of `server_url`; dropped afterwards."""
    admin = create_engine(normalise_url(server_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(normalise_url(server_url)).set(database=name).render_as_string(False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


# --- routers and the consumer group --------------------------------------------------------


def start_router(settings: Settings, name: str) -> subprocess.Popen[bytes]:
    LOGS.mkdir(parents=True, exist_ok=True)
    with (LOGS / f"{name}.log").open("ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "grid_router.entrypoints.cli", "run"],
            env=settings_env(settings),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def stop(routers: list[subprocess.Popen[bytes]]) -> None:
    for router in routers:
        if router.poll() is None:
            router.send_signal(signal.SIGTERM)
    for router in routers:
        try:
            router.wait(timeout=120)
        except subprocess.TimeoutExpired:
            router.kill()
            router.wait()


def assignment(bootstrap: str, group: str, topic: str) -> list[list[int]]:
    """Partitions of `topic` held by each member of a stable `group` ([] while rebalancing)."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        described = admin.describe_groups([group])[group]
    finally:
        admin.close()
    if described["group_state"] != "Stable":
        return []
    held = []
    for member in described["members"]:
        parts = [
            p
            for a in (member.get("member_assignment") or {}).get("assigned_partitions", [])
            if a["topic"] == topic
            for p in a["partitions"]
        ]
        held.append(sorted(parts))
    return held


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> float:
    """Poll `condition` until it holds; returns the seconds waited."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise SystemExit(f"timed out after {timeout:.0f} s waiting for {what} (logs: {LOGS})")
        time.sleep(0.2)
    return time.monotonic() - start


def wait_stable(settings: Settings, k: int, partitions: int, timeout: float = 180) -> None:
    topic = Topics(settings.topic_prefix).reports

    def stable() -> bool:
        held = assignment(settings.kafka_bootstrap, settings.consumer_group, topic)
        return len(held) == k and all(held) and sum(len(h) for h in held) == partitions

    wait_for(stable, timeout, f"{k} routers holding the {partitions} partitions")


# --- reports and results -------------------------------------------------------------------


def produce(app: App, settings: Settings, n: int) -> list[str]:
    """N reports, each in a grid of its own (so none merges), sent as fast as the client can."""
    producer = app.producer()
    topic = Topics(settings.topic_prefix).reports
    communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
    now = datetime.now(UTC)
    ids = []
    for i in range(n):
        report = street_report(i, communities[i % len(communities)], i // len(communities) + 1, now)
        producer.send(topic, key=report_key(report), value=app.codec.encode_report(report))
        ids.append(report.event_id)
    producer.flush(timeout=300)
    return ids


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(text(table))).scalar_one())
    finally:
        engine.dispose()


@dataclass
class Run:
    label: str
    k: int
    n: int
    seconds: float
    router_cpu: float  # the routers' main processes, s
    relay_cpu: float  # their relay children, s
    postgres_cpu: float | None
    machine_busy: float  # share of all cores busy during the run

    @property
    def rate(self) -> float:
        return self.n / self.seconds

    def per_report_ms(self, cpu: float | None) -> str:
        return "-" if cpu is None else f"{cpu / self.n * 1000:.2f}"


@dataclass
class Sampler:
    """CPU of the routers, their relays, PostgreSQL and the machine over a window."""

    routers: list[int]
    postmaster: int | None
    start: dict[str, float] = field(default_factory=dict)

    def sample(self) -> dict[str, float]:
        trees = [tree_cpu(pid) for pid in self.routers]
        busy, total = machine_cpu()
        values = {
            "router": sum(own for own, _ in trees),
            "relay": sum(children for _, children in trees),
            "busy": busy,
            "total": total,
        }
        if self.postmaster is not None:
            values["postgres"] = sum(tree_cpu(self.postmaster))
        return values

    def begin(self) -> None:
        self.start = self.sample()

    def end(self) -> dict[str, float]:
        now = self.sample()
        return {name: now[name] - self.start[name] for name in self.start}


def dispatch_topics(settings: Settings) -> list[str]:
    topics = Topics(settings.topic_prefix)
    return [topics.dispatch(level) for level in Level]


def throughput_run(
    app: App,
    settings: Settings,
    label: str,
    k: int,
    n: int,
    partitions: int,
    postmaster: int | None,
) -> Run:
    routers = [start_router(settings, f"{label}-{i}") for i in range(k)]
    try:
        wait_stable(settings, k, partitions)
        sampler = Sampler([r.pid for r in routers], postmaster)
        sampler.begin()
        start = time.time()
        produce(app, settings, n)
        end, _ = last_create_time(settings.kafka_bootstrap, dispatch_topics(settings), n)
        cpu = sampler.end()
    finally:
        stop(routers)
    return Run(
        label,
        k,
        n,
        end - start,
        cpu["router"],
        cpu["relay"],
        cpu.get("postgres"),
        cpu["busy"] / cpu["total"],
    )


@dataclass
class KillResult:
    filed_at_kill: int
    held_before: list[list[int]]
    held_after: list[list[int]]
    rebalance_s: float
    lost_db: int
    doubled_db: int
    lost_kafka: int
    doubled_kafka: int
    lead_messages: int
    repeats: int


def kill_run(app: App, settings: Settings, n: int, partitions: int) -> KillResult:
    topic = Topics(settings.topic_prefix).reports
    url = settings.database_url
    routers = [start_router(settings, f"kill-{i}") for i in range(2)]
    try:
        wait_stable(settings, 2, partitions)
        held_before = assignment(settings.kafka_bootstrap, settings.consumer_group, topic)
        ids = produce(app, settings, n)
        wait_for(lambda: count(url, "incidents") >= n // 3, 600, f"{n // 3} reports filed")
        routers[0].send_signal(signal.SIGKILL)
        routers[0].wait(timeout=30)
        filed_at_kill = count(url, "incidents")
        killed_at = time.monotonic()

        def moved() -> bool:
            held = assignment(settings.kafka_bootstrap, settings.consumer_group, topic)
            return len(held) == 1 and len(held[0]) == partitions

        wait_for(moved, 120, "the killed router's partitions to move")
        rebalance_s = time.monotonic() - killed_at
        held_after = assignment(settings.kafka_bootstrap, settings.consumer_group, topic)
        wait_for(
            lambda: count(url, "incidents") >= n and count(url, "outbox") == 0,
            900,
            "every report filed and sent",
        )
    finally:
        stop(routers)

    engine = make_engine(url)
    with engine.connect() as conn:
        leads: dict[str, int] = dict(
            conn.execute(
                select(work_orders.c.event_id, func.count())
                .where(work_orders.c.kind == "ACTION")
                .group_by(work_orders.c.event_id)
            ).all()
        )
        assert conn.execute(select(func.count()).select_from(incidents)).scalar_one() == n
        assert conn.execute(select(func.count()).select_from(outbox)).scalar_one() == 0
    engine.dispose()

    on_kafka: dict[str, set[str]] = defaultdict(set)
    messages = 0
    for record in read_all(settings.kafka_bootstrap, dispatch_topics(settings)):
        order = app.codec.decode_work_order(record.value)
        if order.kind == "ACTION":
            on_kafka[order.event_id].add(f"{order.work_order_id}@{order.version}")
            messages += 1
    expected = set(ids)
    return KillResult(
        filed_at_kill=filed_at_kill,
        held_before=held_before,
        held_after=held_after,
        rebalance_s=rebalance_s,
        lost_db=len(expected - set(leads)),
        doubled_db=sum(1 for c in leads.values() if c != 1),
        lost_kafka=len(expected - set(on_kafka)),
        doubled_kafka=sum(1 for orders in on_kafka.values() if len(orders) != 1),
        lead_messages=messages,
        repeats=messages - sum(len(orders) for orders in on_kafka.values()),
    )


def read_all(bootstrap: str, topic_names: list[str]) -> list[ConsumerRecord]:
    """Every record on the topics now (up to their end offsets)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    try:
        parts = [
            TopicPartition(t, p)
            for t in topic_names
            for p in consumer.partitions_for_topic(t) or ()
        ]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        records: list[ConsumerRecord] = []
        while any(int(consumer.position(tp)) < int(ends[tp]) for tp in parts):
            for batch in consumer.poll(timeout_ms=500, max_records=20000).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


# --- main ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("GRID_TEST_POSTGRES_URL"),
        help="a PostgreSQL server (any database on it): fresh databases are made there "
        "(default: GRID_TEST_POSTGRES_URL)",
    )
    parser.add_argument("--n", type=int, default=20_000, help="reports per run")
    parser.add_argument("--routers", default="1,2,3", help="the k to measure")
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument("--batch", type=int, default=1000, help="GRID_BATCH_SIZE")
    parser.add_argument("--no-sqlite", action="store_true", help="skip the SQLite run")
    parser.add_argument("--no-kill", action="store_true", help="skip the kill run")
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("give --database-url postgresql://… (or set GRID_TEST_POSTGRES_URL)")
    ks = [int(k) for k in args.routers.split(",")]

    base = Settings()
    bootstrap = bench_broker(base)
    postmaster = postmaster_pid(args.database_url)
    app = App(base.model_copy(update={"kafka_bootstrap": bootstrap}))
    tag = uuid.uuid4().hex[:8]
    print(
        f"{args.n} reports per run, {args.partitions} partitions, batch {args.batch}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before; "
        f"PostgreSQL CPU {f'measured (pid {postmaster})' if postmaster else 'not measured'}; "
        f"router logs in {LOGS}",
        flush=True,
    )

    def setup(url: str, label: str) -> Settings:
        prefix = f"bench-scale-{tag}-{label}."
        create_topics(bootstrap, Topics(prefix), args.partitions)
        return fresh_settings(base, bootstrap, url, prefix, batch_size=args.batch)

    runs: list[Run] = []
    kill: KillResult | None = None
    prefixes: list[str] = []
    try:
        for k in ks:
            with fresh_database(args.database_url, f"grid_scale_{tag}_k{k}") as url:
                settings = setup(url, f"k{k}")
                prefixes.append(settings.topic_prefix)
                runs.append(
                    throughput_run(
                        app, settings, f"pg-k{k}", k, args.n, args.partitions, postmaster
                    )
                )
                print(f"  postgresql, {k} router(s): {runs[-1].rate:.0f} reports/s", flush=True)
        if not args.no_sqlite:
            with tempfile.TemporaryDirectory(prefix="grid-bench-scale-") as tmp:
                settings = setup(f"sqlite:///{Path(tmp) / 'scale.db'}", "sqlite")
                prefixes.append(settings.topic_prefix)
                runs.append(
                    throughput_run(app, settings, "sqlite-k1", 1, args.n, args.partitions, None)
                )
                print(f"  sqlite, 1 router: {runs[-1].rate:.0f} reports/s", flush=True)
        if not args.no_kill:
            with fresh_database(args.database_url, f"grid_scale_{tag}_kill") as url:
                settings = setup(url, "kill")
                prefixes.append(settings.topic_prefix)
                kill = kill_run(app, settings, args.n, args.partitions)
    finally:
        for prefix in prefixes:
            delete_topics(bootstrap, Topics(prefix).all())
        app.close()

    print()
    print(
        f"{'run':<10} {'routers':>7} {'reports':>8} {'seconds':>8} {'reports/s':>10}  "
        f"{'CPU ms per report: router':>25} {'relay':>6} {'postgres':>8}  {'machine busy':>12}"
    )
    for run in runs:
        print(
            f"{run.label:<10} {run.k:>7} {run.n:>8} {run.seconds:>8.1f} {run.rate:>10.0f}  "
            f"{run.per_report_ms(run.router_cpu):>25} {run.per_report_ms(run.relay_cpu):>6} "
            f"{run.per_report_ms(run.postgres_cpu):>8}  {run.machine_busy:>11.0%}"
        )
    rates = {run.label: run.rate for run in runs}
    pg = [run for run in runs if run.label.startswith("pg-")]
    if pg:
        print("speed-up over one router: " + ", ".join(
            f"k={run.k} {run.rate / pg[0].rate:.2f}x" for run in pg
        ))  # fmt: skip
    if kill is not None:
        print(
            f"kill: 2 routers holding {kill.held_before}; the first killed (SIGKILL) with "
            f"{kill.filed_at_kill} of {args.n} filed; its partitions moved after "
            f"{kill.rebalance_s:.1f} s (now held: {kill.held_after}; the broker waits the "
            f"consumer's session timeout, {KafkaBatchConsumer.SESSION_TIMEOUT_MS / 1000:.0f} s, "
            "before it gives a silent member's partitions away)"
        )
        print(
            f"  database: {kill.lost_db} reports without a lead work order, {kill.doubled_db} "
            f"with more than one; Kafka: {kill.lost_kafka} without, {kill.doubled_kafka} with "
            f"more than one distinct lead order ({kill.lead_messages} messages, "
            f"{kill.repeats} repeats of the same order and version)"
        )
    figures = [f"k{run.k}={run.rate:.0f}" for run in pg]
    if "sqlite-k1" in rates:
        figures.append(f"sqlite_k1={rates['sqlite-k1']:.0f}")
        if "pg-k1" in rates:
            figures.append(f"pg_vs_sqlite_k1={rates['pg-k1'] / rates['sqlite-k1']:.2f}")
    if kill is not None:
        figures += [
            f"kill_lost={kill.lost_db + kill.lost_kafka}",
            f"kill_doubled_db={kill.doubled_db}",
            f"kill_doubled_kafka={kill.doubled_kafka}",
        ]
    print("scale_reports_per_s " + " ".join(figures))


if __name__ == "__main__":
    main()
