"""Recurring steps: a step that runs once per period on a durable timer (``Step.recurs``).

A monthly allowance, a yearly review. When the step may start, its first period is the one the
moment falls in (or the next, ``from_next``); periods are whole months or years in China
(Asia/Shanghai), every ``every`` of them from the first, keyed ``2025-03`` or ``2025``. A period
whose beginning has come sends one command, ``case_id:step:2025-03:attempt``, so the key a
department dedupes on names the period; it is retried, refused or escalated like any command.
When it succeeds the step is ``scheduled``: a ``period`` timer waits for the next period's
beginning (``period_scheduled`` in the timeline). The timer id names the period and the step
remembers which period it waits for, so a timer firing twice for one period sends one command.

The next period always follows the last one run, never the clock: a worker that was down over a
boundary, or a period whose command took weeks, finds the next timer already due and runs that
period at once, so a restart (state reloaded, timers rebuilt) neither skips nor repeats one.

The recurrence ends when ``until`` holds for the period about to begin (checked when it is due,
after every success, and whenever the case moves on while the step waits) or one of its
``ended_by`` steps has succeeded: the step then succeeds (``recurrence_ended``) and what depends
on it runs. A period refused or given up on is handled by the step's own policies; failing its
branch ends the recurrence there.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from contracts.lifecycle import CaseEventType, StepStatus
from contracts.saga import TimerKind
from saga import forward
from saga.calendar import CHINA, china_date
from saga.definition import Every, Recurrence, Step
from saga.run import Run
from saga.state import Timer

__all__ = [
    "after_success",
    "begins_at",
    "end_finished",
    "following",
    "on_due",
    "period_at",
    "start",
]


def period_at(moment: datetime, rec: Recurrence) -> str:
    """The key of the period (of one month or year) that ``moment`` falls in, in China."""
    day = china_date(moment)
    return f"{day.year:04d}" if rec.unit is Every.YEAR else f"{day.year:04d}-{day.month:02d}"


def following(key: str, rec: Recurrence) -> str:
    """The period ``rec.every`` months or years after ``key``."""
    if rec.unit is Every.YEAR:
        return f"{int(key) + rec.every:04d}"
    year, month = (int(part) for part in key.split("-"))
    months = year * 12 + month - 1 + rec.every
    return f"{months // 12:04d}-{months % 12 + 1:02d}"


def begins_at(key: str) -> datetime:
    """Midnight in China on the period's first day, as an aware UTC datetime."""
    year, _, month = key.partition("-")
    return datetime(int(year), int(month or 1), 1, tzinfo=CHINA).astimezone(UTC)


def start(run: Run, step: Step) -> None:
    """The step may start: run its first period now, or wait for it to begin."""
    rec = step.recurs
    assert rec is not None
    first = period_at(run.now, rec)
    _next(run, step, following(first, rec) if rec.from_next else first)


def after_success(run: Run, step: Step) -> None:
    """A period succeeded: end the recurrence or wait for the next period."""
    rec = step.recurs
    assert rec is not None
    st = run.step_state(step.name)
    st.periods += 1
    assert st.period is not None
    _next(run, step, following(st.period, rec))


def on_due(run: Run, step: Step, timer: Timer) -> None:
    """A period timer fired: run the period the step waits for (a repeat finds none)."""
    st = run.step_state(step.name)
    if st.status is not StepStatus.SCHEDULED or timer.timer_id != _timer_id(step, st.next_period):
        return
    assert st.next_period is not None
    _next(run, step, st.next_period)


def end_finished(run: Run) -> None:
    """End every waiting recurrence whose end has come (a step that ends it succeeded, or its
    predicate now holds)."""
    for step in run.saga.steps:
        if step.recurs is None:
            continue
        st = run.step_state(step.name)
        if st.status is StepStatus.SCHEDULED and _ended(run, step, st.next_period):
            _end(run, step)


def _next(run: Run, step: Step, key: str) -> None:
    """Run period ``key`` if it has begun, else schedule it; end instead if the end has come."""
    st = run.step_state(step.name)
    if _ended(run, step, key):
        _end(run, step)
        return
    run.clear_step_timers(step.name)
    st.settled_at, st.reply = None, None
    if begins_at(key) <= run.now:
        st.period, st.next_period = key, None
        forward.dispatch(run, step, 1)
        return
    st.status, st.next_period = StepStatus.SCHEDULED, key
    begins = begins_at(key)
    run.set_timer(_timer_id(step, key), TimerKind.PERIOD, begins, step.name)
    run.emit(
        CaseEventType.PERIOD_SCHEDULED,
        step.name,
        detail={"next_period": key, "begins_at": begins.isoformat()},
    )


def _ended(run: Run, step: Step, key: str | None) -> bool:
    rec = step.recurs
    assert rec is not None
    if any(run.step_state(name).status is StepStatus.SUCCEEDED for name in rec.ended_by):
        return True
    if rec.until is None:
        return False
    ctx = run.context()
    return rec.until(ctx if key is None else replace(ctx, period=key))


def _end(run: Run, step: Step) -> None:
    st = run.step_state(step.name)
    run.clear_step_timers(step.name, keep_deadline=False)
    st.status, st.settled_at, st.next_period = StepStatus.SUCCEEDED, run.now, None
    run.emit(
        CaseEventType.RECURRENCE_ENDED,
        step.name,
        detail={"periods": st.periods},
    )


def _timer_id(step: Step, key: str | None) -> str:
    return f"{step.name}:period:{key}"
