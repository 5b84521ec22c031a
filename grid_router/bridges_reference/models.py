"""The JSON shapes the reference far sides take and give, as pydantic models.

They mirror the schemas of the OpenAPI documents in `docs/bridges/` (field names, required and
nullable fields, value lists, patterns and lengths); `tests/integration/test_reference_server.py`
checks that every body the documents allow is accepted and that the answers conform.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
)

UnitCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}([0-9]{3}){0,2}$")]
Digits6 = Annotated[str, StringConstraints(pattern=r"^[0-9]{6}$")]
Digits9 = Annotated[str, StringConstraints(pattern=r"^[0-9]{9}$")]
Digits12 = Annotated[str, StringConstraints(pattern=r"^[0-9]{12}$")]
Digits15 = Annotated[str, StringConstraints(pattern=r"^[0-9]{15}$")]
NonEmpty = Annotated[str, StringConstraints(min_length=1)]
ExternalRef = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Number = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
Short = Annotated[str, StringConstraints(min_length=1, max_length=500)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=128)]
Long = Annotated[str, StringConstraints(min_length=1, max_length=5000)]
Phone = Annotated[str, StringConstraints(pattern=r"^[0-9+\- ]{3,20}$")]


def _integral(value: Any) -> Any:
    """JSON Schema's integer: 2.0 is one (as the documents say); "2" is not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


Version = Annotated[int, BeforeValidator(_integral), Field(ge=1)]

STATES = Literal[
    "REPORTED",
    "FILED",
    "DISPATCHED",
    "SIGNED",
    "IN_PROGRESS",
    "HANDLED",
    "VERIFIED",
    "CLOSED",
    "VOIDED",
    "MERGED",
    "ESCALATED",
    "RETURNED",
    "REOPENED",
    "SUSPENDED",
]


class _Strict(BaseModel):
    # Strict types (a version is a JSON integer, not "3"), no unknown field: the documents say
    # `additionalProperties: false`.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- what grid_router delivers (grid_router → far side) ----------------------------------------


class TicketProgress(_Strict):
    """hotline-12345: `POST /tickets/{ticket_no}/progress`."""

    ticket_no: ExternalRef
    event_id: NonEmpty
    version: Version
    status: Literal[
        "已派遣",
        "并案",
        "签收",
        "办理中",
        "办结",
        "退单",
        "上报",
        "核查不通过",
        "结案",
        "重新办理",
        "作废",
    ]
    status_code: Literal[
        "DISPATCH",
        "MERGE",
        "SIGN",
        "START",
        "HANDLE",
        "RETURN",
        "ESCALATE",
        "VERIFY_FAIL",
        "CLOSE",
        "REOPEN",
        "VOID",
    ]
    state: STATES
    unit_code: UnitCode
    unit_name: str
    department: str | None
    reason: str | None
    result: str | None
    at: AwareDatetime


class Case(_Strict):
    """citymgmt: `POST /cases`."""

    case_no: NonEmpty
    event_class: str | None
    event_type: str | None
    event_code: Annotated[str, StringConstraints(pattern=r"^CITY_MGMT\.[A-Z0-9_]+$")] | None
    severity: Literal["IV", "III", "II", "I"]
    title: str | None
    description: str
    address: str | None
    grid_code: Digits15 | None
    community_code: Digits12 | None
    street_code: Digits9 | None
    district_code: Digits6 | None
    unit_code: UnitCode
    unit_name: str
    department: str | None
    reported_at: AwareDatetime | None
    source: Literal["GRID_APP", "HOTLINE", "OPEN311", "CLI", "OTHER"]


class CaseProgress(_Strict):
    """citymgmt-progress: `POST /cases/{case_no}/progress`."""

    case_no: ExternalRef
    event_id: NonEmpty
    version: Version
    status_code: Literal[
        "DISPATCH", "MERGE", "SIGN", "HANDLE", "RETURN", "ESCALATE", "CLOSE", "VOID"
    ]
    status: Literal["派遣", "合并", "签收", "处理反馈", "回退", "上报", "结案", "作废"]
    unit_code: UnitCode
    unit_name: str
    reason: str | None
    result: str | None
    at: AwareDatetime


