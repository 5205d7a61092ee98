"""The working-day calendar in force: the year files, and the statutory rules for any later year.

Years come from the files shipped in ``saga/calendar/data/`` (2004 onwards, one per year), then
from a deployment's own directory, whose files add years or replace shipped ones (a State Council
notice that arrives after the release). A year after the last file is provisional, from the
statutory rules (``saga.calendar.rules``); a year before the first file is not covered at all,
which is the only case in which a deadline cannot be computed. ``version`` is a digest of the
days (not of comments or wording), so two processes with the same data agree on it and a
change of data is a change of version.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from saga.calendar.rules import RulesNotAvailable, provisional_year
from saga.calendar.years import CalendarFileError, HolidayYear, read_year_file

__all__ = [
    "BUNDLED_DIR",
    "CalendarNotCovered",
    "WorkingCalendar",
    "load_calendar",
    "read_directory",
]

BUNDLED_DIR = Path(__file__).resolve().parent / "data"


class CalendarNotCovered(LookupError):
    """A date lies in a year the calendar has no data or rules for; retrying cannot help."""

    def __init__(self, year: int, why: str) -> None:
        super().__init__(f"the PRC holiday calendar does not cover {year}: {why}")
        self.year = year


@dataclass
class WorkingCalendar:
    """Which days public offices work on, year by year, and how sure each year is."""

    files: Mapping[int, HolidayYear]
    _rules: dict[int, HolidayYear] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.first_year = min(self.files) if self.files else None
        digest = hashlib.sha256()
        for year in sorted(self.files):
            digest.update(self.files[year].digest().encode())
        self.version = digest.hexdigest()[:16]

    def year(self, year: int) -> HolidayYear:
        """The data for ``year``: its file, else the statutory rules (provisional)."""
        found = self.files.get(year) or self._rules.get(year)
        if found is not None:
            return found
        if self.first_year is None or year < self.first_year:
            raise CalendarNotCovered(year, f"the calendar starts in {self.first_year}")
        try:
            found = self._rules[year] = provisional_year(year)
        except RulesNotAvailable as exc:
            raise CalendarNotCovered(year, str(exc)) from None
        return found

    def is_working_day(self, day: date) -> bool:
        return self.year(day.year).is_working_day(day)

    def provisional_between(self, first: date, last: date) -> bool:
        """Whether any year from ``first`` to ``last`` is provisional."""
        return any(self.year(y).provisional for y in range(first.year, last.year + 1))

    def changed_years(self, other: WorkingCalendar) -> list[int]:
        """The years whose data differ between ``other`` and this calendar."""
        years = set(self.files) | set(other.files)
        return sorted(y for y in years if _digest(self.files.get(y)) != _digest(other.files.get(y)))

    def describe_change(self, before: WorkingCalendar) -> str:
        """What changed since ``before``, in words for a case's timeline (Chinese, as clerks read it)."""
        years = [
            f"{y}年（{'暂定' if self.year(y).provisional else '正式'}）"
            for y in self.changed_years(before)
        ]
        return "工作日历更新：" + ("、".join(years) or "无日期变化")

    def replaced(self, years: Iterable[HolidayYear]) -> WorkingCalendar:
        """This calendar with ``years`` added or put in place of the same years."""
        return WorkingCalendar({**self.files, **{y.year: y for y in years}})


def _digest(year: HolidayYear | None) -> str | None:
    return year.digest() if year is not None else None


def read_directory(directory: Path) -> list[HolidayYear]:
    """Every ``*.txt`` year file in ``directory``; the first broken one raises
    ``CalendarFileError`` (file, line, rule)."""
    if not directory.is_dir():
        raise CalendarFileError(str(directory), 0, "the calendar directory does not exist")
    return [read_year_file(path) for path in sorted(directory.glob("*.txt"))]


def load_calendar(extra: Path | None = None) -> WorkingCalendar:
    """The shipped years, with a deployment's directory ``extra`` laid over them."""
    calendar = WorkingCalendar({y.year: y for y in read_directory(BUNDLED_DIR)})
    return calendar.replaced(read_directory(extra)) if extra is not None else calendar
