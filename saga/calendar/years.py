"""One year of the PRC holiday calendar as data: which weekdays are off, which weekend days are
make-up working days (调休), where that comes from, and whether it is official.

A year lives in a plain text file named for it (``2027.txt``), one fact a line, so a deployment
can read, diff and replace it without a release::

    # 2026年部分节假日安排
    year 2026
    status official
    source 国务院办公厅关于2026年部分节假日安排的通知
    off 2026-01-01..2026-01-03 元旦
    work 2026-01-04 元旦

``off`` lists days off (a single date or an inclusive ``from..to`` range; weekend days inside a
holiday may be listed), ``work`` the weekend days that are working days. ``status`` is
``official`` once the State Council's notice is out, ``provisional`` while the year is only the
statutory rules. Every date belongs to the file's year; a date listed twice, a make-up working day
on a weekday, or an unknown keyword is refused with the file, the line and the rule broken.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path

__all__ = [
    "CalendarFileError",
    "HolidayYear",
    "YearStatus",
    "parse_year",
    "read_year_file",
    "render_year",
]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only, not any \d
_LONGEST_BLOCK = 31  # no holiday runs longer; a longer range is a typo


class YearStatus(StrEnum):
    OFFICIAL = "official"  # the State Council's schedule, make-up days included
    PROVISIONAL = "provisional"  # the statutory rules only; deadlines on it say so


class CalendarFileError(ValueError):
    """A calendar file breaks a rule; ``str()`` is ``path:line: rule``."""

    def __init__(self, path: str, line: int, rule: str) -> None:
        super().__init__(f"{path}:{line}: {rule}")
        self.path, self.line, self.rule = path, line, rule


@dataclass(frozen=True)
class HolidayYear:
    """The days off and make-up working days of one year, with their source and status."""

    year: int
    status: YearStatus
    sources: tuple[str, ...]
    off: frozenset[date]
    work: frozenset[date]
    names: dict[date, str] = field(default_factory=dict, compare=False, hash=False)
    origin: str = field(default="", compare=False)  # the file it was read from, if any

    @property
    def provisional(self) -> bool:
        return self.status is YearStatus.PROVISIONAL

    def is_working_day(self, day: date) -> bool:
        if day in self.work:
            return True
        return day.weekday() < 5 and day not in self.off

    def digest(self) -> str:
        """What identifies this year's data: status and days, not comments or wording."""
        text = "|".join(
            [
                str(self.year),
                self.status.value,
                ",".join(d.isoformat() for d in sorted(self.off)),
                ",".join(d.isoformat() for d in sorted(self.work)),
            ]
        )
        return hashlib.sha256(text.encode()).hexdigest()


