"""A small stateful department for runtime tests: applies each command once per idempotency key,
counts the effects it applied in Redis (so a test can prove "exactly once" across a crash), and
refuses when the case data asks it to (``refuse`` lists step names)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from contracts.saga import DepartmentCommand
from departments.adapter import Outcome
from onething.settings import Settings

DEPARTMENT = "sample"
_APPLY_ONCE = """
if redis.call('SET', KEYS[1], 1, 'NX') then
  redis.call('INCR', KEYS[2])
  redis.call('INCR', KEYS[3])
end
"""


class SampleDepartment:
    department = DEPARTMENT  # type: ignore[assignment]  # a test participant, not a Department

    def __init__(self, redis: Redis, prefix: str, latency: float = 0.02) -> None:
        self.redis = redis
        self.prefix = prefix
        self.latency = latency
        self._apply = redis.register_script(_APPLY_ONCE)

    async def handle(self, command: DepartmentCommand) -> Outcome:
        await asyncio.sleep(self.latency)  # a real department takes a moment: room for a crash
        if command.step in command.payload.get("refuse", []) and not command.compensation:
            return Outcome.refused(f"{command.command}Refused", "not_eligible", "不符合条件")
        # Marking the key applied and counting the effect is one atomic step, as a real
        # department's own transaction would be: a crash cannot leave one without the other.
        await self._apply(
            keys=[
                f"{self.prefix}:sample:applied:{command.command_id}",
                f"{self.prefix}:sample:effects:{command.command_id}",
                f"{self.prefix}:sample:step-effects:{command.case_id}:{command.step}:"
                + ("undo" if command.compensation else "do"),
            ]
        )
        return Outcome.done(f"{command.command}Done", by=DEPARTMENT)


def make_adapter(settings: Settings) -> SampleDepartment:
    return SampleDepartment(Redis.from_url(settings.redis_url), settings.topic_prefix)
