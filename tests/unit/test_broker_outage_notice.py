"""Telling a broker outage from a refusal, and saying it once each way
(adapters/kafka/outage.py)."""

from __future__ import annotations

import logging

import pytest
from kafka.errors import (
    CommitFailedError,
    KafkaConnectionError,
    KafkaTimeoutError,
    MessageSizeTooLargeError,
    NodeNotReadyError,
)

from grid_router.adapters.kafka.outage import BrokerNotice, broker_unavailable
from grid_router.exceptions import BrokerUnavailableError


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (KafkaConnectionError("111 ECONNREFUSED"), True),
        (KafkaTimeoutError("Unable to bootstrap from 127.0.0.1:9092"), True),
        (NodeNotReadyError("coordinator"), True),
        (ConnectionResetError(104, "Connection reset by peer"), True),
        (BrokerUnavailableError("offset commit"), True),
        (CommitFailedError("rebalanced"), False),  # the group moved on: not an outage
        (MessageSizeTooLargeError("too large"), False),  # trying again changes nothing
        (ValueError("a bug"), False),
    ],
)
def test_an_outage_is_told_from_a_refusal(error: Exception, outage: bool) -> None:
    assert broker_unavailable(error) is outage


def test_an_outage_found_behind_another_error_counts() -> None:
    outer = RuntimeError("commit")
    outer.__cause__ = KafkaConnectionError("socket disconnected")
    assert broker_unavailable(outer)


def test_the_notice_says_it_once_each_way_in_its_own_words(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="grid_router.kafka")
    notice = BrokerNotice("127.0.0.1:9092")
    assert not notice.failed(MessageSizeTooLargeError("too large"))
    assert not notice.down
    for _ in range(50):
        assert notice.failed(KafkaConnectionError("111 ECONNREFUSED"), stale=True)
    for _ in range(50):
        notice.ok()
    # Just after it answered again, a request from before failing is the old outage's leftover.
    assert notice.failed(KafkaTimeoutError("commit"), stale=True)
    assert not notice.down
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("Kafka at 127.0.0.1:9092 is unreachable; waiting for it (")
    assert "111 ECONNREFUSED" in lines[0]
    assert "Kafka at 127.0.0.1:9092 answers again after" in lines[1]
    assert len(lines) == 2, lines
    # The database's words are not used: the database outage checks count those.
    assert not any("is unavailable" in line or "is back after" in line for line in lines)
