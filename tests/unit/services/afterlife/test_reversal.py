"""A death retracted as erroneous: the reversal corrects only what the original case did, in
parallel, each correction with the reason, and a refused one does not stop the others; a
restored hukou gets a new ID card, and the person is told what was corrected."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from contracts.departments.health import DeathRetracted
from contracts.departments.platform import SendCorrectionNotice
from contracts.lifecycle import CaseStatus, StepStatus
from contracts.window import Applicant
from saga.testing import Scenario
from services.afterlife import afterlife_reversal_saga, reversal_case_data
from services.afterlife.reversal import CORRECTIONS
from tests.unit.services.afterlife.support import CHILD_ID, DECEASED_ID, form

ORIGINAL = "AD-0123456789abcdef"
REASON = "死亡医学证明填报错误，当事人健在"
EVERYTHING = tuple(CORRECTIONS)  # every forward step a correction exists for
REVERSES = tuple(row.name for row in CORRECTIONS.values())
# A proactive case the family never applied to: benefits stopped (the medical-insurance
# enrolment too), nothing paid to heirs.
STOPPED_ONLY = (
    "confirm_death",
    "record_cremation",
    "funeral_fee_waiver",
    "cancel_hukou",
    "stop_pension",
    "end_medical_insurance",
    "stop_welfare",
    "cancel_disability_card",
)


def retraction() -> DeathRetracted:
    return DeathRetracted(
        certificate_no=DECEASED_ID,
        deceased_id=DECEASED_ID,
        reason=REASON,
        retracted_at=datetime(2025, 3, 20, 2, 0, tzinfo=UTC),
    )


def reversal_data(done_steps: tuple[str, ...]) -> dict[str, Any]:
    return reversal_case_data(retraction(), ORIGINAL, done_steps)


def reversal(done_steps: tuple[str, ...]) -> Scenario:
    return Scenario(afterlife_reversal_saga(), data=reversal_data(done_steps)).start()


REVERSAL_REPLIES: dict[str, dict[str, Any]] = {
    "revoke_death_confirmation": {"revoked_at": "2025-03-20T02:05:00Z"},
    "restore_hukou": {
        "restored_on": "2025-03-20",
        "spouse_restored": True,
        "household_head_restored": False,
        "id_card_reissue_required": True,
    },
    "resume_pension": {
        "resumed_from": "2025-04",
        "arrears_months": 0,
        "arrears_fen": 0,
        "overpayment_cancelled_fen": 0,
    },
    "recover_survivor_benefits": {"recovered_fen": 4700000},
    "reinstate_medical_insurance": {"recovered_fen": 35000},
    "recover_housing_fund": {"recovered_fen": 8800000},
    "reverse_funeral_fee_waiver": {"recovered_fen": 120000},
    "resume_welfare": {"programmes": [], "arrears_fen": 0},
    "restore_disability_card": {"card_no": "32130019491231002X11"},
    "reissue_id_card": {"application_no": "SFZ000001", "issued_on": "2025-03-20"},
    "correction_notice": {"notice_no": "GZ000001"},
}


def test_a_case_that_did_everything_has_everything_corrected_at_once() -> None:
    scenario = reversal(EVERYTHING)

    scenario.expect_sent(*REVERSES)
    settle_reversal(scenario)
    assert CaseStatus.COMPLETED is scenario.status
    scenario.expect_sent("reissue_id_card", "correction_notice")


def test_only_what_the_original_case_did_is_corrected() -> None:
    scenario = reversal(STOPPED_ONLY)

    scenario.expect_sent(
        "revoke_death_confirmation",
        "reverse_funeral_fee_waiver",
        "restore_hukou",
        "resume_pension",
        "reinstate_medical_insurance",
        "resume_welfare",
        "restore_disability_card",
    )
    for step in ("recover_survivor_benefits", "recover_housing_fund"):
        assert StepStatus.SKIPPED is scenario.step_status(step), step


def test_every_correction_carries_the_reason_and_the_original_case() -> None:
    scenario = reversal(EVERYTHING)

    for command in scenario.sent:
        assert REASON in command.payload["reason"], command.step
        assert ORIGINAL in command.payload["reason"], command.step


def test_a_refused_correction_is_reported_and_the_others_go_on() -> None:
    scenario = reversal(STOPPED_ONLY)
    scenario.refuse("resume_pension", "death_still_certified")
    for step in ("revoke_death_confirmation", "restore_hukou", "resume_welfare"):
        scenario.succeed(step, data=REVERSAL_REPLIES[step])
    settle_reversal(scenario)

    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
    assert scenario.state is not None
    assert "resume_pension refused (death_still_certified)" == scenario.state.outcome


def test_nothing_to_resume_is_not_a_failed_correction() -> None:
    scenario = reversal(STOPPED_ONLY)
    scenario.refuse("resume_welfare", "nothing_to_resume")
    for step in ("revoke_death_confirmation", "restore_hukou", "resume_pension"):
        scenario.succeed(step, data=REVERSAL_REPLIES[step])
    settle_reversal(scenario)

    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("resume_welfare")


def test_a_reversal_with_nothing_done_completes_at_once_and_tells_no_one() -> None:
    scenario = reversal(())

    scenario.expect_sent()
    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("correction_notice")


def settle_reversal(scenario: Scenario) -> None:
    """Every correction sent so far succeeds, then whatever they lead to, until nothing is out."""
    while pending := [
        step for step in REVERSAL_REPLIES if scenario.step_status(step) is StepStatus.DISPATCHED
    ]:
        for step in pending:
            scenario.succeed(step, data=REVERSAL_REPLIES[step])


def test_the_medical_account_payout_is_recovered_by_reinstating_the_enrolment() -> None:
    done = ("confirm_death", "end_medical_insurance", "pay_out_medical_account")
    scenario = reversal(done)

    scenario.expect_sent("revoke_death_confirmation", "reinstate_medical_insurance")
    assert "ReinstateMedicalInsurance" == scenario.latest("reinstate_medical_insurance").command
    assert DECEASED_ID == scenario.latest("reinstate_medical_insurance").payload["resident_id"]


def test_a_restored_hukou_gets_a_new_id_card_with_the_reason() -> None:
    scenario = reversal(STOPPED_ONLY)
    scenario.succeed("restore_hukou", data=REVERSAL_REPLIES["restore_hukou"])

    [reissue] = [c for c in scenario.sent if c.step == "reissue_id_card"]
    assert ("public_security", "ReissueIdCard") == (reissue.department, reissue.command)
    assert {"resident_id": DECEASED_ID} == {"resident_id": reissue.payload["resident_id"]}
    assert REASON in reissue.payload["reason"]


def test_no_new_id_card_when_the_hukou_was_not_restored() -> None:
    scenario = reversal(STOPPED_ONLY)
    scenario.refuse("restore_hukou", "death_still_certified")

    assert StepStatus.CANCELLED is scenario.step_status("reissue_id_card")
    assert "reissue_id_card" not in [c.step for c in scenario.sent]


def test_no_new_id_card_for_a_case_that_never_cancelled_the_hukou() -> None:
    scenario = reversal(("confirm_death", "stop_pension"))
    settle_reversal(scenario)

    assert StepStatus.SKIPPED is scenario.step_status("restore_hukou")
    assert StepStatus.SKIPPED is scenario.step_status("reissue_id_card")
    assert CaseStatus.COMPLETED is scenario.status


def test_the_person_is_told_what_was_corrected_and_why_once_everything_settled() -> None:
    scenario = reversal(STOPPED_ONLY)
    scenario.refuse("resume_pension", "death_still_certified")
    for step in ("revoke_death_confirmation", "restore_hukou", "resume_welfare"):
        scenario.succeed(step, data=REVERSAL_REPLIES[step])
    assert "correction_notice" not in [c.step for c in scenario.sent]  # the card is still out
    settle_reversal(scenario)

    notice = scenario.latest("correction_notice")
    assert ("platform", "SendCorrectionNotice") == (notice.department, notice.command)
    assert [DECEASED_ID] == notice.payload["recipient_ids"]
    assert (ORIGINAL, REASON) == (notice.payload["original_case_id"], notice.payload["reason"])
    lines = {i["item"]: i["status"] for i in notice.payload["items"]}
    assert {"恢复发放养老金": "refused", "恢复户口": "done", "补领居民身份证": "done"}.items() <= (
        lines.items()
    )
    assert "追回丧葬补助金、抚恤金" not in lines  # nothing was paid, nothing to recover
    SendCorrectionNotice.model_validate(notice.payload)


def test_whoever_applied_in_the_original_case_is_told_too() -> None:
    applicant = Applicant.model_validate(form()["applicant"])
    data = reversal_case_data(retraction(), ORIGINAL, STOPPED_ONLY, applicant=applicant)
    scenario = Scenario(afterlife_reversal_saga(), data=data).start()
    settle_reversal(scenario)

    assert [DECEASED_ID, CHILD_ID] == scenario.latest("correction_notice").payload["recipient_ids"]
