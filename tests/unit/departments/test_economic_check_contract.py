"""The economic-check centre's contract against its simulator: one answer per source, totals."""

from __future__ import annotations

from contracts.departments.economic_check import ALL_SOURCES, CheckHouseholdEconomy
from departments.simulators.economic_check import EconomicCheckSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer


def roster(world: World) -> list[str]:
    head = world.find(household_head=True, alive=True, lives_alone=False)
    return world.households[head.household_id].member_ids


def test_every_source_answers_and_the_totals_add_up(world: World) -> None:
    centre = EconomicCheckSimulator(world)
    members = roster(world)
    people = [world.people[m] for m in members]
    pensions = sum(world.pensions[m].monthly_fen for m in members if m in world.pensions)

    outcome = answer(centre, CheckHouseholdEconomy(member_ids=members, consent_signed=True))

    data = outcome.data
    income = sum(p.monthly_income_fen for p in people) + pensions
    assert set(ALL_SOURCES) == set(data["sources"])
    assert (True, income, income // len(members)) == (
        data["complete"],
        data["monthly_income_fen"],
        data["per_capita_income_fen"],
    )
    assert sum(p.vehicles for p in people) == data["sources"]["vehicles"]["count"]


def test_a_silent_source_makes_the_check_incomplete_not_failed(world: World) -> None:
    centre = EconomicCheckSimulator(world, unavailable=frozenset({"banks"}))

    outcome = answer(centre, CheckHouseholdEconomy(member_ids=roster(world), consent_signed=True))

    assert outcome.data["complete"] is False
    assert {"answered": False, "monthly_income_fen": 0, "assets_fen": 0, "count": 0} == (
        outcome.data["sources"]["banks"]
    )


def test_no_consent_no_check(world: World) -> None:
    centre = EconomicCheckSimulator(world)

    refused = answer(centre, CheckHouseholdEconomy(member_ids=roster(world), consent_signed=False))
    stranger = answer(centre, CheckHouseholdEconomy(member_ids=[STRANGER_ID], consent_signed=True))

    assert ("HouseholdEconomyCheckRefused", "consent_missing") == (
        refused.reply,
        refused.reason_code,
    )
    assert ("person_not_found", {"member": 0}) == (stranger.reason_code, stranger.data)
