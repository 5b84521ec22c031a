"""The 12345 hotline's pull poller end to end (issue 15 §4): the reference far side
(grid_router/bridges_reference) on a real port queues the tickets, the poller started by the
router worker (as `grid-router run` starts it with GRID_BRIDGE_HOTLINE_POLL) sends them to the
real broker, the router files them, and the cursor lives in the database.

A poller restarted resumes from the stored cursor: every ticket is sent to Kafka once and filed
once. A poller that dies after sending a page but before storing its cursor sends that page
again when it comes back (at least once); the router still files each ticket once.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from grid_router.adapters.db.cursors import SqlBridgeCursors
from grid_router.adapters.db.tables import incident_transitions, incidents
from grid_router.bootstrap import App
from grid_router.bridges_reference import ReferenceServer, create_reference_app
from grid_router.domain.model import Level
from grid_router.service.hotline_poller import HotlinePoller
from grid_router.service.hotline_tickets import HOTLINE_BRIDGE, ticket_event_id
from grid_router.service.intake import ReportIntake
from tests.integration.kafka_helpers import make_app, read_all
from tests.integration.test_bridges_inbound import COMMUNITY, a_ticket, bridges_env, eventually

SECRETS = {
    "hotline": "hotline-poll-secret",
    "citymgmt": "citymgmt-poll-secret",
    "public-safety": "public-safety-poll-secret",
}


class Far:
    """The reference far sides on a free port; tickets are queued through its control API."""

    def __init__(self, server: ReferenceServer) -> None:
        self.url = server.url
        self.control = httpx.Client(base_url=server.url, timeout=10)

    def queue(self, tickets: list[dict[str, Any]]) -> str:
        answer = self.control.post("/_control/hotline/tickets", json=tickets)
        assert answer.status_code == 200, answer.text
        cursor: str = answer.json()["cursor"]
        return cursor

    def pulls(self) -> int:
        answer = self.control.get("/_control/received", params={"far_side": "hotline"})
        assert answer.status_code == 200, answer.text
        count: int = answer.json()["stats"]["hotline"]["pulls"]
        return count


@pytest.fixture
def far(monkeypatch: pytest.MonkeyPatch) -> Iterator[Far]:
    app = create_reference_app(SECRETS, None, None)
    with ReferenceServer(app) as server:
        bridges_env(monkeypatch, secrets=False)
        monkeypatch.setenv("GRID_BRIDGE_HOTLINE_URL", f"{server.url}/hotline")
        monkeypatch.setenv("GRID_BRIDGE_HOTLINE_SECRET", SECRETS["hotline"])
        f = Far(server)
        yield f
        f.control.close()


class Running:
    """A router worker (router, scheduler, relay, bridge senders and the hotline poller) on a
    thread, as `grid-router run` runs them."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.worker = app.router_worker(relay_in_process=False)
        self.thread = threading.Thread(target=self.worker.run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.worker.stop()
        self.thread.join(60)
        assert not self.thread.is_alive(), "router did not stop"
        self.app.close()


def polling_app(kafka_bootstrap: str, database_url: str, topic_prefix: str) -> App:
    return make_app(
        kafka_bootstrap, database_url, topic_prefix,
        bridge_hotline_poll=True, bridge_hotline_poll_seconds=0.2,
    )  # fmt: skip


def tickets(first: int, count: int) -> list[dict[str, Any]]:
    """Tickets each in a grid of its own (two in one grid and category would be one incident)."""
    return [
        a_ticket(f"GD2026120200{n:04d}", grid_code=f"{COMMUNITY}{n:03d}")
        for n in range(first, first + count)
    ]


def filed(app: App) -> Counter[str]:
    """Hotline incidents filed in the database (FILE steps of their history), by ticket
    number."""
    i, t = incidents.c, incident_transitions.c
    query = (
        select(i.external_ref)
        .join_from(incidents, incident_transitions, i.event_id == t.event_id)
        .where(i.source == "HOTLINE", t.action == "FILE")
    )
    with app.engine.connect() as conn:
        return Counter(str(r) for r in conn.execute(query).scalars())


def lead_orders(app: App) -> Counter[str]:
    """Lead work orders (kind ACTION) on the dispatch topics, by event id."""
    found: Counter[str] = Counter()
    for level in Level:
        for r in read_all(app.settings.kafka_bootstrap, app.topics.dispatch(level), 0.2):
            order = app.codec.decode_work_order(r.value)
            if order.kind == "ACTION":
                found[order.event_id] += 1
    return found


def sent(app: App) -> Counter[str]:
    """Reports on `grid.reports`, by event id."""
    records = read_all(app.settings.kafka_bootstrap, app.topics.reports, 0.2)
    return Counter(app.codec.decode_report(r.value).event_id for r in records)


def caught_up(app: App, numbers: list[str], cursor: str) -> None:
    """Returns once every ticket of `numbers` is filed and the poller has stored `cursor`."""
    eventually(lambda: set(filed(app)) >= set(numbers), f"{len(numbers)} tickets filed")
    eventually(
        lambda: SqlBridgeCursors(app.engine).get(HOTLINE_BRIDGE) == cursor,
        f"the cursor {cursor} stored",
    )


def one_lead_order_each(app: App, numbers: list[str]) -> None:
    orders = Counter(ticket_event_id(n) for n in numbers)
    eventually(lambda: lead_orders(app) == orders, "one lead work order per ticket")


def test_a_restarted_poller_resumes_from_the_stored_cursor(
    far: Far, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    first, second = tickets(1, 5), tickets(6, 4)
    numbers = [t["ticket_no"] for t in first + second]
    assert far.queue(first) == "5"

    running = Running(polling_app(kafka_bootstrap, database_url, topic_prefix))
    try:
        caught_up(running.app, numbers[:5], "5")
    finally:
        running.stop()

    # Tickets that come while the poller is down are read when it is back, and only they.
    assert far.queue(second) == "9"
    pulls_before = far.pulls()
    running = Running(polling_app(kafka_bootstrap, database_url, topic_prefix))
    try:
        caught_up(running.app, numbers, "9")
        assert far.pulls() > pulls_before
        assert filed(running.app) == Counter(numbers)
        assert sent(running.app) == Counter(ticket_event_id(n) for n in numbers)
        one_lead_order_each(running.app, numbers)
    finally:
        running.stop()


class DiesBeforeTheCursor:
    """A cursor store whose `put` fails: the poller has sent the page and dies before the
    cursor is stored (a crash at the worst moment, made deterministic)."""

    def __init__(self, store: SqlBridgeCursors) -> None:
        self._store = store

    def get(self, bridge: str) -> str | None:
        return self._store.get(bridge)

    def put(self, bridge: str, cursor: str, at: datetime) -> None:
        raise RuntimeError("killed before the cursor was stored")


def test_a_page_sent_again_after_a_crash_is_filed_once(
    far: Far, kafka_bootstrap: str, database_url: str, topic_prefix: str
) -> None:
    page = tickets(20, 3)
    numbers = [t["ticket_no"] for t in page]
    far.queue(page)
    app = polling_app(kafka_bootstrap, database_url, topic_prefix)
    try:
        store = SqlBridgeCursors(app.engine)
        dying = HotlinePoller(
            httpx.Client(base_url=f"{far.url}/hotline", timeout=10),
            SECRETS["hotline"],
            ReportIntake(app.producer(), app.codec, app.topics).submit,
            DiesBeforeTheCursor(store),
            lambda: datetime.now(UTC),
        )
        with pytest.raises(RuntimeError, match="killed before the cursor"):
            dying.poll_once()
        dying.stop()
        assert store.get(HOTLINE_BRIDGE) is None
        assert sent(app) == Counter(ticket_event_id(n) for n in numbers)
    finally:
        app.close()

    # Back up: the page is read again from the old cursor, sent again, and filed once.
    running = Running(polling_app(kafka_bootstrap, database_url, topic_prefix))
    try:
        caught_up(running.app, numbers, "3")
        assert sent(running.app) == Counter({ticket_event_id(n): 2 for n in numbers})
        assert filed(running.app) == Counter(numbers)
        one_lead_order_each(running.app, numbers)
    finally:
        running.stop()
