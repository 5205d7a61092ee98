"""Scenario tests for decisions, human tasks, timer steps and deadlines in working days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga.definition import Deadline, DeadlineUnit, RetryPolicy, Saga, Step, StepKind
from saga.testing import FakeClock, Scenario
from tests.support.sample_saga import run_to_pivot, sample_saga

PATIENT = RetryPolicy(timeout=None)  # replies may take days here; only deadlines are tested


def review_saga() -> Saga:
    """voucher (compensatable) → review (decision, 1 working day) → register (pivot)
    → notice (a 7-calendar-day timer) → close."""
    return Saga(
        name="review",
        version=1,
        case_deadline=Deadline(3, DeadlineUnit.WORKING_DAY, starts_on="case_received"),
        steps=(
            Step(
                "voucher",
                StepKind.COMPENSATABLE,
                "health",
                "IssueVoucher",
                undo="VoidVoucher",
                build_undo=lambda ctx: {},
                retry=PATIENT,
            ),
            Step(
                "review",
                StepKind.DECISION,
                depends_on=("voucher",),
                deadline=Deadline(1, DeadlineUnit.WORKING_DAY, escalate=True),
            ),
            Step(
                "register",
                StepKind.PIVOT,
                "civil_affairs",
                "Register",
                depends_on=("review",),
                retry=PATIENT,
            ),
            Step(
                "notice",
                StepKind.TIMER,
                depends_on=("register",),
                wait=Deadline(7, DeadlineUnit.CALENDAR_DAY),
            ),
            Step("close", StepKind.RETRIABLE, "platform", "Close", depends_on=("notice",)),
        ),
    )


def at_china(year: int, month: int, day: int, hour: int = 9) -> FakeClock:
    return FakeClock(datetime(year, month, day, hour - 8, tzinfo=UTC))


def test_a_decision_waits_for_a_clerk_and_approval_moves_on() -> None:
    scenario = Scenario(review_saga()).start().succeed("voucher")
    assert scenario.status is CaseStatus.WAITING
    assert scenario.step_status("review") is StepStatus.WAITING_SIGNAL
    scenario.signal("review", approved=True).expect_sent("voucher", "register")


def test_a_refusing_decision_rolls_back_with_written_reasons() -> None:
    scenario = Scenario(review_saga()).start().succeed("voucher")
    scenario.signal("review", approved=False, reason="材料不全")
    assert scenario.latest("voucher").compensation
    scenario.succeed("voucher")
    assert scenario.status is CaseStatus.REJECTED
    assert scenario.state is not None
    assert scenario.state.steps["review"].reason == "材料不全"


def test_decision_deadline_counts_a_make_up_saturday_and_escalates_when_missed() -> None:
    # Friday 2024-10-11; Saturday 2024-10-12 is a make-up working day (调休).
    scenario = Scenario(review_saga(), clock=at_china(2024, 10, 11)).start().succeed("voucher")
    assert scenario.state is not None
    due = scenario.state.steps["review"].deadline_at
    assert due == datetime(2024, 10, 12, 15, 59, 59, 999999, tzinfo=UTC)
    scenario.advance(timedelta(days=1, hours=14))
    assert not scenario.state.steps["review"].overdue  # Saturday evening: still in time
    scenario.advance(timedelta(hours=1))
    assert scenario.state.steps["review"].overdue
    assert scenario.status is CaseStatus.NEEDS_ATTENTION


def test_working_day_deadline_skips_the_national_day_holiday() -> None:
    # Received Monday 2024-09-30; 1-7 October are holidays, so 3 working days end 10 October.
    scenario = Scenario(review_saga(), clock=at_china(2024, 9, 30)).start()
    assert scenario.state is not None
    assert scenario.state.deadline_at == datetime(2024, 10, 10, 15, 59, 59, 999999, tzinfo=UTC)


def test_case_deadline_reports_overdue_without_stopping_the_work() -> None:
    scenario = Scenario(review_saga(), clock=at_china(2025, 3, 3)).start()
    scenario.advance(timedelta(days=4))
    assert scenario.state is not None and scenario.state.overdue
    assert CaseEventType.OVERDUE in scenario.event_types()
    scenario.succeed("voucher").signal("review").succeed("register")
    assert scenario.step_status("notice") is StepStatus.DISPATCHED


def test_a_timer_step_succeeds_when_its_wait_is_over_rolled_past_a_holiday() -> None:
    # Registered Thursday 2024-09-26: 7 calendar days end on 3 October, a holiday, so the
    # notice period runs to the next working day, Tuesday 8 October.
    scenario = Scenario(review_saga(), clock=at_china(2024, 9, 26)).start()
    scenario.succeed("voucher").signal("review").succeed("register")
    scenario.advance(timedelta(days=11))
    scenario.expect_sent("voucher", "register")
    assert scenario.step_status("notice") is StepStatus.DISPATCHED
    scenario.advance(timedelta(days=1, hours=14))
    assert scenario.step_status("notice") is StepStatus.DISPATCHED  # 8 October, 23:00
    scenario.advance(timedelta(hours=1))
    scenario.expect_sent("close")
    scenario.succeed("close")
    assert scenario.status is CaseStatus.COMPLETED


def test_step_deadline_in_working_days_from_case_received() -> None:
    # Friday 2024-09-27 → Sunday 29th is a make-up working day, Monday 30th the second.
    scenario = run_to_pivot(Scenario(sample_saga(), clock=at_china(2024, 9, 27)))
    assert scenario.state is not None
    assert scenario.state.steps["notify_x"].deadline_at == datetime(
        2024, 9, 30, 15, 59, 59, 999999, tzinfo=UTC
    )


def test_a_deadline_the_holiday_calendar_cannot_compute_is_reported_not_guessed() -> None:
    scenario = Scenario(review_saga(), clock=at_china(2150, 3, 2)).start()
    assert scenario.state is not None and scenario.state.deadline_at is None
    unknown = [e for e in scenario.events if e.type is CaseEventType.DEADLINE_UNKNOWN]
    assert unknown and "2150" in (unknown[0].reason or "")
    assert scenario.status is CaseStatus.IN_PROGRESS
