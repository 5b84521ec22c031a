"""The front desk of the HTTP API: accepting reports and actions from authenticated callers.

Both end on Kafka (the router stays the only writer of incident state). What the desk adds is
what a caller needs to hear at once: whether they may do this at all (their token's scope),
whether the same request was already accepted (idempotency keys), and, for an action, whether the
incident's current state allows it (the router's own decision function, run on what the
database holds now; the router decides again when the action arrives, so a race can still end
in a refusal on the state topic).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import datetime
from typing import Any, Final, NoReturn, Protocol, cast

from sqlalchemy import Engine, String, select

from grid_router.adapters.db.tables import incident_transitions, incidents, sla_timers
from grid_router.adapters.db.uow import incident_from_row, timer_from_row
from grid_router.domain.disposition import Change, act
from grid_router.domain.model import IncidentReport, Level, Source
from grid_router.domain.org import InvalidGridCode, Organisation
from grid_router.domain.workflow import Actor, Refused
from grid_router.exceptions import GridRouterError
from grid_router.service.auth import Principal, Role
from grid_router.service.intake import ActionIntake, ReportIntake, action_request, new_action
from grid_router.service.router import SlaSetup

# The namespace of event ids derived from idempotency keys.
_IDEMPOTENT_EVENTS = uuid.UUID("6b0d6c7e-3a1f-4c55-9a55-6772696472f1")


class ForbiddenError(GridRouterError):
    """The caller's token does not allow this (HTTP 403); the message says what is missing."""


class NotFoundError(GridRouterError):
    """No such thing that this caller may see (HTTP 404: another unit's incident looks the
    same as one that does not exist)."""


class InvalidRequestError(GridRouterError):
    """A request the rules refuse as invalid (HTTP 422); `fields` names each fault as (path,
    message)."""

    def __init__(self, message: str, fields: Sequence[tuple[str, str]]) -> None:
        super().__init__(message)
        self.fields = list(fields)


class ConflictError(GridRouterError):
    """The request contradicts what is recorded (HTTP 409), e.g. an idempotency key reused with
    another body, or an action the incident's state does not allow."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Idempotency(Protocol):
    def remember_idempotency(
        self, token_id: str, key: str, body_sha256: str, event_id: str
    ) -> tuple[str, str] | None: ...


@dataclass(frozen=True, slots=True)
class Submitted:
    event_id: str
    replayed: bool  # the same idempotency key and body were accepted before


def body_hash(body: dict[str, Any]) -> str:
    """SHA-256 of a request body as the caller sent it (canonical JSON), for idempotency."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class ReportDesk:
    """Accepts reports: scope, idempotency, then Kafka (acks=all) before answering."""

    def __init__(self, intake: ReportIntake, idempotency: Idempotency) -> None:
        self._intake = intake
        self._idempotency = idempotency

    def submit(
        self,
        who: Principal,
        report: IncidentReport,
        sent: dict[str, Any],
        idempotency_key: str | None,
    ) -> Submitted:
        """Send `report` (built from the body `sent`) for `who`, once per idempotency key."""
        if not who.may_report_at(report.grid_code, report.community_code):
            raise ForbiddenError(_report_scope_message(who))
        if who.role is Role.GRID_WORKER and report.source != Source.GRID_APP:
            raise ForbiddenError("a grid worker's token reports with source GRID_APP only")
        replayed = False
        if idempotency_key is not None:
            event_id = str(uuid.uuid5(_IDEMPOTENT_EVENTS, f"{who.token_id}:{idempotency_key}"))
            if "event_id" in sent:
                event_id = report.event_id
            digest = body_hash(sent)
            known = self._idempotency.remember_idempotency(
                who.token_id, idempotency_key, digest, event_id
            )
            if known is not None:
                if known[0] != digest:
                    raise ConflictError(
                        "IDEMPOTENCY_KEY_REUSED",
                        f"Idempotency-Key {idempotency_key!r} was used before with a different "
                        "body; use a new key for a new report",
                    )
                event_id, replayed = known[1], True
            report = _with_event_id(report, event_id)
        # Sent again on a replay too: the router files each event id once, and the first attempt
        # may have failed before Kafka acknowledged it.
        self._intake.submit(report)
        return Submitted(report.event_id, replayed)


