"""What a service-hall window submits: one form per one-thing, validated at the edge.

The form is the citizen's single application (一表申请). The window API validates it with these
models (precise errors naming each field and rule), then starts the case with the form as the
case data; the saga's builders hand each department only the fields its step needs.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from contracts.identifiers import DeathCertificateNo, ResidentId

__all__ = [
    "AfterDeathApplication",
    "AfterDeathOptIns",
    "Applicant",
    "BankAccount",
    "CaseAccepted",
    "Supplement",
    "Withdrawal",
]

Name = Annotated[str, Field(min_length=1, max_length=50)]
Relation = Literal["spouse", "child", "parent", "sibling", "agent"]


class _Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Applicant(_Form):
    """The close relative (近亲属) who applies, or an agent (代办人) acting for one."""

    resident_id: ResidentId
    name: Name
    relation: Relation
    phone: Annotated[str, Field(pattern=r"^1\d{10}$", description="11-digit mobile number")]
    on_behalf_of: ResidentId | None = Field(
        default=None, description="For an agent: the relative they act for"
    )

    @model_validator(mode="after")
    def _agent_names_principal(self) -> Applicant:
        if self.relation == "agent" and self.on_behalf_of is None:
            raise ValueError("on_behalf_of is required when relation is 'agent'")
        return self


class BankAccount(_Form):
    """Where money due to the heirs is paid (survivor benefits, personal-account balances)."""

    bank: Annotated[str, Field(min_length=2, max_length=60)]
    account_no: Annotated[str, Field(pattern=r"^\d{12,19}$", description="12-19 digits")]
    holder_name: Name


class AfterDeathOptIns(_Form):
    """Items the family may choose on the one form; each defaults to what most families want."""

    funeral_fee_waiver: bool = True  # 惠民殡葬 basic funeral-fee waiver
    survivor_benefits: bool = True  # funeral grant, survivor pension, pension account balance
    medical_account_payout: bool = True  # 医保个人账户 balance to the heirs
    housing_fund_withdrawal: bool = False  # 公积金 withdrawal by heirs


class AfterDeathApplication(_Form):
    """公民身后一件事: one application for everything that follows a death."""

    deceased_id: ResidentId
    deceased_name: Name
    date_of_death: date
    death_certificate_no: DeathCertificateNo
    applicant: Applicant
    heir_account: BankAccount | None = Field(
        default=None, description="Required when any payout is opted in"
    )
    opt_ins: AfterDeathOptIns = AfterDeathOptIns()

    @model_validator(mode="after")
    def _consistent(self) -> AfterDeathApplication:
        if self.date_of_death > date.today():
            raise ValueError("date_of_death cannot be in the future")
        if self.applicant.resident_id == self.deceased_id:
            raise ValueError("applicant.resident_id must differ from deceased_id")
        o = self.opt_ins
        payouts = o.survivor_benefits or o.medical_account_payout or o.housing_fund_withdrawal
        if payouts and self.heir_account is None:
            raise ValueError("heir_account is required when a payout is opted in")
        return self


class Supplement(_Form):
    """补正: material the case is waiting for, as form fields to add or correct."""

    data: dict[str, object] = Field(min_length=1)
    note: Annotated[str, Field(max_length=500)] | None = None


class Withdrawal(_Form):
    """The applicant withdraws the case (only before the pivot)."""

    reason: Annotated[str, Field(min_length=1, max_length=500)]


class CaseAccepted(BaseModel):
    """The window API's answer to a submission: the case id to follow."""

    case_id: str
    status: str = "received"
    links: dict[str, str] = Field(default_factory=dict)
