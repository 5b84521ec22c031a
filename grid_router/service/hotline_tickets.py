"""12345 hotline tickets and follow-up calls (回访) as grid_router's reports and actions
(docs/bridges.md, "12345 hotline"). Pure: no I/O; the webhook and the pull poller share it.

A ticket becomes an IncidentReport of source HOTLINE whose event id is derived from the ticket
number (UUID version 5), so that the same ticket sent twice, by the webhook, the poller or both,
is one incident: the router files each event id once.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Final, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from grid_router.domain.model import IncidentReport, Reporter, Source, State

BRIDGE_EVENTS: Final = uuid.UUID("0d5c3b8e-8f0a-5b8e-9c61-6272696467e5")
"""The namespace of event ids derived from the far side's numbers (tickets, 数字城管 cases)."""

HOTLINE_BRIDGE: Final = "hotline-12345"
"""The bridge's name in the policy (`bridges:`), and the reporter id of its tickets."""

HOTLINE_ROLE: Final = "hotline_agent"

TicketNo = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
"""A ticket or case number: 1-64 letters, digits, _ or -, starting with a letter or digit."""

_Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)]
_Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
_Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]
_Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{3,20}$")]
_Grid = Annotated[str, StringConstraints(pattern=r"^\d{15}$")]
_Community = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]

TicketType = Literal["咨询", "投诉", "建议", "求助"]
Urgency = Literal["一般", "紧急", "特急"]

URGENCY_GRADES: Final[dict[str, str | None]] = {"一般": None, "紧急": "III", "特急": "II"}
"""The grade a ticket's urgency asks for at least (a trusted hint: domain/filing.py)."""

DISSATISFIED: Final = "回访不满意"
"""The reason of a reopen or failed verification whose callback gave no comment."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TicketIn(_Strict):
    """A 12345 ticket, as the hotline sends it (webhook) or lists it (pull)."""

    ticket_no: TicketNo = Field(description="the hotline's ticket number (工单编号)")
    type: TicketType = Field(description="咨询, 投诉, 建议 or 求助")
    urgency: Urgency = Field(
        description="一般 (the classifier grades it), 紧急 (at least grade III, 较大) or 特急 "
        "(at least grade II, 重大)"
    )
    title: _Short | None = None
    content: _Text = Field(description="what the caller said, as the agent wrote it")
    address: _Short | None = None
    grid_code: _Grid | None = Field(None, description="15-digit grid code, if the hotline knows")
    community_code: _Community | None = Field(None, description="12-digit community code")
    caller_name: _Name | None = Field(None, description="personal data: masked in every view")
    caller_phone: _Phone | None = Field(None, description="personal data: masked in every view")
    created_at: AwareDatetime = Field(description="when the ticket was taken, with an offset")


class CallbackIn(_Strict):
    """The result of the follow-up call (回访) of a ticket."""

    satisfied: StrictBool = Field(description="whether the caller is satisfied")
    comment: _Short | None = Field(None, description="what the caller said")
    at: AwareDatetime | None = Field(None, description="when the call was made (for the records)")


def ticket_event_id(ticket_no: str) -> str:
    """The event id of a ticket's incident: the same for every sending of the ticket."""
    return str(uuid.uuid5(BRIDGE_EVENTS, ticket_no))


def ticket_report(ticket: TicketIn) -> IncidentReport:
    """The report a ticket becomes: source HOTLINE, external reference the ticket number."""
    return IncidentReport(
        event_id=ticket_event_id(ticket.ticket_no),
        reported_at=ticket.created_at,
        source=Source.HOTLINE.value,
        reporter=Reporter(
            id=HOTLINE_BRIDGE, role=HOTLINE_ROLE, name=ticket.caller_name, phone=ticket.caller_phone
        ),
        description=ticket.content,
        title=ticket.title,
        severity_hint=URGENCY_GRADES[ticket.urgency],
        grid_code=ticket.grid_code,
        community_code=ticket.community_code,
        address=ticket.address,
        external_ref=ticket.ticket_no,
        attributes={"ticket_type": ticket.type, "urgency": ticket.urgency},
    )


def callback_action(callback: CallbackIn, state: State) -> dict[str, Any]:
    """The action (an ActionIn-shaped body) a callback asks for, given the incident's state.

    Satisfied: CLOSE a VERIFIED incident; on a HANDLED one the callback is the verification
    (VERIFY passed). Not satisfied: REOPEN a VERIFIED or CLOSED incident; VERIFY failed on a
    HANDLED one (the unit carries on). In any other state the plain CLOSE or REOPEN is returned,
    for the workflow to refuse with its reason.
    """
    comment = callback.comment
    if callback.satisfied:
        if state is State.HANDLED:
            return {"action": "VERIFY", "verify_passed": True, "reason": comment}
        return {"action": "CLOSE", "result": comment}
    reason = comment or DISSATISFIED
    if state is State.HANDLED:
        return {"action": "VERIFY", "verify_passed": False, "reason": reason}
    return {"action": "REOPEN", "reason": reason}


def action_code(body: dict[str, Any]) -> str:
    """The workflow's code of an action body: VERIFY becomes VERIFY_PASS or VERIFY_FAIL."""
    if body["action"] == "VERIFY":
        return "VERIFY_PASS" if body.get("verify_passed") else "VERIFY_FAIL"
    return str(body["action"])
