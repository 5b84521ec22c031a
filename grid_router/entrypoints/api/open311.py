"""Open311 GeoReport v2 under `/open311/v2/`, so that civic-reporting apps (and the city's own
i厦门) can submit reports and follow them (https://wiki.open311.org/GeoReport_v2).

Every method comes in both formats of the spec: `services.json` and `services.xml`, and so on.

- `GET services`: every subcategory of the taxonomy is a service (`service_code` is the
  subcategory code, `group` the category's Chinese name). No api_key needed, as in the spec.
- `GET services/{service_code}`: its definition; no service has extra attributes.
- `POST requests` (form-encoded, `api_key` required): one report, source OPEN311, sent to Kafka
  (acks=all) before the answer, 201 with the new `service_request_id` (the event id).
- `GET requests`, `GET requests/{id}` (`api_key` required): the incidents the token may see;
  `status` is `closed` for CLOSED, VOIDED and MERGED, `open` otherwise; `status_notes` is the
  one sentence a resident reads (domain/status.py).

The api_key is an API token (`grid-router tokens create --role bridge`): a form field for POST,
a query parameter for GET, or `Authorization: Bearer`. Errors under /open311/ have the spec's
shape, `[{"code": 400, "description": "..."}]` or `<errors><error>...</error></errors>`, with the
HTTP status as the code; the /api/v1 error shape does not change. Times are ISO 8601 with the
+08:00 offset.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from fastapi import Depends, FastAPI, Form, Path, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials
from kafka.errors import KafkaError
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from grid_router.adapters.datum import CoordSystem, to_wgs84
from grid_router.adapters.db.open311_queries import (
    CLOSED_STATES,
    MAX_REQUESTS,
    RequestFilter,
    RequestRecord,
    service_requests,
)
from grid_router.adapters.db.views import breach_due
from grid_router.domain.classify import Category, Subcategory, Taxonomy
from grid_router.domain.model import IncidentReport, Photo, Reporter, Source, State
from grid_router.domain.sla import SlaStage
from grid_router.domain.status import summary
from grid_router.entrypoints.api.errors import ApiError
from grid_router.entrypoints.api.security import BEARER, authenticate
from grid_router.entrypoints.contracts import CoordSystemIn
from grid_router.service.auth import Principal
from grid_router.service.desk import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    check_storable,
    may_see,
)

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

log = logging.getLogger("grid_router.api")

PREFIX: Final = "/open311/v2"
XML_MEDIA_TYPE: Final = "text/xml"
"""What the spec asks for ("XML for the API should be Content-Type: text/xml")."""
CST: Final = timezone(timedelta(hours=8))
MAX_SPAN: Final = timedelta(days=90)
SERVICE_NOTICE: Final = (
    "您反映的问题已受理，将按属地派遣至社区（村）、街道（镇）或区办理；"
    "可凭 service_request_id 查询办理进度。"
)
KEYWORDS_SHOWN: Final = 5
MAX_ATTRIBUTES: Final = 50
MAX_ID_LENGTH: Final = 64  # incidents.event_id
FORM_MEDIA_TYPES: Final = ("application/x-www-form-urlencoded", "multipart/form-data")

Format = Literal["json", "xml"]
FORMATS: Final[tuple[Format, ...]] = ("json", "xml")
Status = Literal["open", "closed"]


# --- the spec's shapes -----------------------------------------------------------------------


class Open311ErrorOut(BaseModel):
    code: int = Field(description="the HTTP status of the answer")
    description: str = Field(description="what went wrong, for the person using the app")


class ServiceOut(BaseModel):
    service_code: str = Field(description="the taxonomy's subcategory code")
    service_name: str = Field(description="its Chinese name")
    description: str | None = Field(description="category, 数字城管 class if any, and name")
    metadata: bool = Field(description="always false: no service needs extra attributes")
    type: Literal["realtime", "batch", "blackbox"] = Field(
        description="always realtime: the service_request_id comes back at once"
    )
    keywords: str | None = Field(description="a few phrases people write, comma-separated")
    group: str = Field(description="the category's Chinese name")


class AttributeValueOut(BaseModel):
    key: str
    name: str


class AttributeOut(BaseModel):
    variable: bool
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str | None
    order: int
    description: str
    values: list[AttributeValueOut]


class ServiceDefinitionOut(BaseModel):
    service_code: str
    attributes: list[AttributeOut] = Field(description="always empty here")


class RequestCreatedOut(BaseModel):
    service_request_id: str = Field(description="the incident's event id (事件编号)")
    service_notice: str | None
    account_id: str | None = Field(description="always null: no accounts are created")


class ServiceRequestOut(BaseModel):
    service_request_id: str
    status: Status = Field(description="closed for CLOSED, VOIDED and MERGED; open otherwise")
    status_notes: str | None = Field(description="the state in one Chinese sentence")
    service_name: str
    service_code: str = Field(
        description="the subcategory the city filed it under (its category code if none)"
    )
    description: str | None
    agency_responsible: str | None = Field(description="the unit holding it, and department")
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime = Field(description="for a closed request, when it was closed")
    expected_datetime: datetime | None = Field(description="the handling deadline, if one runs")
    address: str | None
    lat: float | None
    long: float | None
    media_url: str | None = Field(description="always null")


class Open311Error(Exception):
    """An answer in the spec's error shape: an HTTP status and one description per error."""

    def __init__(
        self, status: int, *descriptions: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__("; ".join(descriptions))
        self.status = status
        self.descriptions = list(descriptions) or ["error"]
        self.headers = dict(headers or {})


# --- pure helpers ----------------------------------------------------------------------------


def service_status(state: str) -> Status:
    """The spec's two statuses: closed once the incident is closed, voided or merged."""
    return "closed" if state in CLOSED_STATES else "open"


def agency(unit_name: str | None, department: str | None) -> str | None:
    """The unit and its department, as the status sentence names them: 殿前街道（城管科）."""
    if not unit_name:
        return department
    if department and department != unit_name:
        return f"{unit_name}（{department}）"
    return unit_name


def local_time(moment: datetime | None) -> datetime | None:
    """A time as the spec shows it: Xiamen's offset (+08:00), whole seconds."""
    if moment is None:
        return None
    return moment.astimezone(CST).replace(microsecond=0)


_CJK: Final = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff·]+$")


