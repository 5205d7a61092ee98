"""The forward path of a case: start steps whose dependencies allow it, send their commands,
and take their replies, failures, timeouts and signals.

Refusals and exhausted retries are routed here by policy: reject (roll back, see ``rollback``),
fail the branch, or escalate to a person.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import (
    DepartmentCommand,
    DepartmentReply,
    ReplyOutcome,
    Signal,
    TimerKind,
)
from saga import branches, corrections, loops, recurring, rollback, suspension
from saga.definition import Commits, Deadline, Join, OnExhausted, OnRefused, Step, StepKind
from saga.run import Run
from saga.state import StepState

__all__ = ["advance", "dispatch", "on_failure", "on_refusal", "on_reply", "on_signal"]

_DONE = frozenset({StepStatus.SUCCEEDED, StepStatus.SKIPPED})


def advance(run: Run) -> None:
    """Start every pending step that can start, until nothing more changes. While the case rolls
    back, only the branches of standing branch pivots go on (``branches``)."""
    if run.state.terminal:
        return
    if run.state.rolling_back:
        committed = branches.committed(run.saga, run.state)
        if committed:
            start_pending(run, [n for n in run.saga.order if n in committed], _try_start)
            rollback.proceed(run)
        return
    recurring.end_finished(run)
    start_pending(run, run.saga.order, _try_start)


def start_pending(run: Run, names: Sequence[str], try_start: Callable[[Run, Step], bool]) -> None:
    """Offer each pending step of ``names`` to ``try_start`` until none of them moves: a step
    that starts or settles may let a later one (or an earlier one, in a join) go."""
    changed = True
    while changed:
        changed = False
        for name in names:
            if run.step_state(name).status is StepStatus.PENDING:
                changed |= try_start(run, run.saga.step(name))


def _try_start(run: Run, step: Step) -> bool:
    deps = [run.step_state(d) for d in step.depends_on]
    if any(d.attention for d in deps):
        return False  # a person may still fix the dependency; wait for them
    if step.join is Join.SETTLED:
        if not all(d.settled for d in deps):
            return False
    else:
        blocked = next((d for d in deps if d.settled and d.status not in _DONE), None)
        if blocked is not None:
            _cancel(run, step.name, f"{blocked.name} {blocked.status.value}")
            return True
        if not all(d.status in _DONE for d in deps):
            return False
    if step.corrects is not None and corrections.hold(run, step):
        return True  # the reversed case had not done it, or has not said yet
    if step.when is not None and not step.when(run.context()):
        st = run.step_state(step.name)
        st.status, st.settled_at, st.reason = (
            StepStatus.SKIPPED,
            run.now,
            "not requested",
        )
        run.emit(CaseEventType.STEP_SKIPPED, step.name, reason="not requested")
        return True
    _start(run, step)
    return True


def _cancel(run: Run, name: str, why: str) -> None:
    st = run.step_state(name)
    st.status, st.settled_at, st.reason = (
        StepStatus.CANCELLED,
        run.now,
        f"cannot run: {why}",
    )
    run.emit(CaseEventType.STEP_SKIPPED, name, reason=st.reason)


def _start(run: Run, step: Step) -> None:
    st = run.step_state(step.name)
    st.started_at = run.now
    if step.deadline is not None:
        arm_deadline(run, step, deadline_start(run, step.deadline, run.now))
    if step.recurs is not None:
        recurring.start(run, step)
    elif step.sends_command:
        dispatch(run, step, 1)
    elif step.awaits_signal and step.done_when is not None and step.done_when(run.context()):
        st.status = StepStatus.WAITING_SIGNAL
        _succeed(run, step, st, "AlreadyProvided", {}, attempt=1)
    elif step.awaits_signal:
        st.status = StepStatus.WAITING_SIGNAL
        run.emit(CaseEventType.STEP_WAITING, step.name, **deadline_fields(st))
    else:  # a timer step: succeeds when its wait is over
        assert step.wait is not None
        wait = run.set_period_timer(
            f"{step.name}:wait", TimerKind.WAIT, run.now, step.wait, step.name
        )
        st.status = StepStatus.DISPATCHED
        if wait is None:
            _escalate(run, st, "the wait cannot be computed: holiday calendar not covered")
            return
        run.emit(
            CaseEventType.STEP_WAITING,
            step.name,
            deadline_at=wait.at,
            deadline_provisional=wait.provisional,
        )


def deadline_fields(st: StepState) -> dict[str, Any]:
    """The step's deadline as an event carries it: the time, and whether it is provisional."""
    if st.deadline_at is None:
        return {}
    return {"deadline_at": st.deadline_at, "deadline_provisional": st.deadline_provisional}


