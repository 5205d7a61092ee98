"""A case refused before the pivot tells the applicant why: a written refusal notice with the
refusing steps' reasons in Chinese, due within 3 working days of the decision, after the
roll-back and before the case ends rejected; a proactive case whose next of kin were told it had
opened corrects that notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts.departments.platform import CorrectNextOfKinNotice, SendRefusalNotice
from contracts.lifecycle import CaseStatus, StepStatus
from saga.testing import Scenario
from tests.unit.services.afterlife.support import (
    CHILD_ID,
    DECEASED_ID,
    by_agent,
    ok,
    proactive_scenario,
    window_scenario,
)


def no_death_record() -> Scenario:
    """A family's case whose death no record confirms, rolled back."""
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.refuse("verify_death", "death_record_not_found", "死亡信息库中查无死亡记录")
    scenario.succeed("register_heir_account", data={"discarded": 1})
    return scenario.succeed("accept", data={"cancelled": True})


def test_a_rejected_family_case_sends_the_refusal_notice_after_the_roll_back() -> None:
    scenario = no_death_record()

    notice = scenario.latest("refusal_notice")
    assert ("platform", "SendRefusalNotice") == (notice.department, notice.command)
    assert CaseStatus.COMPENSATING is scenario.status
    ok(scenario, "refusal_notice")
    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("refusal_notice")


def test_the_notice_gives_the_refusing_steps_reasons_in_chinese_to_the_applicant() -> None:
    notice = no_death_record().latest("refusal_notice").payload

    assert [CHILD_ID] == notice["recipient_ids"]
    assert "not_approved" == notice["decision"]  # the application was accepted, then refused
    assert [{"item": "死亡信息核验", "reason": "死亡信息库中查无死亡记录"}] == notice["reasons"]
    SendRefusalNotice.model_validate(notice)


def test_a_refusal_without_a_text_of_its_own_gets_the_departments_chinese_reason() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.refuse("verify_death", "death_record_retracted")  # the reply carried no text
    ok(scenario, "register_heir_account", "accept")

    [reason] = scenario.latest("refusal_notice").payload["reasons"]
    assert "死亡记录已撤销" == reason["reason"]


def test_a_clerks_refusal_is_given_in_the_clerks_words() -> None:
    scenario = ok(window_scenario(by_agent() | {"channel": "window"}), "accept", "verify_death")
    scenario.signal("check_agent_mandate", approved=False, reason="委托书未经公证，无法核实")
    ok(scenario, "accept")

    reasons = scenario.latest("refusal_notice").payload["reasons"]
    assert [{"item": "代办委托人工核验", "reason": "委托书未经公证，无法核实"}] == reasons


def test_the_notice_is_due_within_three_working_days_of_the_decision() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.clock.set(datetime(2025, 3, 7, 2, 0, tzinfo=UTC))  # Friday 10:00 in China
    scenario.refuse("verify_death", "death_record_not_found", "死亡信息库中查无死亡记录")
    scenario.clock.set(datetime(2025, 3, 10, 2, 0, tzinfo=UTC))  # the undo answers on Monday
    ok(scenario, "register_heir_account", "accept")

    assert scenario.state is not None
    # Counted from Friday's decision, not Monday's notice: Mon, Tue, Wed; due by Wednesday's end.
    due = scenario.state.steps["refusal_notice"].deadline_at
    assert datetime(2025, 3, 12, 15, 59, 59, 999999, tzinfo=UTC) == due
    assert due == scenario.latest("refusal_notice").deadline_at


def test_a_refusal_notice_that_fails_is_retried_then_escalated_and_the_case_still_ends_rejected() -> (
    None
):
    scenario = no_death_record()

    scenario.fail("refusal_notice", "短信平台不可用")
    assert StepStatus.WAITING_RETRY is scenario.step_status("refusal_notice")
    scenario.advance(timedelta(minutes=5))
    assert 2 == scenario.latest("refusal_notice").attempt
    ok(scenario, "refusal_notice")
    assert CaseStatus.REJECTED is scenario.status


def test_a_proactive_case_refused_after_notifying_the_kin_corrects_that_notice() -> None:
    scenario = proactive_scenario()
    ok(scenario, "accept", "notify_next_of_kin")
    scenario.refuse("verify_death", "death_record_retracted", "死亡记录已撤销")
    ok(scenario, "accept")

    correction = scenario.latest("correct_next_of_kin_notice")
    assert "CorrectNextOfKinNotice" == correction.command
    assert {
        "deceased_id": DECEASED_ID,
        "corrected_notice_no": "TZ000001",
        "reasons": [{"item": "死亡信息核验", "reason": "死亡记录已撤销"}],
    } == correction.payload
    CorrectNextOfKinNotice.model_validate(correction.payload)
    # Nobody applied, so nobody is sent a refusal; the kin hear the correction.
    assert StepStatus.SKIPPED is scenario.step_status("refusal_notice")
    ok(scenario, "correct_next_of_kin_notice")
    assert CaseStatus.REJECTED is scenario.status


def test_a_proactive_case_whose_kin_could_not_be_told_ends_rejected_with_no_notice() -> None:
    scenario = proactive_scenario()
    ok(scenario, "accept")
    scenario.refuse("notify_next_of_kin", "no_next_of_kin", "查无可通知的近亲属")
    scenario.refuse("verify_death", "death_record_retracted", "死亡记录已撤销")
    ok(scenario, "accept")

    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("correct_next_of_kin_notice")
    assert StepStatus.SKIPPED is scenario.step_status("refusal_notice")


def test_a_case_that_passed_its_pivot_never_sends_a_refusal_notice() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    ok(scenario, "verify_death", "confirm_death")

    assert scenario.state is not None and "refusal_notice" not in scenario.state.steps
