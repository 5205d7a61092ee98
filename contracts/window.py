"""What a service-hall window submits for the after-death one-thing, and what every window sends
about a case it has (a supplement, a withdrawal, a clerk's task result); validated at the edge.

The form is the citizen's single application (一表申请). The window API validates it with these
models (precise errors naming each field and rule, every broken rule at once: ``contracts.forms``),
then starts the case with the form as the case data; the saga's builders hand each department
only the fields its step needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field

from contracts.fields import IsoDate, OneLineText, PersonName, StrictFlag
from contracts.forms import (
    Broken,
    Form,
    FormRules,
    Loc,
    age_on,
    date_or_none,
    part,
    resident_id_or_none,
)
from contracts.identifiers import DeathCertificateNo, ResidentId, birth_date

__all__ = [
    "ADULT_AGE",
    "AfterDeathApplication",
    "AfterDeathOptIns",
    "Applicant",
    "BankAccount",
    "CaseAccepted",
    "Objection",
    "Supplement",
    "TaskResult",
    "Withdrawal",
]

ADULT_AGE = 18  # an applicant acts in law for the family (完全民事行为能力人)
Relation = Literal["spouse", "child", "parent", "sibling", "agent"]


def _applicant_rules(raw: Mapping[str, Any], _today: date) -> list[Broken]:
    broken: list[Broken] = []
    if raw.get("relation") == "agent" and raw.get("on_behalf_of") is None:
        broken.append((("on_behalf_of",), "on_behalf_of is required when relation is 'agent'"))
    principal, agent = (
        resident_id_or_none(raw.get("on_behalf_of")),
        resident_id_or_none(raw.get("resident_id")),
    )
    if principal is not None and principal == agent:
        broken.append((("on_behalf_of",), "on_behalf_of must be another person than the agent"))
    return broken


def _kinship_rules(
    relation: object, applicant_birth: date, deceased_birth: date | None, death: date | None
) -> list[Broken]:
    """A child is born after the parent and by the death; a parent is born before the child."""
    where: Loc = ("applicant", "relation")
    if relation == "child":
        if deceased_birth is not None and applicant_birth <= deceased_birth:
            return [(where, "a 'child' must be born after the deceased (birth dates of the IDs)")]
        if death is not None and applicant_birth > death:
            return [(where, "a 'child' cannot be born after date_of_death")]
    if relation == "parent" and deceased_birth is not None and applicant_birth >= deceased_birth:
        return [(where, "a 'parent' must be born before the deceased (birth dates of the IDs)")]
    return []


_PAYOUTS = {
    "survivor_benefits": True,
    "medical_account_payout": True,
    "housing_fund_withdrawal": False,
}


def _application_rules(raw: Mapping[str, Any], today: date) -> list[Broken]:
    broken: list[Broken] = []
    deceased = resident_id_or_none(raw.get("deceased_id"))
    deceased_birth = birth_date(deceased) if deceased else None
    death = date_or_none(raw.get("date_of_death"))
    if death is not None and death > today:
        broken.append((("date_of_death",), "date_of_death cannot be in the future"))
    if death is not None and deceased_birth is not None and death < deceased_birth:
        broken.append(
            (
                ("date_of_death",),
                "date_of_death cannot be before the deceased's birth (deceased_id)",
            )
        )
    applicant = part(raw, "applicant")
    applicant_id = resident_id_or_none(applicant.get("resident_id"))
    if applicant_id is not None:
        if applicant_id == deceased:
            broken.append(
                (("applicant", "resident_id"), "applicant.resident_id must differ from deceased_id")
            )
        else:
            born = birth_date(applicant_id)
            if age_on(born, today) < ADULT_AGE:
                broken.append(
                    (
                        ("applicant", "resident_id"),
                        f"the applicant must be an adult ({ADULT_AGE} or older today, by the"
                        " birth date in the resident ID)",
                    )
                )
            broken += _kinship_rules(applicant.get("relation"), born, deceased_birth, death)
    if deceased is not None and resident_id_or_none(applicant.get("on_behalf_of")) == deceased:
        broken.append(
            (("applicant", "on_behalf_of"), "an agent acts for a relative, not for the deceased")
        )
    opt_ins = part(raw, "opt_ins")
    payouts = any(opt_ins.get(flag, default) is True for flag, default in _PAYOUTS.items())
    if payouts and raw.get("heir_account") is None:
        broken.append((("heir_account",), "heir_account is required when a payout is opted in"))
    return broken


# --- The forms ------------------------------------------------------------------------------------


class Applicant(Form):
    """The close relative (近亲属) who applies, or an agent (代办人) acting for one."""

    form_rules: ClassVar[FormRules] = _applicant_rules

    resident_id: ResidentId
    name: PersonName
    relation: Relation
    phone: Annotated[
        str, Field(pattern=r"^1[0-9]{10}$", description="11-digit mobile number, ASCII digits")
    ]
    on_behalf_of: ResidentId | None = Field(
        default=None, description="For an agent: the relative they act for"
    )


class BankAccount(Form):
    """Where money due to the heirs is paid (survivor benefits, personal-account balances)."""

    bank: Annotated[OneLineText, Field(min_length=2, max_length=60)]
    account_no: Annotated[str, Field(pattern=r"^[0-9]{12,19}$", description="12-19 ASCII digits")]
    holder_name: PersonName


class AfterDeathOptIns(Form):
    """Items the family may choose on the one form; each defaults to what most families want."""

    funeral_fee_waiver: StrictFlag = True  # 惠民殡葬 basic funeral-fee waiver
    survivor_benefits: StrictFlag = True  # funeral grant, survivor pension, pension balance
    medical_account_payout: StrictFlag = True  # 医保个人账户 balance to the heirs
    housing_fund_withdrawal: StrictFlag = False  # 公积金 withdrawal by heirs


class AfterDeathApplication(Form):
    """公民身后一件事: one application for everything that follows a death."""

    form_rules: ClassVar[FormRules] = _application_rules

    deceased_id: ResidentId
    deceased_name: PersonName
    date_of_death: Annotated[IsoDate, Field(description="YYYY-MM-DD, not before the birth")]
    death_certificate_no: DeathCertificateNo
    applicant: Applicant
    heir_account: BankAccount | None = Field(
        default=None, description="Required when any payout is opted in"
    )
    opt_ins: AfterDeathOptIns = AfterDeathOptIns()


class Supplement(Form):
    """补正: material the case is waiting for, as form fields to add or correct."""

    data: dict[str, object] = Field(min_length=1)
    note: Annotated[OneLineText, Field(max_length=500)] | None = None


class Withdrawal(Form):
    """The applicant withdraws the case (only before the pivot)."""

    reason: Annotated[OneLineText, Field(min_length=1, max_length=500)]


class TaskResult(Form):
    """A clerk's result for a clerk task (人工核验, 审核决定): approved or refused, by whom, why.

    The clerk is named by their staff id at this window; the reason is kept in the case's
    timeline with it, as the audit of who decided what."""

    approved: StrictFlag
    clerk_id: Annotated[
        str,
        Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="The clerk's staff id, e.g. SQ-0231"),
    ]
    reason: Annotated[OneLineText, Field(min_length=1, max_length=500)]
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="What the clerk records with an approval, for a task that asks for it (a"
        " home visit's findings): the task's own form, checked field by field; empty otherwise",
    )


class Objection(Form):
    """An objection to a public notice (公示异议), recorded by the clerk who received it."""

    clerk_id: Annotated[
        str,
        Field(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="The clerk's staff id, e.g. SQ-0231"),
    ]
    reason: Annotated[OneLineText, Field(min_length=1, max_length=500)]


class CaseAccepted(BaseModel):
    """The window API's answer to a submission: the case id to follow."""

    case_id: str
    status: str = "received"
    links: dict[str, str] = Field(default_factory=dict)
