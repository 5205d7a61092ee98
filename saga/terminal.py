"""How a case's status follows from its steps, and how a case ends.

After every transition the status is derived again: a step that needs a person makes the case
``needs_attention``; when no work is left the case ends ``completed`` or ``partially_completed``
(with the refused or failed branches listed); a roll-back ends in the status it was begun for.
"""

from __future__ import annotations

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga import branches
from saga.run import Run

__all__ = ["finish", "refresh_status"]

# A recurring step between periods is carried out on a schedule: the case is in progress.
_RUNNING = frozenset(
    {
        StepStatus.DISPATCHED,
        StepStatus.WAITING_RETRY,
        StepStatus.COMPENSATING,
        StepStatus.SCHEDULED,
    }
)
_FINE = frozenset({StepStatus.SUCCEEDED, StepStatus.SKIPPED})


def finish(run: Run, status: CaseStatus, why: str | None) -> None:
    """End the case: cancel what never ran, drop every timer, emit the terminal event."""
    state = run.state
    for st in state.steps.values():
        if not st.settled and st.status is not StepStatus.COMPENSATING:
            st.status, st.settled_at = StepStatus.CANCELLED, run.now
            st.reason = st.reason or f"case {status.value}"
        if st.status is StepStatus.COMPENSATING:
            st.status = StepStatus.COMPENSATION_FAILED
    state.timers.clear()
    state.suspended_timers.clear()
    state.suspended_at = None
    state.rolling_back = False
    state.outcome = why
    _set_status(run, status)
    run.emit(CaseEventType.CASE_TERMINATED, reason=why, detail=_summary(run))


def refresh_status(run: Run) -> None:
    """Derive the case status from its steps; end the case when nothing is left to do."""
    state = run.state
    if state.terminal:
        return
    steps = state.steps.values()
    attention = any(st.attention for st in steps)
    if state.rolling_back:
        _set_status(run, CaseStatus.NEEDS_ATTENTION if attention else CaseStatus.COMPENSATING)
        return
    if attention:
        _set_status(run, CaseStatus.NEEDS_ATTENTION)
    elif all(st.settled for st in steps):
        if all(st.status in _FINE for st in steps):
            finish(run, CaseStatus.COMPLETED, state.outcome)
        else:
            finish(run, CaseStatus.PARTIALLY_COMPLETED, _branch_reasons(run))
    elif any(st.status in _RUNNING for st in steps):
        _set_status(run, CaseStatus.IN_PROGRESS)
    else:
        _set_status(run, CaseStatus.WAITING)


def _set_status(run: Run, status: CaseStatus) -> None:
    if run.state.status is not status:
        previous = run.state.status
        run.state.status = status
        run.emit(CaseEventType.CASE_STATUS_CHANGED, detail={"from": previous.value})


def _branch_reasons(run: Run) -> str:
    parts = []
    for name, st in run.state.steps.items():
        if st.status not in _FINE:
            why = st.reason_code or st.reason or ""
            parts.append(f"{name} {st.status.value}" + (f" ({why})" if why else ""))
    return "; ".join(parts)


def _summary(run: Run) -> dict[str, object]:
    summary: dict[str, object] = {
        "steps": {name: st.status.value for name, st in run.state.steps.items()}
    }
    standing = branches.standing(run.saga, run.state)
    if standing:
        summary["branch_pivots"] = standing  # what stands whatever the case's ending
    return summary
