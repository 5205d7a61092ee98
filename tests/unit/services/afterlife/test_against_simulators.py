"""Cases answered by the department simulators over a synthetic world. The medical-insurance
branch of a proactive case: the enrolment ends without the family and the account stays
untouched; the family applies and the balance is paid to the heir once; a retracted death takes
it back. The money at social security, to the fen: a pensioner who died mid-month with pension
paid on (the benefits net of it), a contributor who had not retired, and a retraction after the
survivor benefits were paid (the family gives back what it had, the person gets every month). A
pension stopped while the death was being retracted is resumed, the ID card reissued, the
revocation published and the person told; a refused case gets its refusal notice."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from contracts.departments import Department
from contracts.departments.health import DeathCertified, DeathRetracted
from contracts.departments.platform import DeathConfirmationRevoked
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import ReverseCase
from departments.adapter import DepartmentAdapter
from departments.population import generate
from departments.simulators import build_simulators
from departments.world import CHINA, Person, World
from saga.testing import Scenario
from services.afterlife import afterlife_reversal_saga, afterlife_saga, proactive_case_data
from services.afterlife.start import reversal_case_data
from services.afterlife.triggers import react
from tests.support.simulated import answer_from
from tests.unit.departments.support import retract
from tests.unit.services.afterlife.support import WINDOW, family_applies, form, open_commands
from tests.unit.services.afterlife.test_proactive_path import GRACE

Simulators = dict[Department, DepartmentAdapter]


def _answer_all(scenario: Scenario, simulators: Simulators) -> Scenario:
    """Hand every open command to its department's simulator and deliver what it answers."""
    while pending := open_commands(scenario):
        for step in pending:
            _answer_one(scenario, simulators, step)
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


class _Clock:
    """The departments' clock, moved on by the test (the reversal comes in August)."""

    def __init__(self, world: World) -> None:
        self.moment = world.now()

    def __call__(self) -> datetime:
        return self.moment


def _with_a_child(world: World, **criteria: object) -> tuple[Person, Person]:
    for person in world.find_all(certified_dead=True, hukou_active=True, **criteria):
        for kin in world.next_of_kin(person.resident_id):
            if world.relation(kin, person.resident_id) == "child":
                return person, world.people[kin]
    raise LookupError(f"no deceased with an adult child matches {criteria}")


def _family_case(world: World, person: Person, child: Person) -> Scenario:
    data = _application(person, child) | {"channel": "window", "window_id": WINDOW.window_id}
    return Scenario(afterlife_saga(), data=data, division_code=person.division).start()


def _results(scenario: Scenario) -> dict[str, Any]:
    assert scenario.state is not None
    return {name: dict(data) for name, data in scenario.state.results.items()}


def _reversal_of(scenario: Scenario, world: World, person: Person) -> Scenario:
    retract(world, person)
    assert scenario.state is not None
    done = [n for n, st in scenario.state.steps.items() if st.status is StepStatus.SUCCEEDED]
    retracted = DeathRetracted(
        certificate_no=person.resident_id,
        deceased_id=person.resident_id,
        reason="死亡医学证明填报错误，当事人健在",
        retracted_at=datetime(2025, 8, 15, 2, 0, tzinfo=UTC),
    )
    data = reversal_case_data(retracted, scenario.case_id, done)
    return Scenario(afterlife_reversal_saga(), case_id=f"{scenario.case_id}-R", data=data).start()


def _pensioner_who_died_on_14_march(world: World) -> tuple[Person, Person]:
    """300 000 fen a month, paid up to June, 1 200 000 in the personal account."""
    person, child = _with_a_child(world, pension_overpaid=True)
    person.date_of_death = world.death_certificates[person.resident_id].date_of_death = date(
        2025, 3, 14
    )
    pension = world.pensions[person.resident_id]
    pension.monthly_fen, pension.account_balance_fen = 300_000, 1_200_000
    pension.last_paid_month = date(2025, 6, 1)
    return person, child


