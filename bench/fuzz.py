"""Fuzzing bench (issue 15 §3): generated inputs at the API, the router's topics and `policy check`.

Three parts, each with its figures, then the totals:

- api: schemathesis with every check (`--checks all`) against `grid-router api` running as a
  process on a fresh database and the broker, once with an operator's token and once without a
  token; `--api-examples` examples per operation and phase.
- kafka: `--kafka` messages drawn by Hypothesis (bench/fuzz_kafka.py) produced to this run's own
  `grid.reports` and `grid.actions` with `grid-router run` as a process consuming them; every one
  must be dead-lettered with a reason or routed, and the router must live through it.
- policy: `--policy` random and mutated policy files at `grid-router policy check`, in process
  (bench/fuzz_policy.py): a clear error or OK, never a traceback.

    .venv/bin/python bench/fuzz.py                        # the full run (> 100,000 inputs)
    .venv/bin/python bench/fuzz.py --api-examples 2 --kafka 300 --policy 50   # a smoke run

The broker is GRID_KAFKA_BOOTSTRAP, else the local development broker (GRID_KAFKA_PORT),
started if needed. Exit status 0 only when every part had 0 crashes, 0 server errors, 0 contract
mismatches and nothing lost. `--json FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from common import bench_broker, fresh_settings, street_report
from fuzz_kafka import KafkaFuzz, run_kafka_fuzz
from fuzz_policy import run_policy_fuzz
from kafka import KafkaProducer
from schemathesis.checks import load_all_checks
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events
from schemathesis.engine import from_schema as engine_for
from sqlalchemy import func, select

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.tables import inbox
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.kafka.admin import create_topics
from grid_router.adapters.kafka.topics import Topics
from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import Level
from grid_router.entrypoints.relay_process import settings_env
from grid_router.service.intake import report_key
from grid_router.settings import Settings

PHASES = ("examples", "coverage", "fuzzing", "stateful")
NOT_EXPRESSIBLE: list[dict[str, Any]] = [
    # A photo's bytes must decode as a JPEG, PNG or WebP image, which no schema can say.
    {"include-path": "/api/v1/photos", "include-method": "POST",
     "checks": {"positive_data_acceptance": {"enabled": False}}},
    # A read ignores a query parameter it does not know: OpenAPI 3.1 cannot declare that
    # undeclared query parameters are refused (tests/integration/test_api_schemathesis.py).
    {"include-method": "GET", "checks": {"negative_data_rejection": {"enabled": False}}},
]  # fmt: skip


def log(line: str) -> None:
    print(f"{datetime.now(UTC):%H:%M:%S} {line}", flush=True)


@dataclass(slots=True)
class ApiFuzz:
    """What the API part found, per identity (operator, no token)."""

    tried: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    mismatches: Counter[str] = field(default_factory=Counter)  # identity · operation · check
    examples: list[dict[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # the engine could not call the API
    api_crashed: str | None = None

    @property
    def crashes(self) -> int:
        return int(self.api_crashed is not None) + len(self.errors)

    def summary(self) -> dict[str, Any]:
        return {
            "inputs": sum(self.tried.values()),
            "by_identity": dict(self.tried),
            "crashes": self.crashes,
            "api_crash": self.api_crashed,
            "server_errors_5xx": self.server_errors,
            "contract_mismatches": sum(self.mismatches.values()),
            "mismatches": dict(self.mismatches),
            "mismatch_examples": self.examples[:10],
            "engine_errors": self.errors[:10],
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
        }


def run_api_fuzz(
    base_url: str, token: str, examples: int, phases: list[str], fuzz_seed: int, alive: Any
) -> ApiFuzz:
    """Schemathesis with every check, as an operator and without a token."""
    load_all_checks()
    result = ApiFuzz()
    for identity, headers in (
        ("operator", {"Authorization": f"Bearer {token}"}),
        ("anonymous", {}),
    ):
        config = SchemathesisConfig.from_dict(
            {
                "seed": fuzz_seed,
                "suppress-health-check": ["all"],
                "headers": headers,
                # Every check (`--checks all`), but as configuration rather than the command
                # line's override, so that NOT_EXPRESSIBLE can still turn one off per operation.
                "checks": {"enabled": True},
                "generation": {"max-examples": examples, "database": "none"},
                "phases": {name: {"enabled": name in phases} for name in PHASES},
                "operations": NOT_EXPRESSIBLE,
            }
        )
        schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
        for event in engine_for(schema).execute():
            if isinstance(event, events.ScenarioFinished):
                _record(result, identity, event.recorder)
                log(f"api ({identity}): {event.recorder.label} ({event.phase}): "
                    f"{sum(result.tried.values())} requests so far")  # fmt: skip
            elif isinstance(event, events.NonFatalError | events.FatalError):
                error = event.value if isinstance(event, events.NonFatalError) else event.exception
                result.errors.append(f"{identity}: {type(error).__name__}: {error}"[:500])
        result.api_crashed = alive()
        if result.api_crashed is not None:
            break
    return result


def _record(result: ApiFuzz, identity: str, recorder: Any) -> None:
    result.tried[identity] += len(recorder.interactions)
    for interaction in recorder.interactions.values():
        if interaction.response is not None:
            result.statuses[interaction.response.status_code] += 1
            result.server_errors += interaction.response.status_code >= 500
    for case_id, checks in recorder.checks.items():
        for check in checks:
            if check.status.name != "FAILURE" or check.failure_info is None:
                continue
            key = f"{identity} {recorder.label} {check.name}"
            result.mismatches[key] += 1
            if result.mismatches[key] == 1:
                failure = check.failure_info.failure
                result.examples.append(
                    {"where": key, "title": failure.title, "message": failure.message[:500],
                     "curl": check.failure_info.code_sample[:1000], "case": case_id}
                )  # fmt: skip


@dataclass(slots=True)
class Deployment:
    settings: Settings
    topics: Topics
    token: str
    base_url: str
    processes: dict[str, subprocess.Popen[bytes]]
    logs: Path

    def alive(self) -> str | None:
        """None while the router and the API run; else which one exited and how."""
        for name, process in self.processes.items():
            code = process.poll()
            if code is not None:
                return (
                    f"`grid-router {name}` exited with status {code} (see {self.logs}/{name}.log)"
                )
        return None

    def stop(self) -> str | None:
        """SIGTERM both; a process that does not exit 0 in time is a crash."""
        crash = self.alive()
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for name, process in self.processes.items():
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                code = process.wait()
            if code not in (0, -signal.SIGTERM) and crash is None:
                crash = f"`grid-router {name}` exited with status {code} on SIGTERM"
        return crash

    def wait_ready(self, timeout: float = 180) -> None:
        """Until the API answers /readyz (the router is then starting too)."""
        deadline = time.monotonic() + timeout
        while True:
            crash = self.alive()
            if crash is not None:
                raise SystemExit(crash)
            try:
                if httpx.get(f"{self.base_url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"the API did not become ready in {timeout:.0f} s")
            time.sleep(0.5)

    def tracebacks(self) -> dict[str, int]:
        return {
            name: (self.logs / f"{name}.log").read_text(errors="replace").count("Traceback")
            for name in self.processes
        }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def deploy(bootstrap: str, workdir: Path, api_port: int) -> Deployment:
    """A deployment of its own: topics under a fresh prefix, a fresh SQLite database, an
    operator's token, `grid-router run` and `grid-router api` as processes (started, not yet
    ready)."""
    prefix = f"fuzz-{uuid.uuid4().hex[:8]}."
    url = f"sqlite:///{workdir / 'grid.db'}"
    settings = fresh_settings(Settings(), bootstrap, url, prefix, api_port=api_port)
    topics = Topics(prefix)
    create_topics(bootstrap, topics, 3)
    engine = make_engine(url)
    _, token = SqlTokenStore(engine, lambda: datetime.now(UTC)).create(
        "fuzz", "operator", rate_per_minute=1_000_000
    )
    engine.dispose()
    processes = {}
    for name, metrics in (("run", "0"), ("api", None)):
        env = settings_env(settings)
        env.pop("GRID_METRICS_PORT", None)
        if metrics is not None:
            env["GRID_METRICS_PORT"] = metrics
        with (workdir / f"{name}.log").open("wb") as out:
            processes[name] = subprocess.Popen(
                [sys.executable, "-m", "grid_router.entrypoints.cli", name],
                env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
    return Deployment(settings, topics, token, f"http://127.0.0.1:{api_port}", processes, workdir)


def seed_incidents(deployment: Deployment, codec: AvroCodec, n: int = 5) -> list[str]:
    """File `n` ordinary reports first, so that generated actions can name incidents that exist."""
    org = load_default_organisation()
    communities = [u.code for u in org.units_at(Level.COMMUNITY)]
    producer = KafkaProducer(bootstrap_servers=deployment.settings.kafka_bootstrap, acks="all")
    ids = []
    for i in range(n):
        report = street_report(i, communities[i * 31 % len(communities)], 1, datetime.now(UTC))
        producer.send(deployment.topics.reports, key=report_key(report),
                      value=codec.encode_report(report))  # fmt: skip
        ids.append(report.event_id)
    producer.flush()
    producer.close()
    engine = make_engine(deployment.settings.database_url)
    deadline = time.monotonic() + 180
    try:
        while time.monotonic() < deadline:
            with engine.connect() as conn:
                filed = conn.execute(
                    select(func.count()).select_from(inbox).where(inbox.c.message_id.in_(ids))
                ).scalar_one()
            if filed == n:
                return ids
            crash = deployment.alive()
            if crash is not None:
                raise SystemExit(crash)
            time.sleep(0.5)
    finally:
        engine.dispose()
    raise SystemExit(f"the router did not file {n} ordinary reports in 180 s")


def kafka_child(n: int, settings: Settings, known: list[str], fuzz_seed: int) -> KafkaFuzz:
    """The Kafka part in a process of its own. The router's death shows as consumption that
    stops (and as its exit status when the deployment is stopped)."""
    return run_kafka_fuzz(
        n,
        bootstrap=settings.kafka_bootstrap,
        topics=Topics(settings.topic_prefix),
        group=settings.consumer_group,
        engine=make_engine(settings.database_url),
        codec=AvroCodec.from_directory(settings.schemas_dir),
        org=load_default_organisation(),
        known_events=known,
        alive=lambda: None,
        fuzz_seed=fuzz_seed,
        progress=log,
    )


def fuzz_all(args: argparse.Namespace, workdir: Path, figures: dict[str, Any]) -> None:
    """The three parts, their figures into `figures`."""
    bootstrap = bench_broker(Settings())
    deployment = deploy(bootstrap, workdir, args.api_port or _free_port())
    # The three parts run side by side: the policy part and the Kafka part in processes of
    # their own (each drives Hypothesis), the API part here.
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            log(f"policy: {args.policy} files at `grid-router policy check`")
            policy = pool.submit(run_policy_fuzz, args.policy, workdir / "policy", args.seed, log)
            deployment.wait_ready()
            codec = AvroCodec.from_directory(deployment.settings.schemas_dir)
            known = seed_incidents(deployment, codec)
            log(f"kafka: {args.kafka} messages to {deployment.topics.prefix}grid.reports|actions")
            kafka_part = pool.submit(kafka_child, args.kafka, deployment.settings, known, args.seed)
            log(f"api: schemathesis --checks all at {deployment.base_url}")
            phases = args.api_phases.split(",")
            api = run_api_fuzz(deployment.base_url, deployment.token, args.api_examples,
                               phases, args.seed, deployment.alive)  # fmt: skip
            kafka = kafka_part.result()
            figures["policy"] = policy.result().summary()
        finally:
            stopped = deployment.stop()
            tracebacks = deployment.tracebacks()
    if api.api_crashed is None and stopped is not None and "api" in stopped:
        api.api_crashed = stopped
    if kafka.router_crashed is None and stopped is not None and "run" in stopped:
        kafka.router_crashed = stopped
    figures["api"] = api.summary()
    figures["kafka"] = kafka.summary()
    figures["tracebacks_logged"] = tracebacks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--api-examples",
        type=int,
        default=100,
        help="examples per API operation, phase and identity",
    )
    parser.add_argument("--api-phases", default=",".join(PHASES),
                        help="schemathesis phases, comma-separated")  # fmt: skip
    parser.add_argument("--kafka", type=int, default=95_000, help="messages to the topics")
    parser.add_argument("--policy", type=int, default=1_000, help="policy files")
    parser.add_argument("--seed", type=int, default=15_3)
    parser.add_argument("--api-port", type=int, default=0, help="default: a free port")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()  # fmt: skip
    command = "bench/fuzz.py " + " ".join(sys.argv[1:])
    started = time.monotonic()
    figures: dict[str, Any] = {"command": command.strip(), "seed": args.seed}
    # Logs, the database and the files that crashed something stay here when anything failed.
    workdir = Path(tempfile.mkdtemp(prefix="grid-fuzz-"))
    fuzz_all(args, workdir, figures)
    parts = ("api", "kafka", "policy")
    figures["total"] = {
        "inputs": sum(figures[p]["inputs"] for p in parts),
        "crashes": sum(figures[p]["crashes"] for p in parts),
        "server_errors_5xx": figures["api"]["server_errors_5xx"],
        "contract_mismatches": figures["api"]["contract_mismatches"],
        "deadlettered": figures["kafka"]["deadlettered_total"],
        "lost": figures["kafka"]["lost"],
        "seconds": round(time.monotonic() - started),
    }
    figures["workdir"] = str(workdir)
    print(render(figures), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", "utf-8")
    t = figures["total"]
    bad = t["crashes"] or t["server_errors_5xx"] or t["contract_mismatches"] or t["lost"]
    if bad or figures["kafka"]["deadlettered_without_reason"]:
        log(f"kept {workdir} (logs, database, inputs that crashed something)")
        sys.exit(1)
    shutil.rmtree(workdir, ignore_errors=True)


def render(f: dict[str, Any]) -> str:
    """The figures as the lines docs/reliability.md quotes."""
    api, kafka, policy, total = f["api"], f["kafka"], f["policy"], f["total"]
    lines = [
        f"$ .venv/bin/python {f['command']}",
        f"api     inputs {api['inputs']:>7}  crashes {api['crashes']}  5xx "
        f"{api['server_errors_5xx']}  contract mismatches {api['contract_mismatches']}  "
        f"(operator {api['by_identity'].get('operator', 0)}, "
        f"no token {api['by_identity'].get('anonymous', 0)})",
        f"kafka   inputs {kafka['inputs']:>7}  crashes {kafka['crashes']}  dead-lettered "
        f"{kafka['deadlettered_total']}  routed {sum(kafka['routed'].values())}  lost "
        f"{kafka['lost']}  without a reason {kafka['deadlettered_without_reason']}",
    ]
    for reason, details in kafka["deadlettered"].items():
        listed = ", ".join(f"{d} {n}" for d, n in sorted(details.items(), key=lambda x: -x[1]))
        lines.append(f"        dead-lettered {reason} {sum(details.values())}: {listed}")
    lines.append(f"        routed: {', '.join(f'{k} {v}' for k, v in kafka['routed'].items())}")
    lines += [
        f"policy  inputs {policy['inputs']:>7}  crashes {policy['crashes']}  "
        f"refused with problems {policy['outcomes'].get('refused', 0)}  accepted "
        f"{policy['outcomes'].get('accepted', 0)}",
        f"total   inputs {total['inputs']:>7}  crashes {total['crashes']}  5xx "
        f"{total['server_errors_5xx']}  contract mismatches {total['contract_mismatches']}  "
        f"dead-lettered {total['deadlettered']}  lost {total['lost']}  in {total['seconds']} s",
    ]
    for part in ("api", "policy"):
        for example in f[part].get("mismatch_examples", []) + f[part].get("crash_examples", []):
            lines.append(f"  {part}: {json.dumps(example, ensure_ascii=False)[:1500]}")
    for message in api["engine_errors"]:
        lines.append(f"  api engine error: {message}")
    for lost in kafka["lost_examples"]:
        lines.append(f"  kafka lost: {lost}")
    if kafka["router_crash"]:
        lines.append(f"  router: {kafka['router_crash']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
