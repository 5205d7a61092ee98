"""Public security (公安): the population and hukou registry's commands and replies.

Used by marriage (M1 identity check, M7 hukou marital status, M8 hukou move to spouse) and
after-death (D3 kinship, D7 hukou cancellation with the ID card voided and the spouse recorded
as widowed; ``RestoreHukou`` and ``ReissueIdCard`` in the reversal saga: the voided card was
surrendered, so a person whose hukou is restored needs a new one). A hukou move may be refused by local rule:
that is a reply the completion notice reports, never a reason to undo the marriage. For the
household economic check (H2) it answers ``CheckHouseholdRegistration``: the members' hukou and
the motor vehicles registered to them (车辆管理 is public security's too).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    HOUSEHOLD_CHECK_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    HouseholdCheck,
    HouseholdId,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import DeathCertificateNo, MarriageCertificateNo, ResidentId

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "REASONS",
    "CancelHukou",
    "ChangeHouseholdHead",
    "CheckHouseholdRegistration",
    "HouseholdHeadChanged",
    "HouseholdRegistrationChecked",
    "HukouCancelled",
    "HukouMaritalStatusUpdated",
    "HukouMoved",
    "HukouRestored",
    "IdentityClaim",
    "IdCardReissued",
    "IdentityVerified",
    "KinshipVerified",
    "MoveHukouToSpouse",
    "Relation",
    "ReissueIdCard",
    "RestoreHukou",
    "UpdateHukouMaritalStatus",
    "VerifyIdentity",
    "VerifyKinship",
]

DEPARTMENT = Department.PUBLIC_SECURITY

Relation = Literal["spouse", "child", "parent", "sibling"]


class IdentityClaim(CommandPayload):
    """Who a party says they are: the ID number and the name on the card."""

    resident_id: ResidentId
    name: Annotated[str, Field(min_length=1, max_length=50)]


class VerifyIdentity(CommandPayload):
    """M1: each party exists, is alive and is who they say. For marriage also of legal age on
    the day and, for two parties, two different people (``same_person``, checked first) of
    opposite sex (``not_opposite_sex``, checked after each party's own checks)."""

    parties: Annotated[list[IdentityClaim], Field(min_length=1, max_length=2)]
    purpose: Literal["general", "marriage"] = "general"


class IdentityVerified(ReplyData):
    verified: int


class UpdateHukouMaritalStatus(CommandPayload):
    """M7: record the new marital status on both parties' hukou."""

    resident_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=2)]
    marital_status: Literal["married", "divorced"]
    certificate_no: MarriageCertificateNo


class HukouMaritalStatusUpdated(ReplyData):
    updated: int


class MoveHukouToSpouse(CommandPayload):
    """M8 (opt-in): move one spouse's hukou into the other's household (投靠)."""

    resident_id: ResidentId
    spouse_id: ResidentId


class HukouMoved(ReplyData):
    division_code: str
    household_id: str


class CancelHukou(CommandPayload):
    """D7: cancel the deceased's hukou, void the ID card, record the spouse as widowed."""

    resident_id: ResidentId
    date_of_death: date
    death_certificate_no: DeathCertificateNo


class HukouCancelled(ReplyData):
    cancelled_on: date
    id_card_voided: bool
    spouse_widowed: bool
    household_head_changed: bool


class RestoreHukou(CommandPayload):
    """Reversal: the death was reported in error; restore the hukou and the spouse's status."""

    resident_id: ResidentId
    reason: ReasonText


class HukouRestored(ReplyData):
    restored_on: date
    spouse_restored: bool
    household_head_restored: bool
    id_card_reissue_required: bool


class ReissueIdCard(CommandPayload):
    """Reversal: the hukou is restored and the card voided at the cancellation was surrendered;
    issue a new resident ID card (补领居民身份证), with the reason."""

    resident_id: ResidentId
    reason: ReasonText


class IdCardReissued(ReplyData):
    application_no: str
    issued_on: date


class ChangeHouseholdHead(CommandPayload):
    """Name another member head of household (户主变更), e.g. after the head died."""

    household_id: HouseholdId
    new_head_id: ResidentId


class HouseholdHeadChanged(ReplyData):
    household_id: str


class VerifyKinship(CommandPayload):
    """D3: the applicant is the claimed relative of the deceased."""

    applicant_id: ResidentId
    deceased_id: ResidentId
    relation: Relation


class KinshipVerified(ReplyData):
    relation: Relation


