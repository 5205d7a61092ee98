"""Payload builders of the after-death table: case data in, one department's command out.

Each builder hands its department only the fields that department's command declares (data
minimisation): the heir's bank account number goes to the platform alone, and the departments
that pay the heir get the opaque ``heir_account_ref`` the platform answered with. Dates travel as
ISO text, as the case data holds them; every payload validates against its command's model in
``contracts.departments`` (a test checks each). The reversal builders add the reason the death was
retracted and the original case, so each correction is audited with why it was made.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from saga.calendar import china_date
from saga.definition import Context

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
    "reversal_for_deceased",
    "reversal_for_resident",
    "stop_pension",
    "stop_welfare",
    "survivor_benefits",
    "verify_death",
    "verify_kinship",
]

Payload = dict[str, Any]

# The heir steps come in two rows (with the case, or late for a proactive case); whichever ran
# holds the reference.
_HEIR_ACCOUNT_STEPS = ("register_heir_account", "register_heir_account_late")
_REASON_LIMIT = 500  # ReasonText's max_length


def _deceased(ctx: Context) -> str:
    return str(ctx.data["deceased_id"])


def _date_of_death(ctx: Context) -> str:
    return str(ctx.data["date_of_death"])


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


def accept(ctx: Context) -> Payload:
    return {"office_division": ctx.division_code}


def cancel_accept(_: Context) -> Payload:
    return {}  # the case id names the application file


def verify_death(ctx: Context) -> Payload:
    return {"deceased_id": _deceased(ctx), "date_of_death": _date_of_death(ctx)}


def verify_kinship(ctx: Context) -> Payload:
    applicant = _applicant(ctx)
    return {
        "applicant_id": applicant["resident_id"],
        "deceased_id": _deceased(ctx),
        "relation": applicant["relation"],
    }


def register_heir_account(ctx: Context) -> Payload:
    return {
        "deceased_id": _deceased(ctx),
        "heir_id": _heir_id(ctx),
        "bank_account": ctx.data["heir_account"]["account_no"],
    }


def discard_heir_data(_: Context) -> Payload:
    return {}  # the case id names the heir data


def notify_next_of_kin(ctx: Context) -> Payload:
    return {"deceased_id": _deceased(ctx)}


# --- D4 the pivot ------------------------------------------------------------------------------


def confirm_death(ctx: Context) -> Payload:
    return {
        "deceased_id": _deceased(ctx),
        "date_of_death": _date_of_death(ctx),
        "death_certificate_no": ctx.data["death_certificate_no"],
        "division_code": ctx.division_code,
    }


# --- D5–D12 the branches -----------------------------------------------------------------------


def record_cremation(ctx: Context) -> Payload:
    return {
        "deceased_id": _deceased(ctx),
        "death_certificate_no": ctx.data["death_certificate_no"],
        "cremated_on": _cremation_day(ctx).isoformat(),
        "funeral_home_division": ctx.division_code,
    }


def _cremation_day(ctx: Context) -> date:
    """The case data carries no cremation date, so the funeral home is told the day the death
    was confirmed in China, which is the day this command goes out."""
    confirmed_at = ctx.results.get("confirm_death", {}).get("confirmed_at")
    if isinstance(confirmed_at, datetime):
        return china_date(confirmed_at)
    if isinstance(confirmed_at, str):
        return china_date(datetime.fromisoformat(confirmed_at))
    return china_date(ctx.received_at)


def funeral_fee_waiver(ctx: Context) -> Payload:
    return {
        "deceased_id": _deceased(ctx),
        "cremation_certificate_no": ctx.results["record_cremation"]["cremation_certificate_no"],
        "division_code": ctx.division_code,
    }


def cancel_hukou(ctx: Context) -> Payload:
    return {
        "resident_id": _deceased(ctx),
        "date_of_death": _date_of_death(ctx),
        "death_certificate_no": ctx.data["death_certificate_no"],
    }


def stop_pension(ctx: Context) -> Payload:
    return {"resident_id": _deceased(ctx), "date_of_death": _date_of_death(ctx)}


def survivor_benefits(ctx: Context) -> Payload:
    """Net of the overpayment D8 answered; an insured person who drew no pension has none
    (``stop_pension`` was skipped as ``no_pension``, so it left no result)."""
    return {
        "deceased_id": _deceased(ctx),
        "heir_id": _heir_id(ctx),
        "heir_account_ref": _required_heir_account_ref(ctx),
        "overpayment_fen": int(ctx.results.get("stop_pension", {}).get("overpayment_fen", 0)),
    }


def end_medical_insurance(ctx: Context) -> Payload:
    """Ends the enrolment only: no heir data, so it can go out before the family applies."""
    return {"resident_id": _deceased(ctx), "date_of_death": _date_of_death(ctx)}


def pay_out_medical_account(ctx: Context) -> Payload:
    return {"resident_id": _deceased(ctx), "heir_account_ref": _required_heir_account_ref(ctx)}


def housing_fund_withdrawal(ctx: Context) -> Payload:
    return {
        "deceased_id": _deceased(ctx),
        "heir_id": _heir_id(ctx),
        "heir_account_ref": _required_heir_account_ref(ctx),
    }


def stop_welfare(ctx: Context) -> Payload:
    return {"deceased_id": _deceased(ctx), "date_of_death": _date_of_death(ctx)}


def cancel_disability_card(ctx: Context) -> Payload:
    return {"resident_id": _deceased(ctx), "date_of_death": _date_of_death(ctx)}


# --- The reversal: every correction names the person and says why ---------------------------


def _reversal_reason(ctx: Context) -> str:
    reason = f"{ctx.data['reason']}（原办件 {ctx.data['original_case_id']}）"
    return reason[:_REASON_LIMIT]


def reversal_for_resident(ctx: Context) -> Payload:
    """For commands that name the person as ``resident_id`` (they are alive after all)."""
    return {"resident_id": _deceased(ctx), "reason": _reversal_reason(ctx)}


def reversal_for_deceased(ctx: Context) -> Payload:
    """For commands that name the person as ``deceased_id`` (the record they correct)."""
    return {"deceased_id": _deceased(ctx), "reason": _reversal_reason(ctx)}
