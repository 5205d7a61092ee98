"""Projects case events into the Redis read model: a summary and a step timeline per case, and
indexes by status, one-thing, division, deadline and steps awaiting a department's reply.

Events are applied as of the order they were published, not the order they arrive. Each carries
its position: its offset in the case-events topic, where all of one case's events share a
partition. Every value the model holds remembers the position it came from: a timeline entry, the
case's state, each field of a step row and each fact. A value is replaced only by one published
later, so redelivery, a consumer rewinding, or events arriving out of order leave the model as a
replay in topic order would: the model is a function of the events, not of their arrival order.
An orchestrator that crashed after publishing but before storing its state publishes the same
sequence numbers again once it recovers, maybe with other content (a timer fired later, a reply
handled in another order); the later publication is the one its stored state agrees with, so it
replaces the earlier. Everything happens in one Lua script, so a half-applied event is never seen.
Replaying the event topic into an empty Redis therefore rebuilds the same model.

The indexes follow the values they are built from, never the event being applied: a step is in
the awaiting-reply index exactly while its row (as merged so far) says it awaits a reply and its
case is open (``onething.readmodel.awaiting``), so they too end the same whatever order the events came in.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from contracts.lifecycle import CaseEvent, CaseEventType
from onething.readmodel.awaiting import epoch_ms
from onething.readmodel.keys import Keys

__all__ = ["NO_DEADLINE_MS", "Projector"]

# The score of a clerk task without a deadline: after every real one (year 2286 in epoch ms).
NO_DEADLINE_MS = 9_999_999_999_999

# KEYS: case, steps, timeline, status index prefix, deadlines, overdue, saga idx, division idx,
#       positions (of the case state "case", each entry "t:<seq>", each fact "f:<name>", each
#       field of a step row "s:<step>:<field>"), read marks (partition -> highest offset read),
#       awaiting-reply index ("case_id|step" by the row's dispatched_at_ms), the division's
#       clerk-task index and every division's ("case_id|step" by the row's deadline_at_ms)
# ARGV: case_id, seq, event json, status, step or "", step patch json, state patch json,
#       deadline epoch or "", overdue flag ("1"/""), position, facts json, partition or ""
# Returns {1 if anything changed else 0, the partition's read mark before this event (-1: none)}.
_APPLY = """
local NO_DEADLINE = NO_DEADLINE_MS
local position = tonumber(ARGV[10])
local mark = -1
if ARGV[12] ~= '' then
  mark = tonumber(redis.call('HGET', KEYS[10], ARGV[12]) or '-1')
  if position > mark then redis.call('HSET', KEYS[10], ARGV[12], position) end
end
local function newer(field)
  local kept = tonumber(redis.call('HGET', KEYS[9], field) or '-1')
  if position <= kept then return false end
  redis.call('HSET', KEYS[9], field, position)
  return true
end
-- Keys sorted, so a row reads the same byte for byte whatever order its fields arrived in.
local function encode_sorted(t)
  local names = {}
  for k in pairs(t) do names[#names + 1] = k end
  table.sort(names)
  local parts = {}
  for i, k in ipairs(names) do parts[i] = cjson.encode(k) .. ':' .. cjson.encode(t[k]) end
  return '{' .. table.concat(parts, ',') .. '}'
end
local changed, fresh_deadline = false, false
if newer('t:' .. ARGV[2]) then
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[3])
  changed = true
end
for k, v in pairs(cjson.decode(ARGV[11])) do
  if newer('f:' .. k) then
    redis.call('HSET', KEYS[1], k, v)
    changed = true
    if k == 'deadline_at' then fresh_deadline = true end
  end
