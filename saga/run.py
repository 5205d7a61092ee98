"""One engine call in progress: the state being changed, the time, and what it will send.

Every transition module works on a ``Run``: it reads and changes ``run.state``, appends commands,
and emits lifecycle events through ``run.emit`` so that each event gets the next sequence number
and a deterministic id. Nothing here reads a clock or does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contracts.lifecycle import CaseEvent, CaseEventType, StepStatus
from contracts.saga import DepartmentCommand, StartCase, TimerKind
from saga.calendar import (
    CalendarNotCovered,
    Due,
    WorkingCalendar,
    china_date,
    current,
    due_at_extended,
)
from saga.definition import Context, Deadline, Saga
from saga.state import CaseState, Period, StepState, Timer

__all__ = ["Run"]


@dataclass
class Run:
    saga: Saga
    state: CaseState
    now: datetime
    commands: list[DepartmentCommand] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    starts: list[StartCase] = field(default_factory=list)
    calendar: WorkingCalendar = field(default_factory=current)

    def step_state(self, name: str) -> StepState:
        return self.state.steps[name]

    def command_id(self, step: str, attempt: int, *, undo: bool = False) -> str:
        """A command's id, the department's idempotency key: ``case_id:step:attempt``, with the
        round (``r2``) for a step a loop back runs again and the period (``2025-03``) for a
        recurring step, so a new command is not taken for a repeat of an earlier one; ``undo``
        before the attempt for a compensation."""
        st = self.state.steps[step]
        parts = [self.state.case_id, step]
        if st.round > 1:
            parts.append(f"r{st.round}")
        if st.period is not None:
            parts.append(st.period)
        if undo:
            parts.append("undo")
        return ":".join([*parts, str(attempt)])

    def answers_current(self, step: str, command_id: str, attempt: int, *, undo: bool) -> bool:
        """Whether a reply is to a command of the step's current round and period (a late answer
        to an earlier round's or period's command is stale)."""
        st = self.state.steps[step]
        if st.round == 1 and st.period is None:
            return True  # no other round or period has run: the attempt says which command
        return command_id == self.command_id(step, attempt, undo=undo)

    def context(self) -> Context:
        s = self.state
        return Context(
            case_id=s.case_id,
            division_code=s.division_code,
            data=s.data,
            results=s.results,
            received_at=s.received_at,
            skipped=frozenset(n for n, st in s.steps.items() if st.status is StepStatus.SKIPPED),
        )

    def emit(self, type: CaseEventType, step: str | None = None, **fields: Any) -> CaseEvent:
        """Record a lifecycle event; the id ``case_id:seq`` is the same when a message replays."""
        s = self.state
        s.event_seq += 1
        step_status = s.steps[step].status if step and step in s.steps else None
        st = s.steps.get(step) if step else None
        if st is not None and st.round > 1:
            # every event of a step run again by a loop back names its round
            fields["detail"] = {**fields.get("detail", {}), "round": st.round}
        if type is CaseEventType.STEP_WAITING and step and self.saga.has_step(step):
            row = self.saga.step(step)
            if row.clerk:
                # what the clerks' task list shows: that it is theirs, and what it is
                fields["detail"] = {**fields.get("detail", {}), "clerk_task": True,
                                    "title": row.title}  # fmt: skip
            if row.takes_objections:
                # what the window's objection route looks for: a notice running that takes them
                fields["detail"] = {**fields.get("detail", {}), "objections": True}
        if st is not None and st.period is not None:
            # and every event of a recurring step, the period it concerns
            fields["detail"] = {"period": st.period, **fields.get("detail", {})}
        event = CaseEvent(
            event_id=f"{s.case_id}:{s.event_seq}",
            case_id=s.case_id,
            seq=s.event_seq,
            saga=s.saga,
            saga_version=s.saga_version,
            division_code=s.division_code,
            type=type,
            at=self.now,
            status=s.status,
            step=step,
            step_status=step_status,
            **fields,
        )
        self.events.append(event)
        return event

    def deadline(self, start: datetime, period: Deadline, step: str | None = None) -> Due | None:
        """When ``period`` from ``start`` ends, or None (reported) if no calendar reaches it."""
        period = self.in_force(period, start)
        return self.count(Period(start=start, value=period.value, unit=period.unit.value), step)

    def in_force(self, period: Deadline, start: datetime) -> Deadline:
        """``period`` as the case's division counts it from ``start`` (a local override)."""
        return period.in_force(self.state.division_code, china_date(start))

    def count(self, period: Period, step: str | None = None) -> Due | None:
        try:
            return due_at_extended(
                period.start, period.value, period.unit, period.suspended, self.calendar
            )
        except CalendarNotCovered as exc:
            self.emit(CaseEventType.DEADLINE_UNKNOWN, step, reason=str(exc))
            return None

    def set_period_timer(
        self,
        timer_id: str,
        kind: TimerKind,
        start: datetime,
        period: Deadline,
        step: str | None = None,
    ) -> Due | None:
        """Count ``period`` from ``start`` and set a timer for its end that remembers how it was
        counted (so a new calendar can move it); None, reported, if no calendar reaches it."""
        period = self.in_force(period, start)
        counted = Period(start=start, value=period.value, unit=period.unit.value)
        due = self.count(counted, step)
        self.state.suspended_timers.pop(timer_id, None)
        if due is not None:
            self.state.timers[timer_id] = Timer(
                timer_id=timer_id,
                kind=kind,
                due_at=due.at,
                step=step,
                period=counted,
                provisional=due.provisional,
                suspends=period.suspends,
            )
        return due

    def set_timer(
        self,
        timer_id: str,
        kind: TimerKind,
        due_at: datetime,
        step: str | None = None,
        attempt: int | None = None,
        undo: bool = False,
    ) -> None:
        self.state.timers[timer_id] = Timer(
            timer_id=timer_id,
            kind=kind,
            due_at=due_at,
            step=step,
            attempt=attempt,
            undo=undo,
        )

    def clear_step_timers(self, step: str, *, keep_deadline: bool = True) -> None:
        """Drop a step's retry and timeout timers (and, unless kept, its statutory deadline),
        stopped ones included."""
        for timers in (self.state.timers, self.state.suspended_timers):
            for timer_id, timer in list(timers.items()):
                if timer.step != step:
                    continue
                if keep_deadline and timer.kind is TimerKind.STEP_DEADLINE:
                    continue
                del timers[timer_id]
