"""The inbound side of the bridges: webhooks for the 12345 hotline and 数字城管 (docs/bridges.md,
"Inbound"), under `/bridges/`.

- `POST /bridges/12345/tickets`: a ticket → a HOTLINE report;
- `POST /bridges/12345/tickets/{ticket_no}/callback`: the follow-up call (回访) → CLOSE, REOPEN
  or VERIFY;
- `POST /bridges/citymgmt/cases`: a case raised by 数字城管 → a CITY_MGMT report;
- `POST /bridges/citymgmt/cases/{case_no}/status`: a status callback → a dispatch action.

No API token: every request is signed with the bridge's shared secret, and the signature is
checked on the raw body before anything else (401 `BAD_SIGNATURE`, counted per bridge in
`api.state.bad_signatures`). A bridge whose secret is not set has no webhooks (404). The bridge
then acts as a principal of role BRIDGE (reports anywhere, acts as the system), through the
same desks as the rest of the API: reports and actions go to Kafka, and actions are checked
against the incident's state first (409 with the workflow's reason).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Coroutine, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from fastapi import Depends, FastAPI, Header, Path, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field
from sqlalchemy import Engine, select

from grid_router.adapters.db.tables import inbox, incidents
from grid_router.domain.model import Source, State
from grid_router.entrypoints.api.errors import ApiError
from grid_router.entrypoints.api.models import ErrorOut
from grid_router.entrypoints.api.security import client_address
from grid_router.entrypoints.api.throttle import AuthThrottle
from grid_router.service.auth import Principal, Role
from grid_router.service.bridges import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from grid_router.service.citymgmt_cases import (
    CATEGORY,
    CITYMGMT_BRIDGE,
    COMMENT_REQUIRED,
    CaseIn,
    StatusIn,
    case_event_id,
    case_report,
    status_action,
)
from grid_router.service.desk import NotFoundError, check_storable
from grid_router.service.hotline_tickets import (
    HOTLINE_BRIDGE,
    CallbackIn,
    TicketIn,
    action_code,
    callback_action,
    ticket_event_id,
    ticket_report,
)

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

log = logging.getLogger("grid_router.api")

TOLERANCE_SECONDS: Final = 300.0
"""How far a request's timestamp may be from this clock (docs/bridges.md)."""
MERGE_HOPS: Final = 5
"""How many merges (并案) a callback follows to the incident that is still open."""

CaseNo = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$",
        description="one of grid_router's event ids (a case it forwarded), or the number of a "
        "case 数字城管 raised",
    ),
]
TicketNoPath = Annotated[
    str,
    Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", description="the hotline's ticket number"),
]


# --- answers ---------------------------------------------------------------------------------


class TicketAccepted(BaseModel):
    event_id: str = Field(description="the incident's event id, derived from the ticket number")
    ticket_no: str
    replayed: bool = Field(
        description="true when grid_router already had this ticket: nothing was sent again"
    )


class CallbackAccepted(BaseModel):
    event_id: str
    action: Literal["CLOSE", "VERIFY_PASS", "REOPEN", "VERIFY_FAIL"] = Field(
        description="what the callback does to the incident"
    )


class CaseAccepted(BaseModel):
    event_id: str = Field(description="the incident's event id, derived from the case number")
    case_no: str
    replayed: bool = Field(
        description="true when grid_router already had this case: nothing was sent again"
    )


class StatusAccepted(BaseModel):
    event_id: str
    action: Literal["SIGN", "START", "HANDLE", "VERIFY_PASS", "VERIFY_FAIL", "CLOSE", "RETURN"] = (
        Field(description="the dispatch action the status became")
    )


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorOut, "description": description}


