"""The working-day calendar as data: the shipped year files, provisional years from the statutory
rules, a deployment's own directory, and broken files refused with the file, line and rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type hints
import pytest

from saga.calendar import (
    CHINA,
    CalendarFileError,
    YearStatus,
    add_working_days,
    current,
    due_at,
    install,
    load_calendar,
)
from saga.calendar.watch import CalendarWatch
from saga.calendar.working import BUNDLED_DIR

# 2027 as an official notice might have it: a longer Spring Festival with two make-up Saturdays.
OFFICIAL_2027 = """\
# 2027年部分节假日安排
year 2027
status official
source 国务院办公厅关于2027年部分节假日安排的通知
off 2027-01-01..2027-01-03 元旦
off 2027-02-05..2027-02-13 春节
work 2027-01-30 春节
work 2027-02-20 春节
off 2027-04-03..2027-04-05 清明节
off 2027-05-01..2027-05-05 劳动节
off 2027-06-09 端午节
off 2027-09-15 中秋节
off 2027-10-01..2027-10-07 国庆节
work 2027-09-26 国庆节
work 2027-10-09 国庆节
"""


@pytest.fixture(autouse=True)
def shipped_calendar() -> Iterator[None]:
    """Every test starts and ends with the shipped calendar in force."""
    install(load_calendar())
    yield
    install(load_calendar())


def cst_noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=CHINA)


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 59, 59, 999999, tzinfo=UTC)


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped years ---------------------------------------------------------------------------


def test_the_shipped_files_cover_2004_to_2027_official_up_to_2026() -> None:
    files = load_calendar().files
    assert (list(range(2004, 2028)), YearStatus.PROVISIONAL) == (sorted(files), files[2027].status)
    assert {YearStatus.OFFICIAL} == {files[y].status for y in range(2004, 2027)}


def test_every_shipped_year_names_the_state_council_notice_it_comes_from() -> None:
    files = load_calendar().files
    assert all(
        f"国务院办公厅关于{y}年部分节假日安排的通知" in files[y].sources for y in range(2004, 2027)
    )


def test_the_shipped_files_agree_with_chinesecalendar_on_every_day_of_2004_to_2026() -> None:
    calendar = load_calendar()
    day, differ = date(2004, 1, 1), []
    while day.year <= 2026:
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            differ.append(day)
        day += timedelta(days=1)
    assert [] == differ


# --- a provisional year from the rules -----------------------------------------------------------


def test_spring_festival_2027_is_the_eve_and_three_days_with_the_weekend_made_up() -> None:
    # Eve Fri 5 Feb, New Year Sat 6; Sat 6 and Sun 7 are made up on Tue 9 and Wed 10 (art. 6).
    calendar = current()
    off = [d for d in (date(2027, 2, 4) + timedelta(days=i) for i in range(8))
           if not calendar.is_working_day(d)]  # fmt: skip
    assert [date(2027, 2, d) for d in (5, 6, 7, 8, 9, 10)] == off


def test_working_days_across_spring_festival_2027_skip_the_provisional_holiday() -> None:
    assert date(2027, 2, 11) == add_working_days(date(2027, 2, 4), 1)


def test_working_days_across_national_day_2027_skip_the_provisional_holiday() -> None:
    # 1–3 October, with Sat 2 and Sun 3 made up on Mon 4 and Tue 5.
    assert date(2027, 10, 6) == add_working_days(date(2027, 9, 30), 1)


def test_a_deadline_counted_into_2027_is_provisional_and_one_within_2026_is_not() -> None:
    into_2027 = due_at(cst_noon(date(2026, 12, 11)), 15, "working_day")
    within_2026 = due_at(cst_noon(date(2026, 11, 2)), 15, "working_day")
    assert (True, False) == (into_2027.provisional, within_2026.provisional)


def test_a_15_working_day_case_deadline_from_11_december_2026_ends_on_4_january_2027() -> None:
    # Dec 14-18, 21-25, 28-31 (14 days), Fri 1 Jan is New Year's Day: Mon 4 Jan is the 15th.
    assert end_of(date(2027, 1, 4)) == due_at(cst_noon(date(2026, 12, 11)), 15, "working_day").at


def test_a_year_without_a_file_is_provisional_from_the_rules() -> None:
    year = current().year(2031)
    assert (YearStatus.PROVISIONAL, True) == (year.status, date(2031, 1, 1) in year.off)


def test_hours_and_minutes_are_never_provisional() -> None:
    assert not due_at(cst_noon(date(2027, 2, 5)), 2, "hour").provisional


# --- an official year arriving -------------------------------------------------------------------


def test_an_official_2027_file_in_the_deployment_directory_replaces_the_provisional_year(
    tmp_path: Path,
) -> None:
    write(tmp_path, "2027.txt", OFFICIAL_2027)
    calendar = load_calendar(tmp_path)
    before = due_at(cst_noon(date(2027, 2, 4)), 1, "working_day")
    after = due_at(cst_noon(date(2027, 2, 4)), 1, "working_day", calendar)
    assert (end_of(date(2027, 2, 11)), True) == (before.at, before.provisional)
    assert (end_of(date(2027, 2, 15)), False) == (after.at, after.provisional)


def test_the_version_changes_with_the_days_not_with_comments(tmp_path: Path) -> None:
    write(tmp_path / "a", "2027.txt", OFFICIAL_2027)
    write(tmp_path / "b", "2027.txt", "# reworded\n" + OFFICIAL_2027)
    versions = {load_calendar(tmp_path / d).version for d in ("a", "b")}
    assert (1, False) == (len(versions), load_calendar().version in versions)


def test_a_watched_directory_puts_a_new_year_in_force_when_a_file_arrives(tmp_path: Path) -> None:
    watch = CalendarWatch(tmp_path)
    watch.load()
    assert None is watch.poll()
    write(tmp_path, "2027.txt", OFFICIAL_2027)
    reloaded = watch.poll()
    assert (reloaded, YearStatus.OFFICIAL) == (current(), current().year(2027).status)


def test_a_broken_file_is_refused_and_the_calendar_in_force_stays(tmp_path: Path) -> None:
    watch = CalendarWatch(tmp_path)
    in_force = watch.load()
    bad = write(tmp_path, "2027.txt", OFFICIAL_2027.replace("work 2027-02-20", "work 2027-02-19"))
    with pytest.raises(CalendarFileError) as caught:
        watch.poll()
    assert f"{bad}:8: a make-up working day falls on a Saturday or Sunday; 2027-02-19 does not" == (
        str(caught.value)
    )
    assert (in_force, None) == (current(), watch.poll())  # reported once, nothing changed


# --- broken files, each rule named ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "rule"),
    [
        ("year 2028\n", 1, "year must be 2027, the file's name; got '2028'"),
        ("year 2027\nstatus final\n", 2, "status must be official or provisional; got 'final'"),
        ("year 2027\nholiday 2027-01-01\n", 2, "unknown keyword 'holiday'"),
        ("year 2027\noff 2027-1-1\n", 2, "a date is written YYYY-MM-DD; got '2027-1-1'"),
        ("year 2027\noff ２０２７-01-01\n", 2, "a date is written YYYY-MM-DD"),
        ("year 2027\noff 2027-02-30\n", 2, "no such date: 2027-02-30"),
        ("year 2027\noff 2028-01-01\n", 2, "every date must be in 2027; got 2028-01-01"),
        ("year 2027\noff 2027-02-10..2027-02-05\n", 2, "a range must not end before it starts"),
        (
            "year 2027\noff 2027-01-01\noff 2027-01-01\n",
            3,
            "2027-01-01 is already listed on line 2",
        ),
        ("year 2027\nsource\n", 2, "source names the notice the dates come from"),
        ("year 2027\nsource x\n", 3, "the file must declare `status official`"),
        ("status official\nsource x\n", 3, "the file must declare `year 2027`"),
        ("year 2027\nstatus official\n", 3, "the file must name at least one `source`"),
    ],
)
def test_a_broken_file_names_the_file_the_line_and_the_rule(
    tmp_path: Path, text: str, line: int, rule: str
) -> None:
    path = write(tmp_path, "2027.txt", text)
    with pytest.raises(CalendarFileError) as caught:
        load_calendar(tmp_path)
    assert (str(path), line) == (caught.value.path, caught.value.line)
    assert rule in caught.value.rule


def test_a_file_not_named_for_its_year_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "calendar-2027.txt", OFFICIAL_2027)
    with pytest.raises(CalendarFileError, match="named for its year"):
        load_calendar(tmp_path)


def test_a_missing_deployment_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError, match="does not exist"):
        load_calendar(tmp_path / "nowhere")


def test_the_shipped_directory_passes_its_own_check() -> None:
    assert len(list(BUNDLED_DIR.glob("*.txt"))) == len(load_calendar().files)
