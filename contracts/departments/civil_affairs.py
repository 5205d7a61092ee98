"""Civil affairs (民政): the marriage registry, the welfare rolls and the assistance case file.

Marriage: accept the combined application (M0), check marital status in the national database
(M2), register the marriage (M5, the pivot; certificate ``J<office>-<YYYY>-<serial>``), upload it
(M6). Divorce by agreement 协议离婚: accept the joint application, verify the marriage record
(both parties the living spouses of the standing marriage they quote, a ``J``/``BJ`` number),
register the divorce (the pivot; certificate ``L<office>-<YYYY>-<serial>``), upload it to the
national database. After-death: accept the bundle (D1), the basic funeral-fee waiver 惠民殡葬
(D6), stop the deceased's welfare and recalculate the household's dibao (D12), resume welfare in
the reversal saga. Assistance: accept the application with consent (H0), home visit (H3), public
notice (H5), the programme decisions (H6: dibao 最低生活保障, tekun 特困人员, the two disability
subsidies 残疾人两项补贴, temporary assistance 临时救助), referrals outside the department set (H7)
and the monthly disbursement (H8).

Facts for the other one-things: ``MarriageRegistered`` and ``DivorceRegistered`` are the
registrations' replies and are published on the department-events topic, as the platform's
``DeathConfirmed`` is; they name the two parties' households, not the parties. ``HouseholdChanged``
is the department's own event on the household topic: a death or marriage touched a dibao
household, so the assistance one-thing reviews it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from contracts.departments import Department
from contracts.departments.spec import (
    COMMON_REASONS,
    CommandKind,
    CommandPayload,
    CommandSpec,
    Fen,
    HouseholdId,
    Month,
    ReasonText,
    ReplyData,
    catalogue,
)
from contracts.identifiers import (
    CountyCode,
    DivorceCertificateNo,
    InvalidIdentifier,
    MarriageCertificateKind,
    MarriageCertificateNo,
    ResidentId,
    parse_marriage_certificate,
)
from contracts.message import Message

__all__ = [
    "COMMANDS",
    "DEPARTMENT",
    "PROGRAMME_TITLES",
    "REASONS",
    "AcceptAfterDeathApplication",
    "AcceptAssistanceApplication",
    "AcceptDivorceApplication",
    "AcceptMarriageApplication",
    "AfterDeathApplicationAccepted",
    "AfterDeathApplicationCancelled",
    "ApplyFuneralFeeWaiver",
    "AssistanceApplicationAccepted",
    "AssistanceApplicationWithdrawn",
    "AssistanceProgramme",
    "AssistanceProposed",
    "AssistanceReferred",
    "CancelAfterDeathApplication",
    "CancelHomeVisit",
    "CheckMaritalStatus",
    "DibaoEnrolled",
    "DisburseMonthly",
    "DivorceApplicationAccepted",
    "DivorceApplicationVoided",
    "DivorceRecordUploaded",
    "DivorceRegistered",
    "ElderlyAllowanceEnrolled",
    "EnrolDibao",
    "EnrolElderlyAllowance",
    "EnrolLivingSubsidy",
    "EnrolNursingSubsidy",
    "EnrolTekun",
    "FuneralFeeWaived",
    "FuneralFeeWaiverReversed",
    "GrantTemporaryAssistance",
    "HomeVisitCancelled",
    "HomeVisitScheduled",
    "HouseholdChange",
    "HouseholdChanged",
    "HouseholdDibaoRecalculated",
    "LivingSubsidyEnrolled",
    "MaritalStatusChecked",
    "MarriageApplicationAccepted",
    "MarriageApplicationVoided",
    "MarriageRecordNo",
    "MarriageRecordUploaded",
    "MarriageRecordVerified",
    "MarriageRegistered",
    "MonthlyBenefitDisbursed",
    "NursingSubsidyEnrolled",
    "PartyHousehold",
    "PersonalProgramme",
    "ProposeAssistance",
    "ProposedProgramme",
    "PublicNoticePublished",
    "PublicNoticeWithdrawn",
    "PublishPublicNotice",
    "RecalculateHouseholdDibao",
    "ReferAssistance",
    "ReferralProgramme",
    "RegisterDivorce",
    "RegisterMarriage",
    "ResumeWelfare",
    "ReverseFuneralFeeWaiver",
    "ScheduleHomeVisit",
    "SelfCare",
    "StopWelfare",
    "TekunEnrolled",
    "TekunMember",
    "TemporaryAssistanceGranted",
    "UploadDivorceRecord",
    "UploadMarriageRecord",
    "VerifyMarriageRecord",
    "VoidDivorceApplication",
    "VoidMarriageApplication",
    "WelfareResumed",
    "WelfareStopped",
    "WithdrawAssistanceApplication",
    "WithdrawPublicNotice",
]

DEPARTMENT = Department.CIVIL_AFFAIRS

# Programmes paid to a person; dibao is paid to the household and handled on its own.
PersonalProgramme = Literal["tekun", "living_subsidy", "nursing_subsidy", "elderly_allowance"]
# Referrals to bodies outside the closed department set (education, housing, utilities).
# Referred through civil affairs; medical aid, employment difficulty and pension premiums go to
# the departments that run them (medical insurance, social security).
ReferralProgramme = Literal["education_aid", "housing_aid", "utility_waiver"]
AssistanceProgramme = Literal[
    "dibao", "tekun", "low_income", "living_subsidy", "nursing_subsidy", "temporary_aid"
]
SelfCare = Literal["able", "partly", "unable"]
# How the notices and the refusals name each programme.
PROGRAMME_TITLES: Mapping[AssistanceProgramme, str] = {
    "dibao": "最低生活保障",
    "tekun": "特困人员救助供养",
    "low_income": "低保边缘家庭认定",
    "living_subsidy": "困难残疾人生活补贴",
    "nursing_subsidy": "重度残疾人护理补贴",
    "temporary_aid": "临时救助",
}
HouseholdChange = Literal["member_died", "member_married"]

_MARRIAGE_KINDS = (MarriageCertificateKind.MARRIAGE, MarriageCertificateKind.MARRIAGE_REISSUED)


def _marriage_not_divorce(value: str) -> str:
    # A divorce number is well formed too, but names the end of a marriage: looked up as the
    # marriage it would silently miss, so it is refused at the edge with the reason.
    kind = parse_marriage_certificate(value).kind
    if kind not in _MARRIAGE_KINDS:
        raise InvalidIdentifier(
            f"marriage certificate number must start with J or BJ, got {kind.value!r}"
            " (a divorce certificate number)"
        )
    return value


MarriageRecordNo = Annotated[
    MarriageCertificateNo,
    AfterValidator(_marriage_not_divorce),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^[Bb]?[Jj][0-9]{6}-[0-9]{4}-[0-9]{6}$",
            "description": "Marriage certificate number (J), BJ for a reissue; never a divorce (L)",
        }
    ),
]
"""A marriage registration's certificate number: ``J``, or ``BJ`` for a reissue."""


