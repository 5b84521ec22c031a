"""The demo's report senders (grid_router/demo/traffic.py) try again, as a resident's app would,
when an answer is lost or says "busy": with the same Idempotency-Key or ticket number, so that a
slow moment on a loaded machine is not a lost report, and a refusal is reported with its reason."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, cast

import httpx
import pytest

from grid_router.adapters.db.tokens import SqlTokenStore
from grid_router.adapters.org_data import load_default_organisation
from grid_router.demo.city import Arrival, City
from grid_router.demo.traffic import ReportPump, Tally, TokenBook

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


class _Store:
    """Stands in for the token table: hands out a token per actor."""

    def create(
        self, name: str, role: str, unit: str | None, grids: Iterable[str], rate: int
    ) -> tuple[str, str]:
        return name, f"token-of-{name}"


def pump_and_arrival(
    channel: str, answers: list[Callable[[httpx.Request], httpx.Response]]
) -> tuple[ReportPump, Arrival, list[httpx.Request], Tally]:
    city = City(load_default_organisation(), 7, 5.0, "GD1", typhoon_at=None)
    arrival = next(a for a in itertools.islice(city.arrivals(), 200) if a.channel == channel)
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1](request)

    client = httpx.Client(base_url="http://test", transport=httpx.MockTransport(handler))
    tally = Tally()
    tokens = TokenBook(cast(SqlTokenStore, _Store()))
    pump = ReportPump(city, client, client, tokens, tally, lambda: NOW, None, senders=1)
    return pump, arrival, seen, tally


def status(code: int, **headers: str) -> Callable[[httpx.Request], httpx.Response]:
    body: dict[str, Any] = {"error": {"code": "X", "message": f"answered {code}"}}
    return lambda _: httpx.Response(code, json=body, headers=headers)


def timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("the answer did not come", request=request)


@pytest.mark.parametrize("channel", ["grid", "hotline", "citymgmt"])
def test_a_lost_or_busy_answer_is_tried_again_with_the_same_request(channel: str) -> None:
    pump, arrival, seen, tally = pump_and_arrival(
        channel, [timeout, status(503, **{"Retry-After": "0"}), status(202)]
    )
    pump._send(arrival, 1)
    assert len(seen) == 3
    assert tally.reports[channel] == 1
    assert not tally.report_failures
    assert len({r.content for r in seen}) == 1  # the same body, ticket number included
    assert len({r.headers.get("Idempotency-Key") for r in seen}) == 1
    if channel == "grid":
        assert seen[0].headers["Idempotency-Key"] == "GD1-1"


def test_a_refusal_is_not_retried_and_its_reason_is_kept() -> None:
    pump, arrival, seen, tally = pump_and_arrival("grid", [status(422)])
    pump._send(arrival, 1)
    assert len(seen) == 1
    assert tally.report_failures["grid"] == 1
    assert tally.failure_reasons == ["grid report refused (422): answered 422"]


def test_a_report_that_stays_unanswered_fails_after_four_tries_with_the_last_reason() -> None:
    pump, arrival, seen, tally = pump_and_arrival("hotline", [status(502, **{"Retry-After": "0"})])
    pump._send(arrival, 1)
    assert len(seen) == 4
    assert tally.failure_reasons == ["hotline report refused (502): answered 502"]
