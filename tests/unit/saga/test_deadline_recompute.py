"""Deadlines counted into a provisional year say so, and move when the official schedule arrives:
every move is in the case's timeline with the old and the new date."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from contracts.lifecycle import CaseEvent, CaseEventType, CaseStatus, StepStatus
from contracts.saga import TimerFired, TimerKind
from saga.calendar import CHINA, WorkingCalendar, load_calendar
from saga.definition import Deadline, DeadlineUnit, RetryPolicy, Saga, Step, StepKind
from saga.testing import FakeClock, Scenario

PATIENT = RetryPolicy(timeout=None)

# The official 2027 New Year as it might come: Monday 4 January off too, Sunday 10 worked.
OFFICIAL_2027 = """\
year 2027
status official
source 国务院办公厅关于2027年部分节假日安排的通知
off 2027-01-01..2027-01-04 元旦
work 2027-01-10 元旦
off 2027-02-05..2027-02-11 春节
off 2027-10-01..2027-10-07 国庆节
"""


def notice_saga() -> Saga:
    """file (3 working days for the case) → check (1 working day) → notice (a 7-day wait)."""
    return Saga(
        name="notice",
        version=1,
        case_deadline=Deadline(3, DeadlineUnit.WORKING_DAY, starts_on="case_received"),
        steps=(
            Step(
                "check",
                StepKind.READ_ONLY,
                "civil_affairs",
                "Check",
                deadline=Deadline(1, DeadlineUnit.WORKING_DAY),
                retry=PATIENT,
            ),
            Step(
                "notice",
                StepKind.TIMER,
                depends_on=("check",),
                wait=Deadline(7, DeadlineUnit.CALENDAR_DAY),
            ),
        ),
    )


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 59, 59, 999999, tzinfo=UTC)


def on_31_december() -> FakeClock:
    return FakeClock(datetime(2026, 12, 31, 10, tzinfo=CHINA).astimezone(UTC))


@pytest.fixture
def official(tmp_path: Path) -> WorkingCalendar:
    (tmp_path / "2027.txt").write_text(OFFICIAL_2027, encoding="utf-8")
    return load_calendar(tmp_path)


def recomputed(scenario: Scenario) -> list[CaseEvent]:
    return [e for e in scenario.events if e.type is CaseEventType.DEADLINE_RECOMPUTED]


def test_a_case_deadline_counted_into_2027_is_real_and_marked_provisional() -> None:
    # 31 Dec (Thu): 1 Jan holiday, 2-3 weekend; Mon 4, Tue 5, Wed 6 are the three working days.
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    received = scenario.events[0]
    assert scenario.state is not None
    assert (end_of(date(2027, 1, 6)), True) == (received.deadline_at, received.deadline_provisional)
    assert end_of(date(2027, 1, 6)) == scenario.state.timers["case:deadline"].due_at


def test_a_step_deadline_and_a_wait_into_2027_are_provisional_too() -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    dispatched = next(e for e in scenario.events if e.type is CaseEventType.STEP_DISPATCHED)
    assert (end_of(date(2027, 1, 4)), True) == (
        dispatched.deadline_at,
        dispatched.deadline_provisional,
    )
    scenario.succeed("check")
    waiting = next(e for e in scenario.events if e.type is CaseEventType.STEP_WAITING)
    # 7 calendar days from 31 Dec end on Thu 7 Jan, a working day on either calendar.
    assert (end_of(date(2027, 1, 7)), True) == (waiting.deadline_at, waiting.deadline_provisional)


def test_loading_the_official_year_moves_the_deadlines_and_records_old_and_new(
    official: WorkingCalendar,
) -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    scenario.change_calendar(official, "2027年节假日安排已公布")
    assert scenario.state is not None
    moved = {(e.step, e.detail["old"], e.detail["new"], e.deadline_provisional)
             for e in recomputed(scenario)}  # fmt: skip
    assert {
        (None, end_of(date(2027, 1, 6)).isoformat(), end_of(date(2027, 1, 7)).isoformat(), False),
        (
            "check",
            end_of(date(2027, 1, 4)).isoformat(),
            end_of(date(2027, 1, 5)).isoformat(),
            False,
        ),
    } == moved
    assert (end_of(date(2027, 1, 7)), False, official.version) == (
        scenario.state.deadline_at,
        scenario.state.deadline_provisional,
        scenario.state.calendar_version,
    )
    assert end_of(date(2027, 1, 5)) == scenario.state.steps["check"].deadline_at
    assert "2027年节假日安排已公布" == recomputed(scenario)[0].reason


def test_the_moved_timer_fires_at_its_new_time_and_a_firing_of_the_old_time_is_ignored(
    official: WorkingCalendar,
) -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    scenario.change_calendar(official)
    scenario.deliver(
        TimerFired(
            case_id="case-1",
            timer_id="check:deadline",
            kind=TimerKind.STEP_DEADLINE,
            step="check",
            due_at=end_of(date(2027, 1, 4)),
        )
    )
    assert scenario.state is not None and not scenario.state.steps["check"].overdue
    scenario.advance(timedelta(days=6))  # past the end of 5 January
    assert scenario.state.steps["check"].overdue


def test_the_same_recount_delivered_twice_records_each_move_once(
    official: WorkingCalendar,
) -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    scenario.change_calendar(official)
    scenario.redeliver_last()
    assert (True, 2) == (
        scenario.last is not None and scenario.last.duplicate,
        len(recomputed(scenario)),
    )


def test_a_recount_on_an_unchanged_calendar_records_nothing() -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start()
    scenario.change_calendar(scenario.calendar)
    assert [] == recomputed(scenario)


def test_a_wait_that_could_not_be_counted_is_counted_once_the_calendar_reaches_it(
    official: WorkingCalendar,
) -> None:
    # A calendar that starts in 2028 knows nothing of 2027: nothing can be counted.
    blind = WorkingCalendar({2028: load_calendar().year(2028)})
    scenario = Scenario(notice_saga(), clock=on_31_december(), calendar=blind).start()
    assert scenario.state is not None and scenario.state.deadline_at is None
    scenario.succeed("check")
    assert (CaseStatus.NEEDS_ATTENTION, StepStatus.DISPATCHED) == (
        scenario.status,
        scenario.step_status("notice"),
    )
    scenario.change_calendar(official)
    assert scenario.state is not None
    assert (CaseStatus.IN_PROGRESS, end_of(date(2027, 1, 7))) == (
        scenario.status,
        scenario.state.timers["notice:wait"].due_at,
    )
    assert {(None, None), ("notice", None)} == {
        (e.step, e.detail["old"]) for e in recomputed(scenario)
    }
    scenario.advance(timedelta(days=8))
    assert scenario.status is CaseStatus.COMPLETED


def test_an_ended_case_is_left_as_it_ended(official: WorkingCalendar) -> None:
    scenario = Scenario(notice_saga(), clock=on_31_december()).start().succeed("check")
    scenario.advance(timedelta(days=8))
    assert scenario.status is CaseStatus.COMPLETED
    scenario.change_calendar(official)
    assert [] == recomputed(scenario)
