"""Medical insurance's contract against its simulator."""

from __future__ import annotations

from contracts.departments.medical_insurance import (
    ReferMedicalAssistance,
    ReinstateMedicalInsurance,
    TerminateMedicalInsurance,
)
from departments.simulators.medical_insurance import MedicalInsuranceSimulator
from departments.world import World
from tests.unit.departments.support import STRANGER_ID, answer, died, retract


def test_termination_pays_the_account_to_the_heir_once(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = world.find(certified_dead=True, hukou_active=True, medically_insured=True)
    balance = world.medical[deceased.resident_id].account_balance_fen
    ended = TerminateMedicalInsurance(
        resident_id=deceased.resident_id, date_of_death=died(deceased), heir_account_ref="HEIR-1"
    )

    terminated = answer(insurer, ended)
    again = answer(insurer, ended)

    assert balance == terminated.data["account_paid_out_fen"]
    assert "already_terminated" == again.reason_code


def test_a_reinstatement_recovers_the_payout(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)
    deceased = world.find(certified_dead=True, hukou_active=True, medically_insured=True)
    paid = answer(
        insurer,
        TerminateMedicalInsurance(
            resident_id=deceased.resident_id, date_of_death=died(deceased), heir_account_ref="H"
        ),
    )
    retract(world, deceased)

    reinstated = answer(
        insurer, ReinstateMedicalInsurance(resident_id=deceased.resident_id, reason="误报")
    )

    assert paid.data["account_paid_out_fen"] == reinstated.data["recovered_fen"]
    assert world.medical[deceased.resident_id].enrolled


def test_medical_assistance_needs_an_enrolment(world: World) -> None:
    insurer = MedicalInsuranceSimulator(world)

    assert (
        "not_enrolled"
        == answer(insurer, ReferMedicalAssistance(resident_id=STRANGER_ID)).reason_code
    )
