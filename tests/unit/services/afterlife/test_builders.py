"""Every builder's payload, as the command carries it, validates against its command's model in
the department catalogue, for a family's case, an agent's, a proactive one the family joined late,
and a reversal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.departments.catalogue import spec_for
from saga.definition import Context, Saga
from services.afterlife import afterlife_reversal_saga, afterlife_saga
from tests.unit.services.afterlife.support import (
    ACCOUNT_NO,
    AGENT_ID,
    CHILD_ID,
    DECEASED_ID,
    HEIR_REF,
    REPLIES,
    by_agent,
    form,
    proactive_case,
    window_case,
)

RECEIVED = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
ALL_OPTED_IN = {
    "funeral_fee_waiver": True,
    "survivor_benefits": True,
    "medical_account_payout": True,
    "housing_fund_withdrawal": True,
}
CASES = {
    "family": window_case(opt_ins=ALL_OPTED_IN),
    "agent": by_agent() | {"channel": "window"},
    "proactive, family joined": proactive_case() | form(opt_ins=ALL_OPTED_IN),
}


def context(data: dict[str, Any]) -> Context:
    return Context("case-1", "321300", data, REPLIES, RECEIVED)


def commands(saga: Saga, data: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(step, command, which builder) for every command and undo the table sends this case."""
    ctx, rows = context(data), []
    for step in saga.steps:
        if step.when is not None and not step.when(ctx):
            continue  # never built for this case (a builder may rely on what ``when`` checks)
        if step.sends_command:
            rows.append((step.name, step.command, "build"))
        if step.undo is not None:
            rows.append((step.name, step.undo, "build_undo"))
    return rows


FORWARD = [(case, *row) for case, data in CASES.items() for row in commands(afterlife_saga(), data)]


@pytest.mark.parametrize(("case", "step", "command", "builder"), FORWARD)
def test_every_forward_payload_parses_as_its_command(
    case: str, step: str, command: str, builder: str
) -> None:
    row = afterlife_saga().step(step)
    sent = row.payload if builder == "build" else row.undo_payload

    parsed = spec_for(row.department, command).parse(sent(context(CASES[case])))

    assert command == type(parsed).__name__


def test_every_command_of_the_table_is_built_for_some_case() -> None:
    built = {(step, command) for _, step, command, _ in FORWARD}
    every = {(s.name, s.command) for s in afterlife_saga().steps if s.sends_command}

    assert every <= built


REVERSAL_DATA = {
    "original_case_id": "AD-0123456789abcdef",
    "deceased_id": DECEASED_ID,
    "reason": "死亡医学证明填报错误",
    "done_steps": list(afterlife_saga().order),
}


@pytest.mark.parametrize(
    ("step", "command", "builder"), commands(afterlife_reversal_saga(), REVERSAL_DATA)
)
def test_every_reversal_payload_parses_as_its_command(
    step: str, command: str, builder: str
) -> None:
    row = afterlife_reversal_saga().step(step)

    spec_for(row.department, command).parse(row.payload(context(REVERSAL_DATA)))


def test_each_department_gets_only_the_fields_its_command_declares() -> None:
    ctx = context(CASES["family"])
    for step in afterlife_saga().steps:
        if step.sends_command:
            declared = set(spec_for(step.department, step.command).payload.model_fields)
            assert set(step.payload(ctx)) <= declared, step.name


def test_the_account_number_reaches_only_the_platform() -> None:
    ctx = context(CASES["family"])
    holders = {
        step.name
        for step in afterlife_saga().steps
        if step.sends_command and ACCOUNT_NO in str(step.payload(ctx))
    }

    assert {"register_heir_account", "register_heir_account_late"} == holders


def test_an_agents_payouts_name_the_relative_not_the_agent() -> None:
    saga, ctx = afterlife_saga(), context(CASES["agent"])

    for step in ("register_heir_account", "survivor_benefits", "housing_fund_withdrawal"):
        assert CHILD_ID == saga.step(step).payload(ctx)["heir_id"], step
    assert [AGENT_ID, CHILD_ID] == saga.step("completion_notice").payload(ctx)["recipient_ids"]


def test_ending_the_enrolment_needs_no_heir_data_and_the_payout_names_only_the_reference() -> None:
    saga, ctx = afterlife_saga(), context(CASES["family"])

    ended = saga.step("end_medical_insurance").payload(ctx)
    paid = saga.step("pay_out_medical_account").payload(ctx)

    assert {"resident_id": DECEASED_ID, "date_of_death": "2025-03-01"} == ended
    assert {"resident_id": DECEASED_ID, "heir_account_ref": HEIR_REF} == paid


def test_the_enrolment_ends_for_a_proactive_case_before_anyone_applies() -> None:
    payload = afterlife_saga().step("end_medical_insurance").payload(context(proactive_case()))

    assert {"resident_id": DECEASED_ID, "date_of_death": "2025-03-01"} == payload


def test_no_medical_account_payout_when_the_family_did_not_ask_for_it() -> None:
    payout = afterlife_saga().step("pay_out_medical_account")
    opted_out = window_case(opt_ins=ALL_OPTED_IN | {"medical_account_payout": False})

    assert payout.when is not None
    assert payout.when(context(CASES["family"]))
    assert not payout.when(context(opted_out))
    assert not payout.when(context(proactive_case()))  # no form yet, so no account to pay


def test_the_cremation_is_recorded_on_the_day_the_death_was_confirmed_in_china() -> None:
    payload = afterlife_saga().step("record_cremation").payload(context(CASES["family"]))

    assert "2025-03-03" == payload["cremated_on"]
