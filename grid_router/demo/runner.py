"""Starting the city in a box in order, running the drill, and stopping everything in reverse.

Order of start: the Kafka broker (the local one, unless GRID_KAFKA_BOOTSTRAP names yours), a
drill copy of the policy (every clock on wall time, so that the drill runs at any hour), the
topics, the database schema, the API's listening socket (so its URL is known), the reference
far sides (hotline, 数字城管, public safety; their URLs and secrets go into the environment
before App builds its bridge parts), the router worker (router, SLA scheduler, outbox relay and
bridge senders, on threads), the HTTP API (uvicorn, on a thread), the metrics endpoint, then
the simulated city.

Order of stop, on the end of `--duration`, Ctrl-C, SIGTERM or SIGHUP: the simulated city (and
a last reading of the figures, while the metrics endpoint serves), the API, the router worker
(it lets the relay and the bridge senders finish what is in hand), the reference far sides,
then App (the metrics endpoint, the Kafka clients, the database); then the summary. The broker
stays: the summary says how to stop it. A second Ctrl-C exits at once (status 130).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, Final

import httpx
import uvicorn
import yaml
from rich.console import Console
from rich.live import Live
from sqlalchemy import func, select

from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tables import incidents
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.admin import create_topics
from grid_router.bootstrap import App
from grid_router.bridges_reference import (
    BRIDGES,
    FAR_SIDES,
    ReferenceServer,
    create_reference_app,
)
from grid_router.bridges_reference.state import ReferenceState
from grid_router.demo.city import City, DispatchCentres, DrillClock, outage_plan
from grid_router.demo.desk_links import desk_links
from grid_router.demo.traffic import (
    DRILL_SUFFIX,
    WORKING_STATES,
    DispatchLoop,
    OutageSwitch,
    ReportPump,
    Tally,
    TokenBook,
    drill_version,
)
from grid_router.demo.view import (
    Scene,
    Snapshot,
    Watcher,
    live_view,
    progress_line,
    summary_data,
    summary_view,
    where_to_look,
)
from grid_router.exceptions import GridRouterError
from grid_router.policy.load import default_policy_path, load_policy
from grid_router.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_SCALE: Final = 240.0
"""The drill clock: 240 s of the city each second, so a community's 1 h limit to sign (签收)
passes in 15 s, a street's 2 h in 30 s, and an urgent matter's 30 min in 7.5 s."""
TYPHOON_LASTS: Final = 10.0
REFRESH: Final = 0.5
PROGRESS_EVERY: Final = 5.0


@dataclass(frozen=True, slots=True)
class DemoOptions:
    """The `demo` command's options."""

    rate: float = 5.0
    duration: float = 120.0  # 0: until Ctrl-C
    seed: int | None = None  # None: a random seed, shown
    scale: float | None = None  # None: GRID_SLA_SCALE if set, else DEFAULT_SCALE
    typhoon_at: float | None = None  # None: a third into the run; negative: no typhoon
    live: bool | None = None  # None: when standard output is a terminal
    summary_json: Path | None = None
    miss_share: float = 0.2


class Stopping:
    """Ctrl-C, SIGTERM or SIGHUP: the first asks for a clean stop, the second exits at once."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.interrupted = False
        self.reason = ""
        self.scratch: Path | None = None  # removed even on a forced exit
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        # SIGHUP too: a closed terminal stops the drill as cleanly as Ctrl-C.
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            self._previous[sig] = signal.signal(sig, self._handle)

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, _frame: FrameType | None) -> None:
        if self.event.is_set():
            # The second time: out now. Show the cursor the live view hid.
            if sys.stdout.isatty():
                sys.stdout.write("\x1b[?25h\n")
                sys.stdout.flush()
            sys.stderr.write("second interrupt: exiting at once\n")
            sys.stderr.flush()
            if self.scratch is not None:
                shutil.rmtree(self.scratch, ignore_errors=True)
            os._exit(130)
        self.interrupted = True
        self.reason = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        self.event.set()

    def check(self) -> None:
        """Raise `Interrupted` once a stop was asked for (between the steps of the start)."""
        if self.event.is_set():
            raise Interrupted


class Interrupted(Exception):  # noqa: N818 - it reads as what happened
    """Ctrl-C during the start: stop what was started."""


def free_socket(host: str, port: int) -> socket.socket:
    """A listening socket on `port`, or on a free port when that one is taken (or 0)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    for wanted in (port, 0) if port else (0,):
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, wanted))
        except OSError:
            sock.close()
            continue
        sock.listen(2048)
        sock.set_inheritable(True)
        return sock
    raise GridRouterError(f"cannot listen on {host}: no free port")