# Report fields that the router stores in columns of limited length. PostgreSQL refuses a longer
# value, and the router dead-letters the report: the API must refuse it first instead of
# answering 202 for a report that will never be filed. The JSON contract keeps to these lengths;
# a report built otherwise (another entry point, a default) may not.
_STORED_LENGTHS: Final = {
    "reporter.id": cast(String, incidents.c.reporter_id.type).length,
    "reporter.name": cast(String, incidents.c.reporter_name.type).length,
    "external_ref": cast(String, incidents.c.external_ref.type).length,
}
REPORTER_ID_LENGTH: Final = _STORED_LENGTHS["reporter.id"] or 64
_ACTOR_LENGTH: Final = cast(String, incident_transitions.c.actor.type).length or 128


def check_storable(report: IncidentReport) -> None:
    """Refuse text the database cannot store as sent: a NUL character anywhere (PostgreSQL text
    cannot hold one), or a value longer than its column."""
    faults = [(path, _NUL) for path in _nul_paths(report)]
    values = {
        "reporter.id": report.reporter.id,
        "reporter.name": report.reporter.name,
        "external_ref": report.external_ref,
    }
    for path, value in values.items():
        limit = _STORED_LENGTHS[path]
        if value is not None and limit is not None and len(value) > limit:
            faults.append((path, f"has {len(value)} characters; at most {limit}"))
    if faults:
        _refuse(faults)


_NUL: Final = "contains a NUL character (\\u0000), which cannot be stored"


def _refuse(faults: Sequence[tuple[str, str]]) -> NoReturn:
    shown = "; ".join(f"{path}: {message}" for path, message in faults)
    raise InvalidRequestError(f"the request is not valid: {shown}", faults)


def _nul_paths(value: object, path: str = "") -> list[str]:
    """The paths of every string inside `value` (dataclasses, mappings, sequences) that holds a
    NUL character, a mapping's keys included."""
    if isinstance(value, str):
        return [path or "body"] if "\x00" in value else []
    if is_dataclass(value) and not isinstance(value, type):
        items: list[tuple[str, object]] = [(f.name, getattr(value, f.name)) for f in fields(value)]
    elif isinstance(value, Mapping):
        items = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list | tuple):
        items = [(str(i), v) for i, v in enumerate(value)]
    else:
        return []
    found: list[str] = []
    for key, item in items:
        inner = f"{path}.{key}" if path else key
        if "\x00" in key:
            found.append(inner)
        found += _nul_paths(item, inner)
    return found


def check_report(who: Principal, report: IncidentReport, org: Organisation) -> None:
    """What the API checks in a report besides the scope `ReportDesk.submit` checks: that the
    database can store it as sent (`check_storable`), and that its codes name real places."""
    check_storable(report)
    check_places(who, report, org)


def check_places(who: Principal, report: IncidentReport, org: Organisation) -> None:
    """Refuse a grid or community code that names nothing, from a caller whose reports are
    limited to an area (`Principal.may_report_at` checks only the form of the codes). The
    router falls back to the address when a code names nothing, so such a code would let the
    address carry the report anywhere in the city."""
    if who.role in (Role.OPERATOR, Role.BRIDGE):
        return
    faults: list[tuple[str, str]] = []
    if report.grid_code:
        try:
            org.validate_grid_code(report.grid_code)
        except InvalidGridCode as exc:
            faults.append(("grid_code", str(exc)))
    if report.community_code:
        unit = org.get(report.community_code)
        if unit is None or unit.level is not Level.COMMUNITY:
            faults.append(("community_code", f"no community has code {report.community_code}"))
    if faults:
        _refuse(faults)


