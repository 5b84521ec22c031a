"""数字城管 cases and status callbacks as grid_router's reports and actions (docs/bridges.md,
"数字城管"). Pure: no I/O.

A case raised by 数字城管's supervisors (监督员) becomes an IncidentReport of source CITY_MGMT
whose event id is derived from the case number, so that the same case twice is one incident.
A status callback becomes a dispatch action, taken by the bridge as the system.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Final, Literal, get_args

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from grid_router.domain.model import IncidentReport, Reporter, Source
from grid_router.domain.taxonomy import Taxonomy
from grid_router.service.hotline_tickets import BRIDGE_EVENTS, TicketNo

CITYMGMT_BRIDGE: Final = "citymgmt"
"""The bridge's name in the policy (`bridges:`): its secret signs the webhooks."""

CATEGORY: Final = "CITY_MGMT"
SUPERVISOR_ROLE: Final = "supervisor"

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
_Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
_Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
_Grid = Annotated[str, StringConstraints(pattern=r"^\d{15}$")]
_Unit = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3}){0,2}$")]

Status = Literal["签收", "处置中", "处置完成", "核查通过", "核查不通过", "结案", "退回"]
STATUSES: Final[tuple[str, ...]] = get_args(Status)

# Status → (action, where the comment goes). VERIFY carries verify_passed as well.
_ACTIONS: Final[dict[str, tuple[str, str]]] = {
    "签收": ("SIGN", "reason"),
    "处置中": ("START", "reason"),
    "处置完成": ("HANDLE", "result"),
    "核查通过": ("VERIFY", "reason"),
    "核查不通过": ("VERIFY", "reason"),
    "结案": ("CLOSE", "result"),
    "退回": ("RETURN", "reason"),
}
_VERIFY_PASSED: Final = {"核查通过": True, "核查不通过": False}
COMMENT_REQUIRED: Final = frozenset({"退回"})
"""Statuses whose comment is the action's required reason."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CaseIn(_Strict):
    """A case raised by a 数字城管 supervisor."""

    case_no: TicketNo = Field(description="数字城管's case number (案件编号)")
    event_class: _Short | None = Field(None, description="事件大类, e.g. 市容环境")
    event_type: _Short | None = Field(None, description="事件小类, e.g. 暴露垃圾")
    event_code: _Short | None = Field(
        None, description="the taxonomy's subcategory code, e.g. CITY_MGMT.EXPOSED_GARBAGE"
    )
    description: _Text
    address: _Short | None = None
    grid_code: _Grid | None = Field(None, description="15-digit grid code")
    supervisor_id: _Id = Field(description="the supervisor's (监督员) staff number")
    reported_at: AwareDatetime = Field(description="when the case was raised, with an offset")


class StatusIn(_Strict):
    """A status callback of 数字城管 about a case."""

    status: Status = Field(description="签收, 处置中, 处置完成, 核查通过, 核查不通过, 结案 or 退回")
    unit_code: _Unit | None = Field(None, description="the unit reporting (for the records)")
    comment: _Text | None = Field(
        None, description="the result (处置完成, 结案) or reason; required for 退回"
    )
    at: AwareDatetime | None = Field(None, description="when (for the records)")


def case_event_id(case_no: str) -> str:
    """The event id of a case's incident: the same for every sending of the case."""
    return str(uuid.uuid5(BRIDGE_EVENTS, f"citymgmt:{case_no}"))


def case_subcategory(event_code: str | None, taxonomy: Taxonomy | None) -> str | None:
    """`event_code` when it is a CITY_MGMT subcategory of `taxonomy`, else None."""
    if event_code is None or taxonomy is None:
        return None
    sub = taxonomy.subcategory(event_code)
    return sub.code if sub is not None and sub.category_code == CATEGORY else None


def case_report(case: CaseIn, taxonomy: Taxonomy | None) -> IncidentReport:
    """The report a case becomes: source and category CITY_MGMT, external reference the case
    number, reported by the supervisor."""
    attributes = {
        name: value
        for name, value in (
            ("event_class", case.event_class),
            ("event_type", case.event_type),
            ("event_code", case.event_code),
        )
        if value is not None
    }
    return IncidentReport(
        event_id=case_event_id(case.case_no),
        reported_at=case.reported_at,
        source=Source.CITY_MGMT.value,
        reporter=Reporter(id=case.supervisor_id, role=SUPERVISOR_ROLE),
        description=case.description,
        title=case.event_type,
        category_code=CATEGORY,
        subcategory_code=case_subcategory(case.event_code, taxonomy),
        grid_code=case.grid_code,
        address=case.address,
        external_ref=case.case_no,
        attributes=attributes,
    )


def status_action(status: StatusIn) -> dict[str, Any]:
    """The action (an ActionIn-shaped body) a status callback asks for. 退回 needs the comment
    (the caller checks `COMMENT_REQUIRED` first); it names no target, so the incident goes back
    to the dispatch centre one level up."""
    action, slot = _ACTIONS[status.status]
    body: dict[str, Any] = {"action": action, slot: status.comment}
    if status.status in _VERIFY_PASSED:
        body["verify_passed"] = _VERIFY_PASSED[status.status]
    return body
