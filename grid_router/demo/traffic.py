"""The simulated city at work against the running system: grid workers posting reports to the
HTTP API, the reference 12345 hotline and 数字城管 sending tickets, cases and callbacks to
grid_router's webhooks, and the dispatch centres and verifiers working their queues through the
API. Each actor runs on a thread of its own; `City` and `DispatchCentres` (`city.py`) decide
what they do.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

import httpx
from sqlalchemy import Engine, and_, select

from grid_router.adapters.db.tables import incidents, work_orders
from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.demo.city import (
    Arrival,
    City,
    Conduct,
    DispatchCentres,
    Holding,
    Move,
    Outage,
    Who,
    verifier_unit,
)
from grid_router.domain.model import State

log = logging.getLogger(__name__)

WORKING_STATES: Final = (
    State.DISPATCHED.value,
    State.SIGNED.value,
    State.IN_PROGRESS.value,
    State.HANDLED.value,
    State.VERIFIED.value,
)
"""The states in which somebody of the city has something to do."""

DRILL_SUFFIX: Final = "+drill"
"""Appended to the policy's version in the drill copy: the incidents a drill filed carry it in
their SLA terms, and the simulated city works those (this run's and a previous drill's)."""

TOKEN_RATE: Final = 100_000
"""Requests a minute each simulated actor's token may make (the demo is not a rate-limit test)."""


# --- what happened, for the view -----------------------------------------------------------------


