"""The idempotency memory on Redis: one string key per window and ``Idempotency-Key``.

The key ``{prefix}:window:idem:{window_id}:{key}`` holds JSON with the request body's hash, the
case and outcome decided, and whether the messages were published. A decision is kept with an
atomic ``SET NX GET``, so of two concurrent requests one decision wins, and is kept for 24 hours,
the period within which a window may retry. Nothing personal is stored: a hash, a case id and an
outcome word.
"""

from __future__ import annotations

import json

from redis.asyncio import Redis

from window.ports import Remembered

__all__ = ["RedisIdempotencyStore", "idempotency_key"]

ANSWER_TTL_SECONDS = 24 * 60 * 60


def idempotency_key(prefix: str, window_id: str, key: str) -> str:
    return f"{prefix}:window:idem:{window_id}:{key}"


class RedisIdempotencyStore:
    def __init__(self, redis: Redis, prefix: str, *, ttl: int = ANSWER_TTL_SECONDS) -> None:
        self.redis = redis
        self.prefix = prefix
        self.ttl = ttl

    async def recall(self, window_id: str, key: str) -> Remembered | None:
        held = await self.redis.get(idempotency_key(self.prefix, window_id, key))
        return None if held is None else _remembered(held)

    async def promise(self, window_id: str, key: str, decided: Remembered) -> Remembered | None:
        # SET NX GET (Redis 7) keeps and reads in one atomic step.
        held = await self.redis.set(
            idempotency_key(self.prefix, window_id, key),
            _stored(decided),
            nx=True,
            get=True,
            ex=self.ttl,
        )
        if held is None:
            return None
        assert isinstance(held, bytes | str), "SET ... GET answers the old value or None"
        return _remembered(held)

    async def fulfil(self, window_id: str, key: str, decided: Remembered) -> None:
        await self.redis.set(
            idempotency_key(self.prefix, window_id, key),
            _stored(Remembered(decided.body_hash, decided.case_id, decided.outcome, True)),
            ex=self.ttl,
        )


def _stored(decided: Remembered) -> str:
    return json.dumps(
        {
            "body_hash": decided.body_hash,
            "case_id": decided.case_id,
            "outcome": decided.outcome,
            "published": decided.published,
        }
    )


def _remembered(raw: bytes | str) -> Remembered:
    stored = json.loads(raw)
    return Remembered(
        body_hash=stored["body_hash"],
        case_id=stored["case_id"],
        outcome=stored["outcome"],
        published=bool(stored.get("published")),
    )
