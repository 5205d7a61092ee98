"""Counting a case's deadlines again when the working-day calendar changes.

Every timer that was counted on the calendar (a statutory deadline, a wait, a 补正 period) keeps
the period it was counted from, so a new calendar — a State Council schedule replacing a
provisional year, a corrected file — moves it: each deadline that changes is recorded in the
case's timeline with the old and the new date. A deadline that an older calendar could not count
at all (no data for its year) is counted now and recorded the same way, and a timer step that
had to stop for that reason starts waiting again. A deadline that has already passed and been
reported stays reported; the work it concerned went on regardless.
"""

from __future__ import annotations

from datetime import datetime

from contracts.lifecycle import CaseEventType, StepStatus
from contracts.saga import RecomputeDeadlines, TimerKind
from saga import forward
from saga.calendar import Due
from saga.definition import Deadline, Step, StepKind
from saga.run import Run
from saga.state import Timer

__all__ = ["CASE_TIMER", "recompute"]

CASE_TIMER = "case:deadline"
_ACTIVE = frozenset(
    {
        StepStatus.DISPATCHED,
        StepStatus.WAITING_RETRY,
        StepStatus.WAITING_SIGNAL,
        StepStatus.WAITING_SUPPLEMENT,
    }
)


def recompute(run: Run, message: RecomputeDeadlines) -> None:
    """Move every open deadline to where ``run.calendar`` puts it; record each move."""
    if run.state.terminal:
        return
    for timer in list(run.state.timers.values()):
        if timer.period is not None:
            _move(run, timer, message.reason)
    _count_missing(run, message.reason)
    run.state.calendar_version = message.calendar_version


def _move(run: Run, timer: Timer, reason: str) -> None:
    assert timer.period is not None
    due = run.count(timer.period, timer.step)
    if due is None or (due.at, due.provisional) == (timer.due_at, timer.provisional):
        return
    old, old_provisional = timer.due_at, timer.provisional
    timer.due_at, timer.provisional = due.at, due.provisional
    if timer.kind is TimerKind.CASE_DEADLINE:
        run.state.deadline_at, run.state.deadline_provisional = due.at, due.provisional
    elif timer.kind is TimerKind.STEP_DEADLINE and timer.step is not None:
        st = run.step_state(timer.step)
        st.deadline_at, st.deadline_provisional = due.at, due.provisional
    _record(run, timer.kind, timer.step, old, old_provisional, due, reason)


def _count_missing(run: Run, reason: str) -> None:
    """Deadlines no calendar could count when their period began: count them now."""
    state, saga = run.state, run.saga
    if saga.case_deadline is not None and state.deadline_at is None and not state.overdue:
        due = run.set_period_timer(
            CASE_TIMER, TimerKind.CASE_DEADLINE, state.received_at, saga.case_deadline
        )
        if due is not None:
            state.deadline_at, state.deadline_provisional = due.at, due.provisional
            _record(run, TimerKind.CASE_DEADLINE, None, None, None, due, reason)
    for step in saga.steps:
        st = state.steps[step.name]
        if st.status not in _ACTIVE or st.started_at is None:
            continue
        if step.deadline is not None and st.deadline_at is None and not st.overdue:
            _count_step_deadline(run, step, step.deadline, st.started_at, reason)
        waits = f"{step.name}:wait"
        if step.kind is StepKind.TIMER and waits not in state.timers | state.suspended_timers:
            _wait_again(run, step, st.started_at, reason)


def _count_step_deadline(
    run: Run, step: Step, deadline: Deadline, started_at: datetime, reason: str
) -> None:
    forward.arm_deadline(run, step, forward.deadline_start(run, deadline, started_at))
    st = run.step_state(step.name)
    if st.deadline_at is not None:
        due = Due(st.deadline_at, st.deadline_provisional)
        _record(run, TimerKind.STEP_DEADLINE, step.name, None, None, due, reason)


def _wait_again(run: Run, step: Step, started_at: datetime, reason: str) -> None:
    """A timer step stopped because its wait could not be counted: it waits again."""
    assert step.wait is not None
    due = run.set_period_timer(
        f"{step.name}:wait", TimerKind.WAIT, started_at, step.wait, step.name
    )
    if due is None:
        return
    st = run.step_state(step.name)
    st.status, st.attention = StepStatus.DISPATCHED, None
    _record(run, TimerKind.WAIT, step.name, None, None, due, reason)


def _record(
    run: Run,
    kind: TimerKind,
    step: str | None,
    old: datetime | None,
    old_provisional: bool | None,
    due: Due,
    reason: str,
) -> None:
    run.emit(
        CaseEventType.DEADLINE_RECOMPUTED,
        step,
        deadline_at=due.at,
        deadline_provisional=due.provisional,
        reason=reason,
        detail={
            "timer": kind.value,
            "old": old.isoformat() if old else None,
            "new": due.at.isoformat(),
            "old_provisional": old_provisional,
            "provisional": due.provisional,
            "calendar_version": run.calendar.version,
        },
    )