@dataclass(slots=True)
class Tally:
    """Counts of what the simulated actors did, shared between their threads and the view."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    reports: collections.Counter[str] = field(default_factory=collections.Counter)
    typhoon_reports: int = 0
    report_failures: collections.Counter[str] = field(default_factory=collections.Counter)
    actions: collections.Counter[str] = field(default_factory=collections.Counter)
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    transport_retries: int = 0  # moves whose answer was lost, sent again on the next round
    failures: int = 0
    # Why the first reports that failed did: the summary shows them.
    failure_reasons: list[str] = field(default_factory=list)
    notices: collections.deque[str] = field(default_factory=lambda: collections.deque(maxlen=6))
    _report_times: collections.deque[float] = field(
        default_factory=lambda: collections.deque(maxlen=20_000)
    )
    _action_times: collections.deque[float] = field(
        default_factory=lambda: collections.deque(maxlen=20_000)
    )

    def reported(self, arrival: Arrival) -> None:
        with self.lock:
            self.reports[arrival.channel] += 1
            if arrival.typhoon:
                self.typhoon_reports += 1
            self._report_times.append(time.monotonic())

    def report_failed(self, channel: str, why: str) -> None:
        with self.lock:
            self.report_failures[channel] += 1
            self.notices.append(why)
            if len(self.failure_reasons) < 10:
                self.failure_reasons.append(why)

    def acted(self, move: Move) -> None:
        with self.lock:
            self.actions[_move_name(move)] += 1
            self._action_times.append(time.monotonic())

    def tried_again(self, why: str) -> None:
        with self.lock:
            self.transport_retries += 1
            self.notices.append(why)

    def was_refused(self, code: str) -> None:
        with self.lock:
            self.refused[code] += 1

    def failed(self, why: str) -> None:
        with self.lock:
            self.failures += 1
            self.notices.append(why)
            if len(self.failure_reasons) < 10:
                self.failure_reasons.append(why)

    def rates(self, window: float = 10.0) -> tuple[float, float]:
        """Reports and actions a second over the last `window` seconds."""
        since = time.monotonic() - window
        with self.lock:
            reports = sum(1 for t in self._report_times if t >= since)
            actions = sum(1 for t in self._action_times if t >= since)
        return reports / window, actions / window


def _move_name(move: Move) -> str:
    if move.who is Who.HOTLINE:
        return "回访" + ("满意" if move.body.get("satisfied") else "不满意")
    if move.who is Who.CITYMGMT:
        return f"数字城管{move.body.get('status')}"
    if move.action == "VERIFY":
        return "VERIFY_PASS" if move.body.get("verify_passed") else "VERIFY_FAIL"
    return move.action


# --- tokens --------------------------------------------------------------------------------------


class TokenBook:
    """API tokens of the simulated actors, created on first use: a grid worker per reporter id
    (its community), a dispatcher per unit, a verifier per street, district and the city."""

    def __init__(self, store: SqlTokenStore) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._tokens: dict[tuple[str, str], str] = {}
        self.created = 0

    def grid_worker(self, reporter_id: str, community_code: str) -> str:
        return self._get("grid_worker", reporter_id, grids=(community_code,))

    def dispatcher(self, unit_code: str) -> str:
        return self._get("dispatcher", unit_code, unit=unit_code)

    def verifier(self, unit_code: str) -> str:
        return self._get("verifier", unit_code, unit=unit_code)

    def _get(self, role: str, who: str, unit: str | None = None, grids: Iterable[str] = ()) -> str:
        key = (role, who)
        with self._lock:
            token = self._tokens.get(key)
            if token is None:
                name = who if role == "grid_worker" else f"demo {role} {who}"
                _, token = self._store.create(name, role, unit, grids, TOKEN_RATE)
                self._tokens[key] = token
                self.created += 1
            return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _error_code(answer: httpx.Response) -> str:
    try:
        return str(answer.json()["error"]["code"])
    except Exception:
        return f"HTTP {answer.status_code}"


def _error_text(answer: httpx.Response) -> str:
    try:
        return str(answer.json()["error"]["message"])[:160]
    except Exception:
        return answer.text[:160]


# --- the reporters -------------------------------------------------------------------------------


class ReportPump:
    """Sends the city's arrivals on time: grid workers' reports to `POST /api/v1/reports`,
    tickets and cases through the reference server, which signs them and calls grid_router's
    webhooks (`/bridges/12345/tickets`, `/bridges/citymgmt/cases`)."""

    def __init__(
        self,
        city: City,
        api: httpx.Client,
        reference: httpx.Client,
        tokens: TokenBook,
        tally: Tally,
        clock: Callable[[], datetime],
        duration: float | None,
        senders: int = 8,
    ) -> None:
        self._city = city
        self._api = api
        self._reference = reference
        self._tokens = tokens
        self._tally = tally
        self._clock = clock
        self._duration = duration
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(senders, thread_name_prefix="demo-report")
        self._thread = threading.Thread(target=self._run, name="demo-reports", daemon=True)
        self._serial = 0
        self.started_at = 0.0

    def start(self, started_at: float) -> None:
        self.started_at = started_at
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        for arrival in self._city.arrivals():
            if self._duration is not None and arrival.at >= self._duration:
                return
            delay = self.started_at + arrival.at - time.monotonic()
            if self._stop.wait(max(delay, 0.0)):
                return
            self._serial += 1
            try:
                self._pool.submit(self._send, arrival, self._serial)
            except RuntimeError:  # the pool was shut down: stopping
                return

    def _send(self, arrival: Arrival, serial: int) -> None:
        """Sends one arrival as its channel does, and tries again, as a resident's app or the
        hotline's system would, when the answer is lost or says "busy, later" (a timeout, 429,
        502, 503 or 504): the same Idempotency-Key or ticket number, so a report the system did
        take is not taken twice."""
        if self._stop.is_set():
            return
        now = self._clock().isoformat()
        if arrival.channel == "grid":
            token = self._tokens.grid_worker(arrival.reporter, arrival.place.community.code)
            headers = {**_bearer(token), "Idempotency-Key": f"{self._city.tag}-{serial}"}
            client, path = self._api, "/api/v1/reports"
            body, sent_with = {**arrival.body, "reported_at": now}, headers
        else:
            what = "hotline-ticket" if arrival.channel == "hotline" else "citymgmt-case"
            stamp = "created_at" if arrival.channel == "hotline" else "reported_at"
            client, path = self._reference, f"/_control/send/{what}"
            body, sent_with = {**arrival.body, stamp: now}, {}
        why, answer = "", None
        for attempt in range(SEND_ATTEMPTS):
            if attempt and self._stop.wait(_retry_delay(attempt, answer)):
                return
            answer = None
            try:
                answer = client.post(path, json=body, headers=sent_with)
            except httpx.HTTPError as exc:
                why = f"{arrival.channel}: {type(exc).__name__}: {exc}"
                continue
            if answer.status_code == 202:
                self._tally.reported(arrival)
                return
            why = f"{arrival.channel} report refused ({answer.status_code}): {_error_text(answer)}"
            if answer.status_code not in RETRIED_STATUSES:
                break
        if not self._stop.is_set():
            self._tally.report_failed(arrival.channel, why)


SEND_ATTEMPTS: Final = 4
RETRIED_STATUSES: Final = frozenset({429, 502, 503, 504})


def _retry_delay(attempt: int, answer: httpx.Response | None) -> float:
    """The server's Retry-After where it gave one (at most 10 s), else 0.5 s, 1 s, 2 s…"""
    given = answer.headers.get("Retry-After", "") if answer is not None else ""
    if given.isdigit():
        return min(float(given), 10.0)
    return 0.5 * 2.0 ** (attempt - 1)


