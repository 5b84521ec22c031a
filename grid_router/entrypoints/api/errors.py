"""Every error the API answers, in one shape (`ErrorOut`), with a code an app can switch on and
a message its developer can act on. Nothing here reveals whether another unit's incident
exists: "not found" and "not yours" are the same 404."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from grid_router.entrypoints.api.models import ErrorOut
from grid_router.service.desk import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)

log = logging.getLogger("grid_router.api")


class ApiError(Exception):
    """An error answer: HTTP status, code, message, and the bad fields if any."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Sequence[tuple[str, str]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = list(fields)
        self.headers = dict(headers or {})


def error_response(
    status: int,
    code: str,
    message: str,
    fields: Sequence[tuple[str, str]] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body = {
        "error": {
            "code": code,
            "message": message,
            "fields": [{"path": p, "message": m} for p, m in fields],
        }
    }
    return JSONResponse(body, status_code=status, headers=dict(headers or {}))


def _field_path(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(parts) or "body"


_STATUS_CODES: Final = {
    400: "INVALID_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "INVALID_REQUEST",
    429: "RATE_LIMITED",
    503: "UNAVAILABLE",
}

# Every answer an endpoint may give besides its success, for the OpenAPI document.
COMMON_ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    400: {
        "model": ErrorOut,
        "description": "the body cannot be read: not valid UTF-8, or JSON nested too deeply",
    },
    401: {"model": ErrorOut, "description": "no token, or a token that is not valid"},
    403: {"model": ErrorOut, "description": "the token does not allow this"},
    413: {"model": ErrorOut, "description": "the request body is too large"},
    422: {"model": ErrorOut, "description": "the request is not valid; `fields` names each fault"},
    429: {"model": ErrorOut, "description": "too many requests for this token; see Retry-After"},
    500: {"model": ErrorOut, "description": "an internal error (logged with its request id)"},
    503: {"model": ErrorOut, "description": "Kafka or the database is unavailable; retry"},
}


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into an `ErrorOut`."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.fields, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        fields = [(_field_path(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors()]
        shown = "; ".join(f"{p}: {m}" for p, m in fields[:10])
        return error_response(422, "INVALID_REQUEST", f"the request is not valid: {shown}", fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "ERROR")
        return error_response(
            exc.status_code,
            code,
            _unparsable(exc) or str(exc.detail),
            headers=answer_headers(request, exc),
        )

    @app.exception_handler(ForbiddenError)
    async def not_allowed(_: Request, exc: ForbiddenError) -> JSONResponse:
        return error_response(403, "FORBIDDEN", str(exc))

    @app.exception_handler(NotFoundError)
    async def not_found(_: Request, exc: NotFoundError) -> JSONResponse:
        return error_response(404, "NOT_FOUND", str(exc))

    @app.exception_handler(InvalidRequestError)
    async def invalid_by_rule(_: Request, exc: InvalidRequestError) -> JSONResponse:
        return error_response(422, "INVALID_REQUEST", str(exc), exc.fields)

    @app.exception_handler(ConflictError)
    async def conflict(_: Request, exc: ConflictError) -> JSONResponse:
        return error_response(409, exc.code, str(exc))

    @app.exception_handler(RecursionError)
    async def too_deep(_: Request, __: RecursionError) -> JSONResponse:
        return error_response(400, "INVALID_REQUEST", "the JSON body is nested too deeply")

    app.add_exception_handler(Exception, internal_error)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """A 500 for what no other handler answers; the traceback is logged."""
    log.error("internal error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(
        500, "INTERNAL", f"internal error ({type(exc).__name__}); it has been logged"
    )


def answer_headers(request: Request, exc: StarletteHTTPException) -> Mapping[str, str] | None:
    """The headers of an HTTP error's answer; a 405's `Allow` lists every method of the path.
    Starlette names only the first route that matched the path, and one path may have a route
    per method (GET and POST of Open311's requests)."""
    if exc.status_code != 405:
        return exc.headers
    allowed: set[str] = set()
    for route in request.app.router.routes:
        methods = getattr(route, "methods", None)
        if methods and route.matches(request.scope)[0] is not Match.NONE:
            allowed |= set(methods)
    headers = dict(exc.headers or {})
    if allowed:
        headers["Allow"] = ", ".join(sorted(allowed))
    return headers


def _unparsable(exc: StarletteHTTPException) -> str | None:
    """What was wrong with a body FastAPI could not parse (it answers 400 "There was an error
    parsing the body" for any failure but malformed JSON, and keeps the cause)."""
    if exc.status_code != 400:
        return None
    if isinstance(exc.__cause__, UnicodeDecodeError):
        return "the request body is not valid UTF-8"
    if isinstance(exc.__cause__, RecursionError):
        return "the JSON body is nested too deeply"
    return None


class BodyLimit:
    """Refuses request bodies above `max_bytes` with 413 before the application reads them
    (by Content-Length, and by counting for bodies sent without one). `overrides` gives other
    limits to paths that start with a prefix (photo uploads)."""

    def __init__(self, app: ASGIApp, max_bytes: int, overrides: Mapping[str, int]) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.overrides = dict(overrides)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        limit = next((n for p, n in self.overrides.items() if path.startswith(p)), self.max_bytes)
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _too_large(limit)(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLargeError(limit)
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _BodyTooLargeError:
            if not started:
                await _too_large(limit)(scope, receive, send)


class _BodyTooLargeError(StarletteHTTPException):
    # An HTTPException, so that FastAPI, which turns any other error while it reads a body into
    # 400 "There was an error parsing the body", lets it through to the 413 answer.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


def _too_large(limit: int) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
    return error_response(
        413, "PAYLOAD_TOO_LARGE", f"the request body is larger than {limit} bytes"
    )
