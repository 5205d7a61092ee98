"""The after-death reversal: a retracted death certificate corrects what the original case did.

Started by health's ``DeathRetracted`` (a death reported in error) with ``ReversalStart`` as its
data: the original case, the reason, and the steps that succeeded there. Each row is the
department's ``REVERSE`` command for one forward step and runs only if that step was done (its
``when``); all run in parallel, and each carries the retraction's reason and the original case id
so every correction is audited with why. There is no pivot and nothing to undo: a correction a
department refuses (``death_still_certified``, say) fails its own branch and is reported, the
others go on. A department answering that there was nothing to correct (welfare stopped for
someone who drew none) is not a failure: that row counts as not applicable. The cremation record has no reversal in the catalogue: a body cremated was not alive.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from contracts.departments import Department
from saga.definition import OnRefused, Saga, Step, StepKind
from services.afterlife import builders as b
from services.afterlife.conditions import did
from services.afterlife.policies import BRANCH, CASE_DEADLINE
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


def _row(name: str) -> Step:
    department, command, build, corrects = REVERSES[name]
    return command_step(
        name,
        StepKind.RETRIABLE,
        department,
        command,
        build,
        when=did(corrects),
        not_applicable=NOTHING_TO_CORRECT.get(name, ()),
        # Without a pivot the default would reject the case and stop the other corrections.
        on_refused=OnRefused.FAIL_BRANCH,
        retry=BRANCH,
    )


def afterlife_reversal_saga() -> Saga:
    """The reversal of an after-death case, version 1."""
    return Saga(
        name="afterlife_reversal",
        version=1,
        steps=tuple(_row(name) for name in REVERSES),
        # No statute sets a limit; the forward case's service promise, so a stuck one shows.
        case_deadline=CASE_DEADLINE,
        title="公民身后一件事：死亡信息撤销后的更正",
    )
