"""A pivot that commits only its own branch: an aid paid first stands however the rest of the
case ends, and everything else still rolls back when another branch is refused."""

from __future__ import annotations

import pytest

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import OperatorAction
from saga.definition import Commits, DefinitionError, Saga, Step, StepKind
from saga.testing import Scenario
from tests.support.sample_saga import sample_saga


def paid_first() -> Scenario:
    """The case accepted, the aid paid, the checks under way."""
    scenario = Scenario(sample_saga(aid=True)).start()
    scenario.succeed("accept").expect_sent("accept", "aid", "check_a", "check_b")
    return scenario.succeed("aid")


def test_the_aid_runs_beside_the_checks_and_the_case_completes_as_usual() -> None:
    scenario = paid_first().succeed("aid_receipt", "check_a", "check_b", "approve")
    scenario.succeed("notify_x", "notify_y", "close")
    assert CaseStatus.COMPLETED is scenario.status
    [paid] = [e for e in scenario.events if e.step == "aid" and e.type == "step_succeeded"]
    assert {"reply": "aid-succeeded", "branch_pivot": True} == paid.detail


def test_a_branch_pivot_does_not_commit_the_case() -> None:
    scenario = paid_first()
    assert scenario.state is not None and not scenario.state.pivot_passed
    scenario.operator(OperatorAction.WITHDRAW, reason="applicant withdrew")
    [action] = [e for e in scenario.events if e.type is CaseEventType.OPERATOR_ACTION]
    assert True is action.detail["accepted"]
    assert CaseStatus.COMPENSATING is scenario.status


def test_a_refusal_elsewhere_undoes_the_other_branch_but_not_what_the_aid_rests_on() -> None:
    scenario = paid_first().succeed("check_b").refuse("check_a", "not_eligible")
    scenario.expect_sent("aid_receipt", "check_b")
    assert "case-1:check_b:undo:1" == scenario.latest("check_b").command_id
    scenario.succeed("check_b")  # the undo
    scenario.expect_sent()  # accept is what the aid rests on: it is never undone
    assert StepStatus.SUCCEEDED is scenario.step_status("accept")
    assert CaseStatus.COMPENSATING is scenario.status  # the aid's own branch is still running
    scenario.succeed("aid_receipt")
    assert CaseStatus.REJECTED is scenario.status
    assert "check_a: not_eligible" == scenario.state.outcome  # type: ignore[union-attr]
    ended = scenario.events[-1]
    assert ["aid"] == ended.detail["branch_pivots"]
    assert "succeeded" == ended.detail["steps"]["aid_receipt"]
    assert "compensated" == ended.detail["steps"]["check_b"]
    assert "cancelled" == ended.detail["steps"]["approve"]


def test_the_standing_branch_retries_its_faults_during_the_roll_back() -> None:
    from datetime import timedelta

    scenario = paid_first().refuse("check_a", "not_eligible").succeed("check_b")
    scenario.fail("aid_receipt")
    assert StepStatus.WAITING_RETRY is scenario.step_status("aid_receipt")
    scenario.succeed("check_b")  # check_b's undo
    scenario.advance(timedelta(seconds=2))
    assert 2 == scenario.latest("aid_receipt").attempt
    scenario.succeed("aid_receipt")
    assert CaseStatus.REJECTED is scenario.status


def test_a_roll_back_waits_for_a_branch_pivot_in_flight_and_keeps_it_if_it_succeeds() -> None:
    scenario = Scenario(sample_saga(aid=True)).start().succeed("accept")
    scenario.refuse("check_a", "not_eligible").succeed("check_b")
    scenario.succeed("check_b")  # check_b undone; accept waits for the aid in flight
    assert not scenario.latest("accept").compensation
    scenario.succeed("aid")
    scenario.expect_sent("accept", "aid", "check_a", "check_b", "check_b", "aid_receipt")
    scenario.succeed("aid_receipt")
    assert CaseStatus.REJECTED is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("accept")


def test_a_branch_pivot_refused_during_the_roll_back_is_rolled_back_with_the_rest() -> None:
    scenario = Scenario(sample_saga(aid=True)).start().succeed("accept")
    scenario.refuse("check_a", "not_eligible").succeed("check_b").succeed("check_b")
    scenario.refuse("aid", "no_funds")
    assert scenario.latest("accept").compensation
    scenario.succeed("accept")
    assert CaseStatus.REJECTED is scenario.status
    assert "branch_pivots" not in scenario.events[-1].detail
    assert StepStatus.CANCELLED is scenario.step_status("aid_receipt")


def test_a_withdrawal_after_the_aid_keeps_the_aid_and_ends_withdrawn() -> None:
    scenario = paid_first().succeed("aid_receipt", "check_b")
    scenario.operator(OperatorAction.WITHDRAW, reason="applicant withdrew")
    scenario.succeed("check_a").succeed("check_b")
    assert CaseStatus.WITHDRAWN is scenario.status
    assert StepStatus.SUCCEEDED is scenario.step_status("accept")


def test_a_refusal_after_the_case_pivot_still_fails_only_its_branch() -> None:
    scenario = paid_first().succeed("aid_receipt", "check_a", "check_b", "approve")
    scenario.refuse("notify_x", "local_rule").succeed("notify_y", "close")
    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status


def test_only_a_pivot_commits_a_branch() -> None:
    with pytest.raises(DefinitionError, match="'x' commits its branch but is retriable"):
        Saga("t", 1, (Step("x", StepKind.RETRIABLE, "d", "X", commits=Commits.BRANCH),))


def test_a_branch_pivot_after_a_case_pivot_commits_nothing_more() -> None:
    with pytest.raises(DefinitionError, match="'b' commits its branch after the pivot 'a'"):
        Saga(
            "t",
            1,
            (
                Step("a", StepKind.PIVOT, "d", "A"),
                Step("b", StepKind.PIVOT, "d", "B", depends_on=("a",), commits=Commits.BRANCH),
            ),
        )


def test_the_branch_is_what_the_pivot_rests_on_and_what_follows_from_it_alone() -> None:
    saga = sample_saga(aid=True)
    assert frozenset({"accept", "aid", "aid_receipt"}) == saga.branch("aid")
    assert ("aid",) == saga.branch_pivots


def test_the_refusal_notice_goes_out_once_the_rest_is_undone_and_the_aid_stands() -> None:
    scenario = Scenario(sample_saga(aid=True, on_rejected=True)).start().succeed("accept")
    scenario.succeed("aid").refuse("check_a", "not_eligible").succeed("check_b")
    scenario.succeed("check_b").succeed("aid_receipt")  # check_b undone, the aid's branch done
    [notice] = [c for c in scenario.sent if c.step == "tell_refusal"]
    assert {"case": "case-1", "reasons": [["check_a", "not_eligible"]]} == notice.payload
    scenario.succeed("tell_refusal").succeed("file_refusal")
    assert CaseStatus.REJECTED is scenario.status
    assert ["aid"] == scenario.events[-1].detail["branch_pivots"]


def test_a_person_may_retry_the_standing_branch_while_the_rest_rolls_back() -> None:
    from datetime import timedelta

    scenario = paid_first().refuse("check_a", "not_eligible").succeed("check_b")
    for _ in range(3):
        scenario.fail("aid_receipt").advance(timedelta(seconds=10))
    assert CaseStatus.NEEDS_ATTENTION is scenario.status
    scenario.operator(OperatorAction.RETRY_STEP, "aid_receipt")
    [action] = [e for e in scenario.events if e.type is CaseEventType.OPERATOR_ACTION]
    assert True is action.detail["accepted"]
    assert 4 == scenario.latest("aid_receipt").attempt
