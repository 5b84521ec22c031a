"""The bridges' shared signature (docs/bridges.md): right under the secret, over the body sent,
and within five minutes of the receiver's clock either way, to the second."""

from __future__ import annotations

import pytest

from grid_router.service.bridges import sign, verify

SECRET = "s3cret"
BODY = b'{"ticket_no":"GD1"}'
NOW = 1_796_000_000.0


def signed_at(at: int) -> tuple[str, str]:
    timestamp = str(at)
    return timestamp, sign(SECRET, timestamp, BODY)


@pytest.mark.parametrize("offset", [0, 300, -300, 299, -299])
def test_a_timestamp_within_five_minutes_either_way_is_accepted(offset: int) -> None:
    timestamp, signature = signed_at(int(NOW) + offset)
    assert verify(SECRET, timestamp, signature, BODY, NOW)


@pytest.mark.parametrize("offset", [301, -301, 3600, -3600])
def test_a_timestamp_more_than_five_minutes_off_is_refused(offset: int) -> None:
    timestamp, signature = signed_at(int(NOW) + offset)
    assert not verify(SECRET, timestamp, signature, BODY, NOW)


def test_a_signature_under_another_secret_or_over_another_body_is_refused() -> None:
    timestamp, signature = signed_at(int(NOW))
    assert not verify("other", timestamp, signature, BODY, NOW)
    assert not verify(SECRET, timestamp, signature, BODY + b" ", NOW)


@pytest.mark.parametrize("timestamp", [None, "", "soon"])
def test_a_missing_or_unreadable_timestamp_is_refused(timestamp: str | None) -> None:
    assert not verify(SECRET, timestamp, sign(SECRET, "1", BODY), BODY, NOW)
