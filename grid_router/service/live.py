"""Live updates for open desk pages: what the router committed, fanned out to every page that
may see it. One feed per API process reads the topics (adapters/kafka/live.py) and publishes
here; each open page holds a subscription with the scope of its session. Reminders (催办) go
through no topic: one feed per API process reads their table (adapters/db/live.py). A thousand
open pages cost one Kafka consumer and two queries a second, not a thousand queries a second.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

QUEUE_SIZE: Final = 256


@dataclass(frozen=True, slots=True)
class Notice:
    """Something a desk page may need to show: a work order sent to a unit (`order`), a state
    the router recorded (`state`) or a reminder (`reminder`)."""

    kind: str
    event_id: str
    unit_code: str
    version: int = 0
    detail: str = ""  # the work order's kind, the state, or the reminder's text
    sent_at: float = 0.0  # when the change was committed (epoch seconds), for latency

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "event_id": self.event_id,
            "unit_code": self.unit_code,
            "version": self.version,
            "detail": self.detail,
            "sent_at": self.sent_at,
        }


class Subscription:
    """One open page: the notices its scope admits, in order; lossy when the page falls
    behind (it then reloads what it shows)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, admits: Callable[[Notice], bool]) -> None:
        self.loop = loop
        self.admits = admits
        self.queue: asyncio.Queue[Notice] = asyncio.Queue(QUEUE_SIZE)

    def offer(self, notice: Notice) -> None:
        """Called on the event loop."""
        if not self.queue.full():
            self.queue.put_nowait(notice)


class LiveHub:
    """Fans notices out to subscriptions; `publish` may be called from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subs: set[Subscription] = set()

    def subscribe(self, admits: Callable[[Notice], bool]) -> Subscription:
        sub = Subscription(asyncio.get_running_loop(), admits)
        with self._lock:
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs.discard(sub)

    @property
    def subscribers(self) -> int:
        with self._lock:
            return len(self._subs)

    def publish(self, notice: Notice) -> None:
        with self._lock:
            subs = list(self._subs)
        for sub in subs:
            if sub.admits(notice):
                try:
                    sub.loop.call_soon_threadsafe(sub.offer, notice)
                except RuntimeError:  # the page's loop has closed
                    self.unsubscribe(sub)


class FeedThread:
    """A feed of one API process: a daemon thread from `start` to `stop` running `_run`, which
    returns once `_stop` is set."""

    thread_name = "desk-feed"

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        raise NotImplementedError
