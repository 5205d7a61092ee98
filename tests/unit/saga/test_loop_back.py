"""An objection during the public notice sends the case back to its checks: every round runs
again under new command ids and is named in the timeline, up to the row's bound."""

from __future__ import annotations

from datetime import timedelta

import pytest

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction
from saga.definition import DefinitionError, LoopBack, OnRefused, Saga, Step, StepKind
from saga.testing import Scenario
from tests.support.sample_saga import sample_saga

OBJECTION = LoopBack(to=("check_a", "check_b"), codes=("objection",), max_rounds=3)


def noticed(loop: LoopBack = OBJECTION) -> Scenario:
    """Accepted and checked: the notice is up."""
    scenario = Scenario(sample_saga(notice=loop)).start().succeed("accept")
    scenario.succeed("check_a", "check_b")
    assert StepStatus.DISPATCHED is scenario.step_status("notice")
    scenario.expect_sent("accept", "check_a", "check_b")
    return scenario


def object_to(scenario: Scenario) -> Scenario:
    return scenario.signal("notice", approved=False, reason_code="objection", reason="有人异议")


def test_an_objection_runs_the_checks_again_under_new_command_ids() -> None:
    scenario = object_to(noticed())
    again = scenario.expect_sent("check_a", "check_b")
    assert ["case-1:check_a:r2:1", "case-1:check_b:r2:1"] == sorted(c.command_id for c in again)
    assert StepStatus.PENDING is scenario.step_status("notice")
    scenario.succeed("check_a", "check_b")
    assert StepStatus.DISPATCHED is scenario.step_status("notice")  # re-noticed
    scenario.advance(timedelta(days=7, hours=7)).expect_sent("approve")
    assert CaseStatus.IN_PROGRESS is scenario.status


def test_every_round_is_named_in_the_timeline() -> None:
    scenario = object_to(noticed())
    [looped] = [e for e in scenario.events if e.type is CaseEventType.LOOPED_BACK]
    assert "notice" == looped.step and "objection" == looped.reason_code
    assert {
        "to": ["check_a", "check_b"],
        "rerun": ["check_a", "check_b", "notice"],
        "max_rounds": 3,
        "round": 2,
    } == looped.detail
    dispatched = [e for e in scenario.events if e.type is CaseEventType.STEP_DISPATCHED]
    assert [None, None, None, 2, 2] == [e.detail.get("round") for e in dispatched]


def test_a_late_answer_to_the_first_round_is_stale() -> None:
    from contracts.saga import ReplyOutcome

    scenario = noticed()
    first = scenario.latest("check_a")
    object_to(scenario)
    scenario.reply("check_a", ReplyOutcome.REFUSED, reason_code="late", command=first)
    assert StepStatus.DISPATCHED is scenario.step_status("check_a")
    assert CaseEventType.STALE_REPLY_IGNORED is scenario.events[-1].type


def test_a_redelivered_objection_changes_nothing() -> None:
    scenario = object_to(noticed())
    before = scenario.state
    again = scenario.redeliver_last()
    assert again.duplicate and [] == again.commands and before == scenario.state


def test_when_the_rounds_run_out_a_person_is_asked() -> None:
    scenario = noticed()
    for _ in range(2):
        object_to(scenario).succeed("check_a", "check_b")
    object_to(scenario)  # the third round's objection: no fourth round
    assert CaseEventType.LOOP_EXHAUSTED is scenario.events[-2].type
    assert CaseStatus.NEEDS_ATTENTION is scenario.status
    assert StepStatus.REFUSED is scenario.step_status("notice")
    assert 3 == scenario.state.steps["notice"].round  # type: ignore[union-attr]
    scenario.operator(OperatorAction.SKIP_STEP, "notice", reason="异议不成立")
    scenario.expect_sent("check_a", "check_b", "check_a", "check_b", "approve")


def test_a_row_can_reject_the_case_when_its_rounds_run_out() -> None:
    loop = LoopBack(
        to=("check_a",), codes=("objection",), max_rounds=2, on_exhausted=OnRefused.REJECT
    )
    scenario = object_to(noticed(loop)).succeed("check_a")
    object_to(scenario)
    assert CaseStatus.COMPENSATING is scenario.status
    scenario.succeed("check_b").succeed("accept")  # the undos, newest first
    assert CaseStatus.REJECTED is scenario.status
    assert "notice: rounds_exhausted" == scenario.state.outcome  # type: ignore[union-attr]


def test_a_result_can_send_the_case_back_through_a_predicate() -> None:
    loop = LoopBack(to=("check_b",), when=lambda ctx: bool(ctx.results["notice"].get("objection")))
    scenario = noticed(loop).signal("notice", data={"objection": "邻居反映"})
    [again] = scenario.expect_sent("check_b")
    assert "case-1:check_b:r2:1" == again.command_id
    assert StepStatus.SUCCEEDED is scenario.step_status("check_a")  # not a target: kept
    scenario.succeed("check_b").signal("notice").expect_sent("approve")


def test_a_step_run_again_is_undone_once_with_the_round_in_the_undo_id() -> None:
    scenario = object_to(noticed()).succeed("check_a", "check_b")
    scenario.operator(OperatorAction.WITHDRAW, reason="申请人撤回")
    assert "case-1:check_b:r2:undo:1" == scenario.latest("check_b").command_id


def step(name: str, kind: StepKind, *deps: str, **extra: object) -> Step:
    return Step(name, kind, "d", name.title(), depends_on=deps, **extra)  # type: ignore[arg-type]


def test_a_loop_must_go_back_to_a_step_it_depends_on() -> None:
    with pytest.raises(DefinitionError, match="'b' loops back to 'c', which it does not depend"):
        Saga("t", 1, (step("a", StepKind.READ_ONLY), step("c", StepKind.READ_ONLY),
                      step("b", StepKind.READ_ONLY, "a", loop_back=LoopBack(("c",), codes=("x",)))))  # fmt: skip


def test_a_loop_cannot_run_a_pivot_again() -> None:
    with pytest.raises(DefinitionError, match="over the pivot 'p'"):
        Saga("t", 1, (step("a", StepKind.READ_ONLY), step("p", StepKind.PIVOT, "a"),
                      step("b", StepKind.RETRIABLE, "p", loop_back=LoopBack(("a",), codes=("x",)))))  # fmt: skip


def test_a_step_that_would_keep_the_first_rounds_result_is_named() -> None:
    with pytest.raises(DefinitionError, match="'side' depends on it without leading to 'b'"):
        Saga("t", 1, (step("a", StepKind.READ_ONLY), step("side", StepKind.READ_ONLY, "a"),
                      step("b", StepKind.READ_ONLY, "a", loop_back=LoopBack(("a",), codes=("x",)))))  # fmt: skip


def test_a_notice_that_loops_on_objections_says_so_when_it_starts_and_others_do_not() -> None:
    scenario = noticed()
    [waiting] = [e for e in scenario.events if e.type is CaseEventType.STEP_WAITING]
    assert ("notice", True) == (waiting.step, waiting.detail.get("objections"))
    predicate = Scenario(sample_saga(notice=LoopBack(to=("check_a",), when=lambda _: False)))
    predicate.start().succeed("accept").succeed("check_a", "check_b")
    assert [None] == [
        e.detail.get("objections") for e in predicate.events if e.type is CaseEventType.STEP_WAITING
    ]
