"""Accepting reports and actions: onto `grid.reports` and `grid.actions`, acknowledged by every
in-sync replica."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.disposition import ActionRequest
from grid_router.domain.model import UNLOCATED, IncidentReport, Photo
from grid_router.domain.workflow import Actor


class SyncProducer(Protocol):
    def send(self, topic: str, *, key: bytes | None, value: bytes) -> Any: ...

    def flush(self, timeout: float | None = None) -> None: ...


def report_key(report: IncidentReport) -> bytes:
    """Kafka key of a report: its community (so one community's reports stay in order), or
    UNLOCATED when the submitter gave no grid or community code."""
    if report.grid_code and len(report.grid_code) == 15:
        return report.grid_code[:12].encode()
    if report.community_code:
        return report.community_code.encode()
    return UNLOCATED.encode()


class ReportIntake:
    def __init__(
        self, producer: SyncProducer, codec: AvroCodec, topics: Topics, timeout: float = 30.0
    ) -> None:
        self._producer = producer
        self._codec = codec
        self._topics = topics
        self._timeout = timeout

    def submit(self, report: IncidentReport) -> str:
        """Send `report` and return its event id once the broker has acknowledged it (raises
        a KafkaError if it has not within the timeout)."""
        future = self._producer.send(
            self._topics.reports, key=report_key(report), value=self._codec.encode_report(report)
        )
        future.get(timeout=self._timeout)
        return report.event_id

    def submit_all(self, reports: Sequence[IncidentReport]) -> list[str]:
        """Send every report, then wait for every acknowledgement (one wait, not one per
        report); returns their event ids once all are acknowledged."""
        futures = [
            self._producer.send(
                self._topics.reports, key=report_key(r), value=self._codec.encode_report(r)
            )
            for r in reports
        ]
        for f in futures:
            f.get(timeout=self._timeout)
        return [r.event_id for r in reports]

    def submit_pipelined(self, reports: Sequence[IncidentReport]) -> list[tuple[str, str | None]]:
        """Send every report, then wait for each acknowledgement in order; returns (event id,
        None) for each report Kafka acknowledged and (event id, why) for each it did not."""
        futures = [
            self._producer.send(
                self._topics.reports, key=report_key(r), value=self._codec.encode_report(r)
            )
            for r in reports
        ]
        with contextlib.suppress(Exception):  # each future below says what became of it
            self._producer.flush(timeout=self._timeout)
        results: list[tuple[str, str | None]] = []
        for r, f in zip(reports, futures, strict=True):
            try:
                f.get(timeout=self._timeout)
                results.append((r.event_id, None))
            except Exception as exc:
                results.append((r.event_id, f"{type(exc).__name__}: {exc}"))
        return results


def new_action(
    event_id: str,
    action: str,
    *,
    unit_code: str,
    role: str,
    user_id: str,
    at: datetime,
    reason: str | None = None,
    result: str | None = None,
    verify_passed: bool | None = None,
    extend_minutes: int | None = None,
    target_unit_code: str | None = None,
    category_code: str | None = None,
    severity: str | None = None,
) -> dict[str, Any]:
    """A DispositionAction (fields as in the schema) with a fresh action id."""
    return {
        "action_id": str(uuid.uuid4()),
        "event_id": event_id,
        "action": action.strip().upper(),
        "actor": {"unit_code": unit_code, "user_id": user_id, "role": role},
        "at": at,
        "reason": reason,
        "result": result,
        "verify_passed": verify_passed,
        "photos": [],
        "extend_minutes": extend_minutes,
        "attributes": {},
        "target_unit_code": target_unit_code,
        "category_code": category_code,
        "severity": severity,
    }


def action_request(raw: Mapping[str, Any]) -> ActionRequest:
    """The domain's request for a DispositionAction dict (as `new_action` makes it or the codec
    decodes it). Raises WorkflowError for an actor that cannot exist (a unit role without a
    unit)."""
    actor = raw["actor"]
    return ActionRequest(
        action_id=raw["action_id"],
        event_id=raw["event_id"],
        action=raw["action"],
        actor=Actor(actor["role"], actor["unit_code"] or None, actor["user_id"]),
        at=raw["at"],
        reason=raw.get("reason"),
        result=raw.get("result"),
        verify_passed=raw.get("verify_passed"),
        extend_minutes=raw.get("extend_minutes"),
        target_unit=raw.get("target_unit_code"),
        photos=tuple(Photo(p["url"], p.get("sha256")) for p in raw.get("photos") or ()),
        attributes=dict(raw.get("attributes") or {}),
        category_code=raw.get("category_code"),
        severity=raw.get("severity"),
    )


class ActionIntake:
    """Accepting a dispatch centre's action: onto `grid.actions`, keyed by event id so that one
    incident's actions stay in order, acknowledged by every in-sync replica."""

    def __init__(
        self, producer: SyncProducer, codec: AvroCodec, topics: Topics, timeout: float = 30.0
    ) -> None:
        self._producer = producer
        self._codec = codec
        self._topics = topics
        self._timeout = timeout

    def submit_all(self, actions: Sequence[Mapping[str, Any]]) -> list[str]:
        """Send every action, then wait for every acknowledgement; returns their action ids."""
        futures = [
            self._producer.send(
                self._topics.actions,
                key=str(a["event_id"]).encode(),
                value=self._codec.encode_action(a),
            )
            for a in actions
        ]
        for f in futures:
            f.get(timeout=self._timeout)
        return [str(a["action_id"]) for a in actions]

    def submit(self, action: Mapping[str, Any]) -> str:
        """Send `action` and return its action id once the broker has acknowledged it."""
        future = self._producer.send(
            self._topics.actions,
            key=str(action["event_id"]).encode(),
            value=self._codec.encode_action(action),
        )
        future.get(timeout=self._timeout)
        return str(action["action_id"])
