"""PRC working-day arithmetic for deadlines: statutory holidays, make-up working days, periods.

Conventions, all in China Standard Time (``Asia/Shanghai``, UTC+8): a period starts counting on
the day *after* its start date (民法典 art. 201); ``working_day`` counts only working days, where a
make-up working day (调休, e.g. Saturday 2024-10-12) counts and a weekday holiday does not;
``calendar_day`` and ``month`` periods that end on a non-working day end instead on the next
working day (民法典 art. 203); a month period ends on the same day of the month, or the month's
last day when it has none (art. 202). A day-based deadline falls at the very end of its last day in
China, returned as an aware UTC datetime; ``minute`` and ``hour`` are elapsed time and ignore
holidays; ``on_the_spot`` is due at once. Holiday data come from the ``chinesecalendar`` package,
which knows only the years the State Council has announced; a date outside them raises
``CalendarNotCovered`` rather than guessing that an unannounced year has no holidays.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type hints

__all__ = [
    "CHINA",
    "DEADLINE_UNITS",
    "CalendarNotCovered",
    "add_calendar_days_rolled",
    "add_months",
    "add_working_days",
    "china_date",
    "covered_years",
    "deadline_at",
    "is_working_day",
    "roll_to_working_day",
]

CHINA = ZoneInfo("Asia/Shanghai")
DEADLINE_UNITS = frozenset(
    {"on_the_spot", "minute", "hour", "calendar_day", "working_day", "month"}
)


def covered_years() -> range:
    """The years the installed ``chinesecalendar`` has holiday data for."""
    known = chinese_calendar.holidays
    return range(min(known).year, max(known).year + 1)


class CalendarNotCovered(LookupError):
    """A date lies in a year the holiday calendar has no data for; retrying cannot help."""

    def __init__(self, year: int) -> None:
        years = covered_years()
        if year < years.start:
            message = f"the PRC holiday calendar has no data for {year}; it starts in {years.start}"
        else:
            message = f"the PRC holiday calendar has no data for {year}; update chinesecalendar"
        super().__init__(message)
        self.year = year


def is_working_day(day: date) -> bool:
    """Whether public offices work on ``day``: weekdays and make-up days, not holidays."""
    if isinstance(day, datetime):
        # A moment's date depends on its time zone; the caller must pick it (china_date).
        raise TypeError("is_working_day takes a date; convert a datetime with china_date()")
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # how chinesecalendar says "no data for this year"
        raise CalendarNotCovered(day.year) from None


def roll_to_working_day(day: date) -> date:
    """``day`` if it is a working day, else the next working day."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; for n=0, ``start`` rolled to a working day."""
    _require_non_negative(n)
    day = start if n else roll_to_working_day(start)
    for _ in range(n):
        day = roll_to_working_day(day + timedelta(days=1))
    return day


def add_calendar_days_rolled(start: date, n: int) -> date:
    """``n`` calendar days after ``start``, moved to the next working day if that is a rest day."""
    _require_non_negative(n)
    return roll_to_working_day(start + timedelta(days=n))


def add_months(start: date, n: int) -> date:
    """The same day ``n`` months later, or that month's last day (Jan 31 + 1 month = Feb 28/29)."""
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def china_date(moment: datetime) -> date:
    """The calendar date in China at an aware ``moment``."""
    _require_aware(moment)
    return moment.astimezone(CHINA).date()


def deadline_at(start: datetime, value: int, unit: str) -> datetime:
    """When a period of ``value`` ``unit`` begun at ``start`` runs out, as an aware UTC datetime."""
    _require_aware(start)
    _require_non_negative(value)
    if unit == "on_the_spot":
        return start.astimezone(UTC)
    if unit == "minute":
        return (start + timedelta(minutes=value)).astimezone(UTC)
    if unit == "hour":
        return (start + timedelta(hours=value)).astimezone(UTC)
    day = china_date(start)
    if unit == "calendar_day":
        last = add_calendar_days_rolled(day, value)
    elif unit == "working_day":
        last = add_working_days(day, value)
    elif unit == "month":
        last = roll_to_working_day(add_months(day, value))
    else:
        raise ValueError(f"deadline unit must be one of {sorted(DEADLINE_UNITS)}, got {unit!r}")
    return datetime.combine(last, time.max, tzinfo=CHINA).astimezone(UTC)


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a deadline needs an aware datetime; got one without a time zone")


def _require_non_negative(n: int) -> None:
    if n < 0:
        raise ValueError(f"a period cannot be negative, got {n}")
