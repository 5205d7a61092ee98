"""A Faust consumer that does not lose records: it rewinds what it fetched but did not deliver,
and it un-sticks partitions Faust left paused after a rebalance.

Two Faust behaviours lose messages under at-least-once processing, both seen in our tests after a
worker restart:

1. Records fetched for a partition that is paused meanwhile (table recovery, a full buffer) or left
   over when the flow stops mid-batch are discarded, while the fetch position has already moved
   past them. Here every fetch is remembered and, for an assigned partition whose records were not
   all handed over, the consumer seeks back to the first one not delivered.
2. Recovery pauses every assigned partition and resumes them when it completes; when a second
   rebalance interrupts it, some input partitions can stay paused for good. A watchdog resumes
   any input partition still paused once recovery has completed, and seeks it back to its
   committed offset so nothing fetched in between is skipped.

Re-delivery is safe: every handler downstream is idempotent.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import TopicPartition as KafkaTP  # type: ignore[import-untyped]
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message

__all__ = ["NoDropConsumer"]

WATCH_SECONDS = 2.0


class NoDropConsumer(AIOKafkaConsumer):
    _fetched: Any = None
    _watchdog: asyncio.Future[None] | None = None

    async def _wait_next_records(self, timeout: float) -> Any:
        records, active = await super()._wait_next_records(timeout)
        self._fetched = records
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        if self._watchdog is None:
            self._watchdog = asyncio.ensure_future(self._watch_paused())
        self._fetched = None
        delivered: dict[TP, int] = {}
        async for tp, message in super().getmany(timeout):
            delivered[tp] = message.offset
            yield tp, message
        await self._rewind_undelivered(delivered)

    async def _rewind_undelivered(self, delivered: dict[TP, int]) -> None:
        fetched, self._fetched = self._fetched or {}, None
        assigned = self.assignment()
        for tp, records in fetched.items():
            last = delivered.get(tp)
            left = [r.offset for r in records if last is None or r.offset > last]
            if left and tp in assigned:
                self.log.info("rewinding %r to undelivered offset %r", tp, min(left))
                await self.seek(tp, min(left))

    async def _watch_paused(self) -> None:
        suspects: set[TP] = set()
        while not self.should_stop:
            await asyncio.sleep(WATCH_SECONDS)
            try:
                stuck = self._paused_inputs()
                # Only a partition seen paused twice in a row, outside any rebalance, is stuck.
                for tp in stuck & suspects:
                    await self._unstick(tp)
                suspects = stuck
            except Exception:  # the watchdog must outlive a bad moment
                self.log.exception("paused-partition watchdog failed; trying again")

    def _paused_inputs(self) -> set[TP]:
        app = self.app
        recovery = app.tables.recovery  # type: ignore[attr-defined]  # not in faust's type stubs
        if app.rebalancing or not recovery.completed.is_set():
            return set()
        assigned = self.assignment()
        return {
            tp for tp in self._paused_partitions if tp in assigned and not self._is_changelog_tp(tp)
        }

    async def _unstick(self, tp: TP) -> None:
        inner = self._thread._ensure_consumer()
        committed = await inner.committed(KafkaTP(tp.topic, tp.partition))
        self.log.warning("resuming %r left paused after recovery, from offset %r", tp, committed)
        self.resume_partitions({tp})
        await self.seek(tp, committed or 0)
