"""The banks' deposit-query platform simulated: a household's deposits (H2).

Each member's ``bank_balance_fen`` in the world (every bank's accounts together), summed.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import banks as contract
from contracts.departments.banks import BankDepositsChecked, CheckBankDeposits
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["BanksSimulator"]


class BanksSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {"CheckBankDeposits": self.check}

    def check(self, p: CheckBankDeposits, _: DepartmentCommand) -> BankDepositsChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        return BankDepositsChecked(deposits_fen=sum(m.bank_balance_fen for m in members))
