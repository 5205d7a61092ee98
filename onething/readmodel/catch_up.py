"""The live projector's guard against a Redis that lost what it was given.

The projector's consumer commits its offsets in Kafka, the model lives in Redis: when Redis dies
between its append-only file's fsyncs, or comes back empty, the events the consumer has already
committed are gone from the model and would never be delivered again. Redis keeps, beside the
model and in the same atomic script as each event, a read mark per partition (the highest offset
it holds), so the model itself says what it is missing:

- every event applied returns the partition's mark from before it; a mark below the previous
  offset means a hole, and the records in between are read from the topic and applied first;
- a sweep compares every partition's mark with where the topic ends now and replays what is
  missing: at start-up, and whenever Redis restarted (a new ``run_id``), so a partition that
  gets no new event is repaired too;
- a Redis that is away is waited for (``onething.redis_edge.until_available``): the event in hand
  is applied once Redis is back, never skipped.

Replaying is safe whatever is already in: the projector keeps the version published last.
``onething.readmodel.rebuild`` is a flush followed by the same sweep.
"""

from __future__ import annotations

import asyncio

import structlog
from confluent_kafka import KafkaException
from redis.asyncio import Redis

from contracts.envelope import InvalidEnvelope, decode
from contracts.lifecycle import CaseEvent
from onething.readmodel.event_log import EventLog
from onething.readmodel.projector import Projector
from onething.redis_edge import REDIS_DOWN, Outage, until_available

__all__ = ["CatchUp"]

log = structlog.get_logger("onething.projector")


class CatchUp:
    def __init__(self, redis: Redis, projector: Projector, events: EventLog) -> None:
        self.redis = redis
        self.projector = projector
        self.events = events
        self.outage = Outage("read model")
        self._run_id: str | None = None
        # Why a sweep is owed, if one is: at start-up, what Redis lost while no projector ran.
        self._sweep_due: str | None = "projector started"

    async def project(self, event: CaseEvent, partition: int, offset: int) -> None:
        """Apply a live event, and first whatever the model is missing before it."""
        mark = await until_available(
            lambda: self.projector.apply_at(event, partition, offset), self.outage
        )
        if mark < offset - 1:
            await self.replay(partition, mark + 1, offset, reason="gap before a live event")

    async def passed(self, partition: int, offset: int) -> None:
        """A live record with nothing to apply (dead-lettered, or not a case event)."""
        mark = await until_available(
            lambda: self.projector.mark_read(partition, offset), self.outage
        )
        if mark < offset - 1:
            await self.replay(partition, mark + 1, offset, reason="gap before a live record")

    async def sweep(self, reason: str) -> int:
        """Replay, for every partition, what the topic holds beyond the model's read mark."""
        ends = await asyncio.to_thread(self.events.ends)
        marks = await until_available(self.projector.read_marks, self.outage)
        applied = 0
        for partition, end in sorted(ends.items()):
            start = marks.get(partition, -1) + 1
            if start < end:
                applied += await self.replay(partition, start, end, reason=reason)
        return applied

    async def replay(self, partition: int, start: int, end: int, *, reason: str) -> int:
        """Apply the case events of ``partition`` in ``[start, end)``; return how many changed
        the model."""
        records = await asyncio.to_thread(self.events.read, partition, start, end)
        applied = 0
        for offset, raw in records:
            try:
                event = decode(raw).data
            except InvalidEnvelope:
                continue  # the live projector dead-lettered it; the model never held it
            if isinstance(event, CaseEvent):
                applied += int(await self._apply(event, offset))
        await until_available(lambda: self.projector.mark_read(partition, end - 1), self.outage)
        log.info(
            "read_model.caught_up",
            partition=partition,
            start=start,
            end=end,
            applied=applied,
            reason=reason,
        )
        return applied

    async def _apply(self, event: CaseEvent, offset: int) -> bool:
        return await until_available(
            lambda: self.projector.apply(event, position=offset), self.outage
        )

    async def watch(self) -> None:
        """Called every few seconds: sweep once after start-up, and again whenever Redis is a new
        server since the last look (it restarted, maybe empty). A sweep that fails (Kafka away)
        is tried again at the next call."""
        try:
            info = await self.redis.info("server")
        except REDIS_DOWN:
            return  # the projector's own wait reports the outage
        run_id = str(info.get("run_id", ""))
        if self._run_id is not None and run_id != self._run_id:
            log.warning(
                "redis.restarted",
                action="none: the read model replays what Redis lost from the event topic",
            )
            self._sweep_due = "Redis restarted"
        self._run_id = run_id
        if self._sweep_due is None:
            return
        try:
            await self.sweep(self._sweep_due)
        except (KafkaException, TimeoutError, RuntimeError) as exc:  # Kafka away: next time
            log.warning(
                "read_model.catch_up_failed",
                error=f"{type(exc).__name__}: {exc}",
                action="none if Kafka is restarting; the sweep is tried again in a few seconds",
            )
            return
        self._sweep_due = None
