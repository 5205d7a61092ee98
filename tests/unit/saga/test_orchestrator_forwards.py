"""The orchestrator publishes what a reversed case tells its reversal case on the requests topic,
keyed by the reversal case, with an id that follows from the reply, so a redelivery repeats it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from contracts.envelope import Envelope, encode, envelope_for
from contracts.message import Message
from contracts.saga import DepartmentReply, ReplyOutcome, ReverseCase, ReversedStepSettled
from contracts.topics import Topics
from onething.records import Record
from saga.orchestrator import Orchestrator
from saga.testing import Scenario
from tests.support.sample_saga import run_to_pivot, sample_reversal_saga, sample_saga

NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        self.sent += batch


class Store(dict[str, bytes]):
    def put(self, case_id: str, value: bytes) -> None:
        self[case_id] = value


def record(message: Message, subject: str, message_id: str) -> Record:
    envelope = envelope_for(message, subject=subject, source="/test", time=NOW, id=message_id)
    return Record(topic="t", partition=0, offset=0, key=None, value=encode(envelope))


def test_a_late_answer_is_published_to_the_reversal_case_once() -> None:
    scenario = run_to_pivot(Scenario(sample_saga())).succeed("notify_y")
    reverse = ReverseCase(
        case_id="case-1", reversal_case_id="case-1-R", actor="h", reason="r",
        reversal_saga="sample_reversal",
    )  # fmt: skip
    scenario.deliver(reverse)
    assert scenario.state is not None
    store, outbox = Store({"case-1": scenario.state.model_dump_json().encode()}), Outbox()
    sagas = {"sample": sample_saga(), "sample_reversal": sample_reversal_saga()}
    orchestrator = Orchestrator(sagas, store, outbox, clock=lambda: NOW)
    command = scenario.latest("notify_x")
    reply = DepartmentReply(
        command_id=command.command_id, case_id="case-1", step="notify_x", department="sample",
        reply="NotifyXDone", outcome=ReplyOutcome.SUCCEEDED, attempt=1,
    )  # fmt: skip

    asyncio.run(orchestrator.process(record(reply, "case-1", "reply-1")))
    asyncio.run(orchestrator.process(record(reply, "case-1", "reply-1")))  # redelivered

    forwarded = [(t, e) for t, e in outbox.sent if isinstance(e.data, ReversedStepSettled)]
    [(topic, envelope)] = forwarded
    assert (Topics.CASE_REQUESTS, "case-1-R", "reply-1:settled:notify_x") == (
        topic,
        envelope.subject,
        envelope.id,
    )
