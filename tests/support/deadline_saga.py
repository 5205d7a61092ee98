"""A saga that only waits for a clerk, under a 15-working-day case deadline and the same step
deadline: a case that stays open, so the tests can watch its deadlines move."""

from __future__ import annotations

from saga.definition import Deadline, DeadlineUnit, Saga, Step, StepKind

FIFTEEN_WORKING_DAYS = Deadline(15, DeadlineUnit.WORKING_DAY, starts_on="case_received")


def deadline_saga() -> Saga:
    return Saga(
        name="deadlines",
        version=1,
        case_deadline=FIFTEEN_WORKING_DAYS,
        steps=(Step("review", StepKind.HUMAN_TASK, deadline=FIFTEEN_WORKING_DAYS),),
    )
