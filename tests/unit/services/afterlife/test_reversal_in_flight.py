"""A death retracted while a branch was still in flight: the pension stop the department carries
out after the retraction is resumed by the reversal case, exactly once; a late refusal or failure
needs no correction; and a reversal that never hears asks a person instead of guessing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts.departments.health import DeathRetracted
from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction, ReplyOutcome, ReverseCase, ReversedStepSettled
from saga.engine import Transition
from saga.testing import Scenario
from services.afterlife import afterlife_reversal_saga
from services.afterlife.policies import BRANCH, REVERSED_STEP_WAIT
from services.afterlife.start import ReversalStart
from services.afterlife.triggers import react
from tests.unit.services.afterlife.support import (
    DECEASED_ID,
    REPLIES,
    settle,
    to_pivot,
    window_scenario,
)
from tests.unit.services.afterlife.test_reversal import settle_reversal

REASON = "死亡医学证明填报错误，当事人健在"


def retract(original: Scenario) -> Scenario:
    """Health retracts the death; the original case reverses and opens its reversal case."""
    retracted = DeathRetracted(
        certificate_no=DECEASED_ID,
        deceased_id=DECEASED_ID,
        reason=REASON,
        retracted_at=datetime(2025, 3, 3, 10, tzinfo=UTC),
    )
    [(_, _, reverse)] = react(retracted)
    assert isinstance(reverse, ReverseCase)
    update = {"case_id": original.case_id, "reversal_case_id": f"{original.case_id}-R"}
    [start] = original.deliver(reverse.model_copy(update=update)).starts
    ReversalStart.model_validate(start.data)
    reversal = Scenario(afterlife_reversal_saga(), case_id=start.case_id)
    reversal.deliver(start)
    return reversal


def pension_in_flight() -> tuple[Scenario, Scenario]:
    """A family's case past the pivot, every branch answered but the pension stop; then the
    death is retracted."""
    original = to_pivot(window_scenario())
    settle(original, hold=frozenset({"stop_pension"}))
    assert StepStatus.DISPATCHED is original.step_status("stop_pension")
    return original, retract(original)


def forwarded(transition: Transition) -> ReversedStepSettled:
    [message] = transition.forwards
    return message


def resume_commands(reversal: Scenario) -> list[str]:
    return [c.command_id for c in reversal.sent if c.command == "ResumePension"]


def test_the_reversal_waits_for_the_step_in_flight_and_cannot_end_before_it() -> None:
    original, reversal = pension_in_flight()

    assert CaseStatus.REVERSED is original.status
    assert StepStatus.WAITING_REVERSED_CASE is reversal.step_status("resume_pension")
    settle_reversal(reversal)
    assert CaseStatus.WAITING is reversal.status
    assert [] == resume_commands(reversal)
    assert "correction_notice" not in [c.step for c in reversal.sent]


def test_a_pension_stopped_after_the_retraction_is_resumed_once() -> None:
    original, reversal = pension_in_flight()
    settle_reversal(reversal)

    late = original.succeed("stop_pension", data=REPLIES["stop_pension"]).last
    assert late is not None
    message = forwarded(late)
    assert (ReplyOutcome.SUCCEEDED, "stop_pension") == (message.outcome, message.step)
    assert CaseStatus.REVERSED is original.status  # the reversed case stays reversed
    assert StepStatus.SUCCEEDED is original.step_status("stop_pension")  # and says what happened
    assert original.state is not None and original.state.results["stop_pension"]
    reversal.deliver(message)
    settle_reversal(reversal)

    assert ["case-1-R:resume_pension:1"] == resume_commands(reversal)
    assert CaseStatus.COMPLETED is reversal.status
    notice = reversal.latest("correction_notice").payload
    assert {"item": "恢复发放养老金", "status": "done"} in notice["items"]


def test_the_late_success_redelivered_or_repeated_gives_no_second_correction() -> None:
    original, reversal = pension_in_flight()
    message = forwarded(original.succeed("stop_pension", data=REPLIES["stop_pension"]).last)  # type: ignore[arg-type]

    assert original.redeliver_last().duplicate  # Kafka redelivers the department's reply
    again = original.succeed("stop_pension", data=REPLIES["stop_pension"]).last
    assert again is not None and [] == again.forwards  # the department answers twice
    reversal.deliver(message, "late-1")
    reversal.redeliver_last()
    reversal.deliver(message, "late-2")  # the same news under another id
    settle_reversal(reversal)

    assert ["case-1-R:resume_pension:1"] == resume_commands(reversal)
    assert CaseStatus.COMPLETED is reversal.status


def test_a_late_refusal_needs_no_correction() -> None:
    original, reversal = pension_in_flight()

    original.refuse("stop_pension", "no_pension", "未领取基本养老金")
    reversal.deliver(forwarded(original.last))  # type: ignore[arg-type]
    settle_reversal(reversal)

    assert StepStatus.SKIPPED is reversal.step_status("resume_pension")
    assert [] == resume_commands(reversal)
    assert CaseStatus.COMPLETED is reversal.status


def test_a_late_failure_is_not_retried_and_needs_no_correction() -> None:
    original, reversal = pension_in_flight()

    original.fail("stop_pension", "社保系统维护中")
    assert original.last is not None and [] == original.last.commands  # no retry: alive
    assert StepStatus.FAILED is original.step_status("stop_pension")
    reversal.deliver(forwarded(original.last))
    settle_reversal(reversal)

    assert StepStatus.SKIPPED is reversal.step_status("resume_pension")
    assert [] == resume_commands(reversal)
    assert CaseStatus.COMPLETED is reversal.status


def test_a_step_waiting_for_its_retry_is_in_flight_too_and_its_late_success_corrected() -> None:
    original = to_pivot(window_scenario())
    settle(original, hold=frozenset({"stop_pension"}))
    first = original.latest("stop_pension")
    original.advance(BRANCH.timeout or timedelta(0))  # no reply: the retry is scheduled
    assert StepStatus.WAITING_RETRY is original.step_status("stop_pension")
    reversal = retract(original)
    assert StepStatus.WAITING_REVERSED_CASE is reversal.step_status("resume_pension")

    original.reply("stop_pension", ReplyOutcome.SUCCEEDED, command=first)  # attempt 1, late
    reversal.deliver(forwarded(original.last))  # type: ignore[arg-type]
    settle_reversal(reversal)

    assert ["case-1-R:resume_pension:1"] == resume_commands(reversal)


def test_a_reversal_that_never_hears_asks_a_person_who_can_issue_the_correction() -> None:
    _, reversal = pension_in_flight()
    settle_reversal(reversal)

    reversal.advance(REVERSED_STEP_WAIT)
    assert CaseStatus.NEEDS_ATTENTION is reversal.status
    assert CaseEventType.STEP_TIMED_OUT in reversal.event_types("resume_pension")
    reversal.operator(OperatorAction.RETRY_STEP, "resume_pension", reason="社保确认已停发")
    settle_reversal(reversal)

    assert ["case-1-R:resume_pension:1"] == resume_commands(reversal)
    assert CaseStatus.COMPLETED is reversal.status


def test_news_for_a_reversal_already_ended_is_recorded_and_changes_nothing() -> None:
    original, reversal = pension_in_flight()
    settle_reversal(reversal)
    reversal.advance(REVERSED_STEP_WAIT)
    reversal.operator(OperatorAction.SKIP_STEP, "resume_pension", reason="社保确认未停发")
    settle_reversal(reversal)
    assert CaseStatus.COMPLETED is reversal.status

    original.succeed("stop_pension", data=REPLIES["stop_pension"])
    reversal.deliver(forwarded(original.last))  # type: ignore[arg-type]

    assert CaseStatus.COMPLETED is reversal.status
    assert [] == resume_commands(reversal)
    assert CaseEventType.STALE_REPLY_IGNORED is reversal.events[-1].type
