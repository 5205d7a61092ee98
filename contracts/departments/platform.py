"""The platform's own steps: confirm a death, keep the heir's account, send notices.

``ConfirmDeath`` is the after-death pivot (D4): it records the death as confirmed and publishes
``DeathConfirmed`` on the department-events topic, where the assistance one-thing hears it; its
reply carries the same fields. A death is confirmed once, whichever case asks; revoking the
confirmation (a retracted death) publishes ``DeathConfirmationRevoked`` the same way. The heir's
bank account (D3) is kept here alone and departments get an opaque reference, so the account
number travels to no one else. Notices (M11, D13, H10, the next-of-kin notice of a proactive
case, the refusal notice of a rejected case, the correction of an earlier notice and the notice
of a reversal's corrections) are records: the simulator does not deliver anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import CountyCode, DeathCertificateNo, ResidentId
from contracts.message import Message

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CompletionNoticeSent",
    "ConfirmDeath",
    "CorrectNextOfKinNotice",
    "CorrectionNoticeSent",
    "DeathConfirmationRevoked",
    "DeathConfirmed",
    "DiscardHeirData",
    "HeirAccountRegistered",
    "HeirDataDiscarded",
    "NextOfKinNoticeCorrected",
    "NextOfKinNotified",
    "NoticeItem",
    "NotifyNextOfKin",
    "RefusalNoticeSent",
    "RefusalReason",
    "RegisterHeirAccount",
    "RevokeDeathConfirmation",
    "SendCompletionNotice",
    "SendCorrectionNotice",
    "SendRefusalNotice",
]

DEPARTMENT = Department.PLATFORM


class ConfirmDeath(CommandPayload):
    """D4 (pivot): confirm the death on the shared topic database."""

    deceased_id: ResidentId
    date_of_death: date
    death_certificate_no: DeathCertificateNo
    division_code: CountyCode


class DeathConfirmed(Message):
    """A death is confirmed: benefits stop, the household's assistance is reviewed."""

    message_type = "DeathConfirmed"

    case_id: str
    deceased_id: ResidentId
    date_of_death: date
    certificate_no: str
    division_code: CountyCode
    confirmed_at: datetime


class RevokeDeathConfirmation(CommandPayload):
    """Reversal: the death was retracted; the confirmation no longer stands."""

    deceased_id: ResidentId
    reason: ReasonText


class DeathConfirmationRevoked(Message):
    """A confirmed death no longer stands (the death was retracted): whoever acted on
    ``DeathConfirmed`` reviews what it did. Published, and answered, by ``RevokeDeathConfirmation``."""

    message_type = "DeathConfirmationRevoked"

    case_id: str
    deceased_id: ResidentId
    reason: ReasonText
    revoked_at: datetime


class RegisterHeirAccount(CommandPayload):
    """D3: keep the heir's bank account; departments are given only the reference."""

    deceased_id: ResidentId
    heir_id: ResidentId
    bank_account: Annotated[str, StringConstraints(pattern=r"^\d{12,19}$")]


class HeirAccountRegistered(ReplyData):
    heir_account_ref: str


class DiscardHeirData(CommandPayload):
    """Undo D3: forget the heir data this case registered (the case id names it)."""


class HeirDataDiscarded(ReplyData):
    discarded: int


class NoticeItem(CommandPayload):
    """One line of a completion notice: what, how it ended, and why if not done."""

    item: Annotated[str, Field(min_length=1, max_length=100)]
    status: Literal["done", "pending", "refused", "failed", "skipped"]
    reason: str | None = None


class SendCompletionNotice(CommandPayload):
    """M11 / D13 / H10: tell the applicants what was done, what is pending and what was refused."""

    recipient_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=5)]
    saga: Annotated[str, Field(min_length=1, max_length=40)]
    items: list[NoticeItem]


class CompletionNoticeSent(ReplyData):
    notice_no: str


class NotifyNextOfKin(CommandPayload):
    """A proactive case opened on ``DeathCertified``: tell the next of kin what they can do."""

    deceased_id: ResidentId


class NextOfKinNotified(ReplyData):
    notice_no: str
    notified: int


