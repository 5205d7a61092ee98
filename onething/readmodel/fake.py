"""The read model in dicts, for unit tests and for trying the APIs without a stack.

``InMemoryReadModel`` projects case events as the Redis projector does (with the projector's own
patch builders, so the two differ only in storage) and answers the same queries; one contract
suite (``tests/unit/window/contracts.py``) runs against both.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from contracts.lifecycle import CaseEvent, CaseEventType
from onething.readmodel.awaiting import epoch_ms, member
from onething.readmodel.projector import NO_DEADLINE_MS, _facts, _state_patch, _step_patch

__all__ = ["InMemoryReadModel"]


class InMemoryReadModel:
    """The read model in dicts: ``apply`` an event, then query it like ``RedisCaseDirectory``."""

    def __init__(self) -> None:
        self._summaries: dict[str, dict[str, str]] = {}
        self._steps: dict[str, dict[str, dict[str, Any]]] = {}
        self._timelines: dict[str, dict[int, dict[str, Any]]] = {}
        self._positions: dict[str, dict[str, int]] = {}
        self._by_status: dict[str, set[str]] = {}
        self._by_saga: dict[str, set[str]] = {}
        self._by_division: dict[str, set[str]] = {}
        self._deadlines: dict[str, float] = {}
        self._overdue: set[str] = set()
        self._awaiting: dict[tuple[str, str], int] = {}  # (case, step) -> dispatched_at_ms
        # (case, step) -> (division, deadline_at_ms or NO_DEADLINE_MS) of waiting clerk tasks
        self._tasks: dict[tuple[str, str], tuple[str, int]] = {}

    async def apply(self, event: CaseEvent, position: int | None = None) -> bool:
        """Apply one event as ``onething.readmodel.projector.Projector.apply`` does: ordered by position."""
        case_id = event.case_id
        at = event.seq if position is None else position
        positions = self._positions.setdefault(case_id, {})

        def newer(name: str) -> bool:
            if at <= positions.get(name, -1):
                return False
            positions[name] = at
            return True

        changed = False
        if newer(f"t:{event.seq}"):
            self._timelines.setdefault(case_id, {})[event.seq] = event.model_dump(mode="json")
            changed = True
        summary = self._summaries.setdefault(case_id, {})
        facts = {k: str(v) for k, v in _facts(event).items() if newer(f"f:{k}")}
        summary.update(facts)
        changed |= bool(facts)
        self._by_saga.setdefault(event.saga, set()).add(case_id)
        self._by_division.setdefault(event.division_code, set()).add(case_id)
        if event.step:
            # Through JSON, as the Lua script stores it: what a reader gets back is JSON values.
            patch = json.loads(json.dumps(_step_patch(event), ensure_ascii=False))
            fresh = {k: v for k, v in patch.items() if newer(f"s:{event.step}:{k}")}
            if fresh:
                row = self._steps.setdefault(case_id, {}).setdefault(event.step, {})
                row.update(fresh)
                changed = True
                ms = row.get("dispatched_at_ms")
                if row.get("status") == "dispatched" and ms and "ended_at" not in summary:
                    self._awaiting[(case_id, event.step)] = ms
                else:
                    self._awaiting.pop((case_id, event.step), None)
                waiting = row.get("status") == "waiting_signal" and row.get("clerk_task")
                if waiting and "ended_at" not in summary:
                    due = row.get("deadline_at_ms") or NO_DEADLINE_MS
                    self._tasks[(case_id, event.step)] = (event.division_code, due)
                else:
                    self._tasks.pop((case_id, event.step), None)
        if newer("case"):
            old = summary.get("status")
            summary.update({k: str(v) for k, v in _state_patch(event).items()})
            summary.update(last_seq=str(event.seq), status=event.status.value)
            if old != event.status.value:
                if old is not None:
                    self._by_status.get(old, set()).discard(case_id)
                self._by_status.setdefault(event.status.value, set()).add(case_id)
            changed = True
        if "ended_at" in summary:
            self._deadlines.pop(case_id, None)
            self._overdue.discard(case_id)
            for step in self._steps.get(case_id, {}):
                self._awaiting.pop((case_id, step), None)
                self._tasks.pop((case_id, step), None)
        else:
            if "deadline_at" in facts and event.deadline_at is not None:
                self._deadlines[case_id] = event.deadline_at.timestamp()
            if event.type is CaseEventType.OVERDUE and event.step is None:
                self._overdue.add(case_id)
        return changed

    async def summary(self, case_id: str) -> dict[str, str] | None:
        found = self._summaries.get(case_id)
        return dict(found) if found else None

    async def steps(self, case_id: str) -> dict[str, dict[str, Any]]:
        return {name: dict(row) for name, row in self._steps.get(case_id, {}).items()}

    async def timeline(self, case_id: str) -> list[dict[str, Any]]:
        events = self._timelines.get(case_id, {})
        return [dict(events[seq]) for seq in sorted(events)]

    async def case(self, case_id: str) -> dict[str, Any] | None:
        summary = await self.summary(case_id)
        if summary is None:
            return None
        steps, timeline = await self.steps(case_id), await self.timeline(case_id)
        return {**summary, "steps": steps, "timeline": timeline}

    async def ids_with_status(self, status: str) -> set[str]:
        return set(self._by_status.get(status, set()))

    async def ids_of_saga(self, saga: str) -> set[str]:
        return set(self._by_saga.get(saga, set()))

    async def ids_in_division(self, division: str) -> set[str]:
        return set(self._by_division.get(division, set()))

    async def overdue(self) -> set[str]:
        return set(self._overdue)

    async def due_before(self, moment: datetime) -> list[str]:
        due = [(at, case_id) for case_id, at in self._deadlines.items() if at <= moment.timestamp()]
        return [case_id for _, case_id in sorted(due)]

    async def awaiting_reply(self, before: datetime) -> list[tuple[str, str]]:
        cutoff = epoch_ms(before)
        # Ties in the order Redis breaks them: by the member's bytes, ``case_id|step``.
        waiting = [
            (ms, member(case_id, step), (case_id, step))
            for (case_id, step), ms in self._awaiting.items()
            if ms < cutoff
        ]
        return [pair for _, _, pair in sorted(waiting)]

    async def clerk_tasks(self, division: str) -> list[tuple[str, str]]:
        mine = [
            (due, member(case_id, step), (case_id, step))
            for (case_id, step), (where, due) in self._tasks.items()
            if where == division
        ]
        return [pair for _, _, pair in sorted(mine)]

    async def clerk_tasks_due(self, moment: datetime) -> list[tuple[str, str]]:
        cutoff = epoch_ms(moment)
        due = [
            (at, member(case_id, step), (case_id, step))
            for (case_id, step), (_, at) in self._tasks.items()
            if at < cutoff
        ]
        return [pair for _, _, pair in sorted(due)]