def arm_deadline(run: Run, step: Step, start: datetime) -> None:
    """Count the step's statutory deadline from ``start`` and set its timer."""
    assert step.deadline is not None
    due = run.set_period_timer(
        f"{step.name}:deadline", TimerKind.STEP_DEADLINE, start, step.deadline, step.name
    )
    if due is not None:
        st = run.step_state(step.name)
        st.deadline_at, st.deadline_provisional = due.at, due.provisional


def deadline_start(run: Run, deadline: Deadline, started: datetime) -> datetime:
    """When a deadline's period begins, for a step that started at ``started``."""
    if deadline.starts_on == "case_received":
        return run.state.received_at
    if deadline.starts_on == "step_started":
        return started
    return run.step_state(deadline.starts_on).settled_at or started


def dispatch(run: Run, step: Step, attempt: int) -> None:
    """Send attempt ``attempt`` of a step's command, with its reply timeout."""
    st = run.step_state(step.name)
    st.status, st.attempt, st.dispatched_at, st.attention = (
        StepStatus.DISPATCHED,
        attempt,
        run.now,
        None,
    )
    context = run.context()
    if st.period is not None:
        context = replace(context, period=st.period)
    try:
        payload = step.payload(context)
    except Exception as exc:  # noqa: BLE001 - a builder bug or bad data must not crash the worker
        _escalate(run, st, f"command could not be built: {type(exc).__name__}: {exc}")
        st.status, st.settled_at = StepStatus.FAILED, run.now
        run.emit(CaseEventType.STEP_FAILED, step.name, attempt=attempt, reason=st.attention)
        return
    run.commands.append(
        DepartmentCommand(
            command_id=run.command_id(step.name, attempt),
            case_id=run.state.case_id,
            saga=run.state.saga,
            step=step.name,
            department=step.department,
            command=step.command,
            attempt=attempt,
            payload=payload,
            deadline_at=st.deadline_at,
        )
    )
    if step.retry_policy.timeout is not None:
        run.set_timer(
            f"{step.name}:timeout:{attempt}",
            TimerKind.REPLY_TIMEOUT,
            run.now + step.retry_policy.timeout,
            step.name,
            attempt=attempt,
        )
    run.emit(
        CaseEventType.STEP_DISPATCHED,
        step.name,
        attempt=attempt,
        department=step.department,
        detail={"command": step.command},
        **deadline_fields(st),
    )


def on_reply(run: Run, reply: DepartmentReply) -> None:
    """A department answered a forward command."""
    step = run.saga.step(reply.step)
    st = run.step_state(reply.step)
    live = st.status in (StepStatus.DISPATCHED, StepStatus.WAITING_RETRY)
    # A late success of an earlier attempt still counts: the department did the work.
    current = reply.attempt == st.attempt or reply.outcome is ReplyOutcome.SUCCEEDED
    current &= run.answers_current(step.name, reply.command_id, reply.attempt, undo=False)
    if not (live and current):
        _stale(run, reply)
        return
    accepted = step.refused if reply.outcome is ReplyOutcome.REFUSED else step.succeeded
    if reply.outcome is not ReplyOutcome.FAILED and accepted and reply.reply not in accepted:
        on_failure(run, step, f"unexpected reply {reply.reply}", retryable=False)
        return
    if reply.outcome is ReplyOutcome.SUCCEEDED:
        _succeed(run, step, st, reply.reply, reply.data, attempt=reply.attempt)
    elif reply.outcome is ReplyOutcome.REFUSED:
        on_refusal(run, step, reply.reason_code or "refused", reply.reason, reply=reply.reply)
    else:
        on_failure(run, step, reply.reason or reply.reason_code or "failed", reply.retryable)


def _stale(run: Run, reply: DepartmentReply) -> None:
    run.emit(
        CaseEventType.STALE_REPLY_IGNORED,
        reply.step,
        attempt=reply.attempt,
        department=reply.department,
        detail={"reply": reply.reply, "command_id": reply.command_id},
    )


