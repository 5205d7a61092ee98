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

from dataclasses import dataclass
from typing import Any, Protocol

from contracts.sealing import Keyring
from onething.http.ports import Clock, Publisher, PublishFailed

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

    async def clerk_tasks(self, division: str) -> list[tuple[str, str]]:
        """``(case_id, step)`` of the clerk tasks waiting in a division, earliest deadline first."""
        ...


@dataclass(frozen=True)
class Remembered:
    """What an idempotency key was used for: the request's body hash and what was decided (the
    case and the outcome its 202 names), and whether its messages are on the broker yet.

    The decision is kept before anything is published: a retry of a request that died between
    publishing and answering publishes the same messages again, under the same ids (which the
    orchestrator recognises), and gets the same 202, instead of deciding afresh against a case
    that its own first attempt created."""

    body_hash: str
    case_id: str
    outcome: str
    published: bool = False


class IdempotencyStore(Protocol):
    """Remembers, per window and ``Idempotency-Key``, what a request decided and whether it was
    published."""

    async def recall(self, window_id: str, key: str) -> Remembered | None:
        """What the key holds, or None if it was never used (or has expired)."""
        ...

    async def promise(self, window_id: str, key: str, decided: Remembered) -> Remembered | None:
        """Keep ``decided`` for the key unless it already holds something (atomically: of two
        concurrent requests, one decision wins); None if kept now, else what the key holds."""
        ...

    async def fulfil(self, window_id: str, key: str, decided: Remembered) -> None:
        """Mark the decision published, so a retry answers without publishing again."""
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
