"""The housing-fund centre simulated: a deceased member's balance paid once, to a relative.

The heir must be the deceased's spouse, child, parent or sibling in the population registry; the
death must be certified. A retracted death takes the withdrawal back into the account. For the
economic check (H2) it sums the members' balances and monthly deposits (a member without an
account adds nothing).
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import housing_fund as contract
from contracts.departments.housing_fund import (
    CheckHousingFundBalance,
    HousingFundBalanceChecked,
    HousingFundWithdrawalRecovered,
    HousingFundWithdrawn,
    RecoverHousingFundWithdrawal,
    WithdrawHousingFund,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["HousingFundSimulator"]


class HousingFundSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {
            "WithdrawHousingFund": self.withdraw,
            "RecoverHousingFundWithdrawal": self.recover,
            "CheckHousingFundBalance": self.check_balance,
        }

    def withdraw(
        self, p: WithdrawHousingFund, _: DepartmentCommand
    ) -> HousingFundWithdrawn | Refusal:
        account = self.world.housing_funds.get(p.deceased_id)
        if account is None:
            return Refusal("no_account")
        if not self.world.death_certified(p.deceased_id):
            return Refusal("death_not_certified")
        if self.world.relation(p.heir_id, p.deceased_id) is None:
            return Refusal("heir_not_kin")
        if account.withdrawn:
            return Refusal("already_withdrawn")
        amount = account.balance_fen
        account.withdrawn_fen, account.balance_fen, account.withdrawn = amount, 0, True
        return HousingFundWithdrawn(amount_fen=amount)

    def recover(
        self, p: RecoverHousingFundWithdrawal, _: DepartmentCommand
    ) -> HousingFundWithdrawalRecovered | Refusal:
        account = self.world.housing_funds.get(p.deceased_id)
        if account is None or not account.withdrawn:
            return Refusal("nothing_to_recover")
        recovered = account.withdrawn_fen
        account.balance_fen += recovered
        account.withdrawn_fen, account.withdrawn = 0, False
        return HousingFundWithdrawalRecovered(recovered_fen=recovered)

    def check_balance(
        self, p: CheckHousingFundBalance, _: DepartmentCommand
    ) -> HousingFundBalanceChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        found = (self.world.housing_funds.get(m.resident_id) for m in members)
        accounts = [a for a in found if a is not None]
        return HousingFundBalanceChecked(
            balance_fen=sum(a.balance_fen for a in accounts),
            monthly_deposit_fen=sum(a.monthly_deposit_fen for a in accounts),
        )
