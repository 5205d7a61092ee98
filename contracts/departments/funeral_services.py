"""Funeral services (殡葬服务): the funeral home's cremation record and certificate (D5).

A body is cremated once: a second record for the same deceased is refused, whichever case sends
it. The cremation certificate number is what civil affairs needs for the funeral-fee waiver (D6).
The waiver itself is civil affairs' (``ApplyFuneralFeeWaiver``), as the step table has it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandPayload,
    CommandSpec,
    ReplyData,
    catalogue,
)
from contracts.identifiers import CountyCode, DeathCertificateNo, ResidentId

__all__ = ["COMMANDS", "DEPARTMENT", "REASONS", "CremationRecorded", "RecordCremation"]

DEPARTMENT = Department.FUNERAL_SERVICES


class RecordCremation(CommandPayload):
    """D5: record the cremation and issue the cremation certificate (火化证明)."""

    deceased_id: ResidentId
    death_certificate_no: DeathCertificateNo
    cremated_on: date
    funeral_home_division: CountyCode


class CremationRecorded(ReplyData):
    cremation_certificate_no: str
    cremated_on: date


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "already_cremated": "已有火化记录，不能重复登记",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        RecordCremation,
        CremationRecorded,
        refused=("CremationRecordRefused",),
        reason_codes=("person_not_found", "death_not_certified", "already_cremated"),
        summary="火化登记与火化证明 record the cremation",
    ),
)
