"""While a 补正 is awaited the statutory clock stops; when the material arrives it goes on and
every marked deadline moves by the time it stood still, in working days where it counts them."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from contracts.lifecycle import CaseEvent, CaseEventType, CaseStatus
from contracts.saga import SupplementCase
from onething.readmodel.fake import InMemoryReadModel
from saga.calendar import due_at_extended, stood_still
from saga.testing import Scenario
from tests.support.sample_saga import sample_saga

MONDAY = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # 17:00 in China
THURSDAY_EVENING = datetime(2025, 3, 6, 10, 0, tzinfo=UTC)


def end_of(day: int, month: int = 3) -> datetime:
    """The end of a day in China, in UTC."""
    return datetime(2025, month, day, 15, 59, 59, 999999, tzinfo=UTC)


def waiting() -> Scenario:
    """Accepted on Monday 3 March; check_a asks for material, check_b is done."""
    scenario = Scenario(sample_saga(clock_stops=True)).start().succeed("accept")
    scenario.succeed("check_b").refuse("check_a", "material_missing", "缺少证明材料")
    return scenario


def bring(scenario: Scenario) -> Scenario:
    scenario.deliver(SupplementCase(case_id="case-1", actor="window-01", data={"proof": "证明"}))
    return scenario


def of(scenario: Scenario, kind: CaseEventType) -> list[CaseEvent]:
    return [e for e in scenario.events if e.type is kind]


def test_the_clock_stops_when_material_is_asked_for() -> None:
    scenario = waiting()
    assert CaseStatus.WAITING is scenario.status
    [stopped] = of(scenario, CaseEventType.CLOCK_SUSPENDED)
    assert {"stopped": ["case:deadline", "check_a:deadline"]} == stopped.detail
    assert scenario.state is not None
    assert {"check_a:supplement"} == set(scenario.state.timers)  # nothing else can fire


def test_the_deadlines_move_by_the_working_days_the_clock_stood_still() -> None:
    scenario = waiting().advance(THURSDAY_EVENING - MONDAY)
    bring(scenario)  # Tuesday, Wednesday and Thursday did not count
    assert scenario.state is not None
    assert (end_of(20), end_of(13)) == (
        scenario.state.deadline_at,
        scenario.state.steps["check_a"].deadline_at,
    )
    assert end_of(10) == scenario.state.steps["check_b"].deadline_at  # not marked: unmoved
    [case, step] = of(scenario, CaseEventType.CLOCK_RESUMED)
    assert (None, end_of(20)) == (case.step, case.deadline_at)
    assert [("case_deadline", 3), ("step_deadline", 3)] == [
        (m["timer"], m["stood_still"]) for m in case.detail["moved"]
    ]
    assert ("check_a", end_of(13)) == (step.step, step.deadline_at)
    assert end_of(13) == scenario.latest("check_a").deadline_at  # the command says so too


def test_a_deadline_that_would_have_passed_while_stopped_does_not_fire() -> None:
    scenario = waiting().advance(datetime(2025, 3, 18, 2, 0, tzinfo=UTC) - MONDAY)
    assert [] == of(scenario, CaseEventType.OVERDUE)
    bring(scenario)  # eleven working days stood still: 4–7, 10–14, 17 and 18 March
    assert scenario.state is not None and end_of(1, 4) == scenario.state.deadline_at
    scenario.succeed("check_a").succeed("approve")
    scenario.advance(end_of(1, 4) - scenario.clock.now() + timedelta(seconds=1))
    assert [None] == [e.step for e in of(scenario, CaseEventType.OVERDUE) if e.step is None]


def test_a_second_supplement_adds_to_the_first() -> None:
    scenario = waiting().advance(THURSDAY_EVENING - MONDAY)
    bring(scenario).refuse("check_a", "material_missing")  # asked again on Thursday
    scenario.advance(datetime(2025, 3, 10, 2, 0, tzinfo=UTC) - scenario.clock.now())
    bring(scenario)  # Friday and Monday: two more
    assert scenario.state is not None and end_of(24) == scenario.state.deadline_at


def test_the_read_model_shows_the_moved_case_deadline() -> None:
    scenario = bring(waiting().advance(THURSDAY_EVENING - MONDAY))
    model = InMemoryReadModel()
    for event in scenario.events:
        asyncio.run(model.apply(event))
    summary = asyncio.run(model.summary("case-1"))
    assert summary is not None and end_of(20).isoformat() == summary["deadline_at"]
    steps = asyncio.run(model.steps("case-1"))
    assert end_of(13).isoformat() == steps["check_a"]["deadline_at"]


def test_a_redelivered_supplement_moves_nothing_again() -> None:
    scenario = bring(waiting().advance(THURSDAY_EVENING - MONDAY))
    before = scenario.state
    assert scenario.redeliver_last().duplicate and before == scenario.state


def test_a_saga_with_no_marked_deadline_never_stops_its_clock() -> None:
    from tests.unit.saga.test_supplement_and_reversal import supplement, with_supplement

    scenario = Scenario(with_supplement()).start().succeed("accept").succeed("check_b")
    scenario.refuse("check_a", "material_missing")
    scenario.deliver(supplement(scenario.case_id, {"kinship_proof": "户口簿"}))
    clocks = {CaseEventType.CLOCK_SUSPENDED, CaseEventType.CLOCK_RESUMED}
    assert [] == [e for e in scenario.events if e.type in clocks]


@pytest.mark.parametrize(
    ("since", "until", "unit", "expected"),
    [
        (MONDAY, THURSDAY_EVENING, "working_day", 3),
        (
            datetime(2025, 3, 7, 9, tzinfo=UTC),
            datetime(2025, 3, 10, 2, tzinfo=UTC),
            "working_day",
            1,
        ),
        (
            datetime(2025, 9, 30, 9, tzinfo=UTC),
            datetime(2025, 10, 9, 2, tzinfo=UTC),
            "working_day",
            1,
        ),
        (MONDAY, THURSDAY_EVENING, "calendar_day", 3),
        (MONDAY, MONDAY + timedelta(minutes=90), "hour", 5400),
        (THURSDAY_EVENING, MONDAY, "working_day", 0),
    ],
)
def test_how_long_a_clock_stood_still(
    since: datetime, until: datetime, unit: str, expected: int
) -> None:
    assert expected == stood_still(since, until, unit)


def test_a_month_deadline_moves_by_calendar_days_then_to_a_working_day() -> None:
    # 3 April + 3 days is Sunday 6 April, in the Qingming holiday: Monday 7 April
    assert end_of(7, 4) == due_at_extended(MONDAY, 1, "month", 3).at
    assert MONDAY + timedelta(hours=2, seconds=90) == due_at_extended(MONDAY, 2, "hour", 90).at
