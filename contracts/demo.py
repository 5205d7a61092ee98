"""The payload of ``make demo``'s round trip: a numbered ping with a line of Chinese text.

It exists to prove the whole path (envelope encoding, Kafka, a Faust agent, Redis) end to end, with
text that must survive as characters; no service of OneThing consumes it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from contracts.message import Message

__all__ = ["DemoPing"]


class DemoPing(Message):
    """One ping of a demo run; ``run_id`` tells the pings of one run from earlier ones."""

    message_type = "DemoPing"

    run_id: str = Field(min_length=1)
    seq: int = Field(ge=0)
    text: str = Field(min_length=1)
    sent_at: datetime
