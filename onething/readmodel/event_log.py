"""Reading the case-events topic directly, outside any consumer group: where each partition ends,
and the records of one partition between two offsets.

The read model is a function of this log (see ``onething.readmodel.projector``), so both the rebuild and the live
projector's catch-up after Redis lost writes read it here. These calls block (confluent-kafka's
consumer is synchronous); async callers run them in a thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from confluent_kafka import Consumer, TopicPartition

from contracts.topics import Topics
from onething.settings import Settings

__all__ = ["EventLog"]

POLL_SECONDS = 5.0


class EventLog:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.topic = settings.topic(Topics.CASE_EVENTS)

    @contextmanager
    def _consumer(self) -> Iterator[Consumer]:
        consumer = Consumer(
            {
                "bootstrap.servers": self.settings.kafka_bootstrap,
                # A group of its own that never commits: reading here moves no one's offsets.
                "group.id": f"{self.settings.topic_prefix}-event-log-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
            }
        )
        try:
            yield consumer
        finally:
            consumer.close()

    def ends(self) -> dict[int, int]:
        """Partition → the offset the next record will get (its high watermark)."""
        with self._consumer() as consumer:
            metadata = consumer.list_topics(self.topic, timeout=10)
            ends: dict[int, int] = {}
            for partition in sorted(metadata.topics[self.topic].partitions):
                _low, high = consumer.get_watermark_offsets(
                    TopicPartition(self.topic, partition), timeout=10
                )
                ends[partition] = high
            return ends

    def read(self, partition: int, start: int, end: int) -> list[tuple[int, bytes]]:
        """The records of ``partition`` with offsets in ``[start, end)``, in order. Records the
        retention already deleted are not there: the read starts at the oldest one kept."""
        if end <= start:
            return []
        with self._consumer() as consumer:
            low, high = consumer.get_watermark_offsets(
                TopicPartition(self.topic, partition), timeout=10
            )
            first, stop = max(start, low), min(end, high)
            if stop <= first:
                return []
            consumer.assign([TopicPartition(self.topic, partition, first)])
            out: list[tuple[int, bytes]] = []
            while True:
                message = consumer.poll(POLL_SECONDS)
                if message is None:
                    raise TimeoutError(f"{self.topic}[{partition}] stopped before offset {stop}")
                if message.error():
                    raise RuntimeError(f"{self.topic}[{partition}]: {message.error()}")
                offset = message.offset() or 0
                if offset >= stop:
                    return out
                out.append((offset, message.value() or b""))
                if offset >= stop - 1:
                    return out
