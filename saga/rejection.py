"""A rejected case tells the applicant why: the saga's ``on_rejected`` steps.

When a case rolled back for a refusal has nothing left to undo or wait for, and its saga declares
``on_rejected`` steps (a refusal notice, a correction of an earlier notice), the case does not end
yet: those steps are added to it and run, forward-only, and the case ends ``rejected`` once they
have settled. Before they start, the refusals that rejected the case are written into its data
(``REFUSALS``, read by builders as ``Context.refusals``), and a deadline may count from the
decision itself (``starts_on="case_rejected"``), which is when the law's clock starts.

The case stays ``rolling_back`` meanwhile, so nothing else of it runs, a supplement is ignored
and the roll-back's own rules hold; only retries differ: a rejection step that fails is retried
with backoff like any retriable step, then escalated to a person, who may retry, skip or resolve.
"""

from __future__ import annotations

from datetime import datetime

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga import forward
from saga.definition import CASE_REJECTED, REFUSALS, Join, OnRefused, Step
from saga.run import Run
from saga.state import StepState

__all__ = ["still_running"]

_DONE = frozenset({StepStatus.SUCCEEDED, StepStatus.SKIPPED})


def still_running(run: Run) -> bool:
    """Start (once) and advance the rejection steps; True while any of them has not settled."""
    state, saga = run.state, run.saga
    if state.ending is not CaseStatus.REJECTED or not saga.rejection_order:
        return False
    if not state.rejection_steps_started:
        state.rejection_steps_started = True
        state.data[REFUSALS] = _refusals(run)
        for name in saga.rejection_order:
            state.steps[name] = StepState(name=name)
    _advance(run)
    return any(not state.steps[name].settled for name in saga.rejection_order)


def _refusals(run: Run) -> list[dict[str, str | None]]:
    """The refusals that reject: a step whose refusal only fails its own branch (a notice nobody
    could receive) is no reason the applicant is given."""
    rejecting = (None, OnRefused.REJECT)
    return [
        {
            "step": name,
            "department": run.saga.step(name).department,
            "reason_code": st.reason_code or "refused",
            "reason": st.reason,
        }
        for name in run.saga.order
        if (st := run.step_state(name)).status is StepStatus.REFUSED
        and run.saga.step(name).on_refused in rejecting
    ]


def _advance(run: Run) -> None:
    forward.start_pending(run, run.saga.rejection_order, _try_start)


def _try_start(run: Run, step: Step) -> bool:
    deps = [run.step_state(d) for d in step.depends_on]
    if any(d.attention for d in deps):
        return False
    if step.join is Join.SETTLED:
        if not all(d.settled for d in deps):
            return False
    elif not all(d.status in _DONE for d in deps):
        if all(d.settled for d in deps):
            _settle(run, step, StepStatus.CANCELLED, "cannot run: a step it needs did not")
            return True
        return False
    if step.when is not None and not step.when(run.context()):
        _settle(run, step, StepStatus.SKIPPED, "not requested")
        return True
    st = run.step_state(step.name)
    st.started_at = run.now
    if step.deadline is not None:
        forward.arm_deadline(run, step, _deadline_start(run, step))
    forward.dispatch(run, step, 1)
    return True


def _deadline_start(run: Run, step: Step) -> datetime:
    assert step.deadline is not None
    starts_on = step.deadline.starts_on
    if starts_on == CASE_REJECTED:
        return run.state.decided_at or run.now
    return forward.deadline_start(run, step.deadline, run.now)


def _settle(run: Run, step: Step, status: StepStatus, why: str) -> None:
    st = run.step_state(step.name)
    st.status, st.settled_at, st.reason = status, run.now, why
    run.emit(CaseEventType.STEP_SKIPPED, step.name, reason=why)
