"""The household economic check's eight sources (H2) against their simulators: each answers a
seeded household's figures to the fen, refuses without consent and for an unknown member, and
names no one in what it answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from contracts.departments.catalogue import CATALOGUE, command_of
from contracts.departments.economic_check import ALL_SOURCES, SOURCE_COMMANDS, EconomicSource
from contracts.departments.spec import CommandKind, HouseholdCheck
from contracts.saga import ReplyOutcome
from departments.adapter import Outcome
from departments.simulators import SIMULATORS
from departments.world import Person, World
from tests.unit.departments.support import STRANGER_ID, answer

Figures = dict[str, int | bool]


def _hukou_vehicles(w: World, people: list[Person]) -> Figures:
    return {
        "members_found": sum(1 for p in people if p.hukou_active),
        "one_household": len({p.household_id for p in people}) == 1,
        "vehicles": sum(p.vehicles for p in people),
    }


def _employment_pension(w: World, people: list[Person]) -> Figures:
    paid = [w.pensions[p.resident_id] for p in people if p.resident_id in w.pensions]
    return {
        "employed": sum(1 for p in people if p.monthly_income_fen > 0),
        "monthly_pension_fen": sum(x.monthly_fen for x in paid if x.stopped_from is None),
        "monthly_unemployment_fen": 0,
    }


def _housing_fund(w: World, people: list[Person]) -> Figures:
    accounts = [w.housing_funds[p.resident_id] for p in people if p.resident_id in w.housing_funds]
    return {
        "balance_fen": sum(a.balance_fen for a in accounts),
        "monthly_deposit_fen": sum(a.monthly_deposit_fen for a in accounts),
    }


EXPECTED: dict[EconomicSource, Callable[[World, list[Person]], Figures]] = {
    "hukou_vehicles": _hukou_vehicles,
    "employment_pension": _employment_pension,
    "medical_spending": lambda w, people: {
        "monthly_out_of_pocket_fen": sum(p.monthly_medical_spending_fen for p in people)
    },
    "tax": lambda w, people: {"monthly_income_fen": sum(p.monthly_income_fen for p in people)},
    "real_estate": lambda w, people: {"homes": sum(p.properties for p in people)},
    "business_registration": lambda w, people: {"businesses": sum(p.businesses for p in people)},
    "housing_fund": _housing_fund,
    "bank_deposits": lambda w, people: {"deposits_fen": sum(p.bank_balance_fen for p in people)},
}
ALWAYS_ZERO = {"monthly_unemployment_fen"}  # the world pays no unemployment benefit


def telling_household(world: World, source: EconomicSource) -> list[str]:
    """The first household of several whose figures at this source are all above zero, so that
    an answer of zero cannot pass for a right one."""
    for household in world.households.values():
        people = [world.people[m] for m in household.member_ids]
        figures = EXPECTED[source](world, people)
        counted = [v for k, v in figures.items() if k not in ALWAYS_ZERO]
        if len(people) > 1 and all(counted):
            return household.member_ids
    raise LookupError(f"no household with every {source} figure above zero")


def ask(world: World, source: EconomicSource, member_ids: list[str], consent: bool) -> Outcome:
    payload = SOURCE_COMMANDS[source](member_ids=member_ids, consent_signed=consent)
    department, _ = command_of(type(payload))
    return answer(SIMULATORS[department](world), payload)


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_a_source_answers_the_households_figures_to_the_fen(
    source: EconomicSource, world: World
) -> None:
    members = telling_household(world, source)
    expected = EXPECTED[source](world, [world.people[m] for m in members])

    outcome = ask(world, source, members, consent=True)

    assert (ReplyOutcome.SUCCEEDED, expected) == (outcome.outcome, outcome.data)
    assert outcome.reply == command_of(SOURCE_COMMANDS[source])[1].succeeded[0]


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_without_the_signed_consent_a_source_refuses_in_chinese(
    source: EconomicSource, world: World
) -> None:
    outcome = ask(world, source, telling_household(world, source), consent=False)

    refused = command_of(SOURCE_COMMANDS[source])[1].refused[0]
    assert (refused, "consent_missing", "未签署家庭经济状况核对授权书") == (
        outcome.reply,
        outcome.reason_code,
        outcome.reason,
    )


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_an_unknown_member_is_refused_by_index(source: EconomicSource, world: World) -> None:
    members = [telling_household(world, source)[0], STRANGER_ID]

    outcome = ask(world, source, members, consent=True)

    assert ("person_not_found", "查无此人", {"member": 1}) == (
        outcome.reason_code,
        outcome.reason,
        outcome.data,
    )


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_an_answer_names_no_one(source: EconomicSource, world: World) -> None:
    members = telling_household(world, source)
    said = [ask(world, source, members, consent=c) for c in (True, False)]

    text = repr([(o.reply, o.reason, o.data) for o in said])
    for person in (world.people[m] for m in members):
        assert person.resident_id not in text and person.name not in text


def test_hukou_counts_only_live_hukou_and_sees_a_split_household(world: World) -> None:
    cancelled = world.find(certified_dead=True, hukou_active=False)
    elsewhere = world.find(alive=True, household_head=True)
    assert cancelled.household_id != elsewhere.household_id

    outcome = ask(world, "hukou_vehicles", [cancelled.resident_id, elsewhere.resident_id], True)

    assert (1, False) == (outcome.data["members_found"], outcome.data["one_household"])


def test_a_stopped_pension_is_not_counted(world: World) -> None:
    stopped = next(p for p in world.pensions.values() if p.stopped_from is not None)

    outcome = ask(world, "employment_pension", [stopped.resident_id], consent=True)

    assert 0 == outcome.data["monthly_pension_fen"]


def test_every_source_is_one_read_only_command_of_its_own_department() -> None:
    found = [command_of(SOURCE_COMMANDS[s]) for s in ALL_SOURCES]

    assert set(ALL_SOURCES) == set(SOURCE_COMMANDS)
    assert len(ALL_SOURCES) == len({department for department, _ in found})
    assert all(spec.kind is CommandKind.QUERY for _, spec in found)
    assert all(
        {"consent_missing", "person_not_found"} == set(spec.reason_codes) for _, spec in found
    )


def test_every_source_takes_exactly_the_members_and_the_consent() -> None:
    for payload in SOURCE_COMMANDS.values():
        assert issubclass(payload, HouseholdCheck)
        assert {"member_ids", "consent_signed"} == set(payload.model_fields)


def test_a_member_named_twice_is_not_a_valid_check(world: World) -> None:
    member = world.find(alive=True).resident_id

    with pytest.raises(ValueError, match="named twice"):
        SOURCE_COMMANDS["tax"](member_ids=[member, member], consent_signed=True)


def test_the_catalogue_lists_every_command_once() -> None:
    names = Counter(spec.command for commands in CATALOGUE.values() for spec in commands.values())

    assert {} == {name: n for name, n in names.items() if n > 1}
    assert {p.__name__ for p in SOURCE_COMMANDS.values()} <= set(names)
