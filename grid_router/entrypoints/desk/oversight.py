"""The desk's other pages: supervision (督办) with reminders (催办), the grid worker's report
form, and the resident's status page (一次性告知, no sign-in, nothing personal)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from grid_router.adapters.db.desk import (
    Reminder,
    UnitFigures,
    add_reminder,
    area_figures,
    find_public,
    rate,
)
from grid_router.adapters.db.live import reminder_notice
from grid_router.adapters.db.tables import incidents
from grid_router.adapters.db.views import breach_due, event_record
from grid_router.adapters.photos import PhotoError
from grid_router.domain.model import IncidentReport, Level, Photo, Reporter, Source, State
from grid_router.domain.sla import SlaStage
from grid_router.domain.status import LEVEL_NAMES, summary
from grid_router.entrypoints.desk.pages import OPEN_FILTERS, may_see_record, not_found
from grid_router.entrypoints.desk.web import CST, Desk, csrf_ok, see_other, text
from grid_router.service.auth import Principal, Role, area_prefix
from grid_router.service.desk import (
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    check_report,
)
from grid_router.service.live import LiveHub

if TYPE_CHECKING:
    from grid_router.entrypoints.api.app import ApiParts

Key = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")]


def install_oversight(api: FastAPI, parts: ApiParts, desk: Desk, hub: LiveHub) -> None:
    """Supervision and reminders, the report form, the resident's status page."""
    _install_supervision(api, parts, desk)
    _install_remind(api, parts, desk, hub)
    _install_report(api, parts, desk)
    _install_status(api, parts, desk)