_OFF: Final = "the webhook is off: its bridge's secret is not set"
_SIGNED: Final[dict[int | str, dict[str, Any]]] = {
    400: _error("the body cannot be read: not valid UTF-8, or JSON nested too deeply"),
    401: _error(
        "BAD_SIGNATURE: X-Grid-Signature or X-Grid-Timestamp missing or wrong, or the "
        "timestamp more than 300 s from grid_router's clock; nothing was read"
    ),
    422: _error("the body is not valid (INVALID_REQUEST); `fields` names each fault"),
    500: _error("an internal error (logged)"),
    503: _error("Kafka or the database is unavailable; nothing was accepted, send it again"),
}
_REPORT_RESPONSES: Final = {**_SIGNED, 404: _error(_OFF)}
_ACTION_RESPONSES: Final = {
    **_SIGNED,
    404: _error(f"no such incident that this bridge knows; or {_OFF}"),
    409: _error(
        "refused: the incident's state does not allow the action; the code (e.g. "
        "ILLEGAL_TRANSITION, TERMINAL_STATE) and the message say why"
    ),
}


# --- the signature ---------------------------------------------------------------------------


def _signature_headers(
    timestamp: Annotated[
        str,
        Header(
            alias=TIMESTAMP_HEADER,
            pattern=r"^\d{1,12}$",
            description="Unix time in seconds, as a decimal string; at most 300 s from "
            "grid_router's clock",
        ),
    ],
    signature: Annotated[
        str,
        Header(
            alias=SIGNATURE_HEADER,
            pattern=r"^sha256=[0-9a-f]{64}$",
            description='"sha256=" and the lower-case hex HMAC-SHA256, under the bridge\'s '
            'shared secret, of "<timestamp>.<body>"',
        ),
    ],
) -> None:
    """Documents the signature headers; `_Gate` has checked them before this runs."""


class _Gate:
    """Checks that a bridge is on and that a request is signed with its secret, before anything
    reads the body."""

    def __init__(
        self,
        secrets: Mapping[str, str],
        clock: Callable[[], datetime],
        refused: Counter[str],
    ) -> None:
        self._secrets = {name: s for name, s in secrets.items() if s}
        self._clock = clock
        self.refused = refused

    async def check(self, bridge: str, request: Request) -> None:
        secret = self._secrets.get(bridge)
        if secret is None:
            # The signature headers are required (the document says so): without them the
            # answer is 401 whether or not this bridge is on.
            unsigned = not (
                request.headers.get(TIMESTAMP_HEADER) and request.headers.get(SIGNATURE_HEADER)
            )
            if unsigned:
                raise ApiError(401, "BAD_SIGNATURE", _why_refused(None, None, 0.0))
            raise ApiError(404, "NOT_FOUND", f"no webhook at {request.url.path}")
        throttle: AuthThrottle = request.app.state.auth_throttle
        address = client_address(request)
        throttle.check(address, None)
        body = await request.body()
        timestamp = request.headers.get(TIMESTAMP_HEADER)
        signature = request.headers.get(SIGNATURE_HEADER)
        now = self._clock().timestamp()
        if _well_formed(timestamp) and verify(
            secret, timestamp, signature, body, now, TOLERANCE_SECONDS
        ):
            return
        why = _why_refused(timestamp, signature, now)
        throttle.failed(address, None)
        self.refused[bridge] += 1
        log.warning("bridge %s: refused %s: %s", bridge, request.url.path, why)
        raise ApiError(401, "BAD_SIGNATURE", why)


def _well_formed(timestamp: str | None) -> bool:
    """A Unix time in whole seconds, in ASCII digits (what grid_router itself sends)."""
    return timestamp is not None and timestamp.isascii() and timestamp.isdigit()


def _why_refused(timestamp: str | None, signature: str | None, now: float) -> str:
    if not timestamp or not signature:
        return (
            f"the request is not signed: send {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} "
            "(docs/bridges.md)"
        )
    if not _well_formed(timestamp):
        return f"{TIMESTAMP_HEADER} is not a Unix time in seconds: {timestamp[:40]!r}"
    off = abs(now - float(timestamp))
    if off > TOLERANCE_SECONDS:
        return (
            f"{TIMESTAMP_HEADER} is {off:.0f} s from grid_router's clock (at most "
            f"{TOLERANCE_SECONDS:.0f} s): a replayed or delayed request, or a wrong clock"
        )
    return f"{SIGNATURE_HEADER} does not match the body under the bridge's shared secret"