# --- Case files opened at the window: accept, and their compensations keyed by the case ---------


class AcceptMarriageApplication(CommandPayload):
    """M0: open the marriage case file at the registry office."""

    office_division: CountyCode


class MarriageApplicationAccepted(ReplyData):
    application_no: str


class VoidMarriageApplication(CommandPayload):
    """Undo M0: void the case's application file (the case id names it)."""


class MarriageApplicationVoided(ReplyData):
    voided: bool


class AcceptAfterDeathApplication(CommandPayload):
    """D1: open the after-death bundle's case file."""

    office_division: CountyCode


class AfterDeathApplicationAccepted(ReplyData):
    application_no: str


class CancelAfterDeathApplication(CommandPayload):
    """Undo D1: cancel the case's after-death application file."""


class AfterDeathApplicationCancelled(ReplyData):
    cancelled: bool


class AcceptAssistanceApplication(CommandPayload):
    """H0: open the assistance case file; without signed consent no finances may be checked."""

    office_division: CountyCode
    household_id: HouseholdId
    consent_signed: bool


class AssistanceApplicationAccepted(ReplyData):
    application_no: str


class WithdrawAssistanceApplication(CommandPayload):
    """Undo H0: close the case's application file and purge what it collected."""


class AssistanceApplicationWithdrawn(ReplyData):
    withdrawn: bool


# --- Marriage registry ---------------------------------------------------------------------------


class CheckMaritalStatus(CommandPayload):
    """M2: no party has a current spouse in the national marriage database."""

    resident_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=2)]


