"""A raw record as a consumer received it, and the dead letter made from one that is unusable.

Shared by every consumer edge (orchestrator, participants, projector), so a dead letter always
carries the same facts: the reason, the source topic, partition and offset, and the original bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from contracts.dead_letter import DeadLetter
from contracts.envelope import Envelope, envelope_for

__all__ = ["Record", "dead_letter"]


@dataclass(frozen=True)
class Record:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes


def dead_letter(
    record: Record, reason: str, *, consumer: str, source: str, now: datetime
) -> Envelope[Any]:
    """The envelope to put on the dead-letter topic; its id makes a repeat recognisable."""
    letter = DeadLetter(
        reason=reason,
        source_topic=record.topic,
        partition=record.partition,
        offset=record.offset,
        key=record.key.decode("utf-8", "replace") if record.key else None,
        original_base64=DeadLetter.pack(record.value),
        consumer=consumer,
        at=now,
    )
    return envelope_for(
        letter,
        subject=letter.key or f"{record.topic}:{record.partition}:{record.offset}",
        source=source,
        time=now,
        id=f"dlq:{record.topic}:{record.partition}:{record.offset}",
    )
