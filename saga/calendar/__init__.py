"""The PRC working-day calendar and deadline arithmetic.

``years`` reads and checks one year's file, ``rules`` makes a provisional year from the statutory
holiday rules, ``working`` combines them into the ``WorkingCalendar`` in force (``current``), and
``periods`` counts deadlines on it. ``watch`` reloads a deployment's calendar directory when it
changes. ``python -m saga.calendar check DIR`` checks a directory before it is deployed.
"""

from saga.calendar.current import current, install
from saga.calendar.periods import (
    CHINA,
    DEADLINE_UNITS,
    Due,
    add_calendar_days_rolled,
    add_months,
    add_working_days,
    china_date,
    deadline_at,
    due_at,
    due_at_extended,
    is_working_day,
    roll_to_working_day,
    stood_still,
)
from saga.calendar.working import CalendarNotCovered, WorkingCalendar, load_calendar
from saga.calendar.years import CalendarFileError, HolidayYear, YearStatus

__all__ = [
    "CHINA",
    "DEADLINE_UNITS",
    "CalendarFileError",
    "CalendarNotCovered",
    "Due",
    "HolidayYear",
    "WorkingCalendar",
    "YearStatus",
    "add_calendar_days_rolled",
    "add_months",
    "add_working_days",
    "china_date",
    "current",
    "deadline_at",
    "due_at",
    "due_at_extended",
    "install",
    "is_working_day",
    "load_calendar",
    "roll_to_working_day",
    "stood_still",
]