class MaritalStatusChecked(ReplyData):
    checked: int


class RegisterMarriage(CommandPayload):
    """M5 (pivot): register the marriage and issue the certificate number."""

    party_ids: Annotated[list[ResidentId], Field(min_length=2, max_length=2)]
    office_division: CountyCode


class PartyHousehold(ReplyData):
    """One party's hukou household (public security's record) when a registration was made."""

    household_id: HouseholdId
    division_code: CountyCode


PartyHouseholds = Annotated[list[PartyHousehold], Field(min_length=2, max_length=2)]


class MarriageRegistered(Message):
    """A marriage was registered (M5): the households of both spouses changed, so the
    assistance one-thing reviews any dibao household among them (H9). Published by
    ``RegisterMarriage`` on the department-events topic, and its reply; it names the two
    households in party order, never the people (no ID numbers or names on a shared topic)."""

    message_type = "MarriageRegistered"

    case_id: str
    certificate_no: MarriageRecordNo
    registered_on: date
    office_division: CountyCode
    households: PartyHouseholds
    registered_at: datetime


class UploadMarriageRecord(CommandPayload):
    """M6: upload the registration to the national marriage database."""

    certificate_no: MarriageCertificateNo


class MarriageRecordUploaded(ReplyData):
    certificate_no: str


# --- Divorce registry (协议离婚) ------------------------------------------------------------------


class AcceptDivorceApplication(CommandPayload):
    """Open the joint divorce application by agreement: both parties and their marriage."""

    party_ids: Annotated[list[ResidentId], Field(min_length=2, max_length=2)]
    marriage_certificate_no: MarriageCertificateNo
    office_division: CountyCode


class DivorceApplicationAccepted(ReplyData):
    application_no: str


class VoidDivorceApplication(CommandPayload):
    """Undo the acceptance: void the case's divorce application file (the case id names it)."""


class DivorceApplicationVoided(ReplyData):
    voided: bool


class VerifyMarriageRecord(CommandPayload):
    """Before a divorce by agreement: the two parties are the living spouses of the standing
    marriage registered under this number. Reads only; the divorce registration checks again."""

    party_ids: Annotated[list[ResidentId], Field(min_length=2, max_length=2)]
    marriage_certificate_no: MarriageRecordNo


class MarriageRecordVerified(ReplyData):
    certificate_no: MarriageRecordNo
    registered_on: date


class RegisterDivorce(CommandPayload):
    """The pivot: end the marriage and issue the divorce certificate number."""

    party_ids: Annotated[list[ResidentId], Field(min_length=2, max_length=2)]
    marriage_certificate_no: MarriageCertificateNo
    office_division: CountyCode


class DivorceRegistered(Message):
    """A marriage was ended by agreement: the households of both former spouses changed, so the
    assistance one-thing reviews any dibao household among them. Published by
    ``RegisterDivorce`` on the department-events topic, and its reply; like
    ``MarriageRegistered`` it names households in party order, never the people."""

    message_type = "DivorceRegistered"

    case_id: str
    certificate_no: DivorceCertificateNo
    marriage_certificate_no: MarriageRecordNo
    divorced_on: date
    office_division: CountyCode
    households: PartyHouseholds
    registered_at: datetime


class UploadDivorceRecord(CommandPayload):
    """Upload the divorce registration to the national marriage database."""

    certificate_no: DivorceCertificateNo


class DivorceRecordUploaded(ReplyData):
    certificate_no: str


# --- After death ---------------------------------------------------------------------------------


class ApplyFuneralFeeWaiver(CommandPayload):
    """D6: waive the basic funeral fees (惠民殡葬), once per deceased, after the cremation."""

    deceased_id: ResidentId
    cremation_certificate_no: Annotated[str, Field(min_length=1, max_length=40)]
    division_code: CountyCode


class FuneralFeeWaived(ReplyData):
    amount_fen: Fen


class ReverseFuneralFeeWaiver(CommandPayload):
    """Reversal: claw the waiver back (the death was retracted, or the waiver was not due)."""

    deceased_id: ResidentId
    reason: ReasonText


class FuneralFeeWaiverReversed(ReplyData):
    recovered_fen: Fen


