"""A Faust consumer that does not lose records under at-least-once processing.

Faust-streaming 0.15 loses messages in three ways, all seen in our tests around worker restarts:

1. **Commits past unprocessed records.** Faust commits one past the first run of acked offsets
   even when that run does not start at the committed offset (its check is off by one, and is
   skipped entirely while nothing was committed yet), and it counts offsets it never delivered
   (a "gap") as acked. A participant acking out of order, or a record dropped in between, then
   vanishes for good when the worker dies. Here the commit point only moves over a run of acked
   offsets that starts exactly at it; a gap holds it.
2. **Records fetched but never delivered.** Records of a partition that is paused meanwhile (table
   recovery, a full buffer), or left over when the flow stops mid-batch, are discarded while the
   fetch position has already moved past them. Every fetch is remembered and an assigned
   partition is sought back to its first record not delivered.
3. **Partitions that stop moving.** Recovery pauses every assigned partition and resumes them
   when it completes; a second rebalance can interrupt that and leave inputs paused, and a record
   dropped in flight leaves a partition waiting behind it. A watchdog looks at each input
   partition every few seconds and, when one has records left, nothing of it in flight and no
   change for several looks, resumes it and seeks it back to its commit point.

Re-delivery is safe: every handler downstream is idempotent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any
from weakref import WeakValueDictionary

from aiokafka import TopicPartition as KafkaTP  # type: ignore[import-untyped]
from faust.transport.drivers.aiokafka import Consumer as AIOKafkaConsumer
from faust.types import TP, Message

from onething.consumer_offsets import Progress, StallWatch, contiguous_end

__all__ = ["NoDropConsumer"]

WATCH_SECONDS = 2.0
STUCK_AFTER_LOOKS = 3
BLOCKED_SECONDS = 1.0


class NoDropConsumer(AIOKafkaConsumer):
    _fetched: Any = None
    _watchdog: asyncio.Future[None] | None = None
    # Since when the fetch loop has been handing one record over (waiting on a full buffer,
    # flow control): while it is, a partition not moving is busy, not stuck.
    _handing_since: float | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Where each assigned partition's processing started: its committed offset, or the log
        # start when nothing was committed yet. Faust keeps a committed 0 as "unknown".
        self._start_points: dict[TP, int] = {}
        # Records handed to the streams and not yet garbage: the ones still queued or in work.
        self._handed: WeakValueDictionary[tuple[TP, int], Message] = WeakValueDictionary()

    # ---- 1. commit only what was processed --------------------------------------------------

    def _commit_base(self, tp: TP) -> int | None:
        committed: int | None = self._committed_offset.get(tp)
        if committed is not None:
            return committed
        return self._start_points.get(tp)

    def _new_offset(self, tp: TP) -> int | None:
        base = self._commit_base(tp)
        acked = self._acked[tp]
        if base is None or not acked:
            return None
        index = self._acked_index[tp]
        end = contiguous_end(base, index)
        if end == base:
            return None
        # Re-deliveries below the base may linger here too; drop everything now committed.
        acked[:] = [offset for offset in acked if offset >= end]
        index.difference_update([offset for offset in index if offset < end])
        return end

    async def _add_gap(self, tp: TP, offset_from: int, offset_to: int) -> None:
        # Our input topics have contiguous offsets (no transactions, no compaction), so a gap is
        # records this consumer skipped: never count them as processed. The watchdog rewinds.
        self.log.warning(
            "offsets %r..%r of %r were skipped; holding its commit until the watchdog rewinds to"
            " them (nothing to do, unless it repeats for one partition: then look above for its"
            " handler failing)",
            offset_from,
            offset_to - 1,
            tp,
        )

    async def seek_to_committed(self) -> Mapping[TP, int]:
        committed = await super().seek_to_committed()
        starts = self._start_points
        starts.clear()
        starts.update({tp: offset for tp, offset in committed.items() if offset is not None})
        fresh = [tp for tp, offset in committed.items() if offset is None]
        if fresh:
            # Nothing committed: aiokafka leaves these where the fetch got to, past records that
            # were handed to the streams before recovery and flushed with their buffers. The group
            # reads from the earliest offset, so that is where they start, again.
            earliest = await self._thread.earliest_offsets(*fresh)
            for tp, offset in earliest.items():
                starts[tp] = offset
                await self.seek(tp, offset)
        return committed

    async def on_partitions_revoked(self, revoked: set[TP]) -> None:
        for tp in revoked:
            self._start_points.pop(tp, None)
        await super().on_partitions_revoked(revoked)

    # ---- 2. rewind what was fetched or handed over but not delivered ------------------------

    async def _wait_next_records(self, timeout: float) -> Any:
        records, active = await super()._wait_next_records(timeout)
        self._fetched = records
        return records, active

    async def getmany(self, timeout: float) -> AsyncIterator[tuple[TP, Message]]:
        if self._watchdog is None:
            self._watchdog = asyncio.ensure_future(self._watch())
        self._fetched = None
        delivered: dict[TP, int] = {}
        dropped: dict[TP, int] = {}
        handed = self._handed
        acking = self.app.topics.acks_enabled_for
        async for tp, message in super().getmany(timeout):
            if tp in dropped:
                continue  # sought back below; the rest of this batch comes again
            already_read = self._read_offset.get(tp)
            self._handing_since = time.monotonic()
            yield tp, message
            self._handing_since = None
            # Faust gives up on a record while the flow is suspended (a rebalance starting)
            # yet moves on past it: a record no stream took and nobody acked was dropped.
            # (Below the read offset is Faust skipping a record it already had: not a drop.)
            fresh = already_read is None or message.offset >= already_read
            if acking(tp.topic) and fresh and message.refcount == 0 and not message.acked:
                dropped[tp] = message.offset
                continue
            delivered[tp] = message.offset
            handed[(tp, message.offset)] = message
        await self._rewind(dropped, delivered)

    async def _rewind(self, dropped: Mapping[TP, int], delivered: Mapping[TP, int]) -> None:
        fetched, self._fetched = self._fetched or {}, None
        rewind = dict(dropped)
        for tp, records in fetched.items():
            last = delivered.get(tp)
            left = [r.offset for r in records if last is None or r.offset > last]
            if left and tp not in rewind:
                rewind[tp] = min(left)
        assigned = self.assignment()
        for tp, offset in rewind.items():
            if tp in assigned:
                self.log.info("rewinding %r to offset %r, not delivered", tp, offset)
                await self.seek(tp, offset)

    # ---- 3. un-stick partitions that stopped moving -----------------------------------------

    async def on_stop(self) -> None:
        # The watchdog is ours, not a Faust service task: end it before the loop closes, or its
        # next look fails on a closed loop and logs an error at every shutdown.
        if self._watchdog is not None:
            self._watchdog.cancel()
        await super().on_stop()

    async def _watch(self) -> None:
        watch = StallWatch(STUCK_AFTER_LOOKS)
        while not self._stopping():
            await self.sleep(WATCH_SECONDS)  # returns early when the consumer stops
            if self._stopping():
                return
            try:
                await self._look(watch)
            except Exception:  # the watchdog must outlive a bad moment (a rebalance, a timeout)
                if self._stopping():
                    return
                self.log.exception(
                    "stalled-partition watchdog failed; it looks again in %r s (nothing to do"
                    " unless this repeats: then the broker is unreachable from this worker)",
                    WATCH_SECONDS,
                )

    def _stopping(self) -> bool:
        # A call, not the attribute: it changes while we await, which mypy cannot see.
        return bool(self.should_stop)

    async def _look(self, watch: StallWatch) -> None:
        inputs = self._watched_inputs()
        watch.forget(inputs)
        if not inputs:
            return
        ends = await self.highwaters(*inputs)
        handed = self._handed
        since = self._handing_since
        blocked = since is not None and time.monotonic() - since > BLOCKED_SECONDS
        for tp in inputs:
            end = ends.get(tp)
            if end is None or not self._watching():
                continue
            point = self._progress_point(tp)
            paused = tp in self._paused_partitions
            record = handed.get((tp, point)) if point is not None else None
            now = Progress(
                commit_point=point,
                paused=paused,
                in_flight=(record is not None and not record.acked) or (blocked and not paused),
                log_end=end,
            )
            if watch.stuck(tp, now):
                await self._unstick(tp, now)

    def _watching(self) -> bool:
        recovery = self.app.tables.recovery  # type: ignore[attr-defined]  # not in faust's stubs
        return not self.app.rebalancing and recovery.completed.is_set()

    def _watched_inputs(self) -> set[TP]:
        if not self._watching():
            return set()
        acking = self.app.topics.acks_enabled_for
        return {
            tp for tp in self.assignment() if acking(tp.topic) and not self._is_changelog_tp(tp)
        }

    def _progress_point(self, tp: TP) -> int | None:
        base = self._commit_base(tp)
        if base is None:
            return None
        return contiguous_end(base, self._acked_index.get(tp, ()))

    async def _unstick(self, tp: TP, now: Progress) -> None:
        target = now.commit_point
        if target is None:
            target = await self._broker_start(tp)
        if tp not in self.assignment():
            return
        self.log.warning(
            "%r has records left (log end %r) but has not moved: resuming from offset %r"
            " (records from there are delivered again, harmlessly; if this repeats for one"
            " partition, look above for its handler failing)",
            tp,
            now.log_end,
            target,
        )
        self.resume_partitions({tp})
        await self.seek(tp, target)

    async def _broker_start(self, tp: TP) -> int:
        """Where a partition with nothing processed here starts: its committed offset, else the
        log start (the group reads from the earliest offset)."""
        inner = self._thread._ensure_consumer()
        committed = await self._thread.call_thread(inner.committed, KafkaTP(tp.topic, tp.partition))
        if committed is not None:
            return int(committed)
        earliest = await self._thread.earliest_offsets(tp)
        return int(earliest.get(tp, 0))
