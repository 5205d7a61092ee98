"""Medical insurance simulated: enrolment ended after death, account paid out once, reinstated.

The enrolment ends from the month after death; the personal-account balance stays in the account
until an heir's account is named. Only an ended enrolment is paid out, and only once: the whole
balance goes to the heir and a second payout is refused. A retracted death reinstates the
enrolment and takes whatever was paid out back into the account. For the economic check (H2) it
sums the members' self-paid medical spending, a month's average over the last year.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import medical_insurance as contract
from contracts.departments.medical_insurance import (
    CheckMedicalSpending,
    MedicalAccountPaidOut,
    MedicalAssistanceReferred,
    MedicalInsuranceReinstated,
    MedicalInsuranceTerminated,
    MedicalSpendingChecked,
    PayOutMedicalAccount,
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
            "PayOutMedicalAccount": self.pay_out,
            "ReinstateMedicalInsurance": self.reinstate,
            "ReferMedicalAssistance": self.refer,
            "CheckMedicalSpending": self.check_spending,
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
        return MedicalInsuranceTerminated(terminated_from=month_text(terminated_from))

    def pay_out(
        self, p: PayOutMedicalAccount, _: DepartmentCommand
    ) -> MedicalAccountPaidOut | Refusal:
        insurance = self.world.medical.get(p.resident_id)
        if insurance is None:
            return Refusal("not_enrolled")
        if insurance.enrolled:
            return Refusal("not_terminated")
        if insurance.paid_out:
            return Refusal("already_paid_out")
        paid = insurance.account_balance_fen
        insurance.paid_out, insurance.paid_out_fen = True, insurance.paid_out_fen + paid
        insurance.account_balance_fen = 0
        return MedicalAccountPaidOut(account_paid_out_fen=paid)

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
        insurance.paid_out, insurance.paid_out_fen = False, 0
        return MedicalInsuranceReinstated(recovered_fen=recovered)

    def refer(
        self, p: ReferMedicalAssistance, _: DepartmentCommand
    ) -> MedicalAssistanceReferred | Refusal:
        insurance = self.world.medical.get(p.resident_id)
        if insurance is None or not insurance.enrolled:
            return Refusal("not_enrolled")
        return MedicalAssistanceReferred(referral_no=self.serial("YJ"))

    def check_spending(
        self, p: CheckMedicalSpending, _: DepartmentCommand
    ) -> MedicalSpendingChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        spent = sum(m.monthly_medical_spending_fen for m in members)
        return MedicalSpendingChecked(monthly_out_of_pocket_fen=spent)
