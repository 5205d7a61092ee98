"""The tax bureau simulated: the household's taxed income for the economic check (H2).

Wages and business income are each member's ``monthly_income_fen`` in the world, summed. A
pension is not taxed income here: social security answers it (``CheckEmploymentAndPension``).
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import tax as contract
from contracts.departments.tax import CheckTaxedIncome, TaxedIncomeChecked
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["TaxSimulator"]


class TaxSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {"CheckTaxedIncome": self.check}

    def check(self, p: CheckTaxedIncome, _: DepartmentCommand) -> TaxedIncomeChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        return TaxedIncomeChecked(monthly_income_fen=sum(m.monthly_income_fen for m in members))