# --- the dispatch centres ------------------------------------------------------------------------


@dataclass(slots=True)
class _Seen:
    """What the dispatch loop remembers of one incident."""

    key: tuple[str, str, str]  # (state, unit, work order) when `since` was taken
    since: datetime
    verifications: int = 0
    in_flight: int | None = None  # the version a move was sent at, until the version changes
    sent_at: float = 0.0
    tries: collections.Counter[str] = field(default_factory=collections.Counter)


MAX_TRIES: Final = 3
"""How often one move is sent for one state of an incident before the actor gives up on it."""
IN_FLIGHT_TIMEOUT: Final = 10.0


class DispatchLoop:
    """The dispatch centres, verifiers and far-side callers of the city: every `every` seconds,
    reads the incidents of the drill that someone must act on (the database, as their screens
    show it) and sends what `DispatchCentres` says is due, through the API (dispatchers and
    verifiers, with their tokens) or the reference server (the hotline's 回访, 数字城管's
    statuses)."""

    def __init__(
        self,
        engine: Engine,
        centres: DispatchCentres,
        api: httpx.Client,
        reference: httpx.Client,
        tokens: TokenBook,
        tally: Tally,
        clock: Callable[[], datetime],
        city_code: str,
        every: float = 0.4,
        senders: int = 8,
    ) -> None:
        self._engine = engine
        self._centres = centres
        self._api = api
        self._reference = reference
        self._tokens = tokens
        self._tally = tally
        self._clock = clock
        self._city_code = city_code
        self._every = every
        self._stop = threading.Event()
        self._pool = ThreadPoolExecutor(senders, thread_name_prefix="demo-act")
        self._thread = threading.Thread(target=self._run, name="demo-dispatch", daemon=True)
        self._seen: dict[str, _Seen] = {}
        self._conduct: dict[str, Conduct] = {}
        self._lock = threading.Lock()
        i, w = incidents.c, work_orders.c
        self._query = (
            select(
                i.event_id, i.version, i.state, i.level, i.unit_code, i.source, i.external_ref,
                i.category_code, i.subcategory_code, i.filed_at,
                w.work_order_id, w.created_at, w.sign_by, w.handle_by,
            )
            .select_from(incidents)
            .outerjoin(
                work_orders,
                and_(
                    w.event_id == i.event_id, w.unit_code == i.unit_code, w.active,
                    w.kind == "ACTION",
                ),
            )
            .where(
                i.state.in_(WORKING_STATES),
                i.sla_terms["policy_version"].as_string().like(f"%{DRILL_SUFFIX}"),
            )
            .order_by(i.event_id, w.created_at)
        )  # fmt: skip

    @property
    def misses(self) -> int:
        """Work orders drawn so far whose unit will never sign."""
        with self._lock:
            return sum(1 for c in self._conduct.values() if c.misses)

    @property
    def drawn(self) -> int:
        with self._lock:
            return len(self._conduct)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._round()
            except Exception as exc:
                log.warning("the simulated dispatch centres could not read their queues: %s", exc)
                self._tally.failed(f"dispatch: {exc}")

    def _round(self) -> None:
        with self._engine.connect() as conn:
            rows = conn.execute(self._query).all()
        latest: dict[str, Any] = {}
        for row in rows:  # the newest active order of the holder wins (city reminders)
            latest[row.event_id] = row
        now = self._clock()
        mono = time.monotonic()
        with self._lock:
            for gone in set(self._seen) - set(latest):
                del self._seen[gone]
        for row in latest.values():
            move, seen = self._decide(row, now, mono)
            if move is None or seen is None:
                continue
            try:
                self._pool.submit(self._act, row, move, seen)
            except RuntimeError:  # shut down: stopping
                return

    def _decide(self, row: Any, now: datetime, mono: float) -> tuple[Move | None, _Seen | None]:
        key = (row.state, row.unit_code, row.work_order_id or "")
        with self._lock:
            seen = self._seen.get(row.event_id)
            if seen is None:
                seen = self._seen[row.event_id] = _Seen(key, now)
            elif seen.key != key:
                seen.key, seen.since = key, now
                seen.tries.clear()
            if seen.in_flight is not None:
                if row.version == seen.in_flight and mono - seen.sent_at < IN_FLIGHT_TIMEOUT:
                    return None, None
                seen.in_flight = None
            if row.work_order_id is None and row.state in (
                State.DISPATCHED.value,
                State.SIGNED.value,
                State.IN_PROGRESS.value,
            ):
                return None, None
            conduct = self._conduct_for(row)
            held = Holding(
                event_id=row.event_id,
                level=row.level,
                unit_code=row.unit_code,
                state=row.state,
                source=row.source,
                category_code=row.category_code,
                subcategory_code=row.subcategory_code,
                dispatched_at=row.created_at or row.filed_at,
                sign_by=row.sign_by,
                handle_by=row.handle_by,
                since=seen.since,
                verifications=seen.verifications,
            )
            move = self._centres.next_move(held, conduct, now)
            if move is None:
                return None, None
            name = f"{row.state}:{_move_name(move)}"
            if seen.tries[name] >= MAX_TRIES:
                return None, None
            seen.tries[name] += 1
            seen.in_flight, seen.sent_at = row.version, mono
            if move.action in ("VERIFY", "CALLBACK") or (
                move.who is Who.CITYMGMT and row.state == State.HANDLED.value
            ):
                seen.verifications += 1
            return move, seen

    def _conduct_for(self, row: Any) -> Conduct:
        """The conduct of the unit holding `row`'s work order (lock held)."""
        key = row.work_order_id or f"{row.event_id}:{row.unit_code}"
        conduct = self._conduct.get(key)
        if conduct is None:
            conduct = self._centres.conduct(key, row.level, row.subcategory_code, row.category_code)
            self._conduct[key] = conduct
        return conduct

    def _act(self, row: Any, move: Move, seen: _Seen) -> None:
        if self._stop.is_set():
            return
        try:
            answer = self._send(row, move)
        except httpx.HTTPError as exc:
            # A lost answer (a reset, a timeout) is sent again on the loop's next round if the
            # incident still needs it, as a dispatcher would; any other failure is counted.
            lost = isinstance(exc, httpx.TransportError)
            record = self._tally.tried_again if lost else self._tally.failed
            if not self._stop.is_set():
                record(f"{move.action} {row.event_id[:8]}: {exc}")
            with self._lock:
                seen.in_flight = None
            return
        if answer.status_code == 202:
            self._tally.acted(move)
            return
        with self._lock:
            seen.in_flight = None
        if answer.status_code in (404, 409):
            # The incident moved on meanwhile (a timer passed it to another unit, which this
            # unit's token may not see; the router applied something first): the loop sees
            # its new state next time round.
            self._tally.was_refused(_error_code(answer))
        else:
            self._tally.failed(
                f"{_move_name(move)} {row.event_id[:8]} answered {answer.status_code}: "
                f"{_error_text(answer)}"
            )

    def _send(self, row: Any, move: Move) -> httpx.Response:
        at = {"at": self._clock().isoformat()}
        if move.who is Who.HOTLINE:
            return self._reference.post(
                "/_control/send/hotline-callback",
                params={"ticket_no": row.external_ref},
                json={**move.body, **at},
            )
        if move.who is Who.CITYMGMT:
            return self._reference.post(
                "/_control/send/citymgmt-status",
                params={"case_no": row.external_ref},
                json={**move.body, "unit_code": row.unit_code, **at},
            )
        if move.who is Who.VERIFIER:
            unit = verifier_unit(row.level, row.unit_code, self._city_code)
            token = self._tokens.verifier(unit)
        else:
            token = self._tokens.dispatcher(row.unit_code)
        return self._api.post(
            f"/api/v1/events/{row.event_id}/actions", json=dict(move.body), headers=_bearer(token)
        )


