"""公民身后一件事 — the after-death step table (D1–D13 in ONE-THINGS.md), and nothing else.

Two ways in, one table. A family's form opens the case (``channel`` window, funeral home or
online): D1, then the death record (D2) and the kinship and heir account (D3) in parallel, the
pivot (D4), and every branch at once. A certified death opens it proactively: D1 opens a draft,
the next of kin are notified, and the pivot waits for the grace period (``family_window``) or
for the family to apply, whichever is first; the branches that stop benefits run without them,
while the heir's payouts wait for the family's application (``family_application``) and run
after the pivot (the ``*_late`` rows). The completion notice (D13) waits for every branch but
the housing fund, which may take weeks and never holds up the rest. A case refused before the
pivot tells the applicant why in writing (``on_rejected``), and corrects the notice the next of
kin got if it had opened by itself. Builders: ``builders`` and ``notice``; predicates:
``conditions``; figures and their sources: ``policies``.
"""

from __future__ import annotations

from contracts.departments import Department
from saga.definition import Deadline, DeadlineUnit, Join, Merge, OnRefused, Saga, Step, StepKind
from services.afterlife import builders as b
from services.afterlife import conditions as c
from services.afterlife.notice import completion_notice, next_of_kin_correction, refusal_notice
from services.afterlife.policies import (
    BRANCH,
    CASE_DEADLINE,
    CHECK,
    DAYS_TO_REPORT_A_DEATH,
    HOUSING_FUND,
    HOUSING_FUND_DEADLINE,
    MANUAL_CHECK,
    MEDICAL_INSURANCE_DEADLINE,
    NEXT_WORKING_DAY,
    REFUSAL_NOTICE_DEADLINE,
    SURVIVOR_BENEFITS_DEADLINE,
)
from services.afterlife.rows import command_step
from services.afterlife.settings import afterlife_settings

__all__ = ["afterlife_saga"]

PS = Department.PUBLIC_SECURITY
CA = Department.CIVIL_AFFAIRS
FS = Department.FUNERAL_SERVICES
SS = Department.SOCIAL_SECURITY
MI = Department.MEDICAL_INSURANCE
HE = Department.HEALTH
HF = Department.HOUSING_FUND
DF = Department.DISABLED_FEDERATION
PF = Department.PLATFORM

RO, COMP, PIVOT, RETRY = (
    StepKind.READ_ONLY,
    StepKind.COMPENSATABLE,
    StepKind.PIVOT,
    StepKind.RETRIABLE,
)
HEIR_ACCOUNT = ("register_heir_account", "register_heir_account_late")  # whichever ran
# 补正: what the family may correct for each refusal. Never whose death or who applies: a wrong
# person is a new application, not a correction.
SUPPLEMENT_DATE_OF_DEATH = {"date_of_death_mismatch": ("date_of_death",)}
SUPPLEMENT_RELATION = {"kinship_not_found": ("applicant.relation",)}

# The rows are laid out by hand, a few lines a step (``# fmt: skip``): the formatter would put
# one argument a line and the table would no longer read as one.


