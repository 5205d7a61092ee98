"""Rolling a case back before its pivot: undo completed compensatable steps, newest first.

Compensations run one at a time in reverse dependency order. Steps still in flight when the
roll-back starts are waited for: if one then succeeds it is undone too. A compensation that keeps
failing puts the case in front of a person; it never leaves it silently stuck. A case rejected
runs its saga's ``on_rejected`` steps last, before it ends (``rejection``).
"""

from __future__ import annotations

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import DepartmentCommand, DepartmentReply, ReplyOutcome, TimerKind
from saga import branches, rejection, terminal
from saga.definition import Step, StepKind
from saga.run import Run

__all__ = ["begin", "on_undo_reply", "proceed"]

_NOT_STARTED = frozenset(
    {
        StepStatus.PENDING,
        StepStatus.WAITING_RETRY,
        StepStatus.WAITING_SIGNAL,
        StepStatus.WAITING_SUPPLEMENT,
        StepStatus.WAITING_REVERSED_CASE,
        StepStatus.SCHEDULED,
    }
)


def begin(run: Run, ending: CaseStatus, why: str) -> None:
    """Stop the forward path and start undoing; the case will end in ``ending``."""
    state = run.state
    state.rolling_back, state.ending, state.outcome = True, ending, why
    state.decided_at = run.now
    kept = branches.kept_by_roll_back(run.saga, state)
    for name, st in state.steps.items():
        if name in kept:
            continue  # a standing branch pivot's branch goes on to its end
        if st.status in _NOT_STARTED or (
            st.status is StepStatus.DISPATCHED and run.saga.step(name).kind is StepKind.TIMER
        ):
            run.clear_step_timers(name, keep_deadline=False)
            st.status, st.settled_at, st.reason = (
                StepStatus.CANCELLED,
                run.now,
                f"case {why}",
            )
            run.emit(CaseEventType.STEP_SKIPPED, name, reason=st.reason)
    proceed(run)


def proceed(run: Run) -> None:
    """Send the next compensation, or end the case when nothing is left to undo or wait for."""
    steps = run.state.steps
    if any(st.status is StepStatus.COMPENSATING for st in steps.values()):
        return
    committed = branches.committed(run.saga, run.state)
    for name in reversed(run.saga.order):
        step = run.saga.step(name)
        if step.kind is not StepKind.COMPENSATABLE or name in committed:
            continue
        if steps[name].status is not StepStatus.SUCCEEDED:
            continue
        # Undo a step only once nothing built on it can still succeed and need undoing first.
        if any(steps[d].status is StepStatus.DISPATCHED for d in run.saga.downstream(name)):
            continue
        dispatch_undo(run, step, steps[name].undo_attempt + 1)
        return
    in_flight = any(st.status is StepStatus.DISPATCHED for st in steps.values())
    in_flight |= any(not steps[name].settled for name in committed)
    stuck = any(st.attention for st in steps.values())
    if in_flight or stuck or rejection.still_running(run):
        return
    assert run.state.ending is not None
    terminal.finish(run, run.state.ending, run.state.outcome)


def dispatch_undo(run: Run, step: Step, attempt: int) -> None:
    st = run.step_state(step.name)
    st.status, st.undo_attempt, st.attention = StepStatus.COMPENSATING, attempt, None
    assert step.undo is not None and step.build_undo is not None
    try:
        payload = step.undo_payload(run.context())
    except Exception as exc:  # noqa: BLE001 - a builder bug must reach a person, not crash
        _give_up(run, step, f"compensation could not be built: {type(exc).__name__}: {exc}")
        return
    run.commands.append(
        DepartmentCommand(
            command_id=run.command_id(step.name, attempt, undo=True),
            case_id=run.state.case_id,
            saga=run.state.saga,
            step=step.name,
            department=step.department,
            command=step.undo,
            attempt=attempt,
            compensation=True,
            payload=payload,
        )
    )
    if step.retry_policy.timeout is not None:
        run.set_timer(
            f"{step.name}:undo-timeout:{attempt}",
            TimerKind.REPLY_TIMEOUT,
            run.now + step.retry_policy.timeout,
            step.name,
            attempt=attempt,
            undo=True,
        )
    run.emit(
        CaseEventType.COMPENSATION_DISPATCHED,
        step.name,
        attempt=attempt,
        department=step.department,
        detail={"command": step.undo},
    )


def on_undo_reply(run: Run, reply: DepartmentReply) -> None:
    step = run.saga.step(reply.step)
    st = run.step_state(reply.step)
    current = reply.attempt == st.undo_attempt or reply.outcome is ReplyOutcome.SUCCEEDED
    current &= run.answers_current(step.name, reply.command_id, reply.attempt, undo=True)
    if st.status is not StepStatus.COMPENSATING or not current:
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            step.name,
            attempt=reply.attempt,
            detail={"reply": reply.reply, "compensation": True},
        )
        return
    run.clear_step_timers(step.name, keep_deadline=False)
    if reply.outcome is ReplyOutcome.SUCCEEDED:
        st.status, st.settled_at = StepStatus.COMPENSATED, run.now
        run.emit(CaseEventType.STEP_COMPENSATED, step.name, attempt=reply.attempt)
        proceed(run)
    elif reply.outcome is ReplyOutcome.REFUSED or not reply.retryable:
        _give_up(run, step, f"compensation refused: {reply.reason_code or reply.reason}")
    else:
        on_undo_failure(run, step, reply.reason or "failed")


def on_undo_failure(run: Run, step: Step, reason: str) -> None:
    st = run.step_state(step.name)
    if st.undo_attempt >= step.retry_policy.max_attempts:
        _give_up(
            run,
            step,
            f"compensation gave up after {st.undo_attempt} attempt(s): {reason}",
        )
        return
    due = run.now + step.retry_policy.backoff(
        st.undo_attempt, f"{run.state.case_id}:{step.name}:undo"
    )
    run.set_timer(
        f"{step.name}:undo-retry:{st.undo_attempt}",
        TimerKind.RETRY,
        due,
        step.name,
        attempt=st.undo_attempt,
        undo=True,
    )
    run.emit(
        CaseEventType.COMPENSATION_FAILED,
        step.name,
        attempt=st.undo_attempt,
        reason=reason,
        detail={"retry_at": due.isoformat()},
    )


def on_undo_retry_due(run: Run, step: Step) -> None:
    st = run.step_state(step.name)
    if st.status is StepStatus.COMPENSATING:
        run.emit(
            CaseEventType.STEP_RETRIED,
            step.name,
            attempt=st.undo_attempt + 1,
            detail={"compensation": True},
        )
        dispatch_undo(run, step, st.undo_attempt + 1)


def on_undo_timeout(run: Run, step: Step, attempt: int) -> None:
    st = run.step_state(step.name)
    if st.status is StepStatus.COMPENSATING and st.undo_attempt == attempt:
        run.emit(
            CaseEventType.STEP_TIMED_OUT,
            step.name,
            attempt=attempt,
            detail={"compensation": True},
        )
        on_undo_failure(run, step, "no reply before the timeout")


def _give_up(run: Run, step: Step, why: str) -> None:
    st = run.step_state(step.name)
    run.clear_step_timers(step.name, keep_deadline=False)
    st.status, st.settled_at, st.attention = (
        StepStatus.COMPENSATION_FAILED,
        run.now,
        why,
    )
    run.emit(
        CaseEventType.COMPENSATION_FAILED,
        step.name,
        attempt=st.undo_attempt,
        reason=why,
        detail={"exhausted": True},
    )
