"""Medical insurance simulated: enrolment ended after death, account paid out once, reinstated.

The enrolment ends from the month after death. With an heir's account registered the whole
personal-account balance is paid to it; without one the balance stays for a later claim. A
retracted death reinstates the enrolment and takes the payout back into the account.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import medical_insurance as contract
from contracts.departments.medical_insurance import (
    MedicalAssistanceReferred,
    MedicalInsuranceReinstated,
    MedicalInsuranceTerminated,
    ReferMedicalAssistance,
    ReinstateMedicalInsurance,
    TerminateMedicalInsurance,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Handler, Refusal, Simulator, month_text

__all__ = ["MedicalInsuranceSimulator"]


class MedicalInsuranceSimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def routes(self) -> Mapping[str, Handler]:
        return {
            "TerminateMedicalInsurance": self.terminate,
            "ReinstateMedicalInsurance": self.reinstate,
            "ReferMedicalAssistance": self.refer,
        }

    def terminate(
        self, p: TerminateMedicalInsurance, _: DepartmentCommand
    ) -> MedicalInsuranceTerminated | Refusal:
        insurance = self.world.medical.get(p.resident_id)
        if insurance is None:
            return Refusal("not_enrolled")
        if not insurance.enrolled:
            return Refusal("already_terminated")
        terminated_from = self.month_after(p.date_of_death)
        insurance.enrolled, insurance.terminated_from = False, terminated_from
        paid = insurance.account_balance_fen if p.heir_account_ref else 0
        insurance.paid_out_fen += paid
        insurance.account_balance_fen -= paid
        return MedicalInsuranceTerminated(
            terminated_from=month_text(terminated_from), account_paid_out_fen=paid
        )

    def reinstate(
        self, p: ReinstateMedicalInsurance, _: DepartmentCommand
    ) -> MedicalInsuranceReinstated | Refusal:
        insurance = self.world.medical.get(p.resident_id)
        if insurance is None or insurance.enrolled:
            return Refusal("not_terminated")
        if self.world.death_certified(p.resident_id):
            return Refusal("death_still_certified")
        recovered = insurance.paid_out_fen
        insurance.enrolled, insurance.terminated_from = True, None
        insurance.account_balance_fen += recovered
        insurance.paid_out_fen = 0
        return MedicalInsuranceReinstated(recovered_fen=recovered)

    def refer(
        self, p: ReferMedicalAssistance, _: DepartmentCommand
    ) -> MedicalAssistanceReferred | Refusal:
        insurance = self.world.medical.get(p.resident_id)
        if insurance is None or not insurance.enrolled:
            return Refusal("not_enrolled")
        return MedicalAssistanceReferred(referral_no=self.serial("YJ"))
