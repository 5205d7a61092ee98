"""Working-day arithmetic on real PRC holiday calendars: National Day 2024, Spring Festival 2025.

The dates below were checked against chinesecalendar 1.11's data: 2024-10-01..07 off, with
make-up working days Sunday 2024-09-29 and Saturday 2024-10-12; 2025-01-28..02-04 off, with
make-up working days Sunday 2025-01-26 and Saturday 2025-02-08.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saga.calendar import (
    CHINA,
    CalendarNotCovered,
    add_calendar_days_rolled,
    add_months,
    add_working_days,
    china_date,
    deadline_at,
    is_working_day,
)


def cst(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=CHINA)


def end_of_day_utc(day: date) -> datetime:
    """23:59:59.999999 in China on ``day``, as UTC."""
    return datetime(day.year, day.month, day.day, 15, 59, 59, 999999, tzinfo=UTC)


# --- which days are working days -----------------------------------------------------------------


def test_a_weekday_inside_the_national_day_holiday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2024, 10, 3))


def test_a_make_up_sunday_is_a_working_day() -> None:
    assert is_working_day(date(2024, 9, 29))


def test_a_make_up_saturday_is_a_working_day() -> None:
    assert is_working_day(date(2025, 2, 8))


def test_an_ordinary_saturday_is_not_a_working_day() -> None:
    assert not is_working_day(date(2024, 10, 19))


def test_a_datetime_is_refused_because_its_date_depends_on_the_time_zone() -> None:
    with pytest.raises(TypeError, match="china_date"):
        is_working_day(datetime(2024, 10, 8, tzinfo=UTC))


# --- counting working days -----------------------------------------------------------------------


def test_one_working_day_before_national_day_lands_after_the_holiday() -> None:
    assert date(2024, 10, 8) == add_working_days(date(2024, 9, 30), 1)


def test_a_make_up_saturday_is_counted_as_a_working_day() -> None:
    assert date(2024, 10, 12) == add_working_days(date(2024, 10, 11), 1)


def test_working_days_skip_the_whole_spring_festival() -> None:
    # Jan 27 (Mon), then the holiday Jan 28 - Feb 4, then Feb 5, 6, 7 and the make-up Feb 8.
    assert date(2025, 2, 8) == add_working_days(date(2025, 1, 26), 5)


def test_zero_working_days_from_a_holiday_is_the_next_working_day() -> None:
    assert date(2024, 10, 8) == add_working_days(date(2024, 10, 1), 0)


def test_zero_working_days_from_a_working_day_is_that_day() -> None:
    assert date(2024, 9, 29) == add_working_days(date(2024, 9, 29), 0)


def test_a_negative_period_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative, got -1"):
        add_working_days(date(2024, 9, 30), -1)


covered_dates = st.dates(date(2004, 1, 1), date(2040, 6, 30))


@given(covered_dates, st.integers(1, 60))
def test_n_working_days_later_is_a_working_day_with_n_working_days_counted(
    start: date, n: int
) -> None:
    end = add_working_days(start, n)
    days_after_start = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    counted = sum(1 for day in days_after_start if is_working_day(day))
    assert (True, n) == (is_working_day(end), counted)


# --- calendar days and months --------------------------------------------------------------------


def test_a_calendar_day_period_ending_on_a_holiday_rolls_to_the_next_working_day() -> None:
    # 30 days from 2024-09-01 is 2024-10-01, National Day.
    assert date(2024, 10, 8) == add_calendar_days_rolled(date(2024, 9, 1), 30)


def test_a_calendar_day_period_ending_on_a_make_up_saturday_ends_that_day() -> None:
    assert date(2024, 10, 12) == add_calendar_days_rolled(date(2024, 9, 12), 30)


def test_a_calendar_day_period_ending_on_an_ordinary_sunday_rolls_to_monday() -> None:
    assert date(2024, 10, 21) == add_calendar_days_rolled(date(2024, 10, 13), 7)


def test_a_month_from_the_31st_ends_on_the_last_day_of_a_shorter_month() -> None:
    assert date(2024, 2, 29) == add_months(date(2024, 1, 31), 1)


def test_months_cross_the_year_end() -> None:
    assert date(2025, 2, 15) == add_months(date(2024, 11, 15), 3)


# --- the holiday calendar's limits ---------------------------------------------------------------


def test_a_year_before_the_shipped_data_raises_calendar_not_covered_saying_where_it_starts() -> (
    None
):
    with pytest.raises(CalendarNotCovered) as caught:
        is_working_day(date(2003, 6, 2))
    assert "the PRC holiday calendar does not cover 2003: the calendar starts in 2004" == str(
        caught.value
    )


def test_a_year_past_the_lunar_tables_raises_rather_than_guessing() -> None:
    with pytest.raises(CalendarNotCovered, match="does not cover 2149"):
        add_working_days(date(2149, 12, 20), 30)


# --- deadlines -----------------------------------------------------------------------------------


def test_a_working_day_deadline_across_national_day_ends_at_midnight_china_time() -> None:
    assert end_of_day_utc(date(2024, 10, 8)) == deadline_at(cst(2024, 9, 30, 16), 1, "working_day")


def test_a_moment_given_in_utc_counts_from_its_date_in_china() -> None:
    # 2024-10-11 17:00 UTC is Saturday 2024-10-12 01:00 in China, a make-up working day.
    start = datetime(2024, 10, 11, 17, tzinfo=UTC)
    assert (date(2024, 10, 12), end_of_day_utc(date(2024, 10, 14))) == (
        china_date(start),
        deadline_at(start, 1, "working_day"),
    )


def test_the_divorce_cooling_off_period_ending_on_national_day_rolls_forward() -> None:
    assert end_of_day_utc(date(2024, 10, 8)) == deadline_at(cst(2024, 9, 1, 10), 30, "calendar_day")


def test_a_month_deadline_ending_on_a_holiday_rolls_forward() -> None:
    assert end_of_day_utc(date(2024, 10, 8)) == deadline_at(cst(2024, 8, 1, 9), 2, "month")


def test_hours_are_elapsed_time_even_on_a_holiday() -> None:
    assert datetime(2024, 10, 1, 4, tzinfo=UTC) == deadline_at(cst(2024, 10, 1, 10), 2, "hour")


def test_minutes_are_elapsed_time() -> None:
    assert datetime(2024, 10, 1, 2, 30, tzinfo=UTC) == deadline_at(
        cst(2024, 10, 1, 10), 30, "minute"
    )


def test_on_the_spot_is_due_at_once() -> None:
    start = cst(2025, 2, 14, 9, 30)
    assert (start, UTC) == (
        deadline_at(start, 0, "on_the_spot"),
        deadline_at(start, 0, "on_the_spot").tzinfo,
    )


def test_an_unknown_unit_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"deadline unit must be one of .*'working_day'.*'week'"):
        deadline_at(cst(2024, 9, 30), 1, "week")


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="aware datetime"):
        deadline_at(datetime(2024, 9, 30, 9), 1, "working_day")
