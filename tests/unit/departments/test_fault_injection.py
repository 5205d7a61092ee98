"""Fault injection: reproducible from a seed, switchable at run time, and never really sleeping."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.departments import Department
from contracts.saga import DepartmentCommand
from departments.adapter import Outcome, TransientFault
from departments.faults import (
    DUPLICATE_REPLY,
    FaultConfig,
    FaultPlan,
    FaultyAdapter,
    Latency,
    LateReplies,
    Outage,
    RefusalRule,
)
from tests.unit.departments.support import command

PS = Department.PUBLIC_SECURITY
NOON = datetime(2025, 6, 30, 4, tzinfo=UTC)


class Counting:
    """An inner adapter that always succeeds and counts what reached it."""

    department = PS

    def __init__(self) -> None:
        self.calls: list[str] = []

    async def handle(self, command: DepartmentCommand) -> Outcome:
        self.calls.append(command.command_id)
        return Outcome.done("HukouCancelled", ok=True)


class Sleeps:
    """An injected sleep that records instead of waiting."""

    def __init__(self) -> None:
        self.slept: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.slept.append(seconds)


class Clock:
    def __init__(self, now: datetime = NOON) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def cancel(number: int, payload: dict[str, Any] | None = None, **kwargs: Any) -> DepartmentCommand:
    return command(PS, payload or {}, name="CancelHukou", command_id=f"c{number}", **kwargs)


def faulty(plan: FaultPlan, clock: Clock | None = None) -> tuple[FaultyAdapter, Counting, Sleeps]:
    inner, sleeps = Counting(), Sleeps()
    return FaultyAdapter(inner, plan, clock or Clock(), sleeps), inner, sleeps


async def failures(plan: FaultPlan, count: int = 200) -> list[str]:
    adapter, _, _ = faulty(plan)
    failed = []
    for number in range(count):
        try:
            await adapter.handle(cancel(number))
        except TransientFault:
            failed.append(f"c{number}")
    return failed


# --- transient faults ----------------------------------------------------------------------------


async def test_transient_faults_replay_exactly_for_the_same_seed() -> None:
    first = await failures(FaultPlan(seed=1, transient_rate=0.3))
    again = await failures(FaultPlan(seed=1, transient_rate=0.3))
    other_seed = await failures(FaultPlan(seed=2, transient_rate=0.3))

    assert first == again
    assert first != other_seed
    assert 40 <= len(first) <= 80


async def test_a_transient_fault_never_reaches_the_department_and_a_retry_draws_afresh() -> None:
    plan = FaultPlan(seed=3, transient_rate=0.5)
    failing = int((await failures(plan, 100))[0].removeprefix("c"))
    adapter, inner, _ = faulty(plan)

    with pytest.raises(TransientFault):
        await adapter.handle(cancel(failing))
    for _ in range(20):  # some redelivery gets through: each one draws again
        try:
            await adapter.handle(cancel(failing))
            break
        except TransientFault:
            continue

    assert [f"c{failing}"] == inner.calls


# --- outages, latency, late and duplicate replies -----------------------------------------------


async def test_an_outage_window_refuses_service_only_inside_it() -> None:
    clock = Clock(NOON - timedelta(minutes=1))
    window = Outage(start=NOON, end=NOON + timedelta(hours=1))
    adapter, inner, _ = faulty(FaultPlan(outages=[window]), clock)

    await adapter.handle(cancel(1))
    clock.now = NOON + timedelta(minutes=30)
    with pytest.raises(TransientFault, match="down until 2025-06-30T05:00"):
        await adapter.handle(cancel(2))
    clock.now = NOON + timedelta(hours=1)
    await adapter.handle(cancel(3))

    assert ["c1", "c3"] == inner.calls


@pytest.mark.parametrize(
    ("latency", "low", "high"),
    [
        (Latency(kind="fixed", seconds=1.5), 1.5, 1.5),
        (Latency(kind="uniform", low=0.2, high=0.8), 0.2, 0.8),
        (Latency(kind="lognormal", median=0.5, sigma=0.4), 0.05, 5.0),
    ],
)
async def test_latency_goes_through_the_injected_sleep(
    latency: Latency, low: float, high: float
) -> None:
    adapter, _, sleeps = faulty(FaultPlan(seed=4, latency=latency))

    for number in range(50):
        await adapter.handle(cancel(number))

    assert 50 == len(sleeps.slept)
    assert all(low <= s <= high for s in sleeps.slept)


async def test_lognormal_latency_centres_on_its_median() -> None:
    adapter, _, sleeps = faulty(FaultPlan(seed=5, latency=Latency(kind="lognormal", median=0.5)))

    for number in range(400):
        await adapter.handle(cancel(number))

    middle = sorted(sleeps.slept)[200]
    assert 0.4 < middle < 0.6


async def test_a_late_reply_is_held_past_the_step_deadline() -> None:
    adapter, _, sleeps = faulty(FaultPlan(late=LateReplies(rate=1.0, by=5.0)))

    await adapter.handle(cancel(1, deadline_at=NOON + timedelta(seconds=10)))
    await adapter.handle(cancel(2))

    assert [15.0, 5.0] == sleeps.slept


async def test_a_duplicate_reply_is_flagged_for_the_runtime_and_applied_once() -> None:
    adapter, inner, _ = faulty(FaultPlan(duplicate_rate=1.0))

    outcome = await adapter.handle(cancel(1))

    assert outcome.data[DUPLICATE_REPLY] is True
    assert ["c1"] == inner.calls


# --- refusals ------------------------------------------------------------------------------------


async def test_a_refusal_rule_answers_for_the_department_and_is_remembered() -> None:
    rule = RefusalRule(command="CancelHukou", reason_code="already_cancelled")
    adapter, inner, _ = faulty(FaultPlan(refusals=[rule]))

    first = await adapter.handle(cancel(1))
    again = await adapter.handle(cancel(1))

    assert ("HukouCancellationRefused", "already_cancelled", "户口已注销，不能重复注销") == (
        first.reply,
        first.reason_code,
        first.reason,
    )
    assert first == again
    assert [] == inner.calls


async def test_a_refusal_rule_can_match_a_payload_field() -> None:
    rule = RefusalRule(
        command="CancelHukou", reason_code="death_not_certified", when={"resident_id": "X"}
    )
    adapter, inner, _ = faulty(FaultPlan(refusals=[rule]))

    matching = await adapter.handle(cancel(1, {"resident_id": "X"}))
    other = await adapter.handle(cancel(2, {"resident_id": "Y"}))

    assert ("death_not_certified", None) == (matching.reason_code, other.reason_code)
    assert ["c2"] == inner.calls


async def test_a_refusal_rate_refuses_a_reproducible_fraction() -> None:
    rule = RefusalRule(command="CancelHukou", reason_code="already_cancelled", rate=0.25)

    async def refused(seed: int) -> list[int]:
        adapter, _, _ = faulty(FaultPlan(seed=seed, refusals=[rule]))
        return [n for n in range(200) if (await adapter.handle(cancel(n))).reason_code]

    first, again = await refused(6), await refused(6)
    assert first == again
    assert 30 <= len(first) <= 70


@pytest.mark.parametrize(
    ("command_name", "complaint"),
    [("SendCompletionNotice", "no refusal reply"), ("IssuePassport", "does not accept")],
)
def test_a_rule_the_department_could_never_answer_is_rejected(
    command_name: str, complaint: str
) -> None:
    inner = Counting()
    inner.department = Department.PLATFORM
    adapter = FaultyAdapter(inner, FaultPlan(), Clock(), Sleeps())

    with pytest.raises(ValueError, match=complaint):
        adapter.switch(FaultPlan(refusals=[RefusalRule(command=command_name, reason_code="x")]))


# --- configuration -------------------------------------------------------------------------------


async def test_a_plan_can_be_switched_at_run_time() -> None:
    adapter, _, _ = faulty(FaultPlan())
    await adapter.handle(cancel(1))

    adapter.switch(FaultPlan(transient_rate=1.0))

    with pytest.raises(TransientFault):
        await adapter.handle(cancel(2))


def test_configuration_loads_from_json_and_the_environment(tmp_path: Path) -> None:
    body = {"departments": {"health": {"seed": 9, "transient_rate": 0.1}}}
    file = tmp_path / "faults.json"
    file.write_text(json.dumps(body))

    inline = FaultConfig.from_env({"ONETHING_FAULTS": json.dumps(body)})
    from_file = FaultConfig.from_env({"ONETHING_FAULTS": f"@{file}"})

    assert inline == from_file == FaultConfig.from_json(json.dumps(body))
    assert 0.1 == inline.plan_for(Department.HEALTH).transient_rate
    assert (
        FaultPlan() == inline.plan_for(Department.PLATFORM) == FaultConfig.from_env({}).plan_for(PS)
    )


@pytest.mark.parametrize(
    "body",
    [
        {"departments": {"police": {}}},
        {"departments": {"health": {"transient_rate": 1.5}}},
        {
            "departments": {
                "health": {
                    "outages": [{"start": "2025-06-30T05:00:00Z", "end": "2025-06-30T04:00:00Z"}]
                }
            }
        },
        {"departments": {"health": {"typo": 1}}},
    ],
)
def test_bad_configuration_is_refused_with_a_reason(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        FaultConfig.model_validate(body)