def _run(world: World) -> tuple[Simulators, Callable[[datetime], None]]:
    clock = _Clock(world)

    def move(moment: datetime) -> None:
        clock.moment = moment

    return dict(build_simulators(world, clock)), move


def test_a_pensioner_who_died_mid_month_has_survivor_benefits_net_of_the_pension_paid_on() -> None:
    world = generate(seed=7, people=600)
    simulators, _ = _run(world)
    person, child = _pensioner_who_died_on_14_march(world)

    scenario = _answer_all(_family_case(world, person, child), simulators)

    results = _results(scenario)
    assert {
        "stopped_from": "2025-04",
        "last_paid_month": "2025-06",
        "overpaid_months": 3,
        "overpayment_fen": 900_000,
    } == results["stop_pension"]
    assert 900_000 == scenario.latest("survivor_benefits").payload["overpayment_fen"]
    assert {
        "funeral_grant_fen": 600_000,
        "survivor_pension_fen": 3_000_000,
        "account_balance_fen": 1_200_000,
        "overpayment_offset_fen": 900_000,
        "net_payable_fen": 3_900_000,
    } == results["survivor_benefits"]
    assert 0 == world.pensions[person.resident_id].overpayment_due_fen


def test_a_contributor_who_had_not_retired_has_the_funeral_grant_and_survivor_pension() -> None:
    world = generate(seed=7, people=600)
    simulators, _ = _run(world)
    person, child = _with_a_child(world, has_pension=False, pension_insured=True)
    insurance = world.pension_insurance[person.resident_id]
    insurance.contribution_base_fen, insurance.account_balance_fen = 600_000, 2_000_000

    scenario = _answer_all(_family_case(world, person, child), simulators)

    assert StepStatus.SKIPPED is scenario.step_status("stop_pension")  # no pension to stop
    assert StepStatus.SUCCEEDED is scenario.step_status("survivor_benefits")
    assert 0 == scenario.latest("survivor_benefits").payload["overpayment_fen"]
    assert {
        "funeral_grant_fen": 1_200_000,
        "survivor_pension_fen": 6_000_000,
        "account_balance_fen": 2_000_000,
        "overpayment_offset_fen": 0,
        "net_payable_fen": 9_200_000,
    } == _results(scenario)["survivor_benefits"]


def test_a_retraction_after_the_benefits_were_paid_leaves_family_and_person_with_the_right_sums() -> (
    None
):
    world = generate(seed=7, people=600)
    simulators, move = _run(world)
    person, child = _pensioner_who_died_on_14_march(world)
    case = _answer_all(_family_case(world, person, child), simulators)
    assert StepStatus.SUCCEEDED is case.step_status("survivor_benefits")

    move(datetime(2025, 8, 15, 10, tzinfo=CHINA))  # retracted in August: July, August unpaid
    reversal = _answer_all(_reversal_of(case, world, person), simulators)

    results = _results(reversal)
    pension = world.pensions[person.resident_id]
    paid_to_heir = _results(case)["survivor_benefits"]["net_payable_fen"]
    assert {"recovered_fen": 3_900_000} == results["recover_survivor_benefits"]
    assert 0 == paid_to_heir - results["recover_survivor_benefits"]["recovered_fen"]
    assert {
        "resumed_from": "2025-04",
        "arrears_months": 2,
        "arrears_fen": 1_500_000,  # July and August, and the 900 000 netted off the account
        "overpayment_refunded_fen": 900_000,
        "overpayment_cancelled_fen": 0,
    } == results["resume_pension"]
    # The person: April-June paid before the stop (900 000), the arrears, and the account —
    # five months of pension and the whole balance, as if the death had never been reported.
    assert 300_000 == pension.account_balance_fen
    assert 5 * 300_000 + 1_200_000 == 900_000 + 1_500_000 + pension.account_balance_fen
    assert (None, 0) == (pension.stopped_from, pension.funeral_grant_paid_fen)


def _pensioner_with_a_child(world: World) -> tuple[Person, Person]:
    """Someone certified dead, nothing done yet, drawing a pension, with an adult child."""
    for person in world.find_all(certified_dead=True, hukou_active=True, has_pension=True):
        for kin in world.next_of_kin(person.resident_id):
            if world.relation(kin, person.resident_id) == "child":
                return person, world.people[kin]
    raise LookupError("no pensioner with an adult child in this world")


