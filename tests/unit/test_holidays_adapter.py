"""The working calendar built from the real `chinesecalendar` package, and operator overrides."""

from __future__ import annotations

import logging
from datetime import date, time, timedelta

import chinese_calendar
import pytest

from grid_router.adapters import holidays as holidays_adapter
from grid_router.adapters.holidays import (
    load_calendar,
    package_holiday_data,
    package_years,
    warn_unknown_years,
)
from grid_router.domain.sla import DEFAULT_WORKING_HOURS, SlaError
from grid_router.exceptions import ConfigurationError

CALENDAR = load_calendar()


def test_package_years_cover_2026_and_stop_where_the_package_does() -> None:
    years = package_years()
    assert 2026 in years
    assert CALENDAR.knows_year(2026)
    # The adapter's range is the package's: one year past it, the package refuses.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(years[-1] + 1, 1, 1))
    assert not CALENDAR.knows_year(years[-1] + 1)


@pytest.mark.parametrize(
    "day",
    [date(2026, 10, d) for d in range(1, 8)] + [date(2026, 2, d) for d in range(15, 24)],
)
def test_2026_holidays_are_days_off(day: date) -> None:
    assert not CALENDAR.is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 4),  # Sunday, for New Year
        date(2026, 2, 14),  # Saturday, for Spring Festival
        date(2026, 2, 28),  # Saturday, for Spring Festival
        date(2026, 5, 9),  # Saturday, for Labour Day
        date(2026, 9, 20),  # Sunday, for National Day
        date(2026, 10, 10),  # Saturday, for National Day
    ],
)
def test_2026_adjusted_working_days_are_working_days(day: date) -> None:
    assert day.weekday() >= 5
    assert CALENDAR.is_working_day(day)


def test_adjusted_working_days_of_2026_are_exactly_those() -> None:
    data = package_holiday_data()
    assert sorted(d for d in data.adjusted_working_days if d.year == 2026) == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 10, 17), False),  # ordinary Saturday
        (date(2026, 10, 18), False),  # ordinary Sunday
        (date(2026, 10, 8), True),  # Thursday after the National Day week
        (date(2026, 9, 25), False),  # Mid-Autumn Festival, a Friday
    ],
)
def test_ordinary_days(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_calendar_agrees_with_the_package_on_every_day_it_knows() -> None:
    for year in (2025, 2026):
        day = date(year, 1, 1)
        while day.year == year:
            assert CALENDAR.is_working_day(day) is chinese_calendar.is_workday(day), day
            day += timedelta(days=1)


def test_operator_extras_override_the_package() -> None:
    typhoon_day = date(2026, 10, 12)  # a Monday the city gives off
    worked_holiday = date(2026, 10, 7)  # a holiday the operator declares a working day
    worked_saturday = date(2026, 10, 17)  # an ordinary Saturday made a working day
    dropped_adjustment = date(2026, 10, 10)  # an adjusted working Saturday given back
    calendar = load_calendar(
        extra_holidays=[typhoon_day, dropped_adjustment],
        extra_working_days=[worked_holiday, worked_saturday],
    )
    assert not calendar.is_working_day(typhoon_day)
    assert not calendar.is_working_day(dropped_adjustment)
    assert calendar.is_working_day(worked_holiday)
    assert calendar.is_working_day(worked_saturday)
    # Everything else still comes from the package.
    assert not calendar.is_working_day(date(2026, 10, 1))
    assert calendar.is_working_day(date(2026, 9, 20))


def test_operator_can_supply_a_year_the_package_does_not_know() -> None:
    next_year = package_years()[-1] + 1
    new_year = date(next_year, 1, 1)
    assert CALENDAR.is_working_day(new_year) is (new_year.weekday() < 5)
    calendar = load_calendar(extra_holidays=[new_year], extra_known_years=[next_year])
    assert not calendar.is_working_day(new_year)
    assert calendar.knows_year(next_year)
    assert calendar.unknown_years_touched(new_year, new_year) == frozenset()


def test_a_date_in_both_lists_is_refused() -> None:
    clash = date(2026, 10, 12)
    with pytest.raises(ConfigurationError, match=r"2026-10-12.*both"):
        load_calendar(extra_holidays=[clash], extra_working_days=[clash])


def test_working_hours_are_configurable_and_checked() -> None:
    assert CALENDAR.working_hours == DEFAULT_WORKING_HOURS
    summer = load_calendar(working_hours=[(time(8), time(12)), (time(15), time(18))])
    assert summer.working_time_per_day == timedelta(hours=7)
    with pytest.raises(SlaError, match="starts before"):
        load_calendar(working_hours=[(time(8), time(12)), (time(11), time(18))])


def test_calendars_are_cached_by_their_arguments() -> None:
    assert load_calendar() is CALENDAR
    assert load_calendar([date(2026, 10, 12)]) is load_calendar((date(2026, 10, 12),))


def test_unknown_years_are_warned_about_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(holidays_adapter, "_warned_years", set())
    with caplog.at_level(logging.WARNING, logger=holidays_adapter.__name__):
        warn_unknown_years({2099})
        warn_unknown_years([2099])
        warn_unknown_years([])
    assert len(caplog.records) == 1
    assert "2099" in caplog.records[0].getMessage()
    assert "weekends alone" in caplog.records[0].getMessage()
