"""The JSON shapes of the HTTP API: what it takes and what it answers, errors included, so that
the OpenAPI document says everything an app developer needs."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from grid_router.entrypoints.contracts import PhotoIn, ShortText, Text


class ErrorField(BaseModel):
    path: str = Field(description="where in the request, e.g. reporter.phone or query.limit")
    message: str


class ErrorBody(BaseModel):
    code: str = Field(
        description="stable code: UNAUTHENTICATED, FORBIDDEN, NOT_FOUND, INVALID_REQUEST, "
        "PAYLOAD_TOO_LARGE, RATE_LIMITED, IDEMPOTENCY_KEY_REUSED, INVALID_PHOTO, BAD_SIGNATURE "
        "(bridge webhooks), a workflow refusal such as "
        "NOT_YOUR_WORK_ORDER or ILLEGAL_TRANSITION, UNAVAILABLE, INTERNAL"
    )
    message: str = Field(description="what went wrong and what to do, for the app's developer")
    fields: list[ErrorField] = Field(default_factory=list, description="every bad field")


class ErrorOut(BaseModel):
    error: ErrorBody


class Health(BaseModel):
    status: Literal["ok", "ready"]


class ReportAccepted(BaseModel):
    event_id: str = Field(description="the incident's event id (事件编号)")
    status_url: str = Field(description="where to read its status")
    replayed: bool = Field(
        description="true when this Idempotency-Key and body were accepted before: nothing new "
        "was created"
    )


class PhotoStored(BaseModel):
    url: str = Field(description="put this in a report's or an action's photos")
    sha256: str
    content_type: str
    size: int


def _a_number(value: object) -> object:
    """Types are strict: a JSON number (60 or 60.0), never text or a boolean."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("a whole number of minutes, e.g. 60")
    return value


class ActionIn(BaseModel):
    """One dispatch action on an incident (DispositionAction without the actor: the token says
    who acts)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Annotated[str, StringConstraints(pattern=r"^[A-Za-z_]{2,32}$")] = Field(
        description="SIGN, START, HANDLE, VERIFY, CLOSE, RETURN, ESCALATE, REOPEN, SUSPEND, "
        "RESUME, VOID, EXTEND or RECLASSIFY"
    )
    reason: ShortText | None = Field(
        None,
        description="why: required for RETURN, ESCALATE, REOPEN, SUSPEND, VOID, EXTEND, RECLASSIFY",
    )
    result: Text | None = Field(None, description="the outcome, for HANDLE and CLOSE")
    verify_passed: bool | None = Field(
        None, strict=True, description="for VERIFY: dealt with or not"
    )
    extend_minutes: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_a_number)] | None = (
        Field(None, description="for EXTEND")
    )
    target_unit_code: Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3}){0,2}$")] | None = (
        Field(None, description="for RETURN: the unit that should take the incident over")
    )
    photos: list[PhotoIn] = Field(default_factory=list, max_length=20)
    category_code: Annotated[str, StringConstraints(pattern=r"^[A-Z_]{2,32}$")] | None = Field(
        None, description="for RECLASSIFY (改类): the corrected category; null keeps it"
    )
    severity: Literal["IV", "III", "II", "I"] | None = Field(
        None, description="for RECLASSIFY (改类): the corrected grade; null keeps it"
    )


class ActionAccepted(BaseModel):
    action_id: str
    event_id: str
    status_url: str
    expected_state: str = Field(
        description="the state the router will record if nothing else happens first"
    )
    expected_unit_code: str


class DeadlinesOut(BaseModel):
    sign_by: datetime | None = Field(None, description="签收时限, UTC")
    handle_by: datetime | None = Field(None, description="处置时限, UTC")
    verify_by: datetime | None = Field(None, description="核查时限, UTC")


class StepOut(BaseModel):
    version: int
    at: datetime
    action: str
    action_name: str = Field(description="the action in Chinese, e.g. 签收, 超时（红牌）")
    from_state: str | None
    to_state: str
    state_name: str = Field(description="the state reached, in Chinese")
    actor: str = Field(description="system:router, system:timers, or role:unit/user")
    from_level: str | None
    from_unit: str | None
    to_level: str | None
    to_unit: str | None
    reason: str | None


class ReporterOut(BaseModel):
    id: str
    role: str
    name: str | None = Field(description="masked: 林*梅")
    phone: str | None = Field(description="masked: 139****1234")


class EventOut(BaseModel):
    event_id: str
    version: int
    state: str
    state_name: str
    summary: str = Field(description="one sentence for the reporter: who has it, by when")
    category_code: str
    category_name: str
    subcategory_code: str | None
    severity: str
    severity_name: str
    level: str
    level_name: str
    unit_code: str
    unit_name: str
    department: str | None
    deadlines: DeadlinesOut
    overdue: bool
    report_count: int
    merged_reports: list[str] = Field(description="event ids of repeats merged into this one")
    merged_into: str | None
    burst_id: str | None
    source: str
    external_ref: str | None
    title: str | None
    description: str
    address: str | None
    grid_code: str | None
    community_code: str | None
    street_code: str | None
    district_code: str | None
    reporter: ReporterOut
    reported_at: datetime
    filed_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    history: list[StepOut]


class QueueItemOut(BaseModel):
    work_order_id: str
    event_id: str
    version: int
    kind: str
    reason: str
    state: str
    state_name: str
    category_code: str
    category_name: str
    subcategory_code: str | None
    severity: str
    title: str | None
    description: str
    address: str | None
    grid_code: str | None
    report_count: int
    created_at: datetime
    sign_by: datetime | None
    handle_by: datetime | None
    overdue: bool


class QueueOut(BaseModel):
    unit_code: str
    unit_name: str
    total: int
    limit: int
    offset: int
    items: list[QueueItemOut]
