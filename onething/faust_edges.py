"""Faust adapters for the ports: an outbox that waits for broker acks, and a case table store.

These are the only places the orchestrator and participants touch Faust; everything they decide
is in plain Python behind the ports.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import faust
from faust.types import TopicT

from contracts.envelope import Envelope, encode, key_for
from onething.settings import Settings

__all__ = ["FaustOutbox", "TableStore", "RAW"]

RAW: faust.Schema = faust.Schema(  # type: ignore[type-arg]  # generic only in stubs
    key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
)


class FaustOutbox:
    """Publishes envelopes with the app's producer and returns once the broker acknowledged them."""

    def __init__(self, app: faust.App, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self._topics: dict[str, TopicT] = {}

    def _topic(self, name: str) -> TopicT:
        if name not in self._topics:
            self._topics[name] = self.app.topic(self.settings.topic(name), schema=RAW)
        return self._topics[name]

    async def send(self, batch: Sequence[tuple[str, Envelope[Any]]]) -> None:
        # force=True: publish now. Without it Faust "attaches" a send made inside an agent to the
        # source message and publishes it only when that offset is committed, so waiting here
        # for the broker's ack could wait on ourselves.
        pending = [
            await self._topic(topic).send(key=key_for(envelope), value=encode(envelope), force=True)
            for topic, envelope in batch
        ]
        await asyncio.gather(*pending)


class TableStore:
    """The case table as a ``StateStore``; keys are case ids, values the state as JSON bytes."""

    def __init__(self, table: Any) -> None:
        self.table = table

    def get(self, case_id: str) -> bytes | None:
        value: bytes | None = self.table.get(case_id.encode())
        return value

    def put(self, case_id: str, value: bytes) -> None:
        self.table[case_id.encode()] = value

    def items(self) -> dict[str, bytes]:
        return {bytes(k).decode(): bytes(v) for k, v in self.table.items() if v is not None}
