"""A reversal that misses nothing: steps still in flight when a case was reversed.

When a case is reversed past its pivot (``engine._on_reverse``) it ends ``reversed`` at once and
opens its reversal case with the steps that had succeeded (``DONE_STEPS``) and those still in
flight, dispatched or waiting for a retry (``IN_FLIGHT_STEPS``). The department may still answer
those: a pension stopped an hour after the retraction is stopped all the same.

- **The reversed case** keeps listening for exactly those steps (``CaseState.awaiting_late``). It
  records the first answer that settles one (a success of any attempt, or a refusal or failure
  of the latest; it never retries, the person is alive) in its own timeline, and tells the
  reversal case with a ``ReversedStepSettled``. The case stays ``reversed``.
- **The reversal case** holds every row that ``corrects`` an in-flight step in
  ``waiting_reversed_case`` until it hears: a success runs the correction, anything else skips
  the row (nothing to correct). It cannot end while a row waits, so no correction is issued
  after it ended and nobody has to reopen a closed case; the wait is bounded
  (``Saga.reversed_step_wait``), after which the row asks a person, who can retry it (issue the
  correction) or skip it once they know what the department did. A late answer still settles
  the row then.

Redelivery is harmless on both sides: each message id is remembered, the reversed case forgets a
step once it has passed its outcome on, and the reversal case acts only on steps it still lists
as in flight. Command ids stay ``case_id:step:attempt``: a correction runs as attempt 1 of its row.
"""

from __future__ import annotations

from contracts.lifecycle import CaseEventType, StepStatus
from contracts.saga import DepartmentReply, ReplyOutcome, ReversedStepSettled, TimerKind
from saga.definition import DONE_STEPS, IN_FLIGHT_STEPS, Step
from saga.run import Run
from saga.state import CaseState

__all__ = [
    "IN_FLIGHT",
    "awaited",
    "hold",
    "in_flight",
    "on_late_reply",
    "on_reversed_step_settled",
    "on_wait_over",
]

# A step whose answer may still come: its command is out, or an attempt timed out and the retry
# that the reversal stopped was pending.
IN_FLIGHT = frozenset({StepStatus.DISPATCHED, StepStatus.WAITING_RETRY})


# --- the reversed case -------------------------------------------------------------------------


def in_flight(run: Run) -> list[str]:
    """The command steps whose department may still answer (timers and tasks send nothing)."""
    return [
        name
        for name, st in run.state.steps.items()
        if st.status in IN_FLIGHT and run.saga.step(name).sends_command
    ]


def awaited(state: CaseState, reply: DepartmentReply) -> bool:
    """Whether a reply is the late answer a reversed case still waits for."""
    return state.terminal and not reply.compensation and reply.step in state.awaiting_late


def on_late_reply(run: Run, reply: DepartmentReply) -> list[ReversedStepSettled]:
    """Record the late answer in the reversed case and pass it on to the reversal case."""
    state, st = run.state, run.step_state(reply.step)
    step = run.saga.step(reply.step)
    accepted = step.refused if reply.outcome is ReplyOutcome.REFUSED else step.succeeded
    outcome, name = reply.outcome, reply.reply
    if outcome is not ReplyOutcome.FAILED and accepted and reply.reply not in accepted:
        outcome = ReplyOutcome.FAILED  # a reply the contract does not know proves nothing done
    # An older attempt failing says nothing about the latest one, which may still succeed; an
    # answer to an earlier round or period says nothing about the command in flight.
    earlier = not run.answers_current(reply.step, reply.command_id, reply.attempt, undo=False)
    if earlier or (outcome is not ReplyOutcome.SUCCEEDED and reply.attempt != st.attempt):
        run.emit(
            CaseEventType.STALE_REPLY_IGNORED,
            reply.step,
            attempt=reply.attempt,
            detail={"reply": name, "command_id": reply.command_id},
        )
        return []
    state.awaiting_late.remove(reply.step)
    st.settled_at, st.reply, st.attention = run.now, name, None
    detail: dict[str, object] = {"reply": name, "after_reversal": True}
    detail["reversal_case_id"] = state.reversal_case_id
    if outcome is ReplyOutcome.SUCCEEDED:
        st.status, st.reason = StepStatus.SUCCEEDED, "succeeded after the case was reversed"
        state.results[step.name] = dict(reply.data)
        run.emit(CaseEventType.STEP_SUCCEEDED, step.name, attempt=reply.attempt, detail=detail)
    elif outcome is ReplyOutcome.REFUSED:
        st.status, st.reason_code, st.reason = StepStatus.REFUSED, reply.reason_code, reply.reason
        run.emit(
            CaseEventType.STEP_REFUSED,
            step.name,
            attempt=reply.attempt,
            reason_code=reply.reason_code,
            reason=reply.reason,
            detail=detail,
        )
    else:
        st.status, st.reason = StepStatus.FAILED, reply.reason or "failed"
        detail["retried"] = False  # the case is reversed: nothing more is sent
        run.emit(
            CaseEventType.STEP_FAILED,
            step.name,
            attempt=reply.attempt,
            reason=st.reason,
            detail=detail,
        )
    assert state.reversal_case_id is not None  # only a case with a reversal case awaits
    return [
        ReversedStepSettled(
            case_id=state.reversal_case_id,
            reversed_case_id=state.case_id,
            step=step.name,
            outcome=outcome,
            reply=name,
            attempt=reply.attempt,
            reason_code=reply.reason_code,
        )
    ]


