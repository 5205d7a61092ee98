"""The housing fund may take weeks: the family gets the completion notice without it, and the
withdrawal still finishes the case when it comes."""

from __future__ import annotations

from datetime import timedelta

from contracts.lifecycle import CaseStatus, StepStatus
from saga.testing import Scenario
from tests.unit.services.afterlife.support import ok, settle, to_pivot, window_case, window_scenario

FUND = "housing_fund_withdrawal"


def slow_fund_case() -> Scenario:
    scenario = window_scenario(window_case(opt_ins={"housing_fund_withdrawal": True}))
    return settle(to_pivot(scenario), hold=frozenset({FUND}))


def test_the_completion_notice_goes_out_before_the_housing_fund_answers() -> None:
    scenario = slow_fund_case()

    assert StepStatus.SUCCEEDED is scenario.step_status("completion_notice")
    assert StepStatus.DISPATCHED is scenario.step_status(FUND)
    lines = {i["item"]: i["status"] for i in scenario.latest("completion_notice").payload["items"]}
    assert "pending" == lines["住房公积金提取"]
    assert CaseStatus.IN_PROGRESS is scenario.status


def test_a_slow_reply_is_waited_for_days_before_another_attempt() -> None:
    scenario = slow_fund_case()

    scenario.advance(timedelta(days=2, hours=23))
    assert 1 == scenario.latest(FUND).attempt

    scenario.advance(timedelta(hours=1, minutes=10))  # past the 3-day reply timeout
    assert StepStatus.WAITING_RETRY is scenario.step_status(FUND)
    scenario.advance(timedelta(hours=2))  # about an hour's backoff
    assert 2 == scenario.latest(FUND).attempt


def test_the_withdrawal_arriving_later_completes_the_case() -> None:
    scenario = slow_fund_case()
    scenario.advance(timedelta(days=1))

    ok(scenario, FUND)

    assert CaseStatus.COMPLETED is scenario.status
