"""Durable timers without scanning: the due times live in each case's state (so they survive a
restart with it); the worker keeps them in a heap and fires what is due.

The heap is rebuilt once when the case table has recovered; after that every transition tells the
wheel that case's current timers. A firing is sent at most once per worker life; if the worker dies
before the engine consumed it, the rebuilt heap fires it again and the engine, which knows the
firing's deterministic id, treats the repeat as a redelivery.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from datetime import datetime

from saga.state import Timer

__all__ = ["TimerWheel"]


class TimerWheel:
    def __init__(self) -> None:
        self._heap: list[tuple[datetime, str, str]] = []
        self._current: dict[str, dict[str, Timer]] = {}

    def sync(self, case_id: str, timers: Iterable[Timer]) -> None:
        """Make the wheel hold exactly these timers for this case."""
        fresh = {t.timer_id: t for t in timers}
        known = self._current.get(case_id, {})
        for timer_id, timer in fresh.items():
            if timer_id not in known or known[timer_id].due_at != timer.due_at:
                heapq.heappush(self._heap, (timer.due_at, case_id, timer_id))
        if fresh:
            self._current[case_id] = fresh
        else:
            self._current.pop(case_id, None)

    def due(self, now: datetime) -> list[tuple[str, Timer]]:
        """Take every timer due at ``now`` out of the wheel, earliest first."""
        fired: list[tuple[str, Timer]] = []
        while self._heap and self._heap[0][0] <= now:
            due_at, case_id, timer_id = heapq.heappop(self._heap)
            timer = self._current.get(case_id, {}).get(timer_id)
            if timer is None or timer.due_at != due_at:
                continue  # cancelled or moved since it was pushed
            del self._current[case_id][timer_id]
            fired.append((case_id, timer))
        return fired

    def clear(self) -> None:
        self._heap.clear()
        self._current.clear()

    def __len__(self) -> int:
        return sum(len(t) for t in self._current.values())