def _succeed(
    run: Run,
    step: Step,
    st: StepState,
    reply: str,
    data: dict[str, object],
    attempt: int,
) -> None:
    st.status, st.settled_at, st.reply, st.attention = (
        StepStatus.SUCCEEDED,
        run.now,
        reply,
        None,
    )
    run.state.results[step.name] = dict(data)
    run.clear_step_timers(step.name, keep_deadline=False)
    detail: dict[str, object] = {"reply": reply}
    if step.kind is StepKind.PIVOT and step.commits is Commits.BRANCH:
        detail["branch_pivot"] = True  # its branch stands; the rest of the case may roll back
    elif step.kind is StepKind.PIVOT:
        run.state.pivot_passed = True
        detail["pivot"] = True  # the read model shows from here on that nothing can be undone
    run.emit(CaseEventType.STEP_SUCCEEDED, step.name, attempt=attempt, detail=detail)
    if step.recurs is not None:
        recurring.after_success(run, step)
    if run.state.rolling_back:
        rollback.proceed(run)
    else:
        loops.on_succeeded(run, step)


def on_refusal(
    run: Run, step: Step, code: str, reason: str | None, reply: str | None = None
) -> None:
    """A business "no": record it, then reject, fail the branch or escalate by policy."""
    st = run.step_state(step.name)
    if code in step.supplement_codes and not run.state.rolling_back:
        _request_supplement(run, step, code, reason, step.supplement_codes[code])
        return
    if code in step.not_applicable:
        # e.g. no pension to stop: the branch has nothing to do, which is not a failure
        st.status, st.settled_at, st.reason_code, st.reason = (
            StepStatus.SKIPPED,
            run.now,
            code,
            reason or "not applicable",
        )
        run.clear_step_timers(step.name, keep_deadline=False)
        run.emit(CaseEventType.STEP_SKIPPED, step.name, reason_code=code, reason=st.reason)
        if run.state.rolling_back:
            rollback.proceed(run)
        return
    st.status, st.settled_at, st.reason_code, st.reason = (
        StepStatus.REFUSED,
        run.now,
        code,
        reason,
    )
    st.reply = reply
    run.clear_step_timers(step.name, keep_deadline=False)
    run.emit(
        CaseEventType.STEP_REFUSED,
        step.name,
        attempt=st.attempt or None,
        reason_code=code,
        reason=reason,
    )
    if run.state.rolling_back:
        rollback.proceed(run)
        return
    if loops.on_refused(run, step, code):
        return
    policy = _refusal_policy(run, step)
    if policy is OnRefused.REJECT:
        rollback.begin(run, CaseStatus.REJECTED, f"{step.name}: {code}")
    elif policy is OnRefused.ESCALATE:
        _escalate(run, st, f"refused: {code}")


def _request_supplement(
    run: Run, step: Step, code: str, reason: str | None, fields: tuple[str, ...]
) -> None:
    """补正: the step waits for the applicant's missing material, within a deadline; only
    ``fields`` may be brought (``saga.supplements``)."""
    st = run.step_state(step.name)
    st.status, st.reason_code, st.reason = StepStatus.WAITING_SUPPLEMENT, code, reason
    st.supplement_fields = list(fields)
    run.clear_step_timers(step.name)
    due = run.set_period_timer(
        f"{step.name}:supplement", TimerKind.SUPPLEMENT, run.now, step.supplement_within, step.name
    )
    run.emit(
        CaseEventType.SUPPLEMENT_REQUESTED,
        step.name,
        reason_code=code,
        reason=reason,
        deadline_at=due.at if due else None,
        deadline_provisional=due.provisional if due else None,
        detail={"fields": list(fields)},
    )


def on_supplement_overdue(run: Run, step: Step) -> None:
    if run.step_state(step.name).status is StepStatus.WAITING_SUPPLEMENT:
        on_refusal(run, step, "supplement_overdue", "补正材料逾期未提交")


def resume_waiting(run: Run) -> list[str]:
    """New material is in the case data: restart the stopped clocks (so the commands carry the
    moved deadlines), then run every step waiting for it again."""
    if any(st.status is StepStatus.WAITING_SUPPLEMENT for st in run.state.steps.values()):
        suspension.resume(run)
    resumed = []
    for name in run.saga.order:
        st = run.step_state(name)
        if st.status is StepStatus.WAITING_SUPPLEMENT:
            run.clear_step_timers(name)
            dispatch(run, run.saga.step(name), st.attempt + 1)
            resumed.append(name)
    return resumed


def _refusal_policy(run: Run, step: Step) -> OnRefused:
    past_pivot = run.state.pivot_passed or run.saga.after_pivot(step.name)
    policy = step.on_refused or (OnRefused.FAIL_BRANCH if past_pivot else OnRefused.REJECT)
    if policy is OnRefused.REJECT and past_pivot:
        return OnRefused.FAIL_BRANCH  # a pivot has happened: nothing can be rolled back now
    return policy


