"""Operator commands: a person retries, skips, compensates, resolves or withdraws a case.

Every action is audited with the actor and the reason, including the ones that are refused
(retrying a step of a closed case, compensating past the pivot, skipping a pivot).
"""

from __future__ import annotations

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction, OperatorCommand
from saga import branches, forward, rollback, terminal
from saga.definition import StepKind
from saga.run import Run

__all__ = ["on_operator"]

_RETRYABLE = frozenset(
    {
        StepStatus.FAILED,
        StepStatus.REFUSED,
        StepStatus.COMPENSATION_FAILED,
        StepStatus.DISPATCHED,
        StepStatus.WAITING_RETRY,
        # A correction still waiting for the reversed case: a person who found out the
        # department did the work issues the correction now.
        StepStatus.WAITING_REVERSED_CASE,
    }
)


def on_operator(run: Run, command: OperatorCommand) -> None:
    refusal = _why_not(run, command)
    run.emit(
        CaseEventType.OPERATOR_ACTION,
        command.step,
        actor=command.actor,
        reason=command.reason,
        detail={
            "action": command.action.value,
            "accepted": refusal is None,
            "refusal": refusal,
        },
    )
    if refusal is None:
        _ACTIONS[command.action](run, command)


def _why_not(run: Run, command: OperatorCommand) -> str | None:
    state = run.state
    if state.terminal:
        return f"the case is already {state.status.value}"
    action, step = command.action, command.step
    if action in (OperatorAction.RETRY_STEP, OperatorAction.SKIP_STEP):
        if step is None or not run.saga.has_step(step):
            return f"step {step!r} is not a step of {run.saga.name}"
        st = run.step_state(step)
        if action is OperatorAction.RETRY_STEP and st.status not in _RETRYABLE:
            return f"step {step} is {st.status.value}; nothing to retry"
        if (
            action is OperatorAction.RETRY_STEP
            and state.rolling_back
            and st.status is not StepStatus.COMPENSATION_FAILED
            and not run.saga.on_rejection(step)
            and step not in branches.committed(run.saga, state)
        ):
            return (
                "the case is rolling back; only a failed compensation, a rejection step or a"
                " step of a standing branch can be retried"
            )
        if action is OperatorAction.SKIP_STEP and run.saga.step(step).kind is StepKind.PIVOT:
            return f"step {step} is the pivot, a legal act; it cannot be skipped"
        if action is OperatorAction.SKIP_STEP and st.settled and not st.attention:
            return f"step {step} is already {st.status.value}"
    if action in (OperatorAction.COMPENSATE, OperatorAction.WITHDRAW):
        if state.pivot_passed:
            return "past the pivot the case cannot be rolled back; use a reversal"
        if state.rolling_back:
            return "the case is already rolling back"
    return None


def _retry(run: Run, command: OperatorCommand) -> None:
    assert command.step is not None
    step = run.saga.step(command.step)
    st = run.step_state(command.step)
    run.clear_step_timers(step.name)
    if st.status is StepStatus.COMPENSATION_FAILED:
        rollback.dispatch_undo(run, step, st.undo_attempt + 1)
    elif step.awaits_signal:
        st.status, st.attention, st.settled_at = StepStatus.WAITING_SIGNAL, None, None
        run.emit(CaseEventType.STEP_WAITING, step.name)
    else:
        st.settled_at = None
        run.emit(
            CaseEventType.STEP_RETRIED,
            step.name,
            attempt=st.attempt + 1,
            actor=command.actor,
        )
        forward.dispatch(run, step, st.attempt + 1)


def _skip(run: Run, command: OperatorCommand) -> None:
    assert command.step is not None
    st = run.step_state(command.step)
    run.clear_step_timers(command.step, keep_deadline=False)
    st.status, st.settled_at, st.attention = StepStatus.SKIPPED, run.now, None
    st.skipped_by, st.reason = command.actor, command.reason
    run.emit(
        CaseEventType.STEP_SKIPPED,
        command.step,
        actor=command.actor,
        reason=command.reason,
    )
    if run.state.rolling_back:
        rollback.proceed(run)


def _compensate(run: Run, command: OperatorCommand) -> None:
    rollback.begin(run, CaseStatus.COMPENSATED, f"compensated by {command.actor}: {command.reason}")


def _withdraw(run: Run, command: OperatorCommand) -> None:
    rollback.begin(run, CaseStatus.WITHDRAWN, f"withdrawn: {command.reason}")


def _resolve(run: Run, command: OperatorCommand) -> None:
    state = run.state
    why = f"resolved by {command.actor}: {command.reason}"
    for st in state.steps.values():
        st.attention = None
    if state.rolling_back:
        assert state.ending is not None
        terminal.finish(run, state.ending, why)
        return
    fine = all(
        st.status in (StepStatus.SUCCEEDED, StepStatus.SKIPPED) for st in state.steps.values()
    )
    terminal.finish(run, CaseStatus.COMPLETED if fine else CaseStatus.PARTIALLY_COMPLETED, why)


_ACTIONS = {
    OperatorAction.RETRY_STEP: _retry,
    OperatorAction.SKIP_STEP: _skip,
    OperatorAction.COMPENSATE: _compensate,
    OperatorAction.WITHDRAW: _withdraw,
    OperatorAction.MARK_RESOLVED: _resolve,
}
