"""The real-estate registry simulated: the homes registered to a household's members (H2).

Each member's ``properties`` in the world, summed; a home two members hold is counted by each.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import real_estate as contract
from contracts.departments.real_estate import CheckRealEstate, RealEstateChecked
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator

__all__ = ["RealEstateSimulator"]


class RealEstateSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {"CheckRealEstate": self.check}

    def check(self, p: CheckRealEstate, _: DepartmentCommand) -> RealEstateChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        return RealEstateChecked(homes=sum(m.properties for m in members))
