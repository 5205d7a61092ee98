"""Social security simulated: pensions stopped after death, survivor benefits, reversals.

The pension stops from the month after death, once the death is certified (refused
``death_not_certified`` otherwise, as hukou and welfare are). Months paid after that are the
overpayment: ``overpaid_months`` counts the months from the stop month to the last paid month, both
included, and the overpayment is that many months' pension.

Survivor benefits are due for anyone insured in the basic pension, drawing a pension or still
contributing (社会保险法 art. 17 [S]); someone never insured is refused ``not_insured``. They pay
once (one funeral grant per deceased: ``funeral_grant_already_paid``), for a pensioner only after the
pension is stopped, and net of the overpayment the command carries, which must be the one on
record (``overpayment_mismatch`` otherwise). The overpayment is the deceased's debt, so it is taken
from the estate first, the inheritable personal-account balance (民法典 art. 1161 [S]: heirs settle
the deceased's debts out of the estate; 社会保险法 art. 14 [S]: the balance is inherited), and only
the rest from the grants, which belong to the survivors.

A retracted death recovers exactly what the heir was paid (the net payable) and puts back into the
personal account what the heir had of it; it resumes the pension with arrears for every month
never paid up to this one, plus the overpayment that was taken from the personal account (the
living person's own money paid a debt they never owed), and cancels what is still owed. The part
netted off the grants is the fund's own money both ways and goes to no one. Worked example, a
300 000 fen pension, death on 14 March, paid to June, balance 1 200 000: overpayment 3 months =
900 000, all from the balance; grant 600 000 + 3 000 000 + 1 200 000 − 900 000 = 3 900 000 to the
heir. Retracted in August: 3 900 000 recovered (the family ends with 0), 300 000 back into the
account, arrears 2 × 300 000 + 900 000 = 1 500 000 (the person has had April–August, 1 500 000,
and has 1 200 000 in the account, as if nothing had happened).

For the economic check (H2): the members with a wage or business income on record count as
employed, and the pensions still in payment are summed. The world pays no unemployment benefit
(失业保险金) yet, so that figure is 0.
"""

from __future__ import annotations

from collections.abc import Mapping

