"""A reversal saga is derived from its forward saga: each correction row is checked against the
forward step it corrects and the catalogue's reversal of that step's command, a refusal fails
only its own row, and the rows retry as the forward rows after the pivot do."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contracts.departments.platform import ConfirmDeath
from contracts.departments.public_security import CancelHukou, ReissueIdCard, RestoreHukou
from contracts.departments.social_security import ResumePension, StopPension
from contracts.lifecycle import CaseStatus, StepStatus
from saga.definition import (
    DONE_STEPS,
    ORIGINAL_CASE_ID,
    Context,
    DefinitionError,
    OnRefused,
    RetryPolicy,
    Saga,
    StepKind,
)
from saga.reversal import reversal_saga
from saga.rows import command_row
from saga.testing import Scenario

PERSON = "11010519491231002X"
QUICK = RetryPolicy(max_attempts=2, timeout=timedelta(seconds=20))
PATIENT = RetryPolicy(max_attempts=9, timeout=timedelta(hours=1))
OWN = RetryPolicy(max_attempts=3, timeout=timedelta(minutes=3))
RETRY = StepKind.RETRIABLE


def confirm(_: Context) -> ConfirmDeath:
    return ConfirmDeath.model_construct(
        deceased_id=PERSON,
        date_of_death=date(2025, 3, 1),
        death_certificate_no=PERSON,
        division_code="321300",
    )


def cancel_hukou(_: Context) -> CancelHukou:
    return CancelHukou.model_construct(
        resident_id=PERSON, date_of_death=date(2025, 3, 1), death_certificate_no=PERSON
    )


def stop_pension(_: Context) -> StopPension:
    return StopPension.model_construct(resident_id=PERSON, date_of_death=date(2025, 3, 1))


def restore_hukou(ctx: Context) -> RestoreHukou:
    return RestoreHukou.model_construct(resident_id=PERSON, reason=str(ctx.data["why"]))


def resume_pension(ctx: Context) -> ResumePension:
    return ResumePension.model_construct(resident_id=PERSON, reason=str(ctx.data["why"]))


def reissue_id_card(ctx: Context) -> ReissueIdCard:
    return ReissueIdCard.model_construct(resident_id=PERSON, reason=str(ctx.data["why"]))


FORWARD = Saga(
    "forward",
    1,
    (
        command_row("confirm", StepKind.PIVOT, confirm),
        command_row("cancel_hukou", RETRY, cancel_hukou, depends_on=("confirm",)),
        command_row("stop_pension", RETRY, stop_pension, depends_on=("confirm",)),
    ),
    retry_before_pivot=QUICK,
    retry_after_pivot=PATIENT,
)
CORRECTIONS = {
    "stop_pension": command_row("resume_pension", RETRY, resume_pension, retry=OWN),
    "cancel_hukou": command_row("restore_hukou", RETRY, restore_hukou),
}
REISSUE = command_row("reissue_id_card", RETRY, reissue_id_card, depends_on=("restore_hukou",))


def derived() -> Saga:
    return reversal_saga(
        FORWARD, CORRECTIONS, name="forward_reversal", version=2, then=(REISSUE,), title="更正"
    )


def test_each_correction_row_corrects_its_forward_step_in_the_order_given() -> None:
    saga = derived()

    assert ("forward_reversal", 2, "更正") == (saga.name, saga.version, saga.title)
    assert [
        ("resume_pension", "stop_pension"),
        ("restore_hukou", "cancel_hukou"),
        ("reissue_id_card", None),
    ] == [(s.name, s.corrects) for s in saga.steps]


def test_a_refused_correction_fails_only_its_own_row_unless_the_row_says_otherwise() -> None:
    rejecting = command_row("restore_hukou", RETRY, restore_hukou, on_refused=OnRefused.ESCALATE)
    saga = reversal_saga(FORWARD, {"cancel_hukou": rejecting}, name="r", version=1)

    assert {OnRefused.FAIL_BRANCH} == {s.on_refused for s in derived().steps}
    assert OnRefused.ESCALATE is saga.step("restore_hukou").on_refused


def test_the_rows_retry_as_the_forward_rows_after_the_pivot_unless_they_say_otherwise() -> None:
    saga = derived()

    assert (OWN, PATIENT, PATIENT) == tuple(s.retry for s in saga.steps)


def test_a_row_correcting_a_step_the_forward_saga_lacks_is_refused_naming_it() -> None:
    with pytest.raises(
        DefinitionError, match="reversal r: step 'restore_hukou' corrects 'cancel_hukuo'"
    ):
        reversal_saga(FORWARD, {"cancel_hukuo": CORRECTIONS["cancel_hukou"]}, name="r", version=1)


def test_a_row_that_does_not_reverse_the_forward_command_is_refused_naming_it() -> None:
    with pytest.raises(
        DefinitionError,
        match=r"step 'resume_pension': social_security\.ResumePension does not reverse "
        r"public_security\.CancelHukou",
    ):
        reversal_saga(FORWARD, {"cancel_hukou": CORRECTIONS["stop_pension"]}, name="r", version=1)


def test_a_derived_reversal_corrects_only_what_the_reversed_case_did() -> None:
    data = {ORIGINAL_CASE_ID: "case-0", DONE_STEPS: ["confirm", "cancel_hukou"], "why": "错报"}
    scenario = Scenario(derived(), data=data).start()

    [restore] = scenario.expect_sent("restore_hukou")
    assert {"resident_id": PERSON, "reason": "错报"} == restore.payload
    assert StepStatus.SKIPPED is scenario.step_status("resume_pension")
    scenario.refuse("restore_hukou", "death_still_certified")
    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status
