"""The 12345 hotline's pull poller, for hotlines that cannot call a webhook (docs/bridges.md):
`GET {base}/tickets?since=<cursor>`, signed like every bridge request, answers
`{"tickets": [...], "cursor": "..."}`.

Each ticket becomes the same report as the webhook's (service/hotline_tickets.py), sent with
`submit`, which returns only once Kafka acknowledged it. The page's cursor is stored only after
every ticket of the page was sent: at least once. A page sent twice (a crash between the last
ticket and the cursor) is harmless, since a ticket's event id is derived from its number and the
router files each event id once. A ticket that is not valid is logged and skipped, so that it
cannot hold up the tickets after it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from grid_router.domain.model import IncidentReport
from grid_router.service.bridges import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign
from grid_router.service.hotline_tickets import HOTLINE_BRIDGE, TicketIn, ticket_report

log = logging.getLogger(__name__)

TICKETS_PATH = "/tickets"


class CursorStore(Protocol):
    def get(self, bridge: str) -> str | None: ...

    def put(self, bridge: str, cursor: str, at: datetime) -> None: ...


class PollError(Exception):
    """A page could not be read: no answer, an answer other than 200, or not the page's shape."""


class _Page(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    tickets: list[dict[str, Any]]
    cursor: str | None = None


@dataclass(frozen=True, slots=True)
class PageRead:
    tickets: int  # in the page, valid or not
    submitted: int
    advanced: bool  # a new cursor was stored


@dataclass(slots=True)
class PollerStats:
    pages: int = 0
    submitted: int = 0
    invalid: int = 0
    failed: int = 0


class HotlinePoller:
    """Reads the hotline's new tickets until stopped: a page at once while pages bring tickets,
    else one every `interval` seconds."""

    def __init__(
        self,
        client: httpx.Client,
        secret: str,
        submit: Callable[[IncidentReport], object],
        cursor_store: CursorStore,
        clock: Callable[[], datetime],
        *,
        bridge: str = HOTLINE_BRIDGE,
        interval: float = 30.0,
    ) -> None:
        self._client = client
        self._secret = secret
        self._submit = submit
        self._cursors = cursor_store
        self._clock = clock
        self.bridge = bridge
        self._interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.stats = PollerStats()

    def poll_once(self) -> PageRead:
        """Read one page from the stored cursor, send its tickets, store its cursor. Raises
        PollError when the page cannot be read, and whatever `submit` raises (the cursor then
        stays where it was)."""
        cursor = self._cursors.get(self.bridge)
        page = self._fetch(cursor)
        submitted = 0
        for i, raw in enumerate(page.tickets):
            try:
                ticket = TicketIn.model_validate(raw)
            except ValidationError as exc:
                self.stats.invalid += 1
                log.error(
                    "bridge %s: ticket %s of the page (ticket_no %r) is not valid; skipped: %s",
                    self.bridge, i, raw.get("ticket_no"), _faults(exc),
                )  # fmt: skip
                continue
            self._submit(ticket_report(ticket))
            submitted += 1
            self.stats.submitted += 1
        self.stats.pages += 1
        advanced = page.cursor is not None and page.cursor != cursor
        if page.cursor is not None and advanced:
            self._cursors.put(self.bridge, page.cursor, self._clock())
        if page.tickets:
            log.info(
                "bridge %s: %d tickets sent from a page of %d; cursor %s",
                self.bridge, submitted, len(page.tickets), page.cursor if advanced else "kept",
            )  # fmt: skip
        return PageRead(len(page.tickets), submitted, advanced)

    def _fetch(self, cursor: str | None) -> _Page:
        timestamp = str(int(self._clock().timestamp()))
        headers = {
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self._secret, timestamp, b""),
            "Accept": "application/json",
        }
        params = {} if cursor is None else {"since": cursor}
        try:
            response = self._client.get(TICKETS_PATH, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise PollError(f"GET {TICKETS_PATH}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise PollError(
                f"GET {TICKETS_PATH}: HTTP {response.status_code}: {response.text[:300]}"
            )
        try:
            return _Page.model_validate_json(response.content)
        except ValidationError as exc:
            raise PollError(f"GET {TICKETS_PATH}: not a page of tickets: {_faults(exc)}") from exc

    def run(self) -> None:
        """Poll until `stop()`."""
        while not self._stop.is_set():
            try:
                read = self.poll_once()
            except Exception as exc:
                self.stats.failed += 1
                log.warning("bridge %s: polling failed; again in %gs: %s", self.bridge,
                            self._interval, exc)  # fmt: skip
                self._stop.wait(self._interval)
                continue
            if read.tickets and read.advanced:
                continue  # more may be waiting
            self._stop.wait(self._interval)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name=f"poller-{self.bridge}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._client.close()


def _faults(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}" for e in exc.errors()[:10]
    )
