"""Rebuild the read model from the case-events topic: ``python -m onething.readmodel.rebuild``.

Deletes every read-model key of this deployment, then replays the topic from the beginning of
every partition up to where it ends now. The projector orders events by their offset (all of a
case's events share a partition), so the result equals the model the live projector built.
"""

from __future__ import annotations

import argparse
import asyncio

from redis.asyncio import Redis

from onething.readmodel.catch_up import CatchUp
from onething.readmodel.event_log import EventLog
from onething.readmodel.keys import Keys
from onething.readmodel.projector import Projector
from onething.redis_edge import connect
from onething.settings import Settings

__all__ = ["rebuild"]


async def rebuild(settings: Settings, redis: Redis) -> int:
    """Flush this deployment's read model and replay every case event; return events applied."""
    await _flush(redis, Keys(settings.topic_prefix))
    projector = Projector(redis, settings.topic_prefix)
    return await CatchUp(redis, projector, EventLog(settings)).sweep("rebuild")


async def _flush(redis: Redis, keys: Keys) -> None:
    batch: list[bytes | str] = []
    async for key in redis.scan_iter(match=keys.pattern(), count=1000):
        batch.append(key)
        if len(batch) >= 1000:
            await redis.delete(*batch)
            batch.clear()
    if batch:
        await redis.delete(*batch)


def main() -> None:
    argparse.ArgumentParser(description=__doc__).parse_args()
    settings = Settings()

    async def run() -> int:
        redis = connect(settings.redis_url)
        try:
            return await rebuild(settings, redis)
        finally:
            await redis.aclose()

    print(f"read model rebuilt: {asyncio.run(run())} events applied")


if __name__ == "__main__":
    main()
