"""The after-death money as it travels through the case: survivor benefits carry the overpayment
stop_pension answered, an insured person with no pension in payment still has them, only the
never insured are not applicable, and a pension that cannot be stopped fails its branch."""

from __future__ import annotations

from contracts.lifecycle import CaseStatus, StepStatus
from contracts.saga import ReplyOutcome
from tests.unit.services.afterlife.support import (
    REPLIES,
    STOPPING,
    ok,
    settle,
    to_pivot,
    window_scenario,
)

OTHER_STOPS = tuple(s for s in STOPPING if s != "stop_pension")
OVERPAID = {
    "stopped_from": "2025-04",
    "last_paid_month": "2025-06",
    "overpaid_months": 3,
    "overpayment_fen": 900_000,
}


def test_survivor_benefits_are_asked_net_of_the_overpayment_stop_pension_answered() -> None:
    scenario = ok(to_pivot(window_scenario()), *OTHER_STOPS)
    sent = {c.step for c in scenario.sent}
    assert "stop_pension" in sent and "survivor_benefits" not in sent  # it waits for D8
    scenario.succeed("stop_pension", data=OVERPAID)

    assert 900_000 == scenario.latest("survivor_benefits").payload["overpayment_fen"]


def test_an_insured_person_with_no_pension_in_payment_still_has_survivor_benefits() -> None:
    scenario = ok(to_pivot(window_scenario()), *OTHER_STOPS)
    scenario.refuse("stop_pension", "no_pension")

    assert StepStatus.SKIPPED is scenario.step_status("stop_pension")
    assert 0 == scenario.latest("survivor_benefits").payload["overpayment_fen"]
    settle(scenario)
    assert CaseStatus.COMPLETED is scenario.status
    assert scenario.state is not None
    assert REPLIES["survivor_benefits"] == scenario.state.results["survivor_benefits"]


def test_someone_never_insured_has_no_survivor_benefits_and_the_case_still_completes() -> None:
    scenario = ok(to_pivot(window_scenario()), *OTHER_STOPS)
    scenario.refuse("stop_pension", "no_pension")
    scenario.refuse("survivor_benefits", "not_insured")
    settle(scenario)

    assert StepStatus.SKIPPED is scenario.step_status("survivor_benefits")
    assert CaseStatus.COMPLETED is scenario.status


def test_a_pension_refused_for_an_uncertified_death_fails_its_branch_and_pays_nothing() -> None:
    scenario = ok(to_pivot(window_scenario()), *OTHER_STOPS)
    scenario.reply("stop_pension", ReplyOutcome.REFUSED, reason_code="death_not_certified")
    settle(scenario)

    assert StepStatus.REFUSED is scenario.step_status("stop_pension")
    assert "survivor_benefits" not in {c.step for c in scenario.sent}
    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
