"""What a township window submits for the help-and-assistance one-thing (帮扶救助一件事): one
application for the household, assessed for every programme (一次申请、联动救助).

The household applies once, with its roster and the signed consent to check its finances
(家庭经济状况核对授权书); the window need not know which programmes it qualifies for — 低保,
特困, the low-income status, the two disability subsidies, temporary assistance — because the
assessment looks at all of them. What the form can check it checks here, every broken rule named
at once (``contracts.forms``); what only the departments and the home visit know (income,
assets, who can work) is found out in the case.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from contracts.departments.spec import HouseholdId
from contracts.fields import OneLineText, PersonName, StrictFlag
from contracts.forms import Broken, Form, FormRules
from contracts.identifiers import ResidentId
from contracts.window import BankAccount

__all__ = [
    "MAX_MEMBERS",
    "AssistanceApplication",
    "Hardship",
    "HouseholdMember",
    "MemberRelation",
]

MAX_MEMBERS = 12
# The member's relation to the applicant, who is the member marked ``self``.
MemberRelation = Literal[
    "self", "spouse", "child", "parent", "grandchild", "grandparent", "sibling", "other"
]
HardshipKind = Literal["medical", "accident", "disaster", "education", "other"]


class HouseholdMember(Form):
    """One person of the household as the roster (户口簿 and who lives together) gives them."""

    resident_id: ResidentId
    name: PersonName
    relation: MemberRelation


class Hardship(Form):
    """A spending shock the household cannot bear (临时救助): what happened and what it costs."""

    kind: HardshipKind
    amount_fen: Annotated[
        int, Field(gt=0, le=10_000_000, description="What the household must pay, in fen")
    ]
    description: Annotated[OneLineText, Field(min_length=1, max_length=200)]


def _application_rules(raw: Mapping[str, Any], _today: date) -> list[Broken]:
    broken: list[Broken] = []
    if raw.get("consent_signed") is False:
        broken.append(
            (
                ("consent_signed",),
                "consent_signed must be true: every adult member signs the consent to check the"
                " household's income and assets (家庭经济状况核对授权书)",
            )
        )
    members = raw.get("members")
    if isinstance(members, list):
        broken += _roster_rules(members)
    if raw.get("urgent") is True and raw.get("hardship") is None:
        broken.append((("hardship",), "hardship is required when urgent is true"))
    return broken


def _roster_rules(members: list[Any]) -> list[Broken]:
    rows = [m for m in members if isinstance(m, Mapping)]
    broken: list[Broken] = []
    selves = [i for i, m in enumerate(rows) if m.get("relation") == "self"]
    if len(selves) != 1:
        broken.append(
            (("members",), "exactly one member is the applicant (relation self)"),
        )
    seen: dict[str, int] = {}
    for index, member in enumerate(rows):
        rid = str(member.get("resident_id", "")).strip().upper()
        if rid and rid in seen:
            broken.append(
                (
                    ("members", index, "resident_id"),
                    f"the same person as member {seen[rid]}: each member is listed once",
                )
            )
        seen.setdefault(rid, index)
    return broken


class AssistanceApplication(Form):
    """The household's one application for assistance (社会救助申请), at its township window."""

    form_rules: ClassVar[FormRules] = _application_rules

    household_id: HouseholdId
    residence: Literal["urban", "rural"] = Field(
        description="Which standard applies: the household's hukou, urban or rural"
    )
    members: Annotated[list[HouseholdMember], Field(min_length=1, max_length=MAX_MEMBERS)]
    phone: Annotated[
        str, Field(pattern=r"^1[0-9]{10}$", description="The applicant's 11-digit mobile number")
    ]
    consent_signed: StrictFlag
    payee_account: BankAccount
    hardship: Hardship | None = None
    urgent: StrictFlag = Field(
        default=False,
        description="The household cannot wait (三先三后): temporary aid is paid first, the proof"
        " follows within 10 working days",
    )
    centralised_care: StrictFlag = Field(
        default=False, description="特困: the applicant asks for care in an institution (集中供养)"
    )