def drill_version(version: str) -> str:
    """The policy version the drill copy carries."""
    return version if version.endswith(DRILL_SUFFIX) else version + DRILL_SUFFIX


class OutageSwitch:
    """Takes a reference far side down for the outage and brings it back (its control API)."""

    def __init__(self, outage: Outage, reference: httpx.Client, tally: Tally) -> None:
        self.outage = outage
        self._reference = reference
        self._tally = tally
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="demo-outage", daemon=True)
        self._started_at = 0.0

    def start(self, started_at: float) -> None:
        self._started_at = started_at
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)

    def _run(self) -> None:
        o = self.outage
        if self._stop.wait(max(self._started_at + o.starts_at - time.monotonic(), 0.0)):
            return
        self._mode({"mode": "error", "status": 503})
        # Brought back even when the drill stops meanwhile: the far side outlives no drill, but
        # its state should not say "down" in the summary.
        self._stop.wait(max(self._started_at + o.starts_at + o.lasts - time.monotonic(), 0.0))
        self._mode({"mode": "ok"})

    def _mode(self, body: dict[str, Any]) -> None:
        try:
            self._reference.post(f"/_control/mode/{self.outage.far_side}", json=body)
        except httpx.HTTPError as exc:
            self._tally.failed(f"could not set {self.outage.name}'s mode: {exc}")
