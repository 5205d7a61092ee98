"""A Faust consumer that never silently drops records it fetched.

Faust fetches with aiokafka, then hands records only for partitions it considers active; records
of a partition paused meanwhile (table recovery after a rebalance, a full buffer) or left over when
the flow stops mid-batch are discarded while the fetch position has already moved past them. Those
messages are then never processed — after a worker restart we saw whole partitions of case
requests stall this way. This consumer remembers what each fetch returned and, for any partition
still assigned whose records were not all handed over, seeks back to the first one not delivered,
so it is fetched again. Redelivery is safe: every handler downstream is idempotent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message

__all__ = ["NoDropConsumer"]


class NoDropConsumer(AIOKafkaConsumer):
    _fetched: Any = None

    async def _wait_next_records(self, timeout: float) -> Any:
        records, active = await super()._wait_next_records(timeout)
        self._fetched = records
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
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
