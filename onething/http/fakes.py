"""A publisher that keeps what it was given, for unit tests of the window and ops APIs."""

from __future__ import annotations

from typing import Any

from contracts.envelope import Envelope
from contracts.message import Message
from onething.http.ports import PublishFailed

__all__ = ["RecordingPublisher"]


class RecordingPublisher:
    """Keeps every published ``(topic, envelope)``; ``fail_after=n`` accepts n, then fails."""

    def __init__(self, *, fail_after: int | None = None) -> None:
        self.sent: list[tuple[str, Envelope[Any]]] = []
        self.fail_after = fail_after

    async def publish(self, topic: str, envelope: Envelope[Any]) -> None:
        if self.fail_after is not None and len(self.sent) >= self.fail_after:
            raise PublishFailed("the fake broker is down")
        self.sent.append((topic, envelope))

    def messages(self) -> list[Message]:
        """The payloads published, in order."""
        return [envelope.data for _, envelope in self.sent]