def _before_pivot(grace_days: int) -> tuple[Step, ...]:
    return (
        # D1: opens the case file; for a proactive case, a draft.
        command_step("accept", COMP, CA, "AcceptAfterDeathApplication", b.accept,
                     undo="CancelAfterDeathApplication", build_undo=b.cancel_accept,
                     retry=CHECK, title="受理身后一件事"),
        # The family's form: already there for a family case, awaited for a proactive one.
        Step("family_application", StepKind.HUMAN_TASK, depends_on=("accept",),
             done_when=c.has_applicant, deadline=DAYS_TO_REPORT_A_DEATH, title="家属申请"),
        # Proactive only: the grace period (a deployment setting); the family applying ends it.
        Step("family_window", StepKind.TIMER, depends_on=("accept",),
             when=c.opened_proactively, wait=Deadline(grace_days, DeadlineUnit.CALENDAR_DAY),
             title="等待家属申请"),
        # Proactive only: a notice, not a condition; "no next of kin" must not stop the case.
        command_step("notify_next_of_kin", RETRY, PF, "NotifyNextOfKin", b.notify_next_of_kin,
                     depends_on=("accept",), when=c.opened_proactively,
                     on_refused=OnRefused.FAIL_BRANCH, retry=BRANCH, title="通知近亲属"),
        # D2. A wrong date of death on the form is corrected by supplement (补正).
        command_step("verify_death", RO, HE, "VerifyDeathRecord", b.verify_death,
                     depends_on=("accept",), supplement_codes=SUPPLEMENT_DATE_OF_DEATH,
                     retry=CHECK, title="死亡信息核验"),
        # D3, kinship: a relation the registry cannot find is asked again after 补正 (the family
        # corrects the relation or the ID); an agent is checked by a clerk, see below.
        command_step("verify_kinship", RO, PS, "VerifyKinship", b.verify_kinship,
                     depends_on=("accept",), when=c.kin_applied_with_case,
                     supplement_codes=SUPPLEMENT_RELATION, retry=CHECK,
                     title="亲属关系核验"),
        # D3, agent: public security's query knows only spouse/child/parent/sibling, and the
        # form gives no relation for the principal, so a clerk checks the mandate (委托书).
        Step("check_agent_mandate", StepKind.HUMAN_TASK, depends_on=("accept",), clerk=True,
             when=c.agent_applied_with_case, deadline=MANUAL_CHECK, title="代办委托人工核验"),
        # D3, heir account: kept by the platform alone; undone if the case is rejected.
        command_step("register_heir_account", COMP, PF, "RegisterHeirAccount",
                     b.register_heir_account, undo="DiscardHeirData",
                     build_undo=b.discard_heir_data,
                     depends_on=("verify_kinship", "check_agent_mandate"),
                     when=c.heir_account_given_with_case, retry=CHECK, title="登记继承人账户"),
        # D4, the pivot. Skipped rows count as done: a proactive case waits only for D2 and the
        # grace period, a family case for D2 and D3.
        command_step("confirm_death", PIVOT, PF, "ConfirmDeath", b.confirm_death,
                     depends_on=("verify_death", "verify_kinship", "check_agent_mandate",
                                 "register_heir_account", "family_window"),
                     retry=CHECK, title="死亡事实确认"),
    )  # fmt: skip


def _heirs_after_pivot() -> tuple[Step, ...]:
    # D3 for a proactive case: the same checks once the family has applied, after the pivot,
    # so forward-only (a refusal fails the heir branches, never the confirmation).
    late = ("confirm_death", "family_application")
    return (
        command_step("verify_kinship_late", RETRY, PS, "VerifyKinship", b.verify_kinship,
                     depends_on=late, when=c.kin_applied_late,
                     supplement_codes=SUPPLEMENT_RELATION, retry=BRANCH,
                     title="亲属关系核验"),
        Step("check_agent_mandate_late", StepKind.HUMAN_TASK, depends_on=late,
             when=c.agent_applied_late, deadline=MANUAL_CHECK, title="代办委托人工核验"),
        command_step("register_heir_account_late", RETRY, PF, "RegisterHeirAccount",
                     b.register_heir_account,
                     depends_on=("verify_kinship_late", "check_agent_mandate_late"),
                     when=c.heir_account_given_late, retry=BRANCH, title="登记继承人账户"),
    )  # fmt: skip