# --- the reversal case -------------------------------------------------------------------------


def _listed(run: Run, key: str) -> list[str]:
    return [str(name) for name in run.state.data.get(key, ())]


def hold(run: Run, step: Step) -> bool:
    """For a row that ``corrects`` a step, about to start: skip it if that step was not done,
    keep it waiting if it was in flight; False when the row may run (the step was done)."""
    assert step.corrects is not None
    if step.corrects in _listed(run, DONE_STEPS):
        return False
    st = run.step_state(step.name)
    if step.corrects in _listed(run, IN_FLIGHT_STEPS):
        st.status, st.started_at = StepStatus.WAITING_REVERSED_CASE, st.started_at or run.now
        due = run.now + run.saga.reversed_step_wait
        run.set_timer(f"{step.name}:reversed-case", TimerKind.WAIT, due, step.name)
        run.emit(
            CaseEventType.STEP_WAITING,
            step.name,
            detail={"waiting_for": step.corrects, "until": due.isoformat()},
        )
        return True
    st.status, st.settled_at = StepStatus.SKIPPED, run.now
    st.reason = f"{step.corrects} was not done in the reversed case"
    run.emit(CaseEventType.STEP_SKIPPED, step.name, reason=st.reason)
    return True


def on_reversed_step_settled(run: Run, settled: ReversedStepSettled) -> None:
    """The reversed case's in-flight step settled: its corrections run or are skipped."""
    state = run.state
    pending = _listed(run, IN_FLIGHT_STEPS)
    known = not state.terminal and settled.step in pending
    run.emit(
        CaseEventType.REVERSED_STEP_SETTLED if known else CaseEventType.STALE_REPLY_IGNORED,
        detail={
            "reversed_case_id": settled.reversed_case_id,
            "reversed_step": settled.step,
            "outcome": settled.outcome.value,
            "reply": settled.reply,
        },
    )
    if not known:
        return  # told twice, or the case has already ended (a person resolved it)
    state.data[IN_FLIGHT_STEPS] = [n for n in pending if n != settled.step]
    if settled.outcome is ReplyOutcome.SUCCEEDED:
        state.data[DONE_STEPS] = sorted({*_listed(run, DONE_STEPS), settled.step})
    for name in run.saga.order:
        st = run.step_state(name)
        waiting = st.status is StepStatus.WAITING_REVERSED_CASE
        if waiting and run.saga.step(name).corrects == settled.step:
            # Back to pending: the forward path starts it again and ``hold`` now decides.
            run.clear_step_timers(name, keep_deadline=False)
            st.status, st.attention = StepStatus.PENDING, None


def on_wait_over(run: Run, step: Step) -> None:
    """The reversed case has not said in time whether the step was done: a person finds out."""
    st = run.step_state(step.name)
    if st.status is not StepStatus.WAITING_REVERSED_CASE:
        return
    st.attention = (
        f"{step.corrects} of the reversed case has not settled: ask {step.department} whether"
        " it was done, then retry this step to correct it or skip it"
    )
    run.emit(CaseEventType.STEP_TIMED_OUT, step.name, detail={"waiting_for": step.corrects})
