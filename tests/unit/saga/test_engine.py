"""Scenario tests for the pure engine over the sample saga: given a case, expect commands,
feed replies, check where the case ends."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction
from saga.definition import OnExhausted, OnRefused
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_saga


def with_step(saga_step: str, **changes: object):  # type: ignore[no-untyped-def]
    saga = sample_saga()
    steps = tuple(
        dataclasses.replace(s, **changes) if s.name == saga_step else s  # type: ignore[arg-type]
        for s in saga.steps
    )
    return dataclasses.replace(saga, steps=steps)


def test_happy_path_fans_out_joins_and_completes() -> None:
    scenario = run_to_pivot(Scenario(sample_saga()))
    scenario.expect_sent("notify_x", "notify_y")
    scenario.succeed("notify_x")
    scenario.expect_sent()  # close waits for notify_y to settle
    scenario.succeed("notify_y").expect_sent("close")
    scenario.succeed("close")
    assert scenario.status is CaseStatus.COMPLETED
    assert scenario.state is not None and scenario.state.timers == {}


def test_command_ids_are_case_step_attempt() -> None:
    scenario = Scenario(sample_saga(), case_id="C-7").start()
    assert scenario.latest("accept").command_id == "C-7:accept:1"


def test_opt_in_step_is_skipped_when_not_requested() -> None:
    scenario = run_to_pivot(Scenario(sample_saga(), data={"want_y": False}))
    scenario.expect_sent("notify_x")
    assert scenario.step_status("notify_y") is StepStatus.SKIPPED
    scenario.succeed("notify_x").succeed("close")
    assert scenario.status is CaseStatus.COMPLETED


def test_refusal_before_pivot_undoes_completed_steps_in_reverse_order() -> None:
    scenario = Scenario(sample_saga()).start()
    scenario.succeed("accept").succeed("check_b").refuse("check_a", "person_not_found")
    undo = scenario.expect_sent("accept", "check_a", "check_b", "check_b")[-1:]
    assert undo[0].compensation and undo[0].command_id == "case-1:check_b:undo:1"
    scenario.succeed("check_b")
    assert scenario.latest("accept").compensation
    scenario.succeed("accept")
    assert scenario.status is CaseStatus.REJECTED
    assert scenario.state is not None and scenario.state.outcome == "check_a: person_not_found"
    assert scenario.step_status("approve") is StepStatus.CANCELLED


def test_step_in_flight_when_rollback_starts_is_undone_once_it_succeeds() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    scenario.refuse("check_a", "not_eligible")
    assert scenario.status is CaseStatus.COMPENSATING
    assert not scenario.latest("accept").compensation  # waits for check_b before undoing
    scenario.succeed("check_b")
    assert scenario.latest("check_b").compensation
    scenario.succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.REJECTED


def test_refusal_after_pivot_fails_the_branch_and_case_ends_partially_completed() -> None:
    scenario = run_to_pivot(Scenario(sample_saga()))
    scenario.refuse("notify_x", "local_rule", "本地政策不允许")
    scenario.succeed("notify_y").succeed("close")
    assert scenario.status is CaseStatus.PARTIALLY_COMPLETED
    assert scenario.state is not None and "notify_x refused (local_rule)" in (
        scenario.state.outcome or ""
    )


def test_escalating_refusal_waits_for_a_person_who_can_skip_it() -> None:
    saga = with_step("notify_x", on_refused=OnRefused.ESCALATE)
    scenario = run_to_pivot(Scenario(saga)).refuse("notify_x", "unclear").succeed("notify_y")
    assert scenario.status is CaseStatus.NEEDS_ATTENTION
    scenario.expect_sent("notify_x", "notify_y")
    scenario.operator(OperatorAction.SKIP_STEP, "notify_x").expect_sent("close")
    scenario.succeed("close")
    assert scenario.status is CaseStatus.COMPLETED


def test_transient_failure_is_retried_after_backoff_with_a_new_attempt_id() -> None:
    scenario = Scenario(sample_saga()).start().fail("accept")
    assert scenario.step_status("accept") is StepStatus.WAITING_RETRY
    scenario.expect_sent("accept")
    scenario.advance(timedelta(milliseconds=700))
    scenario.expect_sent()  # backoff is 1 s ± 20 %
    scenario.advance(timedelta(milliseconds=600))
    [retry] = scenario.expect_sent("accept")
    assert retry.command_id == "case-1:accept:2"
    assert CaseEventType.STEP_RETRIED in scenario.event_types("accept")


def test_exhausted_retries_escalate_then_operator_retry_recovers() -> None:
    scenario = run_to_pivot(Scenario(sample_saga()))
    for _ in range(3):
        scenario.fail("notify_x").advance(timedelta(seconds=10))
    assert scenario.step_status("notify_x") is StepStatus.FAILED
    scenario.succeed("notify_y")
    assert scenario.status is CaseStatus.NEEDS_ATTENTION
    scenario.operator(OperatorAction.RETRY_STEP, "notify_x")
    assert scenario.latest("notify_x").attempt == 4
    scenario.succeed("notify_x").succeed("close")
    assert scenario.status is CaseStatus.COMPLETED


def test_exhausted_retries_before_pivot_can_compensate_the_case() -> None:
    saga = with_step(
        "check_a",
        retry=dataclasses.replace(
            sample_saga().step("check_a").retry, on_exhausted=OnExhausted.COMPENSATE
        ),
    )
    scenario = Scenario(saga).start().succeed("accept").succeed("check_b")
    for _ in range(3):
        scenario.fail("check_a").advance(timedelta(seconds=10))
    scenario.succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.COMPENSATED


def test_missing_reply_times_out_and_is_retried() -> None:
    scenario = Scenario(sample_saga()).start()
    scenario.advance(timedelta(seconds=31))
    assert CaseEventType.STEP_TIMED_OUT in scenario.event_types("accept")
    scenario.advance(timedelta(seconds=2))
    assert scenario.latest("accept").attempt == 2


def test_late_success_of_an_earlier_attempt_counts_and_the_later_reply_is_stale() -> None:
    scenario = Scenario(sample_saga()).start()
    first = scenario.latest("accept")
    scenario.fail("accept").advance(timedelta(seconds=2))
    second = scenario.latest("accept")
    scenario.reply("accept", outcome=first_outcome(), command=first)
    assert scenario.step_status("accept") is StepStatus.SUCCEEDED
    scenario.reply("accept", outcome=first_outcome(), command=second)
    assert scenario.event_types("accept")[-1] is CaseEventType.STALE_REPLY_IGNORED


def first_outcome():  # type: ignore[no-untyped-def]
    from contracts.saga import ReplyOutcome

    return ReplyOutcome.SUCCEEDED


def test_redelivered_message_changes_nothing() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    before = scenario.state
    again = scenario.redeliver_last()
    assert again.duplicate and again.commands == [] and again.events == []
    assert scenario.state == before


def test_same_reply_sent_twice_by_a_department_is_recorded_and_ignored() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    scenario.expect_sent("accept", "check_a", "check_b")
    scenario.reply("accept", first_outcome(), command=scenario.sent[0])
    assert scenario.event_types()[-1] is CaseEventType.DUPLICATE_IGNORED
    scenario.expect_sent()


def test_failing_compensation_is_retried_then_escalated_then_retried_by_a_person() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    scenario.succeed("check_b").refuse("check_a", "no")
    for _ in range(3):
        scenario.fail("check_b").advance(timedelta(seconds=10))
    assert scenario.step_status("check_b") is StepStatus.COMPENSATION_FAILED
    assert scenario.status is CaseStatus.NEEDS_ATTENTION
    scenario.operator(OperatorAction.RETRY_STEP, "check_b")
    assert scenario.latest("check_b").command_id == "case-1:check_b:undo:4"
    scenario.succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.REJECTED


def test_refused_compensation_goes_straight_to_a_person() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept").succeed("check_b")
    scenario.refuse("check_a", "no").refuse("check_b", "cannot_undo")
    assert scenario.status is CaseStatus.NEEDS_ATTENTION
    scenario.operator(OperatorAction.SKIP_STEP, "check_b", reason="undone by hand")
    scenario.succeed("accept")
    assert scenario.status is CaseStatus.REJECTED


def test_operator_can_compensate_or_withdraw_before_the_pivot() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    scenario.operator(OperatorAction.WITHDRAW, reason="applicant withdrew")
    scenario.succeed("check_a", "check_b")
    scenario.succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.WITHDRAWN


def test_withdrawal_after_the_pivot_is_refused_and_audited() -> None:
    scenario = run_to_pivot(Scenario(sample_saga()))
    scenario.operator(OperatorAction.WITHDRAW, reason="changed mind")
    last = scenario.events[-1]
    assert last.type is CaseEventType.OPERATOR_ACTION and last.detail["accepted"] is False
    assert scenario.status is CaseStatus.IN_PROGRESS


def test_mark_resolved_closes_a_case_waiting_for_a_person() -> None:
    scenario = run_to_pivot(Scenario(sample_saga()))
    for _ in range(3):
        scenario.fail("notify_x").advance(timedelta(seconds=10))
    scenario.succeed("notify_y")
    scenario.operator(OperatorAction.MARK_RESOLVED, reason="done on paper")
    assert scenario.status is CaseStatus.PARTIALLY_COMPLETED
    assert scenario.state is not None and scenario.state.timers == {}


def test_skipping_the_pivot_is_refused() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept").succeed("check_a", "check_b")
    scenario.operator(OperatorAction.SKIP_STEP, "approve")
    assert scenario.events[-1].detail["accepted"] is False


def test_replies_after_the_case_ended_are_stale() -> None:
    scenario = run_to_pivot(Scenario(sample_saga(), data={"want_y": False}))
    scenario.succeed("notify_x").succeed("close")
    scenario.reply("close", first_outcome(), command=scenario.latest("close"), reply="Again")
    assert scenario.status is CaseStatus.COMPLETED
    assert scenario.event_types()[-1] is CaseEventType.STALE_REPLY_IGNORED
