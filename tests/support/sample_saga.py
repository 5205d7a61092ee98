"""A small saga that knows nothing of any one-thing, used to test the runtime itself.

accept (compensatable) → check_a (read-only) ‖ check_b (compensatable) → approve (pivot)
→ notify_x ‖ notify_y (opt-in) → close (after both settle). ``sample_saga(on_rejected=True)``
adds a refusal notice (``tell_refusal``) run when the case is rejected, and a follow-up
(``file_refusal``) after it; ``sample_reversal_saga`` corrects ``notify_x`` and ``notify_y``.

``sample_saga(aid=True)`` adds a payment made first beside the checks: accept → aid (a pivot
that commits only its branch) → aid_receipt, while check_a ‖ check_b → approve go on.
``sample_saga(notice=LoopBack(...))`` puts a public notice (a 7-day timer step that loops back
as told) between the checks and approve. ``sample_saga(allowance=Recurrence(...))`` adds a
recurring ``allowance`` after approve (its payload names the period), and a ``stop`` task a
person completes when the recurrence lists it in ``ended_by``. ``sample_saga(clock_stops=True)``
gives the case a 10-working-day deadline and check_a a 5-working-day one, both stopping while
check_a waits for a 补正 (code ``material_missing``, 15 working days to bring it), and check_b
a 5-calendar-day deadline that does not stop.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from saga.definition import (
    CASE_REJECTED,
    Commits,
    Context,
    Deadline,
    DeadlineUnit,
    Join,
    LoopBack,
    Recurrence,
    RetryPolicy,
    Saga,
    Step,
    StepKind,
)
from saga.testing import Scenario

DEPT = "sample"
FAST = RetryPolicy(
    max_attempts=3,
    initial=timedelta(seconds=1),
    maximum=timedelta(seconds=4),
    timeout=timedelta(seconds=30),
)


def _payload(ctx: Context) -> dict[str, object]:
    return {"case": ctx.case_id, "refuse": list(ctx.data.get("refuse", []))}


def _step(name: str, kind: StepKind, *deps: str, **extra: object) -> Step:
    undo = (
        {"undo": f"Undo{name.title()}", "build_undo": _payload}
        if kind is StepKind.COMPENSATABLE
        else {}
    )
    return Step(
        name=name,
        kind=kind,
        department=DEPT,
        command=f"Do{name.title().replace('_', '')}",
        build=_payload,
        depends_on=deps,
        retry=FAST,
        **undo,  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _refusal(ctx: Context) -> dict[str, object]:
    return {"case": ctx.case_id, "reasons": [[r.step, r.reason_code] for r in ctx.refusals]}


def _on_rejected() -> tuple[Step, ...]:
    return (
        Step(
            name="tell_refusal",
            kind=StepKind.RETRIABLE,
            department=DEPT,
            command="SendRefusal",
            build=_refusal,
            retry=FAST,
            deadline=Deadline(3, DeadlineUnit.WORKING_DAY, starts_on=CASE_REJECTED),
        ),
        Step(
            name="file_refusal",
            kind=StepKind.RETRIABLE,
            department=DEPT,
            command="FileRefusal",
            build=_payload,
            retry=FAST,
            depends_on=("tell_refusal",),
            when=lambda ctx: bool(ctx.data.get("file", True)),
        ),
    )


def sample_reversal_saga() -> Saga:
    """Corrects what the sample case's branches did."""
    return Saga(
        name="sample_reversal",
        version=1,
        steps=(
            _step("unnotify_x", StepKind.RETRIABLE, corrects="notify_x"),
            _step("unnotify_y", StepKind.RETRIABLE, corrects="notify_y"),
        ),
    )


def _aid() -> tuple[Step, ...]:
    return (
        _step("aid", StepKind.PIVOT, "accept", commits=Commits.BRANCH),
        _step("aid_receipt", StepKind.RETRIABLE, "aid"),
    )


def _notice(loop: LoopBack | None) -> tuple[Step, ...]:
    if loop is None:
        return ()
    seven_days = Deadline(7, DeadlineUnit.CALENDAR_DAY)
    return (_step("notice", StepKind.TIMER, "check_a", "check_b", wait=seven_days, loop_back=loop),)


def _period_payload(ctx: Context) -> dict[str, object]:
    return {"case": ctx.case_id, "period": ctx.period}


def _allowance(recurrence: Recurrence | None) -> tuple[Step, ...]:
    if recurrence is None:
        return ()
    pay = _step("allowance", StepKind.RETRIABLE, "approve", recurs=recurrence)
    stop = Step("stop", StepKind.HUMAN_TASK, depends_on=("approve",))
    return (
        dataclasses.replace(pay, build=_period_payload),
        *((stop,) if "stop" in recurrence.ended_by else ()),
    )


def _stopping_clocks(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    marked = {
        "check_a": {
            "deadline": Deadline(5, DeadlineUnit.WORKING_DAY, suspends=True),
            "supplement_codes": {"material_missing": ("proof",)},
            "supplement_within": Deadline(15, DeadlineUnit.WORKING_DAY),
        },
        "check_b": {"deadline": Deadline(5, DeadlineUnit.CALENDAR_DAY)},
    }
    return tuple(dataclasses.replace(s, **marked.get(s.name, {})) for s in steps)  # type: ignore[arg-type]


def sample_saga(
    version: int = 1,
    on_rejected: bool = False,
    aid: bool = False,
    notice: LoopBack | None = None,
    allowance: Recurrence | None = None,
    clock_stops: bool = False,
) -> Saga:
    before_approval = ("notice",) if notice else ("check_a", "check_b")
    steps = (
        _step("accept", StepKind.COMPENSATABLE),
        *(_aid() if aid else ()),
        _step("check_a", StepKind.READ_ONLY, "accept"),
        _step("check_b", StepKind.COMPENSATABLE, "accept"),
        *_notice(notice),
        _step("approve", StepKind.PIVOT, *before_approval),
        _step(
            "notify_x",
            StepKind.RETRIABLE,
            "approve",
            deadline=Deadline(2, DeadlineUnit.WORKING_DAY, starts_on="case_received"),
        ),
        _step(
            "notify_y",
            StepKind.RETRIABLE,
            "approve",
            when=lambda ctx: bool(ctx.data.get("want_y", True)),
        ),
        _step("close", StepKind.RETRIABLE, "notify_x", "notify_y", join=Join.SETTLED),
        *_allowance(allowance),
    )
    ten_working_days = Deadline(10, DeadlineUnit.WORKING_DAY, "case_received", suspends=True)
    return Saga(
        name="sample",
        version=version,
        steps=_stopping_clocks(steps) if clock_stops else steps,
        case_deadline=ten_working_days if clock_stops else None,
        on_rejected=_on_rejected() if on_rejected else (),
    )


def run_to_pivot(scenario: Scenario) -> Scenario:
    """Start the case and take it, all replies successful, through its pivot."""
    scenario.start().expect_sent("accept")
    scenario.succeed("accept").expect_sent("check_a", "check_b")
    scenario.succeed("check_a", "check_b").expect_sent("approve")
    return scenario.succeed("approve")
