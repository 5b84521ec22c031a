"""Accepting a report: put it on `grid.reports`, acknowledged by every in-sync replica."""

from __future__ import annotations

from typing import Any, Protocol

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.model import UNLOCATED, IncidentReport


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
    def __init__(self, producer: SyncProducer, codec: AvroCodec, topics: Topics) -> None:
        self._producer = producer
        self._codec = codec
        self._topics = topics

    def submit(self, report: IncidentReport, timeout: float = 30.0) -> str:
        """Send `report` and return its event id once the broker has acknowledged it."""
        future = self._producer.send(
            self._topics.reports, key=report_key(report), value=self._codec.encode_report(report)
        )
        future.get(timeout=timeout)
        return report.event_id
