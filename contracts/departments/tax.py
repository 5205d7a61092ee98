"""Tax (税务): the household's taxed income, for the economic check (H2).

One read-only query under the household's signed consent: the members' wages and business
income as the tax records have them, summed over the members as a month's worth.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    HOUSEHOLD_CHECK_REASONS,
    CommandKind,
    CommandSpec,
    Fen,
    HouseholdCheck,
    ReplyData,
    catalogue,
)

__all__ = ["COMMANDS", "DEPARTMENT", "REASONS", "CheckTaxedIncome", "TaxedIncomeChecked"]

DEPARTMENT = Department.TAX


class CheckTaxedIncome(HouseholdCheck):
    """H2: the members' wages and business income as taxed, a month's worth."""


class TaxedIncomeChecked(ReplyData):
    monthly_income_fen: Fen


REASONS: Mapping[str, str] = COMMON_REASONS

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CheckTaxedIncome,
        TaxedIncomeChecked,
        refused=("TaxedIncomeCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="纳税收入核对 H2 wages and business income as taxed",
    ),
)
