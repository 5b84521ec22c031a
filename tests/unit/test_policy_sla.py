"""The `sla` section of the policy file: the bundled policy compiles to the limits operators
read in xiamen.yaml, and every bad SLA input is one problem at its path with a clear message."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from grid_router.domain.model import Level
from grid_router.domain.sla import DEFAULT_WORKING_HOURS, ClockKind, ExtensionRules, SlaLimits
from grid_router.policy.load import (
    CalendarSettings,
    check_policy,
    default_policy_path,
    load_default_policy,
    load_policy,
)
from grid_router.policy.schema import (
    ClockName,
    format_duration,
    parse_duration,
    parse_working_period,
)
from tests.unit.test_policy_load import BUNDLED_TAXONOMY, GOOD, write

H = timedelta(hours=1)
M = timedelta(minutes=1)


def _dump(tmp_path: Path, data: dict[str, Any]) -> Path:
    return write(tmp_path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


# --------------------------------------------------------------------------------------------
# The bundled policy


def test_bundled_policy_compiles_to_the_documented_limits() -> None:
    policy = load_default_policy()
    sla = policy.sla
    assert set(sla.policies) == {"standard", "urgent", "emergency", "triage", "triage-emergency"}

    standard = sla.policy("standard")
    assert standard.clock is ClockKind.WORKING_TIME
    assert standard.at(Level.COMMUNITY) == SlaLimits(sign=1 * H, handle=21 * H, verify=7 * H)
    assert standard.at(Level.CITY) == SlaLimits(sign=4 * H, handle=70 * H, verify=14 * H)
    assert standard.renotify_every == 4 * H
    assert list(standard.limits) == list(Level)  # community first, whatever the file order

    urgent = sla.policy("urgent")
    assert urgent.clock is ClockKind.WALL_CLOCK
    assert urgent.at(Level.STREET).sign == 30 * M
    assert urgent.at(Level.CITY).handle == 48 * H

    emergency = sla.policy("emergency")
    assert emergency.clock is ClockKind.WALL_CLOCK
    assert emergency.renotify_every == 15 * M
    assert emergency.at(Level.DISTRICT) == SlaLimits(sign=15 * M, handle=6 * H, verify=24 * H)

    triage = sla.policy("triage")
    assert triage.clock is ClockKind.WORKING_TIME
    assert triage.renotify_every == 2 * H
    assert all(triage.at(level) == SlaLimits(sign=1 * H, handle=7 * H) for level in Level)

    grave = sla.policy("triage-emergency")
    assert grave.clock is ClockKind.WALL_CLOCK
    assert grave.renotify_every == 15 * M
    assert all(grave.at(level) == SlaLimits(sign=10 * M, handle=1 * H) for level in Level)

    assert sla.extensions == ExtensionRules(max_count=2, max_each=24 * H)


def test_bundled_policy_calendar_is_the_default_working_day() -> None:
    assert load_default_policy().calendar == CalendarSettings(
        working_hours=DEFAULT_WORKING_HOURS,
        extra_holidays=frozenset(),
        extra_working_days=frozenset(),
        known_years=frozenset(),
    )


def test_every_route_names_a_policy_that_exists() -> None:
    policy = load_default_policy()
    assert policy.sla_policies == policy.routing.sla_policies == frozenset(policy.sla.policies)
    for route in policy.routing.routes():
        assert policy.sla.policy(route.sla).name == route.sla


def test_clock_names_are_the_domain_clock_kinds() -> None:
    assert set(get_args(ClockName)) == {kind.value for kind in ClockKind}


def test_calendar_dates_and_years_compile(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["sla"]["calendar"] = {
        "working_hours": ["09:00-12:00", "13:30-17:30"],
        "extra_holidays": [date(2027, 1, 1), "2027-02-08"],  # YAML date, and a quoted one
        "extra_working_days": ["2027-02-06"],
        "known_years": [2027],
    }
    policy = load_policy(_dump(tmp_path, data))
    assert policy.calendar == CalendarSettings(
        working_hours=((time(9), time(12)), (time(13, 30), time(17, 30))),
        extra_holidays=frozenset({date(2027, 1, 1), date(2027, 2, 8)}),
        extra_working_days=frozenset({date(2027, 2, 6)}),
        known_years=frozenset({2027}),
    )


# --------------------------------------------------------------------------------------------
# Durations and working periods


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", 30 * M),
        ("2h", 2 * H),
        ("1h30m", 90 * M),
        ("90m", 90 * M),
        ("70h", 70 * H),
        ("1h 30m", 90 * M),
    ],
)
def test_durations_are_hours_and_minutes(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1d", "working time makes a day ambiguous: write hours, 7h is one working day"),
        ("2d4h", "working time makes a day ambiguous"),
        ("1 day", "working time makes a day ambiguous"),
        ("1w", "working time makes a day ambiguous"),
        ("0m", "is zero"),
        ("0h0m", "is zero"),
        ("-2h", "is negative"),
        ("abc", "must be hours and minutes such as 30m, 2h or 1h30m"),
        ("", "must be hours and minutes"),
        ("1.5h", "must be hours and minutes"),
        ("30s", "must be hours and minutes"),
        ("2H", "must be hours and minutes"),
        ("1h90m", "write 2h30m"),
    ],
)
def test_bad_durations_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="duration") as caught:
        parse_duration(text)
    assert message in str(caught.value)


@pytest.mark.parametrize("minutes", [1, 30, 60, 90, 24 * 60, 70 * 60 + 5])
def test_format_duration_reads_back(minutes: int) -> None:
    duration = timedelta(minutes=minutes)
    assert parse_duration(format_duration(duration)) == duration


def test_working_periods() -> None:
    assert parse_working_period("08:30-12:00") == (time(8, 30), time(12))
    for text, message in [
        ("22:00-06:00", "may not cross midnight"),
        ("12:00-12:00", "does not end after it starts"),
        ("14:30-24:00", "impossible time"),
        ("8:30-12:00", "must look like 08:30-12:00"),
    ]:
        with pytest.raises(ValueError, match=message):
            parse_working_period(text)


# --------------------------------------------------------------------------------------------
# Bad inputs: one problem each, at its path


def _limits(d: dict[str, Any], policy: str = "standard") -> dict[str, Any]:
    limits: dict[str, Any] = d["sla"]["policies"][policy]["limits"]
    return limits


def _calendar(d: dict[str, Any]) -> dict[str, Any]:
    calendar: dict[str, Any] = d["sla"]["calendar"]
    return calendar


STD = "sla.policies.standard"

BAD: list[tuple[str, Callable[[dict[str, Any]], object], str, str]] = [
    (
        "a duration in days",
        lambda d: _limits(d)["city"].update(handle="3d"),
        f"{STD}.limits.city.handle",
        "duration '3d' is in days: working time makes a day ambiguous: write hours, "
        "7h is one working day on the default hours",
    ),
    (
        "a zero duration",
        lambda d: _limits(d)["community"].update(sign="0m"),
        f"{STD}.limits.community.sign",
        "duration '0m' is zero; it must be longer than zero",
    ),
    (
        "garbage for a duration",
        lambda d: _limits(d)["street"].update(verify="abc"),
        f"{STD}.limits.street.verify",
        "duration 'abc' must be hours and minutes such as 30m, 2h or 1h30m",
    ),
    (
        "a bare number for a duration",
        lambda d: _limits(d)["street"].update(sign=30),
        f"{STD}.limits.street.sign",
        "a duration must be a string with its unit, such as 30m, 2h or 1h30m (got 30)",
    ),
    (
        "a reminder interval in days",
        lambda d: d["sla"]["policies"]["emergency"].update(renotify_every="1d"),
        "sla.policies.emergency.renotify_every",
        "working time makes a day ambiguous",
    ),
    (
        "a missing level",
        lambda d: _limits(d).pop("city"),
        f"{STD}.limits.city",
        "no limits for the city level; every SLA policy gives all four levels "
        "(community, street, district, city)",
    ),
    (
        "a level with no limits",
        lambda d: _limits(d).update(street={}),
        f"{STD}.limits.street",
        "gives no limit; give at least one of sign, handle, verify",
    ),
    (
        "a level with only empty limits",
        lambda d: _limits(d, "emergency").update(city={"sign": None, "handle": None}),
        "sla.policies.emergency.limits.city",
        "gives no limit",
    ),
    (
        "sign longer than handle",
        lambda d: _limits(d, "emergency").update(city={"sign": "2h", "handle": "1h30m"}),
        "sla.policies.emergency.limits.city.sign",
        "the sign limit 2h is longer than the handle limit 1h30m; a unit cannot be asked to "
        "handle before it must sign",
    ),
    (
        "an unknown level",
        lambda d: _limits(d).update(town={"sign": "1h"}),
        f"{STD}.limits.town",
        "key 'town' is not one of community, street, district, city",
    ),
    (
        "an unknown stage",
        lambda d: _limits(d)["city"].update(resolve="2h"),
        f"{STD}.limits.city.resolve",
        "unknown key 'resolve'; allowed here: sign, handle, verify",
    ),
    (
        "an unknown clock",
        lambda d: d["sla"]["policies"]["standard"].update(clock="office_hours"),
        f"{STD}.clock",
        "'office_hours' is not one of wall_clock, working_time",
    ),
    (
        "a policy without a clock",
        lambda d: d["sla"]["policies"]["standard"].pop("clock"),
        f"{STD}.clock",
        "is required but missing",
    ),
    (
        "a policy name that is not plain",
        lambda d: d["sla"]["policies"].update({"Fast Track": d["sla"]["policies"]["emergency"]}),
        "sla.policies.Fast Track",
        "'Fast Track' is not a valid name",
    ),
    (
        "a route naming an unknown policy",
        lambda d: d["route"]["routes"][0].update(sla="urgent"),
        "route.routes[0].sla",
        "unknown SLA policy 'urgent'; sla.policies defines emergency, standard",
    ),
    (
        "a date in both calendar lists",
        lambda d: _calendar(d).update(
            extra_holidays=["2026-10-09", date(2026, 10, 10)],
            extra_working_days=["2026-10-10"],
        ),
        "sla.calendar.extra_working_days[0]",
        "2026-10-10 is also an extra holiday (extra_holidays[1]); a date is a holiday or a "
        "working day, not both",
    ),
    (
        "a date that does not exist",
        lambda d: _calendar(d).update(extra_holidays=["2026-02-30"]),
        "sla.calendar.extra_holidays[0]",
        "'2026-02-30' is not a date of the calendar",
    ),
    (
        "a date that is not ISO",
        lambda d: _calendar(d).update(extra_working_days=["10/10/2026"]),
        "sla.calendar.extra_working_days[0]",
        "a date must be an ISO date such as 2025-10-01",
    ),
    (
        "a year given as a string",
        lambda d: _calendar(d).update(known_years=["2027"]),
        "sla.calendar.known_years[0]",
        "valid integer",
    ),
    (
        "overlapping working hours",
        lambda d: _calendar(d).update(working_hours=["08:30-12:00", "11:00-13:00"]),
        "sla.calendar.working_hours[1]",
        "working period '11:00-13:00' starts before the previous one ('08:30-12:00') ends; "
        "list the periods in order, without overlap",
    ),
    (
        "working hours out of order",
        lambda d: _calendar(d).update(working_hours=["14:30-18:00", "08:30-12:00"]),
        "sla.calendar.working_hours[1]",
        "list the periods in order",
    ),
    (
        "working hours across midnight",
        lambda d: _calendar(d).update(working_hours=["22:00-06:00"]),
        "sla.calendar.working_hours[0]",
        "periods may not cross midnight",
    ),
    (
        "no working hours",
        lambda d: _calendar(d).update(working_hours=[]),
        "sla.calendar.working_hours",
        "at least 1 item",
    ),
    (
        "a negative extension count",
        lambda d: d["sla"]["extensions"].update(max_count=-1),
        "sla.extensions.max_count",
        "greater than or equal to 0",
    ),
    (
        "an extension in days",
        lambda d: d["sla"]["extensions"].update(max_each="1d"),
        "sla.extensions.max_each",
        "working time makes a day ambiguous",
    ),
    (
        "no extension rules",
        lambda d: d["sla"].pop("extensions"),
        "sla.extensions",
        "is required but missing",
    ),
    (
        "no calendar",
        lambda d: d["sla"].pop("calendar"),
        "sla.calendar",
        "is required but missing",
    ),
    (
        "a missing sla section",
        lambda d: d.pop("sla"),
        "sla",
        "is required but missing",
    ),
]


@pytest.mark.parametrize(("edit", "path", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_sla_input_is_one_problem_at_its_path(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], path: str, message: str
) -> None:
    data = yaml.safe_load(GOOD)
    edit(data)
    problems = check_policy(_dump(tmp_path, data))
    assert len(problems) == 1, problems
    [problem] = problems
    assert problem.path == path, problem
    assert message in problem.message, problem


def test_every_sla_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    _limits(data)["city"].update(handle="3d")
    _limits(data, "emergency").pop("street")
    _limits(data, "emergency")["city"].update(sign="13h")
    data["sla"]["policies"]["standard"].update(clock="office")
    _calendar(data).update(working_hours=["08:30-12:00", "11:00-13:00"])
    problems = check_policy(_dump(tmp_path, data))
    assert {p.path for p in problems} == {
        f"{STD}.limits.city.handle",
        "sla.policies.emergency.limits.street",
        "sla.policies.emergency.limits.city.sign",
        f"{STD}.clock",
        "sla.calendar.working_hours[1]",
    }, problems


def test_no_policies_at_all(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["sla"]["policies"] = {}
    problems = check_policy(_dump(tmp_path, data))
    assert [p.path for p in problems] == [
        "sla.policies",
        "route.sla",
        "route.routes[0].routes[0].sla",
    ]
    assert "at least 1 item" in problems[0].message
    assert "sla.policies defines none" in problems[1].message


def test_a_policy_no_route_uses_is_fine(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["sla"]["policies"]["spare"] = data["sla"]["policies"]["emergency"]
    policy = load_policy(_dump(tmp_path, data))
    assert "spare" in policy.sla_policies
    assert policy.sla.policy("spare").clock is ClockKind.WALL_CLOCK


def test_an_old_file_with_sla_policies_is_told_where_they_went(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    del data["sla"]
    data["sla_policies"] = ["standard", "emergency"]
    problems = check_policy(_dump(tmp_path, data))
    by_path = {p.path: p.message for p in problems}
    assert set(by_path) == {"sla_policies", "sla"}, problems
    assert "became the `sla` section: `sla.policies`" in by_path["sla_policies"]
    assert "limits" in by_path["sla_policies"]
    assert by_path["sla"] == "is required but missing"


def test_the_bundled_file_edited_still_reports_paths(tmp_path: Path) -> None:
    """The checks hold on the real file too, not only on the small test policy."""
    data = yaml.safe_load(default_policy_path().read_text(encoding="utf-8"))
    data["taxonomy"] = str(BUNDLED_TAXONOMY)
    data["model"] = str(default_policy_path().parent / data["model"])
    _limits(data, "urgent")["city"].update(sign="50h")
    [problem] = check_policy(_dump(tmp_path, data))
    assert problem.path == "sla.policies.urgent.limits.city.sign"
    assert "longer than the handle limit 48h" in problem.message
