"""Payload builders of the assistance table: the case in, one department's command out.

Each returns its command's payload model (``contracts.departments``), so the row knows its
department and command (``saga.rows.command_row``), made with ``model_construct`` because the
roster's resident IDs are sealed tokens the models' types would refuse (the participant validates
the command once it has opened them; ``services.afterlife.builders`` explains). Amounts come from
the one assessment (``household.assessment_of``), computed again from the same case data by each
builder that needs one, so a command rebuilt after a restart carries the same figures.
"""

from __future__ import annotations

from collections.abc import Callable

from contracts.departments.banks import CheckBankDeposits
from contracts.departments.civil_affairs import (
    PROGRAMME_TITLES,
    AcceptAssistanceApplication,
    CancelHomeVisit,
    DisburseMonthly,
    EnrolDibao,
    EnrolLivingSubsidy,
    EnrolNursingSubsidy,
    EnrolTekun,
    GrantTemporaryAssistance,
    ProposeAssistance,
    ProposedProgramme,
    PublishPublicNotice,
    RecalculateHouseholdDibao,
    ReferAssistance,
    ReferralProgramme,
    ScheduleHomeVisit,
    TekunMember,
    WithdrawAssistanceApplication,
    WithdrawPublicNotice,
)
from contracts.departments.housing_fund import CheckHousingFundBalance
from contracts.departments.market_regulation import CheckBusinessRegistrations
from contracts.departments.medical_insurance import CheckMedicalSpending, ReferMedicalAssistance
from contracts.departments.platform import NoticeItem, SendCompletionNotice
from contracts.departments.public_security import CheckHouseholdRegistration
from contracts.departments.real_estate import CheckRealEstate
from contracts.departments.social_security import (
    CheckEmploymentAndPension,
    EnrolPensionPremiumSubsidy,
    RegisterEmploymentDifficulty,
)
from contracts.departments.spec import CommandPayload, HouseholdCheck
from contracts.departments.tax import CheckTaxedIncome
from saga.definition import Context
from saga.notices import recipient_ids
from services.assistance.assessment import Programme, ProgrammeResult, yuan
from services.assistance.conditions import DECISIONS, urgent
from services.assistance.household import assessment_of, facts_of, gaps, member_ids
from services.assistance.notice import ASSISTANCE, recipients

__all__ = [
    "SOURCES",
    "accept",
    "cancel_visit",
    "decision_notice",
    "disburse",
    "emergency_aid",
    "enrol_dibao",
    "enrol_living_subsidy",
    "enrol_nursing_subsidy",
    "enrol_tekun",
    "propose",
    "publish_notice",
    "refer",
    "refer_medical_aid",
    "refer_pension_premium",
    "register_employment_difficulty",
    "review",
    "schedule_visit",
    "temporary_aid",
    "withdraw",
    "withdraw_notice",
]


def _household(ctx: Context) -> str:
    return str(ctx.data["household_id"])


# --- H0 and H1 ------------------------------------------------------------------------------------


def accept(ctx: Context) -> AcceptAssistanceApplication:
    return AcceptAssistanceApplication.model_construct(
        office_division=ctx.division_code,
        household_id=_household(ctx),
        consent_signed=ctx.data.get("consent_signed") is True,
    )


def withdraw(_: Context) -> WithdrawAssistanceApplication:
    # The department purges what it collected for the application with it.
    return WithdrawAssistanceApplication.model_construct()


def emergency_aid(ctx: Context) -> GrantTemporaryAssistance:
    """先行救助: the emergency cap a person, before anything is checked."""
    aid = assessment_of(ctx).result(Programme.TEMPORARY_AID)
    return GrantTemporaryAssistance.model_construct(
        household_id=_household(ctx), amount_fen=aid.once_fen, emergency=True, approver="township"
    )


# --- H2: the economic-check sources -------------------------------------------------------------


