"""Reloading a deployment's calendar directory while the workers run.

``CalendarWatch.poll()`` looks at the directory's files (names, sizes, modification times) and,
when they changed, reads them all again. A valid directory becomes the new calendar; a broken
file is refused (``CalendarFileError``: file, line, rule) and the calendar in force stays, until
the directory changes again, so a broken file is reported once, not on every poll.
"""

from __future__ import annotations

from pathlib import Path

from saga.calendar.current import current, install
from saga.calendar.working import WorkingCalendar, load_calendar

__all__ = ["CalendarWatch"]


class CalendarWatch:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self._seen = self._fingerprint()

    def load(self) -> WorkingCalendar:
        """Read the calendar now and put it in force; raises if a file is broken."""
        self._seen = self._fingerprint()
        calendar = load_calendar(self.directory)
        install(calendar)
        return calendar

    def poll(self) -> WorkingCalendar | None:
        """The new calendar if the directory changed and its data did too, else None."""
        fingerprint = self._fingerprint()
        if fingerprint == self._seen:
            return None
        self._seen = fingerprint  # a broken version is reported once
        before = current().version
        calendar = load_calendar(self.directory)
        install(calendar)
        return calendar if calendar.version != before else None

    def _fingerprint(self) -> tuple[tuple[str, int, int], ...]:
        if self.directory is None or not self.directory.is_dir():
            return ()
        return tuple(
            (path.name, stat.st_size, stat.st_mtime_ns)
            for path in sorted(self.directory.glob("*.txt"))
            for stat in (path.stat(),)
        )
