"""The demo's Faust application: one agent reads ``demo.pings`` and records each ping in Redis.

Records are kept in one Redis hash per topic prefix, field = envelope id, so a redelivered message
overwrites its own record instead of adding one: the agent is idempotent, as every OneThing
consumer must be. An undecodable record is logged and skipped (the real services dead-letter it).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import faust
import redis.asyncio as aioredis

from contracts.demo import DemoPing
from contracts.envelope import InvalidEnvelope, decode
from contracts.topics import Topics
from onething.settings import Settings

__all__ = ["build_app", "records_key"]

log = logging.getLogger(__name__)


def records_key(settings: Settings) -> str:
    """The Redis hash the agent writes: one field per envelope id, a JSON record as value."""
    return f"{settings.topic_prefix}:demo:pings"


def _broker_urls(bootstrap: str) -> list[str]:
    return [f"kafka://{server.strip()}" for server in bootstrap.split(",") if server.strip()]


def build_app(settings: Settings, datadir: Path) -> faust.App:
    """A Faust app for ``settings``; its id (and consumer group) is ``<topic prefix>-demo``."""
    app = faust.App(
        f"{settings.topic_prefix}-demo",
        broker=_broker_urls(settings.kafka_bootstrap),
        datadir=str(datadir),
        store="memory://",
        topic_replication_factor=settings.replication_factor,
        consumer_auto_offset_reset="earliest",
        # No HTTP endpoint is needed, and a fixed web port would clash between runs.
        web_enabled=False,
    )
    topic = app.topic(
        settings.topic(Topics.DEMO_PINGS),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
    )
    key = records_key(settings)

    @app.agent(topic)
    async def record(stream: faust.StreamT[bytes]) -> None:
        client = aioredis.Redis.from_url(settings.redis_url)
        try:
            async for event in stream.events():
                try:
                    envelope = decode(event.value)
                except InvalidEnvelope as exc:
                    log.warning("skipping an undecodable record: %s", exc)
                    continue
                ping = envelope.data
                if not isinstance(ping, DemoPing):
                    log.warning("skipping a %s on the demo topic", envelope.type)
                    continue
                entry = {
                    "run_id": ping.run_id,
                    "seq": ping.seq,
                    "text": ping.text,
                    "subject": envelope.subject,
                    "partition": event.message.partition,
                    "offset": event.message.offset,
                    "recorded_at": datetime.now(UTC).isoformat(),
                }
                await client.hset(key, envelope.id, json.dumps(entry, ensure_ascii=False))
        finally:
            await client.aclose()

    return app
