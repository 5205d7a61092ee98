"""Medical insurance's contract against its simulator: the enrolment ends without touching the
account, the account is paid out once and only after that, and a reinstatement takes it back."""

from __future__ import annotations

from contracts.departments.medical_insurance import (
    PayOutMedicalAccount,
    ReferMedicalAssistance,
    ReinstateMedicalInsurance,
    TerminateMedicalInsurance,
)
from contracts.saga import ReplyOutcome
from departments.simulators.medical_insurance import MedicalInsuranceSimulator
from departments.world import Person, World
from tests.unit.departments.support import STRANGER_ID, answer, died, retract


def _insured_dead_with_a_balance(world: World) -> Person:
    return next(
        p
        for p in world.find_all(certified_dead=True, hukou_active=True, medically_insured=True)
        if world.medical[p.resident_id].account_balance_fen > 0
    )


def _terminate(insurer: MedicalInsuranceSimulator, person: Person) -> None:
    ended = answer(
        insurer,
        TerminateMedicalInsurance(resident_id=person.resident_id, date_of_death=died(person)),
    )
    assert ReplyOutcome.SUCCEEDED == ended.outcome


def _pay_out(person: Person) -> PayOutMedicalAccount:
    return PayOutMedicalAccount(resident_id=person.resident_id, heir_account_ref="HEIR-1")


def test_termination_ends_the_enrolment_from_the_next_month_and_pays_nothing(
    world: World,
) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    insurance = world.medical[deceased.resident_id]
    balance = insurance.account_balance_fen
    ended = TerminateMedicalInsurance(
        resident_id=deceased.resident_id, date_of_death=died(deceased)
    )

    terminated = answer(insurer, ended)
    again = answer(insurer, ended)

    day = died(deceased)
    next_month = f"{day.year + day.month // 12:04d}-{day.month % 12 + 1:02d}"
    assert {"terminated_from": next_month} == terminated.data
    assert "already_terminated" == again.reason_code
    assert not insurance.enrolled
    assert (balance, 0, False) == (
        insurance.account_balance_fen,
        insurance.paid_out_fen,
        insurance.paid_out,
    )


def test_the_account_is_paid_to_the_heir_once(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    insurance = world.medical[deceased.resident_id]
    balance = insurance.account_balance_fen
    _terminate(insurer, deceased)

    paid = answer(insurer, _pay_out(deceased))
    again = answer(insurer, _pay_out(deceased))  # a new command id: a second payout

    assert (ReplyOutcome.SUCCEEDED, balance) == (paid.outcome, paid.data["account_paid_out_fen"])
    assert (ReplyOutcome.REFUSED, "already_paid_out") == (again.outcome, again.reason_code)
    assert (0, balance) == (insurance.account_balance_fen, insurance.paid_out_fen)


def test_the_same_payout_command_repeated_is_answered_from_memory(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    balance = world.medical[deceased.resident_id].account_balance_fen
    _terminate(insurer, deceased)

    first = answer(insurer, _pay_out(deceased), command_id="case-1:pay_out:1")
    repeat = answer(insurer, _pay_out(deceased), command_id="case-1:pay_out:1")

    assert first == repeat
    assert balance == repeat.data["account_paid_out_fen"]
    assert 1 == insurer.effects["case-1:pay_out:1"]


def test_no_payout_while_the_enrolment_runs(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    insurance = world.medical[deceased.resident_id]
    balance = insurance.account_balance_fen

    refused = answer(insurer, _pay_out(deceased))

    assert (ReplyOutcome.REFUSED, "not_terminated") == (refused.outcome, refused.reason_code)
    assert (balance, 0, True) == (
        insurance.account_balance_fen,
        insurance.paid_out_fen,
        insurance.enrolled,
    )


def test_no_payout_without_an_enrolment(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    stranger = PayOutMedicalAccount(resident_id=STRANGER_ID, heir_account_ref="HEIR-1")

    assert "not_enrolled" == answer(insurer, stranger).reason_code


def test_a_death_the_insurer_already_processed_is_not_paid_out_again(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    processed = next(
        p
        for p in world.find_all(certified_dead=True, hukou_active=False)
        if p.resident_id in world.medical
    )

    refused = answer(insurer, _pay_out(processed))

    assert "already_paid_out" == refused.reason_code


def test_a_reinstatement_recovers_the_payout(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    insurance = world.medical[deceased.resident_id]
    balance = insurance.account_balance_fen
    _terminate(insurer, deceased)
    paid = answer(insurer, _pay_out(deceased))
    retract(world, deceased)

    reinstated = answer(
        insurer, ReinstateMedicalInsurance(resident_id=deceased.resident_id, reason="误报")
    )

    assert balance == paid.data["account_paid_out_fen"] == reinstated.data["recovered_fen"]
    assert insurance.enrolled and insurance.terminated_from is None
    assert (balance, 0, False) == (
        insurance.account_balance_fen,
        insurance.paid_out_fen,
        insurance.paid_out,
    )


def test_a_reinstatement_without_a_payout_recovers_nothing(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = _insured_dead_with_a_balance(world)
    balance = world.medical[deceased.resident_id].account_balance_fen
    _terminate(insurer, deceased)
    retract(world, deceased)

    reinstated = answer(
        insurer, ReinstateMedicalInsurance(resident_id=deceased.resident_id, reason="误报")
    )

    assert 0 == reinstated.data["recovered_fen"]
    assert balance == world.medical[deceased.resident_id].account_balance_fen


def test_medical_assistance_needs_an_enrolment(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)

    assert (
        "not_enrolled"
        == answer(insurer, ReferMedicalAssistance(resident_id=STRANGER_ID)).reason_code
    )
