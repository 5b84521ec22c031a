"""What every desk page shares: the templates (autoescaped: whatever a resident or reporter wrote
is shown as text), the session cookie and CSRF checks, and how times and codes read in Chinese.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from grid_router.adapters.db.desk import DeskSession, SessionStore
from grid_router.domain.model import Level, Severity
from grid_router.domain.org import Organisation
from grid_router.domain.status import LEVEL_NAMES, action_name, state_name
from grid_router.service.auth import Principal, Role

HERE: Final = Path(__file__).parent
COOKIE: Final = "grid_desk"
LOGIN_COOKIE: Final = "grid_desk_login"
CST: Final = timezone(timedelta(hours=8))

ROLE_NAMES: Final[Mapping[Role, str]] = {
    Role.DISPATCHER: "派遣员（调度台）",
    Role.VERIFIER: "核查员",
    Role.OPERATOR: "城市运行监督员",
    Role.GRID_WORKER: "网格员",
    Role.BRIDGE: "系统对接",
}
GRADE_NAMES: Final = {s.value: f"{s.value}级 {s.chinese}" for s in Severity}
KIND_NAMES: Final = {"ACTION": "主办", "INFO_COPY": "知悉（抄送）"}
SOURCE_NAMES: Final = {
    "GRID_APP": "网格员APP", "HOTLINE": "12345热线", "CITY_MGMT": "数字城管",
    "OPEN311": "Open311", "BURST": "突发聚集", "OTHER": "其他渠道",
}  # fmt: skip
ACTOR_ROLES: Final = {
    "dispatcher": "派遣员", "verifier": "核查员", "supervisor": "监督员",
    "grid_worker": "网格员", "handler": "处置人员", "operator": "运行人员",
}  # fmt: skip
SYSTEM_ACTORS: Final = {"router": "系统（分拨路由）", "timers": "系统（时限计时）"}


def actor_name(label: str, unit_name: Callable[[str], str]) -> str:
    """A history step's actor in words: "dispatcher:350206002008/张三" becomes
    "高殿社区居委会 派遣员 张三"."""
    role, _, rest = label.partition(":")
    if role == "system":
        return SYSTEM_ACTORS.get(rest, f"系统（{rest}）")
    unit, _, user = rest.partition("/")
    return " ".join(p for p in (unit_name(unit), ACTOR_ROLES.get(role, role), user) if p)


class NeedsSignIn(Exception):  # noqa: N818 - a redirect, not an error
    """No live session: the page answers with the sign-in page."""


def local_time(moment: datetime | None) -> str:
    return moment.astimezone(CST).strftime("%m-%d %H:%M") if moment else "—"


def full_time(moment: datetime | None) -> str:
    return moment.astimezone(CST).strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


@dataclass
class Desk:
    """The desk's parts: templates, sessions, the organisation (names of places) and clock."""

    sessions: SessionStore
    org: Organisation
    clock: Callable[[], datetime]
    secure_cookies: bool = False

    def __post_init__(self) -> None:
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(
            t=local_time, full=full_time, iso=iso, state=state_name, action=action_name,
            grade=lambda code: GRADE_NAMES.get(code, code),
            level=lambda code: LEVEL_NAMES[Level(code)] if code else "—",
            unit=self.unit_name, kind=lambda code: KIND_NAMES.get(code, code),
            source=lambda code: SOURCE_NAMES.get(code, code),
            actor=lambda label: actor_name(label, self.unit_name),
            role=lambda code: ACTOR_ROLES.get(code, code),
        )  # fmt: skip

    def unit_name(self, code: str | None) -> str:
        if not code:
            return "—"
        unit = self.org.get(code)
        return unit.name if unit else code

    def place(self, row: Any) -> list[tuple[str, str]]:
        """(level name, unit name) from the district down to the grid."""
        parts = [
            ("区", row.district_code),
            ("街道", row.street_code),
            ("社区", row.community_code),
        ]
        out = [(label, self.unit_name(code)) for label, code in parts if code]
        if row.grid_code:
            out.append(("网格", str(row.grid_code)))
        return out

    def page(
        self,
        request: Request,
        template: str,
        session: DeskSession | None,
        status: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        html = self.env.get_template(template).render(
            request=request,
            me=session.who if session else None,
            me_role=ROLE_NAMES.get(session.who.role, "") if session else "",
            me_unit=self.unit_name(session.who.unit_code) if session else "",
            csrf=session.csrf if session else "",
            **values,
        )
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def session(self, request: Request) -> DeskSession:
        """The live session of this request, or NeedsSignIn."""
        secret = request.cookies.get(COOKIE)
        found = self.sessions.find(secret, self.clock()) if secret else None
        if found is None:
            raise NeedsSignIn
        request.state.token_prefix = found.who.prefix
        return found

    def set_session_cookie(self, response: Response, secret: str) -> None:
        response.set_cookie(
            COOKIE, secret, httponly=True, samesite="strict", secure=self.secure_cookies,
            path="/", max_age=12 * 3600,
        )  # fmt: skip

    def set_login_cookie(self, response: Response, nonce: str) -> None:
        """The sign-in form's nonce (double submit: a cross-site form cannot read it)."""
        response.set_cookie(
            LOGIN_COOKIE, nonce, httponly=True, samesite="strict", secure=self.secure_cookies,
            path="/desk/",
        )  # fmt: skip


def csrf_ok(session: DeskSession, form: FormData) -> bool:
    sent = form.get("csrf")
    return isinstance(sent, str) and hmac.compare_digest(sent, session.csrf)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=_HEADERS)


def home_of(who: Principal) -> str:
    if who.role is Role.GRID_WORKER:
        return "/desk/report"
    if who.role is Role.OPERATOR:
        return "/desk/supervision"
    return "/desk/queue"


def text(form: FormData, name: str, limit: int = 2000) -> str | None:
    value = form.get(name)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return value[:limit] or None


_HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'",
}
