"""Loop back: a step's result sends the case back to named earlier steps (``Step.loop_back``).

An objection during a public notice (公示) re-opens the investigation: the checks run again, the
decision is made again, the notice is posted again. When the looping step succeeds and its
``when`` holds, or is refused with one of its ``codes``, every step of its *span* (the targets,
the steps between them and it, and itself; see ``Saga.loop_span``) is set back to pending as
the next round, its earlier result dropped, and the forward path starts the targets again.

Each round is in the timeline: a ``looped_back`` event names the new round, the targets and the
steps run again, and every later event of those steps carries ``detail.round``. Their commands
carry the round in their id (``case_id:step:r2:attempt``), so a department does not take the
new request for a repeat of the first; an answer to an earlier round's command is stale. After
``max_rounds`` rounds a further trigger is ``loop_exhausted``: the step waits for a person
(``escalate``) or the case is rejected and rolled back (``reject``). A loop back never runs while
the case rolls back.
"""

from __future__ import annotations

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga import rollback
from saga.definition import OnRefused, Step
from saga.run import Run
from saga.state import StepState

__all__ = ["EXHAUSTED", "on_refused", "on_succeeded"]

EXHAUSTED = "rounds_exhausted"  # the reason code of a case rejected when its rounds ran out


def on_succeeded(run: Run, step: Step) -> bool:
    """After a success: loop back if the step's ``when`` says so; True if it did (or gave up)."""
    loop = step.loop_back
    if loop is None or loop.when is None or run.state.rolling_back:
        return False
    if not loop.when(run.context()):
        return False
    _back(run, step, None)
    return True


def on_refused(run: Run, step: Step, code: str) -> bool:
    """After a refusal: loop back if the code is one the step loops on; True if it did (or
    gave up, having escalated or rejected the case)."""
    loop = step.loop_back
    if loop is None or code not in loop.codes or run.state.rolling_back:
        return False
    _back(run, step, code)
    return True


def _back(run: Run, step: Step, code: str | None) -> None:
    loop = step.loop_back
    assert loop is not None
    st = run.step_state(step.name)
    if st.round >= loop.max_rounds:
        _exhausted(run, step, code)
        return
    round_ = st.round + 1
    span = run.saga.loop_span(step.name)
    for name in span:
        run.clear_step_timers(name, keep_deadline=False)
        run.state.results.pop(name, None)
        run.state.steps[name] = StepState(name=name, round=round_)
    run.emit(
        CaseEventType.LOOPED_BACK,
        step.name,
        reason_code=code,
        detail={"to": list(loop.to), "rerun": list(span), "max_rounds": loop.max_rounds},
    )


def _exhausted(run: Run, step: Step, code: str | None) -> None:
    loop = step.loop_back
    assert loop is not None
    st = run.step_state(step.name)
    why = f"still sends the case back after {st.round} round(s)"
    run.emit(
        CaseEventType.LOOP_EXHAUSTED,
        step.name,
        reason_code=code,
        reason=why,
        detail={"max_rounds": loop.max_rounds, "then": loop.on_exhausted.value},
    )
    if loop.on_exhausted is OnRefused.ESCALATE:
        st.attention = why
        return
    st.status, st.settled_at = StepStatus.REFUSED, st.settled_at or run.now
    st.reason_code, st.reason = code or EXHAUSTED, st.reason or why
    rollback.begin(run, CaseStatus.REJECTED, f"{step.name}: {EXHAUSTED}")
