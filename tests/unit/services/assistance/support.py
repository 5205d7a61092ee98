"""Assistance cases driven through the pure engine and answered by the department simulators
over one seeded world, on one clock: what civil affairs enrols and pays afterwards is what the
tests assert, and the amounts are the assessment's to the fen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.assistance import AssistanceApplication
from contracts.departments import Department
from contracts.lifecycle import StepStatus
from contracts.saga import DepartmentCommand
from departments.adapter import DepartmentAdapter
from departments.population import generate
from departments.simulators import build_simulators
from departments.world import DisabilityCard, Household, Person, World, age_on
from saga.testing import FakeClock, Scenario
from services.assistance.saga import assistance_saga
from tests.support.simulated import answer_from

__all__ = ["START", "Township", "findings_for", "sent"]


def sent(scenario: Scenario, step: str) -> list[DepartmentCommand]:
    """Every command the case sent for ``step``, in order."""
    return [command for command in scenario.sent if command.step == step]


_ANSWERING = (StepStatus.DISPATCHED, StepStatus.COMPENSATING)
# 09:00 in China on the world's first working day after its reference date.
START = datetime(2025, 7, 1, 1, 0, tzinfo=UTC)
_RELATIONS = {"spouse": "spouse", "child": "child", "parent": "parent"}


def _relation(world: World, member: Person, applicant: Person) -> str:
    if member.resident_id == applicant.resident_id:
        return "self"
    return _RELATIONS.get(world.relation(member.resident_id, applicant.resident_id) or "", "other")


def findings_for(world: World, household: Household, **changes: Any) -> dict[str, Any]:
    """What a home visit finds in the world: who can work (18 to 59 without a severe
    disability), each member's card, who has a supporter; ``changes`` override the top level."""
    members = []
    for rid in household.member_ids:
        person = world.people[rid]
        age = age_on(person.birth_date, world.reference_date)
        card = world.disability_cards.get(rid)
        severe = card is not None and card.active and card.grade <= 2
        members.append(
            {
                "able_to_work": 18 <= age < 60 and not severe,
                "disability_grade": card.grade if card and card.active else None,
                "disability_category": card.category if card and card.active else None,
                "self_care": "unable" if severe else "able",
                "supported": person.spouse_id is not None and world.people[person.spouse_id].alive,
            }
        )
    return {"members": members, "appraisal": "民主评议通过，情况属实"} | changes


class Township:
    """A township's social-assistance desk: one seeded world, its simulators, one clock."""

    def __init__(self, seed: int = 11, people: int = 800, start: datetime = START) -> None:
        self.world = generate(seed=seed, people=people)
        self.clock = FakeClock(start)
        self.simulators: dict[Department, DepartmentAdapter] = dict(
            build_simulators(self.world, self.clock.now)
        )
        self.taken: set[str] = set()

    def household(self, test: Any = None, **criteria: Any) -> Household:
        """An unused household whose head matches ``criteria`` and which passes ``test``."""
        for head in self.world.find_all(household_head=True, alive=True, **criteria):
            household = self.world.households[head.household_id]
            alive = all(self.world.people[m].alive for m in household.member_ids)
            fresh = household.household_id not in self.taken
            if alive and fresh and (test is None or test(household)):
                self.taken.add(household.household_id)
                return household
        raise LookupError(f"no unused household with {criteria}")

    def poor(
        self, division: str = "", members: int = 2, income_fen: int = 0, **criteria: Any
    ) -> Household:
        """An unused household of at least ``members`` (in ``division``, when given) whose
        records, as every department keeps them, show ``income_fen`` a month earned by its head
        and nothing else: no pension, savings, vehicle, business or disability card, one home."""

        def fits(household: Household) -> bool:
            return len(household.member_ids) >= members and household.division.startswith(division)

        household = self.household(fits, on_dibao=False, on_welfare=False, **criteria)
        for rid in household.member_ids:
            person = self.world.people[rid]
            person.monthly_income_fen = income_fen if rid == household.head_id else 0
            person.bank_balance_fen = person.vehicles = person.businesses = 0
            person.properties = min(person.properties, 1)
            person.monthly_medical_spending_fen = 0
            self.world.pensions.pop(rid, None)
            self.world.disability_cards.pop(rid, None)
        return household

    def form(self, household: Household, **changes: Any) -> dict[str, Any]:
        """The household's validated application, as the window starts the case with it."""
        head = self.world.people[household.head_id]
        members = [
            {"resident_id": rid, "name": self.world.people[rid].name,
             "relation": _relation(self.world, self.world.people[rid], head)}
            for rid in household.member_ids
        ]  # fmt: skip
        form = {
            "household_id": household.household_id,
            "residence": "urban" if household.urban else "rural",
            "members": members,
            "phone": "13912345678",
            "consent_signed": True,
            "payee_account": {"bank": "农业银行", "account_no": "6228480012345678901",
                              "holder_name": head.name},
        } | changes  # fmt: skip
        checked = AssistanceApplication.model_validate(form)
        return checked.model_dump(mode="json") | {"channel": "window", "window_id": "w-1"}

    def open(
        self, household: Household, hold: frozenset[str] = frozenset(), **changes: Any
    ) -> Scenario:
        scenario = Scenario(
            assistance_saga(),
            data=self.form(household, **changes),
            division_code=household.division,
            clock=self.clock,
        ).start()
        return self.answer(scenario, hold)

    def answer(self, scenario: Scenario, hold: frozenset[str] = frozenset()) -> Scenario:
        """Hand every open command (and compensation) to its department until none is left but
        those in ``hold``."""
        while pending := [
            name for name, st in (scenario.state.steps.items() if scenario.state else ())
            if st.status in _ANSWERING and name not in hold
            and scenario.saga.step(name).sends_command
        ]:  # fmt: skip
            for step in pending:
                answer_from(scenario, self.simulators, step)
        return scenario

    def visit(
        self,
        scenario: Scenario,
        household: Household,
        hold: frozenset[str] = frozenset(),
        **changes: Any,
    ) -> Scenario:
        """The clerk records what the visit found, and the case goes on (but ``hold``)."""
        findings = findings_for(self.world, household, **changes)
        scenario.signal("visit_findings", data=findings, reason="入户调查完成")
        return self.answer(scenario, hold)

    def wait(
        self, scenario: Scenario, delta: timedelta, hold: frozenset[str] = frozenset()
    ) -> Scenario:
        """Time passes (the notice runs, a month begins), an hour at a time; what it sends is
        answered within the hour, as the departments would (but those in ``hold``)."""
        end = self.clock.now() + delta
        while self.clock.now() < end:
            scenario.advance(min(timedelta(hours=1), end - self.clock.now()))
            self.answer(scenario, hold)
        return scenario

    def card(self, rid: str, grade: int, category: str = "physical") -> None:
        """The disabled persons' federation issues ``rid`` a card."""
        self.world.disability_cards[rid] = DisabilityCard(rid, rid + "11", grade, category)

    def decided(self, household: Household, **changes: Any) -> Scenario:
        """A case through the checks, the visit and the notice, to its decisions."""
        scenario = self.open(household, **changes)
        self.visit(scenario, household)
        return self.wait(scenario, timedelta(days=10))
