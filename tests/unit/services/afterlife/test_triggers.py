"""Health facts start and reverse after-death cases: a certified death opens the proactive case,
a retraction reverses it (a reversal case after the pivot, a roll-back before it)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from contracts.departments.health import DeathCertified, DeathRetracted
from contracts.lifecycle import CaseStatus
from contracts.saga import ReverseCase, StartCase
from contracts.topics import Topics
from saga.definition import Saga
from saga.testing import Scenario
from services.afterlife import afterlife_reversal_saga
from services.afterlife.case_ids import afterlife_case_id
from services.afterlife.start import ReversalStart
from services.afterlife.triggers import react
from tests.support.sample_saga import run_to_pivot, sample_saga

DECEASED = "11010519491231002X"


def certified() -> DeathCertified:
    return DeathCertified(
        certificate_no=DECEASED,
        deceased_id=DECEASED,
        date_of_death=date(2025, 3, 1),
        division_code="321302",
        certified_at=datetime(2025, 3, 1, 8, tzinfo=UTC),
    )


def retracted() -> DeathRetracted:
    return DeathRetracted(
        certificate_no=DECEASED,
        deceased_id=DECEASED,
        reason="误报死亡",
        retracted_at=datetime(2025, 3, 9, tzinfo=UTC),
    )


def test_a_certified_death_opens_the_proactive_case_under_the_shared_id() -> None:
    [(topic, subject, start)] = react(certified())
    assert (topic, subject) == (Topics.CASE_REQUESTS, afterlife_case_id(DECEASED))
    assert isinstance(start, StartCase) and start.saga == "afterlife"
    assert start.data["channel"] == "proactive" and start.division_code == "321302"


def test_a_retraction_asks_the_case_to_reverse_into_the_reversal_saga() -> None:
    [(_, subject, reverse)] = react(retracted())
    assert isinstance(reverse, ReverseCase)
    assert reverse.reversal_saga == "afterlife_reversal" and subject == reverse.case_id


def test_past_the_pivot_the_case_is_reversed_and_a_reversal_case_opened_with_what_was_done() -> (
    None
):
    scenario = run_to_pivot(Scenario(sample_saga(), data={"want_y": False}))
    [(_, _, reverse)] = react(retracted())
    assert isinstance(reverse, ReverseCase)
    transition = scenario.deliver(reverse.model_copy(update={"case_id": scenario.case_id}))
    assert scenario.status is CaseStatus.REVERSED
    [opened] = transition.starts
    assert opened.saga == "afterlife_reversal"
    assert set(opened.data["done_steps"]) == {"accept", "check_a", "check_b", "approve"}
    ReversalStart.model_validate(opened.data)  # the reversal saga can start from it


def test_before_the_pivot_a_retraction_rolls_the_case_back() -> None:
    scenario = Scenario(sample_saga()).start().succeed("accept")
    [(_, _, reverse)] = react(retracted())
    scenario.deliver(reverse.model_copy(update={"case_id": scenario.case_id}))
    scenario.succeed("check_a", "check_b").succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.COMPENSATED


def test_the_reversal_saga_loads() -> None:
    assert isinstance(afterlife_reversal_saga(), Saga)