def _signed_route(gate: _Gate, bridge: str) -> type[APIRoute]:
    class SignedRoute(APIRoute):
        """A route whose requests must be signed by `bridge` (checked on the raw body)."""

        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handle = super().get_route_handler()

            async def signed(request: Request) -> Response:
                await gate.check(bridge, request)
                return await handle(request)

            return signed

    return SignedRoute


# --- what the bridges sent before --------------------------------------------------------------


class _Recent:
    """The event ids this process sent lately (acknowledged by Kafka), so that a ticket sent
    again before the router filed it is still answered as replayed."""

    def __init__(self, size: int = 10_000, ttl: float = 3600.0) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._size = size
        self._ttl = ttl
        self._lock = threading.Lock()

    def add(self, event_id: str) -> None:
        with self._lock:
            self._seen[event_id] = time.monotonic()
            self._seen.move_to_end(event_id)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def __contains__(self, event_id: str) -> bool:
        with self._lock:
            at = self._seen.get(event_id)
            return at is not None and time.monotonic() - at < self._ttl


def _known(engine: Engine, event_id: str) -> bool:
    """Whether the router has this report already: filed, or recorded in its inbox."""
    with engine.connect() as conn:
        if conn.execute(
            select(incidents.c.event_id).where(incidents.c.event_id == event_id)
        ).first():
            return True
        found = conn.execute(select(inbox.c.message_id).where(inbox.c.message_id == event_id))
        return found.first() is not None


def _by_external_ref(engine: Engine, source: Source, ref: str, derived: str) -> Any:
    """The incident a bridge's number names (the one with the derived event id first, then the
    latest filed)."""
    i = incidents.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(i.event_id, i.state, i.merged_into, i.filed_at)
            .where(i.source == source.value, i.external_ref == ref)
            .order_by(i.filed_at.desc())
        ).all()
    return next((r for r in rows if r.event_id == derived), rows[0] if rows else None)


def _open_incident(engine: Engine, row: Any) -> Any:
    """`row`, or the incident it was merged into (并案), following up to `MERGE_HOPS` merges."""
    i = incidents.c
    with engine.connect() as conn:
        for _ in range(MERGE_HOPS):
            if row.state != State.MERGED or not row.merged_into:
                break
            into = conn.execute(
                select(i.event_id, i.state, i.merged_into, i.filed_at).where(
                    i.event_id == row.merged_into
                )
            ).first()
            if into is None:
                break
            row = into
    return row


def _bridge_principal(name: str) -> Principal:
    """The principal a bridge acts as: no token, role BRIDGE (reports anywhere, acts as the
    system, named by the bridge)."""
    return Principal(token_id=f"bridge:{name}", prefix="bridge", name=name, role=Role.BRIDGE,
                     unit_code=None)  # fmt: skip


# --- the routes ------------------------------------------------------------------------------


