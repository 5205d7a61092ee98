"""The orchestrator's unit of work: one raw record in, the engine applied, outputs out, state saved.

The engine's clock is the message's own send time, so a message handled twice gives the same
outputs twice. Order matters for at-least-once delivery: outputs are published *and acknowledged* before the new
state is stored. A crash in between means the record is redelivered, the old state is still there,
and the engine deterministically produces the same command and event ids again, which departments
and the read model recognise. A record that cannot be decoded or applied goes to the dead-letter
topic with the reason and its original bytes; the stream keeps going.

Personal fields arrive sealed for their case and are kept and sent on sealed; the only time the
orchestrator opens one is to seal it again for a case it opens itself (a reversal case).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

import structlog

from contracts.envelope import Envelope, InvalidEnvelope, decode, envelope_for
from contracts.personal import reseal, seal_personal
from contracts.saga import RecomputeDeadlines, StartCase, TimerFired
from contracts.sealing import Keyring, SealError
from contracts.topics import Topics, command_topic
from onething.records import Record, dead_letter
from saga.calendar import WorkingCalendar, current
from saga.definition import Saga
from saga.engine import EngineError, Transition, handle
from saga.ports import Clock, Outbox, StateStore
from saga.state import CaseState, Timer
from saga.timers import TimerWheel
from saga.versions import (
    SagaSource,
    SagaVersionMissing,
    SagaVersions,
    catalog,
    describe,
    missing,
    versions_in_use,
)

__all__ = ["SOURCE", "Orchestrator"]

SOURCE = "/onething/orchestrator"
log = structlog.get_logger("onething.orchestrator")


class Orchestrator:
    def __init__(
        self,
        sagas: Mapping[str, SagaSource] | Iterable[SagaSource],
        store: StateStore,
        outbox: Outbox,
        clock: Clock,
        wheel: TimerWheel | None = None,
        calendar: Callable[[], WorkingCalendar] = current,
        keyring: Keyring | None = None,
    ) -> None:
        # name → every loaded version; a case runs on the one it started with (``versions``)
        self.sagas: dict[str, SagaVersions] = catalog(sagas)
        self.store = store
        self.outbox = outbox
        self.clock = clock
        self.wheel = wheel or TimerWheel()
        self.calendar = calendar  # the calendar in force, asked afresh for every message
        # Only to seal again what a reversal case carries over from the case it reverses; the
        # engine itself never opens a sealed value.
        self.keyring = keyring

    async def process(self, record: Record) -> str:
        """Handle one record; return what happened (for the canonical log line and tests)."""
        started = time.perf_counter()
        structlog.contextvars.clear_contextvars()
        try:
            envelope = decode(record.value)
        except InvalidEnvelope as exc:
            await self.dead_letter(record, str(exc))
            return "dead_letter"
        case_id = envelope.subject
        structlog.contextvars.bind_contextvars(case_id=case_id, message_id=envelope.id)
        state = self._load(case_id)
        try:
            saga = self._saga_for(envelope, state)
            transition = handle(
                saga, state, envelope.data, envelope.id, self._now(envelope), self.calendar()
            )
        except (EngineError, KeyError) as exc:
            await self.dead_letter(record, f"{type(exc).__name__}: {exc}")
            return "dead_letter"
        if transition.duplicate:
            self._log(record, envelope, transition, "duplicate", started)
            return "duplicate"
        try:
            outputs = self._outputs(envelope, transition)
        except SealError as exc:  # a carried value that is not this case's: nothing goes out
            await self.dead_letter(record, f"{type(exc).__name__}: {exc}")
            return "dead_letter"
        await self.outbox.send(outputs)
        assert transition.state is not None
        self.store.put(case_id, transition.state.model_dump_json().encode())
        self.wheel.sync(case_id, transition.state.timers.values())
        self._log(record, envelope, transition, "applied", started)
        return "applied"

    def _now(self, envelope: Envelope[Any]) -> datetime:
        """The engine's "now" for a message: when it was sent, so that handling the same message
        again after a crash gives byte-identical events (a time in the future is not believed)."""
        return min(envelope.time, self.clock())

    def _load(self, case_id: str) -> CaseState | None:
        raw = self.store.get(case_id)
        return CaseState.model_validate_json(raw) if raw else None

    def _saga_for(self, envelope: Envelope[Any], state: CaseState | None) -> Saga:
        """A new case's newest table, or the version an existing case started on. A case whose
        version is not loaded is not handled at all (``SagaVersionMissing`` propagates): its
        message must wait for a worker that serves it, not be dead-lettered."""
        data = envelope.data
        name = data.saga if isinstance(data, StartCase) else (state.saga if state else None)
        if name is None:
            raise EngineError(f"case {envelope.subject}: no such case")
        if name not in self.sagas:
            raise EngineError(f"saga {name!r} is not served by this orchestrator")
        if state is None or isinstance(data, StartCase):
            return self.sagas[name].newest
        saga = self.sagas[name].get(state.saga_version)
        if saga is None:
            needed = {(name, state.saga_version): [state.case_id]}
            raise SagaVersionMissing(needed, describe(self.sagas))
        return saga

    def check_versions(self, states: Mapping[str, bytes]) -> None:
        """Refuse to serve (``SagaVersionMissing``, naming each version and its open cases) when
        an open case of a served saga is on a version that is not loaded."""
        needed = missing(self.sagas, states)
        if needed:
            raise SagaVersionMissing(needed, describe(self.sagas))

    def versions_in_use(self, states: Mapping[str, bytes]) -> dict[str, dict[int, list[str]]]:
        """Saga name → version → the open cases on it, for deciding what can be retired."""
        return versions_in_use(states)

    def _outputs(
        self, cause: Envelope[Any], transition: Transition
    ) -> list[tuple[str, Envelope[Any]]]:
        out: list[tuple[str, Envelope[Any]]] = []
        for command in transition.commands:
            out.append(
                (command_topic(command.department), self._wrap(cause, command, command.command_id))
            )
        for event in transition.events:
            out.append((Topics.CASE_EVENTS, self._wrap(cause, event, event.event_id)))
        for start in transition.starts:
            start = self._sealed_for(start, cause.subject)
            opened = self._wrap(cause, start, f"{cause.id}:start:{start.case_id}")
            out.append((Topics.CASE_REQUESTS, opened.model_copy(update={"subject": start.case_id})))
        for told in transition.forwards:
            # Keyed by the case it is for; the id follows from the message that caused it, so
            # a redelivery publishes the same id and the other case recognises it.
            message = self._wrap(cause, told, f"{cause.id}:settled:{told.step}")
            out.append((Topics.CASE_REQUESTS, message.model_copy(update={"subject": told.case_id})))
        return out

    def _sealed_for(self, start: StartCase, parent: str) -> StartCase:
        """A case opened by another (a reversal) with the values it carries sealed for itself:
        a value sealed for ``parent`` would not open in the new case's commands."""
        if self.keyring is None:
            return start
        data = reseal(start.data, self.keyring, parent, start.case_id)
        # A personal value the reversal itself brought in clear is sealed as the window would.
        return start.model_copy(update={"data": seal_personal(data, self.keyring, start.case_id)})

    def _wrap(self, cause: Envelope[Any], data: Any, message_id: str) -> Envelope[Any]:
        return envelope_for(
            data,
            subject=cause.subject,
            source=SOURCE,
            time=self._now(cause),
            id=message_id,
            correlation_id=cause.correlation_id,
            causation_id=cause.id,
        )

    async def dead_letter(self, record: Record, reason: str) -> None:
        envelope = dead_letter(
            record, reason, consumer="orchestrator", source=SOURCE, now=self.clock()
        )
        await self.outbox.send([(Topics.DEAD_LETTERS, envelope)])
        log.warning(
            "message.dead_lettered",
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            reason=reason,
        )

    def due_timers(self, now: datetime) -> list[tuple[str, Envelope[Any]]]:
        """Envelopes for every timer due at ``now``, ids fixed so a repeat firing is a duplicate."""
        return [
            (Topics.CASE_TIMERS, self._timer_envelope(case_id, timer, now))
            for case_id, timer in self.wheel.due(now)
        ]

    def _timer_envelope(self, case_id: str, timer: Timer, now: datetime) -> Envelope[Any]:
        fired = TimerFired(
            case_id=case_id,
            timer_id=timer.timer_id,
            kind=timer.kind,
            step=timer.step,
            due_at=timer.due_at,
        )
        return envelope_for(
            fired,
            subject=case_id,
            source=SOURCE,
            time=now,
            id=f"{case_id}:timer:{timer.timer_id}:{timer.due_at.isoformat()}",
        )

    def recounts(
        self, states: Mapping[str, bytes], calendar: WorkingCalendar, reason: str
    ) -> list[tuple[str, Envelope[Any]]]:
        """A ``RecomputeDeadlines`` for every owned open case not yet counted on ``calendar``;
        ids fixed by case and calendar version, so a repeat is a duplicate to the engine."""
        out: list[tuple[str, Envelope[Any]]] = []
        for case_id, raw in states.items():
            state = CaseState.model_validate_json(raw)
            if state.terminal or state.calendar_version == calendar.version:
                continue
            recount = RecomputeDeadlines(
                case_id=case_id, calendar_version=calendar.version, reason=reason
            )
            envelope = envelope_for(
                recount,
                subject=case_id,
                source=SOURCE,
                time=self.clock(),
                id=f"{case_id}:calendar:{calendar.version}",
            )
            out.append((Topics.CASE_OPERATOR, envelope))
        return out

    def rebuild_timers(self, states: Mapping[str, bytes]) -> int:
        """After recovery: check that every owned open case's saga version is served, then
        load every owned case's pending timers into a fresh wheel."""
        self.check_versions(states)
        self.wheel.clear()
        for case_id, raw in states.items():
            state = CaseState.model_validate_json(raw)
            if state.timers:
                self.wheel.sync(case_id, state.timers.values())
        return len(self.wheel)

    def _log(
        self,
        record: Record,
        envelope: Envelope[Any],
        transition: Transition,
        outcome: str,
        started: float,
    ) -> None:
        data = envelope.data
        state = transition.state
        log.info(
            "message.handled",
            type=envelope.type,
            source=f"{record.topic}[{record.partition}]@{record.offset}",
            saga=state.saga if state else None,
            step=getattr(data, "step", None),
            attempt=getattr(data, "attempt", None),
            outcome=outcome,
            status=state.status.value if state else None,
            commands=len(transition.commands),
            events=len(transition.events),
            ms=round((time.perf_counter() - started) * 1000, 2),
        )
