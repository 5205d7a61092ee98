"""补正 (supplement requested, brought in or overdue), data that already completes a task, a timer
a person ends early, and a legal reversal after the pivot."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import ReverseCase
from saga.definition import Deadline, DeadlineUnit, Saga, Step, StepKind
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_saga


def with_supplement() -> Saga:
    saga = sample_saga()
    steps = tuple(
        dataclasses.replace(s, supplement_codes={"material_missing": ("kinship_proof",)})
        if s.name == "check_a"
        else s
        for s in saga.steps
    )
    return dataclasses.replace(saga, steps=steps)


def test_missing_material_pauses_the_step_until_the_supplement_arrives() -> None:
    scenario = Scenario(with_supplement()).start().succeed("accept").succeed("check_b")
    scenario.refuse("check_a", "material_missing", "缺少亲属关系证明")
    assert scenario.step_status("check_a") is StepStatus.WAITING_SUPPLEMENT
    assert scenario.status is CaseStatus.WAITING
    scenario.deliver(supplement(scenario.case_id, {"kinship_proof": "户口簿"}))
    [again] = scenario.expect_sent("accept", "check_a", "check_b", "check_a")[-1:]
    assert again.attempt == 2 and scenario.state is not None
    assert scenario.state.data["kinship_proof"] == "户口簿"
    scenario.succeed("check_a").expect_sent("approve")


def test_a_supplement_not_brought_in_time_rejects_the_case() -> None:
    scenario = Scenario(with_supplement()).start().succeed("accept").succeed("check_b")
    scenario.refuse("check_a", "material_missing")
    scenario.advance(timedelta(days=7, hours=6))  # Monday 3 March + 5 working days, evening
    assert scenario.step_status("check_a") is StepStatus.WAITING_SUPPLEMENT
    scenario.advance(timedelta(hours=1))
    scenario.succeed("check_b").succeed("accept")
    assert scenario.status is CaseStatus.REJECTED
    assert scenario.state is not None and scenario.state.outcome == "check_a: supplement_overdue"


def supplement(case_id: str, data: dict[str, object]):  # type: ignore[no-untyped-def]
    from contracts.saga import SupplementCase

    return SupplementCase(case_id=case_id, actor="window-01", data=data)


def gated_saga() -> Saga:
    return Saga(
        name="gated",
        version=1,
        steps=(
            Step("application", StepKind.HUMAN_TASK, done_when=lambda ctx: "applicant" in ctx.data),
            Step(
                "grace",
                StepKind.TIMER,
                wait=Deadline(30, DeadlineUnit.CALENDAR_DAY),
                when=lambda ctx: bool(ctx.data.get("proactive")),
            ),
            Step("act", StepKind.PIVOT, "platform", "Act", depends_on=("grace",)),
            Step("pay", StepKind.RETRIABLE, "platform", "Pay", depends_on=("act", "application")),
        ),
    )


def test_a_task_whose_material_is_already_in_the_application_is_done_at_once() -> None:
    scenario = Scenario(gated_saga(), data={"applicant": "family"}).start()
    assert scenario.step_status("application") is StepStatus.SUCCEEDED
    scenario.expect_sent("act")
    scenario.succeed("act").expect_sent("pay")


def test_a_person_can_end_a_wait_early_and_the_late_application_unblocks_payment() -> None:
    scenario = Scenario(gated_saga(), data={"proactive": True}).start()
    scenario.expect_sent()
    scenario.signal("grace", actor="window-01", reason="family applied")
    scenario.expect_sent("act")
    scenario.succeed("act").expect_sent()
    scenario.signal("application", data={"applicant": "family"}).expect_sent("pay")


def test_a_reversal_after_the_pivot_marks_the_case_reversed() -> None:
    scenario = run_to_pivot(Scenario(sample_saga(), data={"want_y": False}))
    scenario.succeed("notify_x").succeed("close")
    scenario.deliver(
        ReverseCase(
            case_id="case-1", reversal_case_id="case-1-R", actor="health", reason="死亡证明撤销"
        )
    )
    assert scenario.status is CaseStatus.REVERSED
    reversed_event = next(e for e in scenario.events if e.type is CaseEventType.CASE_REVERSED)
    assert reversed_event.detail == {"reversal_case_id": "case-1-R", "accepted": True}


def test_a_reversal_of_a_closed_case_that_never_passed_its_pivot_is_refused() -> None:
    scenario = Scenario(sample_saga()).start().refuse("accept", "no")
    assert scenario.status is CaseStatus.REJECTED
    scenario.deliver(
        ReverseCase(case_id="case-1", reversal_case_id="x", actor="health", reason="r")
    )
    assert scenario.status is CaseStatus.REJECTED
    assert scenario.events[-1].detail["accepted"] is False


def test_a_refusal_meaning_nothing_to_do_skips_the_branch_instead_of_failing_it() -> None:
    saga = sample_saga()
    steps = tuple(
        dataclasses.replace(s, not_applicable=("no_pension",)) if s.name == "notify_x" else s
        for s in saga.steps
    )
    scenario = run_to_pivot(Scenario(dataclasses.replace(saga, steps=steps)))
    scenario.refuse("notify_x", "no_pension", "未领取基本养老金")
    assert scenario.step_status("notify_x") is StepStatus.SKIPPED
    scenario.succeed("notify_y").succeed("close")
    assert scenario.status is CaseStatus.COMPLETED


def waiting_for_kinship_proof() -> Scenario:
    scenario = Scenario(with_supplement(), data={"person": {"id": "P-1", "name": "甲"}})
    scenario.start().succeed("accept").succeed("check_b")
    return scenario.refuse("check_a", "material_missing")


def test_a_supplement_setting_a_field_nobody_asked_for_is_refused_whole() -> None:
    scenario = waiting_for_kinship_proof()
    scenario.deliver(
        supplement(scenario.case_id, {"kinship_proof": "户口簿", "person": {"id": "P-2"}})
    )
    assert scenario.state is not None
    [refused] = [e for e in scenario.events if e.type is CaseEventType.SUPPLEMENT_REFUSED]
    assert (["person.id"], ["kinship_proof"]) == (
        refused.detail["fields"],
        refused.detail["requested"],
    )
    assert ({"id": "P-1", "name": "甲"}, False) == (
        scenario.state.data["person"],
        "kinship_proof" in scenario.state.data,
    )
    assert scenario.step_status("check_a") is StepStatus.WAITING_SUPPLEMENT


def test_a_supplement_for_a_nested_field_keeps_its_siblings_and_masks_its_value() -> None:
    saga = sample_saga()
    steps = tuple(
        dataclasses.replace(s, supplement_codes={"wrong_name": ("person.name",)})
        if s.name == "check_a"
        else s
        for s in saga.steps
    )
    scenario = Scenario(
        dataclasses.replace(saga, steps=steps), data={"person": {"id": "P-1", "name": "甲"}}
    )
    scenario.start().succeed("accept").succeed("check_b").refuse("check_a", "wrong_name")
    scenario.deliver(supplement(scenario.case_id, {"person": {"name": "乙"}}))
    assert scenario.state is not None
    [received] = [e for e in scenario.events if e.type is CaseEventType.SUPPLEMENT_RECEIVED]
    assert {"id": "P-1", "name": "乙"} == scenario.state.data["person"]
    assert ({"person.name": "***"}, ["check_a"]) == (
        received.detail["changed"],
        received.detail["resumed"],
    )


def test_a_supplement_when_nothing_waits_for_one_changes_nothing() -> None:
    scenario = Scenario(with_supplement(), data={"x": 1}).start()
    scenario.deliver(supplement(scenario.case_id, {"x": 2}))
    assert scenario.state is not None and scenario.state.data["x"] == 1
    assert CaseEventType.SUPPLEMENT_REFUSED is scenario.events[-1].type


def test_a_supplement_code_that_names_no_field_is_refused_when_the_table_loads() -> None:
    import pytest

    from saga.definition import DefinitionError

    saga = sample_saga()
    steps = tuple(
        dataclasses.replace(s, supplement_codes={"material_missing": ()})
        if s.name == "check_a"
        else s
        for s in saga.steps
    )
    with pytest.raises(DefinitionError, match="must name the fields a 补正 may set"):
        dataclasses.replace(saga, steps=steps)
