"""A broker outage told apart from a bug, and said once (the broker's side of
`adapters.db.outage`).

While the broker is away (SIGKILLed, restarting, unreachable) the router's consumer cannot poll
or commit offsets and every producer's sends time out. None of that is a reason to exit: what
is durable stays durable (the database has the batches, the outbox has what is unsent), so each
process waits for the broker, tries again, and says ONE line when it notices the broker is away
and one when it answers again. kafka-python's own per-connection lines are silenced
(`adapters.logs`), so these two are all an operator reads.

There is no limit on the wait, as for the database: a process that exits does not bring the
broker back, and its supervisor would only start it again into the same outage; the outage is
seen in the log line, the consumer lag and the outbox backlog (docs/reliability.md).
"""

from __future__ import annotations

import logging
import threading
from typing import Final

from grid_router.adapters.db.outage import OutageNotice, shared_notice
from grid_router.adapters.kafka.admin import broker_ready, parse_bootstrap, port_accepts
from grid_router.exceptions import BrokerUnavailableError

log = logging.getLogger("grid_router.kafka")

#: While the broker is away, how often a process looks again (seconds, at most).
PROBE_MAX_WAIT: Final = 2.0


def broker_unavailable(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) says the broker cannot be reached or cannot serve now
    (kafka-python's retriable errors: connection refused or lost, timeouts, no coordinator), as
    opposed to a refusal that trying again would not change."""
    from kafka.errors import KafkaError

    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, BrokerUnavailableError | ConnectionError):
            return True
        if isinstance(cause, KafkaError) and cause.retriable:
            return True
        cause = cause.__cause__ or cause.__context__
    return False


class BrokerNotice(OutageNotice):
    """The state of the Kafka cluster at one bootstrap address as this process sees it."""

    BEGIN = "Kafka at %s is unreachable; waiting for it (%s)"
    END = "Kafka at %s answers again after %.1f s; carrying on"
    PART = "kafka"
    logger = log

    def is_outage(self, exc: BaseException) -> bool:
        return broker_unavailable(exc)

    def reason(self, exc: BaseException) -> str:
        text = str(exc).strip().splitlines()
        return (text[0] if text else type(exc).__name__)[:200]


def broker_notice_for(bootstrap: str) -> BrokerNotice:
    """The one notice of the cluster at `bootstrap` in this process (shared by its clients)."""
    return shared_notice(BrokerNotice, bootstrap)


def broker_accepts(bootstrap: str, timeout: float = 0.5) -> bool:
    """Whether any bootstrap server accepts TCP connections (cheap: no Kafka request)."""
    return any(port_accepts(host, port, timeout) for host, port in parse_bootstrap(bootstrap))


def await_broker(bootstrap: str, stop: threading.Event | None = None) -> bool:
    """Return once a broker at `bootstrap` serves (True), or once `stop` is set (False): a
    process started while the broker is away waits for it, said once, instead of failing after
    kafka-python's bootstrap timeout and looping through restarts."""
    stop = stop or threading.Event()
    notice = broker_notice_for(bootstrap)
    wait = 0.2
    while not stop.is_set():
        if broker_ready(bootstrap):
            notice.ok()
            return True
        notice.failed(BrokerUnavailableError(f"no broker answers at {bootstrap}"))
        stop.wait(wait)
        wait = min(wait * 2, PROBE_MAX_WAIT)
    return False
