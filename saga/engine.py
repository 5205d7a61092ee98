"""The pure saga engine: ``handle(saga, state, message, message_id, now)`` → a ``Transition``.

No I/O and no clock: the caller passes the time and publishes what comes back. The same inputs
always give the same outputs (command ids ``case_id:step:attempt``, event ids ``case_id:seq``,
jitter seeded by the case), which is what makes at-least-once delivery safe: a redelivered
message is recognised by its id and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from contracts.lifecycle import CaseEvent, CaseEventType, CaseStatus, StepStatus
from contracts.message import Message
from contracts.saga import (
    DepartmentCommand,
    DepartmentReply,
    OperatorCommand,
    RecomputeDeadlines,
    ReverseCase,
    ReversedStepSettled,
    Signal,
    StartCase,
    SupplementCase,
    TimerFired,
    TimerKind,
)
from saga import (
    corrections,
    deadlines,
    forward,
    operator,
    recurring,
    rollback,
    supplements,
    suspension,
    terminal,
)
from saga.calendar import WorkingCalendar, current
from saga.definition import DONE_STEPS, IN_FLIGHT_STEPS, ORIGINAL_CASE_ID, Saga
from saga.run import Run
from saga.state import CaseState, StepState

__all__ = ["EngineError", "Transition", "handle", "new_case"]

REPLY_MEMORY = 2000


class EngineError(ValueError):
    """A message the engine cannot apply to this case (wrong case, unknown saga or step)."""


@dataclass
class Transition:
    """The engine's answer: the new state and what to publish. ``duplicate``: nothing changed."""

    state: CaseState | None
    commands: list[DepartmentCommand] = field(default_factory=list)
    events: list[CaseEvent] = field(default_factory=list)
    starts: list[StartCase] = field(default_factory=list)  # other cases this one opens
    # Messages for other open cases: a reversed case telling its reversal case what settled.
    forwards: list[ReversedStepSettled] = field(default_factory=list)
    duplicate: bool = False


def handle(
    saga: Saga,
    state: CaseState | None,
    message: Message,
    message_id: str,
    now: datetime,
    calendar: WorkingCalendar | None = None,
) -> Transition:
    """Apply one message to one case; deadlines are counted on ``calendar`` (the one in force
    unless given)."""
    if state is not None and state.handled(message_id):
        return Transition(state=state, duplicate=True)
    cal = calendar or current()
    forwards: list[ReversedStepSettled] = []
    if isinstance(message, StartCase):
        if state is not None:
            return _already_started(saga, state, message, message_id, now, cal)
        run = Run(saga=saga, state=new_case(saga, message, now), now=now, calendar=cal)
        run.state.calendar_version = cal.version
        _start(run)
    else:
        if state is None:
            raise EngineError(f"case {_case_of(message)}: no such case")
        run = Run(saga=saga, state=state.model_copy(deep=True), now=now, calendar=cal)
        if isinstance(message, DepartmentReply) and corrections.awaited(run.state, message):
            forwards = corrections.on_late_reply(run, message)
        else:
            _route(run, message)
    suspension.sync(run)
    terminal.refresh_status(run)
    run.state.updated_at = now
    run.state.remember(message_id)
    return Transition(
        state=run.state,
        commands=run.commands,
        events=run.events,
        starts=run.starts,
        forwards=forwards,
    )


def new_case(saga: Saga, start: StartCase, now: datetime) -> CaseState:
    if start.saga != saga.name:
        raise EngineError(f"case {start.case_id}: saga {start.saga!r} is not {saga.name!r}")
    return CaseState(
        case_id=start.case_id,
        saga=saga.name,
        saga_version=saga.version,
        division_code=start.division_code,
        received_at=start.received_at,
        updated_at=now,
        data=dict(start.data),
        steps={name: StepState(name=name) for name in saga.order},
    )


