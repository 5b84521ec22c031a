"""China's statutory holidays and adjusted working days (调休), from the `chinesecalendar` package,
made into the domain's `WorkingCalendar`.

The package carries the State Council's yearly arrangement from its first year to its last, and
raises NotImplementedError outside that range; a new year's arrangement arrives with a new release
of the package, usually weeks after the State Council publishes it. Until then operators can list
the dates in the policy (extra holidays, extra working days) and declare the year known.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

import chinese_calendar

from grid_router.domain.sla import DEFAULT_WORKING_HOURS, WorkingCalendar
from grid_router.exceptions import ConfigurationError

log = logging.getLogger(__name__)

_SATURDAY = 5


@dataclass(frozen=True, slots=True)
class HolidayData:
    """The package's arrangement: holidays, weekend days made working days, years covered."""

    holidays: frozenset[date]
    adjusted_working_days: frozenset[date]
    known_years: frozenset[int]
    version: str


@functools.cache
def package_holiday_data() -> HolidayData:
    """Every year the installed `chinesecalendar` knows, read once per process."""
    holidays: set[date] = set()
    working: set[date] = set()
    years = package_years()
    for year in years:
        first, last = date(year, 1, 1), date(year, 12, 31)
        # include_weekends=False gives the statutory days off only (weekend days inside a
        # holiday included), not every ordinary Saturday and Sunday.
        holidays.update(chinese_calendar.get_holidays(first, last, include_weekends=False))
        working.update(
            d for d in chinese_calendar.get_workdays(first, last) if d.weekday() >= _SATURDAY
        )
    return HolidayData(
        holidays=frozenset(holidays),
        adjusted_working_days=frozenset(working),
        known_years=frozenset(years),
        version=str(chinese_calendar.__version__),
    )


def package_years() -> range:
    """The years the installed `chinesecalendar` knows (2004–2026 in version 1.11.0)."""
    # The package accepts every year from the first to the last in its exported holiday table
    # and raises NotImplementedError outside; read the range the way it does.
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def load_calendar(
    extra_holidays: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    *,
    working_hours: Sequence[tuple[time, time]] = DEFAULT_WORKING_HOURS,
    extra_known_years: Iterable[int] = (),
) -> WorkingCalendar:
    """The working calendar: the package's arrangement overridden by the operator's dates.

    An extra holiday is a day off even if the package makes it a working day; an extra working
    day is a working day even if the package makes it a holiday. `extra_known_years` declares
    years whose full arrangement the operator has listed, so that no fallback warning is given
    for them. Calendars are cached by their arguments and shared: a calendar is immutable.
    """
    return _cached_calendar(
        frozenset(extra_holidays),
        frozenset(extra_working_days),
        tuple(working_hours),
        frozenset(extra_known_years),
    )


@functools.lru_cache(maxsize=32)
def _cached_calendar(
    extra_holidays: frozenset[date],
    extra_working_days: frozenset[date],
    working_hours: tuple[tuple[time, time], ...],
    extra_known_years: frozenset[int],
) -> WorkingCalendar:
    both = extra_holidays & extra_working_days
    if both:
        shown = ", ".join(d.isoformat() for d in sorted(both))
        raise ConfigurationError(
            f"the SLA policy lists {shown} both as an extra holiday and as an extra working day; "
            "keep each date in one list only"
        )
    data = package_holiday_data()
    # A weekday made a working day needs no entry of its own: removing it from the holidays is
    # enough, and the domain keeps adjusted working days for weekend days only.
    weekend_working = {d for d in extra_working_days if d.weekday() >= _SATURDAY}
    return WorkingCalendar(
        holidays=(data.holidays - extra_working_days) | extra_holidays,
        adjusted_working_days=(data.adjusted_working_days - extra_holidays) | weekend_working,
        known_years=data.known_years | extra_known_years,
        working_hours=working_hours,
    )


_warned_years: set[int] = set()
_warned_lock = threading.Lock()


def warn_unknown_years(years: Iterable[int]) -> None:
    """Log, once per year and process, that `years` were counted with weekends alone (give it
    `SlaDeadlines.unknown_years` or `WorkingCalendar.unknown_years_touched(...)`)."""
    with _warned_lock:
        new = sorted(set(years) - _warned_years)
        _warned_years.update(new)
    if new:
        data = package_holiday_data()
        log.warning(
            "no holiday arrangement for %s in chinesecalendar %s (it knows %d–%d): counting "
            "working time on weekends alone; upgrade chinesecalendar or list the year's holidays "
            "and adjusted working days in the SLA policy",
            ", ".join(map(str, new)),
            data.version,
            min(data.known_years),
            max(data.known_years),
        )
