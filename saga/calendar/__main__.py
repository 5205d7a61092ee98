"""``python -m saga.calendar``: check a calendar directory, show a year, or write year files.

    python -m saga.calendar check [DIR]      # every file valid? (exit 1 naming file:line: rule)
    python -m saga.calendar show 2027 [DIR]  # the year's status, sources and days off
    python -m saga.calendar export 2004 2026 DIR   # official years from chinesecalendar
    python -m saga.calendar provisional 2027 DIR   # a year from the statutory rules

``export`` and ``provisional`` are how the shipped files in ``saga/calendar/data`` were made; a
deployment writes a new year by hand from the State Council's notice, checks it, and drops it in
its ``ONETHING_CALENDAR_DIR``.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

from saga.calendar.rules import provisional_year
from saga.calendar.working import BUNDLED_DIR, CalendarNotCovered, load_calendar, read_directory
from saga.calendar.years import CalendarFileError, HolidayYear, YearStatus, render_year

# chinesecalendar's names for the holidays, in the notices' words.
_CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
# Notices besides the yearly one that changed a year's days.
_EXTRA_SOURCES = {
    2015: "国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知",
    2020: "国务院办公厅关于延长2020年春节假期的通知",
}


def _notice(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def official_year(year: int) -> HolidayYear:
    """``year`` as the installed chinesecalendar has it (its data copy the yearly notices)."""
    import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type hints

    names: dict[date, str] = {}
    off: set[date] = set()
    work: set[date] = set()
    notices = {year}
    day = date(year, 1, 1)
    while day.year == year:
        on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
        working = chinese_calendar.is_workday(day)
        if holiday is not None:
            names[day] = _CHINESE_NAMES[str(holiday)]
            # A late-December day belongs to the next year's New Year arrangement.
            if day.month == 12 and str(holiday) == "New Year's Day":
                notices.add(year + 1)
        if not working and day.weekday() < 5:
            off.add(day)
        elif not working and on_holiday and holiday is not None:
            off.add(day)  # a weekend day inside a holiday, listed so the block reads whole
        elif working and day.weekday() >= 5:
            work.add(day)
        day += timedelta(days=1)
    sources = [_notice(y) for y in sorted(notices)]
    if year in _EXTRA_SOURCES:
        sources.append(_EXTRA_SOURCES[year])
    return HolidayYear(
        year=year,
        status=YearStatus.OFFICIAL,
        sources=tuple(sources),
        off=frozenset(off),
        work=frozenset(work),
        names={d: n for d, n in names.items() if d in off or d in work},
    )


def _write(year: HolidayYear, directory: Path, heading: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{year.year}.txt").write_text(render_year(year, heading), encoding="utf-8")


def _check(directory: Path) -> int:
    try:
        years = read_directory(directory)
    except CalendarFileError as exc:
        print(f"invalid calendar: {exc}", file=sys.stderr)
        return 1
    for year in years:
        print(
            f"{year.year} {year.status.value:<11} {len(year.off):>3} off {len(year.work):>2} work"
        )
    return 0


def _show(year_number: int, directory: Path | None) -> int:
    try:
        year = load_calendar(directory).year(year_number)
    except (CalendarFileError, CalendarNotCovered) as exc:
        print(exc, file=sys.stderr)
        return 1
    print(render_year(year, f"{year.year}（{year.origin or 'shipped'}）"), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m saga.calendar", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="check every year file in a directory")
    check.add_argument("directory", type=Path, nargs="?", default=BUNDLED_DIR)
    show = sub.add_parser("show", help="show one year as the calendar in force has it")
    show.add_argument("year", type=int)
    show.add_argument("directory", type=Path, nargs="?")
    export = sub.add_parser("export", help="write official years from chinesecalendar")
    export.add_argument("first", type=int)
    export.add_argument("last", type=int)
    export.add_argument("directory", type=Path)
    rules = sub.add_parser("provisional", help="write a year from the statutory rules")
    rules.add_argument("year", type=int)
    rules.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    if args.command == "check":
        return _check(args.directory)
    if args.command == "show":
        return _show(args.year, args.directory)
    if args.command == "export":
        for number in range(args.first, args.last + 1):
            _write(official_year(number), args.directory, f"{number}年部分节假日安排（正式）")
        return 0
    _write(provisional_year(args.year), args.directory, f"{args.year}年节假日（暂定，按法定规则）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
