"""Loading a saga table checks it and says precisely what is wrong."""

from __future__ import annotations

import pytest

from saga.definition import DefinitionError, Saga, Step, StepKind


def cmd(name: str, kind: StepKind = StepKind.RETRIABLE, *deps: str, **extra: object) -> Step:
    return Step(name, kind, "dept", f"Do{name}", depends_on=deps, **extra)  # type: ignore[arg-type]


def undoable(name: str, *deps: str) -> Step:
    return cmd(name, StepKind.COMPENSATABLE, *deps, undo=f"Undo{name}", build_undo=lambda c: {})


def load(*steps: Step) -> Saga:
    return Saga(name="t", version=1, steps=steps)


def test_a_valid_table_loads_in_dependency_order() -> None:
    saga = load(cmd("c", StepKind.RETRIABLE, "b"), cmd("b", StepKind.PIVOT, "a"), undoable("a"))
    assert saga.order == ("a", "b", "c")
    assert saga.after_pivot("c") and not saga.after_pivot("a")


def test_duplicate_step_names_are_rejected() -> None:
    with pytest.raises(DefinitionError, match="step 'a' is defined twice"):
        load(undoable("a"), undoable("a"))


def test_unknown_dependency_is_named() -> None:
    with pytest.raises(DefinitionError, match="step 'b' depends on unknown step 'x'"):
        load(undoable("a"), cmd("b", StepKind.RETRIABLE, "x"))


def test_a_cycle_is_reported_with_its_path() -> None:
    with pytest.raises(DefinitionError, match="dependency cycle a -> c -> b -> a"):
        load(
            cmd("a", StepKind.RETRIABLE, "c"),
            cmd("b", StepKind.RETRIABLE, "a"),
            cmd("c", StepKind.RETRIABLE, "b"),
        )


def test_a_compensatable_step_after_a_pivot_is_rejected() -> None:
    with pytest.raises(DefinitionError, match="'late' is compensatable but runs after a pivot"):
        load(cmd("p", StepKind.PIVOT), undoable("late", "p"))


def test_a_compensatable_step_needs_its_undo() -> None:
    with pytest.raises(DefinitionError, match="'a' is compensatable but has no compensation"):
        load(cmd("a", StepKind.COMPENSATABLE))


def test_a_command_step_needs_a_department_and_command() -> None:
    with pytest.raises(DefinitionError, match="'a' \\(read_only\\) needs a department"):
        load(Step("a", StepKind.READ_ONLY))


def test_a_timer_step_needs_a_wait() -> None:
    with pytest.raises(DefinitionError, match="'t' is a timer step without a wait"):
        load(Step("t", StepKind.TIMER))
