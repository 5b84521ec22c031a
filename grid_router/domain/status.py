"""What an incident's state means to the person who reported it (一次性告知: everything in one
answer), in plain Chinese, with the codes beside it for the app that shows it. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import Final

from grid_router.domain.model import Level, State
from grid_router.domain.workflow import STATE_NAMES, Action

LEVEL_NAMES: Final[Mapping[Level, str]] = {
    Level.COMMUNITY: "社区",
    Level.STREET: "街道",
    Level.DISTRICT: "区",
    Level.CITY: "市",
}

_CST: Final = timezone(timedelta(hours=8))

RECORD_NAMES: Final[Mapping[str, str]] = {
    "SLA_WARNING": "超时预警（黄牌）",
    "SLA_BREACH": "超时（红牌）",
    "REGRADE": "升级（等级提高）",
    "REFUSED": "操作被拒绝",
}


def action_name(code: str) -> str:
    """The operators' name of a history step's action: 签收, 超时（红牌）…; the code if unknown."""
    if code in RECORD_NAMES:
        return RECORD_NAMES[code]
    try:
        return Action(code).chinese
    except ValueError:
        return code


def state_name(code: str) -> str:
    try:
        return STATE_NAMES[State(code)]
    except ValueError:
        return code


def local(moment: datetime) -> str:
    """A time as people in Xiamen read it: 2026-11-27 17:30."""
    return moment.astimezone(_CST).strftime("%Y-%m-%d %H:%M")


def summary(
    state: State,
    unit_name: str,
    department: str | None,
    sign_by: datetime | None,
    handle_by: datetime | None,
    merged_into: str | None = None,
) -> str:
    """One sentence a resident understands: who has the matter and by when it is due."""
    who = f"{unit_name}（{department}）" if department and department != unit_name else unit_name
    match state:
        case State.REPORTED | State.FILED:
            return "您反映的问题已收到，正在分派办理单位。"
        case State.DISPATCHED:
            due = f"，应于{local(sign_by)}前签收" if sign_by else ""
            return f"您反映的问题已派遣至{who}{due}。"
        case State.SIGNED | State.IN_PROGRESS:
            due = f"，应于{local(handle_by)}前办结" if handle_by else ""
            return f"{who}已签收您反映的问题，正在处理{due}。"
        case State.HANDLED:
            return f"{who}已处理完毕，正在核查处理结果。"
        case State.VERIFIED:
            return "处理结果已核查通过，即将结案。"
        case State.CLOSED:
            return "您反映的问题已办结。"
        case State.SUSPENDED:
            return f"{who}已将该问题挂账（需较长时间处理），期间暂停计时。"
        case State.VOIDED:
            return "经核实，该问题不属于有效案件，已作废。"
        case State.MERGED:
            return f"该问题已有人反映，已并入同一事件（{merged_into}）一并办理。"
        case _:
            return f"当前状态：{state_name(state)}。"
