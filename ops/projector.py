"""Projects case events into the Redis read model: a summary and a step timeline per case, and
indexes by status, one-thing, division and deadline.

Idempotent under redelivery and replay: the timeline is keyed by the event's sequence number
(first version kept), and the summary, step rows and indexes only move forward, for an event newer
than the last one applied. All of that happens in one Lua script, so a half-applied event is never
seen. Replaying the event topic into an empty Redis therefore rebuilds the same model.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from contracts.lifecycle import TERMINAL_STATUSES, CaseEvent, CaseEventType
from ops.keys import Keys

__all__ = ["Projector"]

# KEYS: case, steps, timeline, status index prefix, deadlines, overdue, saga idx, division idx
# ARGV: case_id, seq, event json, status, step or "", step patch json, summary patch json,
#       deadline epoch or "", overdue flag ("1"/"0"/""), terminal ("1"/"0")
_APPLY = """
local seq = tonumber(ARGV[2])
redis.call('HSETNX', KEYS[3], ARGV[2], ARGV[3])
local last = tonumber(redis.call('HGET', KEYS[1], 'last_seq') or '0')
if seq <= last then return 0 end
local old = redis.call('HGET', KEYS[1], 'status')
local patch = cjson.decode(ARGV[7])
for k, v in pairs(patch) do redis.call('HSET', KEYS[1], k, v) end
redis.call('HSET', KEYS[1], 'last_seq', seq, 'status', ARGV[4])
if old ~= ARGV[4] then
  if old then redis.call('SREM', KEYS[4] .. old, ARGV[1]) end
  redis.call('SADD', KEYS[4] .. ARGV[4], ARGV[1])
end
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('SADD', KEYS[8], ARGV[1])
if ARGV[5] ~= '' then
  local row = redis.call('HGET', KEYS[2], ARGV[5])
  local merged = row and cjson.decode(row) or {}
  for k, v in pairs(cjson.decode(ARGV[6])) do merged[k] = v end
  redis.call('HSET', KEYS[2], ARGV[5], cjson.encode(merged))
end
if ARGV[8] ~= '' then redis.call('ZADD', KEYS[5], tonumber(ARGV[8]), ARGV[1]) end
if ARGV[9] == '1' then redis.call('SADD', KEYS[6], ARGV[1]) end
if ARGV[10] == '1' then
  redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('SREM', KEYS[6], ARGV[1])
end
return 1
"""


class Projector:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.keys = Keys(prefix)
        self._script = redis.register_script(_APPLY)

    async def apply(self, event: CaseEvent) -> bool:
        """Apply one event; False when it was already applied (or older than what is there)."""
        k = self.keys
        terminal = event.status in TERMINAL_STATUSES
        case_deadline = event.deadline_at if event.type is CaseEventType.CASE_RECEIVED else None
        overdue = event.type is CaseEventType.OVERDUE and event.step is None
        applied = await self._script(
            keys=[
                k.case(event.case_id),
                k.steps(event.case_id),
                k.timeline(event.case_id),
                k.by_status(""),
                k.deadlines(),
                k.overdue(),
                k.by_saga(event.saga),
                k.by_division(event.division_code),
            ],
            args=[
                event.case_id,
                event.seq,
                event.model_dump_json(),
                event.status.value,
                event.step or "",
                json.dumps(_step_patch(event), ensure_ascii=False),
                json.dumps(_summary_patch(event), ensure_ascii=False),
                str(case_deadline.timestamp()) if case_deadline else "",
                "1" if overdue else "",
                "1" if terminal else "0",
            ],
        )
        return bool(applied)


def _summary_patch(event: CaseEvent) -> dict[str, Any]:
    patch: dict[str, Any] = {
        "case_id": event.case_id,
        "saga": event.saga,
        "saga_version": event.saga_version,
        "division_code": event.division_code,
        "updated_at": event.at.isoformat(),
        "last_event": event.type.value,
    }
    if event.type is CaseEventType.CASE_RECEIVED:
        patch["received_at"] = event.at.isoformat()
        if event.deadline_at:
            patch["deadline_at"] = event.deadline_at.isoformat()
    if event.type is CaseEventType.OVERDUE and event.step is None:
        patch["overdue"] = "1"
    if event.type is CaseEventType.STEP_SUCCEEDED and event.detail.get("pivot"):
        patch["pivot_passed"] = "1"
    if event.type is CaseEventType.CASE_TERMINATED:
        patch["outcome"] = event.reason or ""
        patch["ended_at"] = event.at.isoformat()
    return patch


def _step_patch(event: CaseEvent) -> dict[str, Any]:
    patch: dict[str, Any] = {"updated_at": event.at.isoformat(), "last_event": event.type.value}
    if event.step_status is not None:
        patch["status"] = event.step_status.value
    for name in ("attempt", "department", "reason_code", "reason", "actor"):
        value = getattr(event, name)
        if value is not None:
            patch[name] = value
    if event.deadline_at is not None:
        patch["deadline_at"] = event.deadline_at.isoformat()
    if event.type is CaseEventType.OVERDUE:
        patch["overdue"] = True
    return patch
