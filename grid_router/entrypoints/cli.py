"""`grid-router`: the one command-line program (DESIGN §7)."""

from __future__ import annotations

import json
import logging
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from grid_router.entrypoints.bridges_cli import bridges_app
from grid_router.entrypoints.dispatch_cli import act, queue
from grid_router.entrypoints.model_cli import model_app
from grid_router.entrypoints.outbox_cli import outbox_app
from grid_router.entrypoints.tokens_cli import tokens_app
from grid_router.exceptions import GridRouterError
from grid_router.settings import Settings

app = typer.Typer(
    name="grid-router",
    help="Event routing engine for city grid management (网格化服务管理).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
kafka_app = typer.Typer(help="A local single-node Kafka broker for development and tests.")
topics_app = typer.Typer(help="Kafka topics of grid_router.")
db_app = typer.Typer(help="The database (SQLite by default, PostgreSQL in production).")
dlq_app = typer.Typer(help="The dead-letter topic: messages the router could not take.")
policy_app = typer.Typer(help="The routing policy (taxonomy, departments, grades, route tree).")
routes_app = typer.Typer(help="Dry runs of the routing policy.")
app.add_typer(kafka_app, name="kafka")
app.add_typer(topics_app, name="topics")
app.add_typer(db_app, name="db")
app.add_typer(dlq_app, name="dlq")
app.add_typer(policy_app, name="policy")
app.add_typer(routes_app, name="routes")
app.add_typer(tokens_app, name="tokens")
app.add_typer(outbox_app, name="outbox")
app.add_typer(bridges_app, name="bridges")
app.add_typer(model_app, name="model")

err = Console(stderr=True)
out = Console()


def _version(show: bool) -> None:
    if show:
        from importlib.metadata import PackageNotFoundError, version

        try:
            out.print(f"grid-router {version('grid-router')}", highlight=False)
        except PackageNotFoundError:  # pragma: no cover - run from a bare source tree
            out.print("grid-router (not installed: run `pip install .`)", highlight=False)
        raise typer.Exit()


@app.callback()
def _main_options(
    _: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="print the version and exit"
        ),
    ] = False,
) -> None:
    """Event routing engine for city grid management (网格化服务管理)."""


def _settings() -> Settings:
    return Settings()


def _app() -> Any:
    from grid_router.bootstrap import App

    return App(_settings())


def _setup_logging(verbose: bool = False) -> None:
    from grid_router.adapters.logs import setup_logging

    setup_logging(_settings().log_format, verbose)


# --- kafka -------------------------------------------------------------------------------


def _launcher(port: int | None, data_dir: Path | None) -> Any:
    from grid_router.adapters.kafka.launcher import LocalKafka

    s = _settings()
    return LocalKafka(
        cache_dir=s.kafka_cache_dir,
        data_dir=data_dir or s.kafka_data_dir,
        port=port or s.kafka_port,
    )


PortOpt = Annotated[int | None, typer.Option(help="listener port (default GRID_KAFKA_PORT, 9092)")]
DataDirOpt = Annotated[
    Path | None, typer.Option(help="log and metadata directory (default GRID_KAFKA_DATA_DIR)")
]


@kafka_app.command("start")
def kafka_start(port: PortOpt = None, data_dir: DataDirOpt = None) -> None:
    """Fetch (once), format (once) and start a single-node KRaft broker; wait until it serves."""
    launcher = _launcher(port, data_dir)
    bootstrap = launcher.start()
    st = launcher.status()
    out.print(f"Kafka {st.version} serving on {bootstrap} (pid {st.pid}, log {st.log_file})")


@kafka_app.command("stop")
def kafka_stop(port: PortOpt = None, data_dir: DataDirOpt = None) -> None:
    """Stop the local broker cleanly."""
    stopped = _launcher(port, data_dir).stop()
    out.print("Kafka stopped" if stopped else "Kafka was not running")


@kafka_app.command("status")
def kafka_status(port: PortOpt = None, data_dir: DataDirOpt = None) -> None:
    """Say whether the local broker runs (exit 1 if it does not)."""
    st = _launcher(port, data_dir).status()
    if st.running:
        out.print(f"running: pid {st.pid}, {st.bootstrap}, data {st.data_dir}, log {st.log_file}")
    else:
        out.print(f"not running (data {st.data_dir})")
        raise typer.Exit(1)


# --- topics and database ----------------------------------------------------------------


