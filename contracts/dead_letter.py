"""Dead letters: a message that could not be decoded or validated, kept with why and where from.

Nothing is lost: the original bytes travel base64-encoded, with the source topic, partition and
offset, so an operator can fix and replay it.
"""

from __future__ import annotations

import base64
from datetime import datetime

from pydantic import Field

from contracts.message import Message

__all__ = ["DeadLetter"]


class DeadLetter(Message):
    message_type = "DeadLetter"

    reason: str = Field(description="The field and the rule broken, or the fault")
    source_topic: str
    partition: int
    offset: int
    key: str | None = None
    original_base64: str
    consumer: str = Field(description="Which service gave up on it")
    at: datetime

    @staticmethod
    def pack(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    def original(self) -> bytes:
        return base64.b64decode(self.original_base64)