def _with_event_id(report: IncidentReport, event_id: str) -> IncidentReport:
    return replace(report, event_id=event_id)


def _report_scope_message(who: Principal) -> str:
    if who.role is Role.GRID_WORKER:
        shown = ", ".join(sorted(who.grids)) or "none"
        return (
            "this token may report only inside its grids (" + shown + "): give a grid_code or "
            "community_code inside them"
        )
    if who.unit_code:
        return f"this token may report only inside unit {who.unit_code}"
    return f"a {who.role.value} token may not submit reports"


class ActionDesk:
    """Accepts dispatch actions: scope, a check against the incident's state, then Kafka."""

    def __init__(
        self,
        engine: Engine,
        intake: ActionIntake,
        sla: SlaSetup,
        city_code: str,
        clock: Callable[[], datetime],
    ) -> None:
        self._engine = engine
        self._intake = intake
        self._sla = sla
        self._city = city_code
        self._clock = clock

    def submit(self, who: Principal, event_id: str, body: dict[str, Any]) -> tuple[str, Change]:
        """Check and send one action; returns its action id and the change it is expected to
        make. Raises ForbiddenError, NotFoundError, or ConflictError with the workflow's
        refusal."""
        if who.role is Role.GRID_WORKER:
            raise ForbiddenError("a grid worker's token may report incidents, not act on them")
        if nul := _nul_paths(body):
            _refuse([(path, _NUL) for path in nul])
        now = self._clock()
        with self._engine.connect() as conn:
            row = conn.execute(select(incidents).where(incidents.c.event_id == event_id)).first()
            if row is None or not may_see(who, row):
                raise NotFoundError(f"no incident {event_id} that this token may see")
            incident = incident_from_row(row, self._sla.fallback_terms)
            timers = tuple(
                timer_from_row(t)
                for t in conn.execute(
                    select(sla_timers)
                    .where(sla_timers.c.event_id == event_id)
                    .order_by(sla_timers.c.due_at, sla_timers.c.id)
                )
            )
        actor = self._actor(who)
        message = new_action(
            event_id, str(body["action"]), unit_code=actor.unit_code or "", role=actor.role,
            user_id=actor.user_id or who.name, at=now, reason=body.get("reason"),
            result=body.get("result"), verify_passed=body.get("verify_passed"),
            extend_minutes=body.get("extend_minutes"),
            target_unit_code=body.get("target_unit_code"),
            category_code=body.get("category_code"), severity=body.get("severity"),
        )  # fmt: skip
        message["photos"] = list(body.get("photos") or [])
        request = action_request(message)
        outcome = act(incident, timers, request, self._sla.context, now)
        if isinstance(outcome, Refused):
            raise ConflictError(str(outcome.code), outcome.message)
        self._intake.submit(message)
        return str(message["action_id"]), outcome

    def _actor(self, who: Principal) -> Actor:
        if who.role is Role.BRIDGE:
            actor = Actor.system(who.name)
        else:
            actor = Actor(who.wire_role, who.unit_code or self._city, who.name)
        # The history stores `actor.label` in a column of _ACTOR_LENGTH characters, and a
        # token's name may be longer: shorten the name to fit, or the router could not store
        # the step (PostgreSQL refuses it) and would dead-letter an action answered with 202.
        excess = len(actor.label) - _ACTOR_LENGTH
        return replace(actor, user_id=who.name[:-excess]) if excess > 0 else actor


def may_see(who: Principal, row: Any, units: frozenset[str] = frozenset()) -> bool:
    """Whether `who` may see the incident in `row`: operators and bridges see everything; a
    grid worker what is located in its grids; a dispatch centre or verifier what its unit (or,
    for a verifier, a unit in its area) holds or held."""
    if who.role in (Role.OPERATOR, Role.BRIDGE):
        return True
    if who.role is Role.GRID_WORKER:
        return who.may_report_at(row.grid_code, row.community_code) and bool(
            row.grid_code or row.community_code
        )
    return any(who.sees_unit(u) for u in {row.unit_code, *units})
