"""The economic-check centre simulated: one answer per data source, then the totals.

Each source reads its part of the world: tax the members' earned income, employment the pensions
being paid, banks the deposits, the housing fund the balances, real estate, vehicles and market
regulation their counts. ``unavailable`` names sources that do not answer (switchable at run
time, to play a slow registry); their answers come back ``answered=False`` and the result
``complete=False`` rather than the whole check failing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from contracts.departments import economic_check as contract
from contracts.departments.economic_check import (
    CheckHouseholdEconomy,
    EconomicSource,
    HouseholdEconomyChecked,
    SourceAnswer,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Clock, Handler, Refusal, Simulator
from departments.world import Person, World

__all__ = ["EconomicCheckSimulator"]


class EconomicCheckSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(
        self,
        world: World,
        clock: Clock | None = None,
        unavailable: frozenset[EconomicSource] = frozenset(),
    ) -> None:
        super().__init__(world, clock)
        self.unavailable = unavailable
        self._sources: dict[EconomicSource, Callable[[list[Person]], SourceAnswer]] = {
            "tax": lambda m: SourceAnswer(
                answered=True, monthly_income_fen=sum(p.monthly_income_fen for p in m)
            ),
            "employment": self._pensions,
            "banks": lambda m: SourceAnswer(
                answered=True, assets_fen=sum(p.bank_balance_fen for p in m)
            ),
            "housing_fund": self._housing_funds,
            "real_estate": lambda m: SourceAnswer(
                answered=True, count=sum(p.properties for p in m)
            ),
            "vehicles": lambda m: SourceAnswer(answered=True, count=sum(p.vehicles for p in m)),
            "market_regulation": lambda m: SourceAnswer(
                answered=True, count=sum(p.businesses for p in m)
            ),
        }

    def routes(self) -> Mapping[str, Handler]:
        return {"CheckHouseholdEconomy": self.check}

    def _pensions(self, members: list[Person]) -> SourceAnswer:
        paid = [self.world.pensions.get(p.resident_id) for p in members]
        income = sum(x.monthly_fen for x in paid if x is not None and x.stopped_from is None)
        employed = sum(1 for p in members if p.monthly_income_fen > 0)
        return SourceAnswer(answered=True, monthly_income_fen=income, count=employed)

    def _housing_funds(self, members: list[Person]) -> SourceAnswer:
        accounts = [self.world.housing_funds.get(p.resident_id) for p in members]
        return SourceAnswer(answered=True, assets_fen=sum(a.balance_fen for a in accounts if a))

    def check(
        self, p: CheckHouseholdEconomy, _: DepartmentCommand
    ) -> HouseholdEconomyChecked | Refusal:
        if not p.consent_signed:
            return Refusal("consent_missing")
        members: list[Person] = []
        for index, rid in enumerate(p.member_ids):
            person = self.world.people.get(rid)
            if person is None:
                return Refusal("person_not_found", {"member": index})
            members.append(person)
        answers = {
            source: (
                SourceAnswer(answered=False)
                if source in self.unavailable
                else self._sources[source](members)
            )
            for source in dict.fromkeys(p.sources)
        }
        income = sum(a.monthly_income_fen for a in answers.values())
        return HouseholdEconomyChecked(
            members=len(members),
            complete=all(a.answered for a in answers.values()),
            monthly_income_fen=income,
            per_capita_income_fen=income // len(members),
            assets_fen=sum(a.assets_fen for a in answers.values()),
            sources=answers,
        )
