"""HTTP API latency under a sustained report rate, against a bare endpoint in the same run.

Serves, each in a process of its own on uvicorn and driven the same way:

  bare  a FastAPI application with one POST route that reads the body and answers 202: the
        cost of this machine, uvicorn, FastAPI and the load generator alone;
  api   `grid-router api` as deployed (a fresh migrated SQLite database, a grid worker token
        created beforehand), whose POST /api/v1/reports authenticates, validates, checks the
        scope and answers 202 once Kafka (acks=all) has the report.

The load is open-loop: request i is due at start + i/rate whatever happened to the ones before,
and its latency runs from that scheduled time to the end of its answer, so that a server (or a
generator) falling behind shows up as queueing instead of slowing the load down (coordinated
omission). Both get the same report bodies at the same rate, after the same warm-up, in
alternating segments (bare, api, bare, api, …) so that the shared machine's other load falls on
both alike. The generator speaks HTTP/1.1 on asyncio streams: httpx.AsyncClient (`--client
httpx`) costs about 3 ms of CPU per request on the 2-core development machine and cannot itself
send 500 requests a second. Beside p50/p99/max and errors, each endpoint's CPU per request is
shown (the server process, the broker's JVM, this generator). Last line:
`api_vs_bare_p50_ratio=<x> api_vs_bare_p99_ratio=<y> api_p99_ms=<z>`.

    .venv/bin/python bench/api.py                  # 500 reports/s for 60 s each
    .venv/bin/python bench/api.py --quick          # 200/s for 10 s
    .venv/bin/python bench/api.py --rate 300 --seconds 30 --segments 3
    .venv/bin/python bench/api.py --workers 1,2    # one API process and two, side by side
    .venv/bin/python bench/api.py --ladder 300,500,700,900,1100 --seconds 15

`--profile` samples each API server (its workers included) with py-spy at 100 Hz for the
whole run (warm-up included) and shares out, per API, its measured CPU per request by part in
proportion to the samples: the per-token rate limit, the failed-authentication throttle, the
token check, the Kafka client, the rest (the sampler's own cost, a few per cent of a core,
falls on the run's latencies; not with --ladder).

`--ladder` climbs the listed rates instead (one segment of --seconds each, every endpoint), and
stops when every API's p99 is above 250 ms; its last line is `max_rate_p99_le_250_<api>=<rate>`
for each API: the highest rate of the ladder it held with p99 at most 250 ms.

A broker of its own is started on --kafka-port in a temporary directory and stopped at the end,
unless GRID_KAFKA_BOOTSTRAP names one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx
import uvloop
from fastapi import FastAPI, Request, Response
from scale import tree_cpu

from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.migrate import upgrade
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.admin import create_topics, delete_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.adapters.org_data import load_default_organisation
from grid_router.bootstrap import utc_now
from grid_router.domain.model import Level
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.auth import MAX_RATE_PER_MINUTE, Role
from grid_router.settings import Settings

TARGET_P99_MS = 100.0
LADDER_P99_MS = 250.0  # "held": p99 at most this (issue 14)
WARMUP_S = 3.0
COMMUNITIES = 20  # the grid worker's token covers these; reports go round them
REPORT_PATH = "/api/v1/reports"
IDLE_REUSE_S = 2.0
LATE_S = 0.010


# --- the bare endpoint (run in a child process: `bench/api.py --serve-bare PORT`) -------------


def bare_app() -> FastAPI:
    app = FastAPI()

    @app.post(REPORT_PATH, status_code=202)
    async def accept(request: Request) -> Response:
        await request.body()
        return Response(b'{"accepted":true}', status_code=202, media_type="application/json")

    return app


def serve_bare(port: int) -> None:
    import uvicorn

    # As `grid-router api` serves (entrypoints/cli.py).
    app = bare_app()
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextlib.contextmanager
def server(name: str, argv: list[str], env: dict[str, str], port: int) -> Iterator[int]:
    """A server process, up once it accepts connections (yields its pid); stopped (SIGTERM)
    on exit. Its output goes to a log file in the temporary directory."""
    log = Path(tempfile.gettempdir()) / f"grid-bench-api-{name}-{os.getpid()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                raise SystemExit(f"{name} server exited ({process.returncode}); see {log}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
                break
            if time.monotonic() > deadline:
                raise SystemExit(f"{name} server did not start within 180 s; see {log}")
            time.sleep(0.1)
        yield process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.unlink(missing_ok=True)


# --- load ----------------------------------------------------------------------------------


Outcome = tuple[float, str | None, bool]  # latency (s), error or None, sent late


@dataclass
class Result:
    """What one endpoint went through, over all its segments."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)
    segment_p99_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0  # measured, summed over the segments
    server_cpu: float = 0.0  # seconds of CPU the server process used, warm-up included
    generator_cpu: float = 0.0  # this process, likewise
    broker_cpu: float | None = None  # the broker's JVM, likewise (None: not started here)
    requests_with_warmup: int = 0

    @property
    def latencies(self) -> list[float]:
        return sorted(latency for latency, error, _ in self.outcomes if error is None)

    @property
    def errors(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for _, error, _ in self.outcomes:
            if error is not None:
                counted[error] = counted.get(error, 0) + 1
        return counted

    def percentile_ms(self, q: float) -> float:
        ordered = self.latencies
        if not ordered:
            return math.nan
        return ordered[min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1)] * 1000

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(0.50)

    @property
    def p99_ms(self) -> float:
        return self.percentile_ms(0.99)

    @property
    def max_ms(self) -> float:
        return self.percentile_ms(1.0)

    def cpu_ms_per_request(self, cpu: float | None) -> float:
        if cpu is None or not self.requests_with_warmup:
            return math.nan
        return cpu / self.requests_with_warmup * 1000