RecipientIds = Annotated[list[ResidentId], Field(min_length=1, max_length=5)]
SagaName = Annotated[str, Field(min_length=1, max_length=40)]


class RefusalReason(CommandPayload):
    """One written reason of a refusal: which item, and why (Chinese, for the applicant)."""

    item: Annotated[str, Field(min_length=1, max_length=100)]
    reason: ReasonText


class SendRefusalNotice(CommandPayload):
    """不予受理/不予批准告知书: tell the applicants in writing why their case was refused, within
    three working days of the decision. ``not_accepted`` when the application itself was
    refused (不予受理), ``not_approved`` when it was accepted and then refused (不予批准)."""

    recipient_ids: RecipientIds
    saga: SagaName
    decision: Literal["not_accepted", "not_approved"]
    reasons: Annotated[list[RefusalReason], Field(min_length=1, max_length=20)]


class RefusalNoticeSent(ReplyData):
    notice_no: str


class CorrectNextOfKinNotice(CommandPayload):
    """更正告知: the next of kin were told a death was certified and what they could do, and the
    case was then refused; tell the same people that notice no longer stands, and why."""

    deceased_id: ResidentId
    corrected_notice_no: Annotated[str, Field(min_length=1, max_length=40)]
    reasons: Annotated[list[RefusalReason], Field(min_length=1, max_length=20)]


class NextOfKinNoticeCorrected(ReplyData):
    notice_no: str
    notified: int


class SendCorrectionNotice(CommandPayload):
    """更正告知 of a reversal: tell the person (and whoever applied) what was corrected, and why."""

    recipient_ids: RecipientIds
    saga: SagaName
    original_case_id: Annotated[str, Field(min_length=1, max_length=64)]
    reason: ReasonText
    items: Annotated[list[NoticeItem], Field(min_length=1, max_length=30)]


class CorrectionNoticeSent(ReplyData):
    notice_no: str


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "already_confirmed": "死亡事实已确认",
    "not_confirmed": "死亡事实未确认，无需撤销",
    "no_next_of_kin": "查无可通知的近亲属",
    "notice_not_found": "查无需更正的原通知",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        ConfirmDeath,
        DeathConfirmed,
        refused=("DeathConfirmationRefused",),
        reason_codes=("death_not_certified", "already_confirmed"),
        summary="死亡事实确认并发布 confirm the death (pivot, emits DeathConfirmed)",
    ),
    CommandSpec(
        RevokeDeathConfirmation,
        DeathConfirmationRevoked,
        refused=("DeathConfirmationRevocationRefused",),
        reason_codes=("not_confirmed",),
        kind=CommandKind.REVERSE,
        undoes="ConfirmDeath",
        summary="撤销死亡确认并发布 revoke the confirmation (emits DeathConfirmationRevoked)",
    ),
    CommandSpec(
        RegisterHeirAccount,
        HeirAccountRegistered,
        summary="登记继承人账户 register the heir's bank account",
    ),
    CommandSpec(
        DiscardHeirData,
        HeirDataDiscarded,
        kind=CommandKind.COMPENSATE,
        undoes="RegisterHeirAccount",
        summary="删除继承人信息 discard the heir data",
    ),
    CommandSpec(
        SendCompletionNotice,
        CompletionNoticeSent,
        summary="办结告知 completion notice",
    ),
    CommandSpec(
        NotifyNextOfKin,
        NextOfKinNotified,
        refused=("NextOfKinNotificationRefused",),
        reason_codes=("no_next_of_kin",),
        summary="通知近亲属 notify the next of kin",
    ),
    CommandSpec(
        SendRefusalNotice,
        RefusalNoticeSent,
        summary="不予受理/不予批准告知书 refusal notice with written reasons",
    ),
    CommandSpec(
        CorrectNextOfKinNotice,
        NextOfKinNoticeCorrected,
        refused=("NextOfKinNoticeCorrectionRefused",),
        reason_codes=("notice_not_found",),
        summary="更正告知 correct the notice sent to the next of kin",
    ),
    CommandSpec(
        SendCorrectionNotice,
        CorrectionNoticeSent,
        summary="更正告知 tell the person what a reversal corrected",
    ),
)
