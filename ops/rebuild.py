"""Rebuild the read model from the case-events topic: ``python -m ops.rebuild``.

Deletes every read-model key of this deployment, then replays the topic from the beginning of
every partition up to where it ends now. The projector orders events by their offset (all of a
case's events share a partition), so the result equals the model the live projector built.
"""

from __future__ import annotations

import argparse
import asyncio
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, TopicPartition
from redis.asyncio import Redis

from contracts.envelope import InvalidEnvelope, decode
from contracts.lifecycle import CaseEvent
from contracts.topics import Topics
from onething.settings import Settings
from ops.keys import Keys
from ops.projector import Projector

__all__ = ["rebuild"]


async def rebuild(settings: Settings, redis: Redis) -> int:
    """Flush this deployment's read model and replay every case event; return events applied."""
    await _flush(redis, Keys(settings.topic_prefix))
    projector = Projector(redis, settings.topic_prefix)
    applied = 0
    for offset, raw in _replay(settings):
        try:
            event = decode(raw).data
        except InvalidEnvelope:
            continue  # the live projector dead-lettered it; the model never held it
        if isinstance(event, CaseEvent):
            applied += int(await projector.apply(event, position=offset))
    return applied


async def _flush(redis: Redis, keys: Keys) -> None:
    batch: list[bytes | str] = []
    async for key in redis.scan_iter(match=keys.pattern(), count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            await redis.delete(*batch)
            batch.clear()
    if batch:
        await redis.delete(*batch)


def _replay(settings: Settings) -> list[tuple[int, bytes]]:
    """Every record of the case-events topic, partition by partition, up to today's end."""
    topic = settings.topic(Topics.CASE_EVENTS)
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"rebuild-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )
    try:
        metadata = consumer.list_topics(topic, timeout=10)
        records: list[tuple[int, bytes]] = []
        for partition in sorted(metadata.topics[topic].partitions):
            records += _read_partition(consumer, topic, partition)
        return records
    finally:
        consumer.close()


def _read_partition(consumer: Consumer, topic: str, partition: int) -> list[tuple[int, bytes]]:
    low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
    if high <= low:
        return []
    consumer.assign([TopicPartition(topic, partition, OFFSET_BEGINNING)])
    out: list[tuple[int, bytes]] = []
    while True:
        message = consumer.poll(5.0)
        if message is None:
            raise TimeoutError(f"{topic}[{partition}] stopped before offset {high}")
        if message.error():
            raise RuntimeError(f"{topic}[{partition}]: {message.error()}")
        offset = message.offset() or 0
        out.append((offset, message.value() or b""))
        if offset >= high - 1:
            return out


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    settings = Settings()

    async def run() -> int:
        redis = Redis.from_url(settings.redis_url)
        try:
            return await rebuild(settings, redis)
        finally:
            await redis.aclose()

    print(f"read model rebuilt: {asyncio.run(run())} events applied")


if __name__ == "__main__":
    main()
