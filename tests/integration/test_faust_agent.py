"""A real Faust worker process consumes enveloped events and records each one in Redis.

This is the demo's agent (``deploy.demo``) run under the session's topic prefix: it proves a
Faust app joins its group on the broker, decodes every envelope and writes exactly one record
per message id.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from deploy.demo.app import records_key
from deploy.demo.roundtrip import make_pings, publish, running_worker, wait_recorded
from onething.settings import Settings

pytestmark = pytest.mark.integration


async def test_the_faust_agent_records_every_event_once(
    stack: Settings, redis_client: aioredis.Redis, tmp_path: Path
) -> None:
    pings = make_pings(secrets.token_hex(4), count=12)
    with running_worker(stack, tmp_path) as worker:
        publish(stack, pings)
        records = wait_recorded(stack, worker, [p.id for p in pings], timeout=120)
        assert worker.alive()

    assert await redis_client.hlen(records_key(stack)) == len(pings)
    for ping in pings:
        record = records[ping.id]
        assert (record["seq"], record["text"], record["subject"]) == (
            ping.data.seq,
            ping.data.text,
            ping.subject,
        )
        assert record["partition"] in (0, 1)
    assert sorted(r["seq"] for r in records.values()) == list(range(len(pings)))
