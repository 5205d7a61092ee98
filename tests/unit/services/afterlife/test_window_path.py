"""A family applies at a window: D1, the checks in parallel, the pivot, every branch at once,
the completion notice last; refusals, faults and material brought in later (补正)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import SupplementCase
from tests.unit.services.afterlife.support import (
    ACCOUNT_NO,
    AGENT_ID,
    CHILD_ID,
    HEIR_REF,
    STOPPING,
    by_agent,
    ok,
    settle,
    to_pivot,
    window_case,
    window_scenario,
)


def test_a_family_case_runs_the_checks_then_the_pivot_then_every_branch_and_the_notice_last() -> (
    None
):
    scenario = window_scenario()
    scenario.expect_sent("accept")
    ok(scenario, "accept").expect_sent("verify_death", "verify_kinship")
    assert StepStatus.SUCCEEDED is scenario.step_status("family_application")
    assert StepStatus.SKIPPED is scenario.step_status("family_window")
    assert StepStatus.SKIPPED is scenario.step_status("notify_next_of_kin")

    ok(scenario, "verify_kinship").expect_sent("register_heir_account")
    ok(scenario, "register_heir_account").expect_sent()  # the pivot waits for the death record
    ok(scenario, "verify_death").expect_sent("confirm_death")
    ok(scenario, "confirm_death").expect_sent(*STOPPING)
    ok(scenario, *STOPPING).expect_sent(
        "funeral_fee_waiver", "survivor_benefits", "pay_out_medical_account"
    )
    ok(scenario, "funeral_fee_waiver", "survivor_benefits", "pay_out_medical_account")
    scenario.expect_sent("completion_notice")
    ok(scenario, "completion_notice")

    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("housing_fund_withdrawal")  # not opted in


def test_the_bank_account_number_goes_to_the_platform_alone() -> None:
    scenario = settle(to_pivot(window_scenario()))

    holding = {c.step for c in scenario.sent if ACCOUNT_NO in str(c.payload)}
    assert {"register_heir_account"} == holding
    assert HEIR_REF == scenario.latest("pay_out_medical_account").payload["heir_account_ref"]
    assert HEIR_REF == scenario.latest("survivor_benefits").payload["heir_account_ref"]
    assert "heir_account_ref" not in scenario.latest("end_medical_insurance").payload


def test_the_completion_notice_lists_each_branch_for_the_applicant() -> None:
    scenario = settle(to_pivot(window_scenario()))
    payload = scenario.latest("completion_notice").payload

    assert [CHILD_ID] == payload["recipient_ids"]
    assert {
        "火化登记": "done",
        "惠民殡葬减免": "done",
        "户口注销": "done",
        "养老金停发": "done",
        "丧葬补助金、抚恤金": "done",
        "医保停保": "done",
        "医保个人账户支取": "done",
        "住房公积金提取": "skipped",
        "停发民政待遇": "done",
        "残疾人证注销": "done",
    } == {i["item"]: i["status"] for i in payload["items"]}


@pytest.mark.parametrize(
    ("step", "code"),
    [
        ("record_cremation", "already_cremated"),
        ("funeral_fee_waiver", "not_local_hukou"),
        ("cancel_hukou", "already_cancelled"),
        ("stop_pension", "already_stopped"),
        ("survivor_benefits", "funeral_grant_already_paid"),
        ("end_medical_insurance", "already_terminated"),
        ("pay_out_medical_account", "already_paid_out"),
        ("housing_fund_withdrawal", "already_withdrawn"),
        ("stop_welfare", "person_not_found"),
        ("cancel_disability_card", "card_already_cancelled"),
    ],
)
def test_a_branch_refused_after_the_pivot_leaves_the_case_partially_completed(
    step: str, code: str
) -> None:
    opt_ins = {"housing_fund_withdrawal": True}
    scenario = to_pivot(window_scenario(window_case(opt_ins=opt_ins)))
    settle(scenario, refuse={step: code})

    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
    assert scenario.state is not None and f"{step} refused ({code})" in (
        scenario.state.outcome or ""
    )
    assert StepStatus.SUCCEEDED is scenario.step_status("completion_notice")
    if step != "housing_fund_withdrawal":  # the notice does not wait for it; see notice.py
        lines = {
            i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]
        }
        assert "refused" == lines[scenario.saga.step(step).title]


def test_a_refused_termination_cancels_the_medical_account_payout() -> None:
    scenario = to_pivot(window_scenario())
    scenario.refuse("end_medical_insurance", "already_terminated")
    settle(scenario)

    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
    assert StepStatus.CANCELLED is scenario.step_status("pay_out_medical_account")
    assert not [c for c in scenario.sent if c.step == "pay_out_medical_account"]
    items = scenario.latest("completion_notice").payload["items"]
    assert {"医保停保": "refused", "医保个人账户支取": "refused"} == {
        i["item"]: i["status"] for i in items if i["item"].startswith("医保")
    }


def test_someone_not_enrolled_has_nothing_to_end_or_pay_out_and_the_case_completes() -> None:
    not_enrolled = {
        "end_medical_insurance": "not_enrolled",
        "pay_out_medical_account": "not_enrolled",
    }
    scenario = settle(to_pivot(window_scenario()), refuse=not_enrolled)

    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("end_medical_insurance")
    assert StepStatus.SKIPPED is scenario.step_status("pay_out_medical_account")
    # The family is told there was nothing to do, not that something was refused.
    items = scenario.latest("completion_notice").payload["items"]
    assert {"医保停保": "skipped", "医保个人账户支取": "skipped"} == {
        i["item"]: i["status"] for i in items if i["item"].startswith("医保")
    }


def test_without_the_opt_in_the_enrolment_ends_and_the_account_is_not_paid_out() -> None:
    opt_ins = {"medical_account_payout": False}
    scenario = settle(to_pivot(window_scenario(window_case(opt_ins=opt_ins))))

    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("end_medical_insurance")
    assert StepStatus.SKIPPED is scenario.step_status("pay_out_medical_account")
    assert not [c for c in scenario.sent if c.step == "pay_out_medical_account"]
    items = scenario.latest("completion_notice").payload["items"]
    assert {"医保停保": "done", "医保个人账户支取": "skipped"} == {
        i["item"]: i["status"] for i in items if i["item"].startswith("医保")
    }


def test_a_refused_cremation_record_cancels_the_fee_waiver_that_needs_it() -> None:
    scenario = settle(to_pivot(window_scenario()), refuse={"record_cremation": "already_cremated"})

    assert StepStatus.CANCELLED is scenario.step_status("funeral_fee_waiver")
    items = scenario.latest("completion_notice").payload["items"]
    assert {"火化登记": "refused", "惠民殡葬减免": "refused"} == {
        i["item"]: i["status"] for i in items if i["item"] in ("火化登记", "惠民殡葬减免")
    }


def test_a_department_fault_is_retried_after_backoff() -> None:
    scenario = to_pivot(window_scenario())
    scenario.fail("cancel_hukou", "public security registry unavailable")
    assert StepStatus.WAITING_RETRY is scenario.step_status("cancel_hukou")

    scenario.advance(timedelta(minutes=2))

    assert 2 == scenario.latest("cancel_hukou").attempt
    settle(scenario)
    assert CaseStatus.COMPLETED is scenario.status


def test_a_fault_before_the_pivot_is_retried_too() -> None:
    scenario = ok(window_scenario(), "accept")
    scenario.fail("verify_death")
    scenario.advance(timedelta(seconds=5))

    assert 2 == scenario.latest("verify_death").attempt
    assert CaseStatus.IN_PROGRESS is scenario.status


def test_no_death_record_discards_the_heir_data_and_cancels_the_application() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.refuse("verify_death", "death_record_not_found", "死亡信息库中查无死亡记录")

    discard = scenario.latest("register_heir_account")
    assert (True, "DiscardHeirData") == (discard.compensation, discard.command)
    scenario.succeed("register_heir_account", data={"discarded": 1})
    cancel = scenario.latest("accept")
    assert (True, "CancelAfterDeathApplication") == (cancel.compensation, cancel.command)
    scenario.succeed("accept", data={"cancelled": True})
    assert CaseStatus.COMPENSATING is scenario.status  # the refusal notice is still to go out
    ok(scenario, "refusal_notice")

    assert CaseStatus.REJECTED is scenario.status
    assert scenario.state is not None
    assert "verify_death: death_record_not_found" == scenario.state.outcome
    assert StepStatus.CANCELLED is scenario.step_status("confirm_death")


def test_a_wrong_date_of_death_is_asked_again_after_the_family_corrects_it() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.refuse("verify_death", "date_of_death_mismatch")
    assert StepStatus.WAITING_SUPPLEMENT is scenario.step_status("verify_death")

    scenario.expect_sent("accept", "verify_death", "verify_kinship", "register_heir_account")

    correction = {"date_of_death": "2025-02-28"}
    scenario.deliver(SupplementCase(case_id="case-1", actor="window:01", data=correction))

    [again] = scenario.expect_sent("verify_death")
    assert (2, "2025-02-28") == (again.attempt, again.payload["date_of_death"])
    ok(scenario, "verify_death").expect_sent("confirm_death")
    assert "2025-02-28" == scenario.latest("confirm_death").payload["date_of_death"]


def test_a_correction_of_the_date_of_death_cannot_move_the_case_onto_another_person() -> None:
    scenario = ok(window_scenario(), "accept", "verify_kinship", "register_heir_account")
    scenario.refuse("verify_death", "date_of_death_mismatch")
    assert scenario.state is not None
    before = dict(scenario.state.data)
    hijack = {"date_of_death": "2025-02-28", "deceased_id": "110105194912310029",
              "channel": "online", "window_id": "w-other"}  # fmt: skip

    scenario.deliver(SupplementCase(case_id="case-1", actor="window:01", data=hijack))

    assert scenario.state is not None and before == scenario.state.data
    assert StepStatus.WAITING_SUPPLEMENT is scenario.step_status("verify_death")
    assert scenario.last is not None and [] == scenario.last.commands
    refused = scenario.events[-1]
    assert (CaseEventType.SUPPLEMENT_REFUSED, ["channel", "deceased_id", "window_id"]) == (
        refused.type,
        refused.detail["fields"],
    )


def test_a_kinship_the_registry_cannot_find_waits_for_material_then_rejects_when_overdue() -> None:
    scenario = ok(window_scenario(), "accept", "verify_death")
    scenario.refuse("verify_kinship", "kinship_not_found")
    assert StepStatus.WAITING_SUPPLEMENT is scenario.step_status("verify_kinship")

    scenario.advance(timedelta(days=7, hours=7))  # Monday 3 March + 5 working days, just past
    scenario.succeed("accept", data={"cancelled": True})
    ok(scenario, "refusal_notice")

    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.CANCELLED is scenario.step_status("register_heir_account")


def test_an_agent_is_checked_by_a_clerk_and_the_money_goes_to_the_relative_they_act_for() -> None:
    scenario = ok(window_scenario(by_agent() | {"channel": "window"}), "accept")
    scenario.expect_sent("accept", "verify_death")
    assert StepStatus.WAITING_SIGNAL is scenario.step_status("check_agent_mandate")
    assert StepStatus.SKIPPED is scenario.step_status("verify_kinship")

    scenario.signal("check_agent_mandate", actor="clerk-07", reason="委托书、户口簿已核")

    assert CHILD_ID == scenario.latest("register_heir_account").payload["heir_id"]
    ok(scenario, "register_heir_account", "verify_death", "confirm_death")
    settle(scenario)
    assert CaseStatus.COMPLETED is scenario.status
    assert [AGENT_ID, CHILD_ID] == scenario.latest("completion_notice").payload["recipient_ids"]


def test_a_clerk_refusing_the_mandate_rejects_the_case() -> None:
    scenario = ok(window_scenario(by_agent() | {"channel": "window"}), "accept", "verify_death")
    scenario.signal("check_agent_mandate", approved=False, reason="委托书无效")
    scenario.succeed("accept", data={"cancelled": True})
    ok(scenario, "refusal_notice")

    assert CaseStatus.REJECTED is scenario.status


def test_the_mandate_check_is_announced_as_a_clerk_task_with_its_title() -> None:
    scenario = ok(window_scenario(by_agent() | {"channel": "window"}), "accept")

    [waiting] = [e for e in scenario.events if e.step == "check_agent_mandate"]

    assert CaseEventType.STEP_WAITING is waiting.type
    assert {"clerk_task": True, "title": "代办委托人工核验"} == waiting.detail
    assert waiting.deadline_at is not None  # its deadline puts a late check in the late list
