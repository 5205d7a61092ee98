"""What a service-hall window submits: one form per one-thing, validated at the edge.

The form is the citizen's single application (一表申请). The window API validates it with these
models (precise errors naming each field and rule), then starts the case with the form as the
case data; the saga's builders hand each department only the fields its step needs.

Every broken rule is reported at once: the rules that relate fields (a date of death before the
deceased's birth, an applicant who is the deceased, a payout without an account) are checked on
whatever parts of the form could be read, beside the errors of the fields themselves, which
pydantic's ``mode="after"`` validators cannot do (they run only on a form without field errors).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    TypeAdapter,
    ValidationError,
    model_validator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from contracts.fields import IsoDate, OneLineText, PersonName, StrictFlag
from contracts.identifiers import (
    DeathCertificateNo,
    InvalidIdentifier,
    ResidentId,
    birth_date,
    check_resident_id,
    today_in_china,
)

__all__ = [
    "ADULT_AGE",
    "AfterDeathApplication",
    "AfterDeathOptIns",
    "Applicant",
    "BankAccount",
    "CaseAccepted",
    "Supplement",
    "TaskResult",
    "Withdrawal",
]

ADULT_AGE = 18  # an applicant acts in law for the family (完全民事行为能力人)
Relation = Literal["spouse", "child", "parent", "sibling", "agent"]
Loc = tuple[str | int, ...]
Broken = tuple[Loc, str]  # where a whole-form rule is broken, and which rule
FormRules = Callable[[Mapping[str, Any], date], list[Broken]]


_DATE: TypeAdapter[date] = TypeAdapter(IsoDate)  # a raw form's dates, read as the field does


def _rules_none(_raw: Mapping[str, Any], _today: date) -> list[Broken]:
    return []


def _as_mapping(data: object) -> Mapping[str, Any] | None:
    """The raw form as a mapping: given as one, as JSON text, or as a model (from Python)."""
    if isinstance(data, str | bytes | bytearray):
        try:
            data = json.loads(data)
        except ValueError:
            return None
    if isinstance(data, BaseModel):
        return data.model_dump()
    return data if isinstance(data, Mapping) else None


class _Form(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    # The form's whole-form rules, over the raw input (see the module docstring).
    form_rules: ClassVar[FormRules] = _rules_none

    @model_validator(mode="wrap")
    @classmethod
    def _every_rule(cls, data: Any, handler: ModelWrapValidatorHandler[Self]) -> Self:
        raw = _as_mapping(data)
        if raw is None or isinstance(data, cls):
            return handler(data)  # not a form (the field errors say so), or one already checked
        errors: list[InitErrorDetails] = []
        try:
            form = handler(data)
        except ValidationError as exc:
            errors = [
                InitErrorDetails(
                    type=PydanticCustomError(error["type"], error["msg"]),
                    loc=error["loc"],
                    input=error["input"],
                )
                for error in exc.errors()
            ]
        failed = {error["loc"] for error in errors}
        for loc, rule in cls.form_rules(raw, today_in_china()):
            if loc not in failed:
                errors.append(
                    InitErrorDetails(
                        type=PydanticCustomError("form_rule", rule), loc=loc, input=None
                    )
                )
        if errors:
            raise ValidationError.from_exception_data(cls.__name__, errors)
        return form


# --- Reading the parts of a raw form that the whole-form rules need ------------------------------


def _part(raw: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = raw.get(key)
    if isinstance(value, BaseModel):
        return value.model_dump()
    return value if isinstance(value, Mapping) else {}


def _resident_id(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return check_resident_id(value.strip())
    except InvalidIdentifier:
        return None


def _date(value: object) -> date | None:
    try:
        return _DATE.validate_python(value)
    except ValidationError:
        return None


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _applicant_rules(raw: Mapping[str, Any], _today: date) -> list[Broken]:
    broken: list[Broken] = []
    if raw.get("relation") == "agent" and raw.get("on_behalf_of") is None:
        broken.append((("on_behalf_of",), "on_behalf_of is required when relation is 'agent'"))
    principal, agent = _resident_id(raw.get("on_behalf_of")), _resident_id(raw.get("resident_id"))
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
    deceased = _resident_id(raw.get("deceased_id"))
    deceased_birth = birth_date(deceased) if deceased else None
    death = _date(raw.get("date_of_death"))
    if death is not None and death > today:
        broken.append((("date_of_death",), "date_of_death cannot be in the future"))
    if death is not None and deceased_birth is not None and death < deceased_birth:
        broken.append(
            (
                ("date_of_death",),
                "date_of_death cannot be before the deceased's birth (deceased_id)",
            )
        )
    applicant = _part(raw, "applicant")
    applicant_id = _resident_id(applicant.get("resident_id"))
    if applicant_id is not None:
        if applicant_id == deceased:
            broken.append(
                (("applicant", "resident_id"), "applicant.resident_id must differ from deceased_id")
            )
        else:
            born = birth_date(applicant_id)
            if _age_on(born, today) < ADULT_AGE:
                broken.append(
                    (
                        ("applicant", "resident_id"),
                        f"the applicant must be an adult ({ADULT_AGE} or older today, by the"
                        " birth date in the resident ID)",
                    )
                )
            broken += _kinship_rules(applicant.get("relation"), born, deceased_birth, death)
    if deceased is not None and _resident_id(applicant.get("on_behalf_of")) == deceased:
        broken.append(
            (("applicant", "on_behalf_of"), "an agent acts for a relative, not for the deceased")
        )
    opt_ins = _part(raw, "opt_ins")
    payouts = any(opt_ins.get(flag, default) is True for flag, default in _PAYOUTS.items())
    if payouts and raw.get("heir_account") is None:
        broken.append((("heir_account",), "heir_account is required when a payout is opted in"))
    return broken


# --- The forms ------------------------------------------------------------------------------------


class Applicant(_Form):
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


class BankAccount(_Form):
    """Where money due to the heirs is paid (survivor benefits, personal-account balances)."""

    bank: Annotated[OneLineText, Field(min_length=2, max_length=60)]
    account_no: Annotated[str, Field(pattern=r"^[0-9]{12,19}$", description="12-19 ASCII digits")]
    holder_name: PersonName


class AfterDeathOptIns(_Form):
    """Items the family may choose on the one form; each defaults to what most families want."""

    funeral_fee_waiver: StrictFlag = True  # 惠民殡葬 basic funeral-fee waiver
    survivor_benefits: StrictFlag = True  # funeral grant, survivor pension, pension balance
    medical_account_payout: StrictFlag = True  # 医保个人账户 balance to the heirs
    housing_fund_withdrawal: StrictFlag = False  # 公积金 withdrawal by heirs


class AfterDeathApplication(_Form):
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


class Supplement(_Form):
    """补正: material the case is waiting for, as form fields to add or correct."""

    data: dict[str, object] = Field(min_length=1)
    note: Annotated[OneLineText, Field(max_length=500)] | None = None


class Withdrawal(_Form):
    """The applicant withdraws the case (only before the pivot)."""

    reason: Annotated[OneLineText, Field(min_length=1, max_length=500)]


class TaskResult(_Form):
    """A clerk's result for a clerk task (人工核验, 审核决定): approved or refused, by whom, why.

    The clerk is named by their staff id at this window; the reason is kept in the case's
    timeline with it, as the audit of who decided what."""

    approved: StrictFlag
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
