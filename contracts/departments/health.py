"""Health (卫健): death certificates, the death-record check, premarital checks and fertility.

The hospital's e-certificate system is where the after-death one-thing can begin: issuing a
certificate publishes ``DeathCertified`` on the department-events topic, which opens a draft case
(免申即享); retracting one as erroneous publishes ``DeathRetracted``, which starts the reversal
saga. The certificate number is the deceased's resident ID (the rule from 2026-07-01). Marriage
uses the premarital-check voucher (M3, opt-in, voided if the case rolls back) and fertility
registration (M9, opt-in); after-death uses ``VerifyDeathRecord`` (D2).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated

from pydantic import Field

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
from contracts.identifiers import (
    CountyCode,
    CreditCode,
    DeathCertificateNo,
    MarriageCertificateNo,
    ResidentId,
)
from contracts.message import Message

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "DeathCertificateIssued",
    "DeathCertificateRetracted",
    "DeathCertified",
    "DeathRecordVerified",
    "DeathRetracted",
    "FertilityRegistered",
    "IssueDeathCertificate",
    "IssuePremaritalCheckVoucher",
    "PremaritalCheckVoucherIssued",
    "PremaritalCheckVoucherVoided",
    "RegisterFertility",
    "RetractDeathCertificate",
    "VerifyDeathRecord",
    "VoidPremaritalCheckVoucher",
]

DEPARTMENT = Department.HEALTH

_Couple = Annotated[list[ResidentId], Field(min_length=2, max_length=2)]


class IssueDeathCertificate(CommandPayload):
    """D0 (upstream): a medical institution certifies a death (死亡医学证明)."""

    resident_id: ResidentId
    date_of_death: date
    issuer_credit_code: CreditCode


class DeathCertificateIssued(ReplyData):
    certificate_no: str


class RetractDeathCertificate(CommandPayload):
    """Retract a certificate issued in error; starts the reversal saga through ``DeathRetracted``."""

    certificate_no: DeathCertificateNo
    reason: ReasonText


class DeathCertificateRetracted(ReplyData):
    certificate_no: str


class VerifyDeathRecord(CommandPayload):
    """D2: a valid certificate exists; if the applicant gave a date of death, it matches."""

    deceased_id: ResidentId
    date_of_death: date | None = None


class DeathRecordVerified(ReplyData):
    certificate_no: str
    date_of_death: date


class IssuePremaritalCheckVoucher(CommandPayload):
    """M3 (opt-in): a voucher for the free premarital health check (婚检)."""

    resident_ids: _Couple


class PremaritalCheckVoucherIssued(ReplyData):
    voucher_no: str


class VoidPremaritalCheckVoucher(CommandPayload):
    """Undo M3: void the vouchers this case was issued (the case id names them)."""


class PremaritalCheckVoucherVoided(ReplyData):
    voided: int


class RegisterFertility(CommandPayload):
    """M9 (opt-in): fertility registration for the newly married couple (生育登记)."""

    resident_ids: _Couple
    marriage_certificate_no: MarriageCertificateNo


class FertilityRegistered(ReplyData):
    registration_no: str


class DeathCertified(Message):
    """A death was certified: the after-death one-thing may start without an application."""

    message_type = "DeathCertified"

    certificate_no: str
    deceased_id: ResidentId
    date_of_death: date
    division_code: CountyCode
    certified_at: datetime


class DeathRetracted(Message):
    """A certificate was retracted as erroneous: everything done on it must be reversed."""

    message_type = "DeathRetracted"

    certificate_no: str
    deceased_id: ResidentId
    reason: ReasonText
    retracted_at: datetime


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "already_certified": "已出具死亡医学证明",
    "certificate_not_found": "查无此死亡医学证明",
    "already_retracted": "死亡医学证明已撤销",
    "death_record_not_found": "死亡信息库中查无死亡记录",
    "death_record_retracted": "死亡记录已撤销",
    "date_of_death_mismatch": "死亡日期与死亡记录不一致",
    "already_registered": "已办理生育登记",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        IssueDeathCertificate,
        DeathCertificateIssued,
        refused=("DeathCertificationRefused",),
        reason_codes=("person_not_found", "already_certified"),
        summary="出具死亡医学证明 certify a death (emits DeathCertified)",
    ),
    CommandSpec(
        RetractDeathCertificate,
        DeathCertificateRetracted,
        refused=("DeathCertificateRetractionRefused",),
        reason_codes=("certificate_not_found", "already_retracted"),
        kind=CommandKind.REVERSE,
        undoes="IssueDeathCertificate",
        summary="撤销死亡医学证明 retract a certificate (emits DeathRetracted)",
    ),
    CommandSpec(
        VerifyDeathRecord,
        DeathRecordVerified,
        refused=("DeathRecordVerificationRefused",),
        reason_codes=("death_record_not_found", "death_record_retracted", "date_of_death_mismatch"),
        kind=CommandKind.QUERY,
        summary="死亡信息核验 verify the death record",
    ),
    CommandSpec(
        IssuePremaritalCheckVoucher,
        PremaritalCheckVoucherIssued,
        refused=("PremaritalCheckVoucherRefused",),
        reason_codes=("person_not_found",),
        summary="婚检服务券 premarital-check voucher",
    ),
    CommandSpec(
        VoidPremaritalCheckVoucher,
        PremaritalCheckVoucherVoided,
        kind=CommandKind.COMPENSATE,
        undoes="IssuePremaritalCheckVoucher",
        summary="作废婚检服务券 void the voucher",
    ),
    CommandSpec(
        RegisterFertility,
        FertilityRegistered,
        refused=("FertilityRegistrationRefused",),
        reason_codes=("person_not_found", "already_registered"),
        summary="生育登记 fertility registration",
    ),
)