def reporter_name(first_name: str | None, last_name: str | None) -> str | None:
    """first_name is the given name, last_name the family name: 林 + 小梅 → 林小梅 for Chinese
    names, "John Smith" otherwise."""
    first = (first_name or "").strip()
    last = (last_name or "").strip()
    if first and last:
        if _CJK.match(first) and _CJK.match(last):
            return last + first
        return f"{first} {last}"
    return first or last or None


_PHONE_NOISE: Final = re.compile(r"[().\s]")
_PHONE: Final = re.compile(r"^[0-9+\-]{3,20}$")


def clean_phone(phone: str | None) -> str | None:
    """The phone number without brackets, dots and spaces; None if none was sent. Raises
    `ValueError` if what is left is not 3 to 20 digits, `+` and `-`."""
    if phone is None or not phone.strip():
        return None
    cleaned = _PHONE_NOISE.sub("", phone)
    if not _PHONE.match(cleaned):
        raise ValueError(phone)
    return cleaned


_SPACED_OFFSET: Final = re.compile(r" (\d{2}:?\d{2})$")


def parse_datetime(text: str | None, name: str) -> datetime | None:
    """A w3 date-time (ISO 8601); a time without an offset is Xiamen time. `+08:00` sent
    unencoded in a query string arrives as ` 08:00` and is read as meant. Raises
    `Open311Error` (400) naming the argument."""
    if text is None or not text.strip():
        return None
    value = _SPACED_OFFSET.sub(r"+\1", text.strip())
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Open311Error(
            400,
            f"{name} {text!r} is not an ISO 8601 date-time; send e.g. 2026-05-01T00:00:00+08:00",
        ) from None
    return moment.replace(tzinfo=CST) if moment.tzinfo is None else moment


def date_range(
    start: datetime | None, end: datetime | None, now: datetime
) -> tuple[datetime, datetime]:
    """The spec's window: at most 90 days, the most recent 90 days by default."""
    if end is None:
        return (now - MAX_SPAN, now) if start is None else (start, start + MAX_SPAN)
    if start is None:
        return end - MAX_SPAN, end
    if start > end:
        raise Open311Error(400, "start_date is after end_date")
    if end - start > MAX_SPAN:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return start, end


