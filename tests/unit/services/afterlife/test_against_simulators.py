"""The medical-insurance branch of a proactive case, answered by the department simulators over a
synthetic world: the enrolment ends without the family and the account stays untouched; the
family applies and the balance is paid to the heir once; a retracted death takes it back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.departments import Department
from contracts.departments.health import DeathCertified, DeathRetracted
from contracts.lifecycle import StepStatus
from departments.adapter import DepartmentAdapter
from departments.population import generate
from departments.simulators import build_simulators
from departments.world import Person, World
from saga.testing import Scenario
from services.afterlife import afterlife_reversal_saga, afterlife_saga, proactive_case_data
from services.afterlife.start import reversal_case_data
from tests.unit.departments.support import retract
from tests.unit.services.afterlife.support import family_applies, form, open_commands
from tests.unit.services.afterlife.test_proactive_path import GRACE

Simulators = dict[Department, DepartmentAdapter]


def _answer_all(scenario: Scenario, simulators: Simulators) -> Scenario:
    """Hand every open command to its department's simulator and deliver what it answers."""
    while pending := open_commands(scenario):
        for step in pending:
            command = scenario.latest(step)
            outcome = asyncio.run(simulators[Department(command.department)].handle(command))
            scenario.reply(
                step,
                outcome.outcome,
                reply=outcome.reply,
                reason_code=outcome.reason_code,
                reason=outcome.reason,
                data=outcome.data,
                command=command,
            )
    return scenario


def _deceased_with_an_heir(world: World) -> tuple[Person, Person]:
    """Someone certified dead, nothing done yet, insured with a balance, and an adult child."""
    for person in world.find_all(certified_dead=True, hukou_active=True, medically_insured=True):
        if world.medical[person.resident_id].account_balance_fen == 0:
            continue
        for kin in world.next_of_kin(person.resident_id):
            if world.relation(kin, person.resident_id) == "child":
                return person, world.people[kin]
    raise LookupError("no insured deceased with an adult child in this world")


def _certified(person: Person) -> DeathCertified:
    assert person.date_of_death is not None
    return DeathCertified(
        certificate_no=person.resident_id,
        deceased_id=person.resident_id,
        date_of_death=person.date_of_death,
        division_code=person.division,
        certified_at=datetime(2025, 3, 3, 8, 30, tzinfo=UTC),
    )


def _application(person: Person, child: Person) -> dict[str, Any]:
    assert person.date_of_death is not None
    return form(
        deceased_id=person.resident_id,
        date_of_death=person.date_of_death.isoformat(),
        death_certificate_no=person.resident_id,
        applicant={
            "resident_id": child.resident_id,
            "name": "张四",
            "relation": "child",
            "phone": "13812345678",
        },
    )


def test_the_enrolment_ends_without_the_family_and_the_account_is_paid_once_they_apply() -> None:
    world = generate(seed=7, people=600)
    simulators: Simulators = dict(build_simulators(world))
    person, child = _deceased_with_an_heir(world)
    insurance = world.medical[person.resident_id]
    balance = insurance.account_balance_fen
    scenario = Scenario(afterlife_saga(), data=proactive_case_data(_certified(person))).start()

    _answer_all(scenario, simulators)
    scenario.advance(GRACE)  # nobody applies in the grace period
    _answer_all(scenario, simulators)

    assert StepStatus.SUCCEEDED is scenario.step_status("end_medical_insurance")
    assert StepStatus.PENDING is scenario.step_status("pay_out_medical_account")
    assert not insurance.enrolled and insurance.terminated_from is not None
    assert (balance, 0) == (insurance.account_balance_fen, insurance.paid_out_fen)

    family_applies(scenario, _application(person, child))
    _answer_all(scenario, simulators)

    assert StepStatus.SUCCEEDED is scenario.step_status("pay_out_medical_account")
    assert scenario.state is not None
    assert {"account_paid_out_fen": balance} == scenario.state.results["pay_out_medical_account"]
    assert (0, balance) == (insurance.account_balance_fen, insurance.paid_out_fen)

    # The death is retracted: reinstating the enrolment takes the payout back.
    retract(world, person)
    done = [n for n, st in scenario.state.steps.items() if st.status is StepStatus.SUCCEEDED]
    retracted = DeathRetracted(
        certificate_no=person.resident_id,
        deceased_id=person.resident_id,
        reason="死亡医学证明填报错误，当事人健在",
        retracted_at=scenario.clock.now() + timedelta(days=1),
    )
    data = reversal_case_data(retracted, "case-1", done)
    reversal = Scenario(afterlife_reversal_saga(), case_id="case-1-R", data=data).start()
    _answer_all(reversal, simulators)

    assert StepStatus.SUCCEEDED is reversal.step_status("reinstate_medical_insurance")
    assert reversal.state is not None
    assert {"recovered_fen": balance} == reversal.state.results["reinstate_medical_insurance"]
    assert world.medical[person.resident_id].enrolled  # (re-read: mypy narrowed the old one)
    assert (balance, 0) == (insurance.account_balance_fen, insurance.paid_out_fen)
