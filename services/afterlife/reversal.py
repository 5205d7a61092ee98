"""The after-death reversal: a retracted death certificate corrects what the original case did.

Started by health's ``DeathRetracted`` (a death reported in error) with ``ReversalStart`` as its
data: the original case, the reason, the steps that succeeded there and those still in flight.
Each row is the department's ``REVERSE`` command for one forward step (``corrects``): it runs if
that step was done, waits while it was in flight (the runtime passes its late answer on, so a
pension stopped after the retraction is resumed too) and is skipped otherwise; all run in
parallel, and each carries the retraction's reason and the original case id so every correction
is audited with why. There is no pivot and nothing to undo: a correction a department refuses
(``death_still_certified``, say) fails its own branch and is reported, the others go on. A
department answering that there was nothing to correct (welfare stopped for someone who drew
none) is not a failure: that row counts as not applicable. The cremation record has no reversal
in the catalogue: a body cremated was not alive.

Then public security reissues the ID card the hukou cancellation voided (where the hukou was
restored), and once every correction has settled the person, and whoever applied in the
original case, are told what was corrected and why. Revoking the confirmation publishes
``DeathConfirmationRevoked``, as confirming it published ``DeathConfirmed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from contracts.departments import Department
from saga.definition import Join, OnRefused, Saga, Step, StepKind
from services.afterlife import builders as b
from services.afterlife.conditions import id_card_to_reissue
from services.afterlife.notice import corrected_anything, correction_notice
from services.afterlife.policies import BRANCH, CASE_DEADLINE, NEXT_WORKING_DAY, REVERSED_STEP_WAIT
from services.afterlife.rows import Builder, command_step

__all__ = ["REVERSES", "afterlife_reversal_saga"]

# reversal step → (department, reversal command, builder, the forward step it corrects); laid
# out by hand as a table (``# fmt: skip``).
REVERSES: Mapping[str, tuple[Department, str, Builder, str]] = MappingProxyType({
    "revoke_death_confirmation": (
        Department.PLATFORM, "RevokeDeathConfirmation", b.reversal_for_deceased, "confirm_death"
    ),
    "restore_hukou": (
        Department.PUBLIC_SECURITY, "RestoreHukou", b.reversal_for_resident, "cancel_hukou"
    ),
    "resume_pension": (
        Department.SOCIAL_SECURITY, "ResumePension", b.reversal_for_resident, "stop_pension"
    ),
    "recover_survivor_benefits": (
        Department.SOCIAL_SECURITY, "RecoverSurvivorBenefits", b.reversal_for_deceased,
        "survivor_benefits",
    ),
    # Also recovers the account payout (``pay_out_medical_account``), which runs only after the
    # enrolment was ended, so one correction keyed on the termination covers both.
    "reinstate_medical_insurance": (
        Department.MEDICAL_INSURANCE, "ReinstateMedicalInsurance", b.reversal_for_resident,
        "end_medical_insurance",
    ),
    "recover_housing_fund": (
        Department.HOUSING_FUND, "RecoverHousingFundWithdrawal", b.reversal_for_deceased,
        "housing_fund_withdrawal",
    ),
    "reverse_funeral_fee_waiver": (
        Department.CIVIL_AFFAIRS, "ReverseFuneralFeeWaiver", b.reversal_for_deceased,
        "funeral_fee_waiver",
    ),
    "resume_welfare": (
        Department.CIVIL_AFFAIRS, "ResumeWelfare", b.reversal_for_resident, "stop_welfare"
    ),
    "restore_disability_card": (
        Department.DISABLED_FEDERATION, "RestoreDisabilityCard", b.reversal_for_resident,
        "cancel_disability_card",
    ),
})  # fmt: skip


# Refusals meaning "the forward step changed nothing here", per reversal row.
NOTHING_TO_CORRECT: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "resume_welfare": ("nothing_to_resume",),
})  # fmt: skip


TITLES: Mapping[str, str] = MappingProxyType({
    "revoke_death_confirmation": "撤销死亡事实确认",
    "restore_hukou": "恢复户口",
    "resume_pension": "恢复发放养老金",
    "recover_survivor_benefits": "追回丧葬补助金、抚恤金",
    "reinstate_medical_insurance": "恢复医保参保",
    "recover_housing_fund": "追回住房公积金提取",
    "reverse_funeral_fee_waiver": "撤销惠民殡葬减免",
    "resume_welfare": "恢复民政待遇",
    "restore_disability_card": "恢复残疾人证",
    "reissue_id_card": "补领居民身份证",
})  # fmt: skip

# Without a pivot the default refusal policy would reject the case and stop the other
# corrections: every row here fails only its own branch.
_ALONE = OnRefused.FAIL_BRANCH


def _row(name: str) -> Step:
    department, command, build, corrects = REVERSES[name]
    return command_step(
        name,
        StepKind.RETRIABLE,
        department,
        command,
        build,
        corrects=corrects,
        not_applicable=NOTHING_TO_CORRECT.get(name, ()),
        on_refused=_ALONE,
        retry=BRANCH,
        title=TITLES[name],
    )


def afterlife_reversal_saga() -> Saga:
    """The reversal of an after-death case, version 2 (in-flight steps, ID card, notice)."""
    corrections = tuple(_row(name) for name in REVERSES)
    # The hukou cancellation voided the ID card, and a restored hukou needs a new one.
    reissue = command_step(
        "reissue_id_card", StepKind.RETRIABLE, Department.PUBLIC_SECURITY, "ReissueIdCard",
        b.reversal_for_resident, depends_on=("restore_hukou",), when=id_card_to_reissue,
        on_refused=_ALONE, retry=BRANCH, title=TITLES["reissue_id_card"],
    )  # fmt: skip
    reported = (*corrections, reissue)
    notice = command_step(
        "correction_notice", StepKind.RETRIABLE, Department.PLATFORM, "SendCorrectionNotice",
        correction_notice(reported), depends_on=tuple(s.name for s in reported),
        join=Join.SETTLED, when=corrected_anything(reported), on_refused=_ALONE,
        deadline=NEXT_WORKING_DAY, retry=BRANCH, title="更正告知",
    )  # fmt: skip
    return Saga(
        name="afterlife_reversal",
        version=2,
        steps=(*reported, notice),
        # No statute sets a limit; the forward case's service promise, so a stuck one shows.
        case_deadline=CASE_DEADLINE,
        title="公民身后一件事：死亡信息撤销后的更正",
        reversed_step_wait=REVERSED_STEP_WAIT,
    )