from contracts.departments import social_security as contract
from contracts.departments.social_security import (
    CheckEmploymentAndPension,
    EmploymentAndPensionChecked,
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
from departments.world import (
    Pension,
    PensionInsurance,
    Person,
    World,
    add_months,
    age_on,
    month_of,
    months_inclusive,
)

__all__ = ["FUNERAL_GRANT_MONTHS", "SURVIVOR_PENSION_MONTHS", "SocialSecuritySimulator"]

# Months of the deceased's monthly base (a pensioner's pension, a contributor's contribution
# base): simulator figures (ASSUMPTION). The national rule (人社部发〔2021〕18号 [S2]) pays a funeral
# grant of 2 months of the province's urban per-capita disposable income and a survivor pension
# of that income times months set by years of contribution (at least 9 for a pensioner).
FUNERAL_GRANT_MONTHS = 2  # ASSUMPTION, simulator figure
SURVIVOR_PENSION_MONTHS = 10  # ASSUMPTION, simulator figure


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
            "CheckEmploymentAndPension": self.check_employment_and_pension,
        }

    def stop_pension(self, p: StopPension, _: DepartmentCommand) -> PensionStopped | Refusal:
        pension = self.world.pensions.get(p.resident_id)
        if pension is None:
            return Refusal("no_pension")
        if pension.stopped_from is not None:
            return Refusal("already_stopped")
        if not self.world.death_certified(p.resident_id):
            return Refusal("death_not_certified")
        stop_from = self.month_after(p.date_of_death)
        overpaid = months_inclusive(stop_from, pension.last_paid_month)
        pension.stopped_from = stop_from
        pension.overpayment_due_fen = overpaid * pension.monthly_fen
        pension.overpayment_netted_fen = pension.netted_from_account_fen = 0
        return PensionStopped(
            stopped_from=month_text(stop_from),
            last_paid_month=month_text(pension.last_paid_month),
            overpaid_months=overpaid,
            overpayment_fen=pension.overpayment_due_fen,
        )

    def _insured(self, resident_id: str) -> Pension | PensionInsurance | None:
        return self.world.pensions.get(resident_id) or self.world.pension_insurance.get(resident_id)

    def grant_survivor_benefits(
        self, p: GrantSurvivorBenefits, _: DepartmentCommand
    ) -> SurvivorBenefitsGranted | Refusal:
        record = self._insured(p.deceased_id)
        if record is None:
            return Refusal("not_insured")
        if isinstance(record, Pension) and record.stopped_from is None:
            return Refusal("pension_not_stopped")
        if record.funeral_grant_paid_fen:
            return Refusal("funeral_grant_already_paid")
        due = record.overpayment_due_fen if isinstance(record, Pension) else 0
        if p.overpayment_fen != due:
            return Refusal("overpayment_mismatch")
        base = record.monthly_fen if isinstance(record, Pension) else record.contribution_base_fen
        grant, survivor = FUNERAL_GRANT_MONTHS * base, SURVIVOR_PENSION_MONTHS * base
        balance = record.account_balance_fen
        # The deceased's debt comes out of the estate (the balance) first, then the grants.
        from_account = min(due, balance)
        offset = from_account + min(due - from_account, grant + survivor)
        record.funeral_grant_paid_fen, record.survivor_pension_paid_fen = grant, survivor
        record.account_paid_out_fen, record.account_balance_fen = balance, 0
        if isinstance(record, Pension):
            record.overpayment_due_fen -= offset
            record.overpayment_netted_fen, record.netted_from_account_fen = offset, from_account
        return SurvivorBenefitsGranted(
            funeral_grant_fen=grant,
            survivor_pension_fen=survivor,
            account_balance_fen=balance,
            overpayment_offset_fen=offset,
            net_payable_fen=grant + survivor + balance - offset,
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
        # Taken from the person's own account to settle a debt they never owed: theirs again.
        refunded = pension.netted_from_account_fen
        pension.stopped_from, pension.overpayment_due_fen = None, 0
        pension.last_paid_month = max(pension.last_paid_month, self.this_month())
        return PensionResumed(
            resumed_from=month_text(resumed_from),
            arrears_months=months,
            arrears_fen=months * pension.monthly_fen + refunded,
            overpayment_refunded_fen=refunded,
            overpayment_cancelled_fen=cancelled,
        )

    def recover_survivor_benefits(
        self, p: RecoverSurvivorBenefits, _: DepartmentCommand
    ) -> SurvivorBenefitsRecovered | Refusal:
        record = self._insured(p.deceased_id)
        if record is None or not record.funeral_grant_paid_fen:
            return Refusal("nothing_to_recover")
        netted, from_account = (
            (record.overpayment_netted_fen, record.netted_from_account_fen)
            if isinstance(record, Pension)
            else (0, 0)
        )
        # Exactly what reached the heir's account: the grants and balance less what was netted.
        recovered = (
            record.funeral_grant_paid_fen
            + record.survivor_pension_paid_fen
            + record.account_paid_out_fen
        ) - netted
        # The heir had the balance less what settled the debt; that goes back into the account
        # (the netted part is refunded with the resumed pension). The grants go to the fund.
        record.account_balance_fen += record.account_paid_out_fen - from_account
        record.funeral_grant_paid_fen = record.survivor_pension_paid_fen = 0
        record.account_paid_out_fen = 0
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

    def check_employment_and_pension(
        self, p: CheckEmploymentAndPension, _: DepartmentCommand
    ) -> EmploymentAndPensionChecked | Refusal:
        members = self.household(p)
        if isinstance(members, Refusal):
            return members
        pensions = [self.world.pensions.get(m.resident_id) for m in members]
        return EmploymentAndPensionChecked(
            employed=sum(1 for m in members if m.monthly_income_fen > 0),
            monthly_pension_fen=sum(
                x.monthly_fen for x in pensions if x is not None and x.stopped_from is None
            ),
            monthly_unemployment_fen=0,
        )
