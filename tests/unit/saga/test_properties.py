"""Property: for random small DAGs, any interleaving, duplication and reordering of replies ends
the case in a terminal or needs_attention state that agrees with the replies it was given."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from contracts.lifecycle import TERMINAL_STATUSES, CaseStatus, StepStatus
from contracts.saga import DepartmentCommand, ReplyOutcome
from saga.definition import RetryPolicy, Saga, Step, StepKind
from saga.testing import Scenario

QUICK = RetryPolicy(
    max_attempts=2,
    initial=timedelta(seconds=1),
    maximum=timedelta(seconds=1),
    timeout=timedelta(seconds=30),
)


@st.composite
def small_sagas(draw: st.DrawFn) -> Saga:
    count = draw(st.integers(min_value=2, max_value=6))
    pivot = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=count - 1)))
    steps: list[Step] = []
    after_pivot: set[str] = set()
    for i in range(count):
        name = f"s{i}"
        deps = tuple(
            sorted(
                draw(st.sets(st.sampled_from([s.name for s in steps]), max_size=2))
                if steps
                else set()
            )
        )
        downstream = any(d in after_pivot or d == f"s{pivot}" for d in deps)
        if downstream:
            after_pivot.add(name)
            kind = StepKind.RETRIABLE
        elif i == pivot:
            kind = StepKind.PIVOT
        else:
            kind = draw(st.sampled_from([StepKind.COMPENSATABLE, StepKind.READ_ONLY]))
        undo = (
            {"undo": f"Undo{i}", "build_undo": lambda c: {}}
            if kind is StepKind.COMPENSATABLE
            else {}
        )
        steps.append(Step(name, kind, "dept", f"Do{i}", depends_on=deps, retry=QUICK, **undo))  # type: ignore[arg-type]
    return Saga(name="random", version=1, steps=tuple(steps))


def answered(scenario: Scenario) -> set[str]:
    return {e.detail.get("command_id", "") for e in scenario.events}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(saga=small_sagas(), data=st.data())
def test_any_reply_order_ends_consistently(saga: Saga, data: st.DataObject) -> None:
    scenario = Scenario(saga).start()
    replies: dict[str, list[ReplyOutcome]] = {}
    open_commands: list[DepartmentCommand] = list(scenario.sent)
    delivered: list[tuple[DepartmentCommand, ReplyOutcome]] = []
    for _ in range(200):
        if scenario.state is None or scenario.status in TERMINAL_STATUSES:
            break
        choice = data.draw(st.sampled_from(["reply", "duplicate", "time"]))
        if choice == "time" or not open_commands:
            if not scenario.state.timers and not open_commands:
                break
            scenario.advance(timedelta(seconds=data.draw(st.sampled_from([1, 5, 40]))))
        elif choice == "duplicate" and delivered:
            command, outcome = data.draw(st.sampled_from(delivered))
            scenario.reply(command.step, outcome, command=command)
        else:
            command = open_commands.pop(data.draw(st.integers(0, len(open_commands) - 1)))
            outcome = data.draw(st.sampled_from(list(ReplyOutcome)))
            if command.compensation and outcome is ReplyOutcome.REFUSED:
                outcome = ReplyOutcome.FAILED
            scenario.reply(command.step, outcome, command=command)
            delivered.append((command, outcome))
            replies.setdefault(command.step, []).append(outcome)
        known = {c.command_id for c in open_commands} | {c.command_id for c, _ in delivered}
        open_commands += [c for c in scenario.sent if c.command_id not in known]

    state = scenario.state
    assert state is not None
    if open_commands or state.timers:
        return  # ran out of moves with work still in flight; nothing to judge
    assert state.status in TERMINAL_STATUSES | {CaseStatus.NEEDS_ATTENTION}, state.status
    event(f"ended {state.status.value}")
    steps = state.steps
    if state.status is CaseStatus.COMPLETED:
        assert all(s.status in (StepStatus.SUCCEEDED, StepStatus.SKIPPED) for s in steps.values())
    if state.status is CaseStatus.REJECTED:
        assert any(ReplyOutcome.REFUSED in r for r in replies.values())
    if state.status in (CaseStatus.REJECTED, CaseStatus.COMPENSATED):
        # Nothing done before the pivot is left standing.
        for name, s in steps.items():
            if saga.step(name).kind is StepKind.COMPENSATABLE:
                assert s.status is not StepStatus.SUCCEEDED, name
    if state.status is CaseStatus.PARTIALLY_COMPLETED:
        assert any(
            s.status not in (StepStatus.SUCCEEDED, StepStatus.SKIPPED) for s in steps.values()
        )
    if state.status is CaseStatus.NEEDS_ATTENTION:
        assert any(s.attention for s in steps.values())
    # Each step's forward command succeeded at most once: one success reply accepted per step.
    for name in steps:
        accepted = [e for e in scenario.events if e.step == name and e.type == "step_succeeded"]
        assert len(accepted) <= 1, name
