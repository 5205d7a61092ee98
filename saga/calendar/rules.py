"""A provisional year from the statutory rules, for a year the State Council has not scheduled.

全国年节及纪念日放假办法 as revised on 2024-11-10 (in force since 2025), art. 2: New Year's Day 1
day (1 January), Spring Festival 4 (the eve and the first three days of the first lunar month),
Qingming 1 (the solar term), Labour Day 2 (1–2 May), Dragon Boat 1 (5th of the 5th lunar month),
Mid-Autumn 1 (15th of the 8th lunar month), National Day 3 (1–3 October): 13 days. Art. 6: a day of
these that falls on a Saturday or Sunday is made up on a working day (补假). The make-up
*working* days (调休) that the yearly notice adds to join holidays into long breaks follow no rule,
so a provisional year has none; deadlines computed on it are marked provisional.

The lunar and solar-term dates come from the ``holidays`` package's China calendar, which applies
the same two articles for a year it has no State Council schedule for; its own substituted days
(its copy of a yearly notice) are left out, since official years come from our year files.
"""

from __future__ import annotations

from datetime import date

from holidays.countries.china import China

from saga.calendar.years import HolidayYear, YearStatus

__all__ = ["RULES_FROM", "RULES_SOURCE", "RulesNotAvailable", "provisional_year"]

RULES_FROM = 2025  # the first year the 2024 revision governs
STATUTORY_DAYS = 13
RULES_SOURCE = (
    "全国年节及纪念日放假办法（2024年11月10日修订）第二条、第六条："
    "国务院办公厅当年部分节假日安排公布前的暂定日历（仅法定假日及周末补假，无调休上班日）"
)
_NAMES = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "春节",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}
_OBSERVED = " (observed)"


class RulesNotAvailable(LookupError):
    """The lunar calendar the rules need does not reach this year."""


def provisional_year(year: int) -> HolidayYear:
    """``year`` as the statutory rules make it: 13 days off plus art. 6's make-up days off."""
    if year < RULES_FROM:
        raise RulesNotAvailable(
            f"the 2024 holiday rules govern years from {RULES_FROM}, not {year}"
        )
    names: dict[date, str] = {}
    counted = 0  # statutory days, a day two festivals share counting twice
    # The package's constructor carries no type hints.
    china = China(years=year, observed=True, language="en_US")  # type: ignore[no-untyped-call]
    for day, label in china.items():
        for part in label.split("; "):  # two festivals on one day (Mid-Autumn on 1 October)
            base = part.removesuffix(_OBSERVED)
            if base not in _NAMES:
                continue  # a substituted day of the package's own copy of a notice
            counted += not part.endswith(_OBSERVED)
            names.setdefault(day, _NAMES[base])
    if counted != STATUTORY_DAYS:
        # The lunar tables end (about 2100), or the package changed how it names the days.
        raise RulesNotAvailable(
            f"the holiday rules give {counted} statutory days for {year}, "
            f"not {STATUTORY_DAYS}: the lunar calendar does not cover it"
        )
    return HolidayYear(
        year=year,
        status=YearStatus.PROVISIONAL,
        sources=(RULES_SOURCE,),
        off=frozenset(names),
        work=frozenset(),
        names=names,
        origin="statutory rules",
    )
