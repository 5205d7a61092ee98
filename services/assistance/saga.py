"""帮扶救助一件事 — the assistance step table (H0–H10 in ONE-THINGS.md), and nothing else.

The household's one application opens the case (H0, the statutory clock starts); an urgent one
is paid a small temporary aid first (H1, a per-branch pivot that stands whatever follows, its
proof due within 10 working days); the economic check asks eight sources at once, each with its
own timeout (H2), while the township visits the household and the community appraises it (H3, a
clerk task recording the findings); a source that never answered is a gap a clerk must accept
before anything is assessed. One assessment (H4) covers every programme and is recorded as the
proposed decision — nothing qualifying rejects the case with the assessment's reasons — and is
publicly noticed (H5), an objection sending the case back to the checks and the visit, bounded.
Each programme is then decided on its own (H6a–d, per-branch pivots: one refused does not undo
another granted), with referrals to the programmes run elsewhere (H7), the monthly payment (H8)
and the periodic review (H9) recurring after it, and the decision notices (H10).
"""

from __future__ import annotations

from typing import Any

from contracts.departments.civil_affairs import ReferralProgramme
from saga.definition import (
    OBJECTION,
    Commits,
    Every,
    Join,
    LoopBack,
    OnRefused,
    Predicate,
    Recurrence,
    Saga,
    Step,
    StepKind,
)
from saga.notices import refusal_notice
from saga.rows import PayloadBuilder
from saga.rows import command_row as row
from services.assistance import builders as b
from services.assistance import conditions as c
from services.assistance import policies as p
from services.assistance.assessment import Programme
from services.assistance.findings import HomeVisitFindings
from services.assistance.household import SOURCE_STEPS, VISIT_FINDINGS
from services.assistance.notice import ASSISTANCE, recipients

__all__ = ["assistance_saga"]

RO, COMP, PIVOT = StepKind.READ_ONLY, StepKind.COMPENSATABLE, StepKind.PIVOT
RETRY, TASK, DECISION, TIMER = (
    StepKind.RETRIABLE,
    StepKind.HUMAN_TASK,
    StepKind.DECISION,
    StepKind.TIMER,
)
ACCEPT = ("accept",)
NOTICED = ("notice_period",)
ALLOWANCES = (Programme.DIBAO, Programme.TEKUN)
_SOURCE_TITLES = {
    "check_hukou_vehicles": "户籍与车辆核对（公安）",
    "check_employment_pension": "就业与养老金核对（人社）",
    "check_medical_spending": "医疗费用核对（医保）",
    "check_tax": "纳税收入核对（税务）",
    "check_real_estate": "不动产核对（自然资源）",
    "check_business_registration": "市场主体登记核对（市场监管）",
    "check_housing_fund": "住房公积金核对",
    "check_bank_deposits": "银行存款核对",
}
# Referred through civil affairs (H7); the other three go to their own departments.
_REFERRALS: tuple[tuple[str, ReferralProgramme, Predicate, str], ...] = (
    ("refer_education_aid", "education_aid", c.has_children_and_assisted, "转介教育资助"),
    ("refer_housing_aid", "housing_aid", c.homeless_and_assisted, "转介住房救助"),
    ("refer_utility_waiver", "utility_waiver", c.enrolled(*ALLOWANCES), "水电气费减免"),
)


def _before_decisions() -> tuple[Step, ...]:
    sources = tuple(
        row(step, RO, b.SOURCES[step], depends_on=ACCEPT, retry=p.source_retry(step),
            title=_SOURCE_TITLES[step])
        for step in SOURCE_STEPS
    )  # fmt: skip
    return (
        row("accept", COMP, b.accept, undo=b.withdraw, title="受理社会救助申请"),
        # 三先三后: paid first when urgent; commits only its own branch, whatever follows.
        row("emergency_aid", PIVOT, b.emergency_aid, depends_on=ACCEPT, when=c.urgent,
            commits=Commits.BRANCH, title="先行救助（临时救助）"),
        Step("emergency_proof", TASK, depends_on=("emergency_aid",), when=c.urgent, clerk=True,
             deadline=p.EMERGENCY_PROOF, title="先行救助补齐证明材料"),
        *sources,
        Step("gap_review", DECISION, depends_on=SOURCE_STEPS, clerk=True, done_when=c.no_gaps,
             deadline=p.GAP_REVIEW, title="经济状况核对缺项处理"),
        row("home_visit", COMP, b.schedule_visit, undo=b.cancel_visit, depends_on=ACCEPT,
            title="入户调查"),
        Step(VISIT_FINDINGS, TASK, depends_on=("home_visit",), clerk=True,
             task_form=HomeVisitFindings, deadline=p.VISIT, title="入户调查与民主评议结果"),
        row("assess", RO, b.propose, depends_on=("gap_review", VISIT_FINDINGS),
            title="救助资格综合认定"),
        row("public_notice", COMP, b.publish_notice, undo=b.withdraw_notice,
            depends_on=("assess",), when=c.noticed, title="公示"),
        # An objection (POST /v1/cases/{id}/objections) runs the checks and the visit again.
        Step("notice_period", TIMER, depends_on=("public_notice",), when=c.noticed,
             wait=p.NOTICE, title="公示期",
             loop_back=LoopBack(to=(*SOURCE_STEPS, "home_visit"), codes=(OBJECTION,),
                                max_rounds=3)),
    )  # fmt: skip