class RawClient:
    """HTTP/1.1 over asyncio streams on keep-alive connections, one request at a time per
    connection, a new connection whenever none is idle (up to `limit`; waiting for one counts
    in the latency). Costs a fraction of httpx's CPU per request (see `--client`)."""

    def __init__(self, base_url: str, headers: dict[str, str], limit: int = 1000) -> None:
        host_port = base_url.removeprefix("http://")
        self._host, port = host_port.split(":")
        self._port = int(port)
        self._head = f"POST {REPORT_PATH} HTTP/1.1\r\nHost: {host_port}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        # Idle connections, the most recently used last, with when each became idle.
        self._idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter, float]] = []
        self._slots = asyncio.Semaphore(limit)
        self._open: set[asyncio.StreamWriter] = set()

    def prepare(self, body: bytes) -> bytes:
        return f"{self._head}Content-Length: {len(body)}\r\n\r\n".encode() + body

    async def post(self, request: bytes) -> int:
        async with self._slots:
            now = time.perf_counter()
            # uvicorn closes a connection idle for 5 s: never reuse one idle for 2 s (a late
            # close would look like a server error).
            while self._idle and now - self._idle[0][2] > IDLE_REUSE_S:
                _, stale, _ = self._idle.pop(0)
                self._open.discard(stale)
                stale.close()
            if self._idle:
                reader, writer, _ = self._idle.pop()
            else:
                reader, writer = await asyncio.open_connection(self._host, self._port)
                self._open.add(writer)
            try:
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head[9:12])
                length = 0
                for line in head.split(b"\r\n"):
                    if line[:15].lower() == b"content-length:":
                        length = int(line[15:])
                await reader.readexactly(length)
            except BaseException:
                self._open.discard(writer)
                writer.close()
                raise
            self._idle.append((reader, writer, time.perf_counter()))
            return status

    async def close(self) -> None:
        for writer in self._open:
            writer.close()


