"""The after-death reversal: a retracted death certificate corrects what the original case did.

Started by health's ``DeathRetracted`` (a death reported in error) with ``ReversalStart`` as its
data: the original case, the reason, the steps that succeeded there and those still in flight.
It is derived from the forward table (``saga.reversal.reversal_saga``): per forward step, the
department's ``REVERSE`` command that corrects it, run if that step was done, waited for while
it was in flight (the runtime passes its late answer on, so a pension stopped after the
retraction is resumed too) and skipped otherwise; all run in parallel, and each carries the
retraction's reason and the original case id so every correction is audited with why. A
correction a department refuses (``death_still_certified``, say) fails its own row and is
reported, the others go on. A department answering that there was nothing to correct (welfare
stopped for someone who drew none) is not a failure: that row counts as not applicable. The
cremation record has no reversal in the catalogue: a body cremated was not alive. The medical
insurance's reinstatement also recovers the account payout, which ran only after the enrolment
was ended, so one correction keyed on the termination covers both.

Then public security reissues the ID card the hukou cancellation voided (where the hukou was
restored), and once every correction has settled the person, and whoever applied in the
original case, are told what was corrected and why. Revoking the confirmation publishes
``DeathConfirmationRevoked``, as confirming it published ``DeathConfirmed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from saga.definition import Join, Saga, Step, StepKind
from saga.notices import corrected_anything, correction_notice
from saga.reversal import reversal_saga
from saga.rows import command_row as row
from services.afterlife import builders as b
from services.afterlife import policies as p
from services.afterlife.conditions import id_card_to_reissue
from services.afterlife.notice import SAGA, reversal_reason, reversal_recipients
from services.afterlife.saga import afterlife_saga

__all__ = ["CORRECTIONS", "afterlife_reversal_saga"]

RETRY = StepKind.RETRIABLE

# forward step → the row that corrects it (name, kind, builder, the columns, title).
CORRECTIONS: Mapping[str, Step] = MappingProxyType({
    "confirm_death": row("revoke_death_confirmation", RETRY, b.revoke_death_confirmation,
                         title="撤销死亡事实确认"),
    "cancel_hukou": row("restore_hukou", RETRY, b.restore_hukou, title="恢复户口"),
    "stop_pension": row("resume_pension", RETRY, b.resume_pension, title="恢复发放养老金"),
    "survivor_benefits": row("recover_survivor_benefits", RETRY, b.recover_survivor_benefits,
                             title="追回丧葬补助金、抚恤金"),
    "end_medical_insurance": row("reinstate_medical_insurance", RETRY,
                                 b.reinstate_medical_insurance, title="恢复医保参保"),
    "housing_fund_withdrawal": row("recover_housing_fund", RETRY, b.recover_housing_fund,
                                   title="追回住房公积金提取"),
    "funeral_fee_waiver": row("reverse_funeral_fee_waiver", RETRY, b.reverse_funeral_fee_waiver,
                              title="撤销惠民殡葬减免"),
    "stop_welfare": row("resume_welfare", RETRY, b.resume_welfare,
                        not_applicable=("nothing_to_resume",), title="恢复民政待遇"),
    "cancel_disability_card": row("restore_disability_card", RETRY, b.restore_disability_card,
                                  title="恢复残疾人证"),
})  # fmt: skip


def afterlife_reversal_saga() -> Saga:
    """The reversal of an after-death case, version 2 (in-flight steps, ID card, notice)."""
    # The hukou cancellation voided the ID card, and a restored hukou needs a new one.
    reissue = row("reissue_id_card", RETRY, b.reissue_id_card, depends_on=("restore_hukou",),
                  when=id_card_to_reissue, title="补领居民身份证")  # fmt: skip
    reported = (*CORRECTIONS.values(), reissue)
    build = correction_notice(SAGA, reported, reversal_recipients, reversal_reason)
    notice = row("correction_notice", RETRY, build, depends_on=tuple(s.name for s in reported),
                 join=Join.SETTLED, when=corrected_anything(reported), deadline=p.NEXT_WORKING_DAY,
                 title="更正告知")  # fmt: skip
    return reversal_saga(
        afterlife_saga(),
        CORRECTIONS,
        name="afterlife_reversal",
        version=2,
        then=(reissue, notice),
        title="公民身后一件事：死亡信息撤销后的更正",
        # No statute sets a limit; the forward case's service promise, so a stuck one shows.
        case_deadline=p.CASE_DEADLINE,
        reversed_step_wait=p.REVERSED_STEP_WAIT,
    )
