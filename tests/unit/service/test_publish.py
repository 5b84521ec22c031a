"""Publishing after commit: acknowledged ids come back; a broker outage is said once, by the
process's notice, not once per message."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from grid_router.service.ports import OutboxMessage
from grid_router.service.publish import CommitPublisher


class _Future:
    def __init__(self, error: BaseException | None) -> None:
        self._error = error

    def add_callback(self, f: Any, *args: Any) -> None:
        if self._error is None:
            f(*args, object())

    def add_errback(self, f: Any, *args: Any) -> None:
        if self._error is not None:
            f(*args, self._error)


class _Producer:
    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.sent = 0

    def send(
        self, topic: str, *, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]
    ) -> _Future:
        self.sent += 1
        return _Future(self.error)

    def flush(self, timeout: float | None = None) -> None:
        return None


class _Notice:
    def __init__(self, outage: bool) -> None:
        self.outage = outage
        self.failures: list[BaseException] = []
        self.oks = 0

    def failed(self, exc: BaseException, stale: bool = False) -> bool:
        self.failures.append(exc)
        return self.outage

    def ok(self) -> None:
        self.oks += 1


def _messages(n: int) -> list[OutboxMessage]:
    return [
        OutboxMessage(topic="t", key=b"k", value=b"v", headers=(), event_id=f"e{i}")
        for i in range(n)
    ]


def test_acknowledged_transactions_hand_back_their_ids_and_tell_the_notice() -> None:
    notice = _Notice(outage=False)
    publisher = CommitPublisher(_Producer(), notice)
    publisher.publish([1, 2, 3], _messages(3))
    assert publisher.acknowledged() == [1, 2, 3]
    assert publisher.acknowledged() == []
    assert notice.oks == 3
    assert notice.failures == []


def test_a_broker_outage_is_left_to_the_notice(caplog: pytest.LogCaptureFixture) -> None:
    notice = _Notice(outage=True)
    publisher = CommitPublisher(_Producer(ConnectionError("broker away")), notice)
    with caplog.at_level(logging.WARNING, logger="grid_router.service.publish"):
        publisher.publish([1, 2, 3], _messages(3))
        publisher.publish([4, 5], _messages(2))
    assert caplog.records == []
    assert len(notice.failures) == 2  # once per transaction
    assert publisher.acknowledged() == []  # the rows stay for the sweeper
    assert publisher.failures == 2


def test_another_failure_is_logged_once_per_transaction(
    caplog: pytest.LogCaptureFixture,
) -> None:
    publisher = CommitPublisher(_Producer(ValueError("record too large")), _Notice(outage=False))
    with caplog.at_level(logging.WARNING, logger="grid_router.service.publish"):
        publisher.publish([1, 2, 3], _messages(3))
    assert len(caplog.records) == 1
    assert "did not acknowledge" in caplog.records[0].getMessage()
    assert publisher.acknowledged() == []
