"""The HTTP API (DESIGN §7): one ASGI application for grid workers' apps and dispatch centres.

Reports and actions go to Kafka (the router stays the only writer of incident state); status and
queues are read from the database. Every caller authenticates with a token; every error has one
shape. `create_api` is the only constructor; `grid-router api` serves it on uvicorn.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Annotated, Any, Final, Literal, Protocol

from fastapi import FastAPI, File, Header, Path, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from kafka.errors import KafkaError
from limits.storage import Storage
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from grid_router.adapters.db.outage import RETRY_AFTER_SECONDS, database_unavailable
from grid_router.adapters.db.views import (
    EventRecord,
    QueueItem,
    breach_due,
    event_record,
    mask_name,
    mask_phone,
    unit_queue,
)
from grid_router.adapters.photos import PhotoError, PhotoStorage
from grid_router.domain.model import Level, Severity, Source, State
from grid_router.domain.org import Organisation, UnknownUnit
from grid_router.domain.sla import SlaStage
from grid_router.domain.status import LEVEL_NAMES, action_name, state_name, summary
from grid_router.domain.taxonomy import Taxonomy
from grid_router.entrypoints.api import errors
from grid_router.entrypoints.api.bridges_inbound import install_bridges
from grid_router.entrypoints.api.errors import COMMON_ERRORS, ApiError, BodyLimit
from grid_router.entrypoints.api.models import (
    ActionAccepted,
    ActionIn,
    DeadlinesOut,
    ErrorOut,
    EventOut,
    Health,
    PhotoStored,
    QueueItemOut,
    QueueOut,
    ReportAccepted,
    ReporterOut,
    StepOut,
)
from grid_router.entrypoints.api.open311 import install_open311
from grid_router.entrypoints.api.security import Authenticator, Caller, RateLimits
from grid_router.entrypoints.api.throttle import DEFAULT_FAILURES_PER_MINUTE, AuthThrottle
from grid_router.entrypoints.contracts import ReporterIn, ReportSubmission
from grid_router.entrypoints.desk import install_desk
from grid_router.service.auth import Principal, Role
from grid_router.service.desk import (
    REPORTER_ID_LENGTH,
    ActionDesk,
    NotFoundError,
    ReportDesk,
    check_report,
    may_see,
)
from grid_router.service.live import LiveHub
from grid_router.service.metrics import GridMetrics

log = logging.getLogger("grid_router.api")

API_VERSION = "1.0.0"

NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "no such incident or unit that this token may see"}
}
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorOut,
        "description": "refused: the incident's state or the rules do not allow it (the code "
        "says why), or an Idempotency-Key reused with a different body",
    }
}


@dataclass(frozen=True, slots=True)
class ApiParts:
    """What the API needs from the wiring point."""

    engine: Engine
    org: Organisation
    tokens: Authenticator
    reports: ReportDesk
    actions: ActionDesk
    photos: PhotoStorage
    clock: Callable[[], datetime]
    max_body_bytes: int
    max_photo_bytes: int
    taxonomy: Taxonomy
    bridge_secrets: Mapping[str, str] = field(default_factory=dict)
    """Shared secrets of the bridges whose webhooks are on, by bridge name."""
    metrics: GridMetrics | None = None
    """Where requests are counted (grid_api_*); None counts nothing."""
    live: LiveHub = field(default_factory=LiveHub)
    """Where the desk's open pages hear of changes."""
    live_feed: LiveFeed | None = None
    # Reminders (催办) from the database, whichever API process received them; without it, a
    # reminder is pushed only to the pages of the process that received it.
    reminder_feed: LiveFeed | None = None
    """What feeds `live` from Kafka while the app runs (started and stopped with it)."""

    public_categories: frozenset[str] = frozenset()
    """Categories Open311 shows without an api_key (the policy's `access.public_categories`)."""
    failed_auth_per_minute: int = DEFAULT_FAILURES_PER_MINUTE
    """Failed authentications a minute per address or token prefix before 429."""
    rate_limit_storage: Storage | None = None
    """Where rate limits and failed authentications are counted: the database, so that every
    API process counts against one limit (`adapters/db/limits.py`); None: in this process."""


