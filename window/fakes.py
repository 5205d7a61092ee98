"""In-memory fakes of the window's own ports, for unit tests and for trying the API without a
stack: ``InMemoryIdempotencyStore`` expires what it keeps by an injected clock;
``InMemoryWindowRegistry`` maps keys to windows. The read model's fake is
``onething.readmodel.fake.InMemoryReadModel``, the publisher's ``onething.http.fakes``; each
fake keeps the behaviour its contract tests pin down (``tests/unit/window/contracts.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from window.adapters.idempotency import ANSWER_TTL_SECONDS
from window.ports import Clock, Remembered, Window

__all__ = ["InMemoryIdempotencyStore", "InMemoryWindowRegistry"]


class InMemoryIdempotencyStore:
    def __init__(self, clock: Clock | None = None, *, ttl: int = ANSWER_TTL_SECONDS) -> None:
        self._clock = clock or (lambda: datetime.now(UTC))
        self._ttl = timedelta(seconds=ttl)
        self._held: dict[tuple[str, str], tuple[Remembered, datetime]] = {}

    async def recall(self, window_id: str, key: str) -> Remembered | None:
        held = self._held.get((window_id, key))
        return held[0] if held is not None and held[1] > self._clock() else None

    async def promise(self, window_id: str, key: str, decided: Remembered) -> Remembered | None:
        held = await self.recall(window_id, key)
        if held is not None:
            return held
        self._held[(window_id, key)] = (decided, self._clock() + self._ttl)
        return None

    async def fulfil(self, window_id: str, key: str, decided: Remembered) -> None:
        done = Remembered(decided.body_hash, decided.case_id, decided.outcome, True)
        self._held[(window_id, key)] = (done, self._clock() + self._ttl)


class InMemoryWindowRegistry:
    def __init__(self, windows: Mapping[str, Window]) -> None:
        self._windows = dict(windows)

    def window_for(self, api_key: str) -> Window | None:
        return self._windows.get(api_key) if api_key else None
