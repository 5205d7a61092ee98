"""Wraps what a window decided into envelopes and publishes them, in order, on the request topic.

Every window message (start, supplement, signal, withdrawal) goes to ``case.requests`` keyed by
the case id: one topic and one key keep them in the order they were sent, so a supplement is
merged before the signal that resumes the case reads the data. The personal fields of a start or a
supplement are sealed for the case here, on their way out (``contracts.personal``).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from typing import Any

from contracts.envelope import envelope_for
from contracts.message import Message
from contracts.personal import sealed_request
from contracts.topics import Topics
from contracts.window import CaseAccepted
from window.ports import Window, WindowPorts

__all__ = ["MessageIds", "accepted", "case_link", "publish_requests"]


class MessageIds:
    """Envelope ids for one request: derived from a seed if given, else random. A keyed request
    seeds them with its window, key and body hash, so a retry publishes under the same ids."""

    def __init__(self, seed: str | None) -> None:
        self._seed = seed
        self._count = 0

    def next(self) -> str:
        self._count += 1
        if self._seed is None:
            return uuid.uuid4().hex
        return hashlib.sha256(f"{self._seed}:{self._count}".encode()).hexdigest()[:32]


def case_link(case_id: str) -> str:
    return f"/v1/cases/{case_id}"


async def publish_requests(
    ports: WindowPorts,
    window: Window,
    case_id: str,
    messages: Sequence[Message],
    ids: MessageIds,
) -> None:
    for message in messages:
        envelope = envelope_for(
            sealed_request(message, ports.keyring),
            subject=case_id,
            source=f"/window/{window.window_id}",
            time=ports.clock(),
            id=ids.next(),
        )
        await ports.publisher.publish(Topics.CASE_REQUESTS, envelope)


def accepted(case_id: str, status: str) -> tuple[int, dict[str, Any]]:
    """The 202 answer: the case id and where to follow it."""
    body = CaseAccepted(case_id=case_id, status=status, links={"self": case_link(case_id)})
    return 202, body.model_dump(mode="json")
