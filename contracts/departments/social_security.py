"""Social security (人社): pensions and survivor benefits, and two assistance referrals.

After death (D8) the pension stops from the month after death; what was paid for later months is
an overpayment owed back, and the death must be certified first. Survivor benefits (D9) pay the
funeral grant 丧葬补助金, the one-off survivor pension 抚恤金 and the personal-account balance to
the heir, for anyone insured in the basic pension (a pensioner or a contributor not yet retired,
社会保险法 art. 17), net of the overpayment D8 computed (the command carries it), and only once:
the law allows one funeral grant per deceased. The reversal saga recovers exactly what was paid
into the heir's account and resumes the pension with the arrears, refunding the overpayment that
was netted off the deceased's own personal account. Assistance referrals (H7): the resident
pension premium paid by government for assisted people (代缴城乡居民养老保险) and the
employment-difficulty status (就业困难人员认定). For the household economic check (H2),
``CheckEmploymentAndPension``: how many members are employed, and the pensions and
unemployment benefit (失业保险金) paid to them a month.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from pydantic import Field

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    HOUSEHOLD_CHECK_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    Fen,
    HouseholdCheck,
    Month,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import ResidentId

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CheckEmploymentAndPension",
    "EmploymentAndPensionChecked",
    "EmploymentDifficultyRegistered",
    "EnrolPensionPremiumSubsidy",
    "GrantSurvivorBenefits",
    "PensionPremiumSubsidyEnrolled",
    "PensionResumed",
    "PensionStopped",
    "RecoverSurvivorBenefits",
    "RegisterEmploymentDifficulty",
    "ResumePension",
    "StopPension",
    "SurvivorBenefitsGranted",
    "SurvivorBenefitsRecovered",
]

DEPARTMENT = Department.SOCIAL_SECURITY

HeirAccountRef = Annotated[str, Field(min_length=1, max_length=64)]


class StopPension(CommandPayload):
    """D8: stop the pension from the month after death and work out the overpayment."""

    resident_id: ResidentId
    date_of_death: date


class PensionStopped(ReplyData):
    stopped_from: Month
    last_paid_month: Month
    overpaid_months: int
    overpayment_fen: Fen


class GrantSurvivorBenefits(CommandPayload):
    """D9: pay the survivor benefits to the heir's registered account (a reference, not the number),
    net of ``overpayment_fen``: the overpayment D8 answered (0 when no pension was in payment)."""

    deceased_id: ResidentId
    heir_id: ResidentId
    heir_account_ref: HeirAccountRef
    overpayment_fen: Fen


class SurvivorBenefitsGranted(ReplyData):
    funeral_grant_fen: Fen
    survivor_pension_fen: Fen
    account_balance_fen: Fen
    overpayment_offset_fen: Fen
    net_payable_fen: Fen


class ResumePension(CommandPayload):
    """Reversal: resume a pension stopped for a death that was retracted, paying the arrears."""

    resident_id: ResidentId
    reason: ReasonText


class PensionResumed(ReplyData):
    """``arrears_fen`` is ``arrears_months`` of pension never paid plus
    ``overpayment_refunded_fen``, the overpayment that was netted off the person's own account."""

    resumed_from: Month
    arrears_months: int
    arrears_fen: Fen
    overpayment_refunded_fen: Fen
    overpayment_cancelled_fen: Fen


class RecoverSurvivorBenefits(CommandPayload):
    """Reversal: recover what survivor benefits paid out, and restore the personal account."""

    deceased_id: ResidentId
    reason: ReasonText


class SurvivorBenefitsRecovered(ReplyData):
    """``recovered_fen`` is what the heir was paid (the net payable), no more."""

    recovered_fen: Fen


class EnrolPensionPremiumSubsidy(CommandPayload):
    """H7: the government pays this assisted person's resident-pension premium (免申即享)."""

    resident_id: ResidentId


class PensionPremiumSubsidyEnrolled(ReplyData):
    from_month: Month


class RegisterEmploymentDifficulty(CommandPayload):
    """H7: recognise a working-age member as having employment difficulty."""

    resident_id: ResidentId


class EmploymentDifficultyRegistered(ReplyData):
    registration_no: str


class CheckEmploymentAndPension(HouseholdCheck):
    """H2: the members' employment, and the pensions and unemployment benefit paid to them."""


class EmploymentAndPensionChecked(ReplyData):
    employed: int
    monthly_pension_fen: Fen
    monthly_unemployment_fen: Fen


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "no_pension": "未领取基本养老金",
    "not_insured": "未参加基本养老保险",
    "overpayment_mismatch": "多发养老金金额与停发核算不一致",
    "already_stopped": "养老金已停发",
    "pension_not_stopped": "养老金尚未停发",
    "funeral_grant_already_paid": "丧葬补助金已领取，只能领取一次",
    "person_deceased": "当事人已死亡",
    "not_working_age": "不在法定劳动年龄内",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        StopPension,
        PensionStopped,
        refused=("PensionStopRefused",),
        reason_codes=("no_pension", "already_stopped", "death_not_certified"),
        summary="停发养老金并核算多发 stop the pension, compute the overpayment",
    ),
    CommandSpec(
        GrantSurvivorBenefits,
        SurvivorBenefitsGranted,
        refused=("SurvivorBenefitsRefused",),
        reason_codes=(
            "not_insured",
            "pension_not_stopped",
            "overpayment_mismatch",
            "funeral_grant_already_paid",
        ),
        summary="丧葬补助金、抚恤金、个人账户余额 survivor benefits (one funeral grant)",
    ),
    CommandSpec(
        ResumePension,
        PensionResumed,
        refused=("PensionResumptionRefused",),
        reason_codes=("no_pension", "pension_not_stopped", "death_still_certified"),
        kind=CommandKind.REVERSE,
        undoes="StopPension",
        summary="恢复养老金并补发 resume the pension with arrears",
    ),
    CommandSpec(
        RecoverSurvivorBenefits,
        SurvivorBenefitsRecovered,
        refused=("SurvivorBenefitsRecoveryRefused",),
        reason_codes=("nothing_to_recover",),
        kind=CommandKind.REVERSE,
        undoes="GrantSurvivorBenefits",
        summary="追回丧葬补助金等 recover survivor benefits",
    ),
    CommandSpec(
        EnrolPensionPremiumSubsidy,
        PensionPremiumSubsidyEnrolled,
        refused=("PensionPremiumSubsidyRefused",),
        reason_codes=("person_not_found", "person_deceased", "already_enrolled"),
        summary="代缴城乡居民养老保险 H7 premium paid by government",
    ),
    CommandSpec(
        RegisterEmploymentDifficulty,
        EmploymentDifficultyRegistered,
        refused=("EmploymentDifficultyRegistrationRefused",),
        reason_codes=("person_not_found", "person_deceased", "not_working_age", "already_enrolled"),
        summary="就业困难人员认定 H7 employment difficulty",
    ),
    CommandSpec(
        CheckEmploymentAndPension,
        EmploymentAndPensionChecked,
        refused=("EmploymentAndPensionCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="就业、养老金和失业保险金核对 H2 employment, pensions, unemployment benefit",
    ),
)
