"""Social security's contract against its simulator."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.departments.social_security import (
    GrantSurvivorBenefits,
    RecoverSurvivorBenefits,
    RegisterEmploymentDifficulty,
    ResumePension,
    StopPension,
)
from departments.simulators.social_security import SocialSecuritySimulator
from departments.world import Person, World
from tests.unit.departments.support import answer, died, retract


@pytest.fixture
def pensions(world: World) -> SocialSecuritySimulator:
    return SocialSecuritySimulator(world)


def test_the_overpayment_counts_months_paid_after_the_month_of_death(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, has_pension=True)
    deceased.date_of_death = date(2025, 3, 14)
    pension = world.pensions[deceased.resident_id]
    pension.last_paid_month = date(2025, 6, 1)

    outcome = answer(
        pensions, StopPension(resident_id=deceased.resident_id, date_of_death=date(2025, 3, 14))
    )

    assert {
        "stopped_from": "2025-04",
        "last_paid_month": "2025-06",
        "overpaid_months": 3,
        "overpayment_fen": 3 * pension.monthly_fen,
    } == outcome.data


def test_no_overpayment_when_payment_ended_with_the_month_of_death(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, hukou_active=True, has_pension=True)
    world.pensions[deceased.resident_id].last_paid_month = date(2025, 3, 1)

    outcome = answer(
        pensions, StopPension(resident_id=deceased.resident_id, date_of_death=date(2025, 3, 31))
    )

    assert (0, 0) == (outcome.data["overpaid_months"], outcome.data["overpayment_fen"])


def benefits(deceased: Person, world: World, overpayment_fen: int = 0) -> GrantSurvivorBenefits:
    heir = world.next_of_kin(deceased.resident_id)[0]
    return GrantSurvivorBenefits(
        deceased_id=deceased.resident_id,
        heir_id=heir,
        heir_account_ref="HEIR-1",
        overpayment_fen=overpayment_fen,
    )


def test_survivor_benefits_are_net_of_the_overpayment_and_paid_once(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    deceased = world.find(
        certified_dead=True, hukou_active=True, pension_overpaid=True, has_living_spouse=True
    )
    early = answer(pensions, benefits(deceased, world))
    stopped = answer(
        pensions, StopPension(resident_id=deceased.resident_id, date_of_death=died(deceased))
    )

    overpayment = stopped.data["overpayment_fen"]
    granted = answer(pensions, benefits(deceased, world, overpayment))
    second = answer(pensions, benefits(deceased, world, overpayment))

    data = granted.data
    gross = data["funeral_grant_fen"] + data["survivor_pension_fen"] + data["account_balance_fen"]
    assert "pension_not_stopped" == early.reason_code
    assert stopped.data["overpayment_fen"] == data["overpayment_offset_fen"]
    assert gross - data["overpayment_offset_fen"] == data["net_payable_fen"]
    assert ("SurvivorBenefitsRefused", "funeral_grant_already_paid") == (
        second.reply,
        second.reason_code,
    )
    assert "丧葬补助金已领取，只能领取一次" == second.reason


def test_a_person_without_a_pension_is_refused(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    deceased = world.find(certified_dead=True, has_pension=False)

    outcome = answer(
        pensions, StopPension(resident_id=deceased.resident_id, date_of_death=died(deceased))
    )

    assert "no_pension" == outcome.reason_code


def test_a_retracted_death_resumes_the_pension_with_arrears_and_recovers_benefits(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    deceased = world.find(
        certified_dead=True, hukou_active=True, has_pension=True, has_living_spouse=True
    )
    pension = world.pensions[deceased.resident_id]
    stopped = answer(
        pensions, StopPension(resident_id=deceased.resident_id, date_of_death=died(deceased))
    )
    paid = answer(pensions, benefits(deceased, world, stopped.data["overpayment_fen"]))
    premature = answer(pensions, ResumePension(resident_id=deceased.resident_id, reason="误报"))
    retract(world, deceased)
    last_paid = pension.last_paid_month

    resumed = answer(pensions, ResumePension(resident_id=deceased.resident_id, reason="误报"))
    recovered = answer(
        pensions, RecoverSurvivorBenefits(deceased_id=deceased.resident_id, reason="误报")
    )
    nothing = answer(
        pensions, RecoverSurvivorBenefits(deceased_id=deceased.resident_id, reason="误报")
    )

    unpaid_months = (2025 - last_paid.year) * 12 + 6 - last_paid.month
    refunded = resumed.data["overpayment_refunded_fen"]
    assert "death_still_certified" == premature.reason_code
    assert unpaid_months * pension.monthly_fen + refunded == resumed.data["arrears_fen"]
    assert pension.stopped_from is None
    assert paid.data["net_payable_fen"] == recovered.data["recovered_fen"]
    assert "nothing_to_recover" == nothing.reason_code


def test_employment_difficulty_is_for_working_age(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    adult = world.find(alive=True, min_age=30, max_age=50)
    elder = world.find(alive=True, min_age=70)

    assert (
        "EmploymentDifficultyRegistered"
        == answer(pensions, RegisterEmploymentDifficulty(resident_id=adult.resident_id)).reply
    )
    assert (
        "not_working_age"
        == answer(pensions, RegisterEmploymentDifficulty(resident_id=elder.resident_id)).reason_code
    )
