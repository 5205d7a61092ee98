"""The after-death tables load, keep to the department catalogue, and have their intended shape:
one pivot, the heir steps before it or forward-only after it, D11 outside D13, quick retries for
the checks before the pivot and patient ones after it."""

from __future__ import annotations

from contracts.departments.catalogue import spec_for
from contracts.departments.spec import CommandKind
from saga.definition import Join, StepKind
from services.afterlife import ONE_THING, afterlife_reversal_saga, afterlife_saga
from services.afterlife.policies import BRANCH, CHECK, HOUSING_FUND


def test_the_table_loads_as_afterlife_version_1() -> None:
    saga = afterlife_saga()

    assert ("afterlife", 1) == (saga.name, saga.version)
    assert ONE_THING.name == saga.name


def test_confirming_the_death_is_the_only_pivot() -> None:
    pivots = [s.name for s in afterlife_saga().steps if s.kind is StepKind.PIVOT]

    assert ["confirm_death"] == pivots


def test_only_the_case_file_and_the_heir_account_can_be_undone() -> None:
    saga = afterlife_saga()
    undoable = {s.name: s.undo for s in saga.steps if s.kind is StepKind.COMPENSATABLE}

    assert {
        "accept": "CancelAfterDeathApplication",
        "register_heir_account": "DiscardHeirData",
    } == undoable


def test_every_branch_runs_after_the_pivot() -> None:
    saga = afterlife_saga()
    before = {s.name for s in saga.steps if not saga.after_pivot(s.name)}

    assert {
        "accept",
        "family_application",
        "family_window",
        "notify_next_of_kin",
        "verify_death",
        "verify_kinship",
        "check_agent_mandate",
        "register_heir_account",
        "confirm_death",
    } == before


def test_the_window_api_step_names_exist_and_are_a_task_and_a_timer() -> None:
    saga = afterlife_saga()

    # The window's form joins a proactive case while it waits at this step (the saga's merge).
    (application,) = ONE_THING.applications
    assert saga.merge is not None
    assert application.joins == saga.merge.waiting_step == "family_application"
    assert StepKind.HUMAN_TASK is saga.step("family_application").kind
    assert StepKind.TIMER is saga.step("family_window").kind


def test_the_completion_notice_waits_for_every_branch_but_the_housing_fund() -> None:
    saga = afterlife_saga()
    notice = saga.step("completion_notice")

    assert Join.SETTLED is notice.join
    assert "housing_fund_withdrawal" not in notice.depends_on
    assert "completion_notice" not in saga.downstream("housing_fund_withdrawal")
    assert {
        "record_cremation",
        "funeral_fee_waiver",
        "cancel_hukou",
        "stop_pension",
        "survivor_benefits",
        "end_medical_insurance",
        "pay_out_medical_account",
        "stop_welfare",
        "cancel_disability_card",
    } == set(notice.depends_on)


def test_every_row_names_the_replies_its_department_sends() -> None:
    for saga in (afterlife_saga(), afterlife_reversal_saga()):
        for step in saga.steps:
            if not step.sends_command:
                continue
            spec = spec_for(step.department, step.command)
            assert (spec.succeeded, spec.refused) == (step.succeeded, step.refused), step.name


def test_every_undo_is_the_catalogues_compensation_of_its_command() -> None:
    for step in afterlife_saga().steps:
        if step.undo is not None:
            spec = spec_for(step.department, step.undo)
            assert (CommandKind.COMPENSATE, step.command) == (spec.kind, spec.undoes)


def test_the_reversal_corrects_with_reversal_commands_and_has_no_pivot() -> None:
    saga = afterlife_reversal_saga()

    assert "afterlife_reversal" == saga.name
    for step in saga.steps:
        assert StepKind.RETRIABLE is step.kind
        kind = spec_for(step.department, step.command).kind
        # A correction reverses a forward step; the new ID card and the notice are acts.
        expected = CommandKind.REVERSE if step.corrects else CommandKind.ACT
        assert expected is kind, step.name
    assert ["reissue_id_card", "correction_notice"] == [
        s.name for s in saga.steps if s.corrects is None
    ]


def test_the_enrolment_ends_after_the_pivot_alone_and_the_payout_waits_for_the_heir() -> None:
    saga = afterlife_saga()
    end, payout = saga.step("end_medical_insurance"), saga.step("pay_out_medical_account")

    assert (("confirm_death",), Join.SUCCEEDED) == (end.depends_on, end.join)
    assert end.when is None  # for everyone, whether or not a family applies
    assert {
        "end_medical_insurance",
        "register_heir_account",
        "register_heir_account_late",
    } == set(payout.depends_on)
    assert Join.SUCCEEDED is payout.join  # no payout unless the termination succeeded
    assert ("not_enrolled",) == end.not_applicable == payout.not_applicable


def test_each_command_row_retries_as_its_phase_says_unless_it_says_otherwise() -> None:
    saga = afterlife_saga()
    commands = [s for s in (*saga.steps, *saga.on_rejected) if s.sends_command]
    own = {"notify_next_of_kin": BRANCH, "housing_fund_withdrawal": HOUSING_FUND}

    for step in commands:
        phase = BRANCH if saga.after_pivot(step.name) or saga.on_rejection(step.name) else CHECK
        assert own.get(step.name, phase) == step.retry, step.name
    assert {BRANCH} == {s.retry for s in afterlife_reversal_saga().steps}
