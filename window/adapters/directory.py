"""The case directory on the Redis read model: one case's summary, steps or timeline, each in one
round trip.

It extends ``ops.read_model.ReadModel`` (which answers the index queries the ops API uses) with
the three narrower reads the window needs, so one adapter and one contract suite serve both APIs.
"""

from __future__ import annotations

import json
from typing import Any

from ops.read_model import ReadModel

__all__ = ["RedisCaseDirectory"]


class RedisCaseDirectory(ReadModel):
    async def summary(self, case_id: str) -> dict[str, str] | None:
        raw = await self.redis.hgetall(self.keys.case(case_id))
        return {_s(k): _s(v) for k, v in raw.items()} or None

    async def steps(self, case_id: str) -> dict[str, dict[str, Any]]:
        raw = await self.redis.hgetall(self.keys.steps(case_id))
        return {_s(k): json.loads(v) for k, v in raw.items()}

    async def timeline(self, case_id: str) -> list[dict[str, Any]]:
        raw = await self.redis.hgetall(self.keys.timeline(case_id))
        return [json.loads(raw[k]) for k in sorted(raw, key=int)]


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