class LiveFeed(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


class AccessLog:
    """One log line per request; never a body, a name or a phone number. Plain ASGI: Starlette's
    BaseHTTPMiddleware (`@api.middleware`) cost about 1 ms of CPU per request, and the API
    could not keep up with 500 reports/s (docs/benchmarks.md, HTTP API)."""

    def __init__(self, app: ASGIApp, metrics: GridMetrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            took = time.perf_counter() - started
            log.info(
                "%s %s %d %.1fms token=%s",
                scope["method"],
                scope["path"],
                status,
                took * 1000,
                scope.get("state", {}).get("token_prefix", "-"),
            )
            if self.metrics is not None:
                # The route's template, never the path: ids would make a label per request.
                route = getattr(scope.get("route"), "path", "unmatched")
                self.metrics.api_requests.labels(route, scope["method"], str(status)).inc()
                self.metrics.api_duration.labels(route).observe(took)


def create_api(parts: ApiParts) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        feeds = [f for f in (parts.live_feed, parts.reminder_feed) if f is not None]
        for feed in feeds:
            feed.start()
        try:
            yield
        finally:
            for feed in feeds:
                feed.stop()
            api.state.rate_limits.close()  # unspent leased requests back to the database

    api = FastAPI(
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        title="grid_router",
        version=API_VERSION,
        summary="Reports from grid workers' apps, status for residents, queues and actions for "
        "dispatch centres of Xiamen's four-level grid chain (网格化服务管理).",
        responses=COMMON_ERRORS,
    )
    api.state.tokens = parts.tokens
    api.state.live_feed = parts.live_feed
    api.state.rate_limits = RateLimits(parts.rate_limit_storage)
    api.state.auth_throttle = AuthThrottle(
        parts.failed_auth_per_minute, parts.metrics, parts.rate_limit_storage
    )
    errors.install(api)
    api.add_middleware(
        BodyLimit,
        max_bytes=parts.max_body_bytes,
        overrides={"/api/v1/photos": parts.max_photo_bytes + 64 * 1024},
    )

    api.add_middleware(AccessLog, metrics=parts.metrics)

    @api.exception_handler(KafkaError)
    async def kafka_down(_: Request, exc: KafkaError) -> JSONResponse:
        log.warning("Kafka unavailable: %s", exc)
        return errors.error_response(
            503, "UNAVAILABLE", "Kafka did not acknowledge in time; nothing was accepted, retry"
        )

    @api.exception_handler(DBAPIError)
    async def db_down(request: Request, exc: DBAPIError) -> JSONResponse:
        if not database_unavailable(exc):
            return await errors.internal_error(request, exc)
        # Said once per outage by the engine's notice, not once per request.
        return errors.error_response(
            503,
            "UNAVAILABLE",
            "the database is unavailable; retry",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )

    _routes(api, parts)
    install_desk(api, parts, parts.live)
    install_open311(api, parts, parts.taxonomy)
    install_bridges(api, parts, parts.bridge_secrets)
    if parts.metrics is not None:
        parts.metrics.watch_counts(
            "grid_bridge_bad_signatures",
            "Bridge webhook calls refused for a bad or missing signature.",
            "bridge",
            api.state.bad_signatures,
            known=parts.bridge_secrets,
        )
    return api


_REPORTER_ROLES: Final[dict[Role, str]] = {
    Role.GRID_WORKER: "grid_worker",
    Role.DISPATCHER: "operator",
    Role.VERIFIER: "supervisor",
    Role.OPERATOR: "operator",
}


def _reporter(who: Principal, body: ReportSubmission) -> ReporterIn:
    """Who reported, from the token: its holder (the token's name, as long as the stored id may
    be) unless the body names the person, and always the token's role. A bridge forwards other
    people's reports, so the reporter it sends is kept (a citizen if it sends none)."""
    sent = "reporter" in body.model_fields_set
    if who.role is Role.BRIDGE:
        return (
            body.reporter if sent else ReporterIn(id=who.name[:REPORTER_ID_LENGTH], role="citizen")
        )
    person = body.reporter.id if sent else who.name[:REPORTER_ID_LENGTH]
    return body.reporter.model_copy(update={"id": person, "role": _REPORTER_ROLES[who.role]})


def serve_metrics_at(api: FastAPI, registry: CollectorRegistry) -> None:
    """Answer GET /metrics (Prometheus text) on the API's own port; not in the OpenAPI document,
    no token (as a separate metrics port would be)."""

    @api.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


EventId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]
UnitCode = Annotated[str, Path(pattern=r"^\d{6}(\d{3}){0,2}$", description="division code")]


def _routes(api: FastAPI, parts: ApiParts) -> None:
    @api.get("/healthz", response_model=Health, tags=["operations"])
    def healthz() -> Health:
        """Liveness: the process answers. No token needed (for probes)."""
        return Health(status="ok")

    @api.get(
        "/readyz",
        response_model=Health,
        tags=["operations"],
        responses={503: {"model": ErrorOut, "description": "the database does not answer"}},
    )
    def readyz() -> Health:
        """Readiness: this process reaches its database. No token needed (for probes). Kafka
        is not checked: every process shares it, and an outage taking every replica out of
        service at once would answer nobody; instead each report is answered 503 UNAVAILABLE
        while Kafka does not acknowledge."""
        with parts.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return Health(status="ready")

    @api.post(
        "/api/v1/reports",
        status_code=202,
        response_model=ReportAccepted,
        responses=CONFLICT,
        tags=["reports"],
        summary="Submit an incident report (202 once it is durably in Kafka)",
    )
    def submit_report(
        body: ReportSubmission,
        who: Caller,
        idempotency_key: Annotated[
            str | None,
            Header(
                min_length=1,
                max_length=255,
                description="the same key (per token) returns the same event id and creates "
                "nothing new; reused with another body it is refused (409)",
            ),
        ] = None,
    ) -> ReportAccepted:
        sent = body.model_dump(mode="json", exclude_unset=True)
        if "source" not in body.model_fields_set:
            body = body.model_copy(update={"source": _default_source(who)})
        body = body.model_copy(update={"reporter": _reporter(who, body)})
        report = body.to_report(parts.clock())
        check_report(who, report, parts.org)
        done = parts.reports.submit(who, report, sent, idempotency_key)
        return ReportAccepted(
            event_id=done.event_id,
            status_url=f"/api/v1/events/{done.event_id}",
            replayed=done.replayed,
        )

    @api.post(
        "/api/v1/photos",
        status_code=201,
        response_model=PhotoStored,
        tags=["reports"],
        summary="Upload a photo (JPEG, PNG or WebP); reference it in a report or an action",
    )
    def upload_photo(
        who: Caller, photo: Annotated[UploadFile, File(description="the image")]
    ) -> PhotoStored:
        data = photo.file.read(parts.max_photo_bytes + 1)
        try:
            stored = parts.photos.put(data)
        except PhotoError as exc:
            raise ApiError(422, "INVALID_PHOTO", str(exc), [("photo", str(exc))]) from exc
        return PhotoStored(
            url=f"/api/v1/photos/{stored.sha256}",
            sha256=stored.sha256,
            content_type=stored.content_type,
            size=stored.size,
        )

    @api.get(
        "/api/v1/photos/{sha256}",
        responses={**NOT_FOUND, 200: {"content": {"image/jpeg": {}, "image/png": {}}}},
        response_class=Response,
        tags=["reports"],
        summary="Fetch an uploaded photo",
    )
    def get_photo(who: Caller, sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")]) -> Response:
        found = parts.photos.get(sha256)
        if found is None:
            raise NotFoundError(f"no photo {sha256}")
        data, kind = found
        return Response(data, media_type=kind)

    @api.get(
        "/api/v1/events/{event_id}",
        response_model=EventOut,
        responses=NOT_FOUND,
        tags=["events"],
        summary="Everything about one incident: state, who has it, deadlines, history",
    )
    def get_event(event_id: EventId, who: Caller) -> EventOut:
        with parts.engine.connect() as conn:
            record = event_record(conn, event_id)
        if record is None or not may_see(who, record.row, record.units):
            raise NotFoundError(f"no incident {event_id} that this token may see")
        return _event_out(record, parts.clock())

    @api.post(
        "/api/v1/events/{event_id}/actions",
        status_code=202,
        response_model=ActionAccepted,
        responses={**NOT_FOUND, **CONFLICT},
        tags=["events"],
        summary="Act on an incident (checked now, applied by the router)",
    )
    def post_action(event_id: EventId, body: ActionIn, who: Caller) -> ActionAccepted:
        action_id, change = parts.actions.submit(who, event_id, body.model_dump(mode="json"))
        return ActionAccepted(
            action_id=action_id,
            event_id=event_id,
            status_url=f"/api/v1/events/{event_id}",
            expected_state=change.incident.state.value,
            expected_unit_code=change.incident.unit_code,
        )

    @api.get(
        "/api/v1/units/{unit_code}/queue",
        response_model=QueueOut,
        responses=NOT_FOUND,
        tags=["units"],
        summary="A dispatch centre's open work orders, overdue first",
    )
    def get_queue(
        unit_code: UnitCode,
        who: Caller,
        kind: Annotated[Literal["ACTION", "INFO_COPY"], Query()] = "ACTION",
        state: Annotated[State | None, Query(description="only incidents in this state")] = None,
        category: Annotated[
            str | None, Query(pattern=r"^[A-Z_]{2,32}$", description="a category code")
        ] = None,
        overdue: Annotated[bool, Query(description="only overdue work orders")] = False,
        limit: Annotated[int, Query(ge=1, le=200)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> QueueOut:
        if not _may_read_queue(who, unit_code):
            raise NotFoundError(f"no unit {unit_code} whose queue this token may read")
        try:
            unit = parts.org.unit(unit_code)
        except UnknownUnit as exc:
            raise NotFoundError(f"no unit {unit_code} whose queue this token may read") from exc
        with parts.engine.connect() as conn:
            items, total = unit_queue(
                conn, unit_code, parts.clock(), kind=kind, state=state.value if state else None,
                category=category, overdue_only=overdue, limit=limit, offset=offset,
            )  # fmt: skip
        return QueueOut(
            unit_code=unit.code,
            unit_name=unit.name,
            total=total,
            limit=limit,
            offset=offset,
            items=[_queue_item_out(i) for i in items],
        )


def _queue_item_out(item: QueueItem) -> QueueItemOut:
    fields = {k: v for k, v in asdict(item).items() if k in QueueItemOut.model_fields}
    return QueueItemOut(**fields, state_name=state_name(item.state))


def _default_source(who: Principal) -> Source:
    return Source.GRID_APP if who.role is Role.GRID_WORKER else Source.OTHER


def _may_read_queue(who: Principal, unit_code: str) -> bool:
    if who.role is Role.GRID_WORKER:
        return False
    return who.role in (Role.OPERATOR, Role.BRIDGE) or who.sees_unit(unit_code)


def _event_out(record: EventRecord, now: datetime) -> EventOut:
    r: Any = record.row
    state = State(r.state)
    sign_by = breach_due(record.deadlines, SlaStage.SIGN)
    handle_by = breach_due(record.deadlines, SlaStage.HANDLE)
    verify_by = breach_due(record.deadlines, SlaStage.VERIFY)
    overdue = any(d is not None and d < now for d in (sign_by, handle_by, verify_by))
    return EventOut(
        event_id=r.event_id,
        version=r.version,
        state=r.state,
        state_name=state_name(r.state),
        summary=summary(state, r.unit_name, r.department, sign_by, handle_by, r.merged_into),
        category_code=r.category_code,
        category_name=r.category_name,
        subcategory_code=r.subcategory_code,
        severity=r.severity,
        severity_name=Severity(r.severity).chinese,
        level=r.level,
        level_name=LEVEL_NAMES[Level(r.level)],
        unit_code=r.unit_code,
        unit_name=r.unit_name,
        department=r.department,
        deadlines=DeadlinesOut(sign_by=sign_by, handle_by=handle_by, verify_by=verify_by),
        overdue=overdue,
        report_count=r.report_count,
        merged_reports=list(record.merged_reports),
        merged_into=r.merged_into,
        burst_id=r.burst_id,
        source=r.source,
        external_ref=r.external_ref,
        title=r.title,
        description=r.description,
        address=r.address,
        grid_code=r.grid_code,
        community_code=r.community_code,
        street_code=r.street_code,
        district_code=r.district_code,
        reporter=ReporterOut(
            id=r.reporter_id,
            role=r.reporter_role,
            name=mask_name(r.reporter_name),
            phone=mask_phone(r.reporter_phone),
        ),
        reported_at=r.reported_at,
        filed_at=r.filed_at,
        updated_at=r.updated_at,
        closed_at=r.closed_at,
        history=[
            StepOut(
                **asdict(s), action_name=action_name(s.action), state_name=state_name(s.to_state)
            )
            for s in record.history
        ],
    )
