"""Payload builders of the marriage and divorce tables: the couple's form in, one department's
command out.

Each builder returns its command's payload model from ``contracts.departments``, so the row
that uses it knows its department and command (``saga.rows.command_row``), and hands the
department only what that model declares: public security gets the names it checks the IDs
against, the others the ID numbers alone. The models are made with ``model_construct``,
unvalidated, because names and ID numbers are sealed tokens in the case data
(``contracts.personal``) that the models' field types would refuse; the participant validates
the command once it has opened them (as ``services.afterlife.builders`` explains at length).
The certificate number each pivot issued is read from its reply, sealed the same way.
"""

from __future__ import annotations

from contracts.departments.civil_affairs import (
    AcceptDivorceApplication,
    AcceptMarriageApplication,
    CheckMaritalStatus,
    RegisterDivorce,
    RegisterMarriage,
    UploadDivorceRecord,
    UploadMarriageRecord,
    VerifyMarriageRecord,
    VoidDivorceApplication,
    VoidMarriageApplication,
)
from contracts.departments.e_licence import PublishELicence
from contracts.departments.health import (
    IssuePremaritalCheckVoucher,
    RegisterFertility,
    VoidPremaritalCheckVoucher,
)
from contracts.departments.public_security import (
    IdentityClaim,
    MoveHukouToSpouse,
    UpdateHukouMaritalStatus,
    VerifyIdentity,
)
from contracts.marriage import PARTIES
from saga.definition import Context

__all__ = [
    "accept_divorce",
    "accept_marriage",
    "check_marital_status",
    "divorce_hukou_status",
    "issue_premarital_voucher",
    "marriage_hukou_status",
    "move_hukou",
    "party_ids",
    "publish_divorce_licence",
    "publish_marriage_licence",
    "register_divorce",
    "register_fertility",
    "register_marriage",
    "upload_divorce",
    "upload_marriage",
    "verify_identities",
    "verify_marriage",
    "verify_marriage_identities",
    "void_divorce",
    "void_marriage",
    "void_premarital_voucher",
]

MARRIAGE_PIVOT, DIVORCE_PIVOT = "register_marriage", "register_divorce"


def party_ids(ctx: Context) -> list[str]:
    """Both parties' resident IDs (sealed), in the form's order."""
    return [str(ctx.data[party]["resident_id"]) for party in PARTIES]


def _claims(ctx: Context) -> list[IdentityClaim]:
    return [
        IdentityClaim.model_construct(
            resident_id=ctx.data[party]["resident_id"], name=ctx.data[party]["name"]
        )
        for party in PARTIES
    ]


def _certificate(ctx: Context, pivot: str) -> str:
    return str(ctx.results[pivot]["certificate_no"])


def _marriage_certificate(ctx: Context) -> str:
    return str(ctx.data["marriage_certificate_no"])


# --- marriage: M0–M3 before the clerk's decision ------------------------------------------------


def accept_marriage(ctx: Context) -> AcceptMarriageApplication:
    return AcceptMarriageApplication.model_construct(office_division=ctx.division_code)


def void_marriage(_: Context) -> VoidMarriageApplication:
    return VoidMarriageApplication.model_construct()


def verify_marriage_identities(ctx: Context) -> VerifyIdentity:
    return VerifyIdentity.model_construct(parties=_claims(ctx), purpose="marriage")


def check_marital_status(ctx: Context) -> CheckMaritalStatus:
    return CheckMaritalStatus.model_construct(resident_ids=party_ids(ctx))


def issue_premarital_voucher(ctx: Context) -> IssuePremaritalCheckVoucher:
    return IssuePremaritalCheckVoucher.model_construct(resident_ids=party_ids(ctx))


def void_premarital_voucher(_: Context) -> VoidPremaritalCheckVoucher:
    return VoidPremaritalCheckVoucher.model_construct()


# --- marriage: M5 the pivot, M6–M10 after it ----------------------------------------------------


def register_marriage(ctx: Context) -> RegisterMarriage:
    return RegisterMarriage.model_construct(
        party_ids=party_ids(ctx), office_division=ctx.division_code
    )


def upload_marriage(ctx: Context) -> UploadMarriageRecord:
    return UploadMarriageRecord.model_construct(certificate_no=_certificate(ctx, MARRIAGE_PIVOT))


def marriage_hukou_status(ctx: Context) -> UpdateHukouMaritalStatus:
    return UpdateHukouMaritalStatus.model_construct(
        resident_ids=party_ids(ctx),
        marital_status="married",
        certificate_no=_certificate(ctx, MARRIAGE_PIVOT),
    )


def move_hukou(ctx: Context) -> MoveHukouToSpouse:
    """The party the form names moves into the other's household (投靠)."""
    mover = ctx.data["opt_ins"]["hukou_move"]
    spouse = PARTIES[1 - PARTIES.index(mover)]
    return MoveHukouToSpouse.model_construct(
        resident_id=ctx.data[mover]["resident_id"], spouse_id=ctx.data[spouse]["resident_id"]
    )


def register_fertility(ctx: Context) -> RegisterFertility:
    return RegisterFertility.model_construct(
        resident_ids=party_ids(ctx), marriage_certificate_no=_certificate(ctx, MARRIAGE_PIVOT)
    )


def publish_marriage_licence(ctx: Context) -> PublishELicence:
    return PublishELicence.model_construct(
        licence_type="marriage_certificate",
        certificate_no=_certificate(ctx, MARRIAGE_PIVOT),
        holder_ids=party_ids(ctx),
    )


# --- divorce by agreement ------------------------------------------------------------------------


def accept_divorce(ctx: Context) -> AcceptDivorceApplication:
    return AcceptDivorceApplication.model_construct(
        party_ids=party_ids(ctx),
        marriage_certificate_no=_marriage_certificate(ctx),
        office_division=ctx.division_code,
    )


def void_divorce(_: Context) -> VoidDivorceApplication:
    return VoidDivorceApplication.model_construct()


def verify_identities(ctx: Context) -> VerifyIdentity:
    return VerifyIdentity.model_construct(parties=_claims(ctx), purpose="general")


def verify_marriage(ctx: Context) -> VerifyMarriageRecord:
    return VerifyMarriageRecord.model_construct(
        party_ids=party_ids(ctx), marriage_certificate_no=_marriage_certificate(ctx)
    )


def register_divorce(ctx: Context) -> RegisterDivorce:
    return RegisterDivorce.model_construct(
        party_ids=party_ids(ctx),
        marriage_certificate_no=_marriage_certificate(ctx),
        office_division=ctx.division_code,
    )


def upload_divorce(ctx: Context) -> UploadDivorceRecord:
    return UploadDivorceRecord.model_construct(certificate_no=_certificate(ctx, DIVORCE_PIVOT))


def divorce_hukou_status(ctx: Context) -> UpdateHukouMaritalStatus:
    return UpdateHukouMaritalStatus.model_construct(
        resident_ids=party_ids(ctx),
        marital_status="divorced",
        certificate_no=_certificate(ctx, DIVORCE_PIVOT),
    )


def publish_divorce_licence(ctx: Context) -> PublishELicence:
    return PublishELicence.model_construct(
        licence_type="divorce_certificate",
        certificate_no=_certificate(ctx, DIVORCE_PIVOT),
        holder_ids=party_ids(ctx),
    )
