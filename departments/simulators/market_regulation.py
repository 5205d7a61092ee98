"""Market regulation simulated: the businesses registered to a household's members (H2).

Each member's ``businesses`` in the world (companies and individual businesses), summed.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import market_regulation as contract
from contracts.departments.market_regulation import (
    BusinessRegistrationsChecked,
    CheckBusinessRegistrations,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["MarketRegulationSimulator"]


class MarketRegulationSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {"CheckBusinessRegistrations": self.check}

    def check(
        self, p: CheckBusinessRegistrations, _: DepartmentCommand
    ) -> BusinessRegistrationsChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        return BusinessRegistrationsChecked(businesses=sum(m.businesses for m in members))
