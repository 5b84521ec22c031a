"""The desk's working pages: sign in and out, my queue (待办), an incident and its actions, and
the live stream that keeps open pages current.

Actions go through the API's own `ActionDesk` (the path of `POST /api/v1/events/{id}/actions`):
checked against the incident's state and the session's scope, then sent to `grid.actions`; the
router stays the only writer of state. An incident another unit holds is a 404, the same page
as an unknown one.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING, Annotated, Any, Final

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from grid_router.adapters.db.desk import (
    DeskSession,
    PhotoRecord,
    cards,
    photo_of,
    photos,
    reminders,
)
from grid_router.adapters.db.tables import work_orders
from grid_router.adapters.db.views import (
    breach_due,
    event_record,
    mask_name,
    mask_phone,
    unit_queue,
)
from grid_router.adapters.photos import PhotoError
from grid_router.domain.model import Level, State
from grid_router.domain.sla import SlaStage
from grid_router.domain.status import action_name, summary
from grid_router.domain.workflow import (
    STATE_NAMES,
    Action,
    Actor,
    WorkflowSnapshot,
    offered_actions,
)
from grid_router.entrypoints.desk.web import (
    COOKIE,
    LOGIN_COOKIE,
    Desk,
    NeedsSignIn,
    csrf_ok,
    home_of,
    see_other,
    text,
)
from grid_router.service.auth import Principal, Role, area_prefix
from grid_router.service.desk import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
)
from grid_router.service.live import LiveHub, Notice

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

PAGE_SIZE: Final = 50
OPEN_FILTERS: Final = ("DISPATCHED", "SIGNED", "IN_PROGRESS", "HANDLED", "VERIFIED", "SUSPENDED")
# What each action's form asks for, besides the button.
FORMS: Final[dict[Action, tuple[str, ...]]] = {
    Action.HANDLE: ("result", "photos"),
    Action.VERIFY_FAIL: ("reason",),
    Action.VERIFY_PASS: ("result",),
    Action.CLOSE: ("result",),
    Action.RETURN: ("reason", "target"),
    Action.ESCALATE: ("reason",),
    Action.EXTEND: ("reason", "minutes"),
    Action.SUSPEND: ("reason",),
    Action.VOID: ("reason",),
    Action.REOPEN: ("reason",),
    Action.RECLASSIFY: ("category", "grade", "reason"),
}
PING_SECONDS: Final = 15.0
EventId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:-]+$")]


def install_pages(api: FastAPI, parts: ApiParts, desk: Desk, hub: LiveHub) -> None:
    """Sign-in, the queue, incidents and their actions, the live stream."""
    _install_sign_in(api, parts, desk)
    _install_queue(api, parts, desk)
    _install_incident(api, parts, desk)
    _install_live(api, desk, hub)


def _install_sign_in(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/desk/", include_in_schema=False)
    def desk_home(request: Request) -> Response:
        return see_other(home_of(desk.session(request).who))

    @api.get("/desk/signin", include_in_schema=False)
    def signin_form(request: Request) -> Response:
        return _signin_page(request, None, 200)

    @api.post("/desk/signin", include_in_schema=False)
    async def signin(request: Request) -> Response:
        form = await request.form()
        nonce = request.cookies.get(LOGIN_COOKIE)
        if not nonce or form.get("nonce") != nonce:
            return _refused_form(request, "登录表单已过期，请刷新页面后重新登录。")
        token = text(form, "token", 200) or ""
        who = await run_in_threadpool(parts.tokens.authenticate, token)
        if who is None:
            return _refused_form(request, "令牌无效（未知、格式错误或已吊销），请核对后重试。")
        secret, _ = await run_in_threadpool(desk.sessions.open, who, desk.clock())
        response = see_other(home_of(who))
        desk.set_session_cookie(response, secret)
        response.delete_cookie(LOGIN_COOKIE, path="/desk/")
        return response

    def _refused_form(request: Request, message: str) -> Response:
        return _signin_page(request, message, 400)

    def _signin_page(request: Request, error: str | None, status: int) -> Response:
        nonce = secrets.token_urlsafe(24)
        response = desk.page(request, "signin.html", None, status, error=error, nonce=nonce)
        desk.set_login_cookie(response, nonce)
        return response

    @api.post("/desk/signout", include_in_schema=False)
    async def signout(request: Request) -> Response:
        session = desk.session(request)
        if not csrf_ok(session, await request.form()):
            return _forbidden(request, desk)
        await run_in_threadpool(desk.sessions.close, request.cookies.get(COOKIE, ""))
        response = see_other("/desk/signin")
        response.delete_cookie(COOKIE, path="/")
        return response


def _install_queue(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/desk/queue", include_in_schema=False)
    def queue(
        request: Request,
        unit: Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$")] = None,
        kind: Annotated[str, Query(pattern="^(ACTION|INFO_COPY)$")] = "ACTION",
        state: Annotated[str | None, Query(max_length=16)] = None,
        category: Annotated[str | None, Query(max_length=32)] = None,
        overdue: Annotated[bool, Query()] = False,
        page: Annotated[int, Query(ge=1, le=10_000)] = 1,
        fragment: Annotated[bool, Query()] = False,
    ) -> Response:
        session = desk.session(request)
        who = session.who
        code, area = _queue_scope(who, unit)
        if code is None:
            return not_found(request, desk, session)
        state = state if state in OPEN_FILTERS else None
        now = desk.clock()
        with parts.engine.connect() as conn:
            items, total = unit_queue(
                conn, code, now, kind=kind, state=state, category=category or None,
                overdue_only=overdue, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, area=area,
            )  # fmt: skip
            carded = cards(conn, ((i.event_id, i.version) for i in items))
            notes = (
                reminders(conn, unit_code=code, since=now - timedelta(days=1)) if not area else []
            )
        values: dict[str, Any] = {
            "items": items, "cards": carded, "total": total, "page": page,
            "pages": max(1, -(-total // PAGE_SIZE)), "unit_code": code, "area": area,
            "kind": kind, "state": state or "", "category": category or "", "overdue": overdue,
            "states": [(s, STATE_NAMES[State(s)]) for s in OPEN_FILTERS],
            "categories": _categories(parts), "reminders": notes, "now": now,
        }  # fmt: skip
        return desk.page(
            request, "queue_rows.html" if fragment else "queue.html", session, **values
        )


def _install_incident(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/desk/events/{event_id}", include_in_schema=False)
    def incident(request: Request, event_id: EventId, sent: str | None = None) -> Response:
        return _incident_page(request, desk.session(request), event_id, sent=sent)

    def _incident_page(
        request: Request,
        session: DeskSession,
        event_id: str,
        *,
        sent: str | None = None,
        refusal: str | None = None,
        status: int = 200,
    ) -> Response:
        who = session.who
        now = desk.clock()
        with parts.engine.connect() as conn:
            record = event_record(conn, event_id)
            if record is None or not may_see_record(who, record):
                return not_found(request, desk, session)
            copies = conn.execute(
                work_orders.select().where(
                    work_orders.c.event_id == event_id,
                    work_orders.c.kind == "INFO_COPY",
                    work_orders.c.active,
                )
            ).all()
            notes = reminders(conn, event_id=event_id, since=now - timedelta(days=30))
            pictures = photos(conn, [event_id, *record.merged_reports])
        r: Any = record.row
        state = State(r.state)
        snapshot = WorkflowSnapshot(
            state, r.version, Level(r.level), r.unit_code,
            State(r.suspended_from) if r.suspended_from else None,
        )  # fmt: skip
        offered = offered_actions(snapshot, _actor(who, parts.org.city.code))
        sign_by = breach_due(record.deadlines, SlaStage.SIGN)
        handle_by = breach_due(record.deadlines, SlaStage.HANDLE)
        explanation = next((s.reason for s in record.history if s.action == "FILE"), None)
        return desk.page(
            request, "incident.html", session, status=status, r=r, record=record,
            place=desk.place(r),
            reporter=(mask_name(r.reporter_name), mask_phone(r.reporter_phone)),
            explanation=explanation, offered=[(a, FORMS.get(a, ())) for a in offered],
            copies=copies, reminders=notes, sent=sent, refusal=refusal, now=now,
            photos=[_shown(event_id, p) for p in pictures],
            summary=summary(state, r.unit_name, r.department, sign_by, handle_by, r.merged_into),
            categories=_categories(parts),
            may_remind=_may_remind(who) and state.value in OPEN_FILTERS,
        )  # fmt: skip

    @api.get("/desk/events/{event_id}/photos/{sha256}", include_in_schema=False)
    def photo(
        request: Request,
        event_id: EventId,
        sha256: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$")],
    ) -> Response:
        """A photo from the photo store that a report or an action of this incident carried,
        for a session that may see the incident (else the same 404 as an unknown one)."""
        session = desk.session(request)
        with parts.engine.connect() as conn:
            record = event_record(conn, event_id)
            ours = (
                record is not None
                and may_see_record(session.who, record)
                and photo_of(conn, [event_id, *record.merged_reports], sha256)
            )
        found = parts.photos.get(sha256) if ours else None
        if found is None:
            return Response(status_code=404)
        data, kind = found
        return Response(data, media_type=kind, headers={"Cache-Control": "private, max-age=3600"})

    @api.get("/desk/events/{event_id}/version", include_in_schema=False)
    def version(request: Request, event_id: EventId) -> Response:
        """The incident's version, for a page that reconnects to the live stream."""
        session = desk.session(request)
        with parts.engine.connect() as conn:
            record = event_record(conn, event_id)
        if record is None or not may_see_record(session.who, record):
            return Response(status_code=404)
        return Response(str(record.row.version), media_type="text/plain")  # type: ignore[attr-defined]

    @api.post("/desk/events/{event_id}/act", include_in_schema=False)
    async def act(request: Request, event_id: EventId) -> Response:
        session = desk.session(request)
        form = await request.form()
        if not csrf_ok(session, form):
            return _forbidden(request, desk)
        try:
            body = await _action_body(form, parts)
            await run_in_threadpool(parts.actions.submit, session.who, event_id, body)
        except NotFoundError:
            return not_found(request, desk, session)
        except (ConflictError, InvalidRequestError, ForbiddenError) as exc:
            refusal = str(exc)
            page = partial(_incident_page, request, session, event_id, refusal=refusal, status=409)
            return await run_in_threadpool(page)
        return see_other(f"/desk/events/{event_id}?sent={form.get('action')}")


