"""E-licence bureau (电子证照): publish a certificate to the licence repository, or revoke it.

Marriage publishes the marriage certificate (M10). A licence is published once per certificate
number: publishing it again answers with the same licence id (the repository deduplicates), so
a redelivered or retried command is harmless even under a new command id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Literal

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
from contracts.identifiers import ResidentId

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "ELicencePublished",
    "ELicenceRevoked",
    "LicenceType",
    "PublishELicence",
    "RevokeELicence",
]

DEPARTMENT = Department.E_LICENCE

LicenceType = Literal["marriage_certificate", "divorce_certificate", "cremation_certificate"]


class PublishELicence(CommandPayload):
    """M10: publish a certificate as an e-licence for its holders (GB/T 36904 identifier)."""

    licence_type: LicenceType
    certificate_no: Annotated[str, Field(min_length=1, max_length=40)]
    holder_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=2)]


class ELicencePublished(ReplyData):
    licence_id: str


class RevokeELicence(CommandPayload):
    """Revoke a published licence (an annulment, an error)."""

    licence_type: LicenceType
    certificate_no: Annotated[str, Field(min_length=1, max_length=40)]
    reason: ReasonText


class ELicenceRevoked(ReplyData):
    licence_id: str


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "holder_not_found": "持证人不在人口信息库中",
    "licence_not_found": "查无此电子证照",
    "already_revoked": "电子证照已注销",
}

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        PublishELicence,
        ELicencePublished,
        refused=("ELicencePublicationRefused",),
        reason_codes=("holder_not_found", "already_revoked"),
        summary="电子证照归集 publish the e-licence",
    ),
    CommandSpec(
        RevokeELicence,
        ELicenceRevoked,
        refused=("ELicenceRevocationRefused",),
        reason_codes=("licence_not_found", "already_revoked"),
        kind=CommandKind.REVERSE,
        undoes="PublishELicence",
        summary="注销电子证照 revoke the e-licence",
    ),
)
