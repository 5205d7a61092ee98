"""What a registry office's window submits for the marriage one-thing (结婚一件事): the joint
application to marry, and the joint application to divorce by agreement (协议离婚).

Both parties apply together, in person, at any registry office (nationwide since 2025-05-10,
with the resident ID card and a signed declaration; no hukou booklet). What the form can check
it checks here, with every broken rule named at once (``contracts.forms``); what only the
departments know — whether each party is alive and of marriage age, already married, or married
to the other — is their refusal in the case, with the reason in Chinese. The same person named
twice is such a refusal too (public security's identity check), so the couple is told why in
words a citizen reads, not as a field error.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field

from contracts.departments.civil_affairs import MarriageRecordNo
from contracts.fields import PersonName, StrictFlag
from contracts.forms import Broken, Form, FormRules
from contracts.identifiers import ResidentId

__all__ = ["DivorceApplication", "MarriageApplication", "MarriageOptIns", "Party", "PartyKey"]

# Which party a field names: the form's two parties, in the order the couple gave them.
PartyKey = Literal["party_a", "party_b"]
PARTIES: tuple[PartyKey, PartyKey] = ("party_a", "party_b")


class Party(Form):
    """One of the two parties, as on their resident ID card."""

    resident_id: ResidentId
    name: PersonName
    phone: Annotated[
        str, Field(pattern=r"^1[0-9]{10}$", description="11-digit mobile number, ASCII digits")
    ]


class MarriageOptIns(Form):
    """The services the couple may ask for on the same form; none is needed to marry."""

    premarital_check_voucher: StrictFlag = False  # 免费婚检券 from health; never blocks
    fertility_registration: StrictFlag = False  # 生育登记 with health
    # 投靠: whose hukou moves into the other's household; a local rule may refuse it.
    hukou_move: PartyKey | None = Field(
        default=None, description="party_a or party_b: whose hukou moves to the spouse's household"
    )


def _signed(flag: str, what: str) -> FormRules:
    def rules(raw: Mapping[str, Any], _today: date) -> list[Broken]:
        if raw.get(flag) is False:
            return [((flag,), f"{flag} must be true: {what}")]
        return []

    return rules


_marriage_rules = _signed(
    "declaration_signed",
    "both parties sign the declaration (声明书) in person: no spouse, not close relatives",
)


class MarriageApplication(Form):
    """The joint application to register a marriage (结婚登记), with its opt-ins."""

    form_rules: ClassVar[FormRules] = _marriage_rules

    party_a: Party
    party_b: Party
    declaration_signed: StrictFlag
    opt_ins: MarriageOptIns = MarriageOptIns()


_divorce_rules = _signed(
    "agreement_signed",
    "both parties sign the divorce agreement (离婚协议书): children, property and debts",
)


class DivorceApplication(Form):
    """The joint application to divorce by agreement (协议离婚), with the marriage it ends."""

    form_rules: ClassVar[FormRules] = _divorce_rules

    party_a: Party
    party_b: Party
    marriage_certificate_no: MarriageRecordNo  # the marriage's J/BJ number, never a divorce's
    agreement_signed: StrictFlag