def _install_supervision(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/desk/supervision", include_in_schema=False)
    def supervision(
        request: Request, unit: Annotated[str | None, Query(pattern=r"^\d{6}(\d{3}){0,2}$")] = None
    ) -> Response:
        session = desk.session(request)
        who = session.who
        code = unit or who.unit_code or parts.org.city.code
        target = parts.org.get(code)
        if not _may_supervise(who, code) or target is None:
            return not_found(request, desk, session)
        now = desk.clock()
        today, week = _day_start(now), _week_start(now)
        prefix = area_prefix(code)
        with parts.engine.connect() as conn:
            per_unit = area_figures(conn, prefix, now, today, week)
        rows: list[tuple[Any, UnitFigures]] = []
        own = UnitFigures(code)
        total = UnitFigures(code)
        children = parts.org.children(code) if target.level is not Level.COMMUNITY else []
        for child in children:
            sums = UnitFigures(child.code)
            for unit_code, figures in per_unit.items():
                if unit_code.startswith(area_prefix(child.code)):
                    sums.add(figures)
            rows.append((child, sums))
        for unit_code, figures in per_unit.items():
            total.add(figures)
            if unit_code == code:
                own.add(figures)
        rows.sort(key=lambda pair: (-pair[1].red, -pair[1].overdue, -pair[1].open, pair[0].code))
        return desk.page(
            request, "supervision.html", session, target=target, rows=rows, own=own,
            total=total, rate=rate, chain=parts.org.chain(code)[::-1], level_names=LEVEL_NAMES,
            may_drill=lambda c: _may_supervise(who, c), now=now,
        )  # fmt: skip


def _install_remind(api: FastAPI, parts: ApiParts, desk: Desk, hub: LiveHub) -> None:
    @api.post("/desk/events/{event_id}/remind", include_in_schema=False)
    async def remind(request: Request, event_id: Key) -> Response:
        session = desk.session(request)
        form = await request.form()
        if not csrf_ok(session, form):
            return desk.page(request, "forbidden.html", None, status=403)
        who = session.who
        with parts.engine.connect() as conn:
            record = event_record(conn, event_id)
        if record is None or not may_see_record(who, record) or not _may_remind(who):
            return not_found(request, desk, session)
        r: Any = record.row
        if r.state not in OPEN_FILTERS:
            return see_other(f"/desk/events/{event_id}")
        message = text(form, "message", 300) or "请抓紧办理，按时限办结。"
        sender = f"{desk.unit_name(who.unit_code or parts.org.city.code)} {who.name}"
        reminder = Reminder(event_id, r.unit_code, sender[:128], message, desk.clock())
        await run_in_threadpool(add_reminder, parts.engine, reminder)
        if parts.reminder_feed is None:  # else the feed pushes it, in every API process
            hub.publish(reminder_notice(reminder, r.version))
        return see_other(f"/desk/events/{event_id}?sent=REMIND")


def _install_report(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/desk/report", include_in_schema=False)
    def report_form(request: Request) -> Response:
        session = desk.session(request)
        return _report_page(request, session.who, session, None, 200)

    def _report_page(
        request: Request, who: Principal, session: Any, error: str | None, status: int,
        form: Any = None,
    ) -> Response:  # fmt: skip
        communities = sorted({g[:12] for g in who.grids} if who.role is Role.GRID_WORKER else set())
        return desk.page(
            request, "report.html", session, status=status, error=error,
            categories=[(c.code, c.name) for c in parts.taxonomy.categories],
            communities=[(c, desk.unit_name(c)) for c in communities],
            grids=sorted(g for g in who.grids if len(g) == 15), key=str(uuid.uuid4()),
            form=form or {},
        )  # fmt: skip

    @api.post("/desk/report", include_in_schema=False)
    async def report(request: Request) -> Response:
        session = desk.session(request)
        form = await request.form()
        if not csrf_ok(session, form):
            return desk.page(request, "forbidden.html", None, status=403)
        who = session.who
        description = text(form, "description", 4000)
        if description is None:
            return _report_page(request, who, session, "请填写问题描述。", 422, form)
        photos = []
        for upload in form.getlist("photos"):
            if isinstance(upload, UploadFile) and upload.filename:
                try:
                    stored = await run_in_threadpool(
                        parts.photos.put, await upload.read(parts.max_photo_bytes + 1)
                    )
                except PhotoError as exc:
                    return _report_page(request, who, session, f"照片无法保存：{exc}", 422, form)
                photos.append(Photo(url=f"/api/v1/photos/{stored.sha256}", sha256=stored.sha256))
        now = desk.clock()
        report = IncidentReport(
            event_id=str(uuid.uuid4()),
            reported_at=now,
            source=Source.GRID_APP if who.role is Role.GRID_WORKER else Source.OTHER,
            reporter=Reporter(id=who.name[:64], role=who.role.value),
            description=description,
            category_code=text(form, "category", 32),
            grid_code=text(form, "grid_code", 15),
            community_code=text(form, "community_code", 12),
            address=text(form, "address", 500),
            photos=tuple(photos),
        )
        sent = {k: v for k, v in form.items() if isinstance(v, str) and k not in ("csrf", "key")}
        key = text(form, "key", 64)
        try:
            check_report(who, report, parts.org)
            done = await run_in_threadpool(parts.reports.submit, who, report, sent, key)
        except (InvalidRequestError, ForbiddenError, ConflictError) as exc:
            return _report_page(request, who, session, f"未能上报：{exc}", 422, form)
        return see_other(f"/status/{done.event_id}?reported=1")


def _install_status(api: FastAPI, parts: ApiParts, desk: Desk) -> None:
    @api.get("/status/{key}", include_in_schema=False)
    def status_page(request: Request, key: Key, reported: bool = False) -> Response:
        with parts.engine.connect() as conn:
            row: Any = find_public(conn, key)
            record = event_record(conn, row.event_id) if row is not None else None
            merged: Any = None
            if row is not None and row.merged_into:
                merged = conn.execute(
                    select(incidents).where(incidents.c.event_id == row.merged_into)
                ).first()
        # The public status page shows what Open311 shows without a key: only the categories
        # the policy marks public (`access.public_categories`); what a reporter says about
        # crime, a family quarrel or a person in need can identify them.
        if row is None or record is None or row.category_code not in parts.public_categories:
            return desk.page(request, "status_missing.html", None, status=404)
        shown = merged if merged is not None else row
        state = State(shown.state)
        deadlines = record.deadlines
        if merged is not None:
            with parts.engine.connect() as conn:
                other = event_record(conn, merged.event_id)
            deadlines = other.deadlines if other else ()
        sign_by = breach_due(deadlines, SlaStage.SIGN)
        handle_by = breach_due(deadlines, SlaStage.HANDLE)
        return desk.page(
            request, "status.html", None, r=row, shown=shown, state=state, reported=reported,
            place=[p for p in desk.place(row) if p[0] != "网格"],
            summary=summary(state, shown.unit_name, shown.department, sign_by, handle_by,
                            None),
            sign_by=sign_by, handle_by=handle_by,
        )  # fmt: skip


def _may_supervise(who: Principal, code: str) -> bool:
    if who.role is Role.OPERATOR:
        return True
    return who.role is Role.VERIFIER and who.sees_unit(code)


def _may_remind(who: Principal) -> bool:
    return who.role in (Role.OPERATOR, Role.VERIFIER)


def _day_start(now: datetime) -> datetime:
    local = now.astimezone(CST)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _week_start(now: datetime) -> datetime:
    day = _day_start(now)
    return day - timedelta(days=day.weekday())
