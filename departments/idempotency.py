"""The participant's memory of answered commands: command id → the reply it sent, in Redis.

A redelivered or repeated command gets the stored reply back without the department being asked
again. The TTL is far longer than any saga's retry horizon, so a key cannot expire while a retry of
the same attempt could still arrive.
"""

from __future__ import annotations

from datetime import timedelta

from redis.asyncio import Redis

__all__ = ["ReplyMemory", "DEFAULT_TTL"]

DEFAULT_TTL = timedelta(days=30)


class ReplyMemory:
    def __init__(self, redis: Redis, prefix: str, department: str, ttl: timedelta = DEFAULT_TTL):
        self.redis = redis
        self.namespace = f"{prefix}:idem:{department}"
        self.ttl = ttl

    def _key(self, command_id: str) -> str:
        return f"{self.namespace}:{command_id}"

    async def recall(self, command_id: str) -> bytes | None:
        return _as_bytes(await self.redis.get(self._key(command_id)))

    async def remember(self, command_id: str, reply: bytes) -> bytes:
        """Store the reply unless one is already there; return the one that is kept."""
        key = self._key(command_id)
        if await self.redis.set(key, reply, nx=True, ex=self.ttl):
            return reply
        kept = _as_bytes(await self.redis.get(key))
        return kept if kept is not None else reply


def _as_bytes(value: bytes | str | None) -> bytes | None:
    return value.encode() if isinstance(value, str) else value
