"""The demo's simulated city (grid_router/demo/city.py): one seed is one city, the texts are
what they claim to be, and the dispatch centres keep to their conduct."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.demo.city import (
    CATALOGUE,
    SERIOUS,
    TYPHOON,
    Arrival,
    City,
    Conduct,
    DispatchCentres,
    DrillClock,
    Holding,
    Who,
    outage_plan,
    places,
    verifier_unit,
)
from grid_router.domain.classify import Classifier
from grid_router.domain.filing import decide
from grid_router.domain.org import Organisation
from grid_router.entrypoints.contracts import ReportSubmission
from grid_router.policy.load import load_default_policy
from grid_router.policy.taxonomy import load_taxonomy
from grid_router.service.citymgmt_cases import CaseIn
from grid_router.service.hotline_tickets import TicketIn

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def org() -> Organisation:
    return load_default_organisation()


@pytest.fixture(scope="module")
def classifier(org: Organisation) -> Classifier:
    policy = load_default_policy()
    return Classifier(load_taxonomy(policy.taxonomy_path), place_names=[u.name for u in org])


def first(city: City, n: int) -> list[Arrival]:
    return list(itertools.islice(city.arrivals(), n))


def fingerprint(arrivals: list[Arrival]) -> list[tuple[Any, ...]]:
    return [
        (a.at, a.channel, a.place.community.code, a.subcategory, dict(a.body)) for a in arrivals
    ]


# --- one seed, one city ----------------------------------------------------------------------


def test_the_same_seed_gives_the_same_city(org: Organisation) -> None:
    a = first(City(org, 7, 5.0, "GD1", typhoon_at=40.0), 400)
    b = first(City(org, 7, 5.0, "GD1", typhoon_at=40.0), 400)
    assert fingerprint(a) == fingerprint(b)
    c = first(City(org, 8, 5.0, "GD1", typhoon_at=40.0), 400)
    assert fingerprint(a) != fingerprint(c)


def test_arrivals_come_in_order_at_about_the_rate(org: Organisation) -> None:
    arrivals = list(
        itertools.takewhile(lambda a: a.at < 600, City(org, 3, 5.0, "GD1", None).arrivals())
    )
    times = [a.at for a in arrivals]
    assert times == sorted(times)
    assert 2700 < len(arrivals) < 3300  # 5 a second for 600 s, a Poisson stream
    channels = {a.channel for a in arrivals}
    assert channels == {"grid", "hotline", "citymgmt"}


def test_the_typhoon_brings_a_burst_from_one_district(org: Organisation) -> None:
    city = City(org, 11, 5.0, "GD1", typhoon_at=40.0, typhoon_lasts=10.0)
    typhoon = city.typhoon
    assert typhoon is not None
    arrivals = list(itertools.takewhile(lambda a: a.at < 60, city.arrivals()))
    storm = [a for a in arrivals if a.typhoon]
    assert storm
    assert {a.place.district.code for a in storm} == {typhoon.district.code}
    assert all(40.0 <= a.at < 50.0 for a in storm)
    assert {a.subcategory for a in storm} <= {t.subcategory for t in TYPHOON}
    # More waterlogging reports than the policy's burst rule allows in its window.
    [rule] = [r for r in load_default_policy().routing.bursts if r.name == "waterlogging"]
    waterlogged = [a for a in storm if a.subcategory in rule.subcategories]
    assert len(waterlogged) > rule.threshold


def test_no_typhoon_when_not_asked(org: Organisation) -> None:
    city = City(org, 1, 5.0, "GD1", typhoon_at=None)
    assert city.typhoon is None
    assert not any(a.typhoon for a in first(city, 500))


# --- the places and the texts ----------------------------------------------------------------


def test_places_are_real_communities_with_addresses_that_locate(org: Organisation) -> None:
    found = places(org)
    assert len(found) > 500
    assert not [p for p in found if "虚拟" in p.community.name]
    for place in found[::25]:
        assert place.community.code.startswith(place.street.code)
        assert place.street.code.startswith(place.district.code)
        located = org.locate_address(place.address)
        assert located.deepest == place.community, place.address


def test_every_text_is_classified_as_what_it_was_written_for(
    org: Organisation, classifier: Classifier
) -> None:
    place = next(p for p in places(org) if p.community.code == "350206002008")  # 高殿社区
    routing = load_default_policy().routing
    wrong = []
    for template in (*CATALOGUE, *SERIOUS, *TYPHOON):
        for text in template.texts:
            description = text.format(place=place.spoken, road="吕岭路", n=12)
            body = {
                "source": "GRID_APP",
                "reporter": {"id": "GW-350206002008-01"},
                "grid_code": place.grid_code(3),
                "category_code": template.category,
                "description": description,
            }
            report = ReportSubmission.model_validate(body).to_report(NOW)
            got = decide(report, org, classifier, routing).classification.subcategory_code
            if got != template.subcategory:
                wrong.append((template.subcategory, got, description))
    assert wrong == []


def test_serious_texts_are_grade_two(org: Organisation, classifier: Classifier) -> None:
    place = places(org)[0]
    for template in SERIOUS:
        for text in template.texts:
            c = classifier.classify(
                text.format(place=place.spoken, road="中山路", n=3),
                app_category=template.category,
            )
            assert c.severity == "II", text


def test_tickets_and_cases_are_what_the_webhooks_take(org: Organisation) -> None:
    arrivals = first(City(org, 5, 5.0, "GD20261127", typhoon_at=None), 600)
    tickets = [a for a in arrivals if a.channel == "hotline"]
    cases = [a for a in arrivals if a.channel == "citymgmt"]
    assert tickets
    assert cases
    for a in tickets:
        TicketIn.model_validate({**a.body, "created_at": NOW.isoformat()})
    for a in cases:
        CaseIn.model_validate({**a.body, "reported_at": NOW.isoformat()})
    numbers = [a.body["ticket_no"] for a in tickets] + [a.body["case_no"] for a in cases]
    assert len(numbers) == len(set(numbers))
    for a in arrivals:
        if a.channel == "grid":
            ReportSubmission.model_validate(a.body)
            assert a.body["grid_code"].startswith(a.place.community.code)


# --- the dispatch centres ------------------------------------------------------------------------


def test_the_share_of_work_orders_never_signed_is_the_one_asked_for() -> None:
    centres = DispatchCentres(seed=7, miss_share=0.2)
    drawn = [
        centres.conduct(f"wo-{i}", "community", "CITY_MGMT.ROAD_DAMAGE", "CITY_MGMT")
        for i in range(5000)
    ]
    share = sum(c.misses for c in drawn) / len(drawn)
    assert 0.18 < share < 0.22
    nobody = DispatchCentres(seed=7, miss_share=0.0)
    assert not any(nobody.conduct(f"wo-{i}", "street", None, "FIRE").misses for i in range(500))


def test_the_city_always_acts() -> None:
    centres = DispatchCentres(seed=1, miss_share=1.0)
    assert all(centres.conduct(f"wo-{i}", "district", None, "FIRE").misses for i in range(50))
    assert not any(centres.conduct(f"wo-{i}", "city", None, "FIRE").misses for i in range(200))


def test_conduct_depends_on_the_seed_and_the_work_order_only() -> None:
    a = DispatchCentres(seed=9)
    b = DispatchCentres(seed=9)
    ids = [f"wo-{i}" for i in range(100)]
    forward = [a.conduct(i, "community", None, "DISPUTE") for i in ids]
    backward = [b.conduct(i, "community", None, "DISPUTE") for i in reversed(ids)]
    assert forward == list(reversed(backward))
    other = [DispatchCentres(seed=10).conduct(i, "community", None, "DISPUTE") for i in ids]
    assert forward != other


def test_some_sign_late_enough_for_a_yellow_card_and_none_after_the_limit() -> None:
    centres = DispatchCentres(seed=3)
    fractions = [
        centres.conduct(f"wo-{i}", "street", None, "FIRE").sign_fraction for i in range(2000)
    ]
    late = sum(f > 0.7 for f in fractions) / len(fractions)
    assert 0.1 < late < 0.3
    assert max(fractions) < 0.95


def conduct(**changes: Any) -> Conduct:
    base = {
        "misses": False,
        "sign_fraction": 0.5,
        "asks_up": False,
        "start_after": 240.0,
        "handle_after": 3600.0,
        "verify_after": 2400.0,
        "verify_passes": True,
        "result": "已处置",
    }
    return Conduct(**{**base, **changes})


def holding(state: str, since: datetime = NOW, source: str = "GRID_APP", **more: Any) -> Holding:
    values: dict[str, Any] = {
        "event_id": "e1",
        "level": "community",
        "unit_code": "350206002008",
        "state": state,
        "source": source,
        "category_code": "CITY_MGMT",
        "subcategory_code": "CITY_MGMT.ROAD_DAMAGE",
        "dispatched_at": NOW,
        "sign_by": NOW + timedelta(seconds=15),
        "handle_by": NOW + timedelta(seconds=315),
        "since": since,
        **more,
    }
    return Holding(**values)


def test_a_unit_signs_at_its_fraction_of_the_limit_or_never() -> None:
    centres = DispatchCentres(seed=1, clock=DrillClock(240.0))
    c = conduct(sign_fraction=0.5)
    assert centres.next_move(holding("DISPATCHED"), c, NOW + timedelta(seconds=7)) is None
    move = centres.next_move(holding("DISPATCHED"), c, NOW + timedelta(seconds=7.5))
    assert move is not None
    assert (move.who, move.action) == (Who.DISPATCHER, "SIGN")
    never = conduct(misses=True)
    assert centres.next_move(holding("DISPATCHED"), never, NOW + timedelta(hours=1)) is None


def test_signed_started_handled_verified_closed() -> None:
    centres = DispatchCentres(seed=1, clock=DrillClock(240.0))
    c = conduct()
    start = centres.next_move(holding("SIGNED"), c, NOW + timedelta(seconds=1))  # 240 s drill
    assert start is not None
    assert start.action == "START"
    assert centres.next_move(holding("IN_PROGRESS"), c, NOW + timedelta(seconds=14)) is None
    handle = centres.next_move(holding("IN_PROGRESS"), c, NOW + timedelta(seconds=15))
    assert handle is not None
    assert (handle.action, handle.body["result"]) == ("HANDLE", "已处置")
    verify = centres.next_move(holding("HANDLED"), c, NOW + timedelta(seconds=10))
    assert verify is not None
    assert (verify.who, verify.action, verify.body["verify_passed"]) == (
        Who.VERIFIER,
        "VERIFY",
        True,
    )
    close = centres.next_move(holding("VERIFIED"), c, NOW + timedelta(seconds=4))
    assert close is not None
    assert (close.who, close.action) == (Who.VERIFIER, "CLOSE")


def test_a_failed_verification_passes_the_second_time() -> None:
    centres = DispatchCentres(seed=1, clock=DrillClock(240.0))
    c = conduct(verify_passes=False)
    later = NOW + timedelta(minutes=1)
    first_try = centres.next_move(holding("HANDLED"), c, later)
    assert first_try is not None
    assert first_try.body["verify_passed"] is False
    assert first_try.body["reason"]
    second = centres.next_move(holding("HANDLED", verifications=1), c, later)
    assert second is not None
    assert second.body["verify_passed"] is True


def test_the_far_sides_verify_their_own() -> None:
    centres = DispatchCentres(seed=1, clock=DrillClock(240.0))
    later = NOW + timedelta(minutes=1)
    callback = centres.next_move(holding("HANDLED", source="HOTLINE"), conduct(), later)
    assert callback is not None
    assert (callback.who, callback.action, callback.body["satisfied"]) == (
        Who.HOTLINE,
        "CALLBACK",
        True,
    )
    unhappy = centres.next_move(
        holding("HANDLED", source="HOTLINE"), conduct(verify_passes=False), later
    )
    assert unhappy is not None
    assert unhappy.body["satisfied"] is False
    status = centres.next_move(holding("HANDLED", source="CITY_MGMT"), conduct(), later)
    assert status is not None
    assert (status.who, status.body["status"]) == (Who.CITYMGMT, "核查通过")
    closing = centres.next_move(holding("VERIFIED", source="CITY_MGMT"), conduct(), later)
    assert closing is not None
    assert closing.body["status"] == "结案"


def test_a_community_that_asks_up_escalates_after_signing() -> None:
    centres = DispatchCentres(seed=1)
    move = centres.next_move(holding("SIGNED"), conduct(asks_up=True), NOW)
    assert move is not None
    assert (move.action, bool(move.body["reason"])) == ("ESCALATE", True)


def test_verifiers_are_the_street_the_district_or_the_city() -> None:
    assert verifier_unit("community", "350206002008", "350200") == "350206002"
    assert verifier_unit("street", "350206002", "350200") == "350206002"
    assert verifier_unit("district", "350206", "350200") == "350206"
    assert verifier_unit("city", "350200", "350200") == "350200"


def test_the_drill_clock() -> None:
    clock = DrillClock(240.0)
    assert clock.real(timedelta(hours=1)) == 15.0
    assert clock.describe(15.0) == "1 h 00 min"
    assert clock.describe(50.0) == "3 h 20 min"
    assert clock.describe(10.0) == "40 min"


def test_the_outage_comes_three_fifths_in() -> None:
    outage = outage_plan(120.0)
    assert outage.far_side == "citymgmt"
    assert outage.status(71.0) == "coming"
    assert outage.status(72.0) == "down"
    assert outage.status(78.0) == "over"
    assert outage_plan(None).starts_at == 70.0