def _source(model: type[HouseholdCheck]) -> Callable[[Context], CommandPayload]:
    def build(ctx: Context) -> HouseholdCheck:
        return model.model_construct(
            member_ids=member_ids(ctx), consent_signed=ctx.data.get("consent_signed") is True
        )

    # ``command_row`` reads the model from the return annotation.
    build.__annotations__ = {"ctx": Context, "return": model}
    build.__qualname__ = build.__name__ = f"check_{model.__name__}"
    return build


SOURCES: dict[str, Callable[[Context], CommandPayload]] = {
    "check_hukou_vehicles": _source(CheckHouseholdRegistration),
    "check_employment_pension": _source(CheckEmploymentAndPension),
    "check_medical_spending": _source(CheckMedicalSpending),
    "check_tax": _source(CheckTaxedIncome),
    "check_real_estate": _source(CheckRealEstate),
    "check_business_registration": _source(CheckBusinessRegistrations),
    "check_housing_fund": _source(CheckHousingFundBalance),
    "check_bank_deposits": _source(CheckBankDeposits),
}


# --- H3, H4, H5 ---------------------------------------------------------------------------------


def schedule_visit(ctx: Context) -> ScheduleHomeVisit:
    return ScheduleHomeVisit.model_construct(household_id=_household(ctx))


def cancel_visit(_: Context) -> CancelHomeVisit:
    return CancelHomeVisit.model_construct()


def _proposed(result: ProgrammeResult) -> ProposedProgramme:
    return ProposedProgramme.model_construct(
        programme=result.programme.value,
        eligible=result.eligible,
        monthly_fen=result.monthly_fen,
        once_fen=result.once_fen,
        reasons=list(result.reasons),
    )


def _decided_here(ctx: Context) -> list[ProgrammeResult]:
    """The programmes the proposal and the decisions are about: temporary aid already paid
    first (H1) is not decided again."""
    found = assessment_of(ctx)
    paid_first = urgent(ctx)
    return [
        result
        for result in found.results.values()
        if not (paid_first and result.programme is Programme.TEMPORARY_AID)
    ]


def propose(ctx: Context) -> ProposeAssistance:
    return ProposeAssistance.model_construct(
        household_id=_household(ctx),
        office_division=ctx.division_code,
        programmes=[_proposed(result) for result in _decided_here(ctx)],
        gaps=gaps(ctx),
    )


def publish_notice(ctx: Context) -> PublishPublicNotice:
    granted = [result.programme.value for result in _decided_here(ctx) if result.eligible]
    return PublishPublicNotice.model_construct(household_id=_household(ctx), programmes=granted)


def withdraw_notice(_: Context) -> WithdrawPublicNotice:
    return WithdrawPublicNotice.model_construct()


# --- H6a–d: the decisions -----------------------------------------------------------------------


def _members(ctx: Context, programme: Programme) -> list[tuple[int, str]]:
    """(roster index, sealed resident ID) of the members a per-person programme pays."""
    ids = member_ids(ctx)
    paid = assessment_of(ctx).result(programme).members
    return [(int(m.member_id[1:]), ids[int(m.member_id[1:])]) for m in paid]


def enrol_dibao(ctx: Context) -> EnrolDibao:
    found = assessment_of(ctx)
    per_capita = found.counted_income_fen // len(member_ids(ctx))
    return EnrolDibao.model_construct(
        household_id=_household(ctx), per_capita_income_fen=per_capita
    )


def enrol_tekun(ctx: Context) -> EnrolTekun:
    facts = facts_of(ctx)
    care = {m.member_id: m.self_care for m in facts.members}
    return EnrolTekun.model_construct(
        members=[
            TekunMember.model_construct(resident_id=rid, self_care=care[f"m{i}"])
            for i, rid in _members(ctx, Programme.TEKUN)
        ],
        centralised=facts.centralised,
    )


def enrol_living_subsidy(ctx: Context) -> EnrolLivingSubsidy:
    ids = [rid for _, rid in _members(ctx, Programme.LIVING_SUBSIDY)]
    return EnrolLivingSubsidy.model_construct(resident_ids=ids)


