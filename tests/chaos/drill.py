"""The chaos drill's core: a deployment of real processes (broker, database, `grid-router run`,
`grid-router api`, the reference far sides) takes a stream of reports and dispatch actions while
its parts are killed on a seeded schedule, then the drill checks that nothing was lost or
doubled (`tests.chaos.checks`).

The schedule: the router (with its relay child) SIGKILLed `kills` times while the stream runs
and started again at once; the broker SIGKILLed once and started again; PostgreSQL stopped
(`immediate`, as a crash) for `postgres_outage` seconds while the API is probed for its 503 and
`/readyz`; the hotline's and 数字城管's far side (the reference server) killed for
`far_side_outage` of drill time. The bridges' retry and circuit-breaker times of the bundled
policy are divided by the drill clock's `scale`, so the far side is away for as many of their
tries as it would be for ten real minutes.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import httpx
import yaml
from sqlalchemy import func, select

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import inbox, incidents, outbox
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.admin import create_topics
from grid_router.adapters.kafka.launcher import LocalKafka
from grid_router.adapters.kafka.topics import Topics
from grid_router.bootstrap import App
from grid_router.bridges_reference.app import SECRET_ENV, URL_ENV
from grid_router.demo.city import DrillClock
from grid_router.demo.runner import write_drill_policy
from grid_router.domain.model import IncidentReport, Level, Reporter
from grid_router.entrypoints.relay_process import settings_env
from grid_router.policy.load import default_policy_path
from grid_router.service.intake import ActionIntake, ReportIntake, new_action
from grid_router.settings import Settings
from tests.chaos.postgres import PrivatePostgres, free_port

Database = Literal["sqlite", "postgres"]
BROKER_BEGIN = "is unreachable; waiting for it"  # grid_router.adapters.kafka.outage's lines
BROKER_END = "answers again after"
SECRETS = {"hotline": "chaos-hotline", "citymgmt": "chaos-citymgmt", "public-safety": "chaos-ps"}
PARTITIONS = 3


@dataclass(frozen=True, slots=True)
class DrillConfig:
    db: Database
    reports: int
    kills: int
    seed: int
    workdir: Path
    rate: float = 40.0  # reports a second
    scale: float = 60.0  # drill seconds a real second (the bridges' retry times)
    signed_share: float = 0.3  # reports signed by their unit
    repeated_share: float = 0.2  # of the signings, sent a second time (same action id)
    hotline_share: float = 0.5  # reports that are 12345 tickets (the rest from grid workers)
    broker_kill: bool = True
    postgres_outage: float = 30.0  # seconds PostgreSQL is stopped (PostgreSQL only; 0: not)
    far_side_outage: timedelta = timedelta(minutes=10)  # drill time
    settle_timeout: float = 600.0  # seconds for everything to arrive after the last fault


@dataclass(slots=True)
class Timeline:
    """What the drill did, as it happened (for the report and the checks)."""

    router_kills: list[float] = field(default_factory=list)  # seconds into the drill
    broker_kills: list[float] = field(default_factory=list)
    postgres_outage: tuple[float, float] | None = None  # stopped, ready again (seconds)
    far_side_outage: tuple[float, float] | None = None
    api_while_down: list[dict[str, Any]] = field(default_factory=list)
    api_ready_again_after: float | None = None  # seconds after PostgreSQL started again
    outage_log: str = ""  # what the processes logged while PostgreSQL was away
    router_survived_outage: bool | None = None
    broker_log: str = ""  # what the router and its relay logged while the broker was away
    router_survived_broker: bool | None = None
    exits: list[str] = field(default_factory=list)  # processes that stopped on their own
    send_retries: int = 0  # batches of reports or actions Kafka did not acknowledge in time
    settled_after: float | None = None
    stream_end: float | None = None  # seconds into the drill when the last report was sent
    duration: float = 0.0


class Processes:
    """The drill's processes: each a process group of its own, killable as a whole."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.router: subprocess.Popen[bytes] | None = None
        self.api: subprocess.Popen[bytes] | None = None
        self.far_side: subprocess.Popen[bytes] | None = None
        self.far_port = free_port()
        self.api_port = free_port()
        self.record = workdir / "far-side-received.jsonl"
        self._router_from = 0

    def _start(self, args: list[str], log: str, **env: str) -> subprocess.Popen[bytes]:
        with (self.workdir / log).open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "grid_router.entrypoints.cli", *args],
                env={**self.env, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def start_router(self) -> None:
        self._router_from = _size(self.workdir / "router.log")
        self.router = self._start(["run"], "router.log")

    def router_up(self) -> bool:
        """Whether the router started last is consuming (it says so once it is)."""
        return "router consuming" in _read_from(self.workdir / "router.log", self._router_from)

    def start_api(self) -> None:
        self.api = self._start(["api"], "api.log", GRID_API_PORT=str(self.api_port))

    def start_far_side(self) -> None:
        args = ["bridges", "serve-reference", "--port", str(self.far_port)]
        self.far_side = self._start([*args, "--record", str(self.record)], "far-side.log")
        wait_for(
            "the reference far side",
            lambda: _answers(f"http://127.0.0.1:{self.far_port}/_control/health"),
            60,
        )

    @staticmethod
    def kill(process: subprocess.Popen[bytes] | None) -> None:
        if process is None or process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(30)

    @staticmethod
    def terminate(process: subprocess.Popen[bytes] | None, timeout: float = 90) -> int | None:
        if process is None or process.poll() is not None:
            return None if process is None else process.returncode
        os.killpg(process.pid, signal.SIGTERM)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            Processes.kill(process)
            return None

    def close(self) -> None:
        for p in (self.router, self.api, self.far_side):
            self.kill(p)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def wait_for(what: str, condition: Callable[[], bool], timeout: float) -> float:
    """Wait until `condition()` holds; returns the seconds it took (raises after `timeout`)."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.2)
    return time.monotonic() - start


def drill_policy(directory: Path, scale: float) -> Path:
    """The bundled policy with wall-clock SLA clocks (`write_drill_policy`) and its bridges'
    retry and circuit-breaker times divided by `scale`."""
    path = write_drill_policy(default_policy_path(), directory)
    raw = yaml.safe_load(path.read_text("utf-8"))
    for bridge in raw["bridges"].values():
        bridge["backoff_first_seconds"] = bridge.get("backoff_first_seconds", 2.0) / scale
        bridge["backoff_max_seconds"] = bridge.get("backoff_max_seconds", 600.0) / scale
        bridge["breaker_reset_seconds"] = bridge.get("breaker_reset_seconds", 30.0) / scale
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def make_report(communities: list[str], i: int, seed: int, hotline_share: float) -> IncidentReport:
    """Report `i` of the drill: city management, in a grid of its own (repeats would merge, and
    the drill is about delivery), a 12345 ticket for a share of them; drawn from `seed`."""
    rng = random.Random(seed * 1_000_003 + i)
    hotline = rng.random() < hotline_share
    return IncidentReport(
        event_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        reported_at=datetime.now(UTC),
        source="HOTLINE" if hotline else "GRID_APP",
        reporter=Reporter(id="agent-7", role="hotline_agent")
        if hotline
        else Reporter(id=f"GW-{i % 50}"),
        description=f"第{i}号：小区门口垃圾桶满溢，好几天没人清运",
        category_code="CITY_MGMT",
        grid_code=f"{communities[i % len(communities)]}{i // len(communities) + 1:03d}",
        external_ref=f"GD{seed % 10000:04d}{i:06d}" if hotline else None,
    )


class Drill:
    def __init__(
        self,
        config: DrillConfig,
        kafka: LocalKafka,
        postgres: PrivatePostgres | None = None,
        say: Callable[[str], None] = print,
    ) -> None:
        if config.db == "postgres" and postgres is None:
            raise ValueError("a PostgreSQL drill needs its private cluster")
        self.config = config
        self.kafka = kafka
        self.postgres = postgres
        self.say = say
        self.clock = DrillClock(config.scale)
        self.timeline = Timeline()
        self._t0 = time.monotonic()
        self._stream_done = threading.Event()
        self._faults: list[threading.Thread] = []
        self._faults_done = threading.Event()
        self._outages: set[str] = set()
        self._app: App | None = None
        self._next: Callable[[int], IncidentReport] = lambda i: NotImplemented
        self._procs_lock = threading.Lock()
        self._stop = threading.Event()
        self.signed: dict[str, list[dict[str, Any]]] = {}  # event id → the action sent (twice)
        self.token = ""

    @property
    def _probes_api(self) -> bool:
        """The API runs beside the router when PostgreSQL goes away: it is probed meanwhile."""
        return self.config.db == "postgres" and self.config.postgres_outage > 0

    def now(self) -> float:
        return time.monotonic() - self._t0

    # --- set-up ----------------------------------------------------------------------------

    def _deployment(self) -> tuple[App, Processes]:
        c = self.config
        c.workdir.mkdir(parents=True, exist_ok=True)
        if c.db == "sqlite":
            url = f"sqlite:///{c.workdir / 'chaos.db'}"
        else:
            assert self.postgres is not None
            url = self.postgres.create_database(f"chaos_{c.seed}_{uuid.uuid4().hex[:6]}")
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        prefix = f"chaos{c.seed}x{uuid.uuid4().hex[:6]}."
        settings = Settings(
            kafka_bootstrap=self.kafka.bootstrap,
            database_url=url,
            topic_prefix=prefix,
            partitions=PARTITIONS,
            consumer_group=f"{prefix}router",
            policy=drill_policy(c.workdir, c.scale),
            metrics_port=0,
        )
        create_topics(self.kafka.bootstrap, Topics(prefix), PARTITIONS)
        procs = Processes(settings_env(settings), c.workdir)
        base = f"http://127.0.0.1:{procs.far_port}"
        for far, secret in SECRETS.items():
            procs.env[SECRET_ENV[far]] = secret
            procs.env[URL_ENV[far]] = f"{base}/{far}"
        app = App(settings)
        if self._probes_api:  # a token to ask the API for an incident while the database is away
            store = SqlTokenStore(app.engine, app.clock)
            _, self.token = store.create("chaos-probe", "operator", None, (), rate_per_minute=600)
        return app, procs

    # --- the run ---------------------------------------------------------------------------

    def run(self) -> tuple[App, list[IncidentReport], Path]:
        """Run the drill; returns the deployment's App, the reports sent and the far side's
        record, for `checks.verdict`. The processes are stopped when it returns."""
        c = self.config
        app, procs = self._deployment()
        self._app = app
        communities = [u.code for u in app.org.units_at(Level.COMMUNITY)]
        self._next = lambda i: make_report(communities, i, c.seed, c.hotline_share)
        reports = [self._next(i) for i in range(c.reports)]
        procs.start_router()  # starting while the far side does (the first kill waits for it)
        procs.start_far_side()
        if self._probes_api:
            procs.start_api()
            wait_for(
                "the API to be ready",
                lambda: _answers(f"http://127.0.0.1:{procs.api_port}/readyz"),
                120,
            )
        self.say(f"deployment up after {time.monotonic() - self._t0:.1f} s; the drill begins")
        self._t0 = time.monotonic()
        stream_seconds = c.reports / c.rate
        threads = [
            threading.Thread(target=self._stream, args=(app, reports), daemon=True),
            threading.Thread(target=self._sign, args=(app, reports), daemon=True),
        ]
        for t in threads:
            t.start()
        try:
            for at, what in self._schedule(stream_seconds):
                while not self._stop.wait(min(0.5, max(0.0, at - self.now()))):
                    self._watch(procs)
                    if self.now() >= at:
                        break
                what(app, procs)
            for t in self._faults:
                while t.is_alive():
                    self._watch(procs)
                    t.join(0.5)
            self._faults_done.set()  # the stream may end now
            while not self._stream_done.wait(0.5):
                self._watch(procs)
            self.say(f"{self.now():6.1f}s  stream sent; waiting for everything to arrive")

            def settled() -> bool:
                self._watch(procs)
                return self._settled(app, reports)

            self.timeline.settled_after = wait_for(
                "every report filed, every signing applied and every message sent",
                settled,
                c.settle_timeout,
            )
            self._stop.set()
            for t in threads:
                t.join(60)
            self.say(f"{self.now():6.1f}s  settled; stopping the router (SIGTERM)")
            Processes.terminate(procs.router)
        finally:
            self._stop.set()
            self.timeline.duration = self.now()
            procs.close()
        return app, reports, procs.record

    def _schedule(self, stream: float) -> list[tuple[float, Callable[[App, Processes], None]]]:
        """The faults, at seeded moments while the stream runs; no router kill while the
        database is away (its outage is a test of its own)."""
        c = self.config
        rng = random.Random(c.seed ^ 0x5EED)
        far = self.clock.real(c.far_side_outage)
        plan: list[tuple[float, Callable[[App, Processes], None]]] = []
        plan.append(
            (stream * 0.10, lambda a, p: self._meanwhile(lambda: self._far_side_down(p, far)))
        )
        if c.broker_kill:
            plan.append((stream * 0.35, lambda a, p: self._meanwhile(lambda: self._kill_broker(p))))
        if c.db == "postgres" and c.postgres_outage > 0:
            plan.append(
                (stream * 0.6, lambda a, p: self._meanwhile(lambda: self._postgres_down(p)))
            )
        # One kill in each of `kills` equal slots of the stream, at a seeded point of it.
        slot = stream * 0.95 / max(c.kills, 1)
        for i in range(c.kills):
            at, pause = slot * i + rng.uniform(0.2, 0.8) * slot, rng.uniform(0.5, 2.5)
            plan.append((at, lambda a, p, pause=pause: self._kill_router(p, pause)))  # type: ignore[misc]
        return sorted(plan, key=lambda step: step[0])

    def _watch(self, procs: Processes) -> None:
        """A router or API that exits on its own is a failure of the drill (it must ride out
        every fault); it is counted, and started again as a supervisor would."""
        with self._procs_lock:
            for name, process, start in (
                ("router", procs.router, procs.start_router),
                ("api", procs.api, procs.start_api),
            ):
                if process is not None and process.poll() is not None:
                    away = f" while the {', '.join(sorted(self._outages))} was away"
                    self.timeline.exits.append(
                        f"{name} exited {process.returncode}{away if self._outages else ''}"
                    )
                    self.say(f"{self.now():6.1f}s  {name} exited on its own; starting it again")
                    start()

    # --- faults ----------------------------------------------------------------------------

    def _kill_router(self, procs: Processes, pause: float) -> None:
        # A kill is meant to land on a router at work, not on one still starting: it comes
        # `pause` seconds (seeded) after the router says it consumes, if its time is past.
        self._until_router_up(procs)
        self._stop.wait(pause)
        while self._outages:  # no kill during an outage: a router must start with its parts up
            self._watch(procs)
            self._stop.wait(0.5)
        with self._procs_lock:
            Processes.kill(procs.router)
            self.timeline.router_kills.append(self.now())
            self.say(f"{self.now():6.1f}s  router SIGKILLed ({len(self.timeline.router_kills)})")
            procs.start_router()

    def _until_router_up(self, procs: Processes) -> None:
        def up() -> bool:
            self._watch(procs)
            return procs.router_up()

        wait_for("the router to be up", up, 180)

    def _until_router_at_work(self, procs: Processes) -> None:
        """Until the router is up and has filed something since (it has joined its group)."""
        self._until_router_up(procs)
        assert self._app is not None
        app, before = self._app, _consumed(self._app)

        def at_work() -> bool:
            self._watch(procs)
            return _consumed(app) > before

        wait_for("the router to file something", at_work, 180)

    @contextlib.contextmanager
    def _outage(self, procs: Processes, what: str) -> Iterator[None]:
        """While a part is away no router is killed (a router must start with every part up:
        it waits for its database, and a supervisor restarts one that finds no broker); the
        outage begins once the router is up and no kill is under way."""
        with self._procs_lock:
            self._outages.add(what)
        try:
            wait_for("a router kill to finish", lambda: not self._procs_lock.locked(), 120)
            self._until_router_at_work(procs)
            yield
        finally:
            with self._procs_lock:
                self._outages.discard(what)

    def _meanwhile(self, fault: Callable[[], None]) -> None:
        """Run a fault that takes a while (an outage) beside the schedule, not in its way."""
        thread = threading.Thread(target=fault, daemon=True)
        self._faults.append(thread)
        thread.start()

    def _kill_broker(self, procs: Processes) -> None:
        with self._outage(procs, "broker"):
            self._broker_down(procs)

    def _broker_down(self, procs: Processes) -> None:
        router, log = procs.router, procs.workdir / "router.log"
        offset = _size(log)
        pid = self.kafka.status().pid
        if pid is None:
            raise AssertionError("the broker is not running")
        os.kill(pid, signal.SIGKILL)
        wait_for("the broker to die", lambda: self.kafka.status().pid is None, 60)
        self.timeline.broker_kills.append(self.now())
        self.say(f"{self.now():6.1f}s  broker SIGKILLed; starting it again")
        self.kafka.start(timeout=240)
        self.say(f"{self.now():6.1f}s  broker back")
        # The router says it once Kafka serves it again; give it the time to say so (its own
        # line: its relay child's says so with `relay:`).
        wait_for(
            "the router to say Kafka answers again",
            lambda: any(
                BROKER_END in line and " relay: " not in line
                for line in _read_from(log, offset).splitlines()
            ),
            120,
        )
        self.timeline.broker_log = _read_from(log, offset)
        self.timeline.router_survived_broker = (
            router is not None and router is procs.router and router.poll() is None
        )

    def _far_side_down(self, procs: Processes, seconds: float) -> None:
        Processes.kill(procs.far_side)
        began = self.now()
        self.say(
            f"{began:6.1f}s  far side (12345, 数字城管) killed for "
            f"{self.clock.describe(seconds)} of drill time ({seconds:.1f} s)"
        )
        self._stop.wait(seconds)
        procs.start_far_side()  # returns once it answers
        self.timeline.far_side_outage = (began, self.now())
        self.say(f"{self.now():6.1f}s  far side back")

    def _postgres_down(self, procs: Processes) -> None:
        with self._outage(procs, "postgres"):
            self._postgres_outage(procs)

    def _postgres_outage(self, procs: Processes) -> None:
        assert self.postgres is not None
        router, log = procs.router, procs.workdir / "router.log"
        offsets = {name: _size(procs.workdir / name) for name in ("router.log", "api.log")}
        self.postgres.stop("immediate")
        began = self.now()
        self.say(f"{began:6.1f}s  PostgreSQL stopped for {self.config.postgres_outage:.0f} s")
        api = f"http://127.0.0.1:{procs.api_port}"
        deadline = time.monotonic() + self.config.postgres_outage
        while time.monotonic() < deadline:
            self.timeline.api_while_down.append(_probe(api, self.token))
            self._stop.wait(min(5.0, max(0.0, deadline - time.monotonic())))
        self.postgres.start()
        restarted = self.now()
        self.timeline.api_ready_again_after = wait_for(
            "the API to be ready again", lambda: _answers(f"{api}/readyz"), 120
        )
        # The router says it is back once it writes again; give it the time to say so.
        wait_for("the router to say the database is back", lambda: _said_back(log, offsets), 120)
        self.timeline.postgres_outage = (began, restarted)
        self.timeline.router_survived_outage = router is procs.router and router is not None
        if router is not None:
            self.timeline.router_survived_outage &= router.poll() is None
        api_lines = _read_from(procs.workdir / "api.log", offsets["api.log"]).splitlines()
        self.timeline.outage_log = _read_from(log, offsets["router.log"]) + "".join(
            f"[api] {line}\n" for line in api_lines
        )
        self.say(f"{self.now():6.1f}s  PostgreSQL back; API ready again")

    # --- the stream ------------------------------------------------------------------------

    def _stream(self, app: App, reports: list[IncidentReport]) -> None:
        """Send the reports at `rate`, a tick's worth at a time; what Kafka does not
        acknowledge (the broker is down) is sent again (the router files an event id once)."""
        intake = ReportIntake(app.producer(), app.codec, app.topics, timeout=10)
        tick = 0.25
        per_tick = max(1, round(self.config.rate * tick))
        pending = list(reports)
        try:
            while not self._stop.is_set():
                if not pending:
                    if self._faults_done.is_set():
                        break
                    # Faults still to come (a router restart is slow on a loaded machine): the
                    # stream goes on, so that every fault lands while reports flow.
                    pending = [self._next(len(reports) + i) for i in range(per_tick)]
                    reports.extend(pending)
                chunk, pending = pending[:per_tick], pending[per_tick:]
                answers = intake.submit_pipelined(chunk)
                failed = [r for r, (_, why) in zip(chunk, answers, strict=True) if why]
                if failed:
                    self.timeline.send_retries += 1
                    pending = failed + pending
                self._stop.wait(tick)
        finally:
            self.timeline.stream_end = self.now()
            self._stream_done.set()

    def _sign(self, app: App, reports: list[IncidentReport]) -> None:
        """Sign a share of the reports as their holder once filed; a share of the signings is
        sent twice with the same action id (the second must change nothing)."""
        rng = random.Random(self.config.seed ^ 0xAC7)
        chosen = [r.event_id for r in reports if rng.random() < self.config.signed_share]
        repeat = {e for e in chosen if rng.random() < self.config.repeated_share}
        intake = ActionIntake(app.producer(), app.codec, app.topics, timeout=10)
        todo, again = list(chosen), list[dict[str, Any]]()
        while (todo or again) and not self._stop.is_set():
            try:
                if again:
                    intake.submit_all(again)
                    again = []
                held = holders(app, todo[:500])
            except Exception:
                self.timeline.send_retries += 1  # Kafka or the database away: next round
                self._stop.wait(1.0)
                continue
            actions = [self._signing(e, u) for e, u in held.items()]
            try:
                intake.submit_all(actions)
            except Exception:
                self.timeline.send_retries += 1
                again.extend(actions)  # the same action ids
            again.extend(a for a in actions if a["event_id"] in repeat)
            todo = [e for e in todo if e not in held]
            self._stop.wait(0.5 if held else 1.0)

    def _signing(self, event_id: str, unit: str) -> dict[str, Any]:
        action = new_action(
            event_id, "SIGN", unit_code=unit, role="dispatcher", user_id="chaos",
            at=datetime.now(UTC),
        )  # fmt: skip
        self.signed[event_id] = [action]
        return action

    def _settled(self, app: App, reports: list[IncidentReport]) -> bool:
        try:
            filed = holders(app, [r.event_id for r in reports])
            if len(filed) < len(reports) or not self._stream_done.is_set():
                return False
            with app.engine.connect() as conn:
                if conn.execute(select(outbox.c.id).limit(1)).first() is not None:
                    return False
            return signed_all(app, list(self.signed))
        except Exception:
            return False


def holders(app: App, ids: list[str]) -> dict[str, str]:
    """The unit holding each filed incident of `ids`."""
    out: dict[str, str] = {}
    with app.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                select(incidents.c.event_id, incidents.c.unit_code).where(
                    incidents.c.event_id.in_(ids[i : i + 500])
                )
            ).all()
            out.update({r.event_id: r.unit_code for r in rows})
    return out


def _consumed(app: App) -> int:
    """Messages the router has recorded in its inbox (0 while the database is away)."""
    try:
        with app.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(inbox)).scalar_one())
    except Exception:
        return 0


def signed_all(app: App, ids: list[str]) -> bool:
    from grid_router.adapters.db.tables import incident_transitions as t

    with app.engine.connect() as conn:
        done: set[str] = set()
        for i in range(0, len(ids), 500):
            rows = conn.execute(
                select(t.c.event_id).where(t.c.action == "SIGN", t.c.event_id.in_(ids[i : i + 500]))
            ).all()
            done.update(r.event_id for r in rows)
    return len(done) == len(ids)


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _read_from(path: Path, offset: int) -> str:
    if not path.exists():
        return ""
    with path.open("rb") as f:
        f.seek(offset)
        return f.read().decode("utf-8", "replace")


def _said_back(log: Path, offsets: dict[str, int]) -> bool:
    return "is back after" in _read_from(log, offsets["router.log"])


def _probe(api: str, token: str) -> dict[str, Any]:
    """What the API answers now: `/readyz`, and an incident's status with a valid token."""
    out: dict[str, Any] = {}
    missing = uuid.uuid4()
    for name, path in (("readyz", "/readyz"), ("status", f"/api/v1/events/{missing}")):
        try:
            r = httpx.get(f"{api}{path}", timeout=10, headers={"Authorization": f"Bearer {token}"})
            body = (
                r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
            )
            error = body.get("error") if isinstance(body, dict) else None
            out[name] = {
                "status": r.status_code,
                "retry_after": r.headers.get("retry-after"),
                "code": error.get("code") if isinstance(error, dict) else None,
            }
        except httpx.HTTPError as exc:
            out[name] = {"status": None, "error": type(exc).__name__}
    return out
