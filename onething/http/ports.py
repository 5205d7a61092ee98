"""What the window and ops APIs share at their edge: a clock, and a publisher that hands an
envelope to the broker and returns only once it is acknowledged."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from contracts.envelope import Envelope

__all__ = ["Clock", "PublishFailed", "Publisher"]

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
