"""The statutory clock stops while a 补正 is awaited, and goes on when the material arrives.

Time the applicant takes to bring missing material is not the office's time: a deadline marked
``Deadline(..., suspends=True)`` (the case's, a step's, a wait) stands still from the moment a
step starts waiting for a supplement (``waiting_supplement``) until no step waits any more (the
material arrived, the wait ran out, a person skipped the step). Meanwhile its timer is kept
apart (``CaseState.suspended_timers``), so it cannot fire; afterwards its end moves by the time it
stood still, counted as the deadline is: in working days for a working-day deadline (those after
the day it stopped, up to and including the day it went on), calendar days for calendar-day and
month deadlines, elapsed time for hours and minutes (``saga.calendar.stood_still``). The
extension is kept with the period (``Period.suspended``), so a later calendar change counts the
deadline again with it, and a second 补正 adds to it.

The timeline shows ``clock_suspended`` (what stopped) and ``clock_resumed``: one for the case,
with its new deadline (which the read model takes as the case's deadline), and one for each
step whose deadline moved, with the old and new dates. A saga none of whose deadlines is marked
never suspends, and its timeline has neither event.
"""

from __future__ import annotations

from typing import Any

from contracts.lifecycle import CaseEventType, StepStatus
from contracts.saga import TimerKind
from saga.calendar import stood_still
from saga.run import Run

__all__ = ["resume", "sync"]


def sync(run: Run) -> None:
    """Stop or restart the marked clocks to match whether a supplement is awaited now."""
    state = run.state
    if state.terminal or not run.saga.suspends_clock:
        return
    waiting = any(st.status is StepStatus.WAITING_SUPPLEMENT for st in state.steps.values())
    if waiting and state.suspended_at is None:
        state.suspended_at = run.now
        stopped = _stop(run)
        run.emit(CaseEventType.CLOCK_SUSPENDED, detail={"stopped": stopped})
    elif waiting:
        _stop(run)  # a marked deadline counted since (a step that started meanwhile) stops too
    elif state.suspended_at is not None:
        resume(run)


def resume(run: Run) -> None:
    """Restart every stopped clock, its end moved by the time it stood still."""
    state = run.state
    since = state.suspended_at
    if since is None:
        return
    state.suspended_at = None
    moved: list[dict[str, Any]] = []
    for timer_id, timer in sorted(state.suspended_timers.items()):
        assert timer.period is not None
        begun = max(since, timer.period.start)
        still = stood_still(begun, run.now, timer.period.unit, run.calendar)
        old = timer.due_at
        timer.period.suspended += still
        due = run.count(timer.period, timer.step)
        if due is not None:
            timer.due_at, timer.provisional = due.at, due.provisional
        state.timers[timer_id] = timer
        moved.append(
            {
                "timer": timer.kind.value,
                "step": timer.step,
                "old": old.isoformat(),
                "new": timer.due_at.isoformat(),
                "stood_still": still,
                "unit": timer.period.unit,
            }
        )
        _show(run, timer.kind, timer.step, timer.due_at, timer.provisional)
    case = state.deadline_at
    run.emit(
        CaseEventType.CLOCK_RESUMED,
        deadline_at=case
        if any(m["timer"] == TimerKind.CASE_DEADLINE.value for m in moved)
        else None,
        deadline_provisional=state.deadline_provisional if case else None,
        detail={"suspended_at": since.isoformat(), "moved": moved},
    )
    state.suspended_timers.clear()
    for entry in moved:
        if entry["timer"] == TimerKind.STEP_DEADLINE.value and entry["step"] is not None:
            st = run.step_state(entry["step"])
            run.emit(
                CaseEventType.CLOCK_RESUMED,
                entry["step"],
                deadline_at=st.deadline_at,
                deadline_provisional=st.deadline_provisional,
                detail={
                    "old": entry["old"],
                    "new": entry["new"],
                    "stood_still": entry["stood_still"],
                },
            )


def _stop(run: Run) -> list[str]:
    state = run.state
    stopped = sorted(t for t, timer in state.timers.items() if timer.suspends and timer.period)
    for timer_id in stopped:
        state.suspended_timers[timer_id] = state.timers.pop(timer_id)
    return stopped


def _show(run: Run, kind: TimerKind, step: str | None, at: Any, provisional: bool) -> None:
    """Carry a moved end into the case's or the step's deadline."""
    if kind is TimerKind.CASE_DEADLINE:
        run.state.deadline_at, run.state.deadline_provisional = at, provisional
    elif kind is TimerKind.STEP_DEADLINE and step is not None:
        st = run.step_state(step)
        st.deadline_at, st.deadline_provisional = at, provisional