def _decisions() -> tuple[Step, ...]:
    def decide(programme: Programme, build: PayloadBuilder, title: str) -> Step:
        return row(c.DECISIONS[programme], PIVOT, build, depends_on=NOTICED,
                   when=c.assessed(programme), commits=Commits.BRANCH,
                   on_refused=OnRefused.FAIL_BRANCH, deadline=p.DECISION, title=title)  # fmt: skip

    return (
        decide(Programme.DIBAO, b.enrol_dibao, "最低生活保障审批"),
        decide(Programme.TEKUN, b.enrol_tekun, "特困人员认定"),
        decide(Programme.LIVING_SUBSIDY, b.enrol_living_subsidy, "困难残疾人生活补贴审批"),
        decide(Programme.NURSING_SUBSIDY, b.enrol_nursing_subsidy, "重度残疾人护理补贴审批"),
        decide(Programme.TEMPORARY_AID, b.temporary_aid, "临时救助审批"),
    )


def _after_decisions() -> tuple[Step, ...]:
    allowances = tuple(c.DECISIONS[programme] for programme in ALLOWANCES)
    decisions = tuple(c.DECISIONS.values())
    paid = tuple(c.DECISIONS[programme] for programme in c.PAID)
    referrals = tuple(
        row(name, RETRY, b.refer(programme), depends_on=allowances, join=Join.SETTLED,
            when=when, title=title)
        for name, programme, when, title in _REFERRALS
    )  # fmt: skip
    assisted: dict[str, Any] = {
        "depends_on": allowances,
        "join": Join.SETTLED,
        "when": c.enrolled(*ALLOWANCES),
    }
    return (
        row("refer_medical_aid", RETRY, b.refer_medical_aid, title="转介医疗救助", **assisted),
        *referrals,
        row("refer_employment", RETRY, b.register_employment_difficulty,
            depends_on=allowances, join=Join.SETTLED, when=c.can_work_and_assisted,
            title="就业困难人员认定"),
        row("refer_pension_premium", RETRY, b.refer_pension_premium,
            title="代缴城乡居民养老保险费", **assisted),
        row("monthly_payment", RETRY, b.disburse, depends_on=paid, join=Join.SETTLED,
            when=c.enrolled(*c.PAID), retry=p.RECURRING,
            recurs=Recurrence(every=1, unit=Every.MONTH, from_next=True,
                              until=c.no_longer_qualifies),
            title="按月发放救助金"),
        row("yearly_review", RETRY, b.review, depends_on=allowances, join=Join.SETTLED,
            when=c.reviewed_yearly, retry=p.RECURRING,
            recurs=Recurrence(every=12, unit=Every.MONTH, from_next=True,
                              until=c.no_longer_qualifies), title="年度复核"),
        row("half_yearly_review", RETRY, b.review, depends_on=allowances, join=Join.SETTLED,
            when=c.reviewed_half_yearly, retry=p.RECURRING,
            recurs=Recurrence(every=6, unit=Every.MONTH, from_next=True,
                              until=c.no_longer_qualifies),
            title="半年复核（收入不固定）"),
        row("decision_notice", RETRY, b.decision_notice, depends_on=decisions,
            join=Join.SETTLED, deadline=p.DECISION_NOTICE, title="救助决定告知"),
    )  # fmt: skip


def assistance_saga() -> Saga:
    """Help and assistance, version 1."""
    before = _before_decisions()
    refused = row("refusal_notice", RETRY, refusal_notice(ASSISTANCE, before, recipients,
                  "accept"), deadline=p.REFUSAL_DUE, title="不予救助告知")  # fmt: skip
    return Saga(ASSISTANCE, 1, (*before, *_decisions(), *_after_decisions()),
                title="社会救助", on_rejected=(refused,), retry_after_pivot=p.BRANCH)  # fmt: skip