def split_list(text: str | None) -> list[str]:
    """A comma-delimited argument: its items, stripped, empty ones and repeats dropped."""
    seen: dict[str, None] = {}
    for item in (text or "").split(","):
        if item.strip():
            seen.setdefault(item.strip(), None)
    return list(seen)


class Catalogue:
    """The taxonomy as Open311 services."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.categories: dict[str, Category] = {c.code: c for c in taxonomy.categories}
        self.subcategories: dict[str, tuple[Subcategory, Category]] = {
            s.code: (s, c) for c in taxonomy.categories for s in c.subcategories
        }
        self.services = [service_out(s, c) for s, c in self.subcategories.values()]

    def service(self, code: str) -> tuple[Subcategory, Category] | None:
        return self.subcategories.get(code)

    def name_of(self, subcategory_code: str | None, category_code: str, fallback: str) -> str:
        found = self.subcategories.get(subcategory_code or "")
        if found is not None:
            return found[0].name
        category = self.categories.get(category_code)
        return category.name if category else fallback


def service_out(sub: Subcategory, category: Category) -> ServiceOut:
    kind = f"（{sub.group}）" if sub.group else ""
    keywords = [k for k in sub.keywords if "," not in k][:KEYWORDS_SHOWN]
    return ServiceOut(
        service_code=sub.code,
        service_name=sub.name,
        description=f"{category.name}{kind}：{sub.name}",
        metadata=False,
        type="realtime",
        keywords=", ".join(keywords) or None,
        group=category.name,
    )


def request_out(record: RequestRecord, catalogue: Catalogue) -> ServiceRequestOut:
    """One incident as a GeoReport v2 service request."""
    r: Any = record.row
    sign_by = breach_due(record.deadlines, SlaStage.SIGN)
    handle_by = breach_due(record.deadlines, SlaStage.HANDLE)
    status = service_status(r.state)
    try:
        notes: str | None = summary(
            State(r.state), r.unit_name, r.department, sign_by, handle_by, r.merged_into
        )
    except ValueError:
        notes = None
    updated = r.closed_at if status == "closed" and r.closed_at is not None else r.updated_at
    known = catalogue.service(r.subcategory_code or "")
    return ServiceRequestOut(
        service_request_id=r.event_id,
        status=status,
        status_notes=notes,
        service_name=catalogue.name_of(r.subcategory_code, r.category_code, r.category_name),
        service_code=known[0].code if known else r.category_code,
        description=r.description,
        agency_responsible=agency(r.unit_name, r.department),
        service_notice=SERVICE_NOTICE,
        requested_datetime=local_time(r.reported_at),
        updated_datetime=local_time(updated),
        expected_datetime=local_time(handle_by),
        address=r.address,
        lat=r.lat,
        long=r.lon,
        media_url=None,
    )


@dataclass(frozen=True, slots=True)
class RequestForm:
    """The arguments of `POST requests` as sent (empty ones as None)."""

    service_code: str | None = None
    lat: float | None = None
    long: float | None = None
    address_string: str | None = None
    address_id: str | None = None
    email: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    description: str | None = None
    media_url: str | None = None
    sent: Mapping[str, Sequence[str]] = field(default_factory=dict)  # every field, for attributes
    coord_system: CoordSystem = CoordSystem.WGS84  # the datum of lat & long


def report_from(
    form: RequestForm, catalogue: Catalogue, reporter_id: str, now: datetime, fmt: Format
) -> IncidentReport:
    """The report a `POST requests` makes; raises `Open311Error`: 400 naming every bad
    argument, 404 for an unknown service_code."""
    code = (form.service_code or "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided")
    found = catalogue.service(code)
    if found is None:
        raise Open311Error(404, f"service_code {code} was not found; see {PREFIX}/services.{fmt}")
    sub, category = found
    errors: list[str] = []
    address = (form.address_string or "").strip() or None
    if (form.lat is None) != (form.long is None):
        errors.append("lat and long must be sent together")
    elif form.lat is None and address is None:
        errors.append(
            "address_id is not supported here: send lat & long or address_string"
            if (form.address_id or "").strip()
            else "a location is required: lat & long, or address_string"
        )
    try:
        phone = clean_phone(form.phone)
    except ValueError:
        errors.append("phone: 3 to 20 digits, with +, -, spaces or brackets")
        phone = None
    media = (form.media_url or "").strip() or None
    if media is not None and not media.lower().startswith(("http://", "https://")):
        errors.append("media_url: an http or https URL")
    try:
        attributes = attributes_of(form.sent)
    except Open311Error as exc:
        errors += exc.descriptions
        attributes = {}
    if errors:
        raise Open311Error(400, *errors)
    for key, value in (("email", form.email), ("device_id", form.device_id)):
        if value and value.strip():
            attributes[f"open311.{key}"] = value.strip()
    point = (
        to_wgs84(form.lat, form.long, form.coord_system)
        if form.lat is not None and form.long is not None
        else None
    )
    return IncidentReport(
        event_id=str(uuid.uuid4()),
        reported_at=now,
        source=Source.OPEN311.value,
        reporter=Reporter(
            id=(form.account_id or "").strip() or reporter_id[:64],
            role="citizen",
            name=reporter_name(form.first_name, form.last_name),
            phone=phone,
        ),
        description=(form.description or "").strip() or sub.name,
        title=sub.name,
        category_code=category.code,
        subcategory_code=sub.code,
        address=address,
        location=point,
        photos=(Photo(media),) if media else (),
        attributes=attributes,
    )


# --- XML (the spec's "Spark convention": a JSON array is an element of named items) ---------

_ITEM_NAMES: Final = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
}
# Characters XML 1.0 cannot carry at all (a description may hold anything a phone sent).
_NOT_XML: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, Mapping):
        for key, item in value.items():
            _fill(ET.SubElement(element, str(key)), item)
    elif isinstance(value, list | tuple):
        name = _ITEM_NAMES.get(element.tag, "item")
        for item in value:
            _fill(ET.SubElement(element, name), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """`value` (a model, a mapping or a list of them) as the spec's XML, UTF-8, with the
    declaration; None becomes an empty element."""
    element = ET.Element(root)
    _fill(element, value)
    body = ET.tostring(element, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body).encode("utf-8")


class XmlResponse(Response):
    media_type = XML_MEDIA_TYPE


def error_response(
    status: int,
    descriptions: Sequence[str],
    fmt: Format,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The spec's error answer: one `{code, description}` per error, code = HTTP status."""
    errors = [Open311ErrorOut(code=status, description=d) for d in descriptions]
    if fmt == "xml":
        return XmlResponse(to_xml("errors", errors), status_code=status, headers=headers)
    return JSONResponse(
        [e.model_dump() for e in errors], status_code=status, headers=dict(headers or {})
    )