class Notification(_Strict):
    """public-safety: `POST /notifications`."""

    notice_id: NonEmpty
    version: Version
    category: str
    grade: Literal["II", "I"]
    grade_name: Literal["重大", "特别重大"]
    what: Literal["派遣", "升级（等级提高）", "上报", "超时（红牌）", "结案"]
    state: str
    description: str
    address: str | None
    district_code: Digits6 | None
    street_code: Digits9 | None
    unit_name: str
    department: str | None
    at: AwareDatetime


# --- what the far sides send (far side → grid_router) -------------------------------------------


class Ticket(_Strict):
    """A hotline ticket: the body of `POST /bridges/12345/tickets`, an item of the pull API."""

    ticket_no: Number
    type: Literal["咨询", "投诉", "建议", "求助"]
    urgency: Literal["一般", "紧急", "特急"]
    title: Short | None = None
    content: Long
    address: Short | None = None
    grid_code: Digits15 | None = None
    community_code: Digits12 | None = None
    caller_name: Name | None = None
    caller_phone: Phone | None = None
    created_at: AwareDatetime


# --- answers ------------------------------------------------------------------------------------


class DeliveryAck(BaseModel):
    """What the reference far sides answer to a delivery (a repeat included)."""

    accepted: Literal[True] = True
    duplicate: bool = Field(description="this Idempotency-Key was received before")
    idempotency_key: str
    count: int = Field(description="times this key has been received, this time included")


class TicketPage(BaseModel):
    """A page of the hotline's pull API."""

    tickets: list[dict[str, Any]]
    cursor: str


# --- the control API ----------------------------------------------------------------------------

ModeName = Literal["ok", "error", "throttle", "slow", "down"]


class ModeIn(_Strict):
    """How a far side answers from now on."""

    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)

    mode: ModeName = Field(
        description="ok; error (answers `status`, 500 by default); throttle (429 with "
        "Retry-After: `seconds`); slow (waits `seconds`, then answers as usual); down (closes "
        "the connection without an answer; 503 where the server cannot)"
    )
    seconds: float = Field(1.0, ge=0, le=3600, description="Retry-After of throttle, delay of slow")
    status: int = Field(500, ge=500, le=599, description="the status of error")
    calls: int | None = Field(
        None,
        ge=1,
        description="only for the next `calls` calls, then ok again; default: until changed",
    )


class ModeOut(BaseModel):
    far_side: str
    mode: ModeName
    seconds: float
    status: int
    calls: int | None = Field(description="calls left in this mode; null: until changed")


class QueuedOut(BaseModel):
    queued: int
    cursor: str = Field(description="the pull API's cursor after the last ticket queued")


class ReceivedDelivery(BaseModel):
    """One accepted delivery, as `GET /_control/received` lists it."""

    seq: int = Field(description="arrival order (first receipt), from 1")
    far_side: str
    bridge: str = Field(description="the policy's bridge: hotline-12345, citymgmt, …")
    method: str
    path: str = Field(description="the path on the far side's base URL, as received")
    idempotency_key: str
    count: int = Field(description="times this key was received")
    first_at: str
    last_at: str
    payload: dict[str, Any]


class FarSideStats(BaseModel):
    calls: int = 0
    accepted: int = 0
    duplicates: int = 0
    bad_signature: int = 0
    invalid: int = 0
    failed: int = Field(0, description="calls answered by a failure mode (error, throttle, down)")
    pulls: int = 0


class ReceivedOut(BaseModel):
    deliveries: list[ReceivedDelivery]
    counts: dict[str, int] = Field(description="times each idempotency key was received")
    stats: dict[str, FarSideStats]
