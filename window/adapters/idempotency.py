"""The idempotency memory on Redis: one string key per window and ``Idempotency-Key``.

The key ``{prefix}:window:idem:{window_id}:{key}`` holds JSON with the request body's hash and,
once answered, the status code and response body. A claim is an atomic ``SET NX GET`` with a short expiry, so
two concurrent retries cannot both publish and a request that died mid-way frees its key soon; the
answer is stored for 24 hours, the period within which a window may retry.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from window.ports import Remembered

__all__ = ["RedisIdempotencyStore", "idempotency_key"]

ANSWER_TTL_SECONDS = 24 * 60 * 60
CLAIM_TTL_SECONDS = 60


def idempotency_key(prefix: str, window_id: str, key: str) -> str:
    return f"{prefix}:window:idem:{window_id}:{key}"


class RedisIdempotencyStore:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        answer_ttl: int = ANSWER_TTL_SECONDS,
        claim_ttl: int = CLAIM_TTL_SECONDS,
    ) -> None:
        self.redis = redis
        self.prefix = prefix
        self.answer_ttl = answer_ttl
        self.claim_ttl = claim_ttl

    async def claim(self, window_id: str, key: str, body_hash: str) -> Remembered | None:
        # SET NX GET (Redis 7) claims and reads in one atomic step: of two concurrent retries,
        # exactly one gets None back and goes on to publish.
        held = await self.redis.set(
            idempotency_key(self.prefix, window_id, key),
            json.dumps({"body_hash": body_hash}),
            nx=True,
            get=True,
            ex=self.claim_ttl,
        )
        if held is None:
            return None
        assert isinstance(held, bytes | str), "SET ... GET answers the old value or None"
        return _remembered(held)

    async def complete(
        self, window_id: str, key: str, body_hash: str, status_code: int, body: dict[str, Any]
    ) -> None:
        answer = {"body_hash": body_hash, "status_code": status_code, "body": body}
        await self.redis.set(
            idempotency_key(self.prefix, window_id, key),
            json.dumps(answer, ensure_ascii=False),
            ex=self.answer_ttl,
        )

    async def release(self, window_id: str, key: str) -> None:
        await self.redis.delete(idempotency_key(self.prefix, window_id, key))


def _remembered(raw: bytes | str) -> Remembered:
    stored = json.loads(raw)
    return Remembered(
        body_hash=stored["body_hash"],
        status_code=stored.get("status_code"),
        body=stored.get("body"),
    )
