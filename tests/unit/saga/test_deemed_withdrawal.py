"""A period that withdraws the application when it runs out (``Deadline.withdraws``): a couple
who do not come back within the 30 days after a divorce's cooling-off (视为撤回), and elapsed
seconds for a demo's compressed clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga.calendar import due_at
from saga.definition import (
    Deadline,
    DeadlineUnit,
    DefinitionError,
    RetryPolicy,
    Saga,
    Step,
    StepKind,
)
from saga.testing import FakeClock, Scenario

PATIENT = RetryPolicy(timeout=None)


def divorce_like(appear_within: Deadline, cooling_off: Deadline) -> Saga:
    """accept (compensatable) → cooling_off (timer) → appear (clerk task that lapses) → register
    (pivot) → upload."""
    return Saga(
        name="lapsing",
        version=1,
        steps=(
            Step("accept", StepKind.COMPENSATABLE, "civil_affairs", "Accept", undo="Void",
                 build_undo=lambda ctx: {}, retry=PATIENT),
            Step("cooling_off", StepKind.TIMER, depends_on=("accept",), wait=cooling_off),
            Step("appear", StepKind.DECISION, depends_on=("cooling_off",), deadline=appear_within,
                 clerk=True, title="双方到场"),
            Step("register", StepKind.PIVOT, "civil_affairs", "Register", depends_on=("appear",),
                 retry=PATIENT),
            Step("upload", StepKind.RETRIABLE, "civil_affairs", "Upload",
                 depends_on=("register",), retry=PATIENT),
        ),
    )  # fmt: skip


THIRTY_DAYS = Deadline(30, DeadlineUnit.CALENDAR_DAY)
LAPSES = Deadline(30, DeadlineUnit.CALENDAR_DAY, withdraws=True)
# Monday 2025-03-03, 09:00 in China: day 30 of the cooling-off is Wednesday 2 April, day 30 of
# the appearance period Friday 2 May, Labour Day, which rolls to Tuesday 6 May (调休: the
# Sunday 27 April make-up day is before it).
APPLIED = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def _scenario() -> Scenario:
    return Scenario(divorce_like(LAPSES, THIRTY_DAYS), clock=FakeClock(APPLIED)).start()


def test_missing_the_appearance_period_withdraws_the_case_and_undoes_the_acceptance() -> None:
    scenario = _scenario().succeed("accept")
    scenario.advance(timedelta(days=31))
    assert scenario.step_status("appear") is StepStatus.WAITING_SIGNAL
    assert scenario.state is not None
    due = scenario.state.steps["appear"].deadline_at
    assert due == datetime(2025, 5, 6, 15, 59, 59, 999999, tzinfo=UTC)
    scenario.advance(due - scenario.clock.now() - timedelta(seconds=1))
    assert scenario.status is CaseStatus.WAITING  # the last second of the period still counts
    scenario.advance(timedelta(seconds=2))
    assert scenario.latest("accept").compensation
    assert CaseEventType.OVERDUE in scenario.event_types("appear")
    scenario.succeed("accept")
    assert scenario.status is CaseStatus.WITHDRAWN
    assert scenario.step_status("appear") is StepStatus.CANCELLED
    assert scenario.step_status("register") is StepStatus.CANCELLED
    assert "deemed withdrawn" in (scenario.state.outcome or "")


def test_appearing_in_time_goes_on_and_a_late_deadline_changes_nothing() -> None:
    scenario = _scenario().succeed("accept")
    scenario.advance(timedelta(days=40))
    scenario.signal("appear", approved=True, reason="双方到场确认")
    scenario.expect_sent("accept", "register")
    scenario.succeed("register")
    scenario.advance(timedelta(days=40))  # the appearance deadline would have passed by now
    scenario.expect_sent("upload")
    scenario.succeed("upload")
    assert scenario.status is CaseStatus.COMPLETED


def test_a_withdrawing_deadline_after_the_pivot_is_refused_with_the_step_named() -> None:
    with pytest.raises(DefinitionError, match=r"'upload'.*only a step before the pivot"):
        Saga("bad", 1, (
            Step("register", StepKind.PIVOT, "civil_affairs", "Register"),
            Step("upload", StepKind.RETRIABLE, "civil_affairs", "Upload",
                 depends_on=("register",), deadline=LAPSES),
        ))  # fmt: skip


def test_seconds_are_elapsed_time_for_a_compressed_clock() -> None:
    assert due_at(APPLIED, 20, "second").at == APPLIED + timedelta(seconds=20)
    seconds = divorce_like(Deadline(3, DeadlineUnit.SECOND, withdraws=True),
                           Deadline(2, DeadlineUnit.SECOND))  # fmt: skip
    scenario = Scenario(seconds, clock=FakeClock(APPLIED)).start().succeed("accept")
    scenario.advance(timedelta(seconds=2))
    assert scenario.step_status("appear") is StepStatus.WAITING_SIGNAL
    scenario.advance(timedelta(seconds=4))
    scenario.succeed("accept")
    assert scenario.status is CaseStatus.WITHDRAWN
