"""The ``when`` and ``done_when`` predicates of the after-death tables, read from the case data.

A case is opened either by a family (at a window, a funeral home or online: the form is the case
data) or proactively from a certified death (``channel: proactive``; the form, if the family
applies, is merged in later). The heir steps exist twice, once before the pivot for a family case
and once after it for a proactive case, and the predicates below pick one of each pair. An agent
(代办人) cannot be checked by public security's kinship query, which knows only the four family
relations, so a clerk checks the mandate instead. Opt-ins default to the form's own defaults, so
a proactive case with no form yet runs what most families choose (免申即享).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from contracts.window import AfterDeathOptIns
from saga.definition import Context

__all__ = [
    "OptIn",
    "Predicate",
    "agent_applied_late",
    "agent_applied_with_case",
    "has_applicant",
    "heir_account_given_late",
    "heir_account_given_with_case",
    "id_card_to_reissue",
    "kin_applied_late",
    "kin_applied_with_case",
    "kin_were_notified",
    "opened_proactively",
    "opted_in",
    "pays_heir",
    "pays_housing_fund",
    "pays_medical_account",
    "pays_survivor_benefits",
    "wants_fee_waiver",
]

Predicate = Callable[[Context], bool]
OptIn = Literal[
    "funeral_fee_waiver", "survivor_benefits", "medical_account_payout", "housing_fund_withdrawal"
]


def _applicant(ctx: Context) -> dict[str, Any]:
    applicant = ctx.data.get("applicant")
    return applicant if isinstance(applicant, dict) else {}


def opened_proactively(ctx: Context) -> bool:
    """The case was opened from ``DeathCertified``, not by a family's form."""
    return ctx.data.get("channel") == "proactive"


def has_applicant(ctx: Context) -> bool:
    """A family member or their agent has applied (the form is in the case data)."""
    return bool(_applicant(ctx))


def _by_agent(ctx: Context) -> bool:
    return _applicant(ctx).get("relation") == "agent"


def _has_heir_account(ctx: Context) -> bool:
    return bool(ctx.data.get("heir_account"))


def kin_applied_with_case(ctx: Context) -> bool:
    """A relative applied when opening the case: public security checks the kinship."""
    return not opened_proactively(ctx) and has_applicant(ctx) and not _by_agent(ctx)


def agent_applied_with_case(ctx: Context) -> bool:
    """An agent applied when opening the case: a clerk checks the mandate."""
    return not opened_proactively(ctx) and _by_agent(ctx)


def kin_applied_late(ctx: Context) -> bool:
    """A relative applied to a proactive case."""
    return opened_proactively(ctx) and has_applicant(ctx) and not _by_agent(ctx)


def agent_applied_late(ctx: Context) -> bool:
    """An agent applied to a proactive case."""
    return opened_proactively(ctx) and _by_agent(ctx)


def heir_account_given_with_case(ctx: Context) -> bool:
    return not opened_proactively(ctx) and _has_heir_account(ctx)


def heir_account_given_late(ctx: Context) -> bool:
    return opened_proactively(ctx) and _has_heir_account(ctx)


def opted_in(item: OptIn) -> Predicate:
    """Whether the family chose ``item``; without a form yet, the form's default."""

    def chosen(ctx: Context) -> bool:
        opt_ins = AfterDeathOptIns.model_validate(ctx.data.get("opt_ins") or {})
        return bool(getattr(opt_ins, item))

    return chosen


def pays_heir(item: OptIn) -> Predicate:
    """A payout the family chose, with an account to pay it to."""
    chosen = opted_in(item)

    def payable(ctx: Context) -> bool:
        return chosen(ctx) and _has_heir_account(ctx)

    return payable


# The opt-ins as the table's rows ask them.
wants_fee_waiver = opted_in("funeral_fee_waiver")
pays_survivor_benefits = pays_heir("survivor_benefits")
pays_medical_account = pays_heir("medical_account_payout")
pays_housing_fund = pays_heir("housing_fund_withdrawal")


def kin_were_notified(ctx: Context) -> bool:
    """A proactive case told the next of kin it had opened (that notice must be corrected if the
    case is then refused)."""
    return "notify_next_of_kin" in ctx.results


def id_card_to_reissue(ctx: Context) -> bool:
    """For a reversal case: the hukou was restored and public security says a new card is due
    (the one voided at the cancellation was surrendered)."""
    return bool(ctx.results.get("restore_hukou", {}).get("id_card_reissue_required"))
