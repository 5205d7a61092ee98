"""Medical insurance (医保): end the deceased's enrolment and pay out the personal account (D10).

One command does both, as the step does: the enrolment ends from the month after death and, when
an heir's account is registered, the personal-account balance is paid to it once. The reversal
saga reinstates the enrolment and recovers the payout. ``ReferMedicalAssistance`` is the
assistance one-thing's referral to medical aid (医疗救助, H7).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated

from pydantic import Field

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    Fen,
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
    "MedicalAssistanceReferred",
    "MedicalInsuranceReinstated",
    "MedicalInsuranceTerminated",
    "ReferMedicalAssistance",
    "ReinstateMedicalInsurance",
    "TerminateMedicalInsurance",
]

DEPARTMENT = Department.MEDICAL_INSURANCE


class TerminateMedicalInsurance(CommandPayload):
    """D10: end the enrolment; pay the personal account to the heir's registered account."""

    resident_id: ResidentId
    date_of_death: date
    heir_account_ref: Annotated[str, Field(min_length=1, max_length=64)] | None = None


class MedicalInsuranceTerminated(ReplyData):
    terminated_from: Month
    account_paid_out_fen: Fen


class ReinstateMedicalInsurance(CommandPayload):
    """Reversal: reinstate the enrolment and recover the account payout."""

    resident_id: ResidentId
    reason: ReasonText


class MedicalInsuranceReinstated(ReplyData):
    recovered_fen: Fen


class ReferMedicalAssistance(CommandPayload):
    """H7: medical assistance and premium subsidy for an assisted person."""

    resident_id: ResidentId


class MedicalAssistanceReferred(ReplyData):
    referral_no: str


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "not_enrolled": "未参加基本医疗保险",
    "already_terminated": "医保关系已终止",
    "not_terminated": "医保关系未终止，无需恢复",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        TerminateMedicalInsurance,
        MedicalInsuranceTerminated,
        refused=("MedicalInsuranceTerminationRefused",),
        reason_codes=("not_enrolled", "already_terminated"),
        summary="医保停保与个人账户支取 end enrolment, pay out the account",
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
)