class HttpxClient:
    """httpx.AsyncClient, for comparison: on the 2-core development machine it spends about
    3 ms of CPU per request, so it cannot itself send much more than 200 requests a second."""

    def __init__(self, base_url: str, headers: dict[str, str], limit: int = 1000) -> None:
        limits = httpx.Limits(max_connections=limit, max_keepalive_connections=limit)
        timeout = httpx.Timeout(30.0, pool=30.0)
        self._client = httpx.AsyncClient(limits=limits, timeout=timeout, headers=headers)
        self._url = base_url + REPORT_PATH

    def prepare(self, body: bytes) -> bytes:
        return body

    async def post(self, request: bytes) -> int:
        return (await self._client.post(self._url, content=request)).status_code

    async def close(self) -> None:
        await self._client.aclose()


class LoadClient(Protocol):
    def prepare(self, body: bytes) -> bytes: ...

    async def post(self, request: bytes) -> int: ...

    async def close(self) -> None: ...


CLIENTS: dict[str, Callable[[str, dict[str, str]], LoadClient]] = {
    "raw": RawClient,
    "httpx": HttpxClient,
}


async def schedule(client: LoadClient, requests: Sequence[bytes], rate: float, n: int,
                   first: int) -> list[Outcome]:  # fmt: skip
    """Send n requests at `rate` on a fixed schedule (open loop): request i is due at
    start + i/rate, sent then (or as soon as the generator can), and timed from then."""
    # time.perf_counter, not loop.time(): uvloop's clock has a resolution of 1 ms.
    clock = time.perf_counter

    async def one(i: int, due: float) -> Outcome:
        late = clock() - due > LATE_S
        try:
            status = await asyncio.wait_for(client.post(requests[i % len(requests)]), 30)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, httpx.HTTPError) as exc:
            return clock() - due, type(exc).__name__, late
        return clock() - due, None if status == 202 else f"HTTP {status}", late

    start = clock() + 0.05
    tasks = []
    for i in range(n):
        due = start + i / rate
        delay = due - clock()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(first + i, due)))
    return await asyncio.gather(*tasks)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system) a process and its children (`--workers`) have used, from
    /proc; None without a pid."""
    if pid is None:
        return None
    return sum(tree_cpu(pid))


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_segments(
    endpoints: dict[str, tuple[str, int]],
    client_kind: str,
    headers: dict[str, str],
    bodies: Sequence[bytes],
    rate: float,
    seconds: float,
    segments: int,
    broker_pid: int | None,
) -> dict[str, Result]:
    """Warm each endpoint up, then alternate them, `segments` times seconds/segments each, so
    that a change in the machine's other load falls on both alike."""
    clients = {name: CLIENTS[client_kind](url, headers) for name, (url, _) in endpoints.items()}
    requests = {name: [c.prepare(b) for b in bodies] for name, c in clients.items()}
    results = {name: Result(name) for name in endpoints}
    per_segment = round(rate * seconds / segments)
    sent = dict.fromkeys(endpoints, 0)

    async def measured(name: str, n: int, record: bool) -> None:
        result, pid = results[name], endpoints[name][1]
        before = (cpu_seconds(pid), own_cpu(), cpu_seconds(broker_pid), time.perf_counter())
        outcomes = await schedule(clients[name], requests[name], rate, n, sent[name])
        after = (cpu_seconds(pid), own_cpu(), cpu_seconds(broker_pid), time.perf_counter())
        sent[name] += n
        result.requests_with_warmup += n
        result.server_cpu += (after[0] or 0.0) - (before[0] or 0.0)
        result.generator_cpu += after[1] - before[1]
        if after[2] is not None and before[2] is not None:
            result.broker_cpu = (result.broker_cpu or 0.0) + after[2] - before[2]
        if record:
            result.outcomes += outcomes
            result.seconds += after[3] - before[3]
            result.segment_p99_ms.append(Result(name, outcomes).p99_ms)

    try:
        for name in endpoints:
            await measured(name, round(rate * WARMUP_S), record=False)
        for segment in range(segments):
            for name in endpoints:
                await measured(name, per_segment, record=True)
            print(f"  segment {segment + 1}/{segments} done", flush=True)
    finally:
        for client in clients.values():
            await client.close()
    return results