def test_a_pension_stopped_while_the_death_was_retracted_is_resumed_and_the_person_told() -> None:
    world = generate(seed=7, people=600)
    simulators: Simulators = dict(build_simulators(world))
    person, child = _pensioner_with_a_child(world)
    data = _application(person, child) | {"channel": "window", "window_id": "w-1"}
    original = Scenario(afterlife_saga(), data=data).start()
    # Every department answers but social security, whose stop is on its way.
    while pending := [s for s in open_commands(original) if s != "stop_pension"]:
        for step in pending:
            _answer_one(original, simulators, step)
    stop = original.latest("stop_pension")
    stopped = asyncio.run(simulators[Department.SOCIAL_SECURITY].handle(stop))
    simulators[Department.PLATFORM].drain()  # type: ignore[attr-defined]

    # The death is retracted before the stop's reply arrives.
    retract(world, person)
    retracted = DeathRetracted(
        certificate_no=person.resident_id,
        deceased_id=person.resident_id,
        reason="死亡医学证明填报错误，当事人健在",
        retracted_at=original.clock.now(),
    )
    [(_, _, reverse)] = react(retracted)
    assert isinstance(reverse, ReverseCase)
    update = {"case_id": "case-1", "reversal_case_id": "case-1-R"}
    [start] = original.deliver(reverse.model_copy(update=update)).starts
    reversal = Scenario(afterlife_reversal_saga(), case_id="case-1-R")
    reversal.deliver(start)
    _answer_all(reversal, simulators)
    assert StepStatus.WAITING_REVERSED_CASE is reversal.step_status("resume_pension")

    original.reply("stop_pension", stopped.outcome, reply=stopped.reply, data=stopped.data)
    assert original.last is not None
    [told] = original.last.forwards
    reversal.deliver(told)
    _answer_all(reversal, simulators)

    assert CaseStatus.COMPLETED is reversal.status, reversal.state
    assert world.pensions[person.resident_id].stopped_from is None  # resumed
    assert person.hukou_active and person.id_card_valid  # restored, with a new card
    assert StepStatus.SUCCEEDED is reversal.step_status("reissue_id_card")
    platform = simulators[Department.PLATFORM]
    [revoked] = [e.message for e in platform.drain()]  # type: ignore[attr-defined]
    assert isinstance(revoked, DeathConfirmationRevoked)
    assert (person.resident_id, "case-1-R") == (revoked.deceased_id, revoked.case_id)
    notice = platform.notices[-1]  # type: ignore[attr-defined]
    assert ("correction:afterlife", "case-1-R", 2) == (
        notice.kind,
        notice.case_id,
        notice.recipients,  # the person and the child who applied
    )
    assert "恢复发放养老金: done" in notice.items


def _answer_one(scenario: Scenario, simulators: Simulators, step: str) -> None:
    answer_from(scenario, simulators, step)


def test_a_case_refused_before_the_pivot_sends_its_refusal_notice_through_the_platform() -> None:
    world = generate(seed=7, people=600)
    simulators: Simulators = dict(build_simulators(world))
    person, child = _pensioner_with_a_child(world)
    data = _application(person, child) | {"channel": "window", "window_id": "w-1"}
    retract(world, person)  # no record confirms the death any more
    scenario = Scenario(afterlife_saga(), data=data).start()

    while undoing := [
        n for n, st in (scenario.state.steps.items() if scenario.state else ())
        if st.status in (StepStatus.DISPATCHED, StepStatus.COMPENSATING)
    ]:  # fmt: skip
        for step in undoing:
            _answer_one(scenario, simulators, step)

    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("refusal_notice")
    notice = simulators[Department.PLATFORM].notices[-1]  # type: ignore[attr-defined]
    assert ("not_approved:afterlife", ("死亡信息核验: 死亡记录已撤销",)) == (
        notice.kind,
        notice.items,
    )
