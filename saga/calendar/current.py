"""The calendar this process counts deadlines with: the shipped years until the composition root
installs the deployment's (``install``), and again after a reload."""

from __future__ import annotations

from saga.calendar.working import WorkingCalendar, load_calendar

__all__ = ["current", "install"]

_installed: WorkingCalendar | None = None


def current() -> WorkingCalendar:
    """The calendar in force; the shipped one if none was installed."""
    global _installed
    if _installed is None:
        _installed = load_calendar()
    return _installed


def install(calendar: WorkingCalendar) -> None:
    """Put ``calendar`` in force for every deadline computed from now on."""
    global _installed
    _installed = calendar
