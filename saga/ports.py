"""The ports the orchestrator needs from the outside world, so its core can run on Faust,
on plain Kafka clients, or on in-memory fakes in tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import Envelope

__all__ = ["Clock", "Outbox", "StateStore"]

Clock = Callable[[], datetime]


class Outbox(Protocol):
    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        """Publish ``(relative topic, envelope)`` pairs and return once the broker has them."""
        ...


class StateStore(Protocol):
    def get(self, case_id: str) -> bytes | None: ...

    def put(self, case_id: str, value: bytes) -> None: ...
