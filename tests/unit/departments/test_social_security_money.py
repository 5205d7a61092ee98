"""After-death money at social security, to the fen: the overpayment, survivor benefits net of it,
benefits for a contributor who had not retired, and a retracted death that recovers what the heir
was paid and gives the living person every month back. One pensioner throughout: 300 000 fen a
month, paid up to June 2025, 1 200 000 in the personal account, died on 14 March 2025."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from contracts.departments.social_security import (
    GrantSurvivorBenefits,
    RecoverSurvivorBenefits,
    ResumePension,
    StopPension,
)
from departments.adapter import Outcome
from departments.simulators.social_security import SocialSecuritySimulator
from departments.world import CHINA, Pension, Person, World
from tests.unit.departments.support import STRANGER_ID, answer, retract

MONTHLY, BALANCE, DIED = 300_000, 1_200_000, date(2025, 3, 14)
# The death is retracted in August: July and August were never paid.
AUGUST = datetime(2025, 8, 15, 12, tzinfo=CHINA)


@pytest.fixture
def pensions(world: World) -> SocialSecuritySimulator:
    return SocialSecuritySimulator(world, clock=lambda: AUGUST)


@pytest.fixture
def pensioner(world: World) -> Person:
    person = world.find(
        certified_dead=True, hukou_active=True, has_pension=True, has_living_spouse=True
    )
    person.date_of_death = world.death_certificates[person.resident_id].date_of_death = DIED
    pension = world.pensions[person.resident_id]
    pension.monthly_fen, pension.account_balance_fen = MONTHLY, BALANCE
    pension.last_paid_month = date(2025, 6, 1)
    return person


def stop(pensions: SocialSecuritySimulator, person: Person) -> Outcome:
    return answer(pensions, StopPension(resident_id=person.resident_id, date_of_death=DIED))


def grant(
    pensions: SocialSecuritySimulator, person: Person, world: World, overpayment_fen: int
) -> Outcome:
    return answer(
        pensions,
        GrantSurvivorBenefits(
            deceased_id=person.resident_id,
            # Social security pays the account the platform vouched for; any heir will do here.
            heir_id=(world.next_of_kin(person.resident_id) or [STRANGER_ID])[0],
            heir_account_ref="HEIR-1",
            overpayment_fen=overpayment_fen,
        ),
    )


def reverse(pensions: SocialSecuritySimulator, person: Person) -> tuple[Outcome, Outcome]:
    """The retraction, then both corrections: (survivor benefits recovered, pension resumed)."""
    retract(pensions.world, person)
    recovered = answer(
        pensions, RecoverSurvivorBenefits(deceased_id=person.resident_id, reason="误报")
    )
    resumed = answer(pensions, ResumePension(resident_id=person.resident_id, reason="误报"))
    return recovered, resumed


def test_the_overpayment_is_the_pension_paid_for_april_to_june(
    pensions: SocialSecuritySimulator, pensioner: Person
) -> None:
    assert {
        "stopped_from": "2025-04",
        "last_paid_month": "2025-06",
        "overpaid_months": 3,
        "overpayment_fen": 900_000,
    } == stop(pensions, pensioner).data


def test_survivor_benefits_are_paid_net_of_the_overpayment(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    stop(pensions, pensioner)

    granted = grant(pensions, pensioner, world, 900_000)

    assert {
        "funeral_grant_fen": 600_000,  # 2 months
        "survivor_pension_fen": 3_000_000,  # 10 months
        "account_balance_fen": 1_200_000,
        "overpayment_offset_fen": 900_000,
        "net_payable_fen": 3_900_000,
    } == granted.data
    assert 0 == world.pensions[pensioner.resident_id].overpayment_due_fen


def test_survivor_benefits_refuse_an_overpayment_other_than_the_one_on_record(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    stop(pensions, pensioner)

    refused = grant(pensions, pensioner, world, 0)

    assert ("SurvivorBenefitsRefused", "overpayment_mismatch") == (
        refused.reply,
        refused.reason_code,
    )
    assert "多发养老金金额与停发核算不一致" == refused.reason
    assert 0 == world.pensions[pensioner.resident_id].funeral_grant_paid_fen


def test_a_reversal_recovers_what_the_heir_was_paid_and_pays_every_month_with_the_netted_part(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    stop(pensions, pensioner)
    grant(pensions, pensioner, world, 900_000)

    recovered, resumed = reverse(pensions, pensioner)

    pension = world.pensions[pensioner.resident_id]
    assert {"recovered_fen": 3_900_000} == recovered.data  # the family ends with 0
    assert {
        "resumed_from": "2025-04",
        "arrears_months": 2,  # July and August
        "arrears_fen": 1_500_000,  # 2 × 300 000 + the 900 000 netted off the account
        "overpayment_refunded_fen": 900_000,
        "overpayment_cancelled_fen": 0,
    } == resumed.data
    assert 300_000 == pension.account_balance_fen  # the 1 200 000 less the refunded 900 000
    # April to August (5 × 300 000) and the whole balance, as if the death had never been reported:
    # paid for April-June before the stop, the arrears, and what is in the account.
    assert (
        5 * MONTHLY + BALANCE == 900_000 + resumed.data["arrears_fen"] + pension.account_balance_fen
    )


def test_an_overpayment_larger_than_the_balance_is_netted_off_the_grants_for_the_rest(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    pension = world.pensions[pensioner.resident_id]
    pension.account_balance_fen = 500_000
    stop(pensions, pensioner)

    granted = grant(pensions, pensioner, world, 900_000)
    recovered, resumed = reverse(pensions, pensioner)

    # 500 000 from the account, 400 000 from the grants: 600 000 + 3 000 000 + 500 000 − 900 000.
    assert (900_000, 3_200_000) == (
        granted.data["overpayment_offset_fen"],
        granted.data["net_payable_fen"],
    )
    assert 3_200_000 == recovered.data["recovered_fen"]
    # Only what came out of the person's own account is theirs again; the part netted off the
    # grants was the fund's own money both ways.
    assert (500_000, 1_100_000) == (
        resumed.data["overpayment_refunded_fen"],
        resumed.data["arrears_fen"],
    )
    assert 0 == pension.account_balance_fen
    assert (
        5 * MONTHLY + 500_000 == 900_000 + resumed.data["arrears_fen"] + pension.account_balance_fen
    )


def test_an_overpayment_never_netted_is_cancelled_and_the_balance_is_untouched(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    stop(pensions, pensioner)  # the family never applied for survivor benefits

    _, resumed = reverse(pensions, pensioner)

    assert (600_000, 0, 900_000) == (
        resumed.data["arrears_fen"],
        resumed.data["overpayment_refunded_fen"],
        resumed.data["overpayment_cancelled_fen"],
    )
    assert BALANCE == world.pensions[pensioner.resident_id].account_balance_fen


def test_an_insured_contributor_who_had_not_retired_has_a_funeral_grant_and_survivor_pension(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    person = world.find(
        certified_dead=True, hukou_active=True, has_pension=False, pension_insured=True
    )
    insurance = world.pension_insurance[person.resident_id]
    insurance.contribution_base_fen, insurance.account_balance_fen = 600_000, 2_000_000
    assert person.date_of_death is not None

    stopped = answer(
        pensions, StopPension(resident_id=person.resident_id, date_of_death=person.date_of_death)
    )
    granted = grant(pensions, person, world, 0)
    again = grant(pensions, person, world, 0)
    recovered, _ = reverse(pensions, person)

    assert "no_pension" == stopped.reason_code  # nothing to stop, but benefits are due
    assert {
        "funeral_grant_fen": 1_200_000,  # 2 × the 600 000 contribution base
        "survivor_pension_fen": 6_000_000,  # 10 ×
        "account_balance_fen": 2_000_000,
        "overpayment_offset_fen": 0,
        "net_payable_fen": 9_200_000,
    } == granted.data
    assert "funeral_grant_already_paid" == again.reason_code
    assert {"recovered_fen": 9_200_000} == recovered.data
    assert 2_000_000 == insurance.account_balance_fen


def test_someone_never_insured_has_no_survivor_benefits(
    pensions: SocialSecuritySimulator, world: World
) -> None:
    person = world.find(certified_dead=True, hukou_active=True, pension_insured=False)

    refused = grant(pensions, person, world, 0)

    assert ("SurvivorBenefitsRefused", "not_insured") == (refused.reply, refused.reason_code)
    assert "未参加基本养老保险" == refused.reason


def test_a_pension_is_not_stopped_for_a_death_no_valid_certificate_records(
    pensions: SocialSecuritySimulator, pensioner: Person, world: World
) -> None:
    living = world.find(alive=True, hukou_active=True, has_pension=True)
    world.death_certificates[pensioner.resident_id].retracted = True

    for person in (living, pensioner):
        refused = stop(pensions, person)

        assert ("PensionStopRefused", "death_not_certified") == (
            refused.reply,
            refused.reason_code,
        )
        assert "无有效的死亡医学证明" == refused.reason
        pension: Pension = world.pensions[person.resident_id]
        assert (None, 0) == (pension.stopped_from, pension.overpayment_due_fen)
