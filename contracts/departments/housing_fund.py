"""Housing fund (住房公积金): the heirs' withdrawal of a deceased member's balance (D11).

The balance is paid once, to a relative of the deceased; a second withdrawal is refused. In life
this step may wait weeks for the heirs to be settled, so a saga gives it its own long deadline and
lets the rest of the case finish. The reversal saga recovers the withdrawal. For the household
economic check (H2), ``CheckHousingFundBalance``: the members' balances and monthly deposits.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from pydantic import Field

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    HOUSEHOLD_CHECK_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    Fen,
    HouseholdCheck,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import ResidentId

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CheckHousingFundBalance",
    "HousingFundBalanceChecked",
    "HousingFundWithdrawalRecovered",
    "HousingFundWithdrawn",
    "RecoverHousingFundWithdrawal",
    "WithdrawHousingFund",
]

DEPARTMENT = Department.HOUSING_FUND


class WithdrawHousingFund(CommandPayload):
    """D11: pay the deceased's balance to the heir's registered account."""

    deceased_id: ResidentId
    heir_id: ResidentId
    heir_account_ref: Annotated[str, Field(min_length=1, max_length=64)]


class HousingFundWithdrawn(ReplyData):
    amount_fen: Fen


class RecoverHousingFundWithdrawal(CommandPayload):
    """Reversal: recover the withdrawal and restore the account."""

    deceased_id: ResidentId
    reason: ReasonText


class HousingFundWithdrawalRecovered(ReplyData):
    recovered_fen: Fen


class CheckHousingFundBalance(HouseholdCheck):
    """H2: the members' housing-fund balances and what is deposited into them a month (月缴存额,
    the employee's and the employer's shares together)."""


class HousingFundBalanceChecked(ReplyData):
    balance_fen: Fen
    monthly_deposit_fen: Fen


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "no_account": "查无住房公积金账户",
    "heir_not_kin": "提取人不是逝者的近亲属",
    "already_withdrawn": "余额已被提取",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        WithdrawHousingFund,
        HousingFundWithdrawn,
        refused=("HousingFundWithdrawalRefused",),
        reason_codes=("no_account", "death_not_certified", "heir_not_kin", "already_withdrawn"),
        summary="公积金死亡提取 withdrawal by the heir",
    ),
    CommandSpec(
        RecoverHousingFundWithdrawal,
        HousingFundWithdrawalRecovered,
        refused=("HousingFundWithdrawalRecoveryRefused",),
        reason_codes=("nothing_to_recover",),
        kind=CommandKind.REVERSE,
        undoes="WithdrawHousingFund",
        summary="追回公积金提取 recover the withdrawal",
    ),
    CommandSpec(
        CheckHousingFundBalance,
        HousingFundBalanceChecked,
        refused=("HousingFundBalanceCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="住房公积金余额和缴存核对 H2 balances and monthly deposits",
    ),
)
