"""The participant's memory of answered commands: command id → the reply it sent, in Redis.

A redelivered or repeated command gets the stored reply back without the department being asked
again. The TTL is far longer than any saga's retry horizon, so a key cannot expire while a retry of
the same attempt could still arrive.

While Redis is away, ``recall`` and ``remember`` wait for it (``onething.redis_edge``) instead of
failing: the command in hand is then finished once Redis is back, its reply published before its
offset is committed, so a Redis restart neither drops a command nor takes the worker down.
"""

from __future__ import annotations

from datetime import timedelta

from redis.asyncio import Redis

from onething.redis_edge import Outage, until_available

__all__ = ["ReplyMemory", "DEFAULT_TTL"]

DEFAULT_TTL = timedelta(days=30)


class ReplyMemory:
    def __init__(self, redis: Redis, prefix: str, department: str, ttl: timedelta = DEFAULT_TTL):
        self.redis = redis
        self.namespace = f"{prefix}:idem:{department}"
        self.ttl = ttl
        # One outage is one warning, however many commands are waiting on it.
        self.outage = Outage(f"reply memory of {department}")

    def _key(self, command_id: str) -> str:
        return f"{self.namespace}:{command_id}"

    async def recall(self, command_id: str) -> bytes | None:
        key = self._key(command_id)
        return _as_bytes(await until_available(lambda: self.redis.get(key), self.outage))

    async def remember(self, command_id: str, reply: bytes) -> bytes:
        """Store the reply unless one is already there; return the one that is kept."""
        return await until_available(lambda: self._keep(command_id, reply), self.outage)

    async def _keep(self, command_id: str, reply: bytes) -> bytes:
        # Safe to repeat after a lost answer: a second SET NX finds the first one's value.
        key = self._key(command_id)
        if await self.redis.set(key, reply, nx=True, ex=self.ttl):
            return reply
        kept = _as_bytes(await self.redis.get(key))
        return kept if kept is not None else reply


def _as_bytes(value: bytes | str | None) -> bytes | None:
    return value.encode() if isinstance(value, str) else value