class StopWelfare(CommandPayload):
    """D12: stop the deceased's personal benefits from the month after death."""

    deceased_id: ResidentId
    date_of_death: date


class WelfareStopped(ReplyData):
    programmes: list[PersonalProgramme]
    stopped_from: Month
    household_on_dibao: bool


class ResumeWelfare(CommandPayload):
    """Reversal: resume the benefits stopped for a death that was retracted, with arrears."""

    resident_id: ResidentId
    reason: ReasonText


class WelfareResumed(ReplyData):
    programmes: list[PersonalProgramme]
    arrears_fen: Fen


class RecalculateHouseholdDibao(CommandPayload):
    """D12 / H9: recompute the household's dibao: (standard − per-capita income) × members."""

    household_id: HouseholdId


class HouseholdDibaoRecalculated(ReplyData):
    members: int
    per_capita_income_fen: Fen
    standard_fen: Fen
    monthly_amount_fen: Fen
    still_eligible: bool
    from_month: Month


# --- Assistance ----------------------------------------------------------------------------------


class ScheduleHomeVisit(CommandPayload):
    """H3: book the township's home visit; a person records its result as a signal."""

    household_id: HouseholdId


class HomeVisitScheduled(ReplyData):
    visit_no: str


class CancelHomeVisit(CommandPayload):
    """Undo H3: cancel the case's home visit."""


class HomeVisitCancelled(ReplyData):
    cancelled: bool


class PublishPublicNotice(CommandPayload):
    """H5: publish the proposed decision in the village or community (公示)."""

    household_id: HouseholdId
    programmes: Annotated[list[str], Field(min_length=1)]
    days: Annotated[int, Field(ge=1, le=30)] = 7


class PublicNoticePublished(ReplyData):
    notice_no: str
    ends_on: date


class WithdrawPublicNotice(CommandPayload):
    """Undo H5: take the case's notice down."""


class PublicNoticeWithdrawn(ReplyData):
    withdrawn: bool


class EnrolDibao(CommandPayload):
    """H6a: put the household on dibao at standard − per-capita income (from the H2 check)."""

    household_id: HouseholdId
    per_capita_income_fen: Fen


class DibaoEnrolled(ReplyData):
    members: int
    standard_fen: Fen
    per_capita_income_fen: Fen
    monthly_amount_fen: Fen
    from_month: Month


class TekunMember(BaseModel):
    """A person supported as tekun, with the self-care ability their care standard follows."""

    model_config = ConfigDict(extra="forbid")

    resident_id: ResidentId
    self_care: SelfCare = "able"


class EnrolTekun(CommandPayload):
    """H6b: support people unable to work with no one able to support them (特困), all of them
    or none; ``centralised``: in an institution (集中供养), at that standard."""

    members: Annotated[list[TekunMember], Field(min_length=1, max_length=12)]
    centralised: bool = False


class TekunEnrolled(ReplyData):
    members: int
    monthly_amount_fen: Fen
    from_month: Month


class EnrolLivingSubsidy(CommandPayload):
    """H6c: living subsidy for disabled people of a dibao or low-income household
    (困难残疾人生活补贴), all of them or none."""

    resident_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=12)]


class LivingSubsidyEnrolled(ReplyData):
    members: int
    monthly_amount_fen: Fen
    from_month: Month


class EnrolNursingSubsidy(CommandPayload):
    """H6c: nursing subsidy for grade 1–2, or grade 3–4 intellectual or mental (重度残疾人护理补贴),
    all of them or none."""

    resident_ids: Annotated[list[ResidentId], Field(min_length=1, max_length=12)]


class NursingSubsidyEnrolled(ReplyData):
    members: int
    monthly_amount_fen: Fen
    from_month: Month


class EnrolElderlyAllowance(CommandPayload):
    """Allowance for residents aged 80 and over (高龄津贴)."""

    resident_id: ResidentId


class ElderlyAllowanceEnrolled(ReplyData):
    monthly_amount_fen: Fen
    from_month: Month


class GrantTemporaryAssistance(CommandPayload):
    """H1 / H6d: temporary assistance; ``emergency`` pays first and checks after (三先三后).
    A township approves up to its cap; above it the county does (``approver``)."""

    household_id: HouseholdId
    amount_fen: Annotated[int, Field(gt=0)]
    emergency: bool = False
    approver: Literal["township", "county"] = "township"


