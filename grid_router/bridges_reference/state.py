"""What a reference server remembers: the deliveries it accepted (per idempotency key, with how
many times each arrived), each far side's failure mode, the hotline's queued tickets, counters.

In memory, behind one lock (the server's event loop and a test reading `app.state` may be on
different threads); accepted deliveries are also appended to a JSON-lines file if one is given.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grid_router.bridges_reference.models import (
    FarSideStats,
    ModeIn,
    ModeName,
    ModeOut,
    ReceivedDelivery,
    ReceivedOut,
)


@dataclass(slots=True)
class Mode:
    """A far side's failure mode; `calls` counts down the calls left in it (None: no end)."""

    mode: ModeName = "ok"
    seconds: float = 1.0
    status: int = 500
    calls: int | None = None


@dataclass(slots=True)
class _Delivery:
    seq: int
    far_side: str
    bridge: str
    method: str
    path: str
    key: str
    payload: dict[str, Any]
    first_at: str
    last_at: str
    count: int = 1


@dataclass(frozen=True, slots=True)
class Outcome:
    """What `ReferenceState.deliver` did: a first receipt, a repeat, or a conflicting repeat."""

    duplicate: bool
    count: int
    conflict: bool = False


@dataclass(slots=True)
class ReferenceState:
    far_sides: tuple[str, ...]
    record: Path | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _modes: dict[str, Mode] = field(default_factory=dict)
    _deliveries: list[_Delivery] = field(default_factory=list)
    _by_key: dict[str, _Delivery] = field(default_factory=dict)
    _stats: dict[str, FarSideStats] = field(default_factory=dict)
    _tickets: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every delivery, mode, counter and queued ticket (the record file stays)."""
        with self._lock:
            self._modes = {f: Mode() for f in self.far_sides}
            self._deliveries = []
            self._by_key = {}
            self._stats = {f: FarSideStats() for f in self.far_sides}
            self._tickets = []

    # --- failure modes ---------------------------------------------------------------------

    def set_mode(self, far_side: str, spec: ModeIn) -> ModeOut:
        with self._lock:
            self._modes[far_side] = Mode(spec.mode, spec.seconds, spec.status, spec.calls)
            return self._mode_out(far_side)

    def modes(self) -> list[ModeOut]:
        with self._lock:
            return [self._mode_out(f) for f in self.far_sides]

    def _mode_out(self, far_side: str) -> ModeOut:
        m = self._modes[far_side]
        return ModeOut(
            far_side=far_side, mode=m.mode, seconds=m.seconds, status=m.status, calls=m.calls
        )

    def take_mode(self, far_side: str) -> Mode:
        """The mode this call is answered in (counting it down), and counts the call."""
        with self._lock:
            self._stats[far_side].calls += 1
            m = self._modes[far_side]
            taken = Mode(m.mode, m.seconds, m.status, m.calls)
            if m.calls is not None:
                m.calls -= 1
                if m.calls <= 0:
                    self._modes[far_side] = Mode()
            if taken.mode in ("error", "throttle", "down"):
                self._stats[far_side].failed += 1
            return taken

    def count(self, far_side: str, what: str) -> None:
        with self._lock:
            stats = self._stats[far_side]
            setattr(stats, what, getattr(stats, what) + 1)

    # --- deliveries ------------------------------------------------------------------------

    def deliver(
        self, far_side: str, bridge: str, method: str, path: str, key: str, payload: dict[str, Any]
    ) -> Outcome:
        """Record a delivery under its key: the first receipt is kept, a repeat is counted (and
        is a conflict when its payload differs from the first)."""
        now = datetime.now(UTC).isoformat()
        with self._lock:
            stats = self._stats[far_side]
            seen = self._by_key.get(key)
            if seen is not None and seen.payload != payload:
                stats.invalid += 1
                return Outcome(duplicate=True, count=seen.count, conflict=True)
            if seen is None:
                seen = _Delivery(
                    len(self._deliveries) + 1,
                    far_side,
                    bridge,
                    method,
                    path,
                    key,
                    payload,
                    now,
                    now,
                )
                self._deliveries.append(seen)
                self._by_key[key] = seen
                stats.accepted += 1
                outcome = Outcome(duplicate=False, count=1)
            else:
                seen.count += 1
                seen.last_at = now
                stats.duplicates += 1
                outcome = Outcome(duplicate=True, count=seen.count)
            if self.record is not None:
                line = {
                    "at": now,
                    "far_side": far_side,
                    "bridge": bridge,
                    "method": method,
                    "path": path,
                    "idempotency_key": key,
                    "duplicate": outcome.duplicate,
                    "count": outcome.count,
                    "payload": payload,
                }
                with self.record.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(line, ensure_ascii=False) + "\n")
            return outcome

    def received(self, far_side: str | None = None, bridge: str | None = None) -> ReceivedOut:
        with self._lock:
            chosen = [
                d
                for d in self._deliveries
                if (far_side is None or d.far_side == far_side)
                and (bridge is None or d.bridge == bridge)
            ]
            return ReceivedOut(
                deliveries=[
                    ReceivedDelivery(
                        seq=d.seq,
                        far_side=d.far_side,
                        bridge=d.bridge,
                        method=d.method,
                        path=d.path,
                        idempotency_key=d.key,
                        count=d.count,
                        first_at=d.first_at,
                        last_at=d.last_at,
                        payload=d.payload,
                    )
                    for d in chosen
                ],
                counts={d.key: d.count for d in chosen},
                stats={
                    f: s.model_copy()
                    for f, s in self._stats.items()
                    if far_side is None or f == far_side
                },
            )

    # --- the hotline's pull API ------------------------------------------------------------

    def queue_tickets(self, tickets: list[dict[str, Any]]) -> str:
        with self._lock:
            self._tickets.extend(tickets)
            return str(len(self._tickets))

    def tickets_since(self, since: int, limit: int) -> tuple[list[dict[str, Any]], str]:
        """The tickets after cursor `since` (at most `limit`) and the cursor after them."""
        with self._lock:
            start = min(since, len(self._tickets))
            page = self._tickets[start : start + limit]
            return list(page), str(start + len(page)) if page else str(since)