end
redis.call('SADD', KEYS[7], ARGV[1])
redis.call('SADD', KEYS[8], ARGV[1])
if ARGV[5] ~= '' then
  local row = redis.call('HGET', KEYS[2], ARGV[5])
  local merged = row and cjson.decode(row) or {}
  local touched = false
  for k, v in pairs(cjson.decode(ARGV[6])) do
    if newer('s:' .. ARGV[5] .. ':' .. k) then
      merged[k] = v
      touched = true
    end
  end
  if touched then
    redis.call('HSET', KEYS[2], ARGV[5], encode_sorted(merged))
    changed = true
    -- Awaiting a department's reply: dispatched, by a command (a timer has no dispatched_at).
    local member = ARGV[1] .. '|' .. ARGV[5]
    local ended = redis.call('HGET', KEYS[1], 'ended_at')
    if merged.status == 'dispatched' and merged.dispatched_at_ms and not ended then
      redis.call('ZADD', KEYS[11], merged.dispatched_at_ms, member)
    else
      redis.call('ZREM', KEYS[11], member)
    end
    -- A clerk task while it waits for its clerk; one without a deadline sorts last.
    if merged.status == 'waiting_signal' and merged.clerk_task and not ended then
      local due = merged.deadline_at_ms or NO_DEADLINE
      redis.call('ZADD', KEYS[12], due, member)
      redis.call('ZADD', KEYS[13], due, member)
    else
      redis.call('ZREM', KEYS[12], member)
      redis.call('ZREM', KEYS[13], member)
    end
  end
end
-- The case's state is the latest published event's. An ended case leaves the open indexes.
if newer('case') then
  local old = redis.call('HGET', KEYS[1], 'status')
  for k, v in pairs(cjson.decode(ARGV[7])) do redis.call('HSET', KEYS[1], k, v) end
  redis.call('HSET', KEYS[1], 'last_seq', ARGV[2], 'status', ARGV[4])
  if old ~= ARGV[4] then
    if old then redis.call('SREM', KEYS[4] .. old, ARGV[1]) end
    redis.call('SADD', KEYS[4] .. ARGV[4], ARGV[1])
  end
  changed = true
end
if redis.call('HGET', KEYS[1], 'ended_at') then
  redis.call('ZREM', KEYS[5], ARGV[1])
  redis.call('SREM', KEYS[6], ARGV[1])
  -- The engine ends a case without an event per step still in flight: nothing awaits them now.
  for _, step in ipairs(redis.call('HKEYS', KEYS[2])) do
    redis.call('ZREM', KEYS[11], ARGV[1] .. '|' .. step)
    redis.call('ZREM', KEYS[12], ARGV[1] .. '|' .. step)
    redis.call('ZREM', KEYS[13], ARGV[1] .. '|' .. step)
  end
else
  -- The deadline indexed is the one the case's deadline fact holds.
  if ARGV[8] ~= '' and fresh_deadline then
    redis.call('ZADD', KEYS[5], tonumber(ARGV[8]), ARGV[1])
  end
  if ARGV[9] == '1' then redis.call('SADD', KEYS[6], ARGV[1]) end
