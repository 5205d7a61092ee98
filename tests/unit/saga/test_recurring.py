"""A recurring step: one command per period, keyed by the period, started by a durable timer at
midnight in China, until a predicate or another step ends it; repeats and restarts change
nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contracts.envelope import Envelope, encode
from contracts.lifecycle import CaseEventType, CaseStatus, StepStatus
from contracts.saga import DepartmentCommand, ReplyOutcome, TimerFired
from onething.records import Record
from saga.definition import DefinitionError, Every, LoopBack, Recurrence, Saga, Step, StepKind
from saga.orchestrator import Orchestrator
from saga.recurring import begins_at, following, period_at
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_saga

MONTHLY = Recurrence()
APRIL_BEGINS = datetime(2025, 3, 31, 16, 0, tzinfo=UTC)  # 1 April 00:00 in China


def paying(recurrence: Recurrence = MONTHLY, **data: object) -> Scenario:
    """Approved on Monday 3 March 2025; the notices done: only the allowance runs on."""
    scenario = run_to_pivot(Scenario(sample_saga(allowance=recurrence), data=dict(data)))
    scenario.succeed("notify_x", "notify_y").succeed("close")
    scenario.expect_sent(*(["allowance"] if not recurrence.from_next else []), "notify_x", "notify_y", "close")  # fmt: skip
    return scenario


def test_the_first_period_is_the_month_of_approval_and_names_the_period() -> None:
    scenario = paying()
    first = scenario.latest("allowance")
    assert "case-1:allowance:2025-03:1" == first.command_id
    assert {"case": "case-1", "period": "2025-03"} == first.payload


def test_the_next_period_begins_at_midnight_in_china() -> None:
    scenario = paying().succeed("allowance")
    assert StepStatus.SCHEDULED is scenario.step_status("allowance")
    assert CaseStatus.IN_PROGRESS is scenario.status
    scheduled = scenario.events[-1]
    assert CaseEventType.PERIOD_SCHEDULED is scheduled.type
    assert {
        "period": "2025-03",
        "next_period": "2025-04",
        "begins_at": APRIL_BEGINS.isoformat(),
    } == (scheduled.detail)
    scenario.clock.set(APRIL_BEGINS - timedelta(seconds=1))
    scenario.advance(timedelta(0)).expect_sent()
    scenario.advance(timedelta(seconds=1))
    [april] = scenario.expect_sent("allowance")
    assert "case-1:allowance:2025-04:1" == april.command_id


def test_a_timer_firing_twice_for_one_period_sends_one_command() -> None:
    scenario = paying().succeed("allowance")
    assert scenario.state is not None
    [timer] = scenario.state.timers.values()
    scenario.clock.set(APRIL_BEGINS)
    fired = TimerFired(case_id="case-1", timer_id=timer.timer_id, kind=timer.kind,
                       step=timer.step, due_at=timer.due_at)  # fmt: skip
    scenario.deliver(fired, "fire-1")
    scenario.deliver(fired, "fire-2")  # a second firing, under another id
    scenario.deliver(fired, "fire-1")  # and a redelivery of the first
    [april] = scenario.expect_sent("allowance")
    assert "case-1:allowance:2025-04:1" == april.command_id


def test_a_period_that_succeeds_late_is_followed_at_once_by_the_next() -> None:
    scenario = paying().succeed("allowance")
    scenario.advance(APRIL_BEGINS - scenario.clock.now())
    scenario.clock.set(datetime(2025, 5, 5, 2, 0, tzinfo=UTC))  # April's payment answers in May
    scenario.succeed("allowance")  # May has begun already: its command goes at once
    periods = [c.command_id for c in scenario.sent if c.step == "allowance"]
    assert ["case-1:allowance:2025-03:1", "case-1:allowance:2025-04:1",
            "case-1:allowance:2025-05:1"] == periods  # fmt: skip


def test_a_late_answer_to_an_earlier_period_is_stale() -> None:
    scenario = paying()
    march = scenario.latest("allowance")
    scenario.succeed("allowance").advance(APRIL_BEGINS - scenario.clock.now())
    scenario.reply("allowance", ReplyOutcome.REFUSED, reason_code="late", command=march)
    assert StepStatus.DISPATCHED is scenario.step_status("allowance")
    assert CaseEventType.STALE_REPLY_IGNORED is scenario.events[-1].type


def test_a_predicate_on_the_case_ends_the_recurrence() -> None:
    through_april = Recurrence(until=lambda ctx: str(ctx.period) > ctx.data["last_period"])
    scenario = paying(through_april, last_period="2025-04").succeed("allowance")
    scenario.advance(APRIL_BEGINS - scenario.clock.now()).succeed("allowance")
    assert StepStatus.SUCCEEDED is scenario.step_status("allowance")
    ended = scenario.events[-3]
    assert CaseEventType.RECURRENCE_ENDED is ended.type
    assert {"period": "2025-04", "periods": 2} == ended.detail
    assert CaseStatus.COMPLETED is scenario.status
    assert scenario.state is not None and {} == scenario.state.timers


def test_another_step_ends_the_recurrence() -> None:
    scenario = paying(Recurrence(ended_by=("stop",))).succeed("allowance")
    scenario.signal("stop", reason="家庭收入已超过标准")
    assert StepStatus.SUCCEEDED is scenario.step_status("allowance")
    assert CaseStatus.COMPLETED is scenario.status


def test_every_six_months_from_the_next_period() -> None:
    review = Recurrence(every=6, from_next=True)
    scenario = paying(review)
    assert StepStatus.SCHEDULED is scenario.step_status("allowance")
    assert scenario.state is not None
    assert "2025-09" == scenario.state.steps["allowance"].next_period
    scenario.advance(begins_at("2025-09") - scenario.clock.now())
    assert "case-1:allowance:2025-09:1" == scenario.latest("allowance").command_id
    scenario.succeed("allowance")
    assert "2026-03" == scenario.state.steps["allowance"].next_period


@pytest.mark.parametrize(
    ("moment", "unit", "every", "period", "following_period"),
    [
        (datetime(2025, 3, 31, 15, 59, tzinfo=UTC), Every.MONTH, 1, "2025-03", "2025-04"),
        (datetime(2025, 3, 31, 16, 0, tzinfo=UTC), Every.MONTH, 1, "2025-04", "2025-05"),
        (datetime(2025, 11, 2, 0, 0, tzinfo=UTC), Every.MONTH, 3, "2025-11", "2026-02"),
        (datetime(2025, 12, 31, 16, 0, tzinfo=UTC), Every.YEAR, 1, "2026", "2027"),
    ],
)
def test_periods_are_months_or_years_in_china(
    moment: datetime, unit: Every, every: int, period: str, following_period: str
) -> None:
    rec = Recurrence(every=every, unit=unit)
    assert period == period_at(moment, rec)
    assert following_period == following(period, rec)
    assert period == period_at(begins_at(period), rec)
    assert period != period_at(begins_at(period) - timedelta(microseconds=1), rec)


def test_only_a_retriable_or_read_only_step_recurs() -> None:
    with pytest.raises(DefinitionError, match="'p' recurs but is pivot"):
        Saga("t", 1, (Step("p", StepKind.PIVOT, "d", "P", recurs=MONTHLY),))
    with pytest.raises(DefinitionError, match="'p' recurs and cannot loop back"):
        Saga("t", 1, (Step("a", StepKind.READ_ONLY, "d", "A"),
                      Step("p", StepKind.RETRIABLE, "d", "P", depends_on=("a",), recurs=MONTHLY,
                           loop_back=LoopBack(("a",), codes=("x",)))))  # fmt: skip
    with pytest.raises(DefinitionError, match="ended by unknown step 'nobody'"):
        Saga("t", 1, (Step("p", StepKind.RETRIABLE, "d", "P", recurs=Recurrence(ended_by=("nobody",))),))  # fmt: skip


# --- a restart: the state reloaded, the timers rebuilt ---------------------------------------


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.sent += batch


class Store(dict[str, bytes]):
    def put(self, case_id: str, value: bytes) -> None:
        self[case_id] = value


def commands(outbox: Outbox) -> list[str]:
    return [e.data.command_id for _, e in outbox.sent if isinstance(e.data, DepartmentCommand)]


def test_a_restart_neither_skips_nor_repeats_a_period() -> None:
    scenario = paying().succeed("allowance")
    assert scenario.state is not None
    store, outbox = Store({"case-1": scenario.state.model_dump_json().encode()}), Outbox()
    after_april = APRIL_BEGINS + timedelta(seconds=1)

    def restart() -> Orchestrator:
        orchestrator = Orchestrator({"sample": sample_saga(allowance=MONTHLY)}, store, outbox,
                                    clock=lambda: after_april)  # fmt: skip
        orchestrator.rebuild_timers(store)
        return orchestrator

    first = restart()
    fired = first.due_timers(after_april)
    # the worker dies before the firing is consumed: the next life fires it again, same id
    again = restart().due_timers(after_april)
    assert [e.id for _, e in fired] == [e.id for _, e in again]
    second = restart()
    for _, envelope in fired + again:
        asyncio.run(second.process(Record("t", 0, 0, None, encode(envelope))))
    assert ["case-1:allowance:2025-04:1"] == commands(outbox)
    assert [] == restart().due_timers(after_april)  # April's timer is gone with its period


def test_a_refused_period_ends_the_recurrence_as_a_failed_branch() -> None:
    scenario = paying().succeed("allowance")
    scenario.advance(APRIL_BEGINS - scenario.clock.now())
    scenario.refuse("allowance", "account_closed")
    assert StepStatus.REFUSED is scenario.step_status("allowance")
    assert CaseStatus.PARTIALLY_COMPLETED is scenario.status


def test_a_person_retries_a_refused_period_under_the_same_period() -> None:
    import dataclasses

    from contracts.saga import OperatorAction
    from saga.definition import OnRefused

    saga = sample_saga(allowance=MONTHLY)
    steps = tuple(
        dataclasses.replace(s, on_refused=OnRefused.ESCALATE) if s.name == "allowance" else s
        for s in saga.steps
    )
    scenario = run_to_pivot(Scenario(dataclasses.replace(saga, steps=steps)))
    scenario.refuse("allowance", "account_closed")
    assert CaseStatus.NEEDS_ATTENTION is scenario.status
    scenario.operator(OperatorAction.RETRY_STEP, "allowance", reason="账户已更正")
    assert "case-1:allowance:2025-03:2" == scenario.latest("allowance").command_id
    scenario.succeed("allowance")
    assert StepStatus.SCHEDULED is scenario.step_status("allowance")
