"""Queries over the read model: one case with its steps and timeline, cases by index, and steps
awaiting a department's reply."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from redis.asyncio import Redis

from onething.readmodel.awaiting import epoch_ms, split_member
from onething.readmodel.keys import Keys

__all__ = ["ReadModel", "RedisCaseDirectory"]


class ReadModel:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.keys = Keys(prefix)

    async def case(self, case_id: str) -> dict[str, Any] | None:
        """Summary, step rows and the ordered timeline of one case, or None if unknown."""
        summary = await self.redis.hgetall(self.keys.case(case_id))
        if not summary:
            return None
        steps = await self.redis.hgetall(self.keys.steps(case_id))
        timeline = await self.redis.hgetall(self.keys.timeline(case_id))
        return {
            **{_s(k): _s(v) for k, v in summary.items()},
            "steps": {_s(k): json.loads(v) for k, v in steps.items()},
            "timeline": [json.loads(timeline[k]) for k in sorted(timeline, key=int)],
        }

    async def ids_with_status(self, status: str) -> set[str]:
        return {_s(v) for v in await self.redis.smembers(self.keys.by_status(status))}

    async def ids_of_saga(self, saga: str) -> set[str]:
        return {_s(v) for v in await self.redis.smembers(self.keys.by_saga(saga))}

    async def ids_in_division(self, division: str) -> set[str]:
        return {_s(v) for v in await self.redis.smembers(self.keys.by_division(division))}

    async def overdue(self) -> set[str]:
        return {_s(v) for v in await self.redis.smembers(self.keys.overdue())}

    async def due_before(self, moment: datetime) -> list[str]:
        """Open cases whose statutory deadline falls before ``moment``, earliest first."""
        ids = await self.redis.zrangebyscore(self.keys.deadlines(), "-inf", moment.timestamp())
        return [_s(v) for v in ids if isinstance(v, bytes | str)]

    async def awaiting_reply(self, before: datetime) -> list[tuple[str, str]]:
        """``(case_id, step)`` of open cases' steps whose current attempt went to its department
        before ``before`` and has no reply yet, longest waiting first."""
        cutoff = f"({epoch_ms(before)}"  # exclusive: dispatched strictly before the moment
        found = await self.redis.zrangebyscore(self.keys.awaiting_reply(), "-inf", cutoff)
        return [split_member(_s(v)) for v in found if isinstance(v, bytes | str)]

    async def clerk_tasks(self, division: str) -> list[tuple[str, str]]:
        """``(case_id, step)`` of the clerk tasks waiting in ``division``, earliest deadline first
        (those without one last)."""
        found = await self.redis.zrange(self.keys.clerk_tasks(division), 0, -1)
        return [split_member(_s(v)) for v in found if isinstance(v, bytes | str)]

    async def clerk_tasks_due(self, moment: datetime) -> list[tuple[str, str]]:
        """``(case_id, step)`` of every division's waiting clerk tasks due before ``moment``,
        earliest first."""
        found = await self.redis.zrangebyscore(
            self.keys.clerk_tasks_due(), "-inf", f"({epoch_ms(moment)}"
        )
        return [split_member(_s(v)) for v in found if isinstance(v, bytes | str)]

    async def dump(self) -> dict[str, Any]:
        """Every key of the model with its value: for comparing a rebuild with the original."""
        out: dict[str, Any] = {}
        async for raw_key in self.redis.scan_iter(match=self.keys.pattern(), count=500):
            key = _s(raw_key)
            kind = _s(await self.redis.type(key))
            if kind == "hash":
                out[key] = {_s(k): _s(v) for k, v in (await self.redis.hgetall(key)).items()}
            elif kind == "set":
                out[key] = sorted(_s(v) for v in await self.redis.smembers(key))
            elif kind == "zset":
                scored = await self.redis.zrange(key, 0, -1, withscores=True)
                out[key] = [(_s(pair[0]), pair[1]) for pair in scored if isinstance(pair, tuple)]
        return out


def _s(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


# The three narrow reads the window needs, each one round trip, beside the index queries.
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
