"""The SLA scheduler: fires the timers that have fallen due, inside `grid-router run`.

Each sweep is one transaction: read which incidents have a timer due (through the due-time
index, so a sweep costs what is due, not what is pending), lock those incidents (on PostgreSQL
`FOR UPDATE SKIP LOCKED`: an incident another router is working on is left for the next sweep),
read their timers again under the lock, fire what is due, and write the outcome (history, work
orders, the timers that replace the fired ones, and the outbox) before committing. A timer is
deleted in the transaction that fires it, so several schedulers against one database fire each
timer exactly once, and a crash before the commit fires it again after the restart.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from grid_router.adapters.avro import AvroCodec
from grid_router.adapters.db.outage import database_unavailable
from grid_router.adapters.kafka.topics import Topics
from grid_router.domain.clocks import Timer
from grid_router.domain.disposition import Change, Context, Incident, Stale, fire
from grid_router.service.bridging import Bridging
from grid_router.service.messages import change_messages
from grid_router.service.ports import OutboxMessage, UnitOfWork
from grid_router.service.router import SlaSetup

log = logging.getLogger(__name__)

# A timer due so soon after the one that fired (a drill with an extreme scale) is left to the
# next sweep rather than fired in a loop.
_MAX_FIRINGS_PER_INCIDENT = 8


@dataclass(slots=True)
class SweepOutcome:
    """What one sweep did, for logs, metrics and tests."""

    fired: int = 0
    stale: int = 0
    changes: list[Change] = field(default_factory=list)


class SlaScheduler:
    """Fires due SLA timers, one transaction per sweep of at most `batch` timers."""

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        codec: AvroCodec,
        topics: Topics,
        sla: SlaSetup,
        clock: Callable[[], datetime],
        batch: int = 500,
        max_wait: float = 0.25,
        min_wait: float = 0.05,
    ) -> None:
        self._uow_factory = uow_factory
        self._codec = codec
        self._topics = topics
        self._sla = sla
        self._clock = clock
        self._batch = batch
        self._max_wait = max_wait
        self._min_wait = min_wait
        self._stop = threading.Event()
        self.on_written: Callable[[], None] = lambda: None  # e.g. wake the outbox relay
        # Called with the outbox ids and messages of each committed sweep: publish them now.
        self.on_committed: Callable[[Sequence[int], Sequence[OutboxMessage]], None] = (
            lambda _ids, _messages: None
        )
        # Called by `run` after every sweep, one that found nothing due included (a heartbeat).
        self.on_swept: Callable[[SweepOutcome], None] = lambda _: None
        self.bridging: Bridging | None = None  # bridge deliveries of what the timers change

    @property
    def context(self) -> Context:
        return self._sla.context

    def sweep(self) -> SweepOutcome:
        """Fire every timer due now (up to the batch size); returns once committed."""
        outcome = SweepOutcome()
        now = self._clock()
        with self._uow_factory() as uow:
            candidates = uow.due_event_ids(now, self._batch)
            if not candidates:
                return outcome
            incidents = uow.incidents_for_update(
                candidates, self._sla.fallback_terms, skip_locked=True
            )
            all_timers = uow.timers_of(incidents)
            changes: list[Change] = []
            untouched: dict[str, tuple[Timer, ...]] = {}
            for event_id, incident in incidents.items():
                fired, left = self._fire_due(incident, all_timers[event_id], now, outcome)
                changes.extend(fired)
                if not fired and left != all_timers[event_id]:
                    untouched[event_id] = left  # stale timers dropped
            out = [
                m
                for c in changes
                for m in change_messages(self._codec, self._topics, c.work_orders, c.state_change)
            ]
            if self.bridging is not None:
                out += [m for c in changes for m in self.bridging.for_change(c)]
            uow.save_changes(changes, now)
            uow.replace_timers(list(untouched), [t for ts in untouched.values() for t in ts])
            ids = uow.add_outbox(out, now)
            uow.commit()
        outcome.changes = changes
        if out:
            self.on_committed(ids, out)
            self.on_written()
        return outcome

    def _fire_due(
        self, incident: Incident, timers: tuple[Timer, ...], now: datetime, outcome: SweepOutcome
    ) -> tuple[list[Change], tuple[Timer, ...]]:
        """Fire the timers of one incident due at `now`, soonest first; each sees what the one
        before it did (a breach that escalated stops the clocks left at the old level)."""
        changes: list[Change] = []
        for _ in range(_MAX_FIRINGS_PER_INCIDENT):
            due = next((t for t in timers if t.due_at <= now), None)
            if due is None:
                break
            outcome.fired += 1
            result = fire(incident, timers, due, self.context, now)
            if isinstance(result, Stale):
                outcome.stale += 1
                timers = result.timers
                continue
            changes.append(result)
            incident, timers = result.incident, result.timers
            for esc in result.escalations:
                log.info(
                    "event %s escalated %s → %s (%s): %s",
                    incident.event_id, esc.from_level, esc.to_level, esc.reason,
                    result.state_change.reason,
                )  # fmt: skip
        return changes, timers

    def wait_time(self) -> float:
        """Seconds until the next timer falls due, at most `max_wait` (new timers appear all
        the time, and the sweep must see them) and at least `min_wait`: timers falling due
        within `min_wait` of each other are fired by one sweep, not by a transaction each.
        Back-to-back sweeps (one per timer when deadlines are milliseconds apart) would hold
        SQLite's one write lock nearly all the time and starve the outbox relay's deletes, so
        that fired timers reached Kafka late; a pause of `min_wait` bounds what it adds to a
        timer's lateness instead."""
        with self._uow_factory() as uow:
            nxt = uow.next_due()
        if nxt is None:
            return self._max_wait
        wait = min((nxt - self._clock()).total_seconds(), self._max_wait)
        return max(wait, self._min_wait)

    def run(self) -> None:
        """Sweep until `stop()`. A sweep that fails is logged and retried: the timers stay in
        the database until a sweep commits."""
        while not self._stop.is_set():
            try:
                outcome = self.sweep()
                self.on_swept(outcome)
                if outcome.fired >= self._batch:
                    continue  # more are due: no pause
                self._stop.wait(self.wait_time())
            except Exception as exc:
                if not database_unavailable(exc):  # an outage is said once, by the engine
                    log.exception("SLA sweep failed; retrying")
                self._stop.wait(1.0)

    def stop(self) -> None:
        self._stop.set()


class SchedulerThread:
    """The scheduler on a daemon thread of the router process."""

    def __init__(self, scheduler: SlaScheduler) -> None:
        self.scheduler = scheduler
        self._thread = threading.Thread(target=scheduler.run, name="sla-scheduler", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self.scheduler.stop()
        self._thread.join(timeout)
