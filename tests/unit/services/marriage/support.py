"""Marriage and divorce cases driven through the pure engine and answered by the department
simulators over one seeded world: what the registry, public security, health and the e-licence
bureau hold afterwards is what the tests assert."""

from __future__ import annotations

from typing import Any

from contracts.departments import Department
from contracts.lifecycle import StepStatus
from contracts.marriage import DivorceApplication, MarriageApplication
from departments.adapter import DepartmentAdapter
from departments.population import generate
from departments.simulators import build_simulators
from departments.world import Marriage, Person, World
from saga.definition import Saga
from saga.testing import Scenario
from tests.support.simulated import answer_from

__all__ = [
    "Desk",
    "couple",
    "divorce_form",
    "marriage_form",
    "married_couple",
]

_ANSWERING = (StepStatus.DISPATCHED, StepStatus.COMPENSATING)


def _party(person: Person, n: int) -> dict[str, str]:
    return {"resident_id": person.resident_id, "name": person.name, "phone": f"139{n:08d}"}


def marriage_form(a: Person, b: Person, **opt_ins: object) -> dict[str, Any]:
    """The couple's validated form, as the window starts the case with it."""
    form = {"party_a": _party(a, 1), "party_b": _party(b, 2), "declaration_signed": True}
    checked = MarriageApplication.model_validate(form | {"opt_ins": opt_ins})
    return checked.model_dump(mode="json") | {"channel": "window", "window_id": "w-1"}


def divorce_form(a: Person, b: Person, certificate_no: str) -> dict[str, Any]:
    form = {"party_a": _party(a, 1), "party_b": _party(b, 2), "agreement_signed": True}
    checked = DivorceApplication.model_validate(form | {"marriage_certificate_no": certificate_no})
    return checked.model_dump(mode="json") | {"channel": "window", "window_id": "w-1"}


def couple(world: World, taken: set[str], **her: object) -> tuple[Person, Person]:
    """A marriageable man and a woman (``her`` narrows her down) nobody has used yet."""
    man = next(
        p for p in world.find_all(marriageable=True, sex="male") if p.resident_id not in taken
    )
    woman = next(
        p
        for p in world.find_all(sex="female", alive=True, **({"marriageable": True} | her))
        if p.resident_id not in taken
    )
    taken |= {man.resident_id, woman.resident_id}
    return man, woman


def married_couple(world: World, taken: set[str]) -> tuple[Person, Person, Marriage]:
    """Two living spouses of a standing marriage nobody has used yet."""
    for marriage in world.marriages.values():
        a, b = (world.people[rid] for rid in marriage.party_ids)
        fresh = not taken & {a.resident_id, b.resident_id}
        if marriage.dissolved_on is None and a.alive and b.alive and fresh:
            taken |= {a.resident_id, b.resident_id}
            return a, b, marriage
    raise LookupError("no standing marriage left in this world")


class Desk:
    """A registry office: one seeded world, its simulators, and cases answered by them."""

    def __init__(self, seed: int = 11, people: int = 800) -> None:
        self.world = generate(seed=seed, people=people)
        self.simulators: dict[Department, DepartmentAdapter] = dict(build_simulators(self.world))
        self.taken: set[str] = set()

    def open(self, saga: Saga, data: dict[str, Any], division: str) -> Scenario:
        scenario = Scenario(saga, data=data, division_code=division).start()
        return self.answer(scenario)

    def answer(self, scenario: Scenario, hold: frozenset[str] = frozenset()) -> Scenario:
        """Hand every open command (and compensation) to its department until none is left but
        those in ``hold``."""
        while pending := [
            name for name, st in (scenario.state.steps.items() if scenario.state else ())
            if st.status in _ANSWERING and name not in hold
            and scenario.saga.step(name).sends_command
        ]:  # fmt: skip
            for step in pending:
                self.answer_one(scenario, step)
        return scenario

    def answer_one(self, scenario: Scenario, step: str) -> None:
        answer_from(scenario, self.simulators, step)