class TemporaryAssistanceGranted(ReplyData):
    grant_no: str
    amount_fen: Fen


class ProposedProgramme(BaseModel):
    """One programme of the assessment (H4): whether the household qualifies, for how much (a
    month, or once), and, when not, why in Chinese."""

    model_config = ConfigDict(extra="forbid")

    programme: AssistanceProgramme
    eligible: bool
    monthly_fen: Fen = 0
    once_fen: Fen = 0
    reasons: list[ReasonText] = []


class ProposeAssistance(CommandPayload):
    """H4: record the assessment as the proposed decision (拟救助意见) to be publicly noticed.
    Refused ``not_eligible`` when no programme qualifies, with the assessment's reasons."""

    household_id: HouseholdId
    office_division: CountyCode
    programmes: Annotated[list[ProposedProgramme], Field(min_length=1)]
    # Economic-check sources that never answered, which a clerk chose to go on without.
    gaps: list[str] = []


class AssistanceProposed(ReplyData):
    proposal_no: str
    granted: list[AssistanceProgramme]


class ReferAssistance(CommandPayload):
    """H7: refer the household to a programme run outside the department set."""

    household_id: HouseholdId
    programme: ReferralProgramme


class AssistanceReferred(ReplyData):
    referral_no: str


class DisburseMonthly(CommandPayload):
    """H8: pay one month's dibao; at most once per household and month."""

    household_id: HouseholdId
    month: Month


class MonthlyBenefitDisbursed(ReplyData):
    month: Month
    amount_fen: Fen
    payment_no: str


# --- Events --------------------------------------------------------------------------------------


class HouseholdChanged(Message):
    """A death or a marriage changed a dibao household: the assistance one-thing reviews it."""

    message_type = "HouseholdChanged"

    household_id: HouseholdId
    division_code: CountyCode
    change: HouseholdChange
    effective_month: Month
    changed_at: datetime


REASONS: Mapping[str, str] = COMMON_REASONS | {
    "person_deceased": "当事人已死亡",
    "already_married": "当事人有配偶，不能登记结婚",
    "same_person": "双方为同一人",
    "not_opposite_sex": "结婚须男女双方",
    "under_marriage_age": "未达法定婚龄（男二十二周岁，女二十周岁）",
    "certificate_not_found": "查无此结婚证号",
    "marriage_not_found": "查无此婚姻登记记录",
    "id_mismatch": "结婚证号与双方当事人身份信息不符",
    "already_divorced": "该婚姻已解除，不能重复登记离婚",
    "divorce_not_found": "查无此离婚证号",
    "cremation_not_recorded": "查无火化记录",
    "not_local_hukou": "逝者非本地户籍，不属本地惠民殡葬对象",
    "waiver_already_granted": "基本殡葬服务费已减免，不能重复减免",
    "waiver_not_found": "查无殡葬费减免记录",
    "nothing_to_resume": "没有因死亡停发的待遇",
    "not_on_dibao": "家庭未纳入最低生活保障",
    "income_above_standard": "收入不低于当地保障标准",
    "no_local_standard": "当地低保标准未发布",
    "able_to_work": "有劳动能力，不属特困供养对象",
    "has_supporter": "有具备赡养、抚养、扶养能力的义务人",
    "household_on_dibao": "已纳入低保，特困供养与低保不能同时享受",
    "no_disability_card": "未持有有效的第二代残疾人证",
    "disability_grade_ineligible": "残疾等级不符合护理补贴条件",
    "under_age": "未满八十周岁",
    "amount_above_limit": "超过乡镇临时救助审批额度（六个月城市低保标准）",
    "nothing_to_disburse": "当月没有应发放的救助金",
    "not_eligible": "经审核，家庭不符合社会救助条件",
}

_MARRIAGE_BARS = ("person_not_found", "person_deceased", "already_married")
# Why two people cannot divorce by agreement under a number: checked alike before and at the pivot.
_DIVORCE_BARS = (
    "same_person",
    "person_not_found",
    "person_deceased",
    "marriage_not_found",
    "id_mismatch",
    "not_spouses",
    "already_divorced",
)
_ENROLMENT_BARS = ("person_not_found", "person_deceased", "already_enrolled")


