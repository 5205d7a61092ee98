"""公民身后一件事 — the after-death step table (D1–D13 in ONE-THINGS.md), and nothing else.

A family's form opens the case: D1, the death record (D2) and the kinship and heir account (D3)
in parallel, the pivot (D4), then every branch at once. A certified death opens it proactively:
D1 opens a draft, the next of kin are told, the pivot waits for the grace period or the family's
form, whichever is first, and the benefits stop without the family; the heir's payouts wait for
its form (``family_application``), checked after the pivot by the ``*_late`` rows. The completion
notice (D13) waits for every branch but the housing fund. A case refused before the pivot tells
the applicant why, and corrects the notice the kin got. Why each row is as it is: the README.
"""

from __future__ import annotations

from saga.definition import Deadline, DeadlineUnit, Join, Merge, OnRefused, Saga, Step, StepKind
from saga.notices import completion_notice, refusal_notice
from saga.rows import command_row as row
from services.afterlife import builders as b
from services.afterlife import conditions as c
from services.afterlife import policies as p
from services.afterlife.notice import SAGA, next_of_kin_correction, recipients
from services.afterlife.settings import afterlife_settings

__all__ = ["afterlife_saga"]

RO, COMP, PIVOT = StepKind.READ_ONLY, StepKind.COMPENSATABLE, StepKind.PIVOT
RETRY, TASK, TIMER = StepKind.RETRIABLE, StepKind.HUMAN_TASK, StepKind.TIMER
D1, D4, LATE = ("accept",), ("confirm_death",), ("confirm_death", "family_application")
KIN = ("verify_kinship", "check_agent_mandate")
KIN_LATE = ("verify_kinship_late", "check_agent_mandate_late")
HEIR = ("register_heir_account", "register_heir_account_late")  # whichever ran
CHECKED = ("verify_death", *KIN, "register_heir_account", "family_window")
PENSION_HEIR, MEDICAL_HEIR = ("stop_pension", *HEIR), ("end_medical_insurance", *HEIR)
FAIL = OnRefused.FAIL_BRANCH
NOT_ENROLLED = ("not_enrolled",)
# 补正: what the family may correct after each refusal; never whose death it is or who applies.
DATE_OF_DEATH = {"date_of_death_mismatch": ("date_of_death",)}
RELATION = {"kinship_not_found": ("applicant.relation",)}


