"""The one wiring point: picks the real adapters for a set of settings. Nothing is created at
import time; every resource is built on first use and closed by `close()`."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.db.engine import make_engine
from grid_router.adapters.db.uow import SqlOutbox, SqlUnitOfWork
from grid_router.adapters.kafka.topics import Topics
from grid_router.adapters.org_data import load_default_organisation
from grid_router.adapters.script import normalise_chinese
from grid_router.domain.classify import Classifier
from grid_router.domain.org import Organisation
from grid_router.exceptions import ConfigurationError
from grid_router.policy.load import Policy, load_default_policy, load_policy
from grid_router.policy.taxonomy import load_taxonomy
from grid_router.settings import Settings

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI
    from kafka import KafkaProducer

    from grid_router.service.bridges import BridgeSenders
    from grid_router.service.bridging import Bridging
    from grid_router.service.hotline_poller import HotlinePoller
    from grid_router.service.metrics import GridMetrics
    from grid_router.service.publish import CommitPublisher
    from grid_router.service.relay import OutboxRelay
    from grid_router.service.relay_runner import RelayRunner
    from grid_router.service.router import ReportRouter, SlaSetup
    from grid_router.service.scheduler import SlaScheduler
    from grid_router.service.worker import RouterWorker


DEFAULT_METRICS_PORT = 9464
"""Where `grid-router run` serves its metrics when GRID_METRICS_PORT is not set."""


def utc_now() -> datetime:
    return datetime.now(UTC)


class App:
    """Everything a command needs, built lazily from `settings`."""

    def __init__(
        self, settings: Settings | None = None, clock: Callable[[], datetime] = utc_now
    ) -> None:
        self.settings = settings or Settings()
        self.clock = clock
        self.topics = Topics(self.settings.topic_prefix)
        self._closers: list[Callable[[], None]] = []

    @functools.cached_property
    def engine(self) -> Engine:
        # Pooled: a SQLite connection opened and closed per transaction costs milliseconds each
        # time (closing the last one checkpoints the WAL and removes it), measured on the
        # router's write and the relay's delete (docs/benchmarks.md, bench/latency_stages.py).
        engine = make_engine(self.settings.database_url, pooled=True)
        self._closers.append(engine.dispose)
        return engine

    @functools.cached_property
    def limits_engine(self) -> Engine:
        """The API's rate-limit counters: many tiny transactions whose loss is harmless, so they
        neither wait for the disk nor reopen a connection each time."""
        engine = make_engine(self.settings.database_url, durable=False, pooled=True)
        self._closers.append(engine.dispose)
        return engine

    @functools.cached_property
    def relay_engine(self) -> Engine:
        """The relay's own engine: its deletes of sent rows need not wait for the disk."""
        engine = make_engine(self.settings.database_url, durable=False, pooled=True)
        self._closers.append(engine.dispose)
        return engine

    @functools.cached_property
    def codec(self) -> AvroCodec:
        return AvroCodec.from_directory(self.settings.schemas_dir)

    @functools.cached_property
    def org(self) -> Organisation:
        """Xiamen's organisation, placing a report's point by the bundled district boundaries."""
        from grid_router.adapters.boundaries import load_default_boundaries

        return (
            load_default_organisation()
            .with_boundaries(load_default_boundaries())
            .with_address_normaliser(self.normalise)
        )

    @functools.cached_property
    def normalise(self) -> Callable[[str], str]:
        """Rewrites traditional characters and written Cantonese into simplified Mandarin, for
        the classifier and the address reader alike."""
        return normalise_chinese()

    @functools.cached_property
    def policy(self) -> Policy:
        """The routing policy: GRID_POLICY, else the bundled Xiamen policy."""
        if self.settings.policy is not None:
            return load_policy(self.settings.policy, self.org)
        return load_default_policy()

    @functools.cached_property
    def classifier(self) -> Classifier:
        """The classifier for the policy's taxonomy; division names are masked out of the text
        so that a place called 溪头 or 火炬 cannot decide a category."""
        model = None
        if self.policy.model_path is not None:
            from grid_router.adapters.textmodel import LinearTextModel

            model = LinearTextModel.load(self.policy.model_path)
        return Classifier(
            load_taxonomy(self.policy.taxonomy_path),
            place_names=[u.name for u in self.org],
            model=model,
            thresholds=self.policy.grade_counts,
            normalise=self.normalise,
        )

    @functools.cached_property
    def sla(self) -> SlaSetup:
        """The SLA rules of the policy, the working calendar (the statutory holidays plus the
        policy's own dates) and the drill clock (GRID_SLA_SCALE)."""
        from grid_router.adapters.holidays import load_calendar
        from grid_router.domain.clocks import ClockSettings, SlaTerms
        from grid_router.domain.disposition import Context
        from grid_router.domain.reclassify import Rerouting
        from grid_router.service.router import SlaSetup

        cal = self.policy.calendar
        calendar = load_calendar(
            cal.extra_holidays,
            cal.extra_working_days,
            working_hours=cal.working_hours,
            extra_known_years=cal.known_years,
        )
        routing = self.policy.routing
        rules, version = self.policy.sla, self.policy.version

        def terms(name: str) -> SlaTerms:
            return SlaTerms(rules.policy(name), rules.extensions, version)

        return SlaSetup(
            rules=rules,
            policy_version=version,
            context=Context(
                self.org,
                routing.departments,
                ClockSettings(calendar, self.settings.sla_scale),
                rerouting=Rerouting(routing, self.classifier.taxonomy, terms),
            ),
            fallback=routing.root.sla,
        )

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def producer(self, **overrides: Any) -> KafkaProducer:
        from grid_router.adapters.kafka.clients import make_producer

        producer = make_producer(self.settings.kafka_bootstrap, **overrides)

        def close() -> None:
            from kafka.errors import KafkaError

            # Closing while the broker is away cannot flush: what it held is still in the
            # outbox (or was never acknowledged to anyone), so there is nothing to report.
            with contextlib.suppress(KafkaError):
                producer.close(timeout=10)

        self._closers.append(close)
        return producer

    def report_router(self) -> ReportRouter:
        from grid_router.service.router import ReportRouter

        return ReportRouter(
            self.uow,
            self.codec,
            self.org,
            self.classifier,
            self.policy.routing,
            self.topics,
            self.clock,
            self.sla,
            self.bridging,
        )

    def api(self) -> FastAPI:
        """The HTTP API on this app's database, Kafka and policy (`grid-router api`)."""
        from grid_router.adapters.db.limits import SqlLimitStorage
        from grid_router.adapters.db.live import ReminderFeed
        from grid_router.adapters.db.tokens import SqlTokenStore
        from grid_router.adapters.kafka.live import KafkaLiveFeed
        from grid_router.adapters.photos import LocalPhotoStorage
        from grid_router.entrypoints.api.app import ApiParts, create_api
        from grid_router.service.desk import ActionDesk, ReportDesk
        from grid_router.service.intake import ActionIntake, ReportIntake
        from grid_router.service.live import LiveHub

        hub = LiveHub()
        tokens = SqlTokenStore(self.engine, self.clock)
        # A request waits for Kafka's acknowledgement; a short linger lets concurrent requests
        # share a produce request without adding noticeable latency.
        producer = self.producer(linger_ms=2, max_block_ms=5000)
        s = self.settings
        return create_api(
            ApiParts(
                engine=self.engine,
                org=self.org,
                tokens=tokens,
                reports=ReportDesk(
                    ReportIntake(producer, self.codec, self.topics, timeout=10), tokens
                ),
                actions=ActionDesk(
                    self.engine,
                    ActionIntake(producer, self.codec, self.topics, timeout=10),
                    self.sla,
                    self.org.city.code,
                    self.clock,
                ),
                photos=LocalPhotoStorage(s.photo_dir, s.max_photo_bytes),
                clock=self.clock,
                max_body_bytes=s.max_body_bytes,
                max_photo_bytes=s.max_photo_bytes,
                taxonomy=self.classifier.taxonomy,
                bridge_secrets=self.bridge_secrets,
                metrics=self.metrics,
                live=hub,
                live_feed=KafkaLiveFeed(s.kafka_bootstrap, self.topics, self.codec, hub),
                reminder_feed=ReminderFeed(self.engine, hub.publish),
                public_categories=self.policy.public_categories,
                failed_auth_per_minute=self.policy.failed_auth_per_minute,
                rate_limit_storage=(
                    SqlLimitStorage(self.limits_engine)
                    if s.api_shared_limits or s.api_workers > 1
                    else None
                ),
            )
        )

    def scheduler(self) -> SlaScheduler:
        from grid_router.service.scheduler import SlaScheduler

        scheduler = SlaScheduler(self.uow, self.codec, self.topics, self.sla, self.clock)
        scheduler.bridging = self.bridging
        return scheduler

    @functools.cached_property
    def enabled_bridges(self) -> dict[str, tuple[str, str]]:
        """The policy's bridges whose base URL is set in the environment, with URL and secret.
        A bridge without a URL is off: no delivery is written for it. One with a URL and no
        secret is a configuration error (every delivery is signed)."""
        enabled: dict[str, tuple[str, str]] = {}
        for name, endpoint in self.policy.endpoints.items():
            url = os.environ.get(endpoint.url_env, "").strip()
            if not url:
                continue
            secret = os.environ.get(endpoint.secret_env, "")
            if not secret:
                raise ConfigurationError(
                    f"bridge {name}: {endpoint.url_env} is set but {endpoint.secret_env} is "
                    "not; every delivery is signed with that shared secret"
                )
            enabled[name] = (url, secret)
        return enabled

    @functools.cached_property
    def bridge_secrets(self) -> dict[str, str]:
        """The shared secret of each of the policy's bridges whose secret is set in the
        environment: their webhooks (`/bridges/`) answer; they need no base URL."""
        secrets: dict[str, str] = {}
        for name, endpoint in self.policy.endpoints.items():
            secret = os.environ.get(endpoint.secret_env, "")
            if secret:
                secrets[name] = secret
        return secrets

    def hotline_poller(self, client: httpx.Client | None = None) -> HotlinePoller:
        """The 12345 hotline's pull poller (GRID_BRIDGE_HOTLINE_POLL), on the hotline bridge's
        base URL and secret; `client` replaces the HTTP client (tests)."""
        import httpx

        from grid_router.adapters.db.cursors import SqlBridgeCursors
        from grid_router.service.hotline_poller import HotlinePoller
        from grid_router.service.hotline_tickets import HOTLINE_BRIDGE
        from grid_router.service.intake import ReportIntake

        if HOTLINE_BRIDGE not in self.enabled_bridges:
            endpoint = self.policy.endpoints.get(HOTLINE_BRIDGE)
            needs = f" (set {endpoint.url_env})" if endpoint is not None else ""
            raise ConfigurationError(f"the hotline poller needs the {HOTLINE_BRIDGE} bridge{needs}")
        url, secret = self.enabled_bridges[HOTLINE_BRIDGE]
        timeout = self.policy.endpoints[HOTLINE_BRIDGE].timeout_seconds
        intake = ReportIntake(self.producer(), self.codec, self.topics, timeout=30)
        return HotlinePoller(
            client or httpx.Client(base_url=url, timeout=timeout),
            secret,
            intake.submit,
            SqlBridgeCursors(self.engine),
            self.clock,
            bridge=HOTLINE_BRIDGE,
            interval=self.settings.bridge_hotline_poll_seconds,
        )

    def pollers(self) -> list[HotlinePoller]:
        """The pull pollers `grid-router run` starts: the hotline's when GRID_BRIDGE_HOTLINE_POLL
        is set and the hotline bridge is on."""
        from grid_router.service.hotline_tickets import HOTLINE_BRIDGE

        if not self.settings.bridge_hotline_poll:
            return []
        if HOTLINE_BRIDGE not in self.enabled_bridges:
            logging.getLogger(__name__).warning(
                "GRID_BRIDGE_HOTLINE_POLL is set but the %s bridge is off (no base URL): "
                "not polling",
                HOTLINE_BRIDGE,
            )
            return []
        return [self.hotline_poller()]

    @functools.cached_property
    def bridging(self) -> Bridging:
        """The rules of the enabled bridges, for the router and the scheduler."""
        from grid_router.service.bridging import Bridging

        rules = tuple(r for r in self.policy.bridges if r.name in self.enabled_bridges)
        return Bridging(rules, self.classifier.taxonomy)

    def bridge_senders(self) -> BridgeSenders:
        """A sender thread per enabled bridge (started by the router worker)."""
        from grid_router.adapters.db.deliveries import SqlDeliveries
        from grid_router.service.bridges import BridgeSender, BridgeSenders, Destination

        store = SqlDeliveries(self.engine)
        self._closers.append(store.close)
        senders = []
        for name, (url, secret) in self.enabled_bridges.items():
            endpoint = self.policy.endpoints[name]
            destination = Destination(
                name=name,
                base_url=url,
                secret=secret,
                max_attempts=endpoint.max_attempts,
                timeout=endpoint.timeout_seconds,
                backoff_first=endpoint.backoff_first_seconds,
                backoff_max=endpoint.backoff_max_seconds,
                breaker_failures=endpoint.breaker_failures,
                breaker_reset=endpoint.breaker_reset_seconds,
            )
            senders.append(BridgeSender(destination, store, self.clock, metrics=self.metrics))
        return BridgeSenders(senders)

    def relay(self, idle_wait: float = 0.5) -> OutboxRelay:
        """The outbox relay; with GRID_PUBLISH_AFTER_COMMIT (on by default) a sweeper that sends
        only rows left behind for GRID_OUTBOX_SWEEP_AFTER seconds."""
        from grid_router.adapters.kafka.clients import KafkaPublisher
        from grid_router.service.relay import OutboxRelay

        s = self.settings
        return OutboxRelay(
            SqlOutbox(self.relay_engine),
            # The relay flushes after every pass, so lingering costs no latency; it lets the
            # producer's I/O thread stay out of the way while a pass appends its records.
            KafkaPublisher(
                self.producer(linger_ms=100, batch_size=1024 * 1024), bootstrap=s.kafka_bootstrap
            ),
            self.clock,
            idle_wait=idle_wait,
            grace=s.outbox_sweep_after if s.publish_after_commit else 0.0,
        )

    def commit_publisher(self) -> CommitPublisher | None:
        """The producer a router process publishes its committed outbox rows with (None when
        GRID_PUBLISH_AFTER_COMMIT is off: the relay sends everything)."""
        if not self.settings.publish_after_commit:
            return None
        from grid_router.adapters.kafka.outage import broker_notice_for
        from grid_router.service.publish import CommitPublisher

        # A short linger: records of one batch travel together, and a lone report's work
        # order waits at most 2 ms for company. A broker outage is said once, by the notice.
        return CommitPublisher(
            self.producer(linger_ms=2), broker_notice_for(self.settings.kafka_bootstrap)
        )

    def router_worker(self, relay_in_process: bool | None = None) -> RouterWorker:
        """The router over its consumer group, with the outbox relay beside it: in a child
        process by default (GRID_RELAY_PROCESS), or in a thread of this process."""
        from grid_router.adapters.kafka.clients import KafkaBatchConsumer
        from grid_router.service.worker import RouterWorker

        consumer = KafkaBatchConsumer(
            self.settings.kafka_bootstrap,
            self.settings.consumer_group,
            [self.topics.reports, self.topics.actions],
            max_records=self.settings.batch_size,
        )
        if relay_in_process is None:
            relay_in_process = self.settings.relay_process
        runner: RelayRunner
        if relay_in_process:
            from grid_router.entrypoints.relay_process import ProcessRelayRunner

            runner = ProcessRelayRunner(self.settings)
        else:
            from grid_router.service.relay_runner import ThreadRelayRunner

            runner = ThreadRelayRunner(self.relay())
        return RouterWorker(
            consumer,
            self.report_router(),
            runner,
            scheduler=self.scheduler(),
            bridges=self.bridge_senders(),
            pollers=self.pollers(),
            metrics=self.router_metrics,
            publisher=self.commit_publisher(),
        )

    @functools.cached_property
    def metrics(self) -> GridMetrics:
        """This process's metrics (one registry per app)."""
        from grid_router.service.metrics import GridMetrics

        return GridMetrics()

    @functools.cached_property
    def router_metrics(self) -> GridMetrics:
        """This process's metrics with what a router adds: the database gauges (open
        incidents, outbox backlog, last report per district) and the scheduler's heartbeat."""
        from grid_router.adapters.db.stats import gauge_reader

        districts = {d.code: d.name for d in self.org.districts}
        self.metrics.watch_database(gauge_reader(self.engine, districts, self.clock))
        self.metrics.router_started()
        return self.metrics

    def serve_metrics(self, port: int | None = None, host: str = "0.0.0.0") -> int:
        """Serve this process's metrics on http://host:port/metrics (GRID_METRICS_PORT by
        default; 0 picks a free port); returns the port. Stops with the app."""
        from prometheus_client import start_http_server

        if port is None:
            port = self.settings.metrics_port
        if port is None:
            port = DEFAULT_METRICS_PORT
        try:
            server, thread = start_http_server(port, host, self.metrics.registry)
        except OSError as exc:
            raise ConfigurationError(
                f"cannot serve metrics on {host}:{port} ({exc.strerror or exc}): set "
                "GRID_METRICS_PORT to a free port (each process on a host needs its own; 0 "
                "picks one)"
            ) from exc

        def stop() -> None:
            server.shutdown()
            server.server_close()
            thread.join(5)

        self._closers.append(stop)
        return int(server.server_address[1])

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()
