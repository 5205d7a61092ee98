"""PRC working-day arithmetic for deadlines: statutory holidays, make-up working days, periods.

Conventions, all in China Standard Time (``Asia/Shanghai``, UTC+8): a period starts counting on
the day *after* its start date (民法典 art. 201); ``working_day`` counts only working days, where a
make-up working day (调休, e.g. Saturday 2024-10-12) counts and a weekday holiday does not;
``calendar_day`` and ``month`` periods that end on a non-working day end instead on the next
working day (民法典 art. 203); a month period ends on the same day of the month, or the month's
last day when it has none (art. 202). A day-based deadline falls at the very end of its last day in
China, returned as an aware UTC datetime; ``minute`` and ``hour`` are elapsed time and ignore
holidays (as is ``second``, for a demo's compressed clock); ``on_the_spot`` is due at once. Which days are working days is the ``WorkingCalendar``'s
(the process's current one unless given): a ``Due`` says whether the period crossed a year that is
still provisional, so whoever shows the deadline can say so.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from saga.calendar.current import current
from saga.calendar.working import WorkingCalendar

__all__ = [
    "CHINA",
    "DEADLINE_UNITS",
    "Due",
    "add_calendar_days_rolled",
    "add_months",
    "add_working_days",
    "china_date",
    "deadline_at",
    "due_at",
    "due_at_extended",
    "is_working_day",
    "stood_still",
    "roll_to_working_day",
]

CHINA = ZoneInfo("Asia/Shanghai")
_ELAPSED = frozenset({"on_the_spot", "second", "minute", "hour"})
DEADLINE_UNITS = frozenset(
    {"on_the_spot", "second", "minute", "hour", "calendar_day", "working_day", "month"}
)


@dataclass(frozen=True)
class Due:
    """When a period ends, and whether a provisional year was counted on the way."""

    at: datetime
    provisional: bool = False


def is_working_day(day: date, calendar: WorkingCalendar | None = None) -> bool:
    """Whether public offices work on ``day``: weekdays and make-up days, not holidays."""
    if isinstance(day, datetime):
        # A moment's date depends on its time zone; the caller must pick it (china_date).
        raise TypeError("is_working_day takes a date; convert a datetime with china_date()")
    return (calendar or current()).is_working_day(day)


def roll_to_working_day(day: date, calendar: WorkingCalendar | None = None) -> date:
    """``day`` if it is a working day, else the next working day."""
    cal = calendar or current()
    while not cal.is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, n: int, calendar: WorkingCalendar | None = None) -> date:
    """The ``n``-th working day after ``start``; for n=0, ``start`` rolled to a working day."""
    _require_non_negative(n)
    cal = calendar or current()
    day = start if n else roll_to_working_day(start, cal)
    for _ in range(n):
        day = roll_to_working_day(day + timedelta(days=1), cal)
    return day


def add_calendar_days_rolled(start: date, n: int, calendar: WorkingCalendar | None = None) -> date:
    """``n`` calendar days after ``start``, moved to the next working day if that is a rest day."""
    _require_non_negative(n)
    return roll_to_working_day(start + timedelta(days=n), calendar)


def add_months(start: date, n: int) -> date:
    """The same day ``n`` months later, or that month's last day (Jan 31 + 1 month = Feb 28/29)."""
    months = start.year * 12 + start.month - 1 + n
    year, month = divmod(months, 12)
    last = monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


def china_date(moment: datetime) -> date:
    """The calendar date in China at an aware ``moment``."""
    _require_aware(moment)
    return moment.astimezone(CHINA).date()


def deadline_at(
    start: datetime, value: int, unit: str, calendar: WorkingCalendar | None = None
) -> datetime:
    """When a period of ``value`` ``unit`` begun at ``start`` runs out, as an aware UTC datetime."""
    return due_at(start, value, unit, calendar).at


def due_at(start: datetime, value: int, unit: str, calendar: WorkingCalendar | None = None) -> Due:
    """``deadline_at`` with whether the days it counted include a provisional year."""
    _require_aware(start)
    _require_non_negative(value)
    if unit == "on_the_spot":
        return Due(start.astimezone(UTC))
    if unit == "second":
        return Due((start + timedelta(seconds=value)).astimezone(UTC))
    if unit == "minute":
        return Due((start + timedelta(minutes=value)).astimezone(UTC))
    if unit == "hour":
        return Due((start + timedelta(hours=value)).astimezone(UTC))
    cal = calendar or current()
    day = china_date(start)
    if unit == "calendar_day":
        last = add_calendar_days_rolled(day, value, cal)
    elif unit == "working_day":
        last = add_working_days(day, value, cal)
    elif unit == "month":
        last = roll_to_working_day(add_months(day, value), cal)
    else:
        raise ValueError(f"deadline unit must be one of {sorted(DEADLINE_UNITS)}, got {unit!r}")
    at = datetime.combine(last, time.max, tzinfo=CHINA).astimezone(UTC)
    return Due(at, cal.provisional_between(day, last))


def stood_still(
    since: datetime, until: datetime, unit: str, calendar: WorkingCalendar | None = None
) -> int:
    """How long a period's clock stood still from ``since`` to ``until``, in the unit an
    extension of it is counted in: working days for a ``working_day`` period (those after the
    day it stopped, up to and including the day it went on: the clock ran on the first), calendar
    days for ``calendar_day`` and ``month`` periods, seconds for elapsed-time units."""
    _require_aware(since)
    _require_aware(until)
    if until <= since:
        return 0
    if unit in _ELAPSED:
        return int((until - since).total_seconds())
    first, last = china_date(since), china_date(until)
    if unit != "working_day":
        return (last - first).days
    cal = calendar or current()
    return sum(
        cal.is_working_day(first + timedelta(days=n)) for n in range(1, (last - first).days + 1)
    )


def due_at_extended(
    start: datetime,
    value: int,
    unit: str,
    extension: int,
    calendar: WorkingCalendar | None = None,
) -> Due:
    """``due_at`` for a period whose clock stood still for ``extension`` (as ``stood_still``
    counts it): working and calendar days are added to the period, a month period's end moves
    by that many calendar days (then to a working day), elapsed time by that many seconds."""
    _require_non_negative(extension)
    if extension == 0:
        return due_at(start, value, unit, calendar)
    if unit in _ELAPSED:
        return due_at(start + timedelta(seconds=extension), value, unit, calendar)
    if unit != "month":
        return due_at(start, value + extension, unit, calendar)
    cal = calendar or current()
    day = china_date(start)
    last = roll_to_working_day(add_months(day, value) + timedelta(days=extension), cal)
    at = datetime.combine(last, time.max, tzinfo=CHINA).astimezone(UTC)
    return Due(at, cal.provisional_between(day, last))


def _require_aware(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a deadline needs an aware datetime; got one without a time zone")


def _require_non_negative(n: int) -> None:
    if n < 0:
        raise ValueError(f"a period cannot be negative, got {n}")