def install_bridges(api: FastAPI, parts: ApiParts, secrets: Mapping[str, str]) -> None:
    """Add the bridges' webhooks. `secrets` holds each bridge's shared secret by its name in
    the policy ("hotline-12345", "citymgmt"); a bridge without one answers 404. Refused
    signatures are counted per bridge in `api.state.bad_signatures`. Nothing is read from
    `parts` until a request comes (the OpenAPI document is built on nothing)."""
    refused: Counter[str] = Counter()
    api.state.bad_signatures = refused
    gate = _Gate(secrets, parts.clock, refused)
    recent = _Recent()
    hotline = _bridge_principal(HOTLINE_BRIDGE)
    citymgmt = _bridge_principal(CITYMGMT_BRIDGE)

    def add(bridge: str, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        router = api.router
        router.add_api_route(
            path, endpoint, methods=["POST"], status_code=202, tags=["bridges"],
            route_class_override=_signed_route(gate, bridge),
            dependencies=[Depends(_signature_headers)], **options,
        )  # fmt: skip
        route = router.routes[-1]
        assert isinstance(route, APIRoute)
        # The application documents its token errors (401, 403, 429) for every route; a webhook
        # answers only what it documents itself, and BodyLimit's 413, which comes first.
        answered = set(options["responses"]) | {413}
        for status in [s for s in route.responses if s not in answered]:
            del route.responses[status]

    def accept_report(who: Principal, report: Any, sent: dict[str, Any]) -> bool:
        """Send a report unless the router has it already; whether it had."""
        if report.event_id in recent or _known(parts.engine, report.event_id):
            return True
        check_storable(report)  # a value the database refuses would be accepted, then lost
        parts.reports.submit(who, report, sent, None)
        recent.add(report.event_id)
        return False

    def submit_ticket(body: TicketIn) -> TicketAccepted:
        report = ticket_report(body)
        replayed = accept_report(hotline, report, body.model_dump(mode="json"))
        return TicketAccepted(event_id=report.event_id, ticket_no=body.ticket_no, replayed=replayed)

    def ticket_callback(ticket_no: TicketNoPath, body: CallbackIn) -> CallbackAccepted:
        row = _by_external_ref(parts.engine, Source.HOTLINE, ticket_no, ticket_event_id(ticket_no))
        if row is None:
            raise NotFoundError(f"no incident from 12345 ticket {ticket_no}")
        row = _open_incident(parts.engine, row)
        action = callback_action(body, State(row.state))
        parts.actions.submit(hotline, row.event_id, action)
        return CallbackAccepted.model_validate(
            {"event_id": row.event_id, "action": action_code(action)}
        )

    def submit_case(body: CaseIn) -> CaseAccepted:
        report = case_report(body, parts.taxonomy)
        replayed = accept_report(citymgmt, report, body.model_dump(mode="json"))
        return CaseAccepted(event_id=report.event_id, case_no=body.case_no, replayed=replayed)

    def case_status(case_no: CaseNo, body: StatusIn) -> StatusAccepted:
        if body.status in COMMENT_REQUIRED and not body.comment:
            message = f"{body.status} must say why: give the reason as comment"
            raise ApiError(422, "INVALID_REQUEST", message, [("comment", message)])
        event_id = _case_incident(parts.engine, case_no)
        if event_id is None:
            raise NotFoundError(f"no 数字城管 case {case_no}")
        action = status_action(body)
        parts.actions.submit(citymgmt, event_id, action)
        return StatusAccepted.model_validate({"event_id": event_id, "action": action_code(action)})

    add(
        HOTLINE_BRIDGE,
        "/bridges/12345/tickets",
        submit_ticket,
        response_model=TicketAccepted,
        responses=_REPORT_RESPONSES,
        operation_id="bridges_hotline_ticket",
        summary="12345 hotline: a new ticket (202 once it is durably in Kafka)",
    )
    add(
        HOTLINE_BRIDGE,
        "/bridges/12345/tickets/{ticket_no}/callback",
        ticket_callback,
        response_model=CallbackAccepted,
        responses=_ACTION_RESPONSES,
        operation_id="bridges_hotline_callback",
        summary="12345 hotline: the follow-up call (回访) closes or reopens the incident",
    )
    add(
        CITYMGMT_BRIDGE,
        "/bridges/citymgmt/cases",
        submit_case,
        response_model=CaseAccepted,
        responses=_REPORT_RESPONSES,
        operation_id="bridges_citymgmt_case",
        summary="数字城管: a case its supervisors raised (202 once it is durably in Kafka)",
    )
    add(
        CITYMGMT_BRIDGE,
        "/bridges/citymgmt/cases/{case_no}/status",
        case_status,
        response_model=StatusAccepted,
        responses=_ACTION_RESPONSES,
        operation_id="bridges_citymgmt_status",
        summary="数字城管: a case's status (签收, 处置中, 处置完成, 核查, 结案, 退回) as an action",
    )


def _case_incident(engine: Engine, case_no: str) -> str | None:
    """The incident a 数字城管 case number names: a city-management incident grid_router
    forwarded (the case number is its event id), or one from a case 数字城管 raised."""
    i = incidents.c
    with engine.connect() as conn:
        ours = conn.execute(
            select(i.event_id).where(i.event_id == case_no, i.category_code == CATEGORY)
        ).first()
    if ours is not None:
        return str(ours.event_id)
    row = _by_external_ref(engine, Source.CITY_MGMT, case_no, case_event_id(case_no))
    return None if row is None else str(row.event_id)
