"""Open311 GeoReport v2 as the spec shapes it (https://wiki.open311.org/GeoReport_v2): the
answers' models, the service list from the taxonomy, a service request from an incident (the
full view and the public one), a report from `POST requests`, the XML, and the error shape.
No routes here (entrypoints/api/open311.py adds them); nothing reads a database or Kafka.
"""

from __future__ import annotations

import logging
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Final, Literal

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from kafka.errors import KafkaError
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from grid_router.adapters.datum import CoordSystem, to_wgs84
from grid_router.adapters.db.open311_queries import (
    CLOSED_STATES,
    RequestRecord,
)
from grid_router.adapters.db.outage import RETRY_AFTER_SECONDS, database_unavailable
from grid_router.adapters.db.views import breach_due
from grid_router.domain.model import (
    EVENT_ID_CHARACTERS,
    IncidentReport,
    Level,
    Photo,
    Reporter,
    Source,
    State,
)
from grid_router.domain.org import Organisation
from grid_router.domain.sla import SlaStage
from grid_router.domain.status import summary
from grid_router.domain.taxonomy import Category, Subcategory, Taxonomy
from grid_router.entrypoints.api.errors import ApiError
from grid_router.service.auth import COMMUNITY_CODE_LENGTH
from grid_router.service.desk import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)

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
MAX_LIST_LENGTH: Final = 4000
"""Of a comma-delimited argument (ids, service codes): a URL any server reads whole."""
ONE_ID: Final = f"^[{EVENT_ID_CHARACTERS}]+$"
"""An event id (a UUID, or a bridge's own id), as declared and enforced on a request's path."""
LIST_OF_IDS: Final = r"^[A-Za-z0-9_.:,-]*$"
"""A comma-delimited list of event ids or service codes, as declared and enforced."""
STATUSES: Final = r"^(open|closed)(,(open|closed))?$"
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
    if text is None:
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
    """The spec's window: at most 90 days, the most recent 90 days by default; a longer span is
    cut to its last 90 days, and a start after the end is a window nothing falls in (the answer
    is an empty list, not an error)."""
    if end is None:
        return (now - MAX_SPAN, now) if start is None else (start, start + MAX_SPAN)
    if start is None or end - start > MAX_SPAN:
        return end - MAX_SPAN, end
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


def services_of(taxonomy: Taxonomy) -> list[ServiceOut]:
    """The service list of `taxonomy` (what `GET services` answers)."""
    return Catalogue(taxonomy).services


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


def request_out(
    record: RequestRecord, catalogue: Catalogue, place: str | None = None
) -> ServiceRequestOut:
    """One incident as a GeoReport v2 service request. The public view (a caller without a
    token, or one whose scope does not hold the incident) leaves out the description and the
    coordinates, and shows `place` (the street or community) instead of the address."""
    r: Any = record.row
    public = record.view == "public"
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
        description=None if public else r.description,
        agency_responsible=agency(r.unit_name, r.department),
        service_notice=SERVICE_NOTICE,
        requested_datetime=local_time(r.reported_at),
        updated_datetime=local_time(updated),
        expected_datetime=local_time(handle_by),
        address=place if public else r.address,
        lat=None if public else r.lat,
        long=None if public else r.lon,
        media_url=None,
    )


def place_of(org: Organisation, row: Any) -> str | None:
    """Where an incident is, as the public view names it: its district, street and community
    ("湖里区殿前街道高殿社区"), or its street when it has no community; None when unlocated."""
    code = row.community_code or (row.grid_code or "")[:COMMUNITY_CODE_LENGTH] or None
    if code is None or org.get(code) is None:
        unit = org.get(row.unit_code or "")
        if unit is None or unit.level not in (Level.STREET, Level.COMMUNITY):
            return None
        code = unit.code
    return "".join(u.name for u in reversed(org.chain(code)) if u.level is not Level.CITY)


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
        case DBAPIError() if database_unavailable(exc):  # said once by the engine's notice
            return Open311Error(
                503,
                "the database is unavailable; retry",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
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


_ATTRIBUTE: Final = re.compile(r"^attribute\[([A-Za-z0-9_-]{1,64})\](\[\])?$")


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