def _case_file(
    accept: type[CommandPayload], accepted: type[ReplyData], summary: str
) -> CommandSpec:
    return CommandSpec(accept, accepted, summary=summary)


def _undo(
    payload: type[CommandPayload], result: type[ReplyData], undoes: str, summary: str
) -> CommandSpec:
    return CommandSpec(payload, result, kind=CommandKind.COMPENSATE, undoes=undoes, summary=summary)


COMMANDS: Mapping[str, CommandSpec] = catalogue(
    _case_file(AcceptMarriageApplication, MarriageApplicationAccepted, "受理结婚一件事 M0"),
    _undo(
        VoidMarriageApplication,
        MarriageApplicationVoided,
        "AcceptMarriageApplication",
        "作废结婚申请 void the marriage application",
    ),
    _case_file(AcceptAfterDeathApplication, AfterDeathApplicationAccepted, "受理身后一件事 D1"),
    _undo(
        CancelAfterDeathApplication,
        AfterDeathApplicationCancelled,
        "AcceptAfterDeathApplication",
        "撤销身后一件事申请 cancel the after-death application",
    ),
    CommandSpec(
        AcceptAssistanceApplication,
        AssistanceApplicationAccepted,
        refused=("AssistanceApplicationRefused",),
        reason_codes=("household_not_found", "consent_missing"),
        summary="受理救助申请 H0 accept the assistance application",
    ),
    _undo(
        WithdrawAssistanceApplication,
        AssistanceApplicationWithdrawn,
        "AcceptAssistanceApplication",
        "撤回救助申请 withdraw the assistance application",
    ),
    CommandSpec(
        CheckMaritalStatus,
        MaritalStatusChecked,
        refused=("MaritalStatusCheckRefused",),
        reason_codes=("person_not_found", "already_married"),
        kind=CommandKind.QUERY,
        summary="婚姻状况联网核对 check marital status",
    ),
    CommandSpec(
        RegisterMarriage,
        MarriageRegistered,
        refused=("MarriageRegistrationRefused",),
        reason_codes=(*_MARRIAGE_BARS, "same_person", "not_opposite_sex", "under_marriage_age"),
        summary="结婚登记并发布 register the marriage (pivot, emits MarriageRegistered)",
    ),
    CommandSpec(
        UploadMarriageRecord,
        MarriageRecordUploaded,
        refused=("MarriageRecordUploadRefused",),
        reason_codes=("certificate_not_found",),
        summary="上传全国婚姻信息库 upload to the national marriage database",
    ),
    _case_file(AcceptDivorceApplication, DivorceApplicationAccepted, "受理协议离婚申请"),
    _undo(
        VoidDivorceApplication,
        DivorceApplicationVoided,
        "AcceptDivorceApplication",
        "作废离婚申请 void the divorce application",
    ),
    CommandSpec(
        VerifyMarriageRecord,
        MarriageRecordVerified,
        refused=("MarriageRecordVerificationRefused",),
        reason_codes=_DIVORCE_BARS,
        kind=CommandKind.QUERY,
        summary="婚姻登记记录核验 verify the marriage record before a divorce by agreement",
    ),
    CommandSpec(
        RegisterDivorce,
        DivorceRegistered,
        refused=("DivorceRegistrationRefused",),
        reason_codes=_DIVORCE_BARS,
        summary="离婚登记并发布 register the divorce (pivot, emits DivorceRegistered)",
    ),
    CommandSpec(
        UploadDivorceRecord,
        DivorceRecordUploaded,
        refused=("DivorceRecordUploadRefused",),
        reason_codes=("divorce_not_found",),
        summary="离婚登记上传全国婚姻信息库 upload the divorce to the national database",
    ),
    CommandSpec(
        ApplyFuneralFeeWaiver,
        FuneralFeeWaived,
        refused=("FuneralFeeWaiverRefused",),
        reason_codes=(
            "person_not_found",
            "cremation_not_recorded",
            "not_local_hukou",
            "waiver_already_granted",
        ),
        summary="惠民殡葬减免 basic funeral-fee waiver",
    ),
    CommandSpec(
        ReverseFuneralFeeWaiver,
        FuneralFeeWaiverReversed,
        refused=("FuneralFeeWaiverReversalRefused",),
        reason_codes=("waiver_not_found",),
        kind=CommandKind.REVERSE,
        undoes="ApplyFuneralFeeWaiver",
        summary="追回殡葬费减免 reverse the funeral-fee waiver",
    ),
    CommandSpec(
        StopWelfare,
        WelfareStopped,
        refused=("WelfareStopRefused",),
        reason_codes=("person_not_found", "death_not_certified"),
        summary="停发特困、两项补贴、高龄津贴 stop the deceased's welfare",
    ),
    CommandSpec(
        ResumeWelfare,
        WelfareResumed,
        refused=("WelfareResumptionRefused",),
        reason_codes=("nothing_to_resume", "death_still_certified"),
        kind=CommandKind.REVERSE,
        undoes="StopWelfare",
        summary="恢复待遇并补发 resume welfare with arrears",
    ),
    CommandSpec(
        RecalculateHouseholdDibao,
        HouseholdDibaoRecalculated,
        refused=("HouseholdDibaoRecalculationRefused",),
        reason_codes=("household_not_found", "not_on_dibao", "no_local_standard"),
        summary="重新核定家庭低保金 recalculate the household's dibao",
    ),
    _case_file(ScheduleHomeVisit, HomeVisitScheduled, "入户调查 H3 schedule the home visit"),
    _undo(CancelHomeVisit, HomeVisitCancelled, "ScheduleHomeVisit", "取消入户调查"),
    CommandSpec(
        ProposeAssistance,
        AssistanceProposed,
        refused=("AssistanceProposalRefused",),
        reason_codes=("household_not_found", "not_eligible"),
        summary="拟救助意见 H4 record the assessment as the proposed decision",
    ),
    _case_file(PublishPublicNotice, PublicNoticePublished, "公示 H5 publish the public notice"),
    _undo(WithdrawPublicNotice, PublicNoticeWithdrawn, "PublishPublicNotice", "撤回公示"),
    CommandSpec(
        EnrolDibao,
        DibaoEnrolled,
        refused=("DibaoEnrolmentRefused",),
        reason_codes=(
            "household_not_found",
            "already_enrolled",
            "income_above_standard",
            "no_local_standard",
        ),
        summary="低保审核确认 H6a enrol the household on dibao",
    ),
    CommandSpec(
        EnrolTekun,
        TekunEnrolled,
        refused=("TekunEnrolmentRefused",),
        reason_codes=(
            *_ENROLMENT_BARS,
            "able_to_work",
            "has_supporter",
            "household_on_dibao",
            "income_above_standard",
            "no_local_standard",
        ),
        summary="特困人员认定 H6b enrol on tekun",
    ),
    CommandSpec(
        EnrolLivingSubsidy,
        LivingSubsidyEnrolled,
        refused=("LivingSubsidyEnrolmentRefused",),
        reason_codes=(*_ENROLMENT_BARS, "no_disability_card", "not_on_dibao"),
        summary="困难残疾人生活补贴 H6c living subsidy",
    ),
    CommandSpec(
        EnrolNursingSubsidy,
        NursingSubsidyEnrolled,
        refused=("NursingSubsidyEnrolmentRefused",),
        reason_codes=(*_ENROLMENT_BARS, "no_disability_card", "disability_grade_ineligible"),
        summary="重度残疾人护理补贴 H6c nursing subsidy",
    ),
    CommandSpec(
        EnrolElderlyAllowance,
        ElderlyAllowanceEnrolled,
        refused=("ElderlyAllowanceEnrolmentRefused",),
        reason_codes=(*_ENROLMENT_BARS, "under_age"),
        summary="高龄津贴 elderly allowance (80+)",
    ),
    CommandSpec(
        GrantTemporaryAssistance,
        TemporaryAssistanceGranted,
        refused=("TemporaryAssistanceRefused",),
        reason_codes=("household_not_found", "amount_above_limit", "no_local_standard"),
        summary="临时救助 H1/H6d temporary assistance",
    ),
    _case_file(ReferAssistance, AssistanceReferred, "专项救助转介 H7 referral"),
    CommandSpec(
        DisburseMonthly,
        MonthlyBenefitDisbursed,
        refused=("MonthlyDisbursementRefused",),
        reason_codes=("household_not_found", "nothing_to_disburse"),
        summary="低保金按月发放 H8 monthly disbursement",
    ),
)