def on_failure(run: Run, step: Step, reason: str, retryable: bool) -> None:
    """A fault: retry after backoff while attempts remain, else escalate or compensate."""
    st = run.step_state(step.name)
    run.clear_step_timers(step.name)
    # A check in flight when the roll-back began is not worth retrying; a rejection step (the
    # refusal notice) and a step of a standing branch are retried like any retriable step.
    goes_on = run.saga.on_rejection(step.name) or step.name in branches.committed(
        run.saga, run.state
    )
    if run.state.rolling_back and not goes_on:
        st.status, st.settled_at, st.reason = StepStatus.FAILED, run.now, reason
        run.emit(CaseEventType.STEP_FAILED, step.name, attempt=st.attempt, reason=reason)
        rollback.proceed(run)
        return
    if retryable and st.attempt < step.retry_policy.max_attempts:
        due = run.now + step.retry_policy.backoff(st.attempt, f"{run.state.case_id}:{step.name}")
        st.status, st.reason = StepStatus.WAITING_RETRY, reason
        run.set_timer(
            f"{step.name}:retry:{st.attempt}",
            TimerKind.RETRY,
            due,
            step.name,
            attempt=st.attempt,
        )
        run.emit(
            CaseEventType.STEP_FAILED,
            step.name,
            attempt=st.attempt,
            reason=reason,
            detail={"retry_at": due.isoformat()},
        )
        return
    st.status, st.settled_at, st.reason = StepStatus.FAILED, run.now, reason
    run.emit(
        CaseEventType.STEP_FAILED,
        step.name,
        attempt=st.attempt,
        reason=reason,
        detail={"exhausted": True},
    )
    compensate = step.retry_policy.on_exhausted is OnExhausted.COMPENSATE
    if compensate and not run.state.pivot_passed:
        rollback.begin(run, CaseStatus.COMPENSATED, f"{step.name}: {reason}")
    else:
        _escalate(run, st, f"gave up after {st.attempt} attempt(s): {reason}")


def _escalate(run: Run, st: StepState, why: str) -> None:
    st.attention = why


def on_retry_due(run: Run, step: Step) -> None:
    st = run.step_state(step.name)
    if st.status is not StepStatus.WAITING_RETRY:
        return
    run.emit(CaseEventType.STEP_RETRIED, step.name, attempt=st.attempt + 1)
    dispatch(run, step, st.attempt + 1)


def on_reply_timeout(run: Run, step: Step, attempt: int) -> None:
    st = run.step_state(step.name)
    if st.status is not StepStatus.DISPATCHED or st.attempt != attempt:
        return
    run.emit(CaseEventType.STEP_TIMED_OUT, step.name, attempt=attempt)
    on_failure(run, step, "no reply before the timeout", retryable=True)


def on_deadline(run: Run, step: Step) -> None:
    """A statutory deadline passed: report it; the work goes on (or a person is asked), unless
    the period running out withdraws the application (``Deadline.withdraws``)."""
    st = run.step_state(step.name)
    if st.settled:
        return
    st.overdue = True
    lapses = step.deadline is not None and step.deadline.withdraws
    if step.deadline is not None and step.deadline.escalate and not lapses:
        _escalate(run, st, "deadline passed")
    run.emit(CaseEventType.OVERDUE, step.name, **deadline_fields(st))
    if lapses and not (run.state.rolling_back or run.state.pivot_passed):
        rollback.begin(run, CaseStatus.WITHDRAWN, f"deemed withdrawn: {step.name} not done in time")


def on_wait_over(run: Run, step: Step) -> None:
    st = run.step_state(step.name)
    if st.status is StepStatus.DISPATCHED:
        _succeed(run, step, st, "WaitOver", {}, attempt=1)


def on_signal(run: Run, signal: Signal) -> None:
    """A person completed a decision or task step."""
    step = run.saga.step(signal.step)
    st = run.step_state(signal.step)
    early_end = step.kind is StepKind.TIMER and st.status is StepStatus.DISPATCHED
    if st.status is not StepStatus.WAITING_SIGNAL and not early_end:
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            step.name,
            actor=signal.actor,
            detail={"signal": "not waiting for a signal"},
        )
        return
    run.emit(
        CaseEventType.SIGNAL_RECEIVED,
        step.name,
        actor=signal.actor,
        reason=signal.reason,
        detail={"approved": signal.approved},
    )
    if signal.approved:
        _succeed(run, step, st, "Approved", signal.data, attempt=1)
    else:
        code = signal.reason_code or "refused_by_decision"
        on_refusal(run, step, code, signal.reason, reply="Refused")