def afterlife_saga(grace_days: int | None = None) -> Saga:
    """The after-death one-thing, version 1; the grace period is the deployment's
    (``ONETHING_AFTERLIFE_GRACE_DAYS``, 7 days by default) unless given."""
    days = afterlife_settings().grace_days if grace_days is None else grace_days
    # name, kind, builder (its payload model names department and command), undo | depends_on,
    # join, when, the kind's columns, refusal codes, deadline, retry (if not the phase's), title
    before = (
        row("accept", COMP, b.accept, undo=b.cancel_accept, title="受理身后一件事"),
        Step("family_application", TASK, depends_on=D1, done_when=c.has_applicant,
             deadline=p.DAYS_TO_REPORT_A_DEATH, title="家属申请"),
        Step("family_window", TIMER, depends_on=D1, when=c.opened_proactively,
             wait=Deadline(days, DeadlineUnit.CALENDAR_DAY), title="等待家属申请"),
        # A notice, not a condition: "no next of kin" must not stop the case.
        row("notify_next_of_kin", RETRY, b.notify_next_of_kin, depends_on=D1,
            when=c.opened_proactively, on_refused=FAIL, retry=p.BRANCH, title="通知近亲属"),
        row("verify_death", RO, b.verify_death, depends_on=D1, supplement_codes=DATE_OF_DEATH,
            title="死亡信息核验"),
        row("verify_kinship", RO, b.verify_kinship, depends_on=D1, when=c.kin_applied_with_case,
            supplement_codes=RELATION, title="亲属关系核验"),
        # Public security's kinship query knows no agents: a clerk checks the mandate (委托书).
        Step("check_agent_mandate", TASK, depends_on=D1, when=c.agent_applied_with_case, clerk=True,
             deadline=p.MANUAL_CHECK, title="代办委托人工核验"),
        row("register_heir_account", COMP, b.register_heir_account, undo=b.discard_heir_data,
            depends_on=KIN, when=c.heir_account_given_with_case, title="登记继承人账户"),
        # Skipped rows count as done: a proactive case waits for D2 and the grace period only.
        row("confirm_death", PIVOT, b.confirm_death, depends_on=CHECKED, title="死亡事实确认"),
    )  # fmt: skip
    # D3 for a proactive case, once the family has applied: after the pivot, so forward only.
    heirs_late = (
        row("verify_kinship_late", RETRY, b.verify_kinship, depends_on=LATE,
            when=c.kin_applied_late, supplement_codes=RELATION, title="亲属关系核验"),
        Step("check_agent_mandate_late", TASK, depends_on=LATE, when=c.agent_applied_late,
             deadline=p.MANUAL_CHECK, title="代办委托人工核验"),
        row("register_heir_account_late", RETRY, b.register_heir_account, depends_on=KIN_LATE,
            when=c.heir_account_given_late, title="登记继承人账户"),
    )  # fmt: skip
    branches = (
        row("record_cremation", RETRY, b.record_cremation, depends_on=D4, title="火化登记"),
        row("funeral_fee_waiver", RETRY, b.funeral_fee_waiver, depends_on=("record_cremation",),
            when=c.wants_fee_waiver, title="惠民殡葬减免"),
        row("cancel_hukou", RETRY, b.cancel_hukou, depends_on=D4, deadline=p.NEXT_WORKING_DAY,
            title="户口注销"),
        row("stop_pension", RETRY, b.stop_pension, depends_on=D4, not_applicable=("no_pension",),
            deadline=p.NEXT_WORKING_DAY, title="养老金停发"),
        row("survivor_benefits", RETRY, b.survivor_benefits, depends_on=PENSION_HEIR,
            when=c.pays_survivor_benefits, not_applicable=("not_insured",), deadline=p.SURVIVORS,
            title="丧葬补助金、抚恤金"),
        row("end_medical_insurance", RETRY, b.end_medical_insurance, depends_on=D4,
            not_applicable=NOT_ENROLLED, deadline=p.MEDICAL, title="医保停保"),
        row("pay_out_medical_account", RETRY, b.pay_out_medical_account, depends_on=MEDICAL_HEIR,
            when=c.pays_medical_account, not_applicable=NOT_ENROLLED, deadline=p.MEDICAL,
            title="医保个人账户支取"),
        row("housing_fund_withdrawal", RETRY, b.housing_fund_withdrawal, depends_on=(*D4, *HEIR),
            when=c.pays_housing_fund, not_applicable=("no_account",), deadline=p.HOUSING_FUND_DUE,
            retry=p.HOUSING_FUND, title="住房公积金提取"),
        row("stop_welfare", RETRY, b.stop_welfare, depends_on=D4, title="停发民政待遇"),
        row("cancel_disability_card", RETRY, b.cancel_disability_card, depends_on=D4,
            not_applicable=("no_disability_card",), title="残疾人证注销"),
    )  # fmt: skip
    # D13, once every branch but the housing fund has settled, whatever the outcome.
    awaited = tuple(s.name for s in branches if s.name != "housing_fund_withdrawal")
    lines = completion_notice(SAGA, branches, awaited, recipients)
    notice = row("completion_notice", RETRY, lines, depends_on=awaited, join=Join.SETTLED,
                 when=c.has_applicant, deadline=p.NEXT_WORKING_DAY, title="办结告知")  # fmt: skip
    rejected = (
        row("refusal_notice", RETRY, refusal_notice(SAGA, before, recipients, intake="accept"),
            when=c.has_applicant, deadline=p.REFUSAL_DUE, title="不予受理/不予批准告知"),
        row("correct_next_of_kin_notice", RETRY, next_of_kin_correction(before),
            when=c.kin_were_notified, deadline=p.REFUSAL_DUE, title="更正告知近亲属"),
    )  # fmt: skip
    # A family's form for the case the hospital opened joins it; the case stays proactive.
    joins = Merge("family_application", ("family_application", "family_window"),
                  keep=("channel",), note="family application")  # fmt: skip
    return Saga("afterlife", 1, (*before, *heirs_late, *branches, notice), title="公民身后一件事",
                case_deadline=p.CASE_DEADLINE, on_rejected=rejected, merge=joins,
                retry_before_pivot=p.CHECK, retry_after_pivot=p.BRANCH)  # fmt: skip
