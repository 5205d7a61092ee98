"""A deadline a division sets for itself from a day on (``Deadline.local``): Suqian decides dibao
within 15 working days of acceptance where the national rule gives 30."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from saga.calendar import due_at
from saga.definition import Deadline, DeadlineUnit, LocalDeadline, RetryPolicy, Saga, Step, StepKind
from saga.testing import FakeClock, Scenario

SUQIAN = LocalDeadline("321300", date(2025, 1, 1), 15, DeadlineUnit.WORKING_DAY)
DECISION = Deadline(30, DeadlineUnit.WORKING_DAY, starts_on="case_received", local=(SUQIAN,))
# Monday 2025-03-03, 09:00 in China.
APPLIED = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def saga(deadline: Deadline = DECISION) -> Saga:
    step = Step("check", StepKind.READ_ONLY, "civil_affairs", "Check",
                retry=RetryPolicy(timeout=None), deadline=deadline)  # fmt: skip
    return Saga(name="assessed", version=1, steps=(step,), case_deadline=deadline)


def deadlines(division: str, applied: datetime = APPLIED) -> tuple[datetime, datetime]:
    scenario = Scenario(saga(), clock=FakeClock(applied), division_code=division).start()
    assert scenario.state is not None
    step_due = scenario.state.steps["check"].deadline_at
    assert scenario.state.deadline_at is not None and step_due is not None
    return scenario.state.deadline_at, step_due


def working_days(value: int, applied: datetime = APPLIED) -> datetime:
    return due_at(applied, value, "working_day").at


def test_a_case_in_suqian_counts_15_working_days() -> None:
    assert (working_days(15), working_days(15)) == deadlines("321300")


def test_a_district_inside_suqian_counts_its_citys_period() -> None:
    assert working_days(15) == deadlines("321302")[0]


def test_elsewhere_the_national_30_working_days_apply() -> None:
    assert working_days(30) == deadlines("321200")[0]


def test_before_the_override_took_effect_the_national_period_applies() -> None:
    applied = datetime(2024, 12, 2, 1, 0, tzinfo=UTC)
    assert working_days(30, applied) == deadlines("321300", applied)[0]


def test_the_latest_override_in_force_and_the_most_specific_division_win() -> None:
    later = LocalDeadline("321300", date(2025, 3, 1), 10, DeadlineUnit.WORKING_DAY)
    district = LocalDeadline("321302", date(2020, 1, 1), 20, DeadlineUnit.WORKING_DAY)
    deadline = Deadline(30, DeadlineUnit.WORKING_DAY, local=(SUQIAN, later, district))
    assert (10, 20) == (
        deadline.in_force("321311", date(2025, 3, 3)).value,
        deadline.in_force("321302", date(2025, 3, 3)).value,
    )
    assert 15 == deadline.in_force("321311", date(2025, 2, 28)).value


def test_an_override_for_a_malformed_division_is_refused_when_the_table_is_built() -> None:
    with pytest.raises(ValueError, match="division code"):
        LocalDeadline("3213", date(2025, 1, 1), 15, DeadlineUnit.WORKING_DAY)
