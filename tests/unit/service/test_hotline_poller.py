"""The 12345 pull poller against a test double of the hotline (httpx.MockTransport): signed
requests, the cursor stored only once every ticket of a page was sent, bad tickets skipped."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from grid_router.domain.model import IncidentReport
from grid_router.service.bridges import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from grid_router.service.hotline_poller import HotlinePoller, PollError
from grid_router.service.hotline_tickets import ticket_event_id

SECRET = "s3cret"


def ticket(no: str, **changes: Any) -> dict[str, Any]:
    return {
        "ticket_no": no,
        "type": "投诉",
        "urgency": "一般",
        "content": "5号楼楼道堆满杂物",
        "created_at": "2026-11-27T09:12:00+08:00",
        **changes,
    }


class Hotline:
    """Pages of tickets by cursor; records each request."""

    def __init__(self, pages: dict[str | None, dict[str, Any]], status: int = 200) -> None:
        self.pages = pages
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.status != 200:
            return httpx.Response(self.status, text="down for maintenance")
        since = request.url.params.get("since")
        page = self.pages.get(since, {"tickets": [], "cursor": since})
        return httpx.Response(200, content=json.dumps(page, ensure_ascii=False).encode())


class Cursors:
    def __init__(self) -> None:
        self.stored: dict[str, str] = {}

    def get(self, bridge: str) -> str | None:
        return self.stored.get(bridge)

    def put(self, bridge: str, cursor: str, at: datetime) -> None:
        self.stored[bridge] = cursor


def poller(
    hotline: Hotline, sent: list[IncidentReport], cursors: Cursors, fail_on: str | None = None
) -> HotlinePoller:
    def submit(report: IncidentReport) -> str:
        if report.external_ref == fail_on:
            raise TimeoutError("Kafka did not acknowledge")
        sent.append(report)
        return report.event_id

    client = httpx.Client(transport=httpx.MockTransport(hotline), base_url="http://hotline.test")
    return HotlinePoller(client, SECRET, submit, cursors, lambda: datetime.now(UTC), interval=0.05)


def test_a_page_is_sent_and_its_cursor_stored() -> None:
    hotline = Hotline({None: {"tickets": [ticket("T1"), ticket("T2")], "cursor": "c2"}})
    sent: list[IncidentReport] = []
    cursors = Cursors()
    read = poller(hotline, sent, cursors).poll_once()
    assert (read.tickets, read.submitted, read.advanced) == (2, 2, True)
    assert [r.event_id for r in sent] == [ticket_event_id("T1"), ticket_event_id("T2")]
    assert [r.source for r in sent] == ["HOTLINE", "HOTLINE"]
    assert cursors.stored == {"hotline-12345": "c2"}
    first = hotline.requests[0]
    assert first.method == "GET"
    assert first.url.path == "/tickets"
    assert "since" not in first.url.params  # no cursor yet


def test_requests_are_signed_over_the_empty_body_and_carry_the_cursor() -> None:
    hotline = Hotline({"c1": {"tickets": [], "cursor": "c1"}})
    cursors = Cursors()
    cursors.stored["hotline-12345"] = "c1"
    poller(hotline, [], cursors).poll_once()
    request = hotline.requests[0]
    assert request.url.params["since"] == "c1"
    assert verify(
        SECRET,
        request.headers[TIMESTAMP_HEADER],
        request.headers[SIGNATURE_HEADER],
        b"",
        time.time(),
    )


def test_the_cursor_stays_when_a_ticket_is_not_acknowledged() -> None:
    hotline = Hotline({None: {"tickets": [ticket("T1"), ticket("T2")], "cursor": "c2"}})
    sent: list[IncidentReport] = []
    cursors = Cursors()
    with pytest.raises(TimeoutError):
        poller(hotline, sent, cursors, fail_on="T2").poll_once()
    assert cursors.stored == {}
    # The next poll reads the same page again; T1 again is harmless (the same event id).
    read = poller(hotline, sent, cursors).poll_once()
    assert read.advanced
    assert [r.external_ref for r in sent] == ["T1", "T1", "T2"]
    assert cursors.stored == {"hotline-12345": "c2"}


def test_a_ticket_that_is_not_valid_is_skipped() -> None:
    page = {
        "tickets": [ticket("T1", urgency="很急"), {"nonsense": 1}, ticket("T3")],
        "cursor": "c3",
    }
    sent: list[IncidentReport] = []
    cursors = Cursors()
    p = poller(Hotline({None: page}), sent, cursors)
    read = p.poll_once()
    assert (read.tickets, read.submitted) == (3, 1)
    assert [r.external_ref for r in sent] == ["T3"]
    assert p.stats.invalid == 2
    assert cursors.stored == {"hotline-12345": "c3"}


@pytest.mark.parametrize(
    "hotline",
    [Hotline({}, status=503), Hotline({None: {"cursor": "c"}}), Hotline({None: {"tickets": 3}})],
)
def test_a_page_that_cannot_be_read_is_an_error_and_keeps_the_cursor(hotline: Hotline) -> None:
    cursors = Cursors()
    with pytest.raises(PollError):
        poller(hotline, [], cursors).poll_once()
    assert cursors.stored == {}


def test_a_page_without_a_cursor_keeps_the_stored_one() -> None:
    cursors = Cursors()
    cursors.stored["hotline-12345"] = "c1"
    hotline = Hotline({"c1": {"tickets": [ticket("T1")], "cursor": None}})
    read = poller(hotline, [], cursors).poll_once()
    assert not read.advanced
    assert cursors.stored == {"hotline-12345": "c1"}


def test_the_thread_reads_every_page_then_waits_and_stops() -> None:
    hotline = Hotline(
        {
            None: {"tickets": [ticket("T1")], "cursor": "c1"},
            "c1": {"tickets": [ticket("T2")], "cursor": "c2"},
        }
    )
    sent: list[IncidentReport] = []
    cursors = Cursors()
    p = poller(hotline, sent, cursors)
    done = threading.Event()
    p.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not done.is_set():
        if cursors.stored.get("hotline-12345") == "c2" and len(hotline.requests) >= 3:
            done.set()
        time.sleep(0.01)
    p.stop()
    assert done.is_set()
    assert [r.external_ref for r in sent] == ["T1", "T2"]


class FakePoller:
    def __init__(self) -> None:
        self.events: list[str] = []

    def start(self) -> None:
        self.events.append("start")

    def stop(self, timeout: float = 10.0) -> None:
        self.events.append("stop")


def test_the_router_worker_starts_its_pollers_and_stops_them_at_the_end() -> None:
    from grid_router.service.worker import RouterWorker
    from tests.unit.service.test_worker import FakeConsumer, FakeRelay, FakeRouter

    holder: list[RouterWorker] = []
    consumer = FakeConsumer([], holder)
    poller = FakePoller()
    worker = RouterWorker(
        consumer,
        FakeRouter(consumer.events),  # type: ignore[arg-type]
        FakeRelay(),
        poll_timeout=0.01,
        pollers=[poller],
    )
    holder.append(worker)
    worker.run()
    assert poller.events == ["start", "stop"]
