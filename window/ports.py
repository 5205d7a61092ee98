"""The four ports the window API needs, and the small value types they exchange.

``Publisher`` hands an envelope to the broker, ``CaseDirectory`` reads the case read model,
``IdempotencyStore`` remembers what a retried submission was answered, and ``WindowRegistry``
tells which service-hall window an API key belongs to. Each has a real adapter in
``window.adapters`` and an in-memory fake in ``window.fakes``; one contract test suite runs
against both. The deployment's ``Keyring`` comes with them: the window seals the personal fields of every
request before it is published. ``PublishFailed`` is the only exception a port raises on purpose: the broker did not
take the message, and retrying (with the same ``Idempotency-Key``) can help.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import Envelope
from contracts.sealing import Keyring

__all__ = [
    "CaseDirectory",
    "Clock",
    "IdempotencyStore",
    "PublishFailed",
    "Publisher",
    "Remembered",
    "Window",
    "WindowPorts",
    "WindowRegistry",
]

Clock = Callable[[], datetime]


class PublishFailed(RuntimeError):
    """The broker did not acknowledge a message in time; the request can be retried."""


class Publisher(Protocol):
    async def publish(self, topic: str, envelope: Envelope[Any]) -> None:
        """Send one envelope to a catalog topic (relative name), keyed by its subject.

        Returns only once the broker has acknowledged it, so a 202 means "on the broker";
        raises ``PublishFailed`` otherwise.
        """
        ...


class CaseDirectory(Protocol):
    """Read access to the case read model (projected from lifecycle events, so slightly behind)."""

    async def summary(self, case_id: str) -> dict[str, str] | None:
        """The case's summary row (status, saga, division_code, deadline_at ...), or None."""
        ...

    async def steps(self, case_id: str) -> dict[str, dict[str, Any]]:
        """Step name → its row (status, attempt, department, deadline_at, reason ...)."""
        ...

    async def timeline(self, case_id: str) -> list[dict[str, Any]]:
        """The case's lifecycle events, ordered by sequence number."""
        ...


@dataclass(frozen=True)
class Remembered:
    """What an idempotency key was first used for; ``status_code`` is None while in flight."""

    body_hash: str
    status_code: int | None = None
    body: dict[str, Any] | None = None

    @property
    def in_flight(self) -> bool:
        return self.status_code is None


class IdempotencyStore(Protocol):
    """Remembers, per window and ``Idempotency-Key``, the request body hash and the answer."""

    async def claim(self, window_id: str, key: str, body_hash: str) -> Remembered | None:
        """Take the key for a request; None if taken now, else what the key already holds."""
        ...

    async def complete(
        self, window_id: str, key: str, body_hash: str, status_code: int, body: dict[str, Any]
    ) -> None:
        """Store the answer given, to replay it for a retry within the retention period."""
        ...

    async def release(self, window_id: str, key: str) -> None:
        """Forget a claim whose request was not accepted, so a retry is processed afresh."""
        ...


@dataclass(frozen=True)
class Window:
    """A service-hall window (窗口): its id and the 6-digit division it serves."""

    window_id: str
    division_code: str
    name: str = ""


class WindowRegistry(Protocol):
    def window_for(self, api_key: str) -> Window | None:
        """The window an API key belongs to, or None for an unknown key."""
        ...


@dataclass(frozen=True)
class WindowPorts:
    """Everything the window routes need from outside, passed in by the composition root."""

    publisher: Publisher
    directory: CaseDirectory
    idempotency: IdempotencyStore
    windows: WindowRegistry
    clock: Clock
    # Seals the personal fields of what the window publishes (``contracts.personal``).
    keyring: Keyring
