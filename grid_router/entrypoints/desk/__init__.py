"""The dispatch desk (调度台, DESIGN §7): server-rendered pages under `/desk/` for dispatch
centres, verifiers, triage desks and supervisors; the resident's status page under `/status/`;
the API's own documentation at `/docs` from vendored Swagger UI. See docs/desk.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from grid_router.adapters.db.desk import SessionStore
from grid_router.entrypoints.desk.oversight import install_oversight
from grid_router.entrypoints.desk.pages import install_pages, sign_in_redirect
from grid_router.entrypoints.desk.web import HERE, Desk, NeedsSignIn
from grid_router.service.live import LiveHub

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

SWAGGER: Final = "/desk/static/vendor/swagger-ui"


def install_desk(api: FastAPI, parts: ApiParts, hub: LiveHub) -> Desk:
    """Add the desk's pages, its static files and `/docs` to `api`."""
    desk = Desk(SessionStore(parts.engine), parts.org, parts.clock)
    api.mount("/desk/static", StaticFiles(directory=HERE / "static"), name="desk-static")

    async def needs_sign_in(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NeedsSignIn)
        return sign_in_redirect(request, exc)

    api.add_exception_handler(NeedsSignIn, needs_sign_in)

    @api.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="grid_router API",
            swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
            swagger_css_url=f"{SWAGGER}/swagger-ui.css",
            swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        )

    install_pages(api, parts, desk, hub)
    install_oversight(api, parts, desk, hub)
    return desk