def _install_live(api: FastAPI, desk: Desk, hub: LiveHub) -> None:
    @api.get("/desk/live", include_in_schema=False)
    async def live(request: Request) -> Response:
        session = await run_in_threadpool(desk.session, request)
        who = session.who

        def admits(notice: Notice) -> bool:
            return who.sees_unit(notice.unit_code)

        sub = hub.subscribe(admits)

        async def stream() -> AsyncIterator[str]:
            try:
                yield "retry: 1000\n\n"
                while not await request.is_disconnected():
                    try:
                        notice = await asyncio.wait_for(sub.queue.get(), PING_SECONDS)
                    except TimeoutError:
                        yield ": ping\n\n"
                        continue
                    yield f"event: notice\ndata: {json.dumps(notice.as_json())}\n\n"
            finally:
                hub.unsubscribe(sub)

        return StreamingResponse(
            stream(),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )


def _shown(event_id: str, p: PhotoRecord) -> dict[str, Any]:
    """How the incident page shows a photo: a thumbnail when the photo store holds it (the
    API's own `/api/v1/photos/{sha256}` URL), a link for any other http(s) URL, else the URL as
    text (a `javascript:` URL someone sent never becomes a link)."""
    local = p.sha256 is not None and p.url == f"/api/v1/photos/{p.sha256}"
    if local:
        href: str | None = f"/desk/events/{event_id}/photos/{p.sha256}"
    elif p.url.startswith(("https://", "http://")):
        href = p.url
    else:
        href = None
    return {
        "record": p, "href": href, "thumbnail": local,
        "by": "上报" if p.action == "REPORT" else action_name(p.action),
        "repeat": p.event_id != event_id,
    }  # fmt: skip