end
return {changed and 1 or 0, mark}
"""

# Advance a partition's read mark past records that are not case events (nothing to apply).
# KEYS: read marks; ARGV: partition, offset
_MARK = """
local kept = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '-1')
if tonumber(ARGV[2]) > kept then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
return kept
"""


class Projector:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.keys = Keys(prefix)
        self._script = redis.register_script(_APPLY.replace("NO_DEADLINE_MS", str(NO_DEADLINE_MS)))
        self._mark = redis.register_script(_MARK)

    async def apply(self, event: CaseEvent, position: int | None = None) -> bool:
        """Apply one event published at ``position`` (its offset in the case-events topic); False
        when it changed nothing, because that version or later ones are already in. Without a
        position, the sequence number orders (for models fed from one in-order history, as in
        tests)."""
        changed, _mark = await self._apply(event, position, None)
        return bool(changed)

    async def apply_at(self, event: CaseEvent, partition: int, offset: int) -> int:
        """Apply an event read at ``offset`` of ``partition`` and advance the partition's read
        mark; return the mark before it. A mark below ``offset - 1`` means records before this
        one are not in the model (Redis lost them, or came back empty): see ``onething.readmodel.catch_up``."""
        _changed, mark = await self._apply(event, offset, partition)
        return int(mark)

    async def mark_read(self, partition: int, offset: int) -> int:
        """Record that ``partition`` was read up to ``offset`` (a record with nothing to apply);
        return the mark before."""
        return int(await self._mark(keys=[self.keys.read_marks()], args=[partition, offset]))

    async def read_marks(self) -> dict[int, int]:
        """Partition → the highest offset of it the model holds."""
        raw = await self.redis.hgetall(self.keys.read_marks())
        return {int(k): int(v) for k, v in raw.items()}

    async def _apply(
        self, event: CaseEvent, position: int | None, partition: int | None
    ) -> tuple[int, int]:
        k = self.keys
        case_deadline = event.deadline_at if _sets_case_deadline(event) else None
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
                k.positions(event.case_id),
                k.read_marks(),
                k.awaiting_reply(),
                k.clerk_tasks(event.division_code),
                k.clerk_tasks_due(),
            ],
            args=[
                event.case_id,
                event.seq,
                event.model_dump_json(),
                event.status.value,
                event.step or "",
                json.dumps(_step_patch(event), ensure_ascii=False),
                json.dumps(_state_patch(event), ensure_ascii=False),
                str(case_deadline.timestamp()) if case_deadline else "",
                "1" if overdue else "",
                str(event.seq if position is None else position),
                json.dumps(_facts(event), ensure_ascii=False),
                "" if partition is None else str(partition),
            ],
        )
        changed, mark = applied
        return int(changed), int(mark)


def _state_patch(event: CaseEvent) -> dict[str, Any]:
    """What the latest event says about the case as a whole."""
    return {
        "case_id": event.case_id,
        "saga": event.saga,
        "saga_version": event.saga_version,
        "division_code": event.division_code,
        "updated_at": event.at.isoformat(),
        "last_event": event.type.value,
    }


def _sets_case_deadline(event: CaseEvent) -> bool:
    """The case's own deadline: counted when it was received, again on a new calendar, or moved
    when its clock goes on after a 补正."""
    if event.type in (CaseEventType.DEADLINE_RECOMPUTED, CaseEventType.CLOCK_RESUMED):
        return event.step is None
    return event.type is CaseEventType.CASE_RECEIVED


def _facts(event: CaseEvent) -> dict[str, Any]:
    """What an event establishes for good, however late it is applied."""
    facts: dict[str, Any] = {}
    if event.type is CaseEventType.CASE_RECEIVED:
        facts["received_at"] = event.at.isoformat()
    if _sets_case_deadline(event) and event.deadline_at:
        facts["deadline_at"] = event.deadline_at.isoformat()
        facts["deadline_provisional"] = "1" if event.deadline_provisional else ""
    if event.type is CaseEventType.OVERDUE and event.step is None:
        facts["overdue"] = "1"
    if event.type is CaseEventType.STEP_SUCCEEDED and event.detail.get("pivot"):
        facts["pivot_passed"] = "1"
    if event.type is CaseEventType.CASE_TERMINATED:
        facts["outcome"] = event.reason or ""
        facts["ended_at"] = event.at.isoformat()
    return facts


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
        patch["deadline_at_ms"] = epoch_ms(event.deadline_at)  # what the task index sorts by
        patch["deadline_provisional"] = bool(event.deadline_provisional)
    if event.type is CaseEventType.STEP_WAITING and event.detail.get("clerk_task"):
        patch["clerk_task"] = True
        patch["title"] = str(event.detail.get("title", ""))
    if event.type is CaseEventType.STEP_WAITING and event.detail.get("objections"):
        patch["objections"] = True
    if event.type is CaseEventType.OVERDUE:
        patch["overdue"] = True
    if event.type is CaseEventType.SUPPLEMENT_REQUESTED:
        patch["supplement_fields"] = list(event.detail.get("fields", []))
    if event.type is CaseEventType.STEP_DISPATCHED:
        # When the current attempt went to its department: how long ops has waited for the reply.
        patch["dispatched_at"] = event.at.isoformat()
        patch["dispatched_at_ms"] = epoch_ms(event.at)
    return patch
