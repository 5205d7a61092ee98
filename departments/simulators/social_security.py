"""Social security simulated: pensions stopped after death, survivor benefits, reversals.

The pension stops from the month after death. Months paid after that are the overpayment:
``overpaid_months`` counts the months from the stop month to the last paid month, both included,
and the overpayment is that many months' pension; it is owed back and netted off the survivor
benefits. Survivor benefits pay once (one funeral grant per deceased, so a second request is
refused ``funeral_grant_already_paid``) and only after the pension is stopped: a funeral grant of
2 months' pension and a survivor pension of 10 months (ASSUMPTION: real rules use the local
average wage and years of contribution), plus the personal-account balance. A retracted death
resumes the pension, cancels the debt and pays arrears for every unpaid month up to this one.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import social_security as contract
from contracts.departments.social_security import (
    EmploymentDifficultyRegistered,
    EnrolPensionPremiumSubsidy,
    GrantSurvivorBenefits,
    PensionPremiumSubsidyEnrolled,
    PensionResumed,
    PensionStopped,
    RecoverSurvivorBenefits,
    RegisterEmploymentDifficulty,
    ResumePension,
    StopPension,
    SurvivorBenefitsGranted,
    SurvivorBenefitsRecovered,
)
from contracts.saga import DepartmentCommand
from departments.simulators.base import Clock, Handler, Refusal, Simulator, month_text
from departments.world import Person, World, add_months, age_on, month_of, months_inclusive

__all__ = ["FUNERAL_GRANT_MONTHS", "SURVIVOR_PENSION_MONTHS", "SocialSecuritySimulator"]

FUNERAL_GRANT_MONTHS = 2  # ASSUMPTION
SURVIVOR_PENSION_MONTHS = 10  # ASSUMPTION


class SocialSecuritySimulator(Simulator):
    department = contract.DEPARTMENT
    commands = contract.COMMANDS
    reasons = contract.REASONS

    def __init__(self, world: World, clock: Clock | None = None) -> None:
        super().__init__(world, clock)
        self._premium_subsidies: set[str] = set()
        self._employment_difficulty: set[str] = set()

    def routes(self) -> Mapping[str, Handler]:
        return {
            "StopPension": self.stop_pension,
            "GrantSurvivorBenefits": self.grant_survivor_benefits,
            "ResumePension": self.resume_pension,
            "RecoverSurvivorBenefits": self.recover_survivor_benefits,
            "EnrolPensionPremiumSubsidy": self.enrol_premium_subsidy,
            "RegisterEmploymentDifficulty": self.register_employment_difficulty,
        }

    def stop_pension(self, p: StopPension, _: DepartmentCommand) -> PensionStopped | Refusal:
        pension = self.world.pensions.get(p.resident_id)
        if pension is None:
            return Refusal("no_pension")
        if pension.stopped_from is not None:
            return Refusal("already_stopped")
        stop_from = self.month_after(p.date_of_death)
        overpaid = months_inclusive(stop_from, pension.last_paid_month)
        pension.stopped_from = stop_from
        pension.overpayment_due_fen = overpaid * pension.monthly_fen
        return PensionStopped(
            stopped_from=month_text(stop_from),
            last_paid_month=month_text(pension.last_paid_month),
            overpaid_months=overpaid,
            overpayment_fen=pension.overpayment_due_fen,
        )

    def grant_survivor_benefits(
        self, p: GrantSurvivorBenefits, _: DepartmentCommand
    ) -> SurvivorBenefitsGranted | Refusal:
        pension = self.world.pensions.get(p.deceased_id)
        if pension is None:
            return Refusal("no_pension")
        if pension.stopped_from is None:
            return Refusal("pension_not_stopped")
        if pension.funeral_grant_paid_fen:
            return Refusal("funeral_grant_already_paid")
        grant = FUNERAL_GRANT_MONTHS * pension.monthly_fen
        survivor = SURVIVOR_PENSION_MONTHS * pension.monthly_fen
        balance = pension.account_balance_fen
        gross = grant + survivor + balance
        offset = min(pension.overpayment_due_fen, gross)
        pension.funeral_grant_paid_fen, pension.survivor_pension_paid_fen = grant, survivor
        pension.account_paid_out_fen, pension.account_balance_fen = balance, 0
        pension.overpayment_due_fen -= offset
        return SurvivorBenefitsGranted(
            funeral_grant_fen=grant,
            survivor_pension_fen=survivor,
            account_balance_fen=balance,
            overpayment_offset_fen=offset,
            net_payable_fen=gross - offset,
        )

    def resume_pension(self, p: ResumePension, _: DepartmentCommand) -> PensionResumed | Refusal:
        pension = self.world.pensions.get(p.resident_id)
        if pension is None:
            return Refusal("no_pension")
        if pension.stopped_from is None:
            return Refusal("pension_not_stopped")
        if self.world.death_certified(p.resident_id):
            return Refusal("death_still_certified")
        first_unpaid = add_months(pension.last_paid_month, 1)
        months = months_inclusive(first_unpaid, self.this_month())
        resumed_from = pension.stopped_from
        cancelled = pension.overpayment_due_fen
        pension.stopped_from, pension.overpayment_due_fen = None, 0
        pension.last_paid_month = max(pension.last_paid_month, self.this_month())
        return PensionResumed(
            resumed_from=month_text(resumed_from),
            arrears_months=months,
            arrears_fen=months * pension.monthly_fen,
            overpayment_cancelled_fen=cancelled,
        )

    def recover_survivor_benefits(
        self, p: RecoverSurvivorBenefits, _: DepartmentCommand
    ) -> SurvivorBenefitsRecovered | Refusal:
        pension = self.world.pensions.get(p.deceased_id)
        if pension is None or not pension.funeral_grant_paid_fen:
            return Refusal("nothing_to_recover")
        recovered = (
            pension.funeral_grant_paid_fen
            + pension.survivor_pension_paid_fen
            + pension.account_paid_out_fen
        )
        # The personal account goes back to its owner; the grants go back to the fund.
        pension.account_balance_fen += pension.account_paid_out_fen
        pension.funeral_grant_paid_fen = pension.survivor_pension_paid_fen = 0
        pension.account_paid_out_fen = 0
        return SurvivorBenefitsRecovered(recovered_fen=recovered)

    def _alive(self, resident_id: str) -> Person | Refusal:
        person = self.world.people.get(resident_id)
        if person is None:
            return Refusal("person_not_found")
        if not self.world.known_alive(person):
            return Refusal("person_deceased")
        return person

    def enrol_premium_subsidy(
        self, p: EnrolPensionPremiumSubsidy, _: DepartmentCommand
    ) -> PensionPremiumSubsidyEnrolled | Refusal:
        person = self._alive(p.resident_id)
        if isinstance(person, Refusal):
            return person
        if p.resident_id in self._premium_subsidies:
            return Refusal("already_enrolled")
        self._premium_subsidies.add(p.resident_id)
        return PensionPremiumSubsidyEnrolled(from_month=month_text(month_of(self.today())))

    def register_employment_difficulty(
        self, p: RegisterEmploymentDifficulty, _: DepartmentCommand
    ) -> EmploymentDifficultyRegistered | Refusal:
        person = self._alive(p.resident_id)
        if isinstance(person, Refusal):
            return person
        if not 16 <= age_on(person.birth_date, self.today()) < 60:
            return Refusal("not_working_age")
        if p.resident_id in self._employment_difficulty:
            return Refusal("already_enrolled")
        self._employment_difficulty.add(p.resident_id)
        return EmploymentDifficultyRegistered(registration_no=self.serial("JK"))