def read_year_file(path: Path) -> HolidayYear:
    """Read and check one year file; its name must be the year (``2027.txt``)."""
    if not re.fullmatch(r"[0-9]{4}\.txt", path.name):
        raise CalendarFileError(
            str(path), 0, "a calendar file is named for its year, e.g. 2027.txt"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CalendarFileError(
            str(path), 0, f"the file must be UTF-8 text ({exc.reason})"
        ) from None
    return parse_year(text, int(path.stem), str(path))


def parse_year(text: str, year: int, origin: str) -> HolidayYear:
    """Parse a year file's text; every error names ``origin``, the line and the rule."""
    parser = _Parser(year, origin)
    for number, raw in enumerate(text.splitlines(), start=1):
        parser.line(number, raw)
    return parser.finish(len(text.splitlines()) + 1)


class _Parser:
    def __init__(self, year: int, origin: str) -> None:
        self.year, self.origin = year, origin
        self.status: YearStatus | None = None
        self.declared_year = False
        self.sources: list[str] = []
        self.off: dict[date, int] = {}
        self.work: dict[date, int] = {}
        self.names: dict[date, str] = {}

    def fail(self, number: int, rule: str) -> CalendarFileError:
        return CalendarFileError(self.origin, number, rule)

    def line(self, number: int, raw: str) -> None:
        text = raw.split("#", 1)[0].strip()
        if not text:
            return
        keyword, _, value = text.partition(" ")
        value = value.strip()
        if keyword == "year":
            self._year(number, value)
        elif keyword == "status":
            self._status(number, value)
        elif keyword == "source":
            if not value:
                raise self.fail(number, "source names the notice the dates come from")
            self.sources.append(value)
        elif keyword in ("off", "work"):
            self._days(number, keyword, value)
        else:
            raise self.fail(
                number, f"unknown keyword {keyword!r}; expected year, status, source, off or work"
            )

    def _year(self, number: int, value: str) -> None:
        if self.declared_year:
            raise self.fail(number, "year is declared twice")
        if value != str(self.year):
            raise self.fail(number, f"year must be {self.year}, the file's name; got {value!r}")
        self.declared_year = True

    def _status(self, number: int, value: str) -> None:
        if self.status is not None:
            raise self.fail(number, "status is declared twice")
        try:
            self.status = YearStatus(value)
        except ValueError:
            raise self.fail(
                number, f"status must be official or provisional; got {value!r}"
            ) from None

    def _days(self, number: int, keyword: str, value: str) -> None:
        span, _, name = value.partition(" ")
        first, sep, last = span.partition("..")
        start = self._date(number, first)
        end = self._date(number, last) if sep else start
        if end < start:
            raise self.fail(number, f"a range must not end before it starts: {span}")
        if (end - start).days >= _LONGEST_BLOCK:
            raise self.fail(number, f"a range spans at most {_LONGEST_BLOCK} days: {span}")
        day = start
        while day <= end:
            self._add(number, keyword, day, name.strip())
            day += timedelta(days=1)

    def _date(self, number: int, text: str) -> date:
        if not _ISO_DATE.fullmatch(text):
            raise self.fail(number, f"a date is written YYYY-MM-DD; got {text!r}")
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise self.fail(number, f"no such date: {text}") from None
        if day.year != self.year:
            raise self.fail(number, f"every date must be in {self.year}; got {text}")
        return day

    def _add(self, number: int, keyword: str, day: date, name: str) -> None:
        earlier = self.off.get(day) or self.work.get(day)
        if earlier is not None:
            raise self.fail(number, f"{day} is already listed on line {earlier}")
        if keyword == "work":
            if day.weekday() < 5:
                raise self.fail(
                    number, f"a make-up working day falls on a Saturday or Sunday; {day} does not"
                )
            self.work[day] = number
        else:
            self.off[day] = number
        if name:
            self.names[day] = name

    def finish(self, end: int) -> HolidayYear:
        if not self.declared_year:
            raise self.fail(end, f"the file must declare `year {self.year}`")
        if self.status is None:
            raise self.fail(end, "the file must declare `status official` or `status provisional`")
        if not self.sources:
            raise self.fail(end, "the file must name at least one `source`")
        return HolidayYear(
            year=self.year,
            status=self.status,
            sources=tuple(self.sources),
            off=frozenset(self.off),
            work=frozenset(self.work),
            names=dict(self.names),
            origin=self.origin,
        )


def render_year(year: HolidayYear, heading: str) -> str:
    """The file text for ``year``: days grouped into runs of the same name, in date order."""
    lines = [f"# {heading}", f"year {year.year}", f"status {year.status.value}"]
    lines += [f"source {source}" for source in year.sources]
    for keyword, days in (("off", year.off), ("work", year.work)):
        for first, last, name in _runs(sorted(days), year.names):
            span = first.isoformat() if first == last else f"{first}..{last}"
            lines.append(f"{keyword} {span} {name}".rstrip())
    return "\n".join(lines) + "\n"


def _runs(days: Iterable[date], names: dict[date, str]) -> list[tuple[date, date, str]]:
    runs: list[tuple[date, date, str]] = []
    for day in days:
        name = names.get(day, "")
        if runs and runs[-1][1] + timedelta(days=1) == day and runs[-1][2] == name:
            runs[-1] = (runs[-1][0], day, name)
        else:
            runs.append((day, day, name))
    return runs
