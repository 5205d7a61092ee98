"""A table sets its retry policies once per phase: a row without its own policy takes the one of
its phase (before the pivot, after it, or the rejection steps, which run once the case is
decided); a row's own policy wins; a table that sets none runs as before. And a builder may
return the command's payload model: the command carries the fields it set, as JSON."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import BaseModel

from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from saga.definition import (
    DEFAULT_RETRY,
    Commits,
    Context,
    DefinitionError,
    OnExhausted,
    RetryPolicy,
    Saga,
    Step,
    StepKind,
    to_json,
)
from saga.testing import Scenario

QUICK = RetryPolicy(max_attempts=2, initial=timedelta(seconds=1), timeout=timedelta(seconds=20))
PATIENT = RetryPolicy(max_attempts=9, initial=timedelta(minutes=1), timeout=timedelta(hours=1))
OWN = RetryPolicy(max_attempts=4, timeout=timedelta(minutes=3))


def cmd(name: str, kind: StepKind, *deps: str, **extra: Any) -> Step:
    return Step(name, kind, "dept", f"Do{name}", depends_on=deps, **extra)


def table(**columns: Any) -> Saga:
    steps = (
        cmd("check", StepKind.READ_ONLY),
        cmd("own", StepKind.READ_ONLY, retry=OWN),
        cmd("decide", StepKind.PIVOT, "check", "own"),
        cmd("branch", StepKind.RETRIABLE, "decide"),
        cmd("branch_own", StepKind.RETRIABLE, "decide", retry=OWN),
    )
    return Saga("t", 1, steps, on_rejected=(cmd("tell", StepKind.RETRIABLE),), **columns)


def test_a_row_without_a_policy_takes_the_default_of_its_phase() -> None:
    saga = table(retry_before_pivot=QUICK, retry_after_pivot=PATIENT)

    assert {
        "check": QUICK,
        "decide": QUICK,  # the pivot itself is before: someone may be waiting at the counter
        "branch": PATIENT,
        "tell": PATIENT,  # a rejection step runs once the case is decided
    } == {name: saga.step(name).retry for name in ("check", "decide", "branch", "tell")}


def test_a_rows_own_policy_wins_over_its_phase() -> None:
    saga = table(retry_before_pivot=QUICK, retry_after_pivot=PATIENT)

    assert (OWN, OWN) == (saga.step("own").retry, saga.step("branch_own").retry)


def test_the_saga_holds_the_rows_as_they_run() -> None:
    saga = table(retry_before_pivot=QUICK, retry_after_pivot=PATIENT)

    assert all(s.retry is not None for s in (*saga.steps, *saga.on_rejected))
    assert saga.steps[0] is saga.step("check")


def test_a_table_without_phase_defaults_keeps_the_runtimes_policy() -> None:
    saga = table()

    assert DEFAULT_RETRY == saga.step("check").retry == saga.step("branch").retry
    assert DEFAULT_RETRY == cmd("bare", StepKind.RETRIABLE).retry_policy  # outside any saga


def test_after_a_branch_pivot_the_rows_of_its_branch_take_the_after_default() -> None:
    steps = (
        cmd("aid", StepKind.PIVOT, commits=Commits.BRANCH),
        cmd("receipt", StepKind.RETRIABLE, "aid"),
        cmd("check", StepKind.READ_ONLY),
    )
    saga = Saga("t", 1, steps, retry_before_pivot=QUICK, retry_after_pivot=PATIENT)

    assert (QUICK, PATIENT, QUICK) == tuple(saga.step(s.name).retry for s in steps)


def test_the_phase_default_drives_the_reply_timeout_and_the_attempts() -> None:
    scenario = Scenario(table(retry_before_pivot=QUICK, retry_after_pivot=PATIENT)).start()

    scenario.advance(timedelta(seconds=21))  # QUICK waits 20 s for a reply
    assert CaseEventType.STEP_TIMED_OUT in scenario.event_types("check")
    scenario.advance(timedelta(seconds=2))
    assert 2 == scenario.latest("check").attempt
    scenario.fail("check")  # QUICK allows two attempts
    assert (StepStatus.FAILED, CaseStatus.NEEDS_ATTENTION) == (
        scenario.step_status("check"),
        scenario.status,
    )


def test_an_after_pivot_default_that_would_compensate_is_refused() -> None:
    rolls_back = RetryPolicy(on_exhausted=OnExhausted.COMPENSATE)

    with pytest.raises(DefinitionError, match="saga t: retry_after_pivot cannot compensate"):
        table(retry_after_pivot=rolls_back)


def test_a_broken_phase_default_is_reported_on_the_first_row_that_takes_it() -> None:
    with pytest.raises(
        DefinitionError, match=r"step 'check': retry\.max_attempts must be at least"
    ):
        table(retry_before_pivot=RetryPolicy(max_attempts=0))


# --- payload models ------------------------------------------------------------------------------


class Item(BaseModel):
    what: str
    note: str | None = None


class DoThing(BaseModel):
    person: str
    on: date
    items: list[Item]
    purpose: str = "general"


def test_a_payload_model_travels_as_json_with_the_fields_its_builder_set() -> None:
    built = DoThing.model_construct(
        person="v1.aes-256-gcm.k1.c2VhbGVk",  # a sealed token: no validation at the orchestrator
        on=date(2025, 3, 1),
        items=[Item.model_construct(what="a")],
    )

    assert {
        "person": "v1.aes-256-gcm.k1.c2VhbGVk",
        "on": "2025-03-01",
        "items": [{"what": "a"}],
    } == to_json(built)


def test_a_value_of_the_wrong_type_fails_when_the_command_is_built() -> None:
    built = DoThing.model_construct(person="p", on="2025-03-01", items=[])  # type: ignore[arg-type]

    with pytest.raises(ValueError, match="date"):
        to_json(built)


def test_a_step_sends_its_models_json_and_a_mapping_as_it_is() -> None:
    def build(ctx: Context) -> DoThing:
        return DoThing.model_construct(person=ctx.case_id, on=date(2025, 3, 1), items=[])

    saga = Saga(
        "t",
        1,
        (
            cmd("model", StepKind.RETRIABLE, build=build),
            cmd("plain", StepKind.RETRIABLE, build=lambda c: {"x": 1}),
        ),
    )
    scenario = Scenario(saga).start()

    assert {"person": "case-1", "on": "2025-03-01", "items": []} == scenario.latest("model").payload
    assert {"x": 1} == scenario.latest("plain").payload