def _start(run: Run) -> None:
    state, case_deadline = run.state, run.saga.case_deadline
    if case_deadline is not None:
        due = run.set_period_timer(
            deadlines.CASE_TIMER, TimerKind.CASE_DEADLINE, state.received_at, case_deadline
        )
        if due is not None:
            state.deadline_at, state.deadline_provisional = due.at, due.provisional
    run.emit(
        CaseEventType.CASE_RECEIVED,
        deadline_at=state.deadline_at,
        deadline_provisional=state.deadline_provisional if state.deadline_at else None,
    )
    state.status = CaseStatus.IN_PROGRESS
    forward.advance(run)


def _already_started(
    saga: Saga,
    state: CaseState,
    start: StartCase,
    message_id: str,
    now: datetime,
    calendar: WorkingCalendar,
) -> Transition:
    """A start for a case that exists: joins it by the saga's merge rule while the case waits
    for it, else is recorded as a duplicate."""
    run = Run(saga=saga, state=state.model_copy(deep=True), now=now, calendar=calendar)
    rule = saga.merge
    waiting = rule is not None and (
        not state.terminal
        and rule.waiting_step in state.steps
        and state.steps[rule.waiting_step].status is StepStatus.WAITING_SIGNAL
    )
    if rule is None or not waiting:
        run.emit(CaseEventType.DUPLICATE_IGNORED, detail={"message": "StartCase"})
        run.state.remember(message_id)
        return Transition(state=run.state, events=run.events)
    actor = start.actor or "unknown"
    data = {k: v for k, v in start.data.items() if k not in rule.keep}
    _route(
        run,
        SupplementCase(
            case_id=state.case_id, actor=actor, data=data, note=rule.note, application=True
        ),
    )
    for step in rule.ends:
        _route(
            run,
            Signal(case_id=state.case_id, step=step, approved=True, actor=actor, reason=rule.note),
        )
    terminal.refresh_status(run)
    run.state.updated_at = now
    run.state.remember(message_id)
    return Transition(state=run.state, commands=run.commands, events=run.events, starts=run.starts)


def _on_reply(run: Run, reply: DepartmentReply) -> None:
    if run.state.terminal or not run.saga.has_step(reply.step):
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            reply.step if run.saga.has_step(reply.step) else None,
            detail={"reply": reply.reply, "command_id": reply.command_id},
        )
        return
    # A department that answers one command twice (two message ids) is recorded, not re-applied.
    identity = f"{reply.command_id}:{reply.outcome.value}"
    if identity in run.state.seen_replies:
        run.emit(
            CaseEventType.DUPLICATE_IGNORED,
            reply.step,
            attempt=reply.attempt,
            detail={"reply": reply.reply, "command_id": reply.command_id},
        )
        return
    run.state.seen_replies.append(identity)
    del run.state.seen_replies[:-REPLY_MEMORY]
    if reply.compensation:
        rollback.on_undo_reply(run, reply)
    else:
        forward.on_reply(run, reply)
    forward.advance(run)


def _on_timer(run: Run, fired: TimerFired) -> None:
    timer = run.state.timers.get(fired.timer_id)
    if timer is None or run.state.terminal or timer.due_at != fired.due_at:
        return  # already cancelled, handled, or moved (a new calendar): a stale firing
    del run.state.timers[fired.timer_id]
    if timer.kind is TimerKind.CASE_DEADLINE:
        run.state.overdue = True
        run.emit(
            CaseEventType.OVERDUE,
            deadline_at=run.state.deadline_at,
            deadline_provisional=run.state.deadline_provisional,
        )
        return
    assert timer.step is not None
    step = run.saga.step(timer.step)
    if timer.kind is TimerKind.STEP_DEADLINE:
        forward.on_deadline(run, step)
    elif timer.kind is TimerKind.SUPPLEMENT:
        forward.on_supplement_overdue(run, step)
    elif timer.kind is TimerKind.WAIT and step.corrects is not None:
        corrections.on_wait_over(run, step)
    elif timer.kind is TimerKind.WAIT:
        forward.on_wait_over(run, step)
    elif timer.kind is TimerKind.PERIOD:
        recurring.on_due(run, step, timer)
    elif timer.undo and timer.kind is TimerKind.RETRY:
        rollback.on_undo_retry_due(run, step)
    elif timer.undo:
        rollback.on_undo_timeout(run, step, timer.attempt or 0)
    elif timer.kind is TimerKind.RETRY:
        forward.on_retry_due(run, step)
    else:
        forward.on_reply_timeout(run, step, timer.attempt or 0)
    forward.advance(run)