def enrol_nursing_subsidy(ctx: Context) -> EnrolNursingSubsidy:
    ids = [rid for _, rid in _members(ctx, Programme.NURSING_SUBSIDY)]
    return EnrolNursingSubsidy.model_construct(resident_ids=ids)


def temporary_aid(ctx: Context) -> GrantTemporaryAssistance:
    aid = assessment_of(ctx).result(Programme.TEMPORARY_AID)
    return GrantTemporaryAssistance.model_construct(
        household_id=_household(ctx), amount_fen=aid.once_fen, approver=aid.approver or "township"
    )


# --- H7, H8, H9 ---------------------------------------------------------------------------------


def refer(programme: ReferralProgramme) -> Callable[[Context], ReferAssistance]:
    def build(ctx: Context) -> ReferAssistance:
        return ReferAssistance.model_construct(household_id=_household(ctx), programme=programme)

    build.__qualname__ = build.__name__ = f"refer_{programme}"
    return build


def _applicant(ctx: Context) -> str:
    return next(
        str(m["resident_id"]) for m in ctx.data.get("members", []) if m.get("relation") == "self"
    )


def refer_medical_aid(ctx: Context) -> ReferMedicalAssistance:
    return ReferMedicalAssistance.model_construct(resident_id=_applicant(ctx))


def refer_pension_premium(ctx: Context) -> EnrolPensionPremiumSubsidy:
    return EnrolPensionPremiumSubsidy.model_construct(resident_id=_applicant(ctx))


def register_employment_difficulty(ctx: Context) -> RegisterEmploymentDifficulty:
    """The first member who can work (the visit says who): registered as having difficulty
    finding work, for the job services."""
    facts = facts_of(ctx)
    index = next(i for i, m in enumerate(facts.members) if m.able_to_work)
    return RegisterEmploymentDifficulty.model_construct(resident_id=member_ids(ctx)[index])


def disburse(ctx: Context) -> DisburseMonthly:
    """One month's payment, the month in the command (and so in its idempotency key)."""
    assert ctx.period is not None  # a recurring step is always built for a period
    return DisburseMonthly.model_construct(household_id=_household(ctx), month=ctx.period)


def review(ctx: Context) -> RecalculateHouseholdDibao:
    return RecalculateHouseholdDibao.model_construct(household_id=_household(ctx))


# --- H10: the decision notices ------------------------------------------------------------------


def _line(ctx: Context, result: ProgrammeResult) -> NoticeItem:
    title = PROGRAMME_TITLES[result.programme.value]
    step = DECISIONS.get(result.programme)
    if not result.eligible:
        reason = "；".join(result.reasons)[:500] or None
        return NoticeItem.model_construct(item=title, status="refused", reason=reason)
    if step is None:  # the low-income status: recorded, nothing paid
        return NoticeItem.model_construct(item=f"{title}：已认定", status="done")
    reply = ctx.results.get(step)
    if reply is None:
        return NoticeItem.model_construct(item=title, status="refused")
    amount = reply.get("monthly_amount_fen", reply.get("amount_fen", 0))
    per = "每月" if "monthly_amount_fen" in reply else "一次性"
    return NoticeItem.model_construct(item=f"{title}：{per}{yuan(int(amount))}元", status="done")


def _paid_first(ctx: Context) -> list[NoticeItem]:
    aid = ctx.results.get("emergency_aid")
    if aid is None:
        return []
    item = f"临时救助（先行救助）：一次性{yuan(int(aid['amount_fen']))}元"
    return [NoticeItem.model_construct(item=item, status="done")]


def decision_notice(ctx: Context) -> SendCompletionNotice:
    """Every programme's decision in one notice: each granted with its amount, each refused
    with the assessment's reasons (a department's own refusal is kept on its step), and the
    aid paid first, if any."""
    lines = [_line(ctx, result) for result in _decided_here(ctx)]
    return SendCompletionNotice.model_construct(
        recipient_ids=recipient_ids(recipients(ctx)),
        saga=ASSISTANCE,
        items=[*_paid_first(ctx), *lines],
    )
