"""Banks (银行存款查询): the household's deposits, for the economic check (H2).

The banks answer through one deposit-query platform, so to a saga they are one participant:
one read-only query under the household's signed consent, the members' deposits summed over
every bank. No account numbers come back.
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

__all__ = ["COMMANDS", "DEPARTMENT", "REASONS", "CheckBankDeposits", "BankDepositsChecked"]

DEPARTMENT = Department.BANKS


class CheckBankDeposits(HouseholdCheck):
    """H2: the members' deposits in every bank."""


class BankDepositsChecked(ReplyData):
    deposits_fen: Fen


REASONS: Mapping[str, str] = COMMON_REASONS

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        CheckBankDeposits,
        BankDepositsChecked,
        refused=("BankDepositsCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="银行存款核对 H2 deposits in every bank",
    ),
)
