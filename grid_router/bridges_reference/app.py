"""The reference far sides: one FastAPI application that plays the 12345 hotline (`/hotline`),
数字城管 (`/citymgmt`) and the public-safety platform (`/public-safety`) as docs/bridges.md and
the OpenAPI documents in docs/bridges/ say they behave, plus a control API (`/_control/…`,
unsigned) for test harnesses: failure modes, what was received, tickets to pull, and signed
calls to grid_router's own webhooks.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from urllib.parse import quote

import httpx
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from starlette.types import Receive, Scope, Send

from grid_router.bridges_reference.models import (
    Case,
    CaseProgress,
    DeliveryAck,
    ModeIn,
    ModeOut,
    Notification,
    QueuedOut,
    ReceivedOut,
    Ticket,
    TicketPage,
    TicketProgress,
)
from grid_router.bridges_reference.state import ReferenceState
from grid_router.service.bridges import (
    IDEMPOTENCY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    sign,
    verify,
)

HOTLINE: Final = "hotline"
CITYMGMT: Final = "citymgmt"
PUBLIC_SAFETY: Final = "public-safety"
FAR_SIDES: Final = (HOTLINE, CITYMGMT, PUBLIC_SAFETY)
"""The far sides, each under `/<name>` of the reference server, each with its own secret."""

SECRET_ENV: Final = {
    HOTLINE: "GRID_BRIDGE_HOTLINE_SECRET",
    CITYMGMT: "GRID_BRIDGE_CITYMGMT_SECRET",
    PUBLIC_SAFETY: "GRID_BRIDGE_PUBLIC_SAFETY_SECRET",
}
"""The environment variable of each far side's shared secret (as the bundled policy names it)."""

URL_ENV: Final = {
    HOTLINE: "GRID_BRIDGE_HOTLINE_URL",
    CITYMGMT: "GRID_BRIDGE_CITYMGMT_URL",
    PUBLIC_SAFETY: "GRID_BRIDGE_PUBLIC_SAFETY_URL",
}
"""The environment variable of each far side's base URL, for grid_router's senders."""

BRIDGES: Final = {
    HOTLINE: ("hotline-12345",),
    CITYMGMT: ("citymgmt", "citymgmt-progress"),
    PUBLIC_SAFETY: ("public-safety",),
}
"""The policy's bridges each far side receives."""

TOLERANCE_SECONDS: Final = 300.0
RAW_SEND: Final = "grid_router.reference.send"  # the server's own `send`, kept in the scope