def write_drill_policy(source: Path, directory: Path) -> Path:
    """A copy of the policy at `source` whose every SLA clock counts wall time (a drill at
    night or at the weekend would otherwise wait for the next working morning, docs/sla.md),
    with `+drill` added to its version, which every incident filed under it keeps."""
    loaded = load_policy(source)
    raw = yaml.safe_load(source.read_text("utf-8"))
    for policy in raw["sla"]["policies"].values():
        policy["clock"] = "wall_clock"
    raw["taxonomy"] = str(loaded.taxonomy_path)
    raw["version"] = drill_version(str(raw["version"]))
    raw["description"] = f"{raw.get('description', '')}（演练副本：全部时限按自然时间计）"
    path = directory / "drill-policy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


class ApiServer:
    """The HTTP API on uvicorn, on a thread, on a socket bound beforehand."""

    def __init__(self, app: Any, sock: socket.socket) -> None:
        config = uvicorn.Config(
            app,
            log_level="warning",
            access_log=False,
            lifespan="on",
            log_config=None,
            timeout_graceful_shutdown=2,
        )  # the lifespan runs the desk's live feed; open live pages must not hold up a stop
        self._server = uvicorn.Server(config)
        self._sock = sock
        self._thread = threading.Thread(target=self._run, name="demo-api", daemon=True)

    def _run(self) -> None:
        self._server.run(sockets=[self._sock])

    def start(self, timeout: float = 15.0) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise GridRouterError("the HTTP API did not start")
            time.sleep(0.02)

    def stop(self, timeout: float = 10.0) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)
        self._sock.close()


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the run; put back what was there."""
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class _Notices(logging.Handler):
    """Log records of warnings and worse, kept for the live view instead of written over it."""

    def __init__(self, tally: Tally) -> None:
        super().__init__(logging.WARNING)
        self._tally = tally

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage().splitlines()[0]
        except Exception:
            message = record.msg if isinstance(record.msg, str) else repr(record.msg)
        with self._tally.lock:
            self._tally.notices.append(f"{record.levelname.lower()}: {record.name}: {message}")


@contextlib.contextmanager
def _logs_into(tally: Tally, enabled: bool) -> Iterator[None]:
    """While the live view draws, route log records into its notices."""
    if not enabled:
        yield
        return
    root = logging.getLogger()
    kept = list(root.handlers)
    for h in kept:
        root.removeHandler(h)
    handler = _Notices(tally)
    root.addHandler(handler)
    try:
        yield
    finally:
        root.removeHandler(handler)
        for h in kept:
            root.addHandler(h)


@dataclass(frozen=True, slots=True)
class Drill:
    """The settings of one run, resolved."""

    seed: int
    scale: float
    duration: float | None  # None: until Ctrl-C
    typhoon_at: float | None  # None: no typhoon


@dataclass(slots=True)
class Served:
    """What runs for the drill and where."""

    app: App
    database: str
    api_url: str = ""
    metrics_url: str = ""
    reference_url: str = ""
    reference_state: ReferenceState | None = None
    worker_thread: threading.Thread | None = None


class CityInABox:
    """One run of `grid-router demo`."""

    def __init__(self, options: DemoOptions, console: Console) -> None:
        self.options = options
        self.console = console
        self.stopping = Stopping()
        self.broker_started = False
        self.broker_note = ""
        self.failed: str | None = None
        self.final: tuple[Scene, Snapshot] | None = None

    def run(self) -> int:
        """Run the drill. The exit status is 0 when it ended (its duration, or Ctrl-C) and
        everything stopped cleanly, 1 when a part of the system failed."""
        # The simulated actors make thousands of HTTP calls; httpx logs each at INFO. With the
        # whole city in one process, kafka-python warns of every slow turn of its event loop.
        for chatty in ("httpx", "httpcore"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
        logging.getLogger("kafka").setLevel(logging.ERROR)
        self.stopping.install()
        workdir = Path(tempfile.mkdtemp(prefix="grid-router-demo-"))
        self.stopping.scratch = workdir
        try:
            return self._run(workdir)
        except Interrupted:
            self.console.print("stopped during the start; what was started has been stopped")
            return 0
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
            self.stopping.restore()

    def _say(self, step: int, text: str) -> None:
        self.console.print(f"[bold]{step}.[/bold] {text}", highlight=False, soft_wrap=True)

    def _resolve(self, base: Settings) -> Drill:
        o = self.options
        scale = o.scale or (base.sla_scale if "GRID_SLA_SCALE" in os.environ else DEFAULT_SCALE)
        duration = o.duration if o.duration > 0 else None
        typhoon_at = o.typhoon_at
        if typhoon_at is None:
            typhoon_at = duration / 3 if duration else 40.0
        elif typhoon_at < 0:
            typhoon_at = None
        seed = o.seed if o.seed is not None else secrets.randbelow(100_000)
        return Drill(seed=seed, scale=scale, duration=duration, typhoon_at=typhoon_at)

    # --- start, in order; stop, in reverse -----------------------------------------------------

    def _run(self, workdir: Path) -> int:
        base = Settings()
        drill = self._resolve(base)
        bootstrap = self._broker(base)
        self.stopping.check()
        policy = write_drill_policy(base.policy or default_policy_path(), workdir)
        settings = base.model_copy(
            update={"kafka_bootstrap": bootstrap, "sla_scale": drill.scale, "policy": policy}
        )
        a = App(settings)
        try:
            self._prepare(a, drill)
        finally:
            a.close()  # the metrics endpoint, the Kafka clients, the database
        return self._report()

    def _report(self) -> int:
        """The summary, once everything has stopped (its figures were read before)."""
        if self.final is None:
            return 1
        scene, snap = self.final
        interrupted = self.stopping.interrupted
        self.console.print()
        how = f"stopped by {self.stopping.reason}" if interrupted else "finished"
        self.console.print(summary_view(scene, snap, how))
        for line in where_to_look(scene, snap):
            self.console.print(line, highlight=False, soft_wrap=True)
        self.console.print(
            "Stopped: the simulated city, the HTTP API, the router, the reference far sides "
            "and the metrics endpoint.",
            style="dim",
            soft_wrap=True,
        )
        if self.failed:
            self.console.print(f"[red]error:[/red] {self.failed}", highlight=False)
        if self.options.summary_json is not None:
            data = summary_data(scene, snap, interrupted, self.broker_started)
            data["failed"] = self.failed
            self.options.summary_json.write_text(
                json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8"
            )
        return 1 if self.failed else 0

    def _broker(self, s: Settings) -> str:
        if "GRID_KAFKA_BOOTSTRAP" in os.environ:
            self._say(1, f"using your Kafka at {s.kafka_bootstrap}")
            self.broker_note = "yours: the demo did not start it"
            return s.kafka_bootstrap
        from grid_router.adapters.kafka.launcher import LocalKafka

        broker = LocalKafka(
            cache_dir=s.kafka_cache_dir, data_dir=s.kafka_data_dir, port=s.kafka_port
        )
        if broker.status().running:
            bootstrap = broker.start()
            self._say(1, f"reusing the local Kafka broker on {bootstrap}")
            self.broker_note = "the local broker, already running before the demo; it keeps running"
            return bootstrap
        self._say(1, "starting the local Kafka broker (the first run fetches its jars)…")
        bootstrap = broker.start()
        st = broker.status()
        self.broker_started = True
        self.broker_note = "started by the demo; it keeps running"
        self.console.print(
            f"   Kafka {st.version} on {bootstrap}, log {st.log_file}",
            highlight=False,
            soft_wrap=True,
        )
        return bootstrap

    def _prepare(self, a: App, drill: Drill) -> None:
        s = a.settings
        created = create_topics(s.kafka_bootstrap, a.topics, s.partitions)
        self._say(2, f"topics ready ({len(created)} created, {len(a.topics.all())} in all)")
        self.stopping.check()
        upgrade(a.engine)
        served = Served(a, _database_name(a))
        self._say(3, f"database migrated: {served.database}")
        self._leftovers(a)
        self.stopping.check()
        # The API's socket first, so that the reference far sides know where to call it.
        api_sock = free_socket(s.api_host, s.api_port)
        host, port = api_sock.getsockname()[:2]
        served.api_url = f"http://{_url_host(host)}:{port}"
        try:
            far_secrets = {f: secrets.token_urlsafe(24) for f in FAR_SIDES}
            far_app = create_reference_app(far_secrets, served.api_url, None)
            reference = ReferenceServer(far_app).start()
        except BaseException:
            api_sock.close()
            raise
        served.reference_url = reference.url
        served.reference_state = far_app.state.reference
        # The bridges' URLs and secrets, under the names the policy gives them, before App
        # builds anything that reads them (the API's webhooks, the router's bridge senders).
        env: dict[str, str] = {}
        for far_side in FAR_SIDES:
            for bridge in BRIDGES[far_side]:
                endpoint = a.policy.endpoints.get(bridge)
                if endpoint is not None:
                    env[endpoint.url_env] = f"{reference.url}/{far_side}"
                    env[endpoint.secret_env] = far_secrets[far_side]
        self._say(
            4,
            f"reference 12345 hotline, 数字城管 and public-safety platform on {reference.url}; "
            f"bridges on: {', '.join(sorted(a.policy.endpoints))}",
        )
        try:
            with _environment(env):
                self._serve(served, api_sock, drill)
        finally:
            reference.stop()

    def _serve(self, served: Served, api_sock: socket.socket, drill: Drill) -> None:
        a = served.app
        s = a.settings
        worker = a.router_worker(relay_in_process=False)
        thread = threading.Thread(target=worker.run, name="demo-router", daemon=True)
        thread.start()
        served.worker_thread = thread
        api: ApiServer | None = None
        try:
            api = ApiServer(a.api(), api_sock)
            api.start()
            _quiet_uvicorn()
            try:
                metrics_port = a.serve_metrics(s.metrics_port, host=s.api_host)
            except GridRouterError:  # taken (App says so as a ConfigurationError)
                metrics_port = a.serve_metrics(0, host=s.api_host)
            served.metrics_url = f"http://{_url_host(s.api_host)}:{metrics_port}/metrics"
            self._say(
                5,
                f"router, SLA scheduler, outbox relay and bridge senders running; HTTP API on "
                f"{served.api_url} (docs {served.api_url}/docs); metrics on {served.metrics_url}",
            )
            self.stopping.check()
            self._drill(served, drill)
        finally:
            if api is not None:
                api.stop()
            else:
                api_sock.close()
            worker.stop()
            thread.join(60)
            if thread.is_alive():
                log.error("the router worker did not stop within 60 s")

    # --- the drill -------------------------------------------------------------------------------

    def _drill(self, served: Served, drill: Drill) -> None:
        o = self.options
        a = served.app
        assert served.reference_state is not None
        assert served.worker_thread is not None
        clock = DrillClock(drill.scale)
        store = SqlTokenStore(a.engine, a.clock)
        tokens = TokenBook(store)
        _, operator_token = store.create("demo operator", "operator", None, (), 100_000)
        tag = f"GD{datetime.now().strftime('%Y%m%d%H%M%S')}"
        city = City(a.org, drill.seed, o.rate, tag, drill.typhoon_at, TYPHOON_LASTS)
        centres = DispatchCentres(drill.seed, miss_share=o.miss_share, clock=clock)
        tally = Tally()
        live = o.live if o.live is not None else self.console.is_terminal
        started, started_mono = a.clock(), time.monotonic()
        # Longer than the API's own wait for Kafka (30 s), so that a slow answer is still heard.
        # Idle connections are let go well before the servers' own keep-alive (uvicorn's 5 s), so
        # a request never goes out on a connection the server is closing (ECONNRESET).
        limits = httpx.Limits(keepalive_expiry=1.0)
        api = httpx.Client(base_url=served.api_url, timeout=45, limits=limits)
        far = httpx.Client(base_url=served.reference_url, timeout=45, limits=limits)
        pump = ReportPump(city, api, far, tokens, tally, a.clock, drill.duration)
        outage = OutageSwitch(outage_plan(drill.duration), far, tally)
        dispatch = DispatchLoop(
            a.engine, centres, api, far, tokens, tally, a.clock, a.org.city.code
        )
        watcher = Watcher(
            a.engine, a.org, served.metrics_url, served.reference_state, tally, dispatch,
            lambda: tokens.created, a.clock, started, started_mono,
        )  # fmt: skip
        scene = Scene(
            seed=drill.seed, rate=o.rate, duration=drill.duration, clock=clock, city=city,
            outage=outage.outage, api_url=served.api_url, metrics_url=served.metrics_url,
            database=served.database, kafka=a.settings.kafka_bootstrap,
            broker_note=self.broker_note,
            operator_token=operator_token, unit_name=watcher.unit_name,
        )  # fmt: skip
        self._say(6, _drill_line(scene, drill))
        busy = city.typhoon.district if city.typhoon else a.org.city
        for line in desk_links(store, served.api_url, busy, a.org.city):
            self.console.print(line, highlight=False, soft_wrap=True)
        pump.start(started_mono)
        dispatch.start()
        outage.start(started_mono)
        try:
            with _logs_into(tally, live):
                self._watch(scene, watcher, live, served.worker_thread)
        finally:
            pump.stop()
            dispatch.stop()
            outage.stop()
            api.close()
            far.close()
        # Read once more while the metrics endpoint still serves (until App closes); the
        # summary is shown once everything has stopped.
        self.final = (scene, watcher.snapshot(final=True))

    def _watch(
        self, scene: Scene, watcher: Watcher, live: bool, worker_thread: threading.Thread
    ) -> None:
        stop = self.stopping.event
        started = time.monotonic()
        ends = started + scene.duration if scene.duration else float("inf")

        def running() -> bool:
            if not worker_thread.is_alive():
                self.failed = "the router worker stopped unexpectedly; see the log above"
                return False
            return not stop.is_set() and time.monotonic() < ends

        if live:
            with Live(console=self.console, refresh_per_second=4) as screen:
                while running():
                    size = self.console.size
                    screen.update(live_view(scene, watcher.snapshot(), size.width, size.height))
                    stop.wait(REFRESH)
        else:
            last = 0.0
            while running():
                if time.monotonic() - last >= PROGRESS_EVERY:
                    last = time.monotonic()
                    line = progress_line(scene, watcher.snapshot())
                    self.console.print(line, highlight=False, soft_wrap=True)
                stop.wait(REFRESH)
        if stop.is_set():
            self.console.print("stopping: the city, the API, the router, the far sides…")

    def _leftovers(self, a: App) -> None:
        i = incidents.c
        with a.engine.connect() as conn:
            left = conn.execute(
                select(func.count()).where(
                    i.state.in_(WORKING_STATES),
                    i.sla_terms["policy_version"].as_string().like(f"%{DRILL_SUFFIX}"),
                )
            ).scalar_one()
        if left:
            self.console.print(
                f"   {left} incidents of an earlier drill are still open in this database: "
                "their clocks run on, and the simulated city works them too",
                highlight=False,
            )


def _drill_line(scene: Scene, drill: Drill) -> str:
    typhoon = scene.city.typhoon
    return (
        f"the city runs: {scene.rate:g} reports/s, seed {drill.seed}, drill clock "
        f"×{drill.scale:g}"
        + (f", for {drill.duration:g} s" if drill.duration else ", until Ctrl-C")
        + (
            f"; 台风「{typhoon.name}」 reaches {typhoon.district.name} at {typhoon.starts_at:.0f} s"
            if typhoon
            else ""
        )
        + (
            f"; {scene.outage.name} goes down at {scene.outage.starts_at:.0f} s for "
            f"{scene.outage.lasts:g} s"
            if scene.outage
            else ""
        )
    )


def _database_name(a: App) -> str:
    url = a.engine.url
    if url.get_backend_name() == "sqlite" and url.database:
        return str(Path(url.database).resolve())
    return url.render_as_string(hide_password=True)


def _url_host(host: str) -> str:
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def _quiet_uvicorn() -> None:
    """uvicorn's loggers write to the terminal themselves; send them through the root logger
    like everything else (the live view collects warnings as notices)."""
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True


def run(options: DemoOptions, console: Console) -> int:
    return CityInABox(options, console).run()