def _branches() -> tuple[Step, ...]:
    confirmed = ("confirm_death",)
    return (
        # D5, D6: the waiver needs the cremation certificate number.
        command_step("record_cremation", RETRY, FS, "RecordCremation", b.record_cremation,
                     depends_on=confirmed, retry=BRANCH, title="火化登记"),
        command_step("funeral_fee_waiver", RETRY, CA, "ApplyFuneralFeeWaiver",
                     b.funeral_fee_waiver, depends_on=("record_cremation",),
                     when=c.opted_in("funeral_fee_waiver"), retry=BRANCH, title="惠民殡葬减免"),
        # D7: "on the spot" by statute (before burial in a city); see NEXT_WORKING_DAY.
        command_step("cancel_hukou", RETRY, PS, "CancelHukou", b.cancel_hukou,
                     depends_on=confirmed, deadline=NEXT_WORKING_DAY, retry=BRANCH,
                     title="户口注销"),
        # D8, D9: survivor benefits are netted against the pension overpayment, so after D8; an
        # insured person who drew no pension still has them (社会保险法 art. 17), so only "never
        # insured" makes D9 not applicable.
        command_step("stop_pension", RETRY, SS, "StopPension", b.stop_pension,
                     depends_on=confirmed, deadline=NEXT_WORKING_DAY, retry=BRANCH,
                     not_applicable=("no_pension",), title="养老金停发"),
        command_step("survivor_benefits", RETRY, SS, "GrantSurvivorBenefits",
                     b.survivor_benefits, depends_on=("stop_pension", *HEIR_ACCOUNT),
                     when=c.pays_heir("survivor_benefits"),
                     deadline=SURVIVOR_BENEFITS_DEADLINE, retry=BRANCH,
                     not_applicable=("not_insured",),
                     title="丧葬补助金、抚恤金"),
        # D10: the enrolment ends with the other stops, without waiting for the family, so
        # nothing accrues; the personal account is paid out once the heir's account is there.
        command_step("end_medical_insurance", RETRY, MI, "TerminateMedicalInsurance",
                     b.end_medical_insurance, depends_on=confirmed,
                     deadline=MEDICAL_INSURANCE_DEADLINE, retry=BRANCH,
                     not_applicable=("not_enrolled",), title="医保停保"),
        command_step("pay_out_medical_account", RETRY, MI, "PayOutMedicalAccount",
                     b.pay_out_medical_account,
                     depends_on=("end_medical_insurance", *HEIR_ACCOUNT),
                     when=c.pays_heir("medical_account_payout"),
                     deadline=MEDICAL_INSURANCE_DEADLINE, retry=BRANCH,
                     not_applicable=("not_enrolled",), title="医保个人账户支取"),
        # D11: slow; the completion notice does not wait for it.
        command_step("housing_fund_withdrawal", RETRY, HF, "WithdrawHousingFund",
                     b.housing_fund_withdrawal, depends_on=(*confirmed, *HEIR_ACCOUNT),
                     when=c.pays_heir("housing_fund_withdrawal"),
                     deadline=HOUSING_FUND_DEADLINE, retry=HOUSING_FUND,
                     not_applicable=("no_account",),
                     title="住房公积金提取"),
        # D12: civil affairs stops the personal benefits and itself publishes HouseholdChanged
        # for a dibao household, which the assistance one-thing recalculates (H9).
        command_step("stop_welfare", RETRY, CA, "StopWelfare", b.stop_welfare,
                     depends_on=confirmed, retry=BRANCH, title="停发民政待遇"),
        command_step("cancel_disability_card", RETRY, DF, "CancelDisabilityCard",
                     b.cancel_disability_card, depends_on=confirmed, retry=BRANCH,
                     not_applicable=("no_disability_card",),
                     title="残疾人证注销"),
    )  # fmt: skip


def _on_rejected(before_pivot: tuple[Step, ...]) -> tuple[Step, ...]:
    # After the roll-back, before the case ends rejected; the reasons are the refusing steps'.
    return (
        # To whoever applied: 不予受理/不予批准告知书, within 3 working days of the decision.
        command_step("refusal_notice", RETRY, PF, "SendRefusalNotice",
                     refusal_notice(before_pivot), when=c.has_applicant,
                     deadline=REFUSAL_NOTICE_DEADLINE, retry=BRANCH, title="不予受理/不予批准告知"),
        # A proactive case told the next of kin it had opened: that notice no longer stands.
        command_step("correct_next_of_kin_notice", RETRY, PF, "CorrectNextOfKinNotice",
                     next_of_kin_correction(before_pivot), when=c.kin_were_notified,
                     deadline=REFUSAL_NOTICE_DEADLINE, retry=BRANCH, title="更正告知近亲属"),
    )  # fmt: skip


def afterlife_saga(grace_days: int | None = None) -> Saga:
    """The after-death one-thing, version 1; the grace period is the deployment's
    (``ONETHING_AFTERLIFE_GRACE_DAYS``, 7 days by default) unless given."""
    days = afterlife_settings().grace_days if grace_days is None else grace_days
    before_pivot = _before_pivot(days)
    branches = _branches()
    awaited = tuple(s.name for s in branches if s.name != "housing_fund_withdrawal")
    # D13: after every branch has settled, whatever its outcome; only for someone who applied.
    notice = command_step(
        "completion_notice", RETRY, PF, "SendCompletionNotice",
        completion_notice(branches, awaited), depends_on=awaited, join=Join.SETTLED,
        when=c.has_applicant, deadline=NEXT_WORKING_DAY, retry=BRANCH, title="办结告知",
    )  # fmt: skip
    return Saga(
        name="afterlife",
        version=1,
        steps=(*before_pivot, *_heirs_after_pivot(), *branches, notice),
        case_deadline=CASE_DEADLINE,
        title="公民身后一件事",
        on_rejected=_on_rejected(before_pivot),
        # A family's form for the case the hospital opened joins it; the case stays proactive.
        merge=Merge(
            waiting_step="family_application",
            ends=("family_application", "family_window"),
            keep=("channel",),
            note="family application",
        ),
    )