def _on_signal(run: Run, signal: Signal) -> None:
    if run.state.terminal or not run.saga.has_step(signal.step):
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            actor=signal.actor,
            detail={"signal": signal.step},
        )
        return
    forward.on_signal(run, signal)
    forward.advance(run)


def _on_operator(run: Run, command: OperatorCommand) -> None:
    operator.on_operator(run, command)
    forward.advance(run)


def _on_supplement(run: Run, supplement: SupplementCase) -> None:
    if run.state.terminal or run.state.rolling_back:
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            actor=supplement.actor,
            detail={"supplement": sorted(supplement.data)},
        )
        return
    supplements.on_supplement(run, supplement)
    forward.advance(run)


def _on_reverse(run: Run, reverse: ReverseCase) -> None:
    """A legal reversal. After the pivot the case ends ``reversed`` and a reversal case is opened
    for the corrective work, told what was done and what was still in flight (whose late answers
    the reversed case passes on, see ``corrections``); before it, the case is rolled back."""
    state = run.state
    before_pivot = not state.pivot_passed and not state.terminal and not state.rolling_back
    accepted = (state.pivot_passed and state.status is not CaseStatus.REVERSED) or before_pivot
    run.emit(
        CaseEventType.CASE_REVERSED,
        actor=reverse.actor,
        reason=reverse.reason,
        detail={"reversal_case_id": reverse.reversal_case_id, "accepted": accepted},
    )
    if before_pivot:
        rollback.begin(run, CaseStatus.COMPENSATED, f"reversed before the pivot: {reverse.reason}")
        forward.advance(run)
        return
    if not accepted:
        return
    done = [name for name, st in state.steps.items() if st.status is StepStatus.SUCCEEDED]
    # Steps a department may still answer: the reversal case waits to hear how they ended.
    in_flight = corrections.in_flight(run) if reverse.reversal_saga else []
    for name in in_flight:
        run.step_state(name).reason = "in flight when the case was reversed"
    terminal.finish(run, CaseStatus.REVERSED, f"reversed: {reverse.reason}")
    if reverse.reversal_saga:
        state.reversal_case_id, state.awaiting_late = reverse.reversal_case_id, in_flight
        carried = {key: state.data[key] for key in reverse.carry if key in state.data}
        run.starts.append(
            StartCase(
                case_id=reverse.reversal_case_id,
                saga=reverse.reversal_saga,
                division_code=state.division_code,
                received_at=run.now,
                data={
                    **carried,
                    **reverse.data,
                    ORIGINAL_CASE_ID: state.case_id,
                    DONE_STEPS: done,
                    IN_FLIGHT_STEPS: in_flight,
                },
            )
        )


def _case_of(message: Message) -> str:
    return str(getattr(message, "case_id", "?"))


def _route(run: Run, message: Message) -> None:
    if isinstance(message, DepartmentReply):
        _on_reply(run, message)
    elif isinstance(message, TimerFired):
        _on_timer(run, message)
    elif isinstance(message, Signal):
        _on_signal(run, message)
    elif isinstance(message, OperatorCommand):
        _on_operator(run, message)
    elif isinstance(message, SupplementCase):
        _on_supplement(run, message)
    elif isinstance(message, ReverseCase):
        _on_reverse(run, message)
    elif isinstance(message, ReversedStepSettled):
        corrections.on_reversed_step_settled(run, message)
        forward.advance(run)
    elif isinstance(message, RecomputeDeadlines):
        deadlines.recompute(run, message)
    else:
        raise EngineError(f"case {_case_of(message)}: {message.message_type} is not for the engine")
