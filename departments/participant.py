"""The participant runtime: a department's command in, the adapter called, its reply out.

A business refusal comes back from the adapter as an ``Outcome`` and is sent as a reply. Faults are
retried here, at the department's edge, with tenacity (exponential backoff with jitter, bounded);
a transient fault that outlasts the retries, and any permanent fault, become a ``failed`` reply
saying whether another attempt can help, so the saga's own policy decides what next.

Idempotency: the command id is the key. A command already answered gets its stored reply again,
under the same message id, without touching the department.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from contracts.envelope import Envelope, InvalidEnvelope, decode, encode, envelope_for
from contracts.saga import DepartmentCommand, DepartmentReply, ReplyOutcome
from contracts.topics import Topics
from departments.adapter import DepartmentAdapter, DepartmentFault, Outcome, TransientFault
from departments.idempotency import ReplyMemory
from onething.records import Record, dead_letter
from saga.ports import Clock, Outbox

__all__ = ["EdgeRetry", "Participant"]

log = structlog.get_logger("onething.participant")


@dataclass(frozen=True)
class EdgeRetry:
    """How hard the edge tries before it reports a transient failure to the saga."""

    attempts: int = 3
    initial: timedelta = timedelta(milliseconds=100)
    maximum: timedelta = timedelta(seconds=2)


class Participant:
    def __init__(
        self,
        adapter: DepartmentAdapter,
        memory: ReplyMemory,
        outbox: Outbox,
        clock: Clock,
        retry: EdgeRetry = EdgeRetry(),
    ) -> None:
        self.adapter = adapter
        self.department = str(adapter.department)
        self.memory = memory
        self.outbox = outbox
        self.clock = clock
        self.retry = retry
        self.source = f"/onething/departments/{self.department}"

    async def process(self, record: Record) -> str:
        started = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        try:
            envelope = decode(record.value)
        except InvalidEnvelope as exc:
            await self._dead_letter(record, str(exc))
            return "dead_letter"
        command = envelope.data
        if not isinstance(command, DepartmentCommand):
            await self._dead_letter(record, f"type: {envelope.type} is not a DepartmentCommand")
            return "dead_letter"
        structlog.contextvars.bind_contextvars(
            case_id=command.case_id,
            step=command.step,
            attempt=command.attempt,
            message_id=envelope.id,
        )
        stored = await self.memory.recall(command.command_id)
        if stored is not None:
            await self.outbox.send([(Topics.DEPT_REPLIES, decode(stored))])
            self._log(command, "replayed", started)
            return "replayed"
        outcome, retryable = await self._call(command)
        # Facts the department published on its own (DeathCertified, HouseholdChanged) go out
        # before the reply is remembered: a crash in between re-asks a department that answers
        # the same key from memory without emitting again, so nothing is lost or doubled.
        await self.outbox.send(self._emitted(envelope, command))
        reply = self._reply_envelope(envelope, command, outcome, retryable)
        kept = await self.memory.remember(command.command_id, encode(reply))
        batch = [(Topics.DEPT_REPLIES, decode(kept))]
        if outcome.data.get("_duplicate_reply"):
            batch.append(
                (Topics.DEPT_REPLIES, decode(kept).model_copy(update={"id": f"{reply.id}:again"}))
            )
        await self.outbox.send(batch)
        self._log(command, outcome.outcome.value, started)
        return outcome.outcome.value

    async def _call(self, command: DepartmentCommand) -> tuple[Outcome, bool]:
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.retry.attempts),
                wait=wait_exponential_jitter(
                    multiplier=self.retry.initial.total_seconds(),
                    max=self.retry.maximum.total_seconds(),
                ),
                retry=retry_if_exception_type(TransientFault),
                reraise=True,
            ):
                with attempt:
                    return await self.adapter.handle(command), True
        except DepartmentFault as exc:
            return _failed(command, exc), exc.retryable
        except Exception as exc:
            log.exception("adapter.crashed", department=self.department)
            return _failed(command, exc), False
        raise AssertionError("unreachable: tenacity either returns or raises")

    def _emitted(
        self, cause: Envelope[Any], command: DepartmentCommand
    ) -> list[tuple[str, Envelope[Any]]]:
        drain = getattr(self.adapter, "drain", None)
        if drain is None:
            return []
        return [
            (
                item.topic,
                envelope_for(
                    item.message,
                    subject=item.subject,
                    source=self.source,
                    time=self.clock(),
                    id=f"{command.command_id}:event:{n}",
                    correlation_id=cause.correlation_id,
                    causation_id=cause.id,
                ),
            )
            for n, item in enumerate(drain(), start=1)
        ]

    def _reply_envelope(
        self, cause: Envelope[Any], command: DepartmentCommand, outcome: Outcome, retryable: bool
    ) -> Envelope[Any]:
        data = {k: v for k, v in outcome.data.items() if not k.startswith("_")}
        reply = DepartmentReply(
            command_id=command.command_id,
            case_id=command.case_id,
            step=command.step,
            department=self.department,
            reply=outcome.reply,
            outcome=outcome.outcome,
            attempt=command.attempt,
            compensation=command.compensation,
            reason_code=outcome.reason_code,
            reason=outcome.reason,
            retryable=retryable,
            data=data,
        )
        return envelope_for(
            reply,
            subject=command.case_id,
            source=self.source,
            time=self.clock(),
            id=f"{command.command_id}:reply",
            correlation_id=cause.correlation_id,
            causation_id=cause.id,
        )

    async def _dead_letter(self, record: Record, reason: str) -> None:
        envelope = dead_letter(
            record,
            reason,
            consumer=f"participant:{self.department}",
            source=self.source,
            now=self.clock(),
        )
        await self.outbox.send([(Topics.DEAD_LETTERS, envelope)])
        log.warning(
            "message.dead_lettered",
            topic=record.topic,
            offset=record.offset,
            reason=reason,
            action="read the record on the dlq topic; fix its sender, then send it again",
        )

    def _log(self, command: DepartmentCommand, outcome: str, started: float) -> None:
        log.info(
            "command.handled",
            department=self.department,
            command=command.command,
            outcome=outcome,
            ms=round((time.perf_counter() - started) * 1000, 2),
        )


def _failed(command: DepartmentCommand, exc: BaseException) -> Outcome:
    return Outcome(
        reply=f"{command.command}Failed",
        outcome=ReplyOutcome.FAILED,
        reason_code=type(exc).__name__,
        reason=str(exc) or type(exc).__name__,
    )
