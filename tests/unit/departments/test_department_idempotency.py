"""Every department applies a command once per command id, however often and however
concurrently it arrives, and answers every copy the same; its events are emitted once too."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date

import pytest
from pydantic import BaseModel

from contracts.departments import Department
from contracts.departments.banks import CheckBankDeposits
from contracts.departments.catalogue import spec_for
from contracts.departments.civil_affairs import RegisterMarriage
from contracts.departments.disabled_federation import CancelDisabilityCard
from contracts.departments.e_licence import PublishELicence
from contracts.departments.funeral_services import RecordCremation
from contracts.departments.health import IssueDeathCertificate
from contracts.departments.housing_fund import WithdrawHousingFund
from contracts.departments.market_regulation import CheckBusinessRegistrations
from contracts.departments.medical_insurance import TerminateMedicalInsurance
from contracts.departments.platform import ConfirmDeath
from contracts.departments.public_security import CancelHukou
from contracts.departments.real_estate import CheckRealEstate
from contracts.departments.social_security import StopPension
from contracts.departments.spec import HouseholdCheck
from contracts.departments.tax import CheckTaxedIncome
from contracts.identifiers import make_credit_code
from contracts.saga import ReplyOutcome
from departments.faults import FaultPlan, FaultyAdapter, Latency
from departments.simulators import SIMULATORS
from departments.world import World
from tests.unit.departments.support import command, died


def _dead(world: World, **criteria: object) -> tuple[str, date]:
    person = world.find(certified_dead=True, hukou_active=True, **criteria)
    return person.resident_id, died(person)


def _cancel_hukou(w: World) -> BaseModel:
    rid, day = _dead(w)
    return CancelHukou(resident_id=rid, date_of_death=day, death_certificate_no=rid)


def _register_marriage(w: World) -> BaseModel:
    man, woman = w.find(marriageable=True, sex="male"), w.find(marriageable=True, sex="female")
    return RegisterMarriage(
        party_ids=[man.resident_id, woman.resident_id], office_division="321302"
    )


def _record_cremation(w: World) -> BaseModel:
    rid, day = _dead(w, cremated=False)
    return RecordCremation(
        deceased_id=rid, death_certificate_no=rid, cremated_on=day, funeral_home_division="321302"
    )


def _stop_pension(w: World) -> BaseModel:
    rid, day = _dead(w, has_pension=True)
    return StopPension(resident_id=rid, date_of_death=day)


def _terminate_insurance(w: World) -> BaseModel:
    rid, day = _dead(w, medically_insured=True)
    return TerminateMedicalInsurance(resident_id=rid, date_of_death=day)


def _issue_certificate(w: World) -> BaseModel:
    person = w.find(alive=True, min_age=75)
    return IssueDeathCertificate(
        resident_id=person.resident_id,
        date_of_death=date(2025, 6, 29),
        issuer_credit_code=make_credit_code("12321302MB0000001"),
    )


def _withdraw_housing_fund(w: World) -> BaseModel:
    person = next(
        p
        for p in w.find_all(certified_dead=True, has_housing_fund=True)
        if w.next_of_kin(p.resident_id)
    )
    heir = w.next_of_kin(person.resident_id)[0]
    return WithdrawHousingFund(deceased_id=person.resident_id, heir_id=heir, heir_account_ref="H")


def _cancel_card(w: World) -> BaseModel:
    rid, day = _dead(w, has_disability_card=True)
    return CancelDisabilityCard(resident_id=rid, date_of_death=day)


def _publish_licence(w: World) -> BaseModel:
    marriage = next(iter(w.marriages.values()))
    return PublishELicence(
        licence_type="marriage_certificate",
        certificate_no=marriage.certificate_no,
        holder_ids=list(marriage.party_ids),
    )


def _check_household(source: type[HouseholdCheck]) -> Callable[[World], BaseModel]:
    def build(w: World) -> BaseModel:
        head = w.find(household_head=True, alive=True)
        return source(member_ids=w.households[head.household_id].member_ids, consent_signed=True)

    return build


def _confirm_death(w: World) -> BaseModel:
    rid, day = _dead(w)
    return ConfirmDeath(
        deceased_id=rid, date_of_death=day, death_certificate_no=rid, division_code="321302"
    )


CASES: dict[Department, Callable[[World], BaseModel]] = {
    Department.PUBLIC_SECURITY: _cancel_hukou,
    Department.CIVIL_AFFAIRS: _register_marriage,
    Department.FUNERAL_SERVICES: _record_cremation,
    Department.SOCIAL_SECURITY: _stop_pension,
    Department.MEDICAL_INSURANCE: _terminate_insurance,
    Department.HEALTH: _issue_certificate,
    Department.HOUSING_FUND: _withdraw_housing_fund,
    Department.DISABLED_FEDERATION: _cancel_card,
    Department.E_LICENCE: _publish_licence,
    Department.TAX: _check_household(CheckTaxedIncome),
    Department.REAL_ESTATE: _check_household(CheckRealEstate),
    Department.MARKET_REGULATION: _check_household(CheckBusinessRegistrations),
    Department.BANKS: _check_household(CheckBankDeposits),
    Department.PLATFORM: _confirm_death,
}


def test_every_department_has_a_case() -> None:
    assert set(Department) == set(CASES)


@pytest.mark.parametrize("department", list(Department))
async def test_a_repeated_command_applies_once_and_answers_the_same(
    department: Department, world: World
) -> None:
    simulator = SIMULATORS[department](world)
    repeated = command(department, CASES[department](world), command_id=f"{department}:1")

    answers = [await simulator.handle(repeated) for _ in range(3)]

    assert ReplyOutcome.SUCCEEDED == answers[0].outcome
    assert answers[0] == answers[1] == answers[2]
    assert 1 == simulator.effects[repeated.command_id]
    assert len(simulator.drain()) <= 1


@pytest.mark.parametrize("department", list(Department))
async def test_concurrent_duplicates_apply_once(department: Department, world: World) -> None:
    simulator = SIMULATORS[department](world)
    # A latency that really yields to the event loop lets the duplicates interleave.
    slow = FaultyAdapter(
        simulator,
        FaultPlan(latency=Latency(kind="fixed", seconds=0.01)),
        sleep=lambda _: asyncio.sleep(0),
    )
    duplicate = command(department, CASES[department](world), command_id=f"{department}:2")

    answers = await asyncio.gather(*(slow.handle(duplicate) for _ in range(10)))

    assert 1 == len({repr(a) for a in answers})
    assert 1 == simulator.effects[duplicate.command_id]


@pytest.mark.parametrize("department", list(Department))
async def test_a_success_carries_the_data_its_contract_declares(
    department: Department, world: World
) -> None:
    simulator = SIMULATORS[department](world)
    payload = CASES[department](world)

    outcome = await simulator.handle(command(department, payload))

    spec = spec_for(department, type(payload).__name__)
    assert outcome.reply in spec.succeeded
    spec.result.model_validate(outcome.data)
