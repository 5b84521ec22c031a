"""Open311 GeoReport v2 under `/open311/v2/`, so that civic-reporting apps (and the city's own
i厦门) can submit reports and follow them (https://wiki.open311.org/GeoReport_v2).

Every method comes in both formats of the spec: `services.json` and `services.xml`, and so on.

- `GET services`: every subcategory of the taxonomy is a service (`service_code` is the
  subcategory code, `group` the category's Chinese name). No api_key needed, as in the spec.
- `GET services/{service_code}`: its definition; no service has extra attributes.
- `POST requests` (form-encoded, `api_key` required): one report, source OPEN311, sent to Kafka
  (acks=all) before the answer, 201 with the new `service_request_id` (the event id).
- `GET requests`, `GET requests/{id}`: without an api_key, as in the spec, the public view of
  the categories the policy marks public (`access.public_categories`): service, status, status
  notes, agency, times and the street or community, never the reporter, the text or the
  coordinates. With a key, the incidents in the token's scope in full, and the public view of
  the public categories beyond it. `status` is `closed` for CLOSED, VOIDED and MERGED, `open`
  otherwise; `status_notes` is the one sentence a resident reads (domain/status.py).

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
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Final

from fastapi import Depends, FastAPI, Form, Path, Query, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.security import APIKeyQuery, HTTPAuthorizationCredentials
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from grid_router.adapters.datum import CoordSystem
from grid_router.adapters.db.open311_queries import (
    RequestFilter,
    View,
    service_requests,
)
from grid_router.domain.taxonomy import Taxonomy
from grid_router.entrypoints.api.errors import answer_headers
from grid_router.entrypoints.api.open311_spec import (
    FORM_MEDIA_TYPES,
    FORMATS,
    LIST_OF_IDS,
    MAX_ID_LENGTH,
    MAX_LIST_LENGTH,
    ONE_ID,
    PREFIX,
    SERVICE_NOTICE,
    STATUSES,
    XML_MEDIA_TYPE,
    Catalogue,
    Format,
    Open311Error,
    Open311ErrorOut,
    Open311Route,
    RequestCreatedOut,
    RequestForm,
    ServiceDefinitionOut,
    ServiceOut,
    ServiceRequestOut,
    XmlResponse,
    date_range,
    error_response,
    format_of,
    parse_datetime,
    place_of,
    report_from,
    request_out,
    split_list,
    to_xml,
)
from grid_router.entrypoints.api.security import BEARER, authenticate
from grid_router.entrypoints.contracts import NO_NUL, NOT_BLANK, CoordSystemIn
from grid_router.service.auth import Principal
from grid_router.service.desk import (
    check_storable,
    may_see,
)

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

log = logging.getLogger("grid_router.api")


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
    "parameter; `Authorization: Bearer` works as well. Optional for reads: without one, the "
    "public view",
)


def _query_caller(
    request: Request,
    api_key: Annotated[str | None, Depends(API_KEY_QUERY)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)],
) -> Principal | None:
    if not (api_key or credentials):
        return None  # GeoReport v2 reads need no key: the public view
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


OPTIONAL_KEY: Final[dict[str, Any]] = {"security": [{}, {"Open311ApiKey": []}, {"HTTPBearer": []}]}
"""Reads without a key are answered (the public view): `{}` says no credentials will do."""

QueryCaller = Annotated[Principal | None, Depends(_query_caller)]
"""The caller of a read: None without an api_key (the public view)."""
FormCaller = Annotated[Principal, Depends(_form_caller)]


async def _sent_form(request: Request) -> dict[str, list[str]]:
    """Every text field of the form as sent (the api_key left out)."""
    form = await request.form()
    sent: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if key != "api_key" and isinstance(value, str):
            sent.setdefault(key, []).append(value)
    return sent


SentForm = Annotated[dict[str, list[str]], Depends(_sent_form)]


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
    _document_forms_without_null(api)


LOCATED: Final = [
    {"required": ["lat", "long"]},
    {
        "required": ["address_string"],
        "properties": {"address_string": {"pattern": NOT_BLANK}},
        "not": {"anyOf": [{"required": ["lat"]}, {"required": ["long"]}]},
    },
]
"""A service request is placed: by lat & long together, or else by an address_string."""


def _not_null(schema: dict[str, Any]) -> None:
    kinds = [k for k in schema.get("anyOf", ()) if k != {"type": "null"}]
    if "anyOf" in schema and len(kinds) == 1:
        del schema["anyOf"]
        schema.update(kinds[0])


def _document_forms_without_null(api: FastAPI) -> None:
    """A form field or query parameter is sent or left out; it cannot be null. FastAPI documents
    an optional one as `anyOf: [type, null]`, which would declare the text `null` a valid
    number: the document keeps only the type. The form also says how a request is placed
    (`LOCATED`), which no single field can."""
    build = api.openapi

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            document = build()
            for name, schema in document.get("components", {}).get("schemas", {}).items():
                if name.startswith("Body_open311_"):
                    for field in schema.get("properties", {}).values():
                        _not_null(field)
                    schema["anyOf"] = LOCATED
            for path, item in document.get("paths", {}).items():
                if path.startswith(PREFIX):
                    for operation in item.values():
                        for parameter in operation.get("parameters", ()):
                            _not_null(parameter.get("schema", {}))
        assert api.openapi_schema is not None
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]


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
            headers = answer_headers(request, exc)
            return error_response(exc.status_code, [detail], format_of(path), headers)
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
            str, Form(max_length=64, pattern=NOT_BLANK, description="from the service list")
        ],
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
            Form(
                max_length=500,
                pattern=NO_NUL,
                description="the place in words (this locates the report)",
            ),
        ] = None,
        address_id: Annotated[
            str | None,
            Form(max_length=64, pattern=NO_NUL, description="not supported: send address_string"),
        ] = None,
        email: Annotated[str | None, Form(max_length=254, pattern=NO_NUL)] = None,
        device_id: Annotated[str | None, Form(max_length=128, pattern=NO_NUL)] = None,
        account_id: Annotated[str | None, Form(max_length=64, pattern=NO_NUL)] = None,
        first_name: Annotated[str | None, Form(max_length=60, pattern=NO_NUL)] = None,
        last_name: Annotated[str | None, Form(max_length=60, pattern=NO_NUL)] = None,
        phone: Annotated[str | None, Form(max_length=32, pattern=NO_NUL)] = None,
        description: Annotated[str | None, Form(max_length=4000, pattern=NO_NUL)] = None,
        media_url: Annotated[str | None, Form(max_length=2000, pattern=NO_NUL)] = None,
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
        summary=f"GeoReport v2: service requests ({kind}); no api_key needed",
        openapi_extra=OPTIONAL_KEY,
        description="At most 1000, newest first, reported in the last 90 days unless "
        "start_date/end_date say otherwise (a span of at most 90 days). service_request_id "
        "overrides every other argument. Without an api_key: the public view (no reporter, "
        "text or coordinates; the street or community as the address) of the categories the "
        "policy marks public; a key adds its own scope in full.",
    )
    def get_requests(
        who: QueryCaller,
        service_request_id: Annotated[
            str | None,
            Query(
                max_length=MAX_LIST_LENGTH,
                pattern=LIST_OF_IDS,
                description="comma-delimited ids; overrides the rest",
            ),
        ] = None,
        service_code: Annotated[
            str | None,
            Query(
                max_length=MAX_LIST_LENGTH,
                pattern=LIST_OF_IDS,
                description="comma-delimited service codes; an unknown one matches nothing",
            ),
        ] = None,
        start_date: Annotated[
            str | None,
            Query(
                max_length=64,
                json_schema_extra={"format": "date-time"},
                description="ISO 8601, e.g. 2026-05-01T00:00:00+08:00",
            ),
        ] = None,
        end_date: Annotated[
            str | None,
            Query(max_length=64, json_schema_extra={"format": "date-time"}, description="ISO 8601"),
        ] = None,
        status: Annotated[
            str | None,
            Query(pattern=STATUSES, max_length=32, description="open, closed, or open,closed"),
        ] = None,
    ) -> Any:
        wanted = _filter(
            catalogue(), parts.clock(), service_request_id, service_code, start_date, end_date,
            status,
        )  # fmt: skip
        found = [] if wanted is None else _read(parts, who, wanted, catalogue())
        return _answer(fmt, "service_requests", found)

    @router.get(
        f"{PREFIX}/requests/{{service_request_id}}.{fmt}",
        response_model=list[ServiceRequestOut] if json else None,
        response_class=response_class,
        responses=_responses(fmt, 400, 401, 404, 422, 429, 503),
        operation_id=f"open311_request_{fmt}",
        summary=f"GeoReport v2: one service request ({kind}); no api_key needed",
        openapi_extra=OPTIONAL_KEY,
        description="A list of one. 404 until the router has filed the request (moments after "
        "POST requests), and for a request the caller may not see (without an api_key: one "
        "whose category the policy does not mark public), in the words an unknown id gets.",
    )
    def get_request(
        who: QueryCaller,
        service_request_id: Annotated[
            str,
            Path(description="the event id", pattern=ONE_ID, max_length=MAX_ID_LENGTH),
        ],
    ) -> Any:
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
) -> RequestFilter | None:
    """The arguments of `GET requests` as a query, None when nothing can match; raises
    `Open311Error` (400) for bad ones."""
    ids = split_list(service_request_id)
    if ids:
        return RequestFilter(event_ids=tuple(ids))
    start, end = date_range(
        parse_datetime(start_date, "start_date"), parse_datetime(end_date, "end_date"), now
    )
    codes = split_list(service_code)
    if codes and not any(c in catalogue.subcategories or c in catalogue.categories for c in codes):
        return None  # only unknown services: nothing matches
    statuses = split_list(status)
    return RequestFilter(
        subcategory_codes=tuple(c for c in codes if c in catalogue.subcategories),
        category_codes=tuple(c for c in codes if c in catalogue.categories),
        start=start,
        end=end,
        open=not statuses or "open" in statuses,
        closed=not statuses or "closed" in statuses,
    )


def _read(
    parts: ApiParts, who: Principal | None, wanted: RequestFilter, catalogue: Catalogue
) -> list[ServiceRequestOut]:
    public = parts.public_categories

    def visible(row: Any, units: frozenset[str]) -> View | None:
        if who is not None and may_see(who, row, units):
            return "full"
        return "public" if row.category_code in public else None

    with parts.engine.connect() as conn:
        records = service_requests(conn, who, wanted, visible, public)
    return [
        request_out(r, catalogue, place_of(parts.org, r.row) if r.view == "public" else None)
        for r in records
    ]
