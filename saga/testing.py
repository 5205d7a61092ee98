"""Scenario harness and fake clock, shipped with the runtime so one-things test as stories.

    scenario = Scenario(my_saga, data={...}).start()
    scenario.expect_sent("verify_identity", "check_status")
    scenario.succeed("verify_identity").refuse("check_status", "already_married")
    assert scenario.status is CaseStatus.REJECTED

Time only moves when a test moves it (``advance``); due timers then fire in order. No broker,
no sleeping.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from contracts.lifecycle import CaseEvent, CaseEventType, CaseStatus, StepStatus
from contracts.message import Message
from contracts.saga import (
    DepartmentCommand,
    DepartmentReply,
    OperatorAction,
    OperatorCommand,
    RecomputeDeadlines,
    ReplyOutcome,
    Signal,
    StartCase,
    TimerFired,
)
from saga.calendar import WorkingCalendar, current
from saga.definition import Saga
from saga.engine import Transition, handle
from saga.state import CaseState

__all__ = ["FakeClock", "Scenario"]


class FakeClock:
    """A clock that stands still until told to move."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> datetime:
        self._now += delta
        return self._now

    def set(self, moment: datetime) -> None:
        self._now = moment


class Scenario:
    """One case driven through the pure engine, with everything it sent and emitted kept."""

    def __init__(
        self,
        saga: Saga,
        *,
        data: dict[str, Any] | None = None,
        case_id: str = "case-1",
        division_code: str = "321300",
        clock: FakeClock | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.saga = saga
        self.calendar = calendar or current()
        self.case_id = case_id
        self.division_code = division_code
        self.data = data or {}
        self.clock = clock or FakeClock()
        self.state: CaseState | None = None
        self.sent: list[DepartmentCommand] = []
        self.events: list[CaseEvent] = []
        self._unchecked: list[DepartmentCommand] = []
        self._ids = itertools.count(1)
        self.last: Transition | None = None
        self._last_message: tuple[Message, str] | None = None

    # -- driving ---------------------------------------------------------------------------
    def deliver(self, message: Message, message_id: str | None = None) -> Transition:
        message_id = message_id or f"m{next(self._ids)}"
        transition = handle(
            self.saga, self.state, message, message_id, self.clock.now(), self.calendar
        )
        self.state = transition.state
        self.sent += transition.commands
        self._unchecked += transition.commands
        self.events += transition.events
        self.last = transition
        self._last_message = (message, message_id)
        return transition

    def redeliver_last(self) -> Transition:
        """Deliver the previous message again with the same id, as Kafka may after a crash."""
        assert self._last_message is not None
        return self.deliver(*self._last_message)

    def change_calendar(
        self, calendar: WorkingCalendar, reason: str = "calendar updated"
    ) -> Scenario:
        """Put ``calendar`` in force for this case and deliver the recount the workers send."""
        self.calendar = calendar
        self.deliver(
            RecomputeDeadlines(
                case_id=self.case_id, calendar_version=calendar.version, reason=reason
            ),
            f"{self.case_id}:calendar:{calendar.version}",
        )
        return self

    def start(self) -> Scenario:
        self.deliver(
            StartCase(
                case_id=self.case_id,
                saga=self.saga.name,
                division_code=self.division_code,
                data=self.data,
                received_at=self.clock.now(),
            )
        )
        return self

    def reply(
        self,
        step: str,
        outcome: ReplyOutcome,
        *,
        reply: str | None = None,
        reason_code: str | None = None,
        reason: str | None = None,
        retryable: bool = True,
        data: dict[str, Any] | None = None,
        command: DepartmentCommand | None = None,
    ) -> Scenario:
        command = command or self.latest(step)
        self.deliver(
            DepartmentReply(
                command_id=command.command_id,
                case_id=self.case_id,
                step=step,
                department=command.department,
                reply=reply or self._reply_name(step, outcome, command.compensation),
                outcome=outcome,
                attempt=command.attempt,
                compensation=command.compensation,
                reason_code=reason_code,
                reason=reason,
                retryable=retryable,
                data=data or {},
            )
        )
        return self

    def succeed(self, *steps: str, data: dict[str, Any] | None = None) -> Scenario:
        for step in steps:
            self.reply(step, ReplyOutcome.SUCCEEDED, data=data)
        return self

    def refuse(self, step: str, reason_code: str, reason: str | None = None) -> Scenario:
        return self.reply(step, ReplyOutcome.REFUSED, reason_code=reason_code, reason=reason)

    def fail(
        self, step: str, reason: str = "department unavailable", retryable: bool = True
    ) -> Scenario:
        return self.reply(step, ReplyOutcome.FAILED, reason=reason, retryable=retryable)

    def signal(
        self,
        step: str,
        approved: bool = True,
        actor: str = "clerk-01",
        reason: str | None = None,
        data: dict[str, Any] | None = None,
        reason_code: str | None = None,
    ) -> Scenario:
        self.deliver(
            Signal(
                case_id=self.case_id,
                step=step,
                approved=approved,
                actor=actor,
                reason=reason,
                reason_code=reason_code,
                data=data or {},
            )
        )
        return self

    def operator(
        self,
        action: OperatorAction,
        step: str | None = None,
        actor: str = "ops-01",
        reason: str = "checked with the department",
    ) -> Scenario:
        self.deliver(
            OperatorCommand(
                case_id=self.case_id,
                action=action,
                step=step,
                actor=actor,
                reason=reason,
            )
        )
        return self

    def advance(self, delta: timedelta) -> Scenario:
        """Move time forward, firing every timer that comes due on the way, in due order."""
        until = self.clock.now() + delta
        while self.state is not None:
            due = sorted(self.state.timers.values(), key=lambda t: (t.due_at, t.timer_id))
            if not due or due[0].due_at > until:
                break
            timer = due[0]
            self.clock.set(max(timer.due_at, self.clock.now()))
            self.deliver(
                TimerFired(
                    case_id=self.case_id,
                    timer_id=timer.timer_id,
                    kind=timer.kind,
                    step=timer.step,
                    due_at=timer.due_at,
                )
            )
        self.clock.set(until)
        return self

    # -- looking ---------------------------------------------------------------------------
    def expect_sent(self, *steps: str) -> list[DepartmentCommand]:
        """Assert which steps got commands since the last check, in any order; return them."""
        got, self._unchecked = self._unchecked, []
        names = sorted(c.step for c in got)
        assert names == sorted(steps), f"expected commands for {sorted(steps)}, got {names}"
        return got

    def latest(self, step: str) -> DepartmentCommand:
        for command in reversed(self.sent):
            if command.step == step:
                return command
        raise AssertionError(f"no command was sent for step {step}")

    @property
    def status(self) -> CaseStatus:
        assert self.state is not None, "the case was not started"
        return self.state.status

    def step_status(self, step: str) -> StepStatus:
        assert self.state is not None
        return self.state.steps[step].status

    def event_types(self, step: str | None = None) -> list[CaseEventType]:
        return [e.type for e in self.events if step is None or e.step == step]

    def _reply_name(self, step: str, outcome: ReplyOutcome, undo: bool) -> str:
        definition = self.saga.step(step)
        if not undo and outcome is ReplyOutcome.SUCCEEDED and definition.succeeded:
            return definition.succeeded[0]
        if not undo and outcome is ReplyOutcome.REFUSED and definition.refused:
            return definition.refused[0]
        return f"{step}-{'undo-' if undo else ''}{outcome.value}"
