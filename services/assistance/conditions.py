"""The ``when`` predicates of the assistance table: what the application asked for, what the
assessment found, what was granted."""

from __future__ import annotations

from collections.abc import Callable

from saga.definition import Context
from services.assistance.assessment import Programme
from services.assistance.household import assessment_of, facts_of, findings_of, gaps

__all__ = [
    "DECISIONS",
    "PAID",
    "assessed",
    "can_work_and_assisted",
    "has_children_and_assisted",
    "homeless_and_assisted",
    "enrolled",
    "no_gaps",
    "no_longer_qualifies",
    "noticed",
    "reviewed_half_yearly",
    "reviewed_yearly",
    "urgent",
]

# Each programme's decision step (H6a–d); the low-income status is recorded with the notice.
DECISIONS: dict[Programme, str] = {
    Programme.DIBAO: "decide_dibao",
    Programme.TEKUN: "decide_tekun",
    Programme.LIVING_SUBSIDY: "decide_living_subsidy",
    Programme.NURSING_SUBSIDY: "decide_nursing_subsidy",
    Programme.TEMPORARY_AID: "decide_temporary_aid",
}
# The programmes paid every month (H8).
PAID = (
    Programme.DIBAO,
    Programme.TEKUN,
    Programme.LIVING_SUBSIDY,
    Programme.NURSING_SUBSIDY,
)
# Publicly noticed before the decision (公示): the allowances, not a one-off aid [S].
_NOTICED = (Programme.DIBAO, Programme.TEKUN, Programme.LOW_INCOME)


def urgent(ctx: Context) -> bool:
    return ctx.data.get("urgent") is True and bool(ctx.data.get("hardship"))


def no_gaps(ctx: Context) -> bool:
    """Every source answered: nobody need decide whether to go on without one."""
    return not gaps(ctx)


def assessed(programme: Programme) -> Callable[[Context], bool]:
    """The assessment grants ``programme`` (temporary aid: not already paid first)."""

    def granted(ctx: Context) -> bool:
        if programme is Programme.TEMPORARY_AID and urgent(ctx):
            return False  # paid first at H1 (先行救助)
        return assessment_of(ctx).result(programme).eligible

    granted.__name__ = f"assessed_{programme.value}"
    return granted


def noticed(ctx: Context) -> bool:
    """The proposal includes a programme that is publicly noticed."""
    found = assessment_of(ctx)
    return any(found.result(p).eligible for p in _NOTICED)


def enrolled(*programmes: Programme) -> Callable[[Context], bool]:
    """Any of ``programmes`` was granted (its decision step succeeded)."""
    steps = [DECISIONS[p] for p in programmes]

    def any_enrolled(ctx: Context) -> bool:
        return any(step in ctx.results for step in steps)

    any_enrolled.__name__ = "enrolled_" + "_".join(p.value for p in programmes)
    return any_enrolled


def can_work_and_assisted(ctx: Context) -> bool:
    """A member who can work, in a household now on dibao or tekun: the job services help."""
    assisted = enrolled(Programme.DIBAO, Programme.TEKUN)(ctx)
    return assisted and any(m.able_to_work for m in facts_of(ctx).members)


def has_children_and_assisted(ctx: Context) -> bool:
    """Children in a household on dibao or tekun: the schools' aid (教育资助)."""
    children = any(m.get("relation") in ("child", "grandchild") for m in ctx.data["members"])
    return children and enrolled(Programme.DIBAO, Programme.TEKUN)(ctx)


def homeless_and_assisted(ctx: Context) -> bool:
    """No home of its own, on dibao or tekun: housing aid (住房救助)."""
    return facts_of(ctx).homes == 0 and enrolled(Programme.DIBAO, Programme.TEKUN)(ctx)


def _irregular(ctx: Context) -> bool:
    found = findings_of(ctx)
    return found is not None and found.irregular_income


def reviewed_yearly(ctx: Context) -> bool:
    """A dibao household with a stable income: reviewed once a year."""
    return DECISIONS[Programme.DIBAO] in ctx.results and not _irregular(ctx)


def reviewed_half_yearly(ctx: Context) -> bool:
    """A dibao household whose income varies: reviewed every 6 months."""
    return DECISIONS[Programme.DIBAO] in ctx.results and _irregular(ctx)


_REVIEWS = ("yearly_review", "half_yearly_review")


def no_longer_qualifies(ctx: Context) -> bool:
    """The latest review found the household above the standard: the payments stop."""
    return any(ctx.results.get(step, {}).get("still_eligible") is False for step in _REVIEWS)
