"""A certified death opens the case (免申即享): the next of kin are told, the pivot waits for the
grace period or the family, benefits stop without them, and the heirs' payouts wait for their
application, which the window API merges into the case."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from contracts.lifecycle import TERMINAL_STATUSES, CaseStatus, StepStatus
from contracts.saga import StartCase
from saga.definition import Deadline, DeadlineUnit
from services.afterlife import GRACE_DAYS, ProactiveStart, afterlife_saga
from services.afterlife.settings import AfterlifeSettings, afterlife_settings
from services.afterlife.triggers import react
from tests.unit.services.afterlife.support import (
    CHILD_ID,
    DECEASED_ID,
    HEIR_REF,
    STOPPING,
    death_certified,
    family_applies,
    ok,
    proactive_case,
    proactive_scenario,
    settle,
)

PAYOUTS = ("survivor_benefits", "pay_out_medical_account")
# From Monday 3 March 09:00 UTC to just past the period's end, 10 March 24:00 in China; no
# further, or the pivot's own reply timeouts would fire too.
GRACE = timedelta(days=GRACE_DAYS, hours=7)


def test_a_certified_death_becomes_proactive_case_data_without_personal_extras() -> None:
    assert {
        "channel": "proactive",
        "deceased_id": DECEASED_ID,
        "date_of_death": "2025-03-01",
        "death_certificate_no": DECEASED_ID,
        "certified_at": "2025-03-03T08:30:00Z",
        "grace_days": 7,
    } == proactive_case()


def test_the_grace_period_must_be_between_one_day_and_two_months() -> None:
    for days in (0, 61):
        with pytest.raises(ValidationError, match="grace_days"):
            ProactiveStart.model_validate(proactive_case() | {"grace_days": days})


def test_a_deployment_sets_the_grace_period_for_the_table_and_the_case_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ONETHING_AFTERLIFE_GRACE_DAYS", "3")
    afterlife_settings.cache_clear()
    try:
        wait = afterlife_saga().step("family_window").wait
        [(_, _, start)] = react(death_certified())
    finally:
        afterlife_settings.cache_clear()

    assert wait == Deadline(3, DeadlineUnit.CALENDAR_DAY)
    assert isinstance(start, StartCase) and start.data["grace_days"] == 3


def test_a_grace_period_out_of_range_is_refused_naming_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ONETHING_AFTERLIFE_GRACE_DAYS", "0")
    with pytest.raises(ValidationError, match="grace_days"):
        AfterlifeSettings()


def test_without_the_family_benefits_stop_after_the_grace_period_and_payouts_wait() -> None:
    scenario = proactive_scenario()
    ok(scenario, "accept").expect_sent("accept", "notify_next_of_kin", "verify_death")
    assert StepStatus.WAITING_SIGNAL is scenario.step_status("family_application")
    ok(scenario, "notify_next_of_kin", "verify_death").expect_sent()  # the grace period runs
    scenario.advance(GRACE - timedelta(hours=1))
    assert StepStatus.DISPATCHED is scenario.step_status("family_window")

    scenario.advance(timedelta(hours=1))

    assert StepStatus.SUCCEEDED is scenario.step_status("family_window")
    ok(scenario, "confirm_death").expect_sent("confirm_death", *STOPPING)
    assert "heir_account_ref" not in scenario.latest("end_medical_insurance").payload
    ok(scenario, *STOPPING).expect_sent("funeral_fee_waiver")  # the form's default: waived
    ok(scenario, "funeral_fee_waiver")
    assert StepStatus.SUCCEEDED is scenario.step_status("end_medical_insurance")
    for step in (*PAYOUTS, "housing_fund_withdrawal", "completion_notice"):
        assert StepStatus.PENDING is scenario.step_status(step), step
    assert StepStatus.WAITING_SIGNAL is scenario.step_status("family_application")
    assert scenario.status not in TERMINAL_STATUSES
    assert CaseStatus.WAITING is scenario.status


def test_a_family_applying_in_the_grace_period_ends_it_and_their_checks_run_after_the_pivot() -> (
    None
):
    scenario = ok(proactive_scenario(), "accept", "notify_next_of_kin", "verify_death")
    scenario.expect_sent("accept", "notify_next_of_kin", "verify_death")

    family_applies(scenario)

    assert StepStatus.SUCCEEDED is scenario.step_status("family_window")
    ok(scenario, "confirm_death").expect_sent("confirm_death", *STOPPING, "verify_kinship_late")
    assert CHILD_ID == scenario.latest("verify_kinship_late").payload["applicant_id"]
    ok(scenario, "verify_kinship_late").expect_sent("register_heir_account_late")
    ok(scenario, "register_heir_account_late").expect_sent()  # the payouts wait for D8, D10
    ok(scenario, "stop_pension", "end_medical_insurance").expect_sent(*PAYOUTS)
    assert HEIR_REF == scenario.latest("pay_out_medical_account").payload["heir_account_ref"]
    settle(scenario)

    assert CaseStatus.COMPLETED is scenario.status
    assert StepStatus.SKIPPED is scenario.step_status("verify_kinship")
    assert StepStatus.SKIPPED is scenario.step_status("register_heir_account")
    assert HEIR_REF == scenario.latest("survivor_benefits").payload["heir_account_ref"]
    assert [CHILD_ID] == scenario.latest("completion_notice").payload["recipient_ids"]


def test_a_family_applying_after_the_grace_period_still_gets_the_payouts() -> None:
    scenario = ok(proactive_scenario(), "accept", "notify_next_of_kin", "verify_death")
    scenario.advance(GRACE)
    settle(ok(scenario, "confirm_death"))

    family_applies(scenario)  # the family_window signal comes too late and is ignored
    settle(scenario)

    assert CaseStatus.COMPLETED is scenario.status
    for step in PAYOUTS:
        assert StepStatus.SUCCEEDED is scenario.step_status(step), step
    assert HEIR_REF == scenario.latest("pay_out_medical_account").payload["heir_account_ref"]


def test_kinship_refused_after_the_pivot_fails_the_payouts_but_ends_the_enrolment() -> None:
    scenario = ok(proactive_scenario(), "accept", "notify_next_of_kin", "verify_death")
    family_applies(scenario)
    ok(scenario, "confirm_death")
    scenario.refuse("verify_kinship_late", "person_not_found")
    settle(scenario)

    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
    for step in PAYOUTS:  # no payout without a registered account
        assert StepStatus.CANCELLED is scenario.step_status(step), step
    assert StepStatus.SUCCEEDED is scenario.step_status("end_medical_insurance")
    assert StepStatus.SUCCEEDED is scenario.step_status("completion_notice")


def test_no_next_of_kin_to_notify_is_reported_and_does_not_stop_the_case() -> None:
    scenario = ok(proactive_scenario(), "accept", "verify_death")
    scenario.refuse("notify_next_of_kin", "no_next_of_kin")
    scenario.advance(GRACE)

    assert StepStatus.REFUSED is scenario.step_status("notify_next_of_kin")
    assert "confirm_death" == scenario.latest("confirm_death").step


def test_the_death_confirmed_is_the_certified_one() -> None:
    scenario = ok(proactive_scenario(), "accept", "notify_next_of_kin", "verify_death")
    scenario.advance(GRACE)

    event = death_certified()
    assert {
        "deceased_id": event.deceased_id,
        "date_of_death": "2025-03-01",
        "death_certificate_no": event.certificate_no,
        "division_code": event.division_code,
    } == scenario.latest("confirm_death").payload