@topics_app.command("create")
def topics_create(
    partitions: Annotated[
        int | None, typer.Option(min=1, help="partitions per topic (default GRID_PARTITIONS, 6)")
    ] = None,
) -> None:
    """Create the topics of DESIGN §5; topics that exist are left as they are."""
    from grid_router.adapters.kafka.admin import create_topics
    from grid_router.adapters.kafka.topics import Topics

    s = _settings()
    created = create_topics(
        s.kafka_bootstrap, Topics(s.topic_prefix), partitions or s.partitions, s.replication_factor
    )
    for name in Topics(s.topic_prefix).all():
        out.print(f"{'created' if name in created else 'exists '} {name}")


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
) -> None:
    """Create or migrate the database schema to the newest revision."""
    from grid_router.adapters.db.migrate import current_revision, upgrade

    a = _app()
    upgrade(a.engine, revision)
    out.print(f"database at revision {current_revision(a.engine)} ({a.engine.url!r})")
    a.close()


# --- the router --------------------------------------------------------------------------


@app.command("run")
def run(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    """Run the router, the SLA scheduler and the outbox relay until SIGTERM or Ctrl-C."""
    from grid_router.adapters.db.migrate import current_revision
    from grid_router.adapters.db.outage import await_database
    from grid_router.adapters.kafka.outage import await_broker

    _setup_logging(verbose)
    a = _app()
    await_database(a.engine)
    if current_revision(a.engine) is None:
        raise GridRouterError(
            f"the database {a.engine.url!r} has no schema yet: run `grid-router db upgrade`"
        )
    await_broker(a.settings.kafka_bootstrap)  # started while Kafka is away: wait, said once
    worker = a.router_worker()
    metrics_port = a.serve_metrics()

    def _graceful(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info(
            "%s: finishing the batch in hand", signal.Signals(signum).name
        )
        worker.stop()

    signal.signal(signal.SIGTERM, _graceful)
    signal.signal(signal.SIGINT, _graceful)
    logging.getLogger(__name__).info(
        "router consuming %s and %s from %s into %r; metrics on :%d/metrics",
        a.topics.reports,
        a.topics.actions,
        a.settings.kafka_bootstrap,
        a.engine.url,
        metrics_port,
    )
    stats = worker.run()
    a.close()
    logging.getLogger(__name__).info(
        "router stopped: %d filed, %d duplicates, %d dead-lettered",
        stats.applied,
        stats.duplicates,
        stats.deadlettered,
    )


@app.command("api")
def api(
    host: Annotated[str | None, typer.Option(help="listen address (default GRID_API_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="listen port (default GRID_API_PORT)")] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="processes serving the port (default GRID_API_WORKERS, 1)"),
    ] = None,
    openapi: Annotated[
        Path | None, typer.Option(help="write the OpenAPI document to this file and exit")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Serve the HTTP API (reports, status, queues, actions, Open311) until Ctrl-C."""
    from grid_router.adapters.db.migrate import current_revision
    from grid_router.adapters.db.outage import await_database

    _setup_logging(verbose)
    a = _app()
    if openapi is not None:
        from grid_router.entrypoints.api.openapi import write_openapi

        write_openapi(openapi)
        out.print(f"wrote {openapi}", highlight=False)
        return
    await_database(a.engine)
    if current_revision(a.engine) is None:
        raise GridRouterError(
            f"the database {a.engine.url!r} has no schema yet: run `grid-router db upgrade`"
        )
    import uvicorn

    from grid_router.adapters.kafka.outage import await_broker
    from grid_router.entrypoints.api.app import serve_metrics_at
    from grid_router.entrypoints.api.serve import freeze_heap, serve_workers

    listen_host = host or a.settings.api_host
    listen_port = port or a.settings.api_port
    url = f"http://{listen_host}:{listen_port}"
    processes = workers or a.settings.api_workers
    await_broker(a.settings.kafka_bootstrap)  # its producer cannot be built without Kafka
    if processes > 1:
        a.close()
        out.print(
            f"grid-router api: {processes} processes listening on {url} (OpenAPI at {url}/docs, "
            f"each process's metrics at {url}/metrics); Ctrl-C stops them",
            highlight=False,
        )
        signal.signal(signal.SIGTERM, _exit_after_shutdown)
        serve_workers(listen_host, listen_port, processes, verbose)
        return
    served = a.api()
    if a.settings.metrics_port is None:
        # Beside `grid-router run` (metrics on 9464) on one host: no second metrics port.
        serve_metrics_at(served, a.metrics.registry)
        metrics_url = f"{url}/metrics"
    else:
        metrics_url = f"http://{listen_host}:{a.serve_metrics(host=listen_host)}/metrics"
    out.print(
        f"grid-router api: listening on {url} (OpenAPI at {url}/docs, metrics at {metrics_url}); "
        "Ctrl-C stops it",
        highlight=False,
    )
    freeze_heap()
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for the handler that
    # was there before it: exit 0 then, as `grid-router run` does, not "killed by SIGTERM".
    signal.signal(signal.SIGTERM, _exit_after_shutdown)
    try:
        uvicorn.run(
            served,
            host=listen_host,
            port=listen_port,
            log_level="info" if verbose else "warning",
            # Our own access log line carries the token prefix; uvicorn's would repeat it.
            access_log=False,
        )
    finally:
        a.close()


def _exit_after_shutdown(signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@app.command("report")
def report(
    file: Annotated[
        Path | None,
        typer.Argument(help="JSON file: one object, an array, or JSON lines (default stdin)"),
    ] = None,
) -> None:
    """Submit reports to grid.reports; prints each event id once Kafka has acknowledged it."""
    from grid_router.adapters.kafka.admin import require_a_listener
    from grid_router.entrypoints.contracts import ReportSubmission
    from grid_router.service.intake import ReportIntake

    text = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    submissions = [ReportSubmission.model_validate(obj) for obj in _json_objects(text)]
    # Nothing can be accepted with no broker listening: say so now, not after half a minute.
    require_a_listener(_settings().kafka_bootstrap)
    a = _app()
    intake = ReportIntake(a.producer(), a.codec, a.topics)
    reports = [sub.to_report(a.clock()) for sub in submissions]
    failed = 0
    # Many sends in flight, then the acknowledgements in order: an id is printed only once
    # Kafka has it (acks=all), and one that failed is named on stderr, never printed.
    for start in range(0, len(reports), REPORT_WINDOW):
        for event_id, error in intake.submit_pipelined(reports[start : start + REPORT_WINDOW]):
            if error is None:
                sys.stdout.write(event_id + "\n")
            else:
                failed += 1
                err.print(f"[red]not accepted[/red] {event_id}: {error}", highlight=False)
        sys.stdout.flush()
    a.close()
    if failed:
        raise typer.Exit(1)


# Reports in flight at once in `grid-router report`.
REPORT_WINDOW = 2000


def _json_objects(text: str) -> list[Any]:
    text = text.strip()
    if not text:
        raise GridRouterError("no report given: pass a JSON file or pipe JSON to stdin")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            return [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise GridRouterError(
                f"input is neither JSON nor JSON lines: line {exc.lineno}: {exc.msg}"
            ) from exc
    return data if isinstance(data, list) else [data]


app.command("act")(act)
app.command("queue")(queue)


# --- policy ------------------------------------------------------------------------------


@policy_app.command("check")
def policy_check(
    file: Annotated[
        Path | None, typer.Argument(help="policy file (default GRID_POLICY, else the bundled)")
    ] = None,
) -> None:
    """Report every problem in a policy file at once; exit 1 if there is any."""
    from grid_router.policy.load import check_policy, default_policy_path

    path = file or _settings().policy or default_policy_path()
    problems = check_policy(path)
    for problem in problems:
        # Problems quote the file's own words, which may look like Rich markup ("[/b]").
        out.print(f"{path}: {problem}", highlight=False, soft_wrap=True, markup=False)
    if problems:
        out.print(f"{len(problems)} problem(s)")
        raise typer.Exit(1)
    out.print(f"{path}: OK", highlight=False, markup=False)


@app.command("classify")
def classify(
    file: Annotated[Path | None, typer.Argument(help="JSON lines (default stdin)")] = None,
) -> None:
    """Classify and route reports, one JSON line in, one JSON line out (no Kafka, no database).

    A line that cannot be read gets an `error` line in its place, and the exit status is 1.
    """
    from grid_router.domain.filing import decide
    from grid_router.entrypoints.dry_run import decision_record, parse_lines

    a = _app()
    stream = file.open(encoding="utf-8") if file else sys.stdin
    failed = 0
    for number, obj, parsed in parse_lines(iter(stream)):
        record: dict[str, Any] = {"id": obj["id"]} if "id" in obj else {}
        if isinstance(parsed, str):
            failed += 1
            record.update(line=number, error=parsed)
        else:
            report = parsed.to_report(a.clock())
            record.update(decision_record(decide(report, a.org, a.classifier, a.policy.routing)))
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    if failed:
        err.print(f"{failed} line(s) could not be classified; see their `error`")
        raise typer.Exit(1)


@routes_app.command("test")
def routes_test(
    file: Annotated[Path | None, typer.Argument(help="one report as JSON (default stdin)")] = None,
) -> None:
    """Show the route path one report takes through the policy, and the decision."""
    from grid_router.domain.filing import decide
    from grid_router.entrypoints.dry_run import describe, parse_lines

    a = _app()
    text = file.read_text(encoding="utf-8") if file else sys.stdin.read()
    objects = _json_objects(text)
    if len(objects) != 1:
        raise GridRouterError(f"routes test takes one report; got {len(objects)}")
    [(_, _, parsed)] = list(parse_lines(iter([json.dumps(objects[0])])))
    if isinstance(parsed, str):
        raise GridRouterError(f"invalid report: {parsed}")
    decided = decide(parsed.to_report(a.clock()), a.org, a.classifier, a.policy.routing)
    out.print(f"policy       {a.policy.source} (version {a.policy.version})", highlight=False)
    for line in describe(decided):
        out.print(line, highlight=False, soft_wrap=True)


@routes_app.command("diff")
def routes_diff(
    policy: Annotated[Path, typer.Option("--policy", help="the new policy file to try")],
    limit: Annotated[int | None, typer.Option(help="look at the newest N incidents only")] = None,
) -> None:
    """Replay the stored incidents through a new policy and list those it would route
    differently (as filed → under the new policy). Changes nothing."""
    from grid_router.adapters.db.queries import stored_reports
    from grid_router.domain.classify import Classifier
    from grid_router.domain.filing import decide
    from grid_router.policy.load import load_policy
    from grid_router.policy.taxonomy import load_taxonomy

    a = _app()
    new = load_policy(policy, a.org)
    classifier = Classifier(
        load_taxonomy(new.taxonomy_path),
        place_names=[u.name for u in a.org],
        normalise=a.normalise,
    )
    seen = changed = 0
    for report, was in stored_reports(a.engine, limit):
        seen += 1
        d = decide(report, a.org, classifier, new.routing)
        c, route = d.classification, d.route
        now = (c.category_code, str(c.severity), str(route.level), route.unit.code,
               route.department)  # fmt: skip
        then = (was.category_code, was.severity, was.level, was.unit_code, was.department)
        if now == then:
            continue
        changed += 1
        out.print(
            f"{report.event_id} {' '.join(str(x) for x in then)}\n"
            f"{'':>36} → {' '.join(str(x) for x in now)}  [{' > '.join(route.path)}]",
            highlight=False,
            soft_wrap=True,
        )
    out.print(f"{changed} of {seen} incidents would route differently under {policy}")


# --- dead letters ------------------------------------------------------------------------


@dlq_app.command("list")
def dlq_list() -> None:
    """Show every dead letter: where it came from, why, and its position for `dlq replay`."""
    from grid_router.adapters.kafka.deadletter import read_deadletters
    from grid_router.service.router import (
        DLQ_AT,
        DLQ_ERROR,
        DLQ_OFFSET,
        DLQ_PARTITION,
        DLQ_REASON,
        DLQ_TOPIC,
    )

    a = _app()
    count = 0
    for dl in read_deadletters(a.settings.kafka_bootstrap, a.topics.deadletter):
        count += 1
        source = f"{dl.header(DLQ_TOPIC)}/{dl.header(DLQ_PARTITION)}/{dl.header(DLQ_OFFSET)}"
        out.print(
            f"{dl.position:>8} {dl.header(DLQ_AT) or '?'} {dl.header(DLQ_REASON) or '?'} "
            f"from {source} ({len(dl.value)} bytes): {dl.header(DLQ_ERROR) or ''}",
            highlight=False,
            soft_wrap=True,
        )
    out.print(f"{count} dead letters on {a.topics.deadletter}")


@dlq_app.command("replay")
def dlq_replay(
    positions: Annotated[
        list[str] | None, typer.Argument(help="PARTITION:OFFSET of each dead letter to replay")
    ] = None,
    replay_all: Annotated[bool, typer.Option("--all", help="replay every dead letter")] = False,
) -> None:
    """Send dead letters back to the topic they came from, e.g. after a fix was deployed.

    The original key and bytes go back unchanged, with a header naming the dead letter; a
    message that still cannot be taken lands in the dead-letter topic again.
    """
    from grid_router.adapters.kafka.deadletter import (
        REPLAYED_FROM,
        parse_positions,
        read_deadletters,
    )
    from grid_router.service.router import DLQ_TOPIC

    if not positions and not replay_all:
        raise GridRouterError("name dead letters as PARTITION:OFFSET (see `dlq list`) or --all")
    wanted = parse_positions(positions or [])
    a = _app()
    producer = a.producer()
    replayed = 0
    for dl in read_deadletters(a.settings.kafka_bootstrap, a.topics.deadletter):
        if not replay_all and (dl.partition, dl.offset) not in wanted:
            continue
        target = dl.header(DLQ_TOPIC)
        if not target:
            err.print(f"{dl.position}: no source topic recorded; left alone")
            continue
        original = [(k, v) for k, v in dl.headers if not k.startswith("grid.dlq.")]
        headers = [*original, (REPLAYED_FROM, f"{a.topics.deadletter}/{dl.position}".encode())]
        producer.send(target, key=dl.key, value=dl.value, headers=headers).get(timeout=30)
        wanted.discard((dl.partition, dl.offset))
        replayed += 1
        out.print(f"{dl.position} → {target}")
    a.close()
    if wanted:
        missing = ", ".join(f"{p}:{o}" for p, o in sorted(wanted))
        raise GridRouterError(f"replayed {replayed}; no dead letter at {missing}")
    out.print(f"replayed {replayed}")


@app.command("demo")
def demo(
    rate: Annotated[
        float, typer.Option(min=0.1, max=500, help="reports a second (grid app, 12345, 数字城管)")
    ] = 5.0,
    duration: Annotated[float, typer.Option(min=0, help="seconds to run; 0: until Ctrl-C")] = 120.0,
    seed: Annotated[
        int | None, typer.Option(help="the city's random seed (default: a new one, shown)")
    ] = None,
    scale: Annotated[
        float | None,
        typer.Option(
            min=1,
            help="the drill clock (GRID_SLA_SCALE): city seconds per real second; default "
            "GRID_SLA_SCALE if set, else 240 (a community's 1 h to sign passes in 15 s)",
        ),
    ] = None,
    typhoon_at: Annotated[
        float | None,
        typer.Option(
            help="seconds into the run when the typhoon makes landfall (default: a third of "
            "the duration; negative: no typhoon)"
        ),
    ] = None,
    miss: Annotated[
        float,
        typer.Option(min=0, max=1, help="share of work orders a unit never signs (they escalate)"),
    ] = 0.2,
    live: Annotated[
        bool | None,
        typer.Option(
            "--live/--no-live",
            help="the live view, or plain progress lines (default: live on a terminal)",
        ),
    ] = None,
    summary_json: Annotated[
        Path | None, typer.Option(help="also write the closing summary to this JSON file")
    ] = None,
) -> None:
    """The city in a box: Kafka, topics, SQLite, router, API, bridges and the reference far
    sides, with Xiamen simulated on a drill clock (grid workers, 12345, dispatch centres that
    miss some deadlines, a typhoon). Ctrl-C stops everything cleanly (exit status 0)."""
    from grid_router.demo.runner import DemoOptions
    from grid_router.entrypoints.demo import run_demo

    _setup_logging()
    # The demo's own view tells the story; the router's per-event lines would drown it.
    logging.getLogger("grid_router").setLevel(logging.WARNING)
    options = DemoOptions(
        rate=rate, duration=duration, seed=seed, scale=scale, typhoon_at=typhoon_at,
        live=live, summary_json=summary_json, miss_share=miss,
    )  # fmt: skip
    status = run_demo(out, options)
    if status:
        raise typer.Exit(status)


def main() -> None:
    """Console-script entry: user errors become one clear line and exit status 2."""
    try:
        app()
    except ValidationError as exc:
        err.print(f"[red]error:[/red] invalid report: {_validation_summary(exc)}")
        sys.exit(2)
    except GridRouterError as exc:
        err.print(f"[red]error:[/red] {exc}")
        sys.exit(2)
    except Exception as exc:
        from kafka.errors import KafkaError

        if not isinstance(exc, KafkaError):
            raise
        err.print(
            f"[red]error:[/red] Kafka at {_settings().kafka_bootstrap} failed: {exc}. "
            "Is the broker running (`grid-router kafka status`) and GRID_KAFKA_BOOTSTRAP right?"
        )
        sys.exit(2)


def _validation_summary(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or '(body)'}: {e['msg']}" for e in exc.errors()
    )


if __name__ == "__main__":
    main()
