"""Two ends of a case, in the runtime: a rejected case runs its ``on_rejected`` steps after the
roll-back and before it ends; a reversed case passes the late answers of steps in flight to its
reversal case, whose correction rows wait for them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction, ReplyOutcome, ReverseCase, ReversedStepSettled
from saga.definition import DONE_STEPS, IN_FLIGHT_STEPS, REFUSALS
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_reversal_saga, sample_saga


def rejected() -> Scenario:
    """check_a refuses; check_b and accept are undone."""
    scenario = Scenario(sample_saga(on_rejected=True)).start().succeed("accept")
    scenario.succeed("check_b").refuse("check_a", "person_not_found", "查无此人")
    return scenario.succeed("check_b").succeed("accept")


def test_the_rejection_steps_run_after_the_roll_back_and_before_the_case_ends() -> None:
    scenario = rejected()

    assert scenario.latest("accept").compensation
    assert "tell_refusal" == scenario.sent[-1].step  # after the last undo
    assert CaseStatus.COMPENSATING is scenario.status
    scenario.succeed("tell_refusal").expect_sent(
        "accept", "check_a", "check_b", "check_b", "accept", "tell_refusal", "file_refusal"
    )
    scenario.succeed("file_refusal")
    assert CaseStatus.REJECTED is scenario.status
    assert scenario.state is not None and scenario.state.outcome == "check_a: person_not_found"


def test_the_rejection_steps_see_the_refusals_that_rejected_the_case() -> None:
    scenario = rejected()

    assert {"case": "case-1", "reasons": [["check_a", "person_not_found"]]} == scenario.latest(
        "tell_refusal"
    ).payload
    assert scenario.state is not None
    assert [
        {"step": "check_a", "department": "sample", "reason_code": "person_not_found",
         "reason": "查无此人"}
    ] == scenario.state.data[REFUSALS]  # fmt: skip


def test_a_rejection_step_deadline_counts_from_the_decision() -> None:
    scenario = Scenario(sample_saga(on_rejected=True)).start().succeed("accept")
    scenario.refuse("check_a", "person_not_found")  # Monday 3 March, 17:00 in China
    scenario.clock.set(datetime(2025, 3, 6, 9, tzinfo=UTC))  # the undo answers on Thursday
    scenario.succeed("check_b").succeed("check_b").succeed("accept")

    notice = scenario.latest("tell_refusal")
    assert datetime(2025, 3, 6, 15, 59, 59, 999999, tzinfo=UTC) == notice.deadline_at


def test_a_failing_rejection_step_is_retried_then_a_person_looks() -> None:
    scenario = rejected()

    for _ in range(3):
        scenario.fail("tell_refusal")
        scenario.advance(timedelta(seconds=5))
    assert 3 == scenario.latest("tell_refusal").attempt
    assert CaseStatus.NEEDS_ATTENTION is scenario.status
    scenario.operator(OperatorAction.RETRY_STEP, "tell_refusal", reason="平台已恢复")
    scenario.succeed("tell_refusal").succeed("file_refusal")
    assert CaseStatus.REJECTED is scenario.status


def test_a_refused_rejection_step_is_recorded_and_the_case_still_ends_rejected() -> None:
    scenario = rejected().refuse("tell_refusal", "no_address")

    assert StepStatus.CANCELLED is scenario.step_status("file_refusal")
    assert CaseStatus.REJECTED is scenario.status


def test_a_redelivered_reply_sends_no_second_rejection_step() -> None:
    scenario = rejected()
    scenario.redeliver_last()

    assert 1 == sum(c.step == "tell_refusal" for c in scenario.sent)


def test_a_case_compensated_or_withdrawn_runs_no_rejection_step() -> None:
    scenario = Scenario(sample_saga(on_rejected=True)).start().succeed("accept")
    scenario.operator(OperatorAction.WITHDRAW, reason="申请人撤回")
    scenario.succeed("check_a", "check_b").succeed("check_b").succeed("accept")

    assert CaseStatus.WITHDRAWN is scenario.status
    assert scenario.state is not None and "tell_refusal" not in scenario.state.steps


def test_without_rejection_steps_a_rejected_case_ends_as_before() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    scenario.succeed("check_b").refuse("check_a", "no").succeed("check_b").succeed("accept")

    assert CaseStatus.REJECTED is scenario.status


# --- late answers of a reversed case ---------------------------------------------------------


def reversed_with_x_in_flight() -> tuple[Scenario, Scenario]:
    original = run_to_pivot(Scenario(sample_saga()))
    original.succeed("notify_y")
    reverse = ReverseCase(
        case_id="case-1",
        reversal_case_id="case-1-R",
        actor="health",
        reason="误报",
        reversal_saga="sample_reversal",
    )
    [start] = original.deliver(reverse).starts
    assert (["notify_x"], "case-1") == (start.data[IN_FLIGHT_STEPS], start.data["original_case_id"])
    reversal = Scenario(sample_reversal_saga(), case_id="case-1-R")
    reversal.deliver(start)
    return original, reversal


def test_a_correction_of_a_step_in_flight_waits_and_the_reversal_does_not_end() -> None:
    original, reversal = reversed_with_x_in_flight()

    assert CaseStatus.REVERSED is original.status
    assert StepStatus.CANCELLED is original.step_status("notify_x")
    reversal.expect_sent("unnotify_y")
    assert StepStatus.WAITING_REVERSED_CASE is reversal.step_status("unnotify_x")
    reversal.succeed("unnotify_y")
    assert CaseStatus.WAITING is reversal.status


def test_a_late_success_is_recorded_and_passed_on_and_the_correction_runs_once() -> None:
    original, reversal = reversed_with_x_in_flight()

    transition = original.succeed("notify_x", data={"n": 1}).last
    assert transition is not None
    [told] = transition.forwards
    assert isinstance(told, ReversedStepSettled)
    assert ("case-1-R", "notify_x", ReplyOutcome.SUCCEEDED) == (told.case_id, told.step,
                                                                 told.outcome)  # fmt: skip
    assert [] == transition.commands  # the reversed case does nothing more itself
    event = transition.events[-1]
    assert (CaseEventType.STEP_SUCCEEDED, True) == (event.type, event.detail["after_reversal"])
    reversal.deliver(told)
    reversal.deliver(told, "another-id")
    reversal.succeed("unnotify_y").succeed("unnotify_x")

    assert ["case-1-R:unnotify_x:1"] == [
        c.command_id for c in reversal.sent if c.step == "unnotify_x"
    ]
    assert reversal.state is not None and "notify_x" in reversal.state.data[DONE_STEPS]
    assert CaseStatus.COMPLETED is reversal.status


def test_a_late_refusal_skips_the_correction() -> None:
    original, reversal = reversed_with_x_in_flight()

    [told] = original.refuse("notify_x", "local_rule").last.forwards  # type: ignore[union-attr]
    reversal.deliver(told)
    reversal.succeed("unnotify_y")

    assert StepStatus.SKIPPED is reversal.step_status("unnotify_x")
    assert CaseStatus.COMPLETED is reversal.status


def test_an_older_attempts_failure_says_nothing_and_is_not_passed_on() -> None:
    original = run_to_pivot(Scenario(sample_saga()))
    first = original.latest("notify_x")
    original.advance(timedelta(seconds=31))  # attempt 1 times out
    original.advance(timedelta(seconds=2))  # attempt 2 goes out
    assert 2 == original.latest("notify_x").attempt
    original.deliver(
        ReverseCase(case_id="case-1", reversal_case_id="case-1-R", actor="h", reason="r",
                    reversal_saga="sample_reversal")
    )  # fmt: skip

    original.reply("notify_x", ReplyOutcome.FAILED, command=first)
    assert original.last is not None and [] == original.last.forwards
    original.reply("notify_x", ReplyOutcome.SUCCEEDED, command=first)
    assert original.last is not None and 1 == len(original.last.forwards)


def test_a_reversed_case_without_a_reversal_saga_ignores_late_replies() -> None:
    original = run_to_pivot(Scenario(sample_saga()))
    original.deliver(ReverseCase(case_id="case-1", reversal_case_id="x", actor="h", reason="r"))

    original.succeed("notify_x")
    assert original.last is not None and [] == original.last.forwards
    assert CaseEventType.STALE_REPLY_IGNORED is original.events[-1].type


def test_a_correction_that_never_hears_is_put_in_front_of_a_person() -> None:
    _, reversal = reversed_with_x_in_flight()
    reversal.succeed("unnotify_y")

    reversal.advance(timedelta(days=1))
    assert CaseStatus.NEEDS_ATTENTION is reversal.status
    reversal.operator(OperatorAction.SKIP_STEP, "unnotify_x", reason="部门确认未办")
    assert CaseStatus.COMPLETED is reversal.status
