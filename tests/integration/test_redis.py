"""Redis round trips: Chinese text survives, hashes and expiry work, increments are atomic."""

from __future__ import annotations

import asyncio

import pytest
import redis.asyncio as aioredis

from onething.settings import Settings

pytestmark = pytest.mark.integration


async def test_values_hashes_and_expiry_round_trip(
    stack: Settings, redis_client: aioredis.Redis
) -> None:
    key = f"{stack.topic_prefix}:redis:text"
    await redis_client.set(key, "高效办成一件事", ex=300)
    assert await redis_client.get(key) == "高效办成一件事".encode()
    assert 0 < await redis_client.ttl(key) <= 300

    record = f"{stack.topic_prefix}:redis:case"
    await redis_client.hset(record, mapping={"status": "办理中", "step": "户口注销"})
    assert await redis_client.hgetall(record) == {
        b"status": "办理中".encode(),
        b"step": "户口注销".encode(),
    }


async def test_concurrent_increments_are_not_lost(
    stack: Settings, redis_client: aioredis.Redis
) -> None:
    key = f"{stack.topic_prefix}:redis:counter"
    await asyncio.gather(*(redis_client.incr(key) for _ in range(100)))
    assert await redis_client.get(key) == b"100"
