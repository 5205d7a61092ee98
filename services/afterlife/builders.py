"""Payload builders of the after-death tables: case data in, one department's command out.

Each builder returns its command's payload model from ``contracts.departments``, so the row that
uses it knows its department and command (``saga.rows.command_row``), and hands the department
only the fields that model declares (data minimisation): the heir's bank account number goes to
the platform alone, and the departments that pay the heir get the opaque ``heir_account_ref`` the
platform answered with. The reversal builders add the reason the death was retracted and the
original case, so each correction is audited with why it was made.

The models are made with ``model_construct``, unvalidated, and that is deliberate: personal values
(ID numbers, names, the account) are sealed tokens in the case data (``contracts.personal``), and
the models' field types (``ResidentId``'s checksum, the account's digits) would refuse a token.
The department's participant validates the command once it has opened the values, where the real
ones are there to check; the pydantic mypy plugin checks each builder's field names and types, the
runtime refuses a value of the wrong type when it serialises the model, and a test parses every
payload of every row against its model with clear data.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from contracts.departments.civil_affairs import (
    AcceptAfterDeathApplication,
    ApplyFuneralFeeWaiver,
    CancelAfterDeathApplication,
    ResumeWelfare,
    ReverseFuneralFeeWaiver,
    StopWelfare,
)
from contracts.departments.disabled_federation import CancelDisabilityCard, RestoreDisabilityCard
from contracts.departments.funeral_services import RecordCremation
from contracts.departments.health import VerifyDeathRecord
from contracts.departments.housing_fund import RecoverHousingFundWithdrawal, WithdrawHousingFund
from contracts.departments.medical_insurance import (
    PayOutMedicalAccount,
    ReinstateMedicalInsurance,
    TerminateMedicalInsurance,
)
from contracts.departments.platform import (
    ConfirmDeath,
    DiscardHeirData,
    NotifyNextOfKin,
    RegisterHeirAccount,
    RevokeDeathConfirmation,
)
from contracts.departments.public_security import (
    CancelHukou,
    ReissueIdCard,
    RestoreHukou,
    VerifyKinship,
)
from contracts.departments.social_security import (
    GrantSurvivorBenefits,
    RecoverSurvivorBenefits,
    ResumePension,
    StopPension,
)
from saga.calendar import china_date
from saga.definition import ORIGINAL_CASE_ID, Context

__all__ = [
    "accept",
    "cancel_accept",
    "cancel_disability_card",
    "cancel_hukou",
    "confirm_death",
    "discard_heir_data",
    "end_medical_insurance",
    "funeral_fee_waiver",
    "housing_fund_withdrawal",
    "notify_next_of_kin",
    "pay_out_medical_account",
    "record_cremation",
    "register_heir_account",
    "stop_pension",
    "stop_welfare",
    "survivor_benefits",
    "verify_death",
    "verify_kinship",
    "recover_housing_fund",
    "recover_survivor_benefits",
    "reinstate_medical_insurance",
    "reissue_id_card",
    "restore_disability_card",
    "restore_hukou",
    "resume_pension",
    "resume_welfare",
    "reverse_funeral_fee_waiver",
    "revoke_death_confirmation",
]

# The heir steps come in two rows (with the case, or late for a proactive case); whichever ran
# holds the reference.
_HEIR_ACCOUNT_STEPS = ("register_heir_account", "register_heir_account_late")
_REASON_LIMIT = 500  # ReasonText's max_length


def _deceased(ctx: Context) -> str:
    return str(ctx.data["deceased_id"])


def _date_of_death(ctx: Context) -> date:
    return date.fromisoformat(str(ctx.data["date_of_death"]))


def _applicant(ctx: Context) -> dict[str, Any]:
    applicant: dict[str, Any] = ctx.data["applicant"]
    return applicant


def _heir_id(ctx: Context) -> str:
    """The relative the money is for: an agent applies on behalf of one."""
    applicant = _applicant(ctx)
    return str(applicant.get("on_behalf_of") or applicant["resident_id"])


def _heir_account_ref(ctx: Context) -> str | None:
    """The platform's reference to the heir's account, if one was registered."""
    for step in _HEIR_ACCOUNT_STEPS:
        ref = ctx.results.get(step, {}).get("heir_account_ref")
        if ref:
            return str(ref)
    return None


def _required_heir_account_ref(ctx: Context) -> str:
    ref = _heir_account_ref(ctx)
    if ref is None:
        raise LookupError("no heir account was registered for this case")
    return ref


# --- D1 accept, D2 death record, D3 kinship and heir account (before the pivot) ---------------


def accept(ctx: Context) -> AcceptAfterDeathApplication:
    return AcceptAfterDeathApplication.model_construct(office_division=ctx.division_code)


def cancel_accept(_: Context) -> CancelAfterDeathApplication:
    return CancelAfterDeathApplication.model_construct()  # the case id names the application file


def verify_death(ctx: Context) -> VerifyDeathRecord:
    return VerifyDeathRecord.model_construct(
        deceased_id=_deceased(ctx), date_of_death=_date_of_death(ctx)
    )


def verify_kinship(ctx: Context) -> VerifyKinship:
    applicant = _applicant(ctx)
    return VerifyKinship.model_construct(
        applicant_id=applicant["resident_id"],
        deceased_id=_deceased(ctx),
        relation=applicant["relation"],
    )


def register_heir_account(ctx: Context) -> RegisterHeirAccount:
    return RegisterHeirAccount.model_construct(
        deceased_id=_deceased(ctx),
        heir_id=_heir_id(ctx),
        bank_account=ctx.data["heir_account"]["account_no"],
    )


def discard_heir_data(_: Context) -> DiscardHeirData:
    return DiscardHeirData.model_construct()  # the case id names the heir data


def notify_next_of_kin(ctx: Context) -> NotifyNextOfKin:
    return NotifyNextOfKin.model_construct(deceased_id=_deceased(ctx))


# --- D4 the pivot ------------------------------------------------------------------------------


def confirm_death(ctx: Context) -> ConfirmDeath:
    return ConfirmDeath.model_construct(
        deceased_id=_deceased(ctx),
        date_of_death=_date_of_death(ctx),
        death_certificate_no=ctx.data["death_certificate_no"],
        division_code=ctx.division_code,
    )


# --- D5–D12 the branches -----------------------------------------------------------------------


def record_cremation(ctx: Context) -> RecordCremation:
    return RecordCremation.model_construct(
        deceased_id=_deceased(ctx),
        death_certificate_no=ctx.data["death_certificate_no"],
        cremated_on=_cremation_day(ctx),
        funeral_home_division=ctx.division_code,
    )


def _cremation_day(ctx: Context) -> date:
    """The case data carries no cremation date, so the funeral home is told the day the death
    was confirmed in China, which is the day this command goes out."""
    confirmed_at = ctx.results.get("confirm_death", {}).get("confirmed_at")
    if isinstance(confirmed_at, datetime):
        return china_date(confirmed_at)
    if isinstance(confirmed_at, str):
        return china_date(datetime.fromisoformat(confirmed_at))
    return china_date(ctx.received_at)


def funeral_fee_waiver(ctx: Context) -> ApplyFuneralFeeWaiver:
    return ApplyFuneralFeeWaiver.model_construct(
        deceased_id=_deceased(ctx),
        cremation_certificate_no=ctx.results["record_cremation"]["cremation_certificate_no"],
        division_code=ctx.division_code,
    )


def cancel_hukou(ctx: Context) -> CancelHukou:
    return CancelHukou.model_construct(
        resident_id=_deceased(ctx),
        date_of_death=_date_of_death(ctx),
        death_certificate_no=ctx.data["death_certificate_no"],
    )


def stop_pension(ctx: Context) -> StopPension:
    return StopPension.model_construct(
        resident_id=_deceased(ctx), date_of_death=_date_of_death(ctx)
    )


def survivor_benefits(ctx: Context) -> GrantSurvivorBenefits:
    """Net of the overpayment D8 answered; an insured person who drew no pension has none
    (``stop_pension`` was skipped as ``no_pension``, so it left no result)."""
    return GrantSurvivorBenefits.model_construct(
        deceased_id=_deceased(ctx),
        heir_id=_heir_id(ctx),
        heir_account_ref=_required_heir_account_ref(ctx),
        overpayment_fen=int(ctx.results.get("stop_pension", {}).get("overpayment_fen", 0)),
    )


def end_medical_insurance(ctx: Context) -> TerminateMedicalInsurance:
    """Ends the enrolment only: no heir data, so it can go out before the family applies."""
    return TerminateMedicalInsurance.model_construct(
        resident_id=_deceased(ctx), date_of_death=_date_of_death(ctx)
    )


def pay_out_medical_account(ctx: Context) -> PayOutMedicalAccount:
    return PayOutMedicalAccount.model_construct(
        resident_id=_deceased(ctx), heir_account_ref=_required_heir_account_ref(ctx)
    )


def housing_fund_withdrawal(ctx: Context) -> WithdrawHousingFund:
    return WithdrawHousingFund.model_construct(
        deceased_id=_deceased(ctx),
        heir_id=_heir_id(ctx),
        heir_account_ref=_required_heir_account_ref(ctx),
    )


def stop_welfare(ctx: Context) -> StopWelfare:
    return StopWelfare.model_construct(
        deceased_id=_deceased(ctx), date_of_death=_date_of_death(ctx)
    )


def cancel_disability_card(ctx: Context) -> CancelDisabilityCard:
    return CancelDisabilityCard.model_construct(
        resident_id=_deceased(ctx), date_of_death=_date_of_death(ctx)
    )


# --- The reversal: every correction names the person and says why ---------------------------


def _reason(ctx: Context) -> str:
    reason = f"{ctx.data['reason']}（原办件 {ctx.data[ORIGINAL_CASE_ID]}）"
    return reason[:_REASON_LIMIT]


def revoke_death_confirmation(ctx: Context) -> RevokeDeathConfirmation:
    return RevokeDeathConfirmation.model_construct(deceased_id=_deceased(ctx), reason=_reason(ctx))


def restore_hukou(ctx: Context) -> RestoreHukou:
    return RestoreHukou.model_construct(resident_id=_deceased(ctx), reason=_reason(ctx))


def reissue_id_card(ctx: Context) -> ReissueIdCard:
    return ReissueIdCard.model_construct(resident_id=_deceased(ctx), reason=_reason(ctx))


def resume_pension(ctx: Context) -> ResumePension:
    return ResumePension.model_construct(resident_id=_deceased(ctx), reason=_reason(ctx))


def recover_survivor_benefits(ctx: Context) -> RecoverSurvivorBenefits:
    return RecoverSurvivorBenefits.model_construct(deceased_id=_deceased(ctx), reason=_reason(ctx))


def reinstate_medical_insurance(ctx: Context) -> ReinstateMedicalInsurance:
    """Also recovers the account payout, which ran only after the enrolment was ended."""
    return ReinstateMedicalInsurance.model_construct(
        resident_id=_deceased(ctx), reason=_reason(ctx)
    )


def recover_housing_fund(ctx: Context) -> RecoverHousingFundWithdrawal:
    return RecoverHousingFundWithdrawal.model_construct(
        deceased_id=_deceased(ctx), reason=_reason(ctx)
    )


def reverse_funeral_fee_waiver(ctx: Context) -> ReverseFuneralFeeWaiver:
    return ReverseFuneralFeeWaiver.model_construct(deceased_id=_deceased(ctx), reason=_reason(ctx))


def resume_welfare(ctx: Context) -> ResumeWelfare:
    return ResumeWelfare.model_construct(resident_id=_deceased(ctx), reason=_reason(ctx))


def restore_disability_card(ctx: Context) -> RestoreDisabilityCard:
    return RestoreDisabilityCard.model_construct(resident_id=_deceased(ctx), reason=_reason(ctx))