def may_see_record(who: Principal, record: Any) -> bool:
    from grid_router.service.desk import may_see

    return may_see(who, record.row, record.units)


def not_found(request: Request, desk: Desk, session: Any) -> HTMLResponse:
    """The same page for an unknown incident and one this session may not see."""
    return desk.page(request, "not_found.html", session, status=404)


def _forbidden(request: Request, desk: Desk) -> HTMLResponse:
    return desk.page(request, "forbidden.html", None, status=403)


def _queue_scope(who: Principal, unit: str | None) -> tuple[str | None, bool]:
    """The unit code (or area prefix, with True) of the queue `who` asked for, None if it may
    not read it."""
    if who.role is Role.GRID_WORKER:
        return None, False
    if who.role is Role.VERIFIER and who.unit_code and unit in (None, who.unit_code):
        return area_prefix(who.unit_code), True
    code = unit or who.unit_code
    if code is None:
        return None, False
    return (code, False) if who.sees_unit(code) else (None, False)


def _actor(who: Principal, city: str) -> Actor:
    if who.role is Role.BRIDGE:
        return Actor.system(who.name)
    return Actor(who.wire_role, who.unit_code or city, who.name)


def _may_remind(who: Principal) -> bool:
    return who.role in (Role.OPERATOR, Role.VERIFIER)


def _categories(parts: ApiParts) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in parts.taxonomy.categories]


async def _action_body(form: FormData, parts: ApiParts) -> dict[str, Any]:
    """The JSON body of `POST /api/v1/events/{id}/actions` for a submitted action form."""
    code = text(form, "action", 32) or ""
    body: dict[str, Any] = {"action": code, "reason": text(form, "reason", 500)}
    if code in ("VERIFY_PASS", "VERIFY_FAIL"):
        body |= {"action": "VERIFY", "verify_passed": code == "VERIFY_PASS"}
    body["result"] = text(form, "result", 4000)
    minutes = text(form, "minutes", 9)
    if minutes is not None:
        if not minutes.isdigit():
            raise InvalidRequestError("延期时长须为整数分钟", [("minutes", "not a number")])
        body["extend_minutes"] = int(minutes)
    body["target_unit_code"] = text(form, "target", 12)
    body["category_code"] = text(form, "category", 32)
    body["severity"] = text(form, "grade", 3)
    photos = []
    for upload in form.getlist("photos"):
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(parts.max_photo_bytes + 1)
            try:
                stored = await run_in_threadpool(parts.photos.put, data)
            except PhotoError as exc:
                raise InvalidRequestError(f"照片无法保存：{exc}", [("photos", str(exc))]) from exc
            photos.append({"url": f"/api/v1/photos/{stored.sha256}", "sha256": stored.sha256})
    body["photos"] = photos
    return {k: v for k, v in body.items() if v is not None}


def sign_in_redirect(request: Request, exc: NeedsSignIn) -> Response:
    if request.url.path == "/desk/live":
        return Response(status_code=401)
    return see_other("/desk/signin")