def format_of(path: str) -> Format:
    return "xml" if path.endswith(".xml") else "json"


def _field(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "request"


def failure_of(exc: Exception) -> Open311Error:
    """Any error a route raises, as the spec's answer (logged when it is the server's)."""
    match exc:
        case Open311Error():
            return exc
        case ApiError():
            return Open311Error(exc.status, exc.message, headers=exc.headers)
        case RequestValidationError():
            return Open311Error(
                400,
                *[f"{_field(e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors()[:20]],
            )
        case StarletteHTTPException():
            return Open311Error(exc.status_code, str(exc.detail), headers=exc.headers)
        case InvalidRequestError():
            return Open311Error(400, str(exc))
        case ForbiddenError():
            return Open311Error(403, str(exc))
        case NotFoundError():
            return Open311Error(404, str(exc))
        case ConflictError():
            return Open311Error(409, str(exc))
        case KafkaError():
            log.warning("Kafka unavailable: %s", exc)
            return Open311Error(
                503, "Kafka did not acknowledge in time; nothing was accepted, retry"
            )
        case OperationalError():
            log.warning("database unavailable: %s", exc)
            return Open311Error(503, "the database is unavailable; retry")
    log.error("internal error in Open311", exc_info=exc)
    return Open311Error(500, f"internal error ({type(exc).__name__}); it has been logged")


class Open311Route(APIRoute):
    """A route whose every failure (validation, authentication, the desk, Kafka) is answered in
    the spec's shape and in the route's format, without touching the application's handlers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()
        fmt = format_of(self.path)

        async def guarded(request: Request) -> Response:
            try:
                return await handle(request)
            except Exception as exc:
                failure = failure_of(exc)
                return error_response(failure.status, failure.descriptions, fmt, failure.headers)

        return guarded


# --- OpenAPI ---------------------------------------------------------------------------------

_ERRORS: Final[dict[int, str]] = {
    400: "the request is not valid; each error's description says which argument and why "
    "(GeoReport v2 answers 400 for every such error)",
    401: "no api_key (nor bearer token), or one that is not valid",
    403: "the token may not do this (Open311 requests are submitted with operator or bridge "
    "tokens)",
    404: "no such service, or no such request that this token may see",
    # Listed only so that FastAPI does not document its own 422 for routes with arguments.
    422: "not sent: GeoReport v2 answers invalid arguments with 400",
    429: "too many requests for this token; see Retry-After",
    500: "an internal error (logged)",
    503: "Kafka or the database is unavailable; nothing was accepted, retry",
}


def _responses(fmt: Format, *statuses: int) -> dict[int | str, dict[str, Any]]:
    """The spec-shaped error answers of a route, for the OpenAPI document."""
    found: dict[int | str, dict[str, Any]] = {}
    for status in (*statuses, 500):
        if fmt == "json":
            found[status] = {"model": list[Open311ErrorOut], "description": _ERRORS[status]}
        else:
            found[status] = {
                "description": _ERRORS[status],
                "content": {XML_MEDIA_TYPE: {"schema": {"type": "string"}}},
            }
    if fmt == "xml":
        # BodyLimit answers before routing, in the /api/v1 shape (JSON).
        found[413] = {
            "description": "the request body is too large (answered as the rest of the API)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
        }
    return found


# --- who is calling --------------------------------------------------------------------------

API_KEY_QUERY = APIKeyQuery(
    name="api_key",
    auto_error=False,
    scheme_name="Open311ApiKey",
    description="An API token (`grid-router tokens create --role bridge`) as the api_key query "
    "parameter; `Authorization: Bearer` works as well",
)


def _query_caller(
    request: Request,
    api_key: Annotated[str | None, Depends(API_KEY_QUERY)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Principal:
    return _caller(request, api_key, credentials)


def _form_caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
    api_key: Annotated[
        str | None,
        Form(
            max_length=200,
            description="the API token (`grid-router tokens create --role bridge`); "
            "`Authorization: Bearer` works as well",
        ),
    ] = None,
) -> Principal:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in FORM_MEDIA_TYPES:
        raise Open311Error(
            400, "POST requests is form-encoded: send Content-Type: " + FORM_MEDIA_TYPES[0]
        )
    return _caller(request, api_key, credentials)


def _caller(
    request: Request, api_key: str | None, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    token = api_key or (credentials.credentials if credentials else None)
    if not token:
        raise Open311Error(
            401,
            "no api_key: send the API token as the api_key form field (POST) or query "
            "parameter (GET), or as Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return authenticate(request, token)


QueryCaller = Annotated[Principal, Depends(_query_caller)]
FormCaller = Annotated[Principal, Depends(_form_caller)]

_ATTRIBUTE: Final = re.compile(r"^attribute\[([A-Za-z0-9_-]{1,64})\](\[\])?$")


async def _sent_form(request: Request) -> dict[str, list[str]]:
    """Every text field of the form as sent (the api_key left out)."""
    form = await request.form()
    sent: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key != "api_key" and isinstance(value, str):
            sent.setdefault(key, []).append(value)
    return sent


SentForm = Annotated[dict[str, list[str]], Depends(_sent_form)]


def attributes_of(sent: Mapping[str, Sequence[str]]) -> dict[str, str]:
    """The spec's `attribute[code]=value` (and `attribute[code][]=v` for several values) as
    the report's attributes; raises `Open311Error` for too many or malformed ones."""
    found: dict[str, str] = {}
    bad: list[str] = []
    for key, values in sent.items():
        if not key.startswith("attribute"):
            continue
        match = _ATTRIBUTE.match(key)
        if match is None:
            bad.append(f"{key}: an attribute is sent as attribute[code]=value (code: letters, "
                       "digits, _ and -, at most 64)")  # fmt: skip
            continue
        value = ",".join(v.strip() for v in values if v.strip())
        if len(value) > 500:
            bad.append(f"{key}: at most 500 characters")
        elif value:
            found[match.group(1)] = value
    if len(found) > MAX_ATTRIBUTES:
        bad.append(f"at most {MAX_ATTRIBUTES} attributes")
    if bad:
        raise Open311Error(400, *bad)
    return found


# --- the routes ------------------------------------------------------------------------------


def install_open311(api: FastAPI, parts: ApiParts, taxonomy: Taxonomy) -> None:
    """Add the GeoReport v2 routes under /open311/v2/ and answer unknown paths under /open311/
    in the spec's error shape. Nothing is read from `parts` or `taxonomy` until a request
    comes (the OpenAPI document is built on neither)."""

    @functools.cache
    def catalogue() -> Catalogue:
        return Catalogue(taxonomy)

    for fmt in FORMATS:
        _add_routes(_Routes(api), parts, catalogue, fmt)
    _answer_unknown_paths(api)


_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class _Routes:
    """Adds Open311Routes to the application's own router (so that they are in its OpenAPI
    document) without changing the route class of anything else."""

    def __init__(self, api: FastAPI) -> None:
        self._router = api.router

    def get(self, path: str, **options: Any) -> _Decorator:
        return self._add(path, "GET", options)

    def post(self, path: str, **options: Any) -> _Decorator:
        return self._add(path, "POST", options)

    def _add(self, path: str, method: str, options: dict[str, Any]) -> _Decorator:
        def register(endpoint: Callable[..., Any]) -> Callable[..., Any]:
            self._router.add_api_route(
                path, endpoint, methods=[method], route_class_override=Open311Route,
                tags=["open311"], **options,
            )  # fmt: skip
            route = self._router.routes[-1]
            assert isinstance(route, Open311Route)
            # The application documents its own errors (401, 403, 422, 429...) for every route,
            # in the /api/v1 shape; an Open311 route documents what it answers itself, and
            # BodyLimit's 413, which comes before any route.
            answered = set(options.get("responses", {})) | {413}
            for status in [s for s in route.responses if s not in answered]:
                del route.responses[status]
            return endpoint

        return register


def _answer_unknown_paths(api: FastAPI) -> None:
    """404 and 405 for paths under /open311/ that match no route, in the spec's shape; every
    other path is answered by the handler that was there."""
    previous = api.exception_handlers.get(StarletteHTTPException, http_exception_handler)

    async def open311_or_previous(request: Request, exc: Exception) -> Response:
        path = str(request.scope.get("path", ""))
        if isinstance(exc, StarletteHTTPException) and path.startswith("/open311/"):
            detail = (
                f"no Open311 resource {path}: see {PREFIX}/services.json"
                if exc.status_code == 404
                else str(exc.detail)
            )
            return error_response(exc.status_code, [detail], format_of(path), exc.headers)
        answer = previous(request, exc)
        result = await answer if inspect.isawaitable(answer) else answer
        assert isinstance(result, Response)
        return result

    api.add_exception_handler(StarletteHTTPException, open311_or_previous)


def _answer(fmt: Format, root: str, value: Any, status: int = 200) -> Any:
    if fmt == "xml":
        return XmlResponse(to_xml(root, value), status_code=status)
    return value


def _add_routes(
    router: _Routes, parts: ApiParts, catalogue: Callable[[], Catalogue], fmt: Format
) -> None:
    json = fmt == "json"
    response_class: type[Response] = JSONResponse if json else XmlResponse
    kind = "JSON" if json else "XML"

    @router.get(
        f"{PREFIX}/services.{fmt}",
        response_model=list[ServiceOut] if json else None,
        response_class=response_class,
        responses=_responses(fmt),
        operation_id=f"open311_services_{fmt}",
        summary=f"GeoReport v2: the service list ({kind}); no api_key needed",
    )
    def get_services() -> Any:
        return _answer(fmt, "services", catalogue().services)

    @router.get(
        f"{PREFIX}/services/{{service_code}}.{fmt}",
        response_model=ServiceDefinitionOut if json else None,
        response_class=response_class,
        responses=_responses(fmt, 404, 422),
        operation_id=f"open311_service_definition_{fmt}",
        summary=f"GeoReport v2: one service's definition ({kind}); no api_key needed",
    )
    def get_service_definition(
        service_code: Annotated[str, Path(description="e.g. CITY_MGMT.GARBAGE_BIN_OVERFLOW")],
    ) -> Any:
        if catalogue().service(service_code) is None:
            raise Open311Error(404, f"service_code {service_code} was not found")
        definition = ServiceDefinitionOut(service_code=service_code, attributes=[])
        return _answer(fmt, "service_definition", definition)

    @router.post(
        f"{PREFIX}/requests.{fmt}",
        status_code=201,
        response_model=list[RequestCreatedOut] if json else None,
        response_class=response_class,
        responses=_responses(fmt, 400, 401, 403, 404, 422, 429, 503),
        operation_id=f"open311_post_request_{fmt}",
        summary=f"GeoReport v2: submit a service request ({kind}; 201 once Kafka has it)",
        description="Form-encoded. Required: api_key (or `Authorization: Bearer`), "
        "service_code, and a location: lat & long, or address_string. Optional: description, "
        "first_name, last_name, phone, email, device_id, account_id, media_url, "
        "attribute[code]=value. Answered 201 with the new service_request_id once the report "
        "is in Kafka (acknowledged by every replica); the router files it moments later.",
    )
    def post_request(
        who: FormCaller,
        sent: SentForm,
        service_code: Annotated[
            str | None, Form(max_length=64, description="from the service list")
        ] = None,
        lat: Annotated[
            float | None,
            Form(ge=-90, le=90, allow_inf_nan=False, description="in coord_system (WGS-84)"),
        ] = None,
        long: Annotated[
            float | None,
            Form(ge=-180, le=180, allow_inf_nan=False, description="in coord_system (WGS-84)"),
        ] = None,
        address_string: Annotated[
            str | None,
            Form(max_length=500, description="the place in words (this locates the report)"),
        ] = None,
        address_id: Annotated[
            str | None, Form(max_length=64, description="not supported: send address_string")
        ] = None,
        email: Annotated[str | None, Form(max_length=254)] = None,
        device_id: Annotated[str | None, Form(max_length=128)] = None,
        account_id: Annotated[str | None, Form(max_length=64)] = None,
        first_name: Annotated[str | None, Form(max_length=60)] = None,
        last_name: Annotated[str | None, Form(max_length=60)] = None,
        phone: Annotated[str | None, Form(max_length=32)] = None,
        description: Annotated[str | None, Form(max_length=4000)] = None,
        media_url: Annotated[str | None, Form(max_length=2000)] = None,
        coord_system: Annotated[
            CoordSystemIn,
            Form(
                description="an extension of GeoReport v2: the datum of lat & long, WGS84 (the "
                "spec's, the default), GCJ02 or BD09; converted to WGS-84 on arrival"
            ),
        ] = CoordSystem.WGS84,
    ) -> Any:
        if not who.may_report_at(None, None):
            raise Open311Error(
                403,
                f"a {who.role.value} token may not submit Open311 requests: they are placed by "
                "address, which operator and bridge tokens may do",
            )
        form = RequestForm(
            service_code, lat, long, address_string, address_id, email, device_id, account_id,
            first_name, last_name, phone, description, media_url, sent, coord_system,
        )  # fmt: skip
        report = report_from(form, catalogue(), f"open311:{who.name}", parts.clock(), fmt)
        body = {k: v[0] if len(v) == 1 else v for k, v in sent.items()}
        check_storable(report)  # a value the database refuses would be accepted, then lost
        done = parts.reports.submit(who, report, body, None)
        created = [
            RequestCreatedOut(
                service_request_id=done.event_id, service_notice=SERVICE_NOTICE, account_id=None
            )
        ]
        return _answer(fmt, "service_requests", created, status=201)

    @router.get(
        f"{PREFIX}/requests.{fmt}",
        response_model=list[ServiceRequestOut] if json else None,
        response_class=response_class,
        responses=_responses(fmt, 400, 401, 422, 429, 503),
        operation_id=f"open311_requests_{fmt}",
        summary=f"GeoReport v2: service requests this token may see ({kind})",
        description="At most 1000, newest first, reported in the last 90 days unless "
        "start_date/end_date say otherwise (a span of at most 90 days). service_request_id "
        "overrides every other argument.",
    )
    def get_requests(
        who: QueryCaller,
        service_request_id: Annotated[
            str | None,
            Query(max_length=40_000, description="comma-delimited ids; overrides the rest"),
        ] = None,
        service_code: Annotated[
            str | None, Query(max_length=4000, description="comma-delimited service codes")
        ] = None,
        start_date: Annotated[
            str | None,
            Query(max_length=64, description="ISO 8601, e.g. 2026-05-01T00:00:00+08:00"),
        ] = None,
        end_date: Annotated[str | None, Query(max_length=64, description="ISO 8601")] = None,
        status: Annotated[
            str | None, Query(max_length=32, description="open, closed, or open,closed")
        ] = None,
    ) -> Any:
        wanted = _filter(
            catalogue(), parts.clock(), service_request_id, service_code, start_date, end_date,
            status,
        )  # fmt: skip
        return _answer(fmt, "service_requests", _read(parts, who, wanted, catalogue()))

    @router.get(
        f"{PREFIX}/requests/{{service_request_id}}.{fmt}",
        response_model=list[ServiceRequestOut] if json else None,
        response_class=response_class,
        responses=_responses(fmt, 401, 404, 422, 429, 503),
        operation_id=f"open311_request_{fmt}",
        summary=f"GeoReport v2: one service request ({kind})",
        description="A list of one. 404 until the router has filed the request (moments after "
        "POST requests), and for a request this token may not see.",
    )
    def get_request(
        who: QueryCaller,
        service_request_id: Annotated[str, Path(description="the event id")],
    ) -> Any:
        found = []
        if len(service_request_id) <= MAX_ID_LENGTH:
            wanted = RequestFilter(event_ids=(service_request_id,))
            found = _read(parts, who, wanted, catalogue())
        if not found:
            raise Open311Error(404, f"no service request {service_request_id} to show")
        return _answer(fmt, "service_requests", found)


def _filter(
    catalogue: Catalogue,
    now: datetime,
    service_request_id: str | None,
    service_code: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
) -> RequestFilter:
    """The arguments of `GET requests` as a query; raises `Open311Error` (400) for bad ones."""
    ids = split_list(service_request_id)
    if len(ids) > MAX_REQUESTS:
        raise Open311Error(400, f"at most {MAX_REQUESTS} service_request_id at once")
    if ids:
        return RequestFilter(event_ids=tuple(ids))
    codes = split_list(service_code)
    known = catalogue.subcategories.keys() | catalogue.categories.keys()
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise Open311Error(400, *[f"service_code {c} is not a known service" for c in unknown])
    statuses = [s.lower() for s in split_list(status)]
    bad = [s for s in statuses if s not in ("open", "closed")]
    if bad:
        raise Open311Error(400, f"status must be open or closed (comma-delimited), not {bad[0]}")
    start, end = date_range(
        parse_datetime(start_date, "start_date"), parse_datetime(end_date, "end_date"), now
    )
    return RequestFilter(
        subcategory_codes=tuple(c for c in codes if c in catalogue.subcategories),
        category_codes=tuple(c for c in codes if c in catalogue.categories),
        start=start,
        end=end,
        open=not statuses or "open" in statuses,
        closed=not statuses or "closed" in statuses,
    )


def _read(
    parts: ApiParts, who: Principal, wanted: RequestFilter, catalogue: Catalogue
) -> list[ServiceRequestOut]:
    def visible(row: Any, units: frozenset[str]) -> bool:
        return may_see(who, row, units)

    with parts.engine.connect() as conn:
        records = service_requests(conn, who, wanted, visible)
    return [request_out(r, catalogue) for r in records]


def services_of(taxonomy: Taxonomy) -> list[ServiceOut]:
    """The service list of `taxonomy` (what `GET services` answers)."""
    return Catalogue(taxonomy).services
