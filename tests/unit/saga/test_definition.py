"""Loading a saga table checks it and says precisely what is wrong."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

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


# --- on_rejected steps and corrections -----------------------------------------------------------


def rejecting(*on_rejected: Step, steps: tuple[Step, ...] | None = None) -> Saga:
    main = steps or (undoable("a"), cmd("b", StepKind.PIVOT, "a"))
    return Saga(name="t", version=1, steps=main, on_rejected=on_rejected)


def test_on_rejected_steps_are_kept_apart_from_the_case_order() -> None:
    saga = rejecting(cmd("tell"), cmd("file", StepKind.RETRIABLE, "tell"))
    assert (saga.order, saga.rejection_order) == (("a", "b"), ("tell", "file"))
    assert saga.on_rejection("tell") and not saga.on_rejection("a")
    assert saga.step("file").depends_on == ("tell",)


def test_an_on_rejected_step_must_be_retriable() -> None:
    with pytest.raises(DefinitionError, match="on_rejected step 'tell' must be retriable"):
        rejecting(cmd("tell", StepKind.READ_ONLY))


def test_an_on_rejected_step_may_not_depend_on_the_case_steps() -> None:
    with pytest.raises(DefinitionError, match="'tell' depends on 'a'"):
        rejecting(cmd("tell", StepKind.RETRIABLE, "a"))


def test_a_case_step_may_not_depend_on_an_on_rejected_step() -> None:
    with pytest.raises(DefinitionError, match="step 'c' depends on on_rejected step 'tell'"):
        rejecting(cmd("tell"), steps=(undoable("a"), cmd("c", StepKind.RETRIABLE, "tell")))


def test_an_on_rejected_step_has_no_refusal_policy_of_its_own() -> None:
    from saga.definition import OnRefused

    with pytest.raises(DefinitionError, match="on_refused and supplement_codes do not apply"):
        rejecting(cmd("tell", on_refused=OnRefused.ESCALATE))


def test_on_rejected_names_share_the_tables_namespace() -> None:
    with pytest.raises(DefinitionError, match="step 'a' is defined twice"):
        rejecting(cmd("a"))


def test_only_an_on_rejected_step_counts_a_deadline_from_the_rejection() -> None:
    from saga.definition import CASE_REJECTED, Deadline, DeadlineUnit

    late = Deadline(3, DeadlineUnit.WORKING_DAY, CASE_REJECTED)
    rejecting(cmd("tell", deadline=late))  # fine
    with pytest.raises(DefinitionError, match="deadline starts on unknown event 'case_rejected'"):
        load(cmd("x", deadline=late))


def test_a_correction_must_send_a_command() -> None:
    with pytest.raises(DefinitionError, match="corrects 'stop' but sends no command"):
        load(Step("fix", StepKind.HUMAN_TASK, corrects="stop"))


def test_only_a_clerk_task_takes_a_task_form() -> None:
    class Findings(BaseModel):
        seen: bool

    with pytest.raises(DefinitionError, match="only a clerk task takes a task_form"):
        Saga("s", 1, (Step("visit", StepKind.HUMAN_TASK, task_form=Findings),))