class CheckHouseholdRegistration(HouseholdCheck):
    """H2: the members' hukou and the motor vehicles registered to them."""


class HouseholdRegistrationChecked(ReplyData):
    """``members_found`` counts the members on a live hukou (one cancelled at a death is not);
    ``one_household`` says whether every member is in the same hukou household."""

    members_found: int
    one_household: bool
    vehicles: int


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "name_mismatch": "姓名与公民身份号码不一致",
    "person_deceased": "当事人已死亡",
    "under_marriage_age": "未达法定婚龄（男二十二周岁，女二十周岁）",
    # Worded as civil affairs words them, so both refusals of one couple read alike.
    "same_person": "双方为同一人",
    "not_opposite_sex": "结婚须男女双方",
    "hukou_cancelled": "户口已注销",
    "already_cancelled": "户口已注销，不能重复注销",
    "hukou_not_cancelled": "户口未注销，无需恢复",
    "already_in_household": "已在配偶户内，无需迁移",
    "target_division_not_accepting": "迁入地当前不接收投靠落户（当地政策）",
    "not_household_member": "新户主不是本户成员",
    "kinship_not_found": "户籍信息中查不到所述亲属关系",
    "id_card_still_valid": "居民身份证仍然有效，无需补领",
}

_ANY_PERSON = ("person_not_found",)

COMMANDS: Mapping[str, CommandSpec] = catalogue(
    CommandSpec(
        VerifyIdentity,
        IdentityVerified,
        refused=("IdentityVerificationRefused",),
        reason_codes=(
            "same_person",
            *_ANY_PERSON,
            "name_mismatch",
            "person_deceased",
            "under_marriage_age",
            "not_opposite_sex",
        ),
        kind=CommandKind.QUERY,
        summary="身份核验 verify identity (alive, ID matches; marriage: age, two people, sexes)",
    ),
    CommandSpec(
        UpdateHukouMaritalStatus,
        HukouMaritalStatusUpdated,
        refused=("HukouMaritalStatusUpdateRefused",),
        reason_codes=(*_ANY_PERSON, "hukou_cancelled"),
        summary="户籍婚姻状况变更 update hukou marital status",
    ),
    CommandSpec(
        MoveHukouToSpouse,
        HukouMoved,
        refused=("HukouMoveRefused",),
        reason_codes=(
            *_ANY_PERSON,
            "hukou_cancelled",
            "not_spouses",
            "already_in_household",
            "target_division_not_accepting",
        ),
        summary="投靠配偶迁户 move hukou to spouse",
    ),
    CommandSpec(
        CancelHukou,
        HukouCancelled,
        refused=("HukouCancellationRefused",),
        reason_codes=(*_ANY_PERSON, "already_cancelled", "death_not_certified"),
        summary="死亡注销户口 cancel hukou, void ID card, spouse widowed",
    ),
    CommandSpec(
        RestoreHukou,
        HukouRestored,
        refused=("HukouRestorationRefused",),
        reason_codes=(*_ANY_PERSON, "hukou_not_cancelled", "death_still_certified"),
        kind=CommandKind.REVERSE,
        undoes="CancelHukou",
        summary="恢复户口 restore hukou after a retracted death",
    ),
    CommandSpec(
        ReissueIdCard,
        IdCardReissued,
        refused=("IdCardReissueRefused",),
        reason_codes=(*_ANY_PERSON, "hukou_cancelled", "id_card_still_valid"),
        summary="补领居民身份证 reissue the ID card after a restored hukou",
    ),
    CommandSpec(
        ChangeHouseholdHead,
        HouseholdHeadChanged,
        refused=("HouseholdHeadChangeRefused",),
        reason_codes=("household_not_found", "not_household_member", "person_deceased"),
        summary="户主变更 change household head",
    ),
    CommandSpec(
        VerifyKinship,
        KinshipVerified,
        refused=("KinshipVerificationRefused",),
        reason_codes=(*_ANY_PERSON, "kinship_not_found"),
        kind=CommandKind.QUERY,
        summary="亲属关系核验 verify kinship with the deceased",
    ),
    CommandSpec(
        CheckHouseholdRegistration,
        HouseholdRegistrationChecked,
        refused=("HouseholdRegistrationCheckRefused",),
        reason_codes=HOUSEHOLD_CHECK_REASONS,
        kind=CommandKind.QUERY,
        summary="户籍和机动车登记核对 H2 hukou and vehicles",
    ),
)