def report_bodies(communities: Sequence[str], n: int) -> list[bytes]:
    """N distinct reports as a grid worker's app sends them, spread over the communities and
    their grids (a repeat in one grid would only merge: the API does not care, the router
    would)."""
    bodies = []
    for i in range(n):
        community = communities[i % len(communities)]
        report = {
            "title": "占道经营",
            "description": f"第{i}号巡查：商铺在人行道上摆摊占道经营，影响行人通行，已劝离未果。",
            "category_code": "CITY_MGMT",
            "grid_code": f"{community}{i // len(communities) % 999 + 1:03d}",
            "address": "人行道东侧",
            "reporter": {"id": f"GW-{i % 20:04d}", "name": "林小梅", "phone": "13900001234"},
        }
        bodies.append(json.dumps(report, ensure_ascii=False).encode())
    return bodies


# --- profile (--profile) -------------------------------------------------------------------

PROFILE_HZ = 100
# The parts of a request, by a frame anywhere in the sampled stack (the first that matches).
PARTS = (
    ("rate limit per token", ("RateLimits.check",)),
    ("failed-auth throttle", ("AuthThrottle.",)),
    ("token check", ("SqlTokenStore.authenticate",)),
    ("Kafka client", ("site-packages/kafka/",)),
)
# A sample whose innermost frame is one of these is a thread waiting, not working: py-spy's
# non-blocking sampling counts many of them (the thread pool's idle threads, the event loop).
WAITS = ("Condition.wait ", "EpollSelector.select ", "Runner.run ", "Event.wait ", "select ")


@contextlib.contextmanager
def sampled(pid: int, out: Path) -> Iterator[Callable[[], Path]]:
    """py-spy sampling `pid` and its children; yields a function that stops it and returns the
    file of its samples (collapsed stacks, one `frames count` per line)."""
    spy = Path(sys.executable).with_name("py-spy")
    argv = [str(spy), "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
            "--full-filenames", "--rate", str(PROFILE_HZ), "--format", "raw",
            "--output", str(out)]  # fmt: skip
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop() -> Path:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)  # py-spy writes its file on SIGINT
            process.wait(timeout=60)
        return out

    try:
        yield stop
    finally:
        stop()


def show_profile(name: str, samples: Path, result: Result) -> None:
    """The server's measured CPU per request, shared out by part in proportion to py-spy's
    working samples (collapsed stacks; samples of waiting threads left out)."""
    parts: dict[str, int] = {p: 0 for p, _ in PARTS} | {"the rest": 0}
    waiting = 0
    for line in samples.read_text().splitlines():
        stack, _, counted = line.rpartition(" ")
        if not counted.isdigit():
            continue
        if stack.rsplit(";", 1)[-1].startswith(WAITS):
            waiting += int(counted)
            continue
        part = next((p for p, marks in PARTS if any(m in stack for m in marks)), "the rest")
        parts[part] += int(counted)
    working = max(sum(parts.values()), 1)
    cpu = result.cpu_ms_per_request(result.server_cpu)
    print(
        f"{name}: server CPU per request by part ({cpu:.2f} ms measured, shared out by py-spy's "
        f"{working} working samples at {PROFILE_HZ} Hz; {waiting} of waiting threads left out)"
    )
    for part, n in parts.items():
        print(f"  {part:<22} {cpu * n / working:6.3f} ms  {n / working:6.1%}")


# --- main ----------------------------------------------------------------------------------


def start_kafka(
    base: Settings, tmp: Path, port: int, stack: contextlib.ExitStack
) -> tuple[str, int | None]:
    """The broker's bootstrap address and, when this run started it, its pid."""
    if "GRID_KAFKA_BOOTSTRAP" in os.environ:
        return base.kafka_bootstrap, None
    from grid_router.adapters.kafka.launcher import LocalKafka

    broker = LocalKafka(base.kafka_cache_dir, tmp / "kafka", port)
    bootstrap = broker.start(timeout=180)
    stack.callback(broker.stop)
    return bootstrap, broker.status().pid


def messages_on(bootstrap: str, topic: str) -> int:
    from kafka import KafkaConsumer, TopicPartition

    consumer = KafkaConsumer(bootstrap_servers=bootstrap)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or ()]
        return sum(consumer.end_offsets(parts).values())
    finally:
        consumer.close()


