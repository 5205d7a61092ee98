"""The new course columns keep the engine a pure function: the same story told twice gives
byte-identical commands and events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from contracts.saga import SupplementCase
from saga.definition import LoopBack, Recurrence
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_saga


def branch_pivot() -> Scenario:
    scenario = Scenario(sample_saga(aid=True)).start().succeed("accept").succeed("aid")
    return scenario.refuse("check_a", "no").succeed("check_b").succeed("check_b", "aid_receipt")


def loop_back() -> Scenario:
    loop = LoopBack(to=("check_a", "check_b"), codes=("objection",))
    scenario = Scenario(sample_saga(notice=loop)).start().succeed("accept")
    scenario.succeed("check_a", "check_b").signal("notice", approved=False, reason_code="objection")
    return scenario.succeed("check_a", "check_b").advance(timedelta(days=8))


def recurring() -> Scenario:
    scenario = run_to_pivot(Scenario(sample_saga(allowance=Recurrence())))
    scenario.succeed("allowance").advance(timedelta(days=29))
    return scenario.succeed("allowance")


def clock_stops() -> Scenario:
    scenario = Scenario(sample_saga(clock_stops=True)).start().succeed("accept")
    scenario.refuse("check_a", "material_missing").advance(timedelta(days=3))
    scenario.deliver(SupplementCase(case_id="case-1", actor="w", data={"proof": "证明"}))
    return scenario


@pytest.mark.parametrize("story", [branch_pivot, loop_back, recurring, clock_stops])
def test_the_same_story_gives_byte_identical_outputs(story: Callable[[], Scenario]) -> None:
    first, second = story(), story()
    assert [e.model_dump_json() for e in first.events] == [
        e.model_dump_json() for e in second.events
    ]
    assert [c.model_dump_json() for c in first.sent] == [c.model_dump_json() for c in second.sent]
    assert first.state is not None and second.state is not None
    assert first.state.model_dump_json() == second.state.model_dump_json()