class ErrorAnswer(Exception):  # noqa: N818 (an answer, not a failure of this server)
    """An answer in grid_router's error shape."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields = list(fields)
        self.headers = dict(headers or {})

    def response(self) -> JSONResponse:
        body = {
            "error": {
                "code": self.code,
                "message": self.message,
                "fields": [{"path": p, "message": m} for p, m in self.fields],
            }
        }
        return JSONResponse(body, status_code=self.status, headers=self.headers)


@dataclass(frozen=True, slots=True)
class _Operation:
    """One delivery endpoint: its far side, the bridge it serves, the payload's model, and the
    payload fields that must agree with the path and with the idempotency key."""

    far_side: str
    bridge: str
    model: type[BaseModel]
    event_field: str  # the payload field that is the key's event id
    version_field: str | None  # the payload field that is the key's version
    path_field: str | None = None  # the payload field the path names

    @property
    def key_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.bridge)}:(.+):([1-9][0-9]*)$")


_PROGRESS = _Operation(HOTLINE, "hotline-12345", TicketProgress, "event_id", "version", "ticket_no")
_CASES = _Operation(CITYMGMT, "citymgmt", Case, "case_no", None)
_CASE_PROGRESS = _Operation(
    CITYMGMT, "citymgmt-progress", CaseProgress, "event_id", "version", "case_no"
)
_NOTIFICATIONS = _Operation(PUBLIC_SAFETY, "public-safety", Notification, "notice_id", "version")

SendWhat = Literal["hotline-ticket", "hotline-callback", "citymgmt-case", "citymgmt-status"]
_SENDS: Final[Mapping[str, tuple[str, str, str | None]]] = {
    # what: (the far side whose secret signs, the path on grid_router, the path's field)
    "hotline-ticket": (HOTLINE, "/bridges/12345/tickets", None),
    "hotline-callback": (HOTLINE, "/bridges/12345/tickets/{}/callback", "ticket_no"),
    "citymgmt-case": (CITYMGMT, "/bridges/citymgmt/cases", None),
    "citymgmt-status": (CITYMGMT, "/bridges/citymgmt/cases/{}/status", "case_no"),
}


class _ReferenceApp(FastAPI):
    """FastAPI, keeping the server's own `send` in the scope: the `down` mode closes the
    connection through it (uvicorn's exchange object holds the transport)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope[RAW_SEND] = send
        await super().__call__(scope, receive, send)


def create_reference_app(
    secrets: dict[str, str],
    grid_router_url: str | None,
    record: Path | None,
    *,
    grid_router_token: str | None = None,
    grid_router_transport: httpx.AsyncBaseTransport | None = None,
    strict: bool = True,
    clock: Callable[[], float] = time.time,
) -> FastAPI:
    """The reference server of every far side.

    `secrets`: the shared secret of each far side (`hotline`, `citymgmt`, `public-safety`);
    `grid_router_url`: grid_router's API base URL, for `/_control/send/…` (None: those answer
    503); `record`: a JSON-lines file every accepted delivery is appended to.
    `grid_router_token` is sent as `Authorization: Bearer` with the calls to grid_router (its
    webhooks need none; harmless otherwise); `grid_router_transport` replaces the network
    (tests); `strict=False` accepts any JSON object as a payload instead of the documents'
    shapes (for a policy whose payloads differ from the bundled one); `clock` gives the time
    signatures are checked against and made with.
    """
    missing = [f for f in FAR_SIDES if not secrets.get(f)]
    if missing:
        raise ValueError(f"no secret for far side(s) {', '.join(missing)}")
    app = _ReferenceApp(
        title="grid_router reference far sides (12345 热线, 数字城管, 公共安全平台)",
        version="1.0.0",
        description="Plays the far sides of grid_router's bridges as docs/bridges.md says; "
        "`/_control/…` is for test harnesses. Contracts: docs/bridges/*.yaml.",
    )
    far = _FarSides(ReferenceState(FAR_SIDES, record), dict(secrets), strict, clock)
    sender = _Sender(
        dict(secrets), grid_router_url, grid_router_token, grid_router_transport, clock
    )
    app.state.reference = far.state
    app.add_exception_handler(ErrorAnswer, _answer)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    _far_side_routes(app, far)
    _control_routes(app, far, sender)
    return app


async def _answer(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, ErrorAnswer)
    return exc.response()


async def _invalid_request(_: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    fields = [
        (".".join(str(p) for p in e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors()
    ]
    shown = "; ".join(f"{p}: {m}" for p, m in fields[:10])
    return ErrorAnswer(422, "INVALID_REQUEST", f"not valid: {shown}", fields).response()


# --- the far sides ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FarSides:
    state: ReferenceState
    secrets: dict[str, str]
    strict: bool
    clock: Callable[[], float]

    async def admit(self, request: Request, far_side: str) -> bytes:
        """Answer as the far side's failure mode says, or check the signature: the raw body."""
        mode = self.state.take_mode(far_side)
        if mode.mode == "error":
            raise ErrorAnswer(
                mode.status, "INTERNAL", f"reference {far_side}: failing on purpose (mode error)"
            )
        if mode.mode == "throttle":
            raise ErrorAnswer(
                429,
                "RATE_LIMITED",
                f"reference {far_side}: throttling (mode throttle)",
                headers={"Retry-After": f"{mode.seconds:g}"},
            )
        if mode.mode == "down":
            await _drop(request)
            raise ErrorAnswer(503, "UNAVAILABLE", f"reference {far_side}: down (mode down)")
        # Read before a slow mode's wait: a caller that gives up meanwhile has still delivered
        # (as with a far side that is slow to answer), and its retry is answered as a repeat.
        body = await request.body()
        if mode.mode == "slow":
            await asyncio.sleep(mode.seconds)
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        signature = request.headers.get(SIGNATURE_HEADER)
        if not verify(
            self.secrets[far_side], timestamp, signature, body, self.clock(), TOLERANCE_SECONDS
        ):
            self.state.count(far_side, "bad_signature")
            raise ErrorAnswer(
                401,
                "BAD_SIGNATURE",
                f"missing or wrong {SIGNATURE_HEADER}, or {TIMESTAMP_HEADER} more than "
                f"{TOLERANCE_SECONDS:g} s off: sign `<timestamp>.<body>` with the {far_side} "
                "secret (docs/bridges.md)",
            )
        return body

    async def deliver(self, request: Request, op: _Operation, path_value: str | None) -> Any:
        body = await self.admit(request, op.far_side)
        try:
            payload, key = _check_delivery(request, op, body, path_value, self.strict)
        except ErrorAnswer:
            self.state.count(op.far_side, "invalid")
            raise
        path = _received_path(request, op.far_side)
        outcome = self.state.deliver(op.far_side, op.bridge, request.method, path, key, payload)
        if outcome.conflict:
            raise ErrorAnswer(
                422,
                "IDEMPOTENCY_KEY_REUSED",
                f"{key} was received before with another payload: a key is one delivery",
                [(f"header.{IDEMPOTENCY_HEADER}", "reused with another payload")],
            )
        return DeliveryAck(duplicate=outcome.duplicate, idempotency_key=key, count=outcome.count)

    async def tickets(self, request: Request, since: str | None, limit: str | None) -> Any:
        await self.admit(request, HOTLINE)
        start = _int_param("since", since, 0, None, 0)
        count = _int_param("limit", limit, 1, 100, 100)
        self.state.count(HOTLINE, "pulls")
        tickets, cursor = self.state.tickets_since(start, count)
        return TicketPage(tickets=tickets, cursor=cursor)


def _far_side_routes(app: FastAPI, far: _FarSides) -> None:
    @app.post(
        "/hotline/tickets/{ticket_no:path}/progress",
        response_model=DeliveryAck,
        tags=["hotline"],
        summary="hotline-12345: the progress of a ticket",
    )
    async def ticket_progress(request: Request, ticket_no: str) -> Any:
        return await far.deliver(request, _PROGRESS, ticket_no)

    @app.get(
        "/hotline/tickets",
        response_model=TicketPage,
        tags=["hotline"],
        summary="hotline: the pull API (tickets after a cursor)",
    )
    async def list_tickets(
        request: Request, since: str | None = None, limit: str | None = None
    ) -> Any:
        return await far.tickets(request, since, limit)

    @app.post(
        "/citymgmt/cases",
        response_model=DeliveryAck,
        tags=["citymgmt"],
        summary="citymgmt: a new case",
    )
    async def cases(request: Request) -> Any:
        return await far.deliver(request, _CASES, None)

    @app.post(
        "/citymgmt/cases/{case_no:path}/progress",
        response_model=DeliveryAck,
        tags=["citymgmt"],
        summary="citymgmt-progress: the progress of a case",
    )
    async def case_progress(request: Request, case_no: str) -> Any:
        return await far.deliver(request, _CASE_PROGRESS, case_no)

    @app.post(
        "/public-safety/notifications",
        response_model=DeliveryAck,
        tags=["public-safety"],
        summary="public-safety: a notification",
    )
    async def notifications(request: Request) -> Any:
        return await far.deliver(request, _NOTIFICATIONS, None)


# --- control ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Sender:
    """Signed calls to grid_router's webhooks, as a far side makes them."""

    secrets: dict[str, str]
    url: str | None
    token: str | None
    transport: httpx.AsyncBaseTransport | None
    clock: Callable[[], float]

    async def send(
        self, what: str, body: bytes, signature: str, ticket_no: str | None, case_no: str | None
    ) -> Response:
        far_side, template, path_field = _SENDS[what]
        path = template
        if path_field is not None:
            given = ticket_no if path_field == "ticket_no" else case_no
            body, given = _take_path_field(body, path_field, given)
            path = template.format(quote(given, safe=""))
        if self.url is None:
            raise ErrorAnswer(
                503, "NO_GRID_ROUTER", "started without a grid_router URL (--grid-router-url)"
            )
        timestamp = str(int(self.clock()) - (600 if signature == "stale" else 0))
        headers = {"Content-Type": "application/json", TIMESTAMP_HEADER: timestamp}
        if signature != "none":
            secret = self.secrets[far_side] + ("-wrong" if signature == "bad" else "")
            headers[SIGNATURE_HEADER] = sign(secret, timestamp, body)
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = self.url.rstrip("/") + path
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=30) as client:
                answer = await client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ErrorAnswer(
                502, "GRID_ROUTER_UNREACHABLE", f"cannot reach grid_router at {url}: {exc}"
            ) from exc
        passed = {"X-Reference-Forwarded-To": url}
        if "content-type" in answer.headers:
            passed["Content-Type"] = answer.headers["content-type"]
        return Response(answer.content, status_code=answer.status_code, headers=passed)


def _control_routes(app: FastAPI, far: _FarSides, sender: _Sender) -> None:
    state = far.state

    @app.get("/_control/health", tags=["control"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/_control/mode", response_model=list[ModeOut], tags=["control"])
    async def modes() -> Any:
        return state.modes()

    @app.post("/_control/mode/{far_side}", response_model=ModeOut, tags=["control"])
    async def set_mode(far_side: str, spec: ModeIn) -> Any:
        return state.set_mode(_far_side(far_side), spec)

    @app.get("/_control/received", response_model=ReceivedOut, tags=["control"])
    async def received(
        bridge: Annotated[str | None, Query(description="a bridge of the policy")] = None,
        far_side: Annotated[
            str | None, Query(description="hotline, citymgmt or public-safety")
        ] = None,
    ) -> Any:
        return state.received(_far_side(far_side) if far_side else None, bridge)

    @app.post("/_control/reset", tags=["control"])
    async def reset() -> dict[str, bool]:
        state.reset()
        return {"reset": True}

    @app.post("/_control/hotline/tickets", response_model=QueuedOut, tags=["control"])
    async def queue_tickets(request: Request) -> Any:
        items = _tickets(await request.body())
        return QueuedOut(queued=len(items), cursor=state.queue_tickets(items))

    @app.post("/_control/send/{what}", tags=["control"])
    async def send(
        request: Request,
        what: SendWhat,
        signature: Literal["good", "bad", "none", "stale"] = "good",
        ticket_no: str | None = None,
        case_no: str | None = None,
    ) -> Response:
        return await sender.send(what, await request.body(), signature, ticket_no, case_no)


# --- helpers ------------------------------------------------------------------------------------


def _far_side(name: str) -> str:
    if name not in FAR_SIDES:
        raise ErrorAnswer(404, "NOT_FOUND", f"no far side {name!r}: one of {', '.join(FAR_SIDES)}")
    return name


def _int_param(name: str, value: str | None, low: int, high: int | None, default: int) -> int:
    if value is None:
        return default
    number = int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else -1
    if number < low or (high is not None and number > high):
        bounds = f"{low}..{high}" if high is not None else f"{low} or more"
        raise ErrorAnswer(
            422,
            "INVALID_REQUEST",
            f"query {name} must be an integer {bounds}",
            [(f"query.{name}", f"an integer {bounds}")],
        )
    return number


def _invalid(exc: ValidationError, prefix: str = "body") -> ErrorAnswer:
    fields = [(".".join([prefix, *(str(p) for p in e["loc"])]), e["msg"]) for e in exc.errors()]
    shown = "; ".join(f"{p}: {m}" for p, m in fields[:10])
    return ErrorAnswer(422, "INVALID_REQUEST", f"the payload does not conform: {shown}", fields)


def _check_delivery(
    request: Request, op: _Operation, body: bytes, path_value: str | None, strict: bool
) -> tuple[dict[str, Any], str]:
    """The payload and its idempotency key, once both conform to the contract."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    found = op.key_pattern.match(key)
    if found is None:
        raise ErrorAnswer(
            422,
            "INVALID_REQUEST",
            f"{IDEMPOTENCY_HEADER} must be {op.bridge}:<event id>:<version>, not {key!r}",
            [(f"header.{IDEMPOTENCY_HEADER}", f"{op.bridge}:<event id>:<version>")],
        )
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise ErrorAnswer(422, "INVALID_REQUEST", f"the body is not JSON: {exc}") from exc
    if not isinstance(payload, dict):
        raise ErrorAnswer(422, "INVALID_REQUEST", "the body must be a JSON object")
    if strict:
        try:
            op.model.model_validate_json(body)
        except ValidationError as exc:
            raise _invalid(exc) from exc
    wrong: list[tuple[str, str]] = []
    if op.path_field is not None and payload.get(op.path_field) != path_value:
        wrong.append((f"body.{op.path_field}", f"must equal the path's {path_value!r}"))
    if payload.get(op.event_field) != found.group(1):
        wrong.append((f"body.{op.event_field}", f"must equal the key's event id {found.group(1)}"))
    if op.version_field is not None and payload.get(op.version_field) != int(found.group(2)):
        wrong.append((f"body.{op.version_field}", f"must equal the key's version {found.group(2)}"))
    if wrong:
        raise ErrorAnswer(
            422,
            "INVALID_REQUEST",
            "the payload disagrees with the path or the idempotency key: "
            + "; ".join(f"{p} {m}" for p, m in wrong),
            wrong,
        )
    return payload, key


def _received_path(request: Request, far_side: str) -> str:
    """The path on the far side's base URL, as sent (still percent-encoded)."""
    raw = request.scope.get("raw_path") or request.url.path.encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    prefix = f"/{far_side}"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _tickets(body: bytes) -> list[dict[str, Any]]:
    """Tickets to queue for the pull API: one object or an array, each a valid ticket."""
    try:
        raw = json.loads(body)
    except ValueError as exc:
        raise ErrorAnswer(422, "INVALID_REQUEST", f"the body is not JSON: {exc}") from exc
    items = raw if isinstance(raw, list) else [raw]
    for i, item in enumerate(items):
        try:
            Ticket.model_validate_json(json.dumps(item, ensure_ascii=False))
        except ValidationError as exc:
            raise _invalid(exc, prefix=f"body.{i}" if isinstance(raw, list) else "body") from exc
    return items


def _take_path_field(body: bytes, field: str, given: str | None) -> tuple[bytes, str]:
    """The body to send and the path's ticket or case number: the query's, or the body's field
    (then taken out of the body)."""
    if given:
        return body, given
    try:
        obj = json.loads(body)
    except ValueError:
        obj = None
    if not isinstance(obj, dict) or not isinstance(obj.get(field), str) or not obj[field]:
        raise ErrorAnswer(
            422,
            "INVALID_REQUEST",
            f"name the {field}: as the query parameter {field}, or as a field of the body (it "
            "is taken out before sending)",
            [(f"body.{field}", "required unless given as a query parameter")],
        )
    value = str(obj.pop(field))
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode(), value


async def _drop(request: Request) -> None:
    """Close the client's connection without an answer, where the server lets us (uvicorn:
    its exchange object holds the transport; once it is closed, nothing more is written)."""
    raw_send = request.scope.get(RAW_SEND)
    transport = getattr(getattr(raw_send, "__self__", None), "transport", None)
    closing = getattr(transport, "is_closing", None)
    if transport is not None and callable(closing) and not closing():
        transport.close()
        # Let the server see the connection lost before the 503 is "sent" into nothing.
        await asyncio.sleep(0.01)