def show(r: Result) -> str:
    n, late = len(r.outcomes), sum(late for _, _, late in r.outcomes)
    errors = ", ".join(f"{k} ×{v}" for k, v in sorted(r.errors.items())) or "none"
    cpu = [r.cpu_ms_per_request(c) for c in (r.server_cpu, r.broker_cpu, r.generator_cpu)]
    return (
        f"{r.name:<5} {n:>8} {n / r.seconds:>7.0f} {r.p50_ms:>7.1f} {r.p99_ms:>7.1f} "
        f"{r.max_ms:>7.1f} {sum(r.errors.values()):>6}  {cpu[0]:>10.2f} {cpu[1]:>10.2f} "
        f"{cpu[2]:>9.2f}  {late:>5}   {errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=500.0, help="reports per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="measured, per endpoint")
    parser.add_argument("--segments", type=int, default=6, help="alternations of the two")
    parser.add_argument("--quick", action="store_true", help="200 reports/s for 10 s")
    parser.add_argument("--kafka-port", type=int, default=19093)
    parser.add_argument("--partitions", type=int, default=6)
    parser.add_argument(
        "--client", choices=sorted(CLIENTS), default="raw",
        help="load generator: raw asyncio HTTP/1.1 (default) or httpx.AsyncClient",
    )  # fmt: skip
    parser.add_argument(
        "--workers", default="1",
        help="API processes (`grid-router api --workers`); a list such as 1,2 serves one API "
        "per count side by side (named api, api2, …)",
    )  # fmt: skip
    parser.add_argument(
        "--ladder", help="rates to climb, e.g. 300,500,700,900 (one segment of --seconds each)"
    )
    parser.add_argument(
        "--profile", action="store_true",
        help="sample the API servers with py-spy; print their CPU per request by part",
    )  # fmt: skip
    parser.add_argument("--serve-bare", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return
    if args.quick:
        args.rate, args.seconds, args.segments = 200.0, 10.0, 2

    base = Settings()
    prefix = f"bench-{uuid.uuid4().hex[:8]}."
    with contextlib.ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="grid-bench-api-")))
        bootstrap, broker_pid = start_kafka(base, tmp, args.kafka_port, stack)
        topics = Topics(prefix)
        create_topics(bootstrap, topics, args.partitions)
        stack.callback(delete_topics, bootstrap, topics.all())
        url = f"sqlite:///{tmp / 'api.db'}"
        engine = make_engine(url)
        upgrade(engine)
        communities = [u.code for u in load_default_organisation().units_at(Level.COMMUNITY)]
        communities = communities[:COMMUNITIES]
        _, token = SqlTokenStore(engine, utc_now).create(
            "bench grid worker", Role.GRID_WORKER, grids=communities,
            rate_per_minute=MAX_RATE_PER_MINUTE,
        )  # fmt: skip
        engine.dispose()
        settings = base.model_copy(
            update={
                "kafka_bootstrap": bootstrap,
                "database_url": url,
                "topic_prefix": prefix,
                "photo_dir": tmp / "photos",
            }
        )
        env = settings_env(settings)
        endpoints: dict[str, tuple[str, int]] = {}
        servers = [("bare", [sys.executable, __file__, "--serve-bare", "{port}"])]
        for i, workers in enumerate(int(w) for w in args.workers.split(",")):
            servers.append((
                "api" if i == 0 else f"api{workers}",
                [sys.executable, "-m", "grid_router.entrypoints.cli", "api", "--port", "{port}",
                 "--workers", str(workers)],
            ))  # fmt: skip
        for name, argv in servers:
            port = free_port()
            command = [a.replace("{port}", str(port)) for a in argv]
            pid = stack.enter_context(server(name, command, env, port))
            endpoints[name] = (f"http://127.0.0.1:{port}", pid)
        samplers = {
            name: stack.enter_context(
                sampled(
                    pid,
                    Path(tempfile.gettempdir())
                    / f"grid-bench-api-profile-{name}-{os.getpid()}.txt",
                )
            )
            for name, (_, pid) in endpoints.items()
            if args.profile and name != "bare"
        }

        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        plan = (
            f"the rates {args.ladder} reports/s, {args.seconds:.0f} s each per endpoint"
            if args.ladder
            else f"{args.rate:.0f} reports/s for {args.seconds:.0f} s per endpoint "
            f"({args.rate * args.seconds:.0f} requests), in {args.segments} alternating segments"
        )
        print(
            f"{plan} after a {WARMUP_S:.0f} s warm-up each; {args.client} client; Kafka "
            f"{bootstrap}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before",
            flush=True,
        )
        if args.ladder:
            climb(args, endpoints, headers, report_bodies(communities, 5000), broker_pid)
            return
        results = uvloop.run(
            run_segments(
                endpoints,
                args.client,
                headers,
                report_bodies(communities, 5000),
                args.rate,
                args.seconds,
                args.segments,
                broker_pid,
            )
        )
        load_after = os.getloadavg()[0]
        on_kafka = messages_on(bootstrap, topics.reports)

    bare, api = results["bare"], results["api"]
    apis = [r for name, r in results.items() if name != "bare"]
    print()
    print(
        f"{'':<5} {'requests':>8} {'sent/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'errors':>6}  {'server CPU':>10} {'broker CPU':>10} {'gen. CPU':>9}  {'late':>5}"
    )
    print(f"{'':<58}{'(ms per request, warm-up included)':<34}")
    for result in (bare, *apis):
        print(show(result))
    for result in (bare, *apis):
        shown = " ".join(f"{p:.0f}" for p in result.segment_p99_ms)
        print(f"{result.name} p99 of each segment, ms: {shown}")
    print(
        f"load average after: {load_after:.1f}; late = sent more than {LATE_S * 1000:.0f} ms "
        f"after its time by the generator; reports on Kafka: {on_kafka} "
        f"(= {sum(r.requests_with_warmup for r in apis)} sent to the api less its "
        f"{sum(sum(r.errors.values()) for r in apis)} errors)"
    )
    for name, stop in samplers.items():
        show_profile(name, stop(), results[name])
    verdict = "met" if api.p99_ms < TARGET_P99_MS else "NOT met"
    print(f"target api p99 < {TARGET_P99_MS:.0f} ms: {verdict}")
    others = " ".join(f"{r.name}_p99_ms={r.p99_ms:.1f}" for r in apis[1:])
    print(
        f"api_vs_bare_p50_ratio={api.p50_ms / bare.p50_ms:.2f} "
        f"api_vs_bare_p99_ratio={api.p99_ms / bare.p99_ms:.2f} api_p99_ms={api.p99_ms:.1f}"
        + (f" {others}" if others else "")
    )


def climb(
    args: argparse.Namespace,
    endpoints: dict[str, tuple[str, int]],
    headers: dict[str, str],
    bodies: list[bytes],
    broker_pid: int | None,
) -> None:
    """The highest rate of the ladder each API holds with p99 at most LADDER_P99_MS."""
    held: dict[str, float] = {name: 0.0 for name in endpoints if name != "bare"}
    print(f"{'rate/s':>7} {'endpoint':<6} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}  held")
    for rate in (float(r) for r in args.ladder.split(",")):
        results = uvloop.run(
            run_segments(endpoints, args.client, headers, bodies, rate, args.seconds, 1, broker_pid)
        )
        for name, r in results.items():
            ok = r.p99_ms <= LADDER_P99_MS and not sum(r.errors.values())
            if ok and name in held:
                held[name] = max(held[name], rate)
            print(
                f"{rate:>7.0f} {name:<6} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f} "
                f"{sum(r.errors.values()):>6}  {'yes' if ok else 'no'}",
                flush=True,
            )
        if all(results[n].p99_ms > LADDER_P99_MS for n in held):
            break
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    print(" ".join(f"max_rate_p99_le_250_{name}={rate:.0f}" for name, rate in held.items()))


if __name__ == "__main__":
    main()
