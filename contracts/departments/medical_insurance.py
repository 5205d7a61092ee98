"""Medical insurance (医保): end the deceased's enrolment, then pay out the personal account (D10).

Two commands, because they wait for different things: the enrolment ends from the month after
death as soon as the death is confirmed (no family needed, so nothing accrues), while the
personal-account balance is paid once to an heir's registered account, which only exists after
the family has applied. The payout is refused until the enrolment has ended and a second payout
is refused. The reversal saga reinstates the enrolment and recovers whatever was paid out.
``ReferMedicalAssistance`` is the assistance one-thing's referral to medical aid (医疗救助, H7);
``CheckMedicalSpending`` its household economic check (H2) of the members' self-paid medical
spending, a rigid expense the assessment deducts.
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
    "CheckMedicalSpending",
    "MedicalAccountPaidOut",
    "MedicalAssistanceReferred",
    "MedicalInsuranceReinstated",
    "MedicalInsuranceTerminated",
    "MedicalSpendingChecked",
    "PayOutMedicalAccount",
    "ReferMedicalAssistance",
    "ReinstateMedicalInsurance",
    "TerminateMedicalInsurance",
]

DEPARTMENT = Department.MEDICAL_INSURANCE


class TerminateMedicalInsurance(CommandPayload):
    """D10: end the enrolment from the month after death; the account balance stays put."""

    resident_id: ResidentId
    date_of_death: date


class MedicalInsuranceTerminated(ReplyData):
    terminated_from: Month


class PayOutMedicalAccount(CommandPayload):
    """D10, after the termination: pay the personal-account balance to the heir's account."""

    resident_id: ResidentId
    heir_account_ref: Annotated[str, Field(min_length=1, max_length=64)]


class MedicalAccountPaidOut(ReplyData):
    account_paid_out_fen: Fen


class ReinstateMedicalInsurance(CommandPayload):
    """Reversal: reinstate the enrolment and recover the account payout, if one was made."""

    resident_id: ResidentId
    reason: ReasonText


class MedicalInsuranceReinstated(ReplyData):
    recovered_fen: Fen


class ReferMedicalAssistance(CommandPayload):
    """H7: medical assistance and premium subsidy for an assisted person."""

    resident_id: ResidentId


class MedicalAssistanceReferred(ReplyData):
    referral_no: str


class CheckMedicalSpending(HouseholdCheck):
    """H2: the members' self-paid medical spending (个人自付), a month's average over the last
    twelve months."""


class MedicalSpendingChecked(ReplyData):
    monthly_out_of_pocket_fen: Fen


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "not_enrolled": "未参加基本医疗保险",
    "already_terminated": "医保关系已终止",
    "not_terminated": "医保关系未终止",
    "already_paid_out": "个人账户余额已支取，不能重复支取",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        TerminateMedicalInsurance,
        MedicalInsuranceTerminated,
        refused=("MedicalInsuranceTerminationRefused",),
        reason_codes=("not_enrolled", "already_terminated"),
        summary="医保停保 end the enrolment",
    ),
    CommandSpec(
        PayOutMedicalAccount,
        MedicalAccountPaidOut,
        refused=("MedicalAccountPayoutRefused",),
        reason_codes=("not_enrolled", "not_terminated", "already_paid_out"),
        summary="医保个人账户支取 pay out the personal account",
    ),
    CommandSpec(
        ReinstateMedicalInsurance,
        MedicalInsuranceReinstated,
        refused=("MedicalInsuranceReinstatementRefused",),
        reason_codes=("not_terminated", "death_still_certified"),
        kind=CommandKind.REVERSE,
        undoes="TerminateMedicalInsurance",
        summary="恢复参保并追回账户支取 reinstate the enrolment",
    ),
    CommandSpec(
        ReferMedicalAssistance,
        MedicalAssistanceReferred,
        refused=("MedicalAssistanceReferralRefused",),
        reason_codes=("not_enrolled",),
        summary="医疗救助转介 H7 medical assistance",
    ),
    CommandSpec(
        CheckMedicalSpending,
        MedicalSpendingChecked,
        refused=("MedicalSpendingCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="医疗费用个人自付核对 H2 self-paid medical spending",
    ),
)
